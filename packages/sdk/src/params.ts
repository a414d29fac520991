// FOMO's protocol parameters (product.md §2-§3) in one place: the local deployment publishes these
// templates, and the docs quote them. On-chain, governance changes them within the registry's hard bounds.
import { usdToTokenUnits } from "./units.ts";

/** 1 FLOCK in wei. */
export const FLOCK = 10n ** 18n;
/** 1 $MT in wei. */
export const MT = 10n ** 18n;
/** Every $MT's fixed supply. */
export const TOTAL_SUPPLY = 1_000_000n * MT;
/** Basis points denominator. */
export const BPS = 10_000n;
/** One-time launch fee, never refunded. */
export const LAUNCH_FEE = 32_768n * FLOCK;
/** The issuer's bundled first buy vests linearly over this many seconds from graduation (Launchpad.FIRST_BUY_VESTING). */
export const FIRST_BUY_VESTING = 90n * 86_400n;
/** Most a raise's window can be extended by pauses (Launchpad.MAX_PAUSE_EXTENSION): a pause never holds refunds for ever. */
export const MAX_PAUSE_EXTENSION = 7n * 86_400n;

export interface SaleTerms {
  raiseMax: bigint;
  feeBps: number;
  creatorFeeShareBps: number;
  snipeFeeBps: number;
  snipeDecayBpsPerMinute: number;
  duration: number;
  firstBuyCapBps: number;
  raiseMin: bigint;
  priceRatioBps: number;
}

export interface Allocation {
  saleBps: number;
  liquidityBps: number;
  incentivesBps: number;
  operatorBps: number;
  treasuryBps: number;
  flockLiquidityBps: number;
  flockHostingBps: number;
  flockIncentivesBps: number;
  operatorCliff: number;
  operatorDuration: number;
  incentiveDuration: number;
}

const DAY = 86_400;

export const defaultSaleTerms: SaleTerms = {
  raiseMin: 200_000n * FLOCK,
  raiseMax: 1_000_000n * FLOCK,
  feeBps: 150, // 1.5% platform fee
  creatorFeeShareBps: 5_000, // half of it to the issuer
  snipeFeeBps: 9_900, // anti-snipe: 99% at open...
  snipeDecayBpsPerMinute: 100, // ...minus 1 point a minute
  duration: 7 * DAY,
  firstBuyCapBps: 2_500, // 250,000 $MT
  priceRatioBps: 90_000, // end price 9x start
};

export const defaultAllocation: Allocation = {
  saleBps: 4_000,
  liquidityBps: 2_000,
  incentivesBps: 2_000,
  operatorBps: 1_000,
  treasuryBps: 1_000,
  flockLiquidityBps: 5_000,
  flockHostingBps: 3_000,
  flockIncentivesBps: 2_000,
  operatorCliff: 90 * DAY,
  operatorDuration: 365 * DAY,
  incentiveDuration: 180 * DAY,
};

// ---------------------------------------------------------------- economic engine (product.md §4-§5)

/** Net revenue split (bps): $MT buyback & burn, issuer yield, FLOCK buyback & burn, treasury. */
export const defaultRevenueSplit = {
  mtBuybackBps: 5_000,
  issuerYieldBps: 2_000,
  flockBuybackBps: 1_500,
  treasuryBps: 1_500,
} as const;

/** The default buyback spend cap, in whole USD per target and interval. */
export const DEFAULT_BUYBACK_SPEND_USD = 10_000n;
/** BuybackExecutor's hard bound on the spend cap, in whole USD (MAX_SPEND_USD). */
export const MAX_BUYBACK_SPEND_USD = 1_000_000n;

/**
 * Buyback rate limit, TWAP bound and pool-depth bound for a settlement stablecoin of
 * `usdcDecimals` decimals: the spend cap is in that token's units (10,000 USD is 10^10 units of a
 * 6-decimal USDC, 10^22 of an 18-decimal one).
 */
export const defaultBuybackLimits = (usdcDecimals: number) => ({
  maxSpendPerInterval: usdToTokenUnits(DEFAULT_BUYBACK_SPEND_USD, usdcDecimals),
  interval: 3_600, // one buyback per target per hour
  maxDeviationBps: 200, // pool prices and the output at most 2% below their TWAP value
  // Each buyback adds at most 0.20% of a pool's reserve (BuybackExecutor.MAX_POOL_SHARE_BPS): its
  // price impact stays well under the fee of the cheapest V2 fork (PancakeSwap, 0.25%), so a
  // sandwich around it cannot pay for itself (at a share equal to the fee, one can).
  maxPoolShareBps: 20,
});

/** TWAP window of the buyback oracle (>= 30 minutes). */
export const TWAP_WINDOW = 1_800;
/**
 * Oldest observation a TWAP may start from (2 to 48 windows): 6 hours. Pools a buyback trades
 * through stay fresh on their own (the executor observes them); after a longer pause anyone calls
 * `update` and the buyback can run a window later.
 */
export const TWAP_MAX_AGE = 21_600;
/** Unstaking cooldown. */
export const STAKING_COOLDOWN = 7 * DAY;
/** Global FLOCK emission on day 0; halves every 180 days of the schedule (EmissionSchedule). */
export const INITIAL_EMISSION = 50_000n * FLOCK;
/**
 * Seconds per epoch, the EmissionSchedule's dayLength: a day in production, and the longest a schedule
 * accepts (its MAX_DAY_LENGTH). The chain's own is read with getEpochClock.
 */
export const EPOCH_SECONDS = DAY;
/**
 * The shortest epoch a schedule accepts (EmissionSchedule.MIN_DAY_LENGTH): a local stack may run
 * epochs this short (`fomo up --epoch-seconds 60`) so a demo sees several reports, roots and
 * emission days in minutes. Every day of the schedule counts, whatever its length: on 60-s days the
 * emission halves every 3 hours.
 */
export const MIN_EPOCH_SECONDS = 60;
/**
 * Seconds a posted reward root waits before claims may use it, during which the guardian may veto
 * it (RewardsDistributor's challengeDelay, bounded on-chain to 1 minute..7 days). Production: a day,
 * so governance can catch a root from a leaked keeper key; the guardian's veto path (multisig, or a
 * timelock with a shorter delay) must be faster than this.
 */
export const REWARDS_CHALLENGE_DELAY = DAY;
/** The local chain's challenge delay: short enough for demos and tests, still a real delay. */
export const LOCAL_REWARDS_CHALLENGE_DELAY = 60;
/**
 * λ of the gmFLOCK multiplier G = 1 + λ·g(gm) (product.md §5.2; rewardScores.ts `gmBoost`), 1e18 fixed
 * point: 0.6. It caps G below 1.6, so locking FLOCK lifts a user's rewards by at most 60%: usage stays
 * what earns, and a large lock cannot outweigh a heavier user's spend.
 */
export const GM_LAMBDA = 600_000_000_000_000_000n;
/**
 * gmFLOCK (18 decimals) at which g(gm) = gm / (gm + GM_HALF) reaches ½, half the boost: 10,000 gmFLOCK,
 * about 3,300 FLOCK locked for a year (gmFor). Saturating rather than linear, so a lock a regular user can
 * afford already counts, and the boost stops growing for whales instead of handing them the emission.
 */
export const GM_HALF = 10_000n * FLOCK;
/** Staker discount tiers on inference (product.md §4): staked $MT of the deployment -> discount bps. */
export const stakerDiscountTiers = [
  { minStake: 50_000n * MT, discountBps: 2_000 },
  { minStake: 10_000n * MT, discountBps: 1_000 },
  { minStake: 1_000n * MT, discountBps: 500 },
] as const;
