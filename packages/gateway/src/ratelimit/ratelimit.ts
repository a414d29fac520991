// Per-key RPM and TPM limits as token buckets: capacity = the per-minute limit, refilled
// continuously. TPM takes the request's worst case (prompt + max_tokens) at admission and gets back
// what the request did not use once it is billed. In this process by default; shared by every
// gateway through Redis when REDIS_URL is set (redis.ts).

/** Token buckets keyed by id; async so a shared store can back them. */
export interface RateLimiter {
  /** Takes `amount` from the bucket `id` of `perMinute`; resolves 0 when taken, else seconds until it could be. */
  take(id: string, perMinute: number, amount: number): Promise<number>;
  /** Gives back what a request took but did not use (never above the limit). */
  give(id: string, perMinute: number, amount: number): Promise<void>;
}

/** Milliseconds for an empty bucket of `perMinute` to fill up again. */
export const MS_PER_BUCKET = 60_000;

/** Seconds to wait before `missing` more tokens have flowed in (0 when nothing is missing). */
export function retryAfterSeconds(missing: number, amount: number, perMinute: number): number {
  if (missing <= 0) return 0;
  // More than a whole minute's allowance can never fit: say a minute, the client's 429 backoff decides.
  return amount > perMinute ? 60 : Math.ceil((missing * MS_PER_BUCKET) / perMinute / 1000);
}

interface Bucket {
  level: number;
  at: number;
}

/** The buckets of one gateway process. The Redis limiter's script does the same arithmetic. */
export class InProcessRateLimiter implements RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async take(id: string, perMinute: number, amount: number): Promise<number> {
    const bucket = this.#refill(id, perMinute);
    const missing = amount <= bucket.level ? 0 : amount - bucket.level;
    if (missing === 0) bucket.level -= amount;
    this.#forgetIfFull(id, bucket, perMinute);
    return retryAfterSeconds(missing, amount, perMinute);
  }

  async give(id: string, perMinute: number, amount: number): Promise<void> {
    const bucket = this.#refill(id, perMinute);
    bucket.level = Math.min(perMinute, bucket.level + amount);
    this.#forgetIfFull(id, bucket, perMinute);
  }

  /** A full bucket is the same as none: dropping it keeps idle keys from piling up. */
  #forgetIfFull(id: string, bucket: Bucket, perMinute: number): void {
    if (bucket.level >= perMinute) this.#buckets.delete(id);
  }

  #refill(id: string, perMinute: number): Bucket {
    const now = this.#now();
    let bucket = this.#buckets.get(id);
    if (!bucket) {
      bucket = { level: perMinute, at: now };
      this.#buckets.set(id, bucket);
    }
    // A clock that steps back refills nothing rather than draining the bucket.
    bucket.level = Math.min(perMinute, bucket.level + (Math.max(0, now - bucket.at) * perMinute) / MS_PER_BUCKET);
    bucket.at = now;
    return bucket;
  }
}

/**
 * The policy when the limiter's store fails (Redis down or slow): admit the request. Rate limits
 * protect capacity, not money — the ledger's holds still refuse what a balance cannot cover — so
 * an outage of the limiter must not become an outage of the API. Every failure is reported to
 * `onError` (a metric); `onStateChange` hears when failing starts and stops (one log line each,
 * not one per request).
 */
export class FailOpenRateLimiter implements RateLimiter {
  readonly #inner: RateLimiter;
  readonly #onError: (error: unknown) => void;
  readonly #onStateChange: (failing: boolean, error?: unknown) => void;
  #failing = false;

  constructor(
    inner: RateLimiter,
    hooks: { onError?: (error: unknown) => void; onStateChange?: (failing: boolean, error?: unknown) => void } = {},
  ) {
    this.#inner = inner;
    this.#onError = hooks.onError ?? (() => {});
    this.#onStateChange = hooks.onStateChange ?? (() => {});
  }

  take(id: string, perMinute: number, amount: number): Promise<number> {
    return this.#guard(() => this.#inner.take(id, perMinute, amount), 0);
  }

  give(id: string, perMinute: number, amount: number): Promise<void> {
    return this.#guard(() => this.#inner.give(id, perMinute, amount), undefined);
  }

  async #guard<T>(call: () => Promise<T>, admitted: T): Promise<T> {
    try {
      const result = await call();
      if (this.#failing) {
        this.#failing = false;
        this.#onStateChange(false);
      }
      return result;
    } catch (error) {
      this.#onError(error);
      if (!this.#failing) {
        this.#failing = true;
        this.#onStateChange(true, error);
      }
      return admitted;
    }
  }
}
