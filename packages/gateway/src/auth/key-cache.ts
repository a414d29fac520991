// Keys recently authenticated, by hash: one ledger query per key and second instead of one per
// request. A revocation (or a new rate limit) therefore takes effect within KEY_CACHE_TTL_MS on the
// endpoints that only read; money never rests on this cache: Metering.reserve reads the key again,
// revoked or not and its spend cap, inside the transaction that holds the credits.
import { hashKey, type AuthenticatedKey, type Ledger } from "@fomo/ledger";

export const KEY_CACHE_TTL_MS = 1_000;
/** Beyond this many keys, the expired ones are dropped (and all of them if none has expired). */
const MAX_KEYS = 10_000;

export class KeyCache {
  readonly #ledger: Ledger;
  readonly #ttlMs: number;
  readonly #now: () => number;
  /** Only keys that authenticated: an unknown or revoked key is looked up every time. */
  readonly #keys = new Map<string, { key: AuthenticatedKey; until: number }>();
  /** Lookups under way, by hash: a burst of requests on a key not yet cached shares one. */
  readonly #lookups = new Map<string, Promise<AuthenticatedKey>>();

  constructor(ledger: Ledger, { ttlMs = KEY_CACHE_TTL_MS, now = performance.now.bind(performance) }: { ttlMs?: number; now?: () => number } = {}) {
    this.#ledger = ledger;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** The key if it authenticated less than ttlMs ago (no ledger query). */
  cached(rawKey: string): AuthenticatedKey | undefined {
    const cached = this.#keys.get(hashKey(rawKey));
    return cached && cached.until > this.#now() ? cached.key : undefined;
  }

  /** The lookup of this key already under way, if any: joining it costs no ledger query. */
  lookup(rawKey: string): Promise<AuthenticatedKey> | undefined {
    return this.#lookups.get(hashKey(rawKey));
  }

  /** ApiKeys.authenticate, answered from the cache for up to ttlMs after the key's last lookup. */
  async authenticate(rawKey: string): Promise<AuthenticatedKey> {
    const hash = hashKey(rawKey);
    const cached = this.#keys.get(hash);
    if (cached && cached.until > this.#now()) return cached.key;
    let lookup = this.#lookups.get(hash);
    if (!lookup) {
      lookup = this.#ledger.keys.authenticate(rawKey).finally(() => this.#lookups.delete(hash));
      this.#lookups.set(hash, lookup);
    }
    const key = await lookup;
    if (this.#keys.size >= MAX_KEYS) this.#dropExpired();
    this.#keys.set(hash, { key, until: this.#now() + this.#ttlMs });
    return key;
  }

  #dropExpired(): void {
    const now = this.#now();
    for (const [hash, { until }] of this.#keys) if (until <= now) this.#keys.delete(hash);
    if (this.#keys.size >= MAX_KEYS) this.#keys.clear();
  }
}
