// The public routes' JSON: snake_case, amounts as bigint (the reply serializer writes decimal
// strings), times as Unix seconds like the chain's.
import { lockedFirstBuy, MT, TOTAL_SUPPLY, type BuyRecord, type Candle, type EventPosition, type Holder, type OfferingRecord, type SupporterPosition } from "@fomo/sdk";

export const positionView = (p: EventPosition) => ({
  block_number: p.blockNumber,
  log_index: p.logIndex,
  tx_hash: p.txHash,
  timestamp: p.timestamp,
});

/** An offering; `volume24h` is the FLOCK wei it traded in the 24 h before the answer's as_of. */
export const offeringView = (o: OfferingRecord, volume24h: bigint) => ({
  mt: o.mt,
  ticker: o.ticker,
  name: o.name,
  model_id: o.modelId,
  creator: o.creator,
  template_id: o.templateId,
  terms_id: o.termsId,
  metadata_uri: o.metadataUri,
  state: o.stateName.toLowerCase(),
  opens_at: o.opensAt,
  closes_at: o.closesAt,
  paused: o.paused,
  paused_seconds: o.pausedSeconds,
  graduated_at: o.graduatedAt === 0 ? null : o.graduatedAt,
  raised_flock: o.raised,
  raise_min_flock: o.raiseMin,
  raise_max_flock: o.raiseMax,
  progress_bps: o.progressBps,
  sold_mt: o.sold,
  curve_price: o.price,
  pool_price: o.poolPrice ?? null,
  pair: o.pair ?? null,
  buys: o.buyCount,
  launched: positionView(o.launched),
  volume_24h_flock: volume24h,
  // Fully diluted: the price (the pool's once graduated) times the fixed supply, rounded down.
  market_cap_flock: ((o.poolPrice ?? o.price) * TOTAL_SUPPLY) / MT,
});

export const tradeView = (b: BuyRecord) => ({
  buyer: b.buyer,
  flock_in: b.flockIn,
  net_flock: b.net,
  mt_out: b.mtOut,
  base_fee: b.baseFee,
  surcharge: b.surcharge,
  raised_after: b.raisedAfter,
  ...positionView(b),
});

export const holderView = (h: Holder) => ({ account: h.account, balance: h.balance });

export const candleView = (c: Candle) => ({ start: c.start, open: c.open, high: c.high, low: c.low, close: c.close, volume_flock: c.volume, trades: c.trades });

/**
 * What a supporter holds in one offering at `now` (Unix seconds): $MT owed and how much of the
 * issuer's first buy still vests (SDK lockedFirstBuy), FLOCK a failed raise refunds.
 */
export function holdingView(o: OfferingRecord, p: SupporterPosition, now: bigint) {
  const graduated = o.stateName === "Graduated";
  const locked = graduated ? lockedFirstBuy(p.firstBuyMt, o.graduatedAt, now) : p.firstBuyMt;
  return {
    mt: o.mt,
    ticker: o.ticker,
    state: o.stateName.toLowerCase(),
    mt_owed: p.mt,
    claimable_mt: graduated ? p.mt - (locked < p.mt ? locked : p.mt) : 0n,
    first_buy_mt: p.firstBuyMt,
    vesting_locked_mt: locked,
    flock_committed: p.flock,
    refundable_flock: o.stateName === "Failed" ? p.flock : 0n,
  };
}
