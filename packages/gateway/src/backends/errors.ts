// One error type for every backend failure, so the API can map it to an OpenAI error and the
// metering code can bill exactly what was produced before it happened.
import type { Usage } from "./types.ts";

export type BackendErrorCode =
  /** The caller's AbortSignal fired (client disconnect). */
  | "aborted"
  /** The per-request timeout fired. */
  | "timeout"
  /** Could not reach the upstream, or the connection broke. */
  | "connection"
  /** The upstream answered with an error status or an SSE error event. */
  | "upstream"
  /** The upstream sent something we cannot parse. */
  | "protocol"
  /** The request cannot be served as asked (e.g. prompt + max_tokens exceed the context). */
  | "invalid_request"
  /** The backend does not serve the requested model id. */
  | "model_not_found"
  /** The engine itself failed (a bug or a native error), not the request. */
  | "internal";

/** What was produced before the failure; the API bills it (tokens generated are tokens served). */
export interface PartialResult {
  text: string;
  usage: Usage;
}

export class BackendError extends Error {
  override readonly name = "BackendError";
  readonly code: BackendErrorCode;
  /** True while no byte of a successful (2xx) response had arrived: a retry or failover cannot double-serve. */
  readonly beforeFirstByte: boolean;
  /** The upstream's HTTP status, when it answered with one. */
  readonly status: number | undefined;
  /** The request field at fault, for invalid_request (OpenAI's `param`). */
  readonly param: string | undefined;
  readonly partial: PartialResult | undefined;
  /** How long the upstream asked us to wait (its retry-after-ms / retry-after), e.g. with a 429. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: BackendErrorCode,
    message: string,
    opts: { beforeFirstByte: boolean; status?: number; param?: string; partial?: PartialResult; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.beforeFirstByte = opts.beforeFirstByte;
    this.status = opts.status;
    this.param = opts.param;
    this.partial = opts.partial;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** Response headers as fetch (Headers) or Node and undici (lower-case names, repeated ones as arrays) give them. */
export type ResponseHeaders = Headers | Record<string, string | string[] | undefined>;

function header(headers: ResponseHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * An upstream's wait hint: `retry-after-ms` (OpenAI's), else `retry-after` in seconds or as an HTTP
 * date; undefined when absent or unreadable.
 */
export function retryAfterMs(headers: ResponseHeaders, now: number = Date.now()): number | undefined {
  const number = /^\d+(\.\d+)?$/;
  const ms = header(headers, "retry-after-ms")?.trim();
  if (ms && number.test(ms)) return Number(ms);
  const value = header(headers, "retry-after")?.trim();
  if (!value) return undefined;
  if (number.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Upstream statuses worth another attempt: the request was fine, the server was not (or was busy). */
const TRANSIENT_STATUS = new Set([408, 409, 429]);

/**
 * Whether another attempt (a retry on the same upstream, or the next backend of the model) is safe and
 * useful: only before the first byte of a successful response, and only for transport failures,
 * timeouts and 408/409/429/5xx. Never after the first byte: the caller may already have been served.
 */
export function isTransient(err: unknown): err is BackendError {
  if (!(err instanceof BackendError) || !err.beforeFirstByte) return false;
  if (err.code === "connection" || err.code === "timeout") return true;
  if (err.code !== "upstream" || err.status === undefined) return false;
  return err.status >= 500 || TRANSIENT_STATUS.has(err.status);
}
