// Typed actions on RevenueRouter (product.md §5.1): the keeper reports an $MT's revenue for an epoch
// and the router splits the USDC on-chain; the issuer claims its yield; reads of a report, of the
// split and of how an amount would be routed. `routeOf` in routing.ts computes the same split
// without a call.
import { zeroHash, type Address, type Hex, type PublicClient } from "viem";
import {
  addressOf,
  theEventOf,
  write,
  type BlockOptions,
  type Clients,
  type ContractRef,
  type EventArgsOf,
  type Sent,
  type WriteOptions,
} from "./client.ts";
import { revenueRouterAbi } from "./generated/abis.ts";
import type { RevenueSplit, Routed } from "./routing.ts";
import { ensureAllowance, type Approval } from "./tokens.ts";
import { microUsdToTokenUnits } from "./units.ts";

export type RevenueRouterRef = ContractRef<"revenueRouter">;
const routerAddress = (ref: RevenueRouterRef) => addressOf(ref, "revenueRouter");

/** A stored report (gross 0: not reported). */
export interface RevenueReport {
  gross: bigint;
  hardCost: bigint;
  usageRoot: Hex;
}

export interface ReportRevenueParameters {
  epoch: bigint;
  mt: Address;
  /** Gross revenue in USDC units (10^usdcDecimals per USD), pulled from the signer: see reportAmountsOf. */
  gross: bigint;
  /** Hard cost in USDC units, paid on to the hosting payee. */
  hardCost: bigint;
  /** Root of the epoch's usage receipts (zero if none is committed). */
  usageRoot?: Hex;
  /** How to get the USDC allowance when it is short (default: approve exactly `gross`). */
  approval?: Approval;
}

/**
 * An epoch's gross and hard cost as the gateway's ledger sums them (micro-USD) in the token units
 * reportRevenue takes, for a stablecoin of `usdcDecimals` decimals. Exact: every supported
 * stablecoin has at least the micro-USD's 6 decimals, so nothing is rounded away from the split.
 */
export function reportAmountsOf(
  usage: { grossMicroUsd: bigint; hardCostMicroUsd: bigint },
  usdcDecimals: number,
): { gross: bigint; hardCost: bigint } {
  return {
    gross: microUsdToTokenUnits(usage.grossMicroUsd, usdcDecimals),
    hardCost: microUsdToTokenUnits(usage.hardCostMicroUsd, usdcDecimals),
  };
}

/** What {@link reportRevenue} returns. */
export type ReportRevenueReturnType = Sent & { reported: EventArgsOf<typeof revenueRouterAbi, "RevenueReported"> };

/**
 * Reports and routes `mt`'s revenue for `epoch` (keeper role). Pulls `gross` USDC from the signer.
 *
 * @example
 * const { gross, hardCost } = reportAmountsOf({ grossMicroUsd, hardCostMicroUsd }, deployments.usdcDecimals);
 * const { reported } = await reportRevenue(keeperClients, deployments, { epoch: epochOf(clock, dayStart), mt, gross, hardCost, usageRoot });
 */
export async function reportRevenue(
  clients: Clients,
  ref: RevenueRouterRef,
  { epoch, mt, gross, hardCost, usageRoot = zeroHash, approval }: ReportRevenueParameters,
  opts: WriteOptions = {},
): Promise<ReportRevenueReturnType> {
  const address = routerAddress(ref);
  const usdc = await clients.public.readContract({ address, abi: revenueRouterAbi, functionName: "usdc" });
  await ensureAllowance(clients, { token: usdc, spender: address, amount: gross, approval }, opts);
  const sent = await write(clients, address, revenueRouterAbi, "reportRevenue", [epoch, mt, gross, hardCost, usageRoot], opts);
  return { ...sent, reported: theEventOf(revenueRouterAbi, address, sent, "RevenueReported") };
}

/** Parameters of {@link claimYield}. */
export type ClaimYieldParameters = { mt: Address };
/** What {@link claimYield} returns. */
export type ClaimYieldReturnType = Sent & { issuer: Address; amount: bigint };

/**
 * Pays the issuer (the signer) of `mt` its accumulated yield.
 *
 * @example
 * const { amount } = await claimYield(issuerClients, deployments, { mt });
 */
export async function claimYield(
  clients: Clients,
  ref: RevenueRouterRef,
  { mt }: ClaimYieldParameters,
  opts: WriteOptions = {},
): Promise<ClaimYieldReturnType> {
  const address = routerAddress(ref);
  const sent = await write(clients, address, revenueRouterAbi, "claimYield", [mt], opts);
  const ev = theEventOf(revenueRouterAbi, address, sent, "YieldClaimed");
  return { ...sent, issuer: ev.issuer, amount: ev.amount };
}

/** Parameters of {@link routeOfOnChain}. */
export type RouteOfOnChainParameters = { gross: bigint; hardCost: bigint } & BlockOptions;
/** What {@link routeOfOnChain} returns. */
export type RouteOfOnChainReturnType = Routed;

/**
 * RevenueRouter.routeOf: how `gross` with `hardCost` is routed under the split on chain.
 *
 * @example
 * const routed = await routeOfOnChain(publicClient, deployments, { gross, hardCost }); // equals routeOf(gross, hardCost, split)
 */
export function routeOfOnChain(
  client: PublicClient,
  ref: RevenueRouterRef,
  { gross, hardCost, ...block }: RouteOfOnChainParameters,
): Promise<RouteOfOnChainReturnType> {
  return client.readContract({ address: routerAddress(ref), abi: revenueRouterAbi, functionName: "routeOf", args: [gross, hardCost], ...block });
}

/** Parameters of {@link getReport}. */
export type GetReportParameters = { epoch: bigint; mt: Address } & BlockOptions;
/** What {@link getReport} returns. */
export type GetReportReturnType = RevenueReport;

/**
 * The report of `mt` for `epoch` (RevenueRouter.reportOf; gross 0 if none).
 *
 * @example
 * const { gross, usageRoot } = await getReport(publicClient, deployments, { epoch, mt });
 */
export function getReport(
  client: PublicClient,
  ref: RevenueRouterRef,
  { epoch, mt, ...block }: GetReportParameters,
): Promise<GetReportReturnType> {
  return client.readContract({ address: routerAddress(ref), abi: revenueRouterAbi, functionName: "reportOf", args: [epoch, mt], ...block });
}

/** Parameters of {@link getYieldOwed}. */
export type GetYieldOwedParameters = { mt: Address } & BlockOptions;
/** What {@link getYieldOwed} returns. */
export type GetYieldOwedReturnType = bigint;

/**
 * Issuer yield of `mt` not yet claimed.
 *
 * @example
 * const owed = await getYieldOwed(publicClient, deployments, { mt });
 */
export function getYieldOwed(
  client: PublicClient,
  ref: RevenueRouterRef,
  { mt, ...block }: GetYieldOwedParameters,
): Promise<GetYieldOwedReturnType> {
  return client.readContract({ address: routerAddress(ref), abi: revenueRouterAbi, functionName: "yieldOwed", args: [mt], ...block });
}

/** Parameters of {@link getSplit}. */
export type GetSplitParameters = BlockOptions;
/** What {@link getSplit} returns. */
export type GetSplitReturnType = RevenueSplit;

/**
 * The split in force.
 *
 * @example
 * const { mtBuybackBps, issuerYieldBps } = await getSplit(publicClient, deployments);
 */
export async function getSplit(client: PublicClient, ref: RevenueRouterRef, block: GetSplitParameters = {}): Promise<GetSplitReturnType> {
  const [mtBuybackBps, issuerYieldBps, flockBuybackBps, treasuryBps] = await client.readContract({
    address: routerAddress(ref),
    abi: revenueRouterAbi,
    functionName: "split",
    ...block,
  });
  return { mtBuybackBps, issuerYieldBps, flockBuybackBps, treasuryBps };
}
