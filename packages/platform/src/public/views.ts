// The public routes' JSON: snake_case, amounts as bigint (the reply serializer writes decimal
// strings), times as Unix seconds like the chain's.
import { lockedFirstBuy, type Candle, type EventPosition, type OfferingRecord, type SupporterPosition } from "@fomo/sdk";

export const positionView = (p: EventPosition) => ({
  block_number: p.blockNumber,
  log_index: p.logIndex,
  tx_hash: p.txHash,
  timestamp: p.timestamp,
});

export const offeringView = (o: OfferingRecord) => ({
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
});

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
