// Real-shaped data for the page's component tests: an offering on the default template's terms
// (the SDK's defaultSaleTerms and defaultAllocation, its curve calibrated by termsCurve as the
// registry does), and platform answers in their wire shape.
import { defaultAllocation, defaultSaleTerms, FLOCK, State, termsCurve, type OfferingSnapshot } from "@fomo/sdk";
import type { Address } from "viem";
import type { TradeView } from "../../lib/wire.ts";
import type { PortfolioPositionView } from "./wire.ts";

export const OPENS_AT = 1_780_000_000;
export const MT_ADDRESS: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
export const BUYER: Address = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

export function raisingSnapshot(raised: bigint, over: Partial<OfferingSnapshot> = {}): OfferingSnapshot {
  return {
    mt: MT_ADDRESS,
    state: State.Raising,
    opensAt: OPENS_AT,
    closesAt: OPENS_AT + defaultSaleTerms.duration,
    pausedSeconds: 0,
    paused: false,
    raised,
    raiseMin: defaultSaleTerms.raiseMin,
    raiseMax: defaultSaleTerms.raiseMax,
    feeBps: defaultSaleTerms.feeBps,
    snipeFeeBps: defaultSaleTerms.snipeFeeBps,
    snipeDecayBpsPerMinute: defaultSaleTerms.snipeDecayBpsPerMinute,
    ...termsCurve(defaultSaleTerms, defaultAllocation),
    ...over,
  };
}

export function position(over: Partial<PortfolioPositionView> = {}): PortfolioPositionView {
  return {
    mt: MT_ADDRESS,
    ticker: "STORY",
    state: "graduated",
    mt_owed: "0",
    claimable_mt: "0",
    first_buy_mt: "0",
    vesting_locked_mt: "0",
    flock_committed: "0",
    refundable_flock: "0",
    ...over,
  };
}

export function trade(i: number, over: Partial<TradeView> = {}): TradeView {
  return {
    block_number: String(100 + i),
    log_index: 2,
    tx_hash: `0x${(i + 1).toString(16).padStart(64, "a")}`,
    timestamp: String(OPENS_AT + 7_200 + i * 60),
    buyer: BUYER,
    flock_in: (150_000n * FLOCK).toString(),
    net_flock: (147_750n * FLOCK).toString(),
    mt_out: "61234567890123456789012",
    base_fee: (2_250n * FLOCK).toString(),
    surcharge: "0",
    raised_after: (147_750n * FLOCK).toString(),
    ...over,
  };
}
