import { cleanup, fireEvent, screen } from "@testing-library/react";
import { verifyMessage } from "viem";
import { parseSiweMessage } from "viem/siwe";
import { afterEach, describe, expect, it, vi } from "vitest";
import ConsolePage from "./index.tsx";
import { SIGN_IN_STATEMENT } from "./session.ts";
import { apiError, fakeFetch, network, renderWithApp, wallet, type Call } from "./test-support.tsx";
import type { AccountView } from "./wire.ts";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

const account: AccountView = {
  id: "acct_7",
  name: `wallet:${wallet.address.toLowerCase()}`,
  signed_in_wallet: wallet.address.toLowerCase(),
  balance_micro_usd: "12500000",
  held_micro_usd: "250000",
  available_micro_usd: "12250000",
  wallets: [{ address: wallet.address.toLowerCase(), bound_at: "2026-12-05T00:00:00.000Z" }],
};

/** A platform that checks the sign-in as siwe.ts does (domain, chain, nonce, signature) and then has a session. */
function platform() {
  let signedIn = false;
  const nonce = "Xk3mQ9pLw2Za";
  const verified: Array<{ message: string; valid: boolean }> = [];
  const calls = fakeFetch({
    "GET /auth/session": () => ({ body: { signed_in: signedIn } }),
    "GET /account": () => (signedIn ? { body: account } : apiError(401, "unauthenticated", "Sign in first.")),
    "POST /auth/nonce": () => ({ body: { nonce, expires_at: new Date(Date.now() + 600_000).toISOString() } }),
    "POST /auth/verify": async ({ body }: Call) => {
      const { message, signature } = body as { message: string; signature: `0x${string}` };
      const parsed = parseSiweMessage(message);
      const valid =
        parsed.domain === network.siwe_domain &&
        parsed.chainId === network.chain_id &&
        parsed.nonce === nonce &&
        (await verifyMessage({ address: parsed.address!, message, signature }));
      verified.push({ message, valid });
      if (!valid) return apiError(401, "sign_in_refused", "Sign-in refused: the message is not valid.");
      signedIn = true;
      return { body: { account_id: account.id, wallet: account.signed_in_wallet, expires_at: "2026-12-12T00:00:00.000Z" } };
    },
    "POST /auth/logout": () => {
      signedIn = false;
      return { body: { signed_out: true } };
    },
    "GET /account/keys": () => ({ body: { data: [], next_cursor: null } }),
  });
  return { calls, verified };
}

describe("console sign-in", () => {
  it("signs an EIP-4361 message naming the network's SIWE domain and chain, then shows the account", async () => {
    const { calls, verified } = platform();
    await renderWithApp(<ConsolePage />);
    fireEvent.click(await screen.findByRole("button", { name: "Sign in with Ethereum" }));
    expect(await screen.findByText("Signed in with", { exact: false })).toBeTruthy();
    expect(verified).toHaveLength(1);
    const { message, valid } = verified[0]!;
    expect(valid).toBe(true);
    const parsed = parseSiweMessage(message);
    expect(parsed.domain).toBe("console.fomo.test");
    expect(parsed.chainId).toBe(31_337);
    expect(parsed.address).toBe(wallet.address);
    expect(parsed.uri).toBe(window.location.origin);
    expect(parsed.statement).toBe(SIGN_IN_STATEMENT);
    expect(parsed.expirationTime!.getTime()).toBeGreaterThan(Date.now());
    // The account's available credits, from GET /account, exactly.
    expect(screen.getByText("$12.25")).toBeTruthy();
    // Every state-changing call carried the CSRF header (apiSend) and went to the platform's routes in order.
    expect(calls.filter((c) => c.method === "POST").map((c) => c.path)).toEqual(["/auth/nonce", "/auth/verify"]);
  });

  it("asks for a wallet when none is connected", async () => {
    platform();
    await renderWithApp(<ConsolePage />, { connected: false });
    expect(await screen.findByText(/Connect a wallet with the button at the top of the page/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Sign in with Ethereum" })).toBeNull();
  });

  it("shows the platform's refusal as a sentence and stays signed out", async () => {
    fakeFetch({
      "GET /auth/session": () => ({ body: { signed_in: false } }),
      "GET /account": () => apiError(401, "unauthenticated", "Sign in first."),
      "POST /auth/nonce": () => ({ body: { nonce: "Xk3mQ9pLw2Za", expires_at: new Date(Date.now() + 600_000).toISOString() } }),
      "POST /auth/verify": () => apiError(401, "sign_in_refused", "Sign-in refused: the message is for localhost:5173, not console.fomo.test."),
    });
    await renderWithApp(<ConsolePage />);
    fireEvent.click(await screen.findByRole("button", { name: "Sign in with Ethereum" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Sign-in refused: the message is for localhost:5173, not console.fomo.test.");
    expect(screen.getByRole("button", { name: "Sign in with Ethereum" })).toBeTruthy();
  });

  it("signs out: the session ends and the sign-in card returns", async () => {
    const { calls } = platform();
    await renderWithApp(<ConsolePage />);
    fireEvent.click(await screen.findByRole("button", { name: "Sign in with Ethereum" }));
    fireEvent.click(await screen.findByRole("button", { name: "Sign out" }));
    expect(await screen.findByRole("button", { name: "Sign in with Ethereum" })).toBeTruthy();
    expect(calls.some((c) => c.method === "POST" && c.path === "/auth/logout")).toBe(true);
  });
});
