// The platform's errors: `{ "error": { "code", "message" } }` with an HTTP status. Messages never
// carry a secret (a session token, a Stripe key or signing secret, a raw webhook body).
import { LedgerError } from "@fomo/ledger";

export class PlatformError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "PlatformError";
    this.status = status;
    this.code = code;
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export const unauthenticated = () => new PlatformError(401, "unauthenticated", "Sign in first: no valid session cookie.");

/** A refused sign-in says why (the signer's own message, clock, nonce), never more. */
export const signInRefused = (reason: string) => new PlatformError(401, "sign_in_refused", `Sign-in refused: ${reason}.`);

const LEDGER_STATUS: Partial<Record<LedgerError["code"], number>> = {
  wallet_bound: 409,
  invalid_argument: 400,
  unknown_account: 404,
};

export function toPlatformError(error: unknown): PlatformError {
  if (error instanceof PlatformError) return error;
  if (error instanceof LedgerError) {
    const status = LEDGER_STATUS[error.code];
    if (status !== undefined) return new PlatformError(status, error.code, error.message);
  }
  return new PlatformError(500, "internal_error", "Internal error.");
}
