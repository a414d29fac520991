// OpenAI-shaped errors: `{error: {message, type, param, code}}` with the status the official client
// maps to its error classes. Every failure of a request ends up as an ApiError (toApiError), so the
// HTTP layer and the SSE error event share one shape. Below the routes, plugins and receipts alike.
import { BackendError } from "../backends/errors.ts";
import { LedgerError } from "@fomo/ledger";

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
  /** Extra response headers, e.g. x-should-retry: false on 402. */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    type: string,
    message: string,
    opts: { param?: string | null; code?: string | null; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = opts.param ?? null;
    this.code = opts.code ?? null;
    this.headers = opts.headers ?? {};
  }

  body(): ErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const invalidRequest = (message: string, param: string | null, code: string | null = null): ApiError =>
  new ApiError(400, "invalid_request_error", message, { param, code });

export const modelNotFound = (model: string): ApiError =>
  new ApiError(404, "invalid_request_error", `The model \`${model}\` does not exist or is not served by this gateway.`, {
    param: "model",
    code: "model_not_found",
  });

/** A model the gateway knows but does not serve (now or ever), with the reason: e.g. a deployment still raising. */
export const modelNotServed = (reason: string): ApiError =>
  new ApiError(404, "invalid_request_error", reason, { param: "model", code: "model_not_found" });

export const invalidKey = (message = "Incorrect API key provided."): ApiError =>
  new ApiError(401, "invalid_request_error", message, { code: "invalid_api_key" });

/** 429 with the seconds to wait (a key's RPM/TPM, or failed authentications from one address). */
export const rateLimited = (message: string, retryAfterSec: number, code: string): ApiError =>
  new ApiError(429, "rate_limit_error", message, { code, headers: { "retry-after": String(retryAfterSec) } });

/** A failure that retrying the same request cannot fix: tell the official client not to retry. */
const NO_RETRY = { "x-should-retry": "false" };

/** How an account buys credits: the end of every 402 for credits, and in GET /v1/key. */
export const TOP_UP =
  "Top up the account with `./fomo credits deposit USDC --account NAME` (USDC to the CreditDeposits contract, credited once the indexer sees the deposit), " +
  "or through the platform API: GET /api/v1/account/credits/deposit (deposit instructions), POST /api/v1/billing/checkout (card). " +
  "GET /v1/key shows the balance.";

/**
 * 402: the account's credits or the key's spend cap cannot pay for the request. Out of credits, the
 * message says how to top up; a spend cap is the key owner's own limit, which no top-up lifts.
 */
export const insufficientQuota = (code: "insufficient_credits" | "spend_cap_reached", message: string): ApiError =>
  new ApiError(402, "insufficient_quota", code === "insufficient_credits" ? `${message.replace(/\.?$/, ".")} ${TOP_UP}` : message, { code, headers: NO_RETRY });

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof LedgerError) {
    switch (error.code) {
      case "insufficient_credits":
      case "spend_cap_reached":
        return insufficientQuota(error.code, error.message);
      case "unknown_key":
      case "key_revoked":
        return invalidKey();
      case "duplicate_request":
        // A request id is charged once: replaying it is refused, never served (and billed) twice.
        return new ApiError(409, "invalid_request_error", error.message, {
          param: "x-request-id",
          code: error.code,
          headers: NO_RETRY,
        });
      default:
        return new ApiError(500, "server_error", "internal ledger error", { code: "ledger_error" });
    }
  }
  if (error instanceof BackendError) {
    if (error.code === "upstream" && error.status === 429) {
      // The backend, not this key, is rate limited: still a 429, so the client backs off and retries.
      const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000));
      return new ApiError(429, "rate_limit_error", "The model backend is rate limited; retry later.", {
        code: "backend_rate_limited",
        headers: { "retry-after": String(seconds) },
      });
    }
    switch (error.code) {
      case "invalid_request":
        return invalidRequest(error.message, error.param ?? null);
      case "model_not_found":
        return new ApiError(404, "invalid_request_error", error.message, { param: "model", code: "model_not_found" });
      case "timeout":
        return new ApiError(504, "server_error", "The model backend timed out.", { code: "backend_timeout" });
      case "aborted":
        return new ApiError(499, "invalid_request_error", "The client closed the request.", { code: "client_closed" });
      case "internal":
        return new ApiError(500, "server_error", "The model backend failed.", { code: "backend_error" });
      default:
        return new ApiError(502, "server_error", `The model backend failed (${error.code}).`, { code: "backend_error" });
    }
  }
  return new ApiError(500, "server_error", "Internal server error.", { code: "internal_error" });
}
