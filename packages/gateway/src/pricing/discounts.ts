// The staker discount of a request: the stake, in $MT of the deployment served, of the wallets bound
// to the account. Stakes are read through StakeReader (the chain's MtStaking, or the read model under
// `fomo up`) and cached, so the hot path of a request does not wait on a read.
//
// With several wallets the account's stake is the LARGEST single wallet's stake, not the sum: stakes
// are cached per wallet for a TTL, so under a sum the same tokens unstaked from one bound wallet and
// restaked from another would count twice until the first wallet's cache expired. The largest stake
// cannot be inflated by moving tokens between wallets, and consolidating into one wallet gives the
// full discount.
import { discountBpsForStake, PLATFORM_DEPLOYMENT, type DiscountTier } from "@fomo/sdk";

// The platform's base models have no $MT, so no staker discount. The id is the SDK's; re-exported for
// the API until it imports it from there.
export { PLATFORM_DEPLOYMENT };

export interface StakeReader {
  /** Staked $MT (18 decimals) of `wallet` in the deployment whose token is `deployment`. */
  stakeOf(wallet: string, deployment: string): Promise<bigint>;
}

export interface StakeDiscountOptions {
  /** How long a stake read stays fresh (default 60 s). */
  ttlMs?: number;
  tiers?: readonly DiscountTier[];
  now?: () => number;
  /** A failed read: the last known stake is used while it exists, otherwise no discount. */
  onError?: (error: unknown, wallet: string, deployment: string) => void;
}

interface CacheEntry {
  stake: bigint;
  fetchedAt: number;
}

export class StakeDiscounts {
  readonly #reader: StakeReader;
  readonly #ttlMs: number;
  readonly #tiers: readonly DiscountTier[] | undefined;
  readonly #now: () => number;
  readonly #onError: StakeDiscountOptions["onError"];
  readonly #cache = new Map<string, CacheEntry>();
  /** One read in flight per (wallet, deployment), however many requests ask. */
  readonly #pending = new Map<string, Promise<bigint>>();

  constructor(reader: StakeReader, options: StakeDiscountOptions = {}) {
    this.#reader = reader;
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#tiers = options.tiers;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError;
  }

  /** Discount (bps) for a request of an account bound to `wallets` (maybe none) on `deployment`. */
  async discountBps(wallets: readonly string[], deployment: string): Promise<number> {
    if (wallets.length === 0 || deployment === PLATFORM_DEPLOYMENT) return 0;
    const stakes = await Promise.all(wallets.map((wallet) => this.stakeOf(wallet, deployment)));
    const largest = stakes.reduce((max, stake) => (stake > max ? stake : max), 0n);
    return discountBpsForStake(largest, this.#tiers);
  }

  /** The stake, cached; the reader always gets lower-case addresses. */
  async stakeOf(walletAddress: string, deploymentAddress: string): Promise<bigint> {
    const wallet = walletAddress.toLowerCase();
    const deployment = deploymentAddress.toLowerCase();
    const key = cacheKey(wallet, deployment);
    const cached = this.#cache.get(key);
    if (cached && this.#now() - cached.fetchedAt < this.#ttlMs) return cached.stake;
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = this.#read(key, wallet, deployment, cached).finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    return pending;
  }

  async #read(key: string, wallet: string, deployment: string, stale: CacheEntry | undefined): Promise<bigint> {
    try {
      const stake = await this.#reader.stakeOf(wallet, deployment);
      this.#cache.set(key, { stake, fetchedAt: this.#now() });
      return stake;
    } catch (error) {
      // Charging the list price is the safe side for the protocol; a stale stake is fairer to the user
      // and at most one TTL old. Failures are not cached: the next request tries again.
      this.#onError?.(error, wallet, deployment);
      return stale?.stake ?? 0n;
    }
  }

  /** Forget a cached stake (e.g. when the indexer reports a stake change). */
  invalidate(wallet: string, deployment: string): void {
    this.#cache.delete(cacheKey(wallet, deployment));
  }
}

/** Addresses are case-insensitive (EIP-55 checksums only change the case). */
function cacheKey(wallet: string, deployment: string): string {
  return `${wallet.toLowerCase()}:${deployment.toLowerCase()}`;
}
