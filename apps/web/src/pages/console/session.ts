// The console's session: Sign-In with Ethereum (EIP-4361) against the platform, which checks the
// message's domain (its FOMO_PLATFORM_DOMAIN, served as network.siwe_domain), the chain id, the
// expiry and its own single-use nonce (packages/platform/src/siwe.ts), then sets an HttpOnly
// same-origin cookie. The console only ever learns whether it is signed in from GET /account.
import { useQuery } from "@tanstack/react-query";
import { getAddress, type Address } from "viem";
import { createSiweMessage } from "viem/siwe";
import { ApiError, apiGet, apiSend } from "../../lib/api.ts";
import type { NetworkView } from "../../lib/wire.ts";
import type { AccountView, NonceView, SignedInView } from "./wire.ts";

export const SIGN_IN_STATEMENT = "Sign in to the FOMO console to manage API keys, credits and usage.";

/** Every console read lives under this query key: signing in or out refreshes them all. */
export const CONSOLE_KEY = "console";

export interface SignInMessageParameters {
  network: Pick<NetworkView, "siwe_domain" | "chain_id">;
  address: Address;
  nonce: string;
  /** Where the app runs (window.location.origin): the message's URI. */
  origin: string;
  issuedAt: Date;
  /** The nonce's own expiry: the message is worth nothing after it anyway. */
  expiresAt: Date;
}

/** The EIP-4361 message the wallet signs: the platform's domain and chain, the server's nonce. */
export function signInMessage({ network, address, nonce, origin, issuedAt, expiresAt }: SignInMessageParameters): string {
  return createSiweMessage({
    domain: network.siwe_domain,
    address: getAddress(address),
    statement: SIGN_IN_STATEMENT,
    uri: origin,
    version: "1",
    chainId: network.chain_id,
    nonce,
    issuedAt,
    expirationTime: expiresAt,
  });
}

/** Signs in `address`: nonce → message → the wallet's signature → session cookie. */
export async function signIn(
  network: SignInMessageParameters["network"],
  address: Address,
  sign: (message: string) => Promise<`0x${string}`>,
  step: (label: string) => void = () => {},
): Promise<SignedInView> {
  step("Asking the platform for a sign-in nonce");
  const { nonce, expires_at } = await apiSend<NonceView>("POST", "/auth/nonce");
  const message = signInMessage({ network, address, nonce, origin: window.location.origin, issuedAt: new Date(), expiresAt: new Date(expires_at) });
  step("Sign the message in your wallet");
  const signature = await sign(message);
  step("Checking the signature");
  return apiSend<SignedInView>("POST", "/auth/verify", { message, signature });
}

export const signOut = () => apiSend<{ signed_out: boolean }>("POST", "/auth/logout");

/** A 401 from an account route: no live session (none, expired, signed out). */
export const isSignedOut = (error: unknown) => error instanceof ApiError && error.status === 401;

/**
 * The signed-in account, or a 401 ApiError when there is none. GET /auth/session asks first: it
 * answers 200 either way, so a signed-out console logs no failed request.
 */
export function useAccount() {
  return useQuery({
    queryKey: [CONSOLE_KEY, "account"],
    queryFn: async ({ signal }) => {
      const session = await apiGet<{ signed_in: boolean }>("/auth/session", undefined, signal);
      if (!session.signed_in) throw new ApiError(401, "unauthenticated", "Sign in with your wallet to use the console.");
      return apiGet<AccountView>("/account", undefined, signal);
    },
    retry: (failures, error) => !isSignedOut(error) && failures < 1,
  });
}
