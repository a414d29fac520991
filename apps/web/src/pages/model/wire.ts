// The token routes' JSON the model page reads (GET /tokens/{mt}, /tokens/{mt}/epochs,
// /tokens/{mt}/holders; docs/platform-api.md). Money flows are in the settlement stablecoin's units
// (revenue, buyback spend: the deployments' usdcDecimals), tokens in wei; all decimal strings.
import type { Address, Decimal, Hex, OfferingState, PositionView } from "../../lib/wire.ts";

/** Revenue and where the RevenueRouter sent it, stablecoin units. */
export interface RevenueSplit {
  gross: Decimal;
  hard_cost: Decimal;
  mt_buyback: Decimal;
  issuer_yield: Decimal;
  flock_buyback: Decimal;
  treasury: Decimal;
}

export interface TokenView {
  mt: Address;
  ticker: string;
  state: OfferingState;
  total_supply: Decimal;
  burned: Decimal;
  /** $MT wei held by the Uniswap pair. */
  in_pool: Decimal;
  pair: Address | null;
  holders: number;
  /** Revenue reported and routed in total. */
  revenue: RevenueSplit & { epochs_reported: number };
  /** $MT buybacks: stablecoin units spent, $MT wei bought and burned. */
  buybacks: { count: number; spent: Decimal; burned: Decimal };
  as_of: Decimal;
}

export interface RevenueReportView extends PositionView, RevenueSplit {
  usage_root: Hex;
}

export interface BuybackView extends PositionView {
  spent: Decimal;
  burned: Decimal;
}

/** The incentive pool's release for this deployment in the epoch (the keeper's record). */
export interface EmissionView {
  status: "released" | "skipped";
  mt: Decimal | null;
  flock: Decimal | null;
  tx_hash: Hex | null;
}

export interface TokenEpochView {
  epoch: Decimal;
  reports: RevenueReportView[];
  buybacks: BuybackView[];
  emission: EmissionView | null;
}
