// The simulator's parameters (cadCAD's "params"): what a scenario file says, read into exact integers.
// Token amounts are written as decimal strings of whole tokens ("2000", "0.5") and USD amounts as
// decimal strings of dollars: they become wei / micro-USD through viem's parseUnits and the SDK's
// parseUsd, never through a float. Shape parameters of the random models (rates, volatilities) are
// plain numbers. Every field is optional in the file; what it leaves out is the default scenario's
// (packages/sim/scenarios/default.json, documented in docs/simulator.md).
import {
  checkSplit, defaultCatalog, defaultRevenueSplit, microUsdToTokenUnits, parseUsd, usdToTokenUnits,
  type Allocation, type Pricing, type RevenueSplit, type SaleTerms,
} from "@fomo/sdk";
import { parseUnits } from "viem";

/** A scenario file that cannot be read: the message names the field. */
export class ScenarioError extends Error {
  override name = "ScenarioError";
}

export interface RaiseParameters {
  /** FLOCK (wei) of the issuer's first buy at launch (0: none); its $MT vest over 90 days from graduation. */
  firstBuyFlock: bigint;
  /** Mean number of supporters' buys on the first day of the window (Poisson). */
  buysPerDay: number;
  /** Each later day's mean is the day before's times this (interest fading, or building). */
  buysDailyFactor: number;
  /** Median FLOCK (wei) of one buy; sizes are log-normal around it. */
  buyFlockMedian: bigint;
  /** σ of the log of a buy's size. */
  buyFlockSigma: number;
}

export interface DemandParameters {
  /** Mean paid requests on the first day after graduation. */
  requestsPerDay: number;
  /** Daily growth of the mean (0.01: +1% a day; negative: decline). */
  dailyGrowth: number;
  /** σ of the daily log-normal shock on the mean. */
  volatility: number;
  /** Tokens of one request, priced with the template's prices (the SDK's priceRequest, rounded up per request). */
  inputTokens: bigint;
  outputTokens: bigint;
  /** Staker discount the average request gets (basis points; 0 to 2,000 on the default tiers). */
  discountBps: number;
}

export interface MarketParameters {
  /** The USDC/FLOCK pool at graduation (wei and stablecoin units). */
  poolFlock: bigint;
  poolUsdc: bigint;
  /** σ and drift of FLOCK's daily log price move, made by outside trades on the USDC/FLOCK pool. */
  flockVolatility: number;
  flockDrift: number;
  /** σ and drift of $MT's daily log price move from outside traders on its pool (before buybacks and unlock sales). */
  mtVolatility: number;
  mtDrift: number;
  /** Share (bps) of each day's newly unlocked $MT (vesting, first buy, $MT rewards) sold into the pool that day. */
  unlockSellBps: number;
  /** Share (bps) of each day's FLOCK rewards (users' and the issuer's) sold into the USDC/FLOCK pool that day. */
  rewardSellBps: number;
}

export interface BuybackParameters {
  /** Buyback rounds a day ($MT then FLOCK): the keeper's one per epoch, and anyone's up to one per interval. */
  perDay: number;
  /** BuybackExecutor.Limits, the cap in stablecoin units. */
  maxSpendPerInterval: bigint;
  interval: number;
  maxDeviationBps: number;
  maxPoolShareBps: number;
}

export interface RewardParameters {
  /** The EmissionSchedule's day on which the offering graduates (its first day after the raise). */
  emissionDayAtGraduation: bigint;
  /** Micro-USD a day spent on the protocol's other deployments: they share the emission. */
  otherUsagePerDay: bigint;
  /** Their age in days at graduation (their ageFactor falls as ours does). */
  otherAgeDays: bigint;
  /** Share (bps) of circulating $MT its users keep staked (their incentive score). */
  stakedBps: number;
  /** gmFLOCK (wei) the users hold on average (their boost G). */
  gm: bigint;
}

export interface Scenario {
  /** The catalog template (base model id) whose terms and prices the offering uses. */
  template: string;
  sale: SaleTerms;
  allocation: Allocation;
  pricing: Pricing;
  usdcDecimals: number;
  split: RevenueSplit;
  raise: RaiseParameters;
  demand: DemandParameters;
  market: MarketParameters;
  buyback: BuybackParameters;
  rewards: RewardParameters;
  /** Defaults of the command line's --days, --runs, --seed. */
  days: number;
  runs: number;
  seed: number;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Reads one section: each known field through its reader, an unknown field refused (a typo must not pass silently). */
function section<T>(value: unknown, where: string, fields: { [K in keyof T]: (v: unknown, name: string) => T[K] }, base: T): T {
  if (value === undefined) return base;
  if (!isObject(value)) throw new ScenarioError(`${where}: expected an object`);
  const out = { ...base };
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith("$")) continue; // "$comment" and the like document the file
    if (!(key in fields)) throw new ScenarioError(`${where}.${key}: unknown field (known: ${Object.keys(fields).join(", ")})`);
    out[key as keyof T] = fields[key as keyof T](v, `${where}.${key}`);
  }
  return out;
}

const number = (least: number, most: number) => (v: unknown, name: string): number => {
  if (typeof v !== "number" || !Number.isFinite(v) || v < least || v > most) throw new ScenarioError(`${name}: expected a number from ${least} to ${most}, got ${JSON.stringify(v)}`);
  return v;
};
const integer = (least: number, most: number) => (v: unknown, name: string): number => {
  const n = number(least, most)(v, name);
  if (!Number.isInteger(n)) throw new ScenarioError(`${name}: expected a whole number, got ${n}`);
  return n;
};
const decimal = (v: unknown, name: string): string => {
  if (typeof v !== "string" || !/^\d+(\.\d+)?$/.test(v)) throw new ScenarioError(`${name}: expected a decimal string like "2000" or "0.5", got ${JSON.stringify(v)}`);
  return v;
};
/** Whole tokens of 18 decimals (FLOCK, $MT, gmFLOCK) to wei, exactly. */
const tokens = (v: unknown, name: string): bigint => {
  const text = decimal(v, name);
  if ((text.split(".")[1]?.length ?? 0) > 18) throw new ScenarioError(`${name}: more than 18 decimals`);
  return parseUnits(text, 18);
};
const usd = (v: unknown, name: string): bigint => {
  try {
    return parseUsd(decimal(v, name));
  } catch (e) {
    throw new ScenarioError(`${name}: ${(e as Error).message}`);
  }
};
const wholeBig = (v: unknown, name: string): bigint => BigInt(integer(0, 1e9)(v, name));
const bps = integer(0, 10_000);

/** The default scenario's values; scenarios/default.json states the same (a test checks they agree). */
export function defaultScenario(): Scenario {
  const template = defaultCatalog[0]!;
  const usdcDecimals = 6;
  return {
    template: template.baseModelId,
    sale: { ...template.sale },
    allocation: { ...template.allocation },
    pricing: { ...template.pricing },
    usdcDecimals,
    split: { ...defaultRevenueSplit },
    raise: { firstBuyFlock: 20_000n * 10n ** 18n, buysPerDay: 60, buysDailyFactor: 0.85, buyFlockMedian: 2_000n * 10n ** 18n, buyFlockSigma: 1.2 },
    demand: { requestsPerDay: 1_000_000, dailyGrowth: 0.01, volatility: 0.25, inputTokens: 1_500n, outputTokens: 500n, discountBps: 0 },
    market: {
      poolFlock: 20_000_000n * 10n ** 18n, poolUsdc: usdToTokenUnits(1_000_000n, usdcDecimals),
      flockVolatility: 0.04, flockDrift: 0, mtVolatility: 0.06, mtDrift: 0, unlockSellBps: 3_000, rewardSellBps: 5_000,
    },
    buyback: { perDay: 24, maxSpendPerInterval: usdToTokenUnits(10_000n, usdcDecimals), interval: 3_600, maxDeviationBps: 200, maxPoolShareBps: 20 },
    rewards: { emissionDayAtGraduation: 30n, otherUsagePerDay: parseUsd("2000"), otherAgeDays: 60n, stakedBps: 3_000, gm: 0n },
    days: 180,
    runs: 100,
    seed: 1,
  };
}

/** A scenario file's JSON, over the defaults. Refuses, naming the field, anything it cannot read exactly. */
export function parseScenario(json: unknown): Scenario {
  const base = defaultScenario();
  if (!isObject(json)) throw new ScenarioError("scenario: expected a JSON object");
  const known = new Set(["template", "usdcDecimals", "sale", "split", "raise", "demand", "market", "buyback", "rewards", "days", "runs", "seed"]);
  for (const key of Object.keys(json)) {
    if (!key.startsWith("$") && !known.has(key)) throw new ScenarioError(`${key}: unknown field (known: ${[...known].join(", ")})`);
  }
  let s = base;
  if (json.template !== undefined) {
    const t = defaultCatalog.find((c) => c.baseModelId === json.template);
    if (!t) throw new ScenarioError(`template: unknown template ${JSON.stringify(json.template)} (known: ${defaultCatalog.map((c) => c.baseModelId).join(", ")})`);
    s = { ...s, template: t.baseModelId, sale: { ...t.sale }, allocation: { ...t.allocation }, pricing: { ...t.pricing } };
  }
  const usdcDecimals = json.usdcDecimals === undefined ? s.usdcDecimals : integer(6, 18)(json.usdcDecimals, "usdcDecimals");
  // Stablecoin amounts are read as USD and converted once the decimals are known (exact: ≥ 6 decimals).
  const units = (v: unknown, name: string) => microUsdToTokenUnits(usd(v, name), usdcDecimals);
  const sale = section<SaleTerms>(json.sale, "sale", {
    raiseMax: tokens, raiseMin: tokens, feeBps: bps, creatorFeeShareBps: bps, snipeFeeBps: bps,
    snipeDecayBpsPerMinute: integer(1, 10_000), duration: integer(86_400, 30 * 86_400), firstBuyCapBps: bps, priceRatioBps: integer(10_100, 1_000_000),
  }, s.sale);
  if (sale.raiseMin > sale.raiseMax || sale.raiseMin === 0n) throw new ScenarioError("sale: raiseMin must be positive and at most raiseMax");
  const split = section<RevenueSplit>(json.split, "split", { mtBuybackBps: bps, issuerYieldBps: bps, flockBuybackBps: bps, treasuryBps: bps }, s.split);
  try {
    checkSplit(split);
  } catch (e) {
    throw new ScenarioError(`split: out of the RevenueRouter's bounds (${(e as Error).message})`);
  }
  const market = section<MarketParameters>(json.market, "market", {
    poolFlock: tokens, poolUsdc: units, flockVolatility: number(0, 1), flockDrift: number(-0.5, 0.5), mtVolatility: number(0, 1),
    mtDrift: number(-0.5, 0.5), unlockSellBps: bps, rewardSellBps: bps,
  }, json.usdcDecimals === undefined ? s.market : { ...s.market, poolUsdc: usdToTokenUnits(1_000_000n, usdcDecimals) });
  if (market.poolFlock === 0n || market.poolUsdc === 0n) throw new ScenarioError("market: the USDC/FLOCK pool needs both sides");
  const buyback = section<BuybackParameters>(json.buyback, "buyback", {
    perDay: integer(1, 1_440), maxSpendPerInterval: units, interval: integer(60, 86_400), maxDeviationBps: integer(10, 1_000), maxPoolShareBps: integer(1, 20),
  }, json.usdcDecimals === undefined ? s.buyback : { ...s.buyback, maxSpendPerInterval: usdToTokenUnits(10_000n, usdcDecimals) });
  if (buyback.perDay * buyback.interval > 86_400) throw new ScenarioError(`buyback.perDay: at most ${Math.floor(86_400 / buyback.interval)} rounds a day fit an interval of ${buyback.interval} s`);
  if (2 * (30 + buyback.maxPoolShareBps) > buyback.maxDeviationBps) throw new ScenarioError("buyback.maxPoolShareBps: 2 × (0.3% + share) must fit in maxDeviationBps, as BuybackExecutor.setLimits requires");
  return {
    template: s.template,
    sale,
    allocation: s.allocation,
    pricing: s.pricing,
    usdcDecimals,
    split,
    raise: section<RaiseParameters>(json.raise, "raise", {
      firstBuyFlock: tokens, buysPerDay: number(0, 100_000), buysDailyFactor: number(0, 10), buyFlockMedian: tokens, buyFlockSigma: number(0, 5),
    }, s.raise),
    demand: section<DemandParameters>(json.demand, "demand", {
      requestsPerDay: number(0, 1e9), dailyGrowth: number(-0.5, 0.5), volatility: number(0, 3), inputTokens: wholeBig, outputTokens: wholeBig, discountBps: integer(0, 10_000),
    }, s.demand),
    market,
    buyback,
    rewards: section<RewardParameters>(json.rewards, "rewards", {
      emissionDayAtGraduation: wholeBig, otherUsagePerDay: usd, otherAgeDays: wholeBig, stakedBps: bps, gm: tokens,
    }, s.rewards),
    days: json.days === undefined ? s.days : integer(1, 3_650)(json.days, "days"),
    runs: json.runs === undefined ? s.runs : integer(1, 100_000)(json.runs, "runs"),
    seed: json.seed === undefined ? s.seed : integer(0, 2 ** 32 - 1)(json.seed, "seed"),
  };
}
