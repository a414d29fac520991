// Typed actions on the buyback-and-burn executor and its TWAP oracle (FOMO.md §5.1): anyone may
// trigger a buyback (USDC → FLOCK → $MT, or USDC → FLOCK) that burns what it buys, capped per
// interval and refused when the DEX price strays from the TWAP; anyone may record a TWAP
// observation. Reads of the budgets, limits and the least output a buyback accepts now.
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

/** Spend cap per buyback, seconds between buybacks of a target, and the TWAP deviation bound. */
export interface BuybackLimits {
  maxSpendPerInterval: bigint;
  interval: number;
  maxDeviationBps: number;
}

export async function getBuybackLimits(client: PublicClient, ref: BuybackRef, block: BlockOptions = {}): Promise<BuybackLimits> {
  const [maxSpendPerInterval, interval, maxDeviationBps] = await client.readContract({
    address: executorAddress(ref),
    abi: buybackExecutorAbi,
    functionName: "limits",
    ...block,
  });
  return { maxSpendPerInterval, interval, maxDeviationBps };
}

/** When `target` (an $MT, or the FLOCK token) was last bought back (0: never). */
export function getLastBuyback(
  client: PublicClient,
  ref: BuybackRef,
  { target, ...block }: { target: Address } & BlockOptions,
): Promise<bigint> {
  return client.readContract({ address: executorAddress(ref), abi: buybackExecutorAbi, functionName: "lastExecutedAt", args: [target], ...block });
}

/**
 * What a buyback of `amountIn` USDC along `path` gets now: the exact router quote, after the
 * executor checked every pool on the path is priced within the deviation bound of its TWAP
 * (reverts PriceOutOfBounds or TwapNotReady otherwise). Without `path`: USDC → FLOCK → `mt` when
 * `mt` is given, else USDC → FLOCK.
 */
export async function quoteBuyback(
  client: PublicClient,
  ref: BuybackRef,
  { amountIn, path, mt, ...block }: { amountIn: bigint; path?: readonly Address[]; mt?: Address } & BlockOptions,
): Promise<bigint> {
  const address = executorAddress(ref);
  let route = path;
  if (!route) {
    const [usdc, flock] = await Promise.all([
      client.readContract({ address, abi: buybackExecutorAbi, functionName: "usdc", ...block }),
      client.readContract({ address, abi: buybackExecutorAbi, functionName: "flock", ...block }),
    ]);
    route = mt ? [usdc, flock, mt] : [usdc, flock];
  }
  return client.readContract({ address, abi: buybackExecutorAbi, functionName: "quote", args: [route, amountIn], ...block });
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
 * newest observation at least a window old (reverts TwapNotReady when there is none).
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
