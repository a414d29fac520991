// FOMO's protocol parameters (FOMO.md §2-§3) in one place: the local deployment publishes these
// templates, and the docs quote them. On-chain, governance changes them within the registry's hard bounds.

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

/** Micro-USD per 1,000,000 tokens. */
export interface Pricing {
  inputPrice: bigint;
  outputPrice: bigint;
  inputMinPrice: bigint;
  outputMinPrice: bigint;
  inputCost: bigint;
  outputCost: bigint;
}

export interface TemplateSpec {
  baseModelId: string;
  hostingTier: string;
  sale: SaleTerms;
  allocation: Allocation;
  pricing: Pricing;
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

/** USD per 1M tokens to micro-USD per 1M tokens, from a decimal string (no floats near money). */
export function usdPerMillion(usd: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(usd);
  if (!m) throw new Error(`not a USD amount with at most 6 decimals: ${usd}`);
  return BigInt(m[1]!) * 1_000_000n + BigInt((m[2] ?? "").padEnd(6, "0"));
}

/** min price = 1.1 x hard cost, rounded up (FOMO.md §2). */
function pricing(inputCost: string, outputCost: string, inputPrice: string, outputPrice: string): Pricing {
  const inCost = usdPerMillion(inputCost);
  const outCost = usdPerMillion(outputCost);
  return {
    inputCost: inCost,
    outputCost: outCost,
    inputMinPrice: (inCost * 11n + 9n) / 10n,
    outputMinPrice: (outCost * 11n + 9n) / 10n,
    inputPrice: usdPerMillion(inputPrice),
    outputPrice: usdPerMillion(outputPrice),
  };
}

/** The catalog the local deployment publishes. */
export const defaultCatalog: TemplateSpec[] = [
  {
    // The tiny local model (../shared/models/stories260K.gguf) served by the local gateway.
    baseModelId: "stories-260k",
    hostingTier: "cpu-small",
    sale: defaultSaleTerms,
    allocation: defaultAllocation,
    pricing: pricing("0.02", "0.05", "0.20", "0.80"),
  },
  {
    baseModelId: "qwen3-30b-a3b-instruct",
    hostingTier: "gpu-a100",
    sale: defaultSaleTerms,
    allocation: defaultAllocation,
    pricing: pricing("0.08", "0.30", "0.20", "0.80"),
  },
];

// ---------------------------------------------------------------- economic engine (FOMO.md §4-§5)

/** Net revenue split (bps): $MT buyback & burn, issuer yield, FLOCK buyback & burn, treasury. */
export const defaultRevenueSplit = {
  mtBuybackBps: 5_000,
  issuerYieldBps: 2_000,
  flockBuybackBps: 1_500,
  treasuryBps: 1_500,
} as const;

/** USDC has 6 decimals. */
export const USDC = 10n ** 6n;

/** Buyback rate limit and TWAP bound. */
export const defaultBuybackLimits = {
  maxSpendPerInterval: 10_000n * USDC,
  interval: 3_600, // one buyback per target per hour
  maxDeviationBps: 200, // at most 2% below the TWAP
} as const;

/** TWAP window of the buyback oracle (>= 30 minutes). */
export const TWAP_WINDOW = 1_800;
/** Unstaking cooldown. */
export const STAKING_COOLDOWN = 7 * DAY;
/** Global FLOCK emission on day 0; halves every 180 days (EmissionSchedule). */
export const INITIAL_EMISSION = 50_000n * FLOCK;
/** Staker discount tiers on inference (FOMO.md §4): staked $MT of the deployment -> discount bps. */
export const stakerDiscountTiers = [
  { minStake: 50_000n * MT, discountBps: 2_000 },
  { minStake: 10_000n * MT, discountBps: 1_000 },
  { minStake: 1_000n * MT, discountBps: 500 },
] as const;
