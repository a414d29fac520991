// The simulation of one run, cadCAD-style: parameters (the Scenario), an initial state (the pools and
// buckets graduation leaves), and daily steps — each a sequence of policies (demand, the market, the
// keeper's settlement and buyback rounds, unlock sales, the epoch's rewards) whose signals the state
// updates apply. All amounts are integers (wei, stablecoin units, micro-USD) and every contract rule
// comes from the SDK's mirror of it: the curve (quoteBuy, feeBpsAt), the graduation split
// (allocateGraduation), prices (priceRequest), routing (routeOf), the buyback bounds and swaps
// (engine.ts), the emission (dailyEmission) and the epoch's rewards (computeEpochRewards, with ageFactor),
// the vesting and incentive releases (operatorVested, linearlyVested, lockedFirstBuy).
import {
  allocateGraduation, computeEpochRewards, dailyEmission, feeBpsAt, getAmountOut, linearlyVested, lockedFirstBuy, MT,
  operatorVested, priceRequest, quoteBuy, splitFees, supplyBucket, termsCurve, tokenUnitsToMicroUsd, TOTAL_SUPPLY, BPS,
  type CurveState, type EpochClock, type EpochDeployment, type GraduationAllocation, type TokenAmount,
} from "@fomo/sdk";
import type { Address } from "viem";
import { settleEpoch, buybackRound, spotTwaps, type BuybackOutcome, type Budgets, type EngineParameters, type Pools } from "./engine.ts";
import { scaleAmount, type Random } from "./random.ts";
import type { Scenario } from "./scenario.ts";

export const DAY = 86_400n;
/** The schedule's clock in the simulation: days of a day from unix time 0 (only differences matter). */
export const SIM_CLOCK: EpochClock = { start: 0n, length: DAY };

// Addresses standing for the simulated parties in the rewards computation (never on a chain).
export const SIM_FLOCK: Address = "0x00000000000000000000000000000000000f10c0";
export const SIM_MT: Address = "0x0000000000000000000000000000000000000a01";
const SIM_ISSUER: Address = "0x0000000000000000000000000000000000001551";
const SIM_USERS_WALLET: Address = "0x0000000000000000000000000000000000005e55";
const OTHER_MT: Address = "0x0000000000000000000000000000000000000a02";
const OTHER_ISSUER: Address = "0x0000000000000000000000000000000000001552";
const USERS = "users";
const OTHER_USERS = "other-users";

// ------------------------------------------------------------------ the raise

export interface RaiseOutcome {
  graduated: boolean;
  /** Net FLOCK in the curve at the end. */
  raised: bigint;
  buys: number;
  /** Seconds from launch to graduation (raiseMax reached, or the window's end), or to the failure. */
  duration: bigint;
  /** Base fees and anti-snipe surcharge paid (FLOCK wei). */
  baseFees: bigint;
  surcharge: bigint;
  /** The issuer's share of the settled base fees. */
  creatorFees: bigint;
  /** $MT of the issuer's first buy (vesting 90 days from graduation). */
  firstBuyMt: bigint;
}

/**
 * The raise: the issuer's first buy at launch (base fee, at most the first-buy cap), then supporters'
 * buys through the window — a Poisson number a day, log-normal sizes, at random moments after the
 * anti-snipe minutes (a buyer who can wait does not pay 99%) — each quoted by the curve exactly as the
 * launchpad does, until raiseMax (or its dust) graduates it or the window ends.
 */
export function simulateRaise(s: Scenario, rng: Random): RaiseOutcome {
  const curve = termsCurve(s.sale, s.allocation);
  const state: CurveState = { ...curve, feeBps: s.sale.feeBps, raised: 0n, raiseMax: s.sale.raiseMax };
  let baseFees = 0n;
  let surcharge = 0n;
  let buys = 0;
  let firstBuyMt = 0n;
  const apply = (q: ReturnType<typeof quoteBuy>) => {
    state.raised = q.raisedAfter;
    baseFees += q.baseFee;
    surcharge += q.surcharge;
    buys++;
  };
  if (s.raise.firstBuyFlock > 0n) {
    const q = quoteBuy(state, s.raise.firstBuyFlock, s.sale.feeBps);
    const cap = supplyBucket(s.sale.firstBuyCapBps);
    if (q.mtOut > cap) throw new RangeError(`raise.firstBuyFlock buys ${q.mtOut} $MT wei, above the first-buy cap ${cap} (LaunchpadFirstBuyTooLarge)`);
    firstBuyMt = q.mtOut;
    apply(q);
  }
  const window = BigInt(s.sale.duration);
  const snipeMinutes = Math.ceil((s.sale.snipeFeeBps - s.sale.feeBps) / s.sale.snipeDecayBpsPerMinute);
  const quiet = BigInt(Math.max(0, snipeMinutes) * 60);
  const days = Math.ceil(s.sale.duration / 86_400);
  let mean = s.raise.buysPerDay;
  const finish = (graduated: boolean, at: bigint): RaiseOutcome => ({
    graduated, raised: state.raised, buys, duration: at, baseFees, surcharge,
    creatorFees: splitFees(baseFees, s.sale.creatorFeeShareBps).creator, firstBuyMt,
  });
  for (let day = 0; day < days; day++) {
    const from = BigInt(day) * DAY > quiet ? BigInt(day) * DAY : quiet;
    const to = BigInt(day + 1) * DAY < window ? BigInt(day + 1) * DAY : window;
    const n = from < to ? rng.poisson(mean) : 0;
    const moments = Array.from({ length: n }, () => from + scaleAmount(to - from, rng.next())).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const at of moments) {
      const flockIn = scaleAmount(s.raise.buyFlockMedian, Math.exp(s.raise.buyFlockSigma * rng.normal()));
      if (flockIn === 0n) continue;
      const bps = feeBpsAt(s.sale.feeBps, s.sale.snipeFeeBps, s.sale.snipeDecayBpsPerMinute, at);
      const q = quoteBuy(state, flockIn, bps);
      if (q.mtOut === 0n && !q.graduates) continue; // the launchpad refuses it (LaunchpadInsufficientOutput)
      apply(q);
      if (q.graduates) return finish(true, at);
    }
    mean *= s.raise.buysDailyFactor;
  }
  return finish(state.raised >= s.sale.raiseMin, window);
}

// ------------------------------------------------------------------ the days after graduation

/** The state after a day (cadCAD's state variables); amounts are cumulative from graduation. */
export interface SimState {
  day: number;
  pools: Pools;
  budgets: Budgets;
  /** $MT burned: at graduation and by buybacks since. */
  mtBurned: bigint;
  flockBurned: bigint;
  /** Released from the $MT's incentive stream into the distributor. */
  incentiveReleased: { mt: bigint; flock: bigint };
  /** The rewards computation's dust, carried into the next epoch. */
  carry: TokenAmount[];
  /** What the users and the issuer earned so far. */
  usersFlock: bigint;
  usersMt: bigint;
  issuerBonusFlock: bigint;
  issuerYield: bigint;
  /** $MT that became free so far (operator vesting, the first buy, $MT rewards): the next day's unlock sale is of what is new. */
  unlocked: bigint;
}

/** One day's flows and its end-of-day stocks: the record the outputs are made of. */
export interface DayRecord {
  day: number;
  epoch: bigint;
  requests: number;
  grossMicroUsd: bigint;
  hardCostMicroUsd: bigint;
  /** The report in stablecoin units and its routing. */
  gross: bigint;
  mtBuybackFunded: bigint;
  flockBuybackFunded: bigint;
  issuerYield: bigint;
  treasury: bigint;
  hardCost: bigint;
  /** USDC spent by the day's buybacks and what they burned. */
  mtBuybackSpent: bigint;
  mtBurned: bigint;
  flockBuybackSpent: bigint;
  flockBurned: bigint;
  buybacksRefused: number;
  /** E(k), and what of it went to this $MT (issuer bonus included). */
  emission: bigint;
  mtEmission: bigint;
  ageFactor: bigint;
  usersFlock: bigint;
  usersMt: bigint;
  issuerBonus: bigint;
  unlockSold: bigint;
  /** FLOCK of the day's rewards sold into the USDC/FLOCK pool. */
  rewardSold: bigint;
  /** The issuer's operator $MT that vested today, and its day's income in micro-USD at the day's prices. */
  issuerVestedMt: bigint;
  issuerIncomeMicroUsd: bigint;
  /** End-of-day supply breakdown ($MT wei); the parts sum to TOTAL_SUPPLY. */
  supply: SupplyBreakdown;
  /** End-of-day prices: FLOCK wei per $MT, micro-USD per FLOCK and per $MT (rounded down). */
  mtPriceFlock: bigint;
  flockPriceMicroUsd: bigint;
  mtPriceMicroUsd: bigint;
  budgets: Budgets;
}

export interface SupplyBreakdown {
  totalSupply: bigint;
  burned: bigint;
  pool: bigint;
  vesting: bigint;
  incentives: bigint;
  treasury: bigint;
  circulating: bigint;
}

export interface RunResult {
  raise: RaiseOutcome;
  graduation: GraduationAllocation | undefined;
  days: DayRecord[];
}

/** Everything that stays fixed through a run's days once graduation happened. */
export interface RunContext {
  s: Scenario;
  engine: EngineParameters;
  graduation: GraduationAllocation;
  graduatedAt: bigint;
  firstBuyMt: bigint;
  firstEpoch: bigint;
}

const sumAmounts = (items: readonly bigint[]) => items.reduce((a, b) => a + b, 0n);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

export function engineParameters(s: Scenario): EngineParameters {
  const { maxSpendPerInterval, interval, maxDeviationBps, maxPoolShareBps } = s.buyback;
  return { usdcDecimals: s.usdcDecimals, split: s.split, limits: { maxSpendPerInterval, interval, maxDeviationBps, maxPoolShareBps } };
}

/** The state graduation leaves: the opened pool, the USDC/FLOCK pool of the scenario, empty budgets. */
export function initialState(s: Scenario, graduation: GraduationAllocation): SimState {
  return {
    day: 0,
    pools: { usdcFlock: { usdc: s.market.poolUsdc, flock: s.market.poolFlock }, flockMt: { flock: graduation.flockToPool, mt: graduation.mtToPool } },
    budgets: { mt: 0n, flock: 0n },
    mtBurned: graduation.mtBurned,
    flockBurned: 0n,
    incentiveReleased: { mt: 0n, flock: 0n },
    carry: [],
    usersFlock: 0n,
    usersMt: 0n,
    issuerBonusFlock: 0n,
    issuerYield: 0n,
    unlocked: 0n,
  };
}

/** The supply at `t`: what is burned, in the pool, vesting, in the incentive stream (or its dust), with the treasury, and the rest circulating. */
export function supplyAt(ctx: RunContext, state: SimState, t: bigint): SupplyBreakdown {
  const { graduation: g, graduatedAt } = ctx;
  const operatorLocked = g.mtToOperator - operatorVestedBy(ctx, t);
  const vesting = operatorLocked + lockedFirstBuy(ctx.firstBuyMt, Number(graduatedAt), t);
  const mtDust = state.carry.find((c) => c.token === SIM_MT)?.amount ?? 0n;
  const incentives = g.mtToIncentives - state.incentiveReleased.mt + mtDust;
  const totalSupply = TOTAL_SUPPLY - state.mtBurned;
  const pool = state.pools.flockMt.mt;
  const circulating = totalSupply - pool - vesting - incentives - g.mtToTreasury;
  return { totalSupply, burned: state.mtBurned, pool, vesting, incentives, treasury: g.mtToTreasury, circulating };
}

/** The issuer's operator $MT vested by `t` (VestingWalletCliff as OperatorVesting sets it up). */
function operatorVestedBy(ctx: RunContext, t: bigint): bigint {
  const { graduation: g, graduatedAt, s } = ctx;
  return operatorVested(g.mtToOperator, graduatedAt, BigInt(s.allocation.operatorCliff), BigInt(s.allocation.operatorDuration), t);
}

/** Free $MT at `t` that was locked at graduation: operator vesting vested, the first buy's unlocked part. */
function unlockedBy(ctx: RunContext, t: bigint): bigint {
  return operatorVestedBy(ctx, t) + ctx.firstBuyMt - lockedFirstBuy(ctx.firstBuyMt, Number(ctx.graduatedAt), t);
}

/** A constant-product trade: `amountIn` of the pool's `inSide` token in, the SDK's getAmountOut out. */
function swap<K extends string>(pool: Record<K, bigint>, inSide: K, outSide: K, amountIn: bigint): { pool: Record<K, bigint>; out: bigint } {
  if (amountIn === 0n) return { pool, out: 0n };
  const out = getAmountOut(amountIn, pool[inSide], pool[outSide]);
  return { pool: { ...pool, [inSide]: pool[inSide] + amountIn, [outSide]: pool[outSide] - out }, out };
}

/**
 * The outside market's move on both pools over a part of a day: a log-price step z ~ N(drift, σ) made by a
 * trade that would move a fee-free pool's price by e^z (buying with √e^z − 1 of the pool's quote side, or
 * selling the mirror amount). $MT sold this way comes out of circulation, at most what circulates.
 */
function marketMove(s: Scenario, pools: Pools, rng: Random, share: number, circulating: bigint): Pools {
  const step = (drift: number, sigma: number) => drift * share + sigma * Math.sqrt(share) * rng.normal();
  const grow = (z: number) => Math.exp(Math.abs(z) / 2) - 1;
  const zf = step(s.market.flockDrift, s.market.flockVolatility);
  const usdcFlock = zf >= 0
    ? swap(pools.usdcFlock, "usdc", "flock", scaleAmount(pools.usdcFlock.usdc, grow(zf))).pool
    : swap(pools.usdcFlock, "flock", "usdc", scaleAmount(pools.usdcFlock.flock, grow(zf))).pool;
  const zm = step(s.market.mtDrift, s.market.mtVolatility);
  const flockMt = zm >= 0
    ? swap(pools.flockMt, "flock", "mt", scaleAmount(pools.flockMt.flock, grow(zm))).pool
    : swap(pools.flockMt, "mt", "flock", min(circulating, scaleAmount(pools.flockMt.mt, grow(zm)))).pool;
  return { usdcFlock, flockMt };
}

/** End-of-day prices from the pools' reserves: FLOCK wei per whole $MT, micro-USD per whole FLOCK and $MT. */
export function pricesOf(pools: Pools, usdcDecimals: number) {
  const mtPriceFlock = (pools.flockMt.flock * MT) / pools.flockMt.mt;
  const flockPriceMicroUsd = tokenUnitsToMicroUsd((pools.usdcFlock.usdc * MT) / pools.usdcFlock.flock, usdcDecimals, "down");
  const mtPriceMicroUsd = tokenUnitsToMicroUsd((mtPriceFlock * pools.usdcFlock.usdc) / pools.usdcFlock.flock, usdcDecimals, "down");
  return { mtPriceFlock, flockPriceMicroUsd, mtPriceMicroUsd };
}

/** The day's paid requests: Poisson around a trend with a log-normal shock. */
function demandPolicy(s: Scenario, day: number, rng: Random) {
  const { requestsPerDay, dailyGrowth, volatility, inputTokens, outputTokens, discountBps } = s.demand;
  const mean = requestsPerDay * (1 + dailyGrowth) ** day * Math.exp(volatility * rng.normal() - (volatility * volatility) / 2);
  const requests = rng.poisson(mean);
  // Every request priced as the gateway does (rounded up once per request), so n equal requests cost n × one.
  const one = priceRequest(s.pricing, { inputTokens, outputTokens }, discountBps);
  return { requests, grossMicroUsd: BigInt(requests) * one.price, hardCostMicroUsd: BigInt(requests) * one.hardCost };
}

/** The epoch's rewards for the $MT and the rest of the protocol (computeEpochRewards), with the pool's release. */
function rewardsPolicy(ctx: RunContext, state: SimState, epoch: bigint, grossMicroUsd: bigint, end: bigint, circulating: bigint) {
  const { s, graduation: g, graduatedAt } = ctx;
  const deployments: EpochDeployment[] = [];
  let release = { mt: 0n, flock: 0n };
  // The keeper releases (and pays) a pool only for an $MT it reported: no revenue, no release that day.
  if (grossMicroUsd > 0n) {
    const duration = BigInt(s.allocation.incentiveDuration);
    release = {
      mt: linearlyVested(g.mtToIncentives, graduatedAt, duration, end) - state.incentiveReleased.mt,
      flock: linearlyVested(g.flockToIncentives, graduatedAt, duration, end) - state.incentiveReleased.flock,
    };
    const stake = ((circulating * BigInt(s.rewards.stakedBps)) / BPS) * SIM_CLOCK.length;
    deployments.push({
      mt: SIM_MT, issuer: SIM_ISSUER, graduatedAt, poolRelease: release,
      users: [{ account: USERS, wallet: SIM_USERS_WALLET, spend: grossMicroUsd, stake, gm: s.rewards.gm }],
    });
  }
  if (s.rewards.otherUsagePerDay > 0n) {
    const age = s.rewards.otherAgeDays * DAY;
    deployments.push({
      mt: OTHER_MT, issuer: OTHER_ISSUER, graduatedAt: graduatedAt > age ? graduatedAt - age : 0n, poolRelease: { mt: 0n, flock: 0n },
      users: [{ account: OTHER_USERS, wallet: null, spend: s.rewards.otherUsagePerDay, stake: 0n, gm: 0n }],
    });
  }
  const emission = dailyEmission(epoch);
  const rewards = computeEpochRewards({ epoch, clock: SIM_CLOCK, emission, flock: SIM_FLOCK, carry: state.carry, deployments });
  const paid = (account: string, token: Address) =>
    sumAmounts(rewards.allotments.filter((a) => a.account === account && a.token === token.toLowerCase()).map((a) => a.amount));
  const ours = rewards.perMt.find((m) => m.mt === SIM_MT.toLowerCase());
  return {
    emission,
    release,
    mtEmission: ours?.emission ?? 0n,
    ageFactor: ours?.ageFactor ?? 0n,
    usersFlock: paid(USERS, SIM_FLOCK),
    usersMt: paid(USERS, SIM_MT),
    issuerBonus: ours?.issuerBonus ?? 0n,
    carry: rewards.dust,
  };
}

/**
 * One day after graduation (epoch `firstEpoch + day` of the schedule): the partial state updates in order.
 * 1. demand → the epoch's gross and hard cost; 2. the keeper's settlement: report, routing, the first
 * buyback round; 3. the rest of the day's buyback rounds, each after a slice of the outside market's
 * move (the pools quiet for a TWAP window before each, so the TWAP is the spot price); 4. sales of the
 * $MT that unlocked today; 5. the epoch's rewards; then the end-of-day record.
 */
export function step(ctx: RunContext, state: SimState, rng: Random): { state: SimState; record: DayRecord } {
  const { s, engine } = ctx;
  const day = state.day;
  const epoch = ctx.firstEpoch + BigInt(day);
  const end = ctx.graduatedAt + BigInt(day + 1) * DAY;
  const circulatingAtStart = supplyAt(ctx, state, end - DAY).circulating;

  const demand = demandPolicy(s, day, rng);

  const settled = settleEpoch(engine, state, demand);
  let { pools, budgets } = settled;
  const rounds: BuybackOutcome[][] = [[settled.round.mt, settled.round.flock]];
  let circulating = circulatingAtStart;
  for (let r = 0; r < s.buyback.perDay; r++) {
    const before = pools.flockMt.mt;
    pools = marketMove(s, pools, rng, 1 / s.buyback.perDay, circulating);
    circulating += before - pools.flockMt.mt;
    if (r === 0) continue; // the keeper's round ran at the epoch's settlement
    const next = buybackRound(pools, budgets, engine.limits, spotTwaps(pools));
    ({ pools, budgets } = next);
    rounds.push([next.round.mt, next.round.flock]);
  }
  const executed = (pick: 0 | 1) => rounds.map((r) => r[pick]!).filter((o): o is Extract<BuybackOutcome, { executed: true }> => o.executed);
  const mtBuys = executed(0);
  const flockBuys = executed(1);
  const mtBurned = sumAmounts(mtBuys.map((o) => o.bought));
  const flockBurned = sumAmounts(flockBuys.map((o) => o.bought));

  // $MT unlocked today (vesting, the first buy, yesterday's $MT rewards) partly sold into the pool.
  const unlockedNow = unlockedBy(ctx, end) + state.usersMt;
  const newlyUnlocked = unlockedNow - state.unlocked;
  const free = supplyAt(ctx, { ...state, pools, mtBurned: state.mtBurned + mtBurned }, end).circulating;
  const unlockSold = min(free, (newlyUnlocked * BigInt(s.market.unlockSellBps)) / BPS);
  pools = { ...pools, flockMt: swap(pools.flockMt, "mt", "flock", unlockSold).pool };

  const afterTrades: SimState = { ...state, pools, budgets, mtBurned: state.mtBurned + mtBurned };
  const rewards = rewardsPolicy(ctx, afterTrades, epoch, demand.grossMicroUsd, end, supplyAt(ctx, afterTrades, end).circulating);

  // Part of the day's FLOCK rewards sold for USDC by those who earned them.
  const rewardSold = ((rewards.usersFlock + rewards.issuerBonus) * BigInt(s.market.rewardSellBps)) / BPS;
  pools = { ...pools, usdcFlock: swap(pools.usdcFlock, "flock", "usdc", rewardSold).pool };

  const next: SimState = {
    day: day + 1,
    pools,
    budgets,
    mtBurned: state.mtBurned + mtBurned,
    flockBurned: state.flockBurned + flockBurned,
    incentiveReleased: { mt: state.incentiveReleased.mt + rewards.release.mt, flock: state.incentiveReleased.flock + rewards.release.flock },
    carry: rewards.carry,
    usersFlock: state.usersFlock + rewards.usersFlock,
    usersMt: state.usersMt + rewards.usersMt,
    issuerBonusFlock: state.issuerBonusFlock + rewards.issuerBonus,
    issuerYield: state.issuerYield + settled.routed.issuerYield,
    unlocked: unlockedNow,
  };
  const prices = pricesOf(pools, s.usdcDecimals);
  const issuerVestedMt = operatorVestedBy(ctx, end) - operatorVestedBy(ctx, end - DAY);
  // The issuer's day in USD at the day's closing prices: its yield, its emission bonus, its vested $MT.
  const issuerIncomeMicroUsd = tokenUnitsToMicroUsd(settled.routed.issuerYield, s.usdcDecimals, "down")
    + (rewards.issuerBonus * prices.flockPriceMicroUsd) / MT
    + (issuerVestedMt * prices.mtPriceMicroUsd) / MT;
  const record: DayRecord = {
    day,
    epoch,
    requests: demand.requests,
    grossMicroUsd: demand.grossMicroUsd,
    hardCostMicroUsd: demand.hardCostMicroUsd,
    gross: settled.report?.gross ?? 0n,
    hardCost: settled.routed.hardCost,
    mtBuybackFunded: settled.routed.mtBuyback,
    flockBuybackFunded: settled.routed.flockBuyback,
    issuerYield: settled.routed.issuerYield,
    treasury: settled.routed.treasury,
    mtBuybackSpent: sumAmounts(mtBuys.map((o) => o.spent)),
    mtBurned,
    flockBuybackSpent: sumAmounts(flockBuys.map((o) => o.spent)),
    flockBurned,
    buybacksRefused: rounds.flat().filter((o) => !o.executed && o.refusal !== "BuybackExecutorNothingToSpend").length,
    emission: rewards.emission,
    mtEmission: rewards.mtEmission,
    ageFactor: rewards.ageFactor,
    usersFlock: rewards.usersFlock,
    usersMt: rewards.usersMt,
    issuerBonus: rewards.issuerBonus,
    unlockSold,
    rewardSold,
    issuerVestedMt,
    issuerIncomeMicroUsd,
    supply: supplyAt(ctx, next, end),
    ...prices,
    budgets,
  };
  return { state: next, record };
}

/** One run: the raise, then (if it graduated) `days` daily steps. */
export function simulateRun(s: Scenario, days: number, rng: Random): RunResult {
  const raise = simulateRaise(s, rng);
  if (!raise.graduated) return { raise, graduation: undefined, days: [] };
  const curve = termsCurve(s.sale, s.allocation);
  const graduation = allocateGraduation({ allocation: s.allocation, curve, raised: raise.raised, surcharge: raise.surcharge });
  // Graduation is placed at the start of the schedule's day `emissionDayAtGraduation`.
  const firstEpoch = s.rewards.emissionDayAtGraduation;
  const ctx: RunContext = {
    s, engine: engineParameters(s), graduation, graduatedAt: SIM_CLOCK.start + firstEpoch * DAY, firstBuyMt: raise.firstBuyMt, firstEpoch,
  };
  let state = initialState(s, graduation);
  const records: DayRecord[] = [];
  for (let d = 0; d < days; d++) {
    const out = step(ctx, state, rng);
    state = out.state;
    records.push(out.record);
  }
  return { raise, graduation, days: records };
}
