// Typed actions on the buyback-and-burn executor and its TWAP oracle (product.md §5.1): anyone may
// trigger a buyback (USDC → FLOCK → $MT, or USDC → FLOCK) that burns what it buys, capped per
// interval and by the pools' depth, and refused when the DEX price or its output strays from the
// TWAP; anyone may record a TWAP observation. Reads of the budgets, limits and the least output a
// buyback accepts now, and the executor's bound math in bigint.
import { zeroAddress, type Address, type PublicClient } from "viem";
import {
  addressOf,
  eventsOf,
  theEventOf,
  write,
  type BlockOptions,
  type Clients,
  type ContractRef,
  type EventArgsOf,
  type Sent,
  type WriteOptions,
} from "./client.ts";
import { FomoRejection } from "./errors.ts";
import { buybackExecutorAbi, twapOracleAbi } from "./generated/abis.ts";
import { getAmountsOut, spotPriceX112, type PoolReserves } from "./pool.ts";

export type BuybackRef = ContractRef<"buybackExecutor">;
export type TwapOracleRef = ContractRef<"twapOracle">;
const executorAddress = (ref: BuybackRef) => addressOf(ref, "buybackExecutor");
const oracleAddress = (ref: TwapOracleRef) => addressOf(ref, "twapOracle");

/** A buyback that ran: USDC spent, tokens bought (and burned), and the TWAP bound it had to meet. */
export type BuybackExecuted = EventArgsOf<typeof buybackExecutorAbi, "BuybackExecuted">;

function executed(address: Address, sent: Sent): Sent & BuybackExecuted {
  return { ...sent, ...theEventOf(buybackExecutorAbi, address, sent, "BuybackExecuted") };
}

/** Parameters of {@link executeMtBuyback}. */
export type ExecuteMtBuybackParameters = { mt: Address };
/** What {@link executeMtBuyback} returns. */
export type ExecuteMtBuybackReturnType = Sent & BuybackExecuted;

/**
 * Buys `mt` with up to one interval's cap of its budget (USDC → FLOCK → $MT) and burns it. Anyone may.
 *
 * @example
 * const { spent, bought } = await executeMtBuyback(clients, deployments, { mt });
 */
export async function executeMtBuyback(
  clients: Clients,
  ref: BuybackRef,
  { mt }: ExecuteMtBuybackParameters,
  opts: WriteOptions = {},
): Promise<ExecuteMtBuybackReturnType> {
  const address = executorAddress(ref);
  return executed(address, await write(clients, address, buybackExecutorAbi, "executeMtBuyback", [mt], opts));
}

/** Parameters of {@link executeFlockBuyback}: its write options only (the FLOCK buyback has no target to name). */
export type ExecuteFlockBuybackParameters = WriteOptions;
/** What {@link executeFlockBuyback} returns. */
export type ExecuteFlockBuybackReturnType = Sent & BuybackExecuted;

/**
 * Buys FLOCK with up to one interval's cap of the FLOCK budget and burns it. Anyone may.
 *
 * @example
 * const { spent, bought } = await executeFlockBuyback(clients, deployments);
 */
export async function executeFlockBuyback(
  clients: Clients,
  ref: BuybackRef,
  opts: ExecuteFlockBuybackParameters = {},
): Promise<ExecuteFlockBuybackReturnType> {
  const address = executorAddress(ref);
  return executed(address, await write(clients, address, buybackExecutorAbi, "executeFlockBuyback", [], opts));
}

/** The executor's USDC budgets: for `mt` (when given), for FLOCK, and in total. */
export interface Budgets {
  mt: bigint | undefined;
  flock: bigint;
  total: bigint;
}

/** Parameters of {@link getBudgets}. */
export type GetBudgetsParameters = { mt?: Address } & BlockOptions;
/** What {@link getBudgets} returns. */
export type GetBudgetsReturnType = Budgets;

/**
 * The USDC budgets of the executor: for `mt` (when given), for FLOCK, and in total.
 *
 * @example
 * const { mt: forMt, flock, total } = await getBudgets(publicClient, deployments, { mt });
 */
export async function getBudgets(
  client: PublicClient,
  ref: BuybackRef,
  { mt, ...block }: GetBudgetsParameters = {},
): Promise<GetBudgetsReturnType> {
  const address = executorAddress(ref);
  const [mtBudget, flock, total] = await Promise.all([
    mt === undefined ? undefined : client.readContract({ address, abi: buybackExecutorAbi, functionName: "mtBudget", args: [mt], ...block }),
    client.readContract({ address, abi: buybackExecutorAbi, functionName: "flockBudget", ...block }),
    client.readContract({ address, abi: buybackExecutorAbi, functionName: "budgeted", ...block }),
  ]);
  return { mt: mtBudget, flock, total };
}

/**
 * Spend cap per buyback, seconds between buybacks of a target, the TWAP deviation bound, and the
 * most of a pool's input reserve one buyback adds.
 */
export interface BuybackLimits {
  maxSpendPerInterval: bigint;
  interval: number;
  maxDeviationBps: number;
  maxPoolShareBps: number;
}

/** Parameters of {@link getBuybackLimits}. */
export type GetBuybackLimitsParameters = BlockOptions;
/** What {@link getBuybackLimits} returns. */
export type GetBuybackLimitsReturnType = BuybackLimits;

/**
 * The executor's limits in force (BuybackExecutor.limits).
 *
 * @example
 * const { maxSpendPerInterval, interval } = await getBuybackLimits(publicClient, deployments);
 */
export async function getBuybackLimits(
  client: PublicClient,
  ref: BuybackRef,
  block: GetBuybackLimitsParameters = {},
): Promise<GetBuybackLimitsReturnType> {
  const [maxSpendPerInterval, interval, maxDeviationBps, maxPoolShareBps] = await client.readContract({
    address: executorAddress(ref),
    abi: buybackExecutorAbi,
    functionName: "limits",
    ...block,
  });
  return { maxSpendPerInterval, interval, maxDeviationBps, maxPoolShareBps };
}

/** Parameters of {@link getLastBuyback}. */
export type GetLastBuybackParameters = { target: Address } & BlockOptions;
/** What {@link getLastBuyback} returns. */
export type GetLastBuybackReturnType = bigint;

/**
 * When `target` (an $MT, or the FLOCK token) was last bought back (0: never).
 *
 * @example
 * const at = await getLastBuyback(publicClient, deployments, { target: mt });
 */
export function getLastBuyback(
  client: PublicClient,
  ref: BuybackRef,
  { target, ...block }: GetLastBuybackParameters,
): Promise<GetLastBuybackReturnType> {
  return client.readContract({ address: executorAddress(ref), abi: buybackExecutorAbi, functionName: "lastExecutedAt", args: [target], ...block });
}

/** A buyback route: `path` as given, else USDC → FLOCK → `mt` when `mt` is given, else USDC → FLOCK. */
export interface RouteOptions {
  path?: readonly Address[];
  mt?: Address;
}

async function routeOf(client: PublicClient, address: Address, { path, mt }: RouteOptions, block: BlockOptions): Promise<readonly Address[]> {
  if (path) return path;
  const [usdc, flock] = await Promise.all([
    client.readContract({ address, abi: buybackExecutorAbi, functionName: "usdc", ...block }),
    client.readContract({ address, abi: buybackExecutorAbi, functionName: "flock", ...block }),
  ]);
  return mt ? [usdc, flock, mt] : [usdc, flock];
}

/** What a buyback gets (`out`, the router's exact quote) and the least it accepts (`minOut`). */
export interface BuybackQuote {
  out: bigint;
  minOut: bigint;
}

/** Parameters of {@link quoteBuyback}. */
export type QuoteBuybackParameters = { amountIn: bigint } & RouteOptions & BlockOptions;
/** What {@link quoteBuyback} returns. */
export type QuoteBuybackReturnType = BuybackQuote;

/**
 * What a buyback of `amountIn` USDC along the route gets now, and its TWAP-valued minimum (see
 * {@link buybackMinOut}). Reverts BuybackExecutorPriceOutOfBounds when a pool is priced below its TWAP floor,
 * BuybackExecutorBelowTwapValue when `out < minOut`, TwapOracleNotReady or TwapOracleStale without a usable observation.
 *
 * @example
 * const { out, minOut } = await quoteBuyback(publicClient, deployments, { amountIn: 100_000_000n, mt }); // 100 USDC of 6 decimals
 */
export async function quoteBuyback(
  client: PublicClient,
  ref: BuybackRef,
  { amountIn, path, mt, ...block }: QuoteBuybackParameters,
): Promise<QuoteBuybackReturnType> {
  const address = executorAddress(ref);
  const route = await routeOf(client, address, { path, mt }, block);
  const [out, minOut] = await client.readContract({ address, abi: buybackExecutorAbi, functionName: "quote", args: [[...route], amountIn], ...block });
  return { out, minOut };
}

/** Parameters of {@link getSpendLimit}. */
export type GetSpendLimitParameters = RouteOptions & BlockOptions;
/** What {@link getSpendLimit} returns. */
export type GetSpendLimitReturnType = bigint;

/**
 * The most one buyback along the route spends now (before its budget): the per-interval cap, or
 * less where a pool is too shallow for it (see {@link buybackDepthLimit}). Reverts like
 * {@link quoteBuyback} when a pool is out of bounds or its TWAP is not usable.
 *
 * @example
 * const limit = await getSpendLimit(publicClient, deployments, { mt });
 * const spend = buybackSpend(budget, limits, limit);
 */
export async function getSpendLimit(
  client: PublicClient,
  ref: BuybackRef,
  { path, mt, ...block }: GetSpendLimitParameters = {},
): Promise<GetSpendLimitReturnType> {
  const address = executorAddress(ref);
  const route = await routeOf(client, address, { path, mt }, block);
  return client.readContract({ address, abi: buybackExecutorAbi, functionName: "spendLimit", args: [[...route]], ...block });
}

// ------------------------------------------------------------------ the executor's bounds, in bigint

const BPS = 10_000n;
const Q112 = 1n << 112n;
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;

/** One pool of a buyback path: the hop's input-token reserve and the TWAP of that token (UQ112x112). */
export interface BuybackHop {
  reserveIn: bigint;
  averagePrice: bigint;
}

/**
 * The least output a buyback of `amountIn` accepts: `amountIn` carried along the path at each
 * pool's TWAP (`averagePrices`, UQ112x112, first hop first), less `maxDeviationBps`, rounded up at
 * every step (BuybackExecutor's `minOut`). A front-run can cost a buyback at most that tolerance.
 */
export function buybackMinOut(averagePrices: readonly bigint[], amountIn: bigint, maxDeviationBps: number): bigint {
  const value = averagePrices.reduce((amount, price) => ceilDiv(amount * price, Q112), amountIn);
  return ceilDiv(value * (BPS - BigInt(maxDeviationBps)), BPS);
}

/**
 * The largest path input a buyback may spend by pool depth: each hop adds at most
 * `maxPoolShareBps` of its input reserve, a later hop's cap carried back to the path's input at
 * the earlier hops' TWAPs, rounded down (BuybackExecutor's depth limit).
 */
export function buybackDepthLimit(hops: readonly BuybackHop[], maxPoolShareBps: number): bigint {
  let limit: bigint | undefined;
  for (let i = hops.length - 1; i >= 0; i--) {
    const cap = (hops[i]!.reserveIn * BigInt(maxPoolShareBps)) / BPS;
    limit = limit === undefined || cap < limit ? cap : limit;
    if (i > 0) limit = (limit * Q112) / hops[i - 1]!.averagePrice;
  }
  return limit ?? 0n;
}

/** What one buyback spends: its budget, at most the per-interval cap and the depth limit. */
export function buybackSpend(budget: bigint, limits: Pick<BuybackLimits, "maxSpendPerInterval">, depthLimit: bigint): bigint {
  return [budget, limits.maxSpendPerInterval, depthLimit].reduce((a, b) => (b < a ? b : a));
}

// ------------------------------------------------------------------ TWAP oracle

/** Parameters of {@link updateTwap}. */
export type UpdateTwapParameters = { pair: Address };
/** What {@link updateTwap} returns. */
export type UpdateTwapReturnType = Sent & { updated?: EventArgsOf<typeof twapOracleAbi, "Updated"> };

/**
 * Records `pair`'s price accumulators now, unless its newest observation is younger than the
 * window (then nothing changes and `updated` is undefined). Anyone may.
 *
 * @example
 * const { updated } = await updateTwap(clients, deployments, { pair }); // undefined: the newest observation is still fresh
 */
export async function updateTwap(
  clients: Clients,
  ref: TwapOracleRef,
  { pair }: UpdateTwapParameters,
  opts: WriteOptions = {},
): Promise<UpdateTwapReturnType> {
  const address = oracleAddress(ref);
  const sent = await write(clients, address, twapOracleAbi, "update", [pair], opts);
  const [updated] = eventsOf(twapOracleAbi, address, sent.receipt.logs, "Updated");
  return { ...sent, updated };
}

/** Parameters of {@link consultTwap}. */
export type ConsultTwapParameters = { pair: Address; tokenIn: Address; amountIn: bigint } & BlockOptions;
/** What {@link consultTwap} returns. */
export type ConsultTwapReturnType = bigint;

/**
 * How much of the pair's other token `amountIn` of `tokenIn` buys at the average price since the
 * newest observation at least a window old (reverts TwapOracleNotReady when there is none).
 *
 * @example
 * const flockOut = await consultTwap(publicClient, deployments, { pair, tokenIn: usdc, amountIn: 1_000_000n });
 */
export function consultTwap(
  client: PublicClient,
  ref: TwapOracleRef,
  { pair, tokenIn, amountIn, ...block }: ConsultTwapParameters,
): Promise<ConsultTwapReturnType> {
  return client.readContract({ address: oracleAddress(ref), abi: twapOracleAbi, functionName: "consult", args: [pair, tokenIn, amountIn], ...block });
}

export interface Observation {
  price0Cumulative: bigint;
  price1Cumulative: bigint;
  /** 0: none yet */
  timestamp: number;
}

/** Parameters of {@link getObservations}. */
export type GetObservationsParameters = { pair: Address } & BlockOptions;
/** What {@link getObservations} returns. */
export type GetObservationsReturnType = { older: Observation; newer: Observation };

/**
 * The pair's two observations: the average runs from the newest one at least a window old.
 *
 * @example
 * const { older, newer } = await getObservations(publicClient, deployments, { pair });
 */
export function getObservations(
  client: PublicClient,
  ref: TwapOracleRef,
  { pair, ...block }: GetObservationsParameters,
): Promise<GetObservationsReturnType> {
  return client.readContract({ address: oracleAddress(ref), abi: twapOracleAbi, functionName: "observations", args: [pair], ...block });
}

/** What {@link getTwapWindow} returns. */
export type GetTwapWindowReturnType = bigint;

/**
 * The oracle's shortest averaging window, in seconds.
 *
 * @example
 * const window = await getTwapWindow(publicClient, deployments); // 1_800n
 */
export function getTwapWindow(client: PublicClient, ref: TwapOracleRef): Promise<GetTwapWindowReturnType> {
  return client.readContract({ address: oracleAddress(ref), abi: twapOracleAbi, functionName: "window" });
}

/** One pool of a buyback path with both reserves: what {@link quoteBuybackLocal} needs to price the swap. */
export interface BuybackPool extends BuybackHop, PoolReserves {
  /** For the refusal's arguments only (BuybackExecutorPriceOutOfBounds names the pair and its input token). */
  pair?: Address;
  tokenIn?: Address;
}

/** The lowest spot price a pool may show before a buyback (UQ112x112): its TWAP less `maxDeviationBps`, rounded down. */
export function buybackPriceFloor(averagePrice: bigint, maxDeviationBps: number): bigint {
  return (averagePrice * (BPS - BigInt(maxDeviationBps))) / BPS;
}

/** What {@link quoteBuybackLocal} returns: the swap's amounts along the path and the bound it met. */
export interface LocalBuybackQuote extends BuybackQuote {
  /** getAmountsOut along the path: the spend first, the tokens bought last. */
  amounts: bigint[];
}

/**
 * What a buyback of `amountIn` does on pools in the given state, without a chain (BuybackExecutor._hops
 * and _quote, to the wei): every pool's spot price must be at least its TWAP floor, else it throws the
 * executor's BuybackExecutorPriceOutOfBounds; the swap's output (the router's getAmountsOut) must be at least
 * {@link buybackMinOut}, else BuybackExecutorBelowTwapValue. Pools are in path order, from the USDC side.
 *
 * @example
 * const { out, minOut } = quoteBuybackLocal([usdcFlockPool, flockMtPool], spend, limits.maxDeviationBps);
 */
export function quoteBuybackLocal(pools: readonly BuybackPool[], amountIn: bigint, maxDeviationBps: number): LocalBuybackQuote {
  checkBuybackPrices(pools, maxDeviationBps);
  const minOut = buybackMinOut(pools.map((p) => p.averagePrice), amountIn, maxDeviationBps);
  const amounts = getAmountsOut(amountIn, pools);
  const out = amounts.at(-1)!;
  if (out < minOut) throw new FomoRejection("BuybackExecutorBelowTwapValue", [out, minOut], `buyback output ${out} below its TWAP value ${minOut}`);
  return { out, minOut, amounts };
}

/**
 * Refuses, as BuybackExecutor._hops does before any buyback is sized, a pool whose spot price of its input
 * token is below its TWAP floor ({@link buybackPriceFloor}): throws BuybackExecutorPriceOutOfBounds.
 *
 * @example
 * checkBuybackPrices([usdcFlockPool, flockMtPool], limits.maxDeviationBps);
 */
export function checkBuybackPrices(pools: readonly BuybackPool[], maxDeviationBps: number): void {
  for (const pool of pools) {
    const spot = spotPriceX112(pool);
    const floor = buybackPriceFloor(pool.averagePrice, maxDeviationBps);
    if (spot < floor) {
      throw new FomoRejection(
        "BuybackExecutorPriceOutOfBounds",
        [pool.pair ?? zeroAddress, pool.tokenIn ?? zeroAddress, spot, floor],
        `pool price ${spot} below its TWAP floor ${floor} (UQ112x112)`,
      );
    }
  }
}
