// Sign-In with Ethereum (EIP-4361) checks, in the order that spends least: the message is parsed
// and validated offline (domain, chain id, time window, address), then its server-issued nonce is
// used up (single-use whatever follows: a message is tried once), then the signature is verified
// through the chain client, so a smart-contract wallet's ERC-1271 signature, or an ERC-6492 one of a
// wallet not yet deployed, counts like an EOA's.
import type { Ledger } from "@fomo/ledger";
import { keccak256, toBytes, type Address, type Hex, type PublicClient } from "viem";
import { parseSiweMessage, validateSiweMessage } from "viem/siwe";
import { chainUnavailable, signInRefused } from "./errors.ts";

export interface SiweOptions {
  /** The RFC 3986 authority the messages must name, e.g. `app.fomo.example` or `localhost:5173`. */
  domain: string;
  /** The chain the wallets sign in on (the chain client's). */
  chainId: number;
  /** How long an issued nonce may be used (default 10 minutes). */
  nonceTtlMs?: number;
}

export interface VerifiedSignIn {
  /** Lower-case address that signed. */
  wallet: string;
  /** `siwe:<keccak256 of the message>`: kept with the wallet's binding. */
  proof: string;
}

export const DEFAULT_NONCE_TTL_MS = 10 * 60_000;

export class SiweVerifier {
  readonly #ledger: Ledger;
  readonly #client: PublicClient;
  readonly #options: SiweOptions;
  readonly #now: () => number;

  constructor(ledger: Ledger, client: PublicClient, options: SiweOptions, now: () => number) {
    this.#ledger = ledger;
    this.#client = client;
    this.#options = options;
    this.#now = now;
  }

  get nonceTtlMs(): number {
    return this.#options.nonceTtlMs ?? DEFAULT_NONCE_TTL_MS;
  }

  async verify(message: string, signature: Hex): Promise<VerifiedSignIn> {
    let parsed: ReturnType<typeof parseSiweMessage>;
    try {
      parsed = parseSiweMessage(message);
    } catch {
      throw signInRefused("not an EIP-4361 message");
    }
    const { address, nonce, chainId, domain } = parsed;
    if (!address || !nonce || chainId === undefined || !domain) throw signInRefused("the message lacks an address, nonce, chain id or domain");
    if (domain !== this.#options.domain) throw signInRefused(`the message is for ${domain}, not ${this.#options.domain}`);
    if (chainId !== this.#options.chainId) throw signInRefused(`the message is for chain ${chainId}, not ${this.#options.chainId}`);
    const time = new Date(this.#now());
    // Domain again, and the expiration / not-before window and the address format.
    if (!validateSiweMessage({ message: parsed, domain: this.#options.domain, time })) {
      throw signInRefused("the message has expired or is not valid yet");
    }
    if (!(await this.#ledger.siweNonces.consume(nonce))) throw signInRefused("unknown, expired or already used nonce");
    const valid = await this.#client.verifySiweMessage({ message, signature, domain: this.#options.domain, nonce, time }).catch(async (error: unknown) => {
      if (!(await this.#chainAnswers())) throw chainUnavailable();
      throw error;
    });
    if (!valid) {
      // viem reads a failed ERC-1271/6492 call as "not valid", an RPC that did not answer included:
      // tell the two apart before blaming the signature. (An EOA's own signature never gets here.)
      if (!(await this.#chainAnswers())) throw chainUnavailable();
      throw signInRefused(`the signature is not ${address}'s`);
    }
    return { wallet: (address as Address).toLowerCase(), proof: `siwe:${keccak256(toBytes(message))}` };
  }

  #chainAnswers(): Promise<boolean> {
    return this.#client.getBlockNumber({ cacheTime: 0 }).then(() => true, () => false);
  }
}
