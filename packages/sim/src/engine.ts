// One epoch's settlement as the keeper does it on chain, without a chain: the revenue report routed by
// RevenueRouter's split, then a buyback round — BuybackExecutor's $MT buyback (USDC → FLOCK → $MT) and
// FLOCK buyback (USDC → FLOCK) — each spending min(budget, cap, pool-depth limit), checked against the
// pools' TWAP bounds and swapped through the Uniswap V2 pools' constant product, burning what it buys.
// Every figure comes from the SDK's mirrors of those contracts (routeOf, reportAmountsOf,
// buybackDepthLimit, buybackSpend, quoteBuybackLocal, getAmountsOut), so a simulated epoch equals a real
// one to the wei given the same state (test/epoch.chain.test.ts checks it against the local stack).
import {
  buybackDepthLimit, buybackSpend, checkBuybackPrices, FomoRejection, quoteBuybackLocal, reportAmountsOf, routeOf, spotPriceX112,
  type BuybackLimits, type BuybackPool, type RevenueSplit, type Routed,
} from "@fomo/sdk";

/** The two pools a buyback trades through, as reserves. */
export interface Pools {
  /** The USDC/FLOCK pair (stablecoin units, FLOCK wei). */
  usdcFlock: { usdc: bigint; flock: bigint };
  /** The $MT/FLOCK pair the launchpad opened at graduation (FLOCK wei, $MT wei). */
  flockMt: { flock: bigint; mt: bigint };
}

/** The TWAPs a buyback is bounded by (TwapOracle.averagePrice of each hop's input token, UQ112x112). */
export interface Twaps {
  /** USDC's average price in FLOCK on the USDC/FLOCK pair. */
  usdcInFlock: bigint;
  /** FLOCK's average price in $MT on the $MT/FLOCK pair. */
  flockInMt: bigint;
}

/** The executor's USDC budgets (stablecoin units). */
export interface Budgets {
  mt: bigint;
  flock: bigint;
}

/** A buyback that ran (spent USDC, bought and burned tokens, the bound it met) or the executor's refusal. */
export type BuybackOutcome =
  | { executed: true; spent: bigint; bought: bigint; minOut: bigint }
  | { executed: false; refusal: string };

export interface BuybackRound {
  mt: BuybackOutcome;
  flock: BuybackOutcome;
}

/** The economic engine's parameters: the stablecoin, RevenueRouter's split and BuybackExecutor's limits. */
export interface EngineParameters {
  usdcDecimals: number;
  split: RevenueSplit;
  limits: BuybackLimits;
}

/** What the keeper's settlement of one epoch for the $MT did. */
export interface EpochSettlement {
  /** The report in stablecoin units (undefined: no revenue, nothing reported). */
  report: { gross: bigint; hardCost: bigint } | undefined;
  routed: Routed;
  round: BuybackRound;
  pools: Pools;
  budgets: Budgets;
}

const NO_REVENUE: Routed = { hardCost: 0n, mtBuyback: 0n, issuerYield: 0n, flockBuyback: 0n, treasury: 0n };

/** Each pool's spot price as its TWAP: the oracle's average when the pools have been quiet for a window. */
export function spotTwaps(pools: Pools): Twaps {
  return {
    usdcInFlock: spotPriceX112({ reserveIn: pools.usdcFlock.usdc, reserveOut: pools.usdcFlock.flock }),
    flockInMt: spotPriceX112({ reserveIn: pools.flockMt.flock, reserveOut: pools.flockMt.mt }),
  };
}

/**
 * One buyback along `hops` (BuybackExecutor._take then _swap): nothing to spend is refused
 * (BuybackExecutorNothingToSpend), so is a pool out of its TWAP bound or an output below the TWAP value;
 * a refusal changes nothing (the transaction reverts, the budget stays).
 */
function buyback(budget: bigint, hops: BuybackPool[], limits: BuybackLimits): { outcome: BuybackOutcome; amounts?: bigint[] } {
  if (budget === 0n) return { outcome: { executed: false, refusal: "BuybackExecutorNothingToSpend" } };
  try {
    // The executor checks the pools' bounds before it sizes the spend (_hops, then the depth limit).
    checkBuybackPrices(hops, limits.maxDeviationBps);
    const spend = buybackSpend(budget, limits, buybackDepthLimit(hops, limits.maxPoolShareBps));
    if (spend === 0n) return { outcome: { executed: false, refusal: "BuybackExecutorNothingToSpend" } };
    const { out, minOut, amounts } = quoteBuybackLocal(hops, spend, limits.maxDeviationBps);
    return { outcome: { executed: true, spent: spend, bought: out, minOut }, amounts };
  } catch (error) {
    if (error instanceof FomoRejection) return { outcome: { executed: false, refusal: error.revert.errorName } };
    throw error;
  }
}

/**
 * A buyback round: the $MT buyback, then the FLOCK buyback (the keeper's order), bounded by `twaps`. The
 * FLOCK buyback is bounded by the same TWAP as the $MT buyback: the oracle's average barely moves within
 * the seconds between the two (its output and spend do not depend on the TWAP, only its acceptance does).
 */
export function buybackRound(pools: Pools, budgets: Budgets, limits: BuybackLimits, twaps: Twaps = spotTwaps(pools)): { pools: Pools; budgets: Budgets; round: BuybackRound } {
  let { usdcFlock, flockMt } = pools;
  let { mt: mtBudget, flock: flockBudget } = budgets;
  const mtHops: BuybackPool[] = [
    { reserveIn: usdcFlock.usdc, reserveOut: usdcFlock.flock, averagePrice: twaps.usdcInFlock },
    { reserveIn: flockMt.flock, reserveOut: flockMt.mt, averagePrice: twaps.flockInMt },
  ];
  const mt = buyback(mtBudget, mtHops, limits);
  if (mt.outcome.executed) {
    const [spent, flockThrough, bought] = mt.amounts as [bigint, bigint, bigint];
    usdcFlock = { usdc: usdcFlock.usdc + spent, flock: usdcFlock.flock - flockThrough };
    flockMt = { flock: flockMt.flock + flockThrough, mt: flockMt.mt - bought };
    mtBudget -= spent;
  }
  const flockHops: BuybackPool[] = [{ reserveIn: usdcFlock.usdc, reserveOut: usdcFlock.flock, averagePrice: twaps.usdcInFlock }];
  const flock = buyback(flockBudget, flockHops, limits);
  if (flock.outcome.executed) {
    usdcFlock = { usdc: usdcFlock.usdc + flock.outcome.spent, flock: usdcFlock.flock - flock.outcome.bought };
    flockBudget -= flock.outcome.spent;
  }
  return { pools: { usdcFlock, flockMt }, budgets: { mt: mtBudget, flock: flockBudget }, round: { mt: mt.outcome, flock: flock.outcome } };
}

/**
 * The keeper's settlement of one epoch for one $MT: report the epoch's gross and hard cost (micro-USD, as
 * the ledger sums them) in stablecoin units when there is revenue, fund the executor's budgets with the
 * router's split, then one buyback round.
 */
export function settleEpoch(
  engine: EngineParameters,
  state: { pools: Pools; budgets: Budgets },
  usage: { grossMicroUsd: bigint; hardCostMicroUsd: bigint },
  twaps?: Twaps,
): EpochSettlement {
  const report = usage.grossMicroUsd > 0n ? reportAmountsOf(usage, engine.usdcDecimals) : undefined;
  const routed = report ? routeOf(report.gross, report.hardCost, engine.split) : NO_REVENUE;
  const funded = { mt: state.budgets.mt + routed.mtBuyback, flock: state.budgets.flock + routed.flockBuyback };
  const after = buybackRound(state.pools, funded, engine.limits, twaps ?? spotTwaps(state.pools));
  return { report, routed, ...after };
}
