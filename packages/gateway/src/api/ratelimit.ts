// Per-key RPM and TPM limits: token buckets in this process (capacity = the per-minute limit,
// refilled continuously). TPM takes the request's worst case (prompt + max_tokens) at admission and
// gets back what the request did not use once it is billed.
export interface Bucket {
  level: number;
  at: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Takes `amount` from the bucket `id` of `perMinute`; returns 0 when taken, else seconds until it could be. */
  take(id: string, perMinute: number, amount: number): number {
    const bucket = this.#refill(id, perMinute);
    if (amount <= bucket.level) {
      bucket.level -= amount;
      return 0;
    }
    const missing = amount - bucket.level;
    // More than a whole minute's allowance can never fit: say a minute, the client's 429 backoff decides.
    return amount > perMinute ? 60 : Math.ceil((missing * 60_000) / perMinute / 1000);
  }

  /** Gives back what a request took but did not use. */
  give(id: string, perMinute: number, amount: number): void {
    const bucket = this.#refill(id, perMinute);
    bucket.level = Math.min(perMinute, bucket.level + amount);
  }

  #refill(id: string, perMinute: number): Bucket {
    const now = this.#now();
    let bucket = this.#buckets.get(id);
    if (!bucket) {
      bucket = { level: perMinute, at: now };
      this.#buckets.set(id, bucket);
    }
    bucket.level = Math.min(perMinute, bucket.level + ((now - bucket.at) * perMinute) / 60_000);
    bucket.at = now;
    return bucket;
  }
}
