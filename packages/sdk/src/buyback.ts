// Typed actions on the buyback-and-burn executor and its TWAP oracle (product.md §5.1): anyone may
// trigger a buyback (USDC → FLOCK → $MT, or USDC → FLOCK) that burns what it buys, capped per
// interval and by the pools' depth, and refused when the DEX price or its output strays from the
// TWAP; anyone may record a TWAP observation. Reads of the budgets, limits and the least output a
// buyback accepts now, and the executor's bound math in bigint.
import type { Address, PublicClient } from "viem";
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
import { buybackExecutorAbi, twapOracleAbi } from "./generated/abis.ts";

export type BuybackRef = ContractRef<"buybackExecutor">;
export type TwapOracleRef = ContractRef<"twapOracle">;
const executorAddress = (ref: BuybackRef) => addressOf(ref, "buybackExecutor");
const oracleAddress = (ref: TwapOracleRef) => addressOf(ref, "twapOracle");

/** A buyback that ran: USDC spent, tokens bought (and burned), and the TWAP bound it had to meet. */
export type BuybackExecuted = EventArgsOf<typeof buybackExecutorAbi, "BuybackExecuted">;

function executed(address: Address, sent: Sent): Sent & BuybackExecuted {
  return { ...sent, ...theEventOf(buybackExecutorAbi, address, sent, "BuybackExecuted") };
}

/** Buys `mt` with up to one interval's cap of its budget (USDC → FLOCK → $MT) and burns it. Anyone may. */
export async function executeMtBuyback(
  clients: Clients,
  ref: BuybackRef,
  { mt }: { mt: Address },
  opts: WriteOptions = {},
): Promise<Sent & BuybackExecuted> {
  const address = executorAddress(ref);
  return executed(address, await write(clients, address, buybackExecutorAbi, "executeMtBuyback", [mt], opts));
}

/** Buys FLOCK with up to one interval's cap of the FLOCK budget and burns it. Anyone may. */
export async function executeFlockBuyback(clients: Clients, ref: BuybackRef, opts: WriteOptions = {}): Promise<Sent & BuybackExecuted> {
  const address = executorAddress(ref);
  return executed(address, await write(clients, address, buybackExecutorAbi, "executeFlockBuyback", [], opts));
}

/** The executor's USDC budgets: for `mt` (when given), for FLOCK, and in total. */
export interface Budgets {
  mt: bigint | undefined;
  flock: bigint;
  total: bigint;
}

export async function getBudgets(
  client: PublicClient,
  ref: BuybackRef,
  { mt, ...block }: { mt?: Address } & BlockOptions = {},
): Promise<Budgets> {
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

export async function getBuybackLimits(client: PublicClient, ref: BuybackRef, block: BlockOptions = {}): Promise<BuybackLimits> {
  const [maxSpendPerInterval, interval, maxDeviationBps, maxPoolShareBps] = await client.readContract({
    address: executorAddress(ref),
    abi: buybackExecutorAbi,
    functionName: "limits",
    ...block,
  });
  return { maxSpendPerInterval, interval, maxDeviationBps, maxPoolShareBps };
}

/** When `target` (an $MT, or the FLOCK token) was last bought back (0: never). */
export function getLastBuyback(
  client: PublicClient,
  ref: BuybackRef,
  { target, ...block }: { target: Address } & BlockOptions,
): Promise<bigint> {
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

/**
 * What a buyback of `amountIn` USDC along the route gets now, and its TWAP-valued minimum (see
 * {@link buybackMinOut}). Reverts BuybackExecutorPriceOutOfBounds when a pool is priced below its TWAP floor,
 * BuybackExecutorBelowTwapValue when `out < minOut`, TwapOracleNotReady or TwapOracleStale without a usable observation.
 */
export async function quoteBuyback(
  client: PublicClient,
  ref: BuybackRef,
  { amountIn, path, mt, ...block }: { amountIn: bigint } & RouteOptions & BlockOptions,
): Promise<BuybackQuote> {
  const address = executorAddress(ref);
  const route = await routeOf(client, address, { path, mt }, block);
  const [out, minOut] = await client.readContract({ address, abi: buybackExecutorAbi, functionName: "quote", args: [[...route], amountIn], ...block });
  return { out, minOut };
}

/**
 * The most one buyback along the route spends now (before its budget): the per-interval cap, or
 * less where a pool is too shallow for it (see {@link buybackDepthLimit}). Reverts like
 * {@link quoteBuyback} when a pool is out of bounds or its TWAP is not usable.
 */
export async function getSpendLimit(
  client: PublicClient,
  ref: BuybackRef,
  { path, mt, ...block }: RouteOptions & BlockOptions = {},
): Promise<bigint> {
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

/**
 * Records `pair`'s price accumulators now, unless its newest observation is younger than the
 * window (then nothing changes and `updated` is undefined). Anyone may.
 */
export async function updateTwap(
  clients: Clients,
  ref: TwapOracleRef,
  { pair }: { pair: Address },
  opts: WriteOptions = {},
): Promise<Sent & { updated?: EventArgsOf<typeof twapOracleAbi, "Updated"> }> {
  const address = oracleAddress(ref);
  const sent = await write(clients, address, twapOracleAbi, "update", [pair], opts);
  const [updated] = eventsOf(twapOracleAbi, address, sent.receipt.logs, "Updated");
  return { ...sent, updated };
}

/**
 * How much of the pair's other token `amountIn` of `tokenIn` buys at the average price since the
 * newest observation at least a window old (reverts TwapOracleNotReady when there is none).
 */
export function consultTwap(
  client: PublicClient,
  ref: TwapOracleRef,
  { pair, tokenIn, amountIn, ...block }: { pair: Address; tokenIn: Address; amountIn: bigint } & BlockOptions,
): Promise<bigint> {
  return client.readContract({ address: oracleAddress(ref), abi: twapOracleAbi, functionName: "consult", args: [pair, tokenIn, amountIn], ...block });
}

export interface Observation {
  price0Cumulative: bigint;
  price1Cumulative: bigint;
  /** 0: none yet */
  timestamp: number;
}

/** The pair's two observations: the average runs from the newest one at least a window old. */
export function getObservations(
  client: PublicClient,
  ref: TwapOracleRef,
  { pair, ...block }: { pair: Address } & BlockOptions,
): Promise<{ older: Observation; newer: Observation }> {
  return client.readContract({ address: oracleAddress(ref), abi: twapOracleAbi, functionName: "observations", args: [pair], ...block });
}

/** The oracle's shortest averaging window, in seconds. */
export function getTwapWindow(client: PublicClient, ref: TwapOracleRef): Promise<bigint> {
  return client.readContract({ address: oracleAddress(ref), abi: twapOracleAbi, functionName: "window" });
}
