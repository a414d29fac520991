// Revenue routing (product.md §5.1) in bigint, equal to RevenueRouter.routeOf to the wei: the hard cost
// goes to the hosting payee, and net = gross − hardCost is split by basis points, each share
// rounded down; whatever rounding leaves goes to the treasury, so the parts sum to gross exactly.
import { FomoRejection } from "./errors.ts";
import { BPS, defaultRevenueSplit } from "./params.ts";
import { assertUint256, mul256 } from "./uint256.ts";

/** RevenueRouter.Split: shares of net revenue in basis points (they sum to 10,000). */
export interface RevenueSplit {
  mtBuybackBps: number;
  issuerYieldBps: number;
  flockBuybackBps: number;
  treasuryBps: number;
}

/** RevenueRouter.Routed: where a report's USDC goes, in the stablecoin's units. */
export interface Routed {
  hardCost: bigint;
  mtBuyback: bigint;
  issuerYield: bigint;
  flockBuyback: bigint;
  treasury: bigint;
}

/** The split's hard bounds (RevenueRouter constants): buybacks get at least half of net revenue. */
export const SPLIT_BOUNDS = { minBuybackBps: 5_000, maxIssuerYieldBps: 3_000, maxTreasuryBps: 3_000 } as const;

/**
 * How `gross` USDC with `hardCost` is routed under `split` (default: the protocol's). Refuses
 * `hardCost > gross` with the error reportRevenue gives (RevenueRouterCostAboveRevenue).
 */
export function routeOf(gross: bigint, hardCost: bigint, split: RevenueSplit = defaultRevenueSplit): Routed {
  assertUint256(gross, "gross");
  assertUint256(hardCost, "hardCost");
  if (hardCost > gross) throw new FomoRejection("RevenueRouterCostAboveRevenue", [gross, hardCost], "hard cost above gross revenue");
  const net = gross - hardCost;
  const share = (bps: number) => mul256(net, BigInt(bps), "net * bps") / BPS;
  const mtBuyback = share(split.mtBuybackBps);
  const issuerYield = share(split.issuerYieldBps);
  const flockBuyback = share(split.flockBuybackBps);
  // The treasury's own bps share is implied: it takes the rest, rounding dust included.
  return { hardCost, mtBuyback, issuerYield, flockBuyback, treasury: net - mtBuyback - issuerYield - flockBuyback };
}

/** Refuses a split RevenueRouter.setSplit would refuse (RevenueRouterInvalidParameter with the same name). */
export function checkSplit(s: RevenueSplit): void {
  const bad = (param: string) => new FomoRejection("RevenueRouterInvalidParameter", [param], `split parameter ${param} out of bounds`);
  for (const bps of [s.mtBuybackBps, s.issuerYieldBps, s.flockBuybackBps, s.treasuryBps]) {
    if (!Number.isInteger(bps) || bps < 0 || bps > 0xffff) throw new RangeError(`bps must be uint16 integers, got ${bps}`);
  }
  if (s.mtBuybackBps + s.issuerYieldBps + s.flockBuybackBps + s.treasuryBps !== Number(BPS)) throw bad("split");
  if (s.mtBuybackBps + s.flockBuybackBps < SPLIT_BOUNDS.minBuybackBps) throw bad("buybackBps");
  if (s.issuerYieldBps > SPLIT_BOUNDS.maxIssuerYieldBps) throw bad("issuerYieldBps");
  if (s.treasuryBps > SPLIT_BOUNDS.maxTreasuryBps) throw bad("treasuryBps");
}
