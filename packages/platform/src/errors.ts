// The platform's errors: `{ "error": { "code", "message" } }` with an HTTP status. Messages never
// carry a secret (a session token, a Stripe key or signing secret, a raw webhook body).
import { LedgerError } from "@fomo/ledger";

export class PlatformError extends Error {
  readonly status: number;
  readonly code: string;
  /** Sent as Retry-After: the condition is expected to pass (a 503). */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, code: string, message: string, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = "PlatformError";
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export const unauthenticated = () => new PlatformError(401, "unauthenticated", "Sign in first: no valid session cookie.");

export const notFound = (what: string) => new PlatformError(404, "not_found", `${what} not found.`);

export const badRequest = (message: string) => new PlatformError(400, "invalid_request", message);

/** A state-changing request that did not prove it comes from the platform's own pages (csrf.ts). */
export const csrfRefused = (reason: string) =>
  new PlatformError(403, "csrf_refused", `Cross-site request refused: ${reason}. Send the X-FOMO-CSRF: 1 header from the platform's own pages.`);

/** A refused sign-in says why (the signer's own message, clock, nonce), never more. */
export const signInRefused = (reason: string) => new PlatformError(401, "sign_in_refused", `Sign-in refused: ${reason}.`);

/**
 * The chain a smart wallet's signature is checked on (ERC-1271 / ERC-6492) did not answer: not the
 * signer's fault, and not known whether the signature is good. The nonce is used up (single-use
 * whatever follows), so the client asks for a new one.
 */
export const chainUnavailable = () =>
  new PlatformError(
    503,
    "chain_unavailable",
    "Sign-in cannot be checked now: the chain this wallet's signature is verified on does not answer. Request a new nonce and sign again shortly.",
    { retryAfterSeconds: 5 },
  );

const LEDGER_STATUS: Partial<Record<LedgerError["code"], number>> = {
  wallet_bound: 409,
  invalid_argument: 400,
  unknown_account: 404,
  unknown_key: 404,
  key_revoked: 409,
};

export function toPlatformError(error: unknown): PlatformError {
  if (error instanceof PlatformError) return error;
  if (error instanceof LedgerError) {
    const status = LEDGER_STATUS[error.code];
    if (status !== undefined) return new PlatformError(status, error.code, error.message);
  }
  return new PlatformError(500, "internal_error", "Internal error.");
}
