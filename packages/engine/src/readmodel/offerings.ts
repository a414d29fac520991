// Offerings as the Launchpad shows them (Launchpad.offering), rebuilt from events: the curve math is
// the SDK's (sold, price, stateAt), fed with the raise's terms, its last buy and the pause clock.
import type { Database } from "@fomo/ledger";
import {
  BPS, MAX_PAUSE_EXTENSION, State, lockedFirstBuy, price, sold, stateAt, stateName, type BuyRecord, type Candle, type CurveReserves,
  type OfferingRecord, type PoolPricePoint, type SupporterPosition,
} from "@fomo/sdk";
import type { Address } from "viem";
import { checksummed, key, latestBlockTime, sum, withPositions, type OnChain } from "./chain.ts";
import { poolPrices } from "./tokens.ts";

// The records are the SDK's (@fomo/sdk readmodel.ts): the platform serves the same shapes without importing the engine.
export type { BuyRecord, Candle, OfferingRecord, SupporterPosition };

export interface OfferingsQuery extends OnChain {
  /** Unix seconds the state is evaluated at; default: the latest block the read model holds. */
  at?: bigint;
}

/** Every offering of the chain, oldest first. */
export async function listOfferings(db: Database, query: OfferingsQuery): Promise<OfferingRecord[]> {
  return offerings(db, query);
}

/** One offering, or undefined if the chain never launched it. */
export async function getOffering(db: Database, query: OfferingsQuery & { mt: Address }): Promise<OfferingRecord | undefined> {
  const [found] = await offerings(db, query, query.mt);
  return found;
}

interface PauseInterval {
  start: bigint;
  /** undefined while the pause lasts. */
  end: bigint | undefined;
}

/** Seconds the Launchpad stood paused before `t` (Launchpad._pausedSecondsNow at time t). */
function pausedSecondsAt(pauses: readonly PauseInterval[], t: bigint): bigint {
  return sum(pauses.map((p) => (p.start >= t ? 0n : (p.end === undefined || p.end > t ? t : p.end) - p.start)));
}

async function pauseIntervals(db: Database, chainId: number): Promise<PauseInterval[]> {
  const rows = await db
    .selectFrom("launchpad_pauses")
    .selectAll()
    .where("chain_id", "=", BigInt(chainId))
    .orderBy("block_number")
    .orderBy("log_index")
    .execute();
  const intervals: PauseInterval[] = [];
  for (const row of await withPositions(db, chainId, rows)) {
    if (row.kind === "paused") intervals.push({ start: row.position.timestamp, end: undefined });
    else if (intervals.length > 0) intervals[intervals.length - 1]!.end = row.position.timestamp;
  }
  return intervals;
}

async function offerings(db: Database, query: OfferingsQuery, only?: Address): Promise<OfferingRecord[]> {
  const chain = BigInt(query.chainId);
  const byMt = <Q extends { where: (...a: any[]) => Q }>(q: Q): Q => (only === undefined ? q : q.where("mt", "=", key(only)));
  const [launches, terms, buys, graduations, pauses] = await Promise.all([
    byMt(db.selectFrom("offering_launches").selectAll().where("chain_id", "=", chain))
      .orderBy("block_number")
      .orderBy("log_index")
      .execute(),
    db.selectFrom("offering_terms").selectAll().where("chain_id", "=", chain).execute(),
    byMt(db.selectFrom("offering_buys").select(["mt", "raised_after", "block_number", "log_index"]).where("chain_id", "=", chain))
      .orderBy("block_number")
      .orderBy("log_index")
      .execute(),
    byMt(db.selectFrom("offering_graduations").select(["mt", "pair", "block_number", "log_index", "tx_hash"]).where("chain_id", "=", chain))
      .execute(),
    pauseIntervals(db, query.chainId),
  ]);
  const at = query.at ?? (await latestBlockTime(db, query.chainId)) ?? 0n;
  const termsById = new Map(terms.map((t) => [t.terms_id, t]));
  const raisedOf = new Map<string, bigint>();
  const buyCount = new Map<string, number>();
  for (const b of buys) {
    raisedOf.set(b.mt, BigInt(b.raised_after));
    buyCount.set(b.mt, (buyCount.get(b.mt) ?? 0) + 1);
  }
  const positioned = await withPositions(db, query.chainId, launches);
  const graduation = new Map((await withPositions(db, query.chainId, graduations)).map((g) => [g.mt, g]));
  const pools = await poolPrices(db, query.chainId, graduations.map((g) => g.pair));

  return positioned.map((launch) => {
    const t = termsById.get(launch.terms_id);
    if (t === undefined) throw new Error(`read model: offering ${launch.mt} runs on terms ${launch.terms_id}, never published`);
    const curve: CurveReserves = { virtualFlock: BigInt(t.virtual_flock), virtualMt: BigInt(t.virtual_mt) };
    const raised = raisedOf.get(launch.mt) ?? 0n;
    const raiseMin = BigInt(t.raise_min);
    const raiseMax = BigInt(t.raise_max);
    const graduated = graduation.get(launch.mt);
    // Launchpad._pausedInRaise: launches wait while paused, so the clock at the launch block is the raise's start.
    const pausedAtOpen = pausedSecondsAt(pauses, launch.position.timestamp);
    const pausedInRaise = min(pausedSecondsAt(pauses, at) - pausedAtOpen, MAX_PAUSE_EXTENSION);
    const close = launch.closes_at + pausedInRaise;
    const paused = pauses.length > 0 && pauses[pauses.length - 1]!.end === undefined;
    // Evaluated at `at` itself, whose pause time is already in `close`: no later pause to allow for.
    const state =
      graduated !== undefined
        ? State.Graduated
        : stateAt(
            {
              ...curve, raised, raiseMax, raiseMin, feeBps: Number(t.fee_bps), snipeFeeBps: Number(t.snipe_fee_bps),
              snipeDecayBpsPerMinute: Number(t.snipe_decay_bps_per_minute), state: State.Raising,
              opensAt: Number(launch.opens_at), closesAt: Number(close), pausedSeconds: Number(pausedInRaise), paused: false,
            },
            at,
          );
    const pool = graduated === undefined ? undefined : pools.get(graduated.pair);
    return {
      mt: checksummed(launch.mt),
      creator: checksummed(launch.creator),
      templateId: Number(launch.template_id),
      termsId: Number(launch.terms_id),
      name: launch.name,
      ticker: launch.ticker,
      modelId: launch.model_id,
      metadataUri: launch.metadata_uri,
      state,
      stateName: stateName(state),
      opensAt: Number(launch.opens_at),
      closesAt: Number(state === State.Raising ? close : min(close, at)),
      pausedSeconds: Number(pausedInRaise),
      paused,
      graduatedAt: graduated === undefined ? 0 : Number(graduated.position.timestamp),
      raised,
      raiseMin,
      raiseMax,
      progressBps: (raised * BPS) / raiseMax,
      sold: sold(curve, raised),
      price: price(curve, raised),
      poolPrice: pool?.price,
      pair: graduated === undefined ? undefined : checksummed(graduated.pair),
      virtualFlock: curve.virtualFlock,
      virtualMt: curve.virtualMt,
      buyCount: buyCount.get(launch.mt) ?? 0,
      launched: launch.position,
    };
  });
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** The buys of an offering (or of a buyer, or both), in chain order. */
export async function listBuys(db: Database, query: OnChain & { mt?: Address; buyer?: Address }): Promise<BuyRecord[]> {
  let q = db.selectFrom("offering_buys").selectAll().where("chain_id", "=", BigInt(query.chainId));
  if (query.mt !== undefined) q = q.where("mt", "=", key(query.mt));
  if (query.buyer !== undefined) q = q.where("buyer", "=", key(query.buyer));
  const rows = await q.orderBy("block_number").orderBy("log_index").execute();
  return (await withPositions(db, query.chainId, rows)).map((r) => ({
    ...r.position,
    mt: checksummed(r.mt),
    buyer: checksummed(r.buyer),
    flockIn: BigInt(r.flock_in),
    net: BigInt(r.net),
    mtOut: BigInt(r.mt_out),
    baseFee: BigInt(r.base_fee),
    surcharge: BigInt(r.surcharge),
    raisedAfter: BigInt(r.raised_after),
  }));
}

interface PricePoint {
  timestamp: bigint;
  /** Price just before the trade. */
  before: bigint;
  /** Price just after it. */
  after: bigint;
  volume: bigint;
}

/**
 * OHLC candles of an offering's price, `intervalSeconds` long: the curve's marginal price around
 * each buy during the raise, then the pool's around each swap once graduated. Intervals without a
 * trade are left out (a chart carries the last close forward).
 */
export async function priceCandles(
  db: Database,
  query: OnChain & { mt: Address; intervalSeconds: bigint; from?: bigint; to?: bigint },
): Promise<Candle[]> {
  if (query.intervalSeconds <= 0n) throw new RangeError(`the candle interval must be positive, got ${query.intervalSeconds}`);
  const offering = await getOffering(db, query);
  if (offering === undefined) return [];
  const curve = { virtualFlock: offering.virtualFlock, virtualMt: offering.virtualMt };
  const points: PricePoint[] = (await listBuys(db, query)).map((b) => ({
    timestamp: b.timestamp,
    before: price(curve, b.raisedAfter - b.net),
    after: price(curve, b.raisedAfter),
    volume: b.flockIn,
  }));
  if (offering.pair !== undefined) {
    const swaps = await poolTrades(db, query.chainId, offering.pair, offering.mt);
    points.push(...swaps.map((s) => ({ timestamp: s.timestamp, before: s.priceBefore, after: s.price, volume: s.flockVolume })));
  }
  const candles: Candle[] = [];
  for (const p of points) {
    if ((query.from !== undefined && p.timestamp < query.from) || (query.to !== undefined && p.timestamp >= query.to)) continue;
    const start = p.timestamp - (p.timestamp % query.intervalSeconds);
    const last = candles[candles.length - 1];
    if (last === undefined || last.start !== start) {
      candles.push({ start, open: p.before, high: max(p.before, p.after), low: min(p.before, p.after), close: p.after, volume: p.volume, trades: 1 });
      continue;
    }
    last.high = max(last.high, max(p.before, p.after));
    last.low = min(last.low, min(p.before, p.after));
    last.close = p.after;
    last.volume += p.volume;
    last.trades += 1;
  }
  return candles;
}

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/** A pool swap with the pool's marginal price before and after it (FLOCK wei per whole `token`). */
interface PoolTrade {
  timestamp: bigint;
  priceBefore: bigint;
  price: bigint;
  flockVolume: bigint;
}

async function poolTrades(db: Database, chainId: number, pair: Address, token: Address): Promise<PoolTrade[]> {
  const chain = BigInt(chainId);
  const [pairRow, swaps] = await Promise.all([
    db.selectFrom("dex_pairs").selectAll().where("chain_id", "=", chain).where("pair", "=", key(pair)).executeTakeFirst(),
    db.selectFrom("pool_swaps").selectAll().where("chain_id", "=", chain).where("pair", "=", key(pair))
      .orderBy("block_number").orderBy("log_index").execute(),
  ]);
  if (pairRow === undefined) return [];
  const tokenIsZero = pairRow.token0 === key(token);
  const prices: PoolPricePoint[] = (await poolPrices(db, chainId, [pair])).get(key(pair))?.history ?? [];
  const positioned = await withPositions(db, chainId, swaps);
  return positioned.map((s) => {
    // UniswapV2Pair.swap emits Sync (the new reserves) just before Swap; the Sync before that is the price it traded from.
    const i = prices.findIndex((p) => p.blockNumber === s.block_number && p.logIndex === Number(s.log_index) - 1);
    const after = prices[i]!;
    const before = i > 0 ? prices[i - 1]! : after;
    const flockVolume = tokenIsZero ? BigInt(s.amount1_in) + BigInt(s.amount1_out) : BigInt(s.amount0_in) + BigInt(s.amount0_out);
    return { timestamp: s.position.timestamp, priceBefore: before.price, price: after.price, flockVolume };
  });
}

/**
 * `account`'s position in `mt` replayed from its buys, claims and refunds: a refund clears it, a
 * claim leaves only the first buy's part still vesting at the claim's time (SDK lockedFirstBuy) and
 * clears the position once nothing is locked, as Launchpad.claim does.
 */
export async function supporterPosition(db: Database, query: OnChain & { mt: Address; account: Address }): Promise<SupporterPosition> {
  const chain = BigInt(query.chainId);
  const [mt, account] = [key(query.mt), key(query.account)];
  const [launch, buys, claims, refunds, graduation] = await Promise.all([
    db.selectFrom("offering_launches").select("tx_hash").where("chain_id", "=", chain).where("mt", "=", mt).executeTakeFirst(),
    db.selectFrom("offering_buys").selectAll().where("chain_id", "=", chain).where("mt", "=", mt).where("buyer", "=", account).execute(),
    db.selectFrom("offering_claims").selectAll().where("chain_id", "=", chain).where("mt", "=", mt).where("account", "=", account).execute(),
    db.selectFrom("offering_refunds").selectAll().where("chain_id", "=", chain).where("mt", "=", mt).where("account", "=", account).execute(),
    db.selectFrom("offering_graduations").select(["block_number", "log_index", "tx_hash"]).where("chain_id", "=", chain).where("mt", "=", mt)
      .executeTakeFirst(),
  ]);
  const graduatedAt = graduation === undefined ? 0 : Number((await withPositions(db, query.chainId, [graduation]))[0]!.position.timestamp);
  const events = await withPositions(db, query.chainId, [
    ...buys.map((b) => ({ ...b, kind: "buy" as const })),
    ...claims.map((c) => ({ ...c, kind: "claim" as const })),
    ...refunds.map((r) => ({ ...r, kind: "refund" as const })),
  ]);
  events.sort((a, b) => (a.block_number === b.block_number ? Number(a.log_index - b.log_index) : a.block_number < b.block_number ? -1 : 1));
  let position: SupporterPosition = { mt: 0n, flock: 0n, firstBuyMt: 0n };
  const cleared = (): SupporterPosition => ({ mt: 0n, flock: 0n, firstBuyMt: 0n });
  for (const e of events) {
    if (e.kind === "refund") position = cleared();
    else if (e.kind === "buy") {
      position.mt += BigInt(e.mt_out);
      position.flock += BigInt(e.net);
      // The launch's bundled buy is the issuer's first buy (Launchpad.launch).
      if (e.tx_hash === launch?.tx_hash) position.firstBuyMt = BigInt(e.mt_out);
    } else {
      const locked = lockedFirstBuy(position.firstBuyMt, graduatedAt, e.position.timestamp);
      position = locked === 0n ? cleared() : { ...position, mt: locked };
    }
  }
  return position;
}

/**
 * FLOCK wei traded per $MT (lower-case address) since `since` (Unix seconds, inclusive): curve buys'
 * gross FLOCK, then the FLOCK side of pool swaps once graduated. One pass over the window's rows
 * for every offering at once (the marketplace's 24 h volume).
 */
export async function tradedVolume(db: Database, query: OnChain & { since: bigint }): Promise<Map<string, bigint>> {
  const chain = BigInt(query.chainId);
  const first = await db
    .selectFrom("chain_blocks")
    .select("block_number")
    .where("chain_id", "=", chain)
    .where("timestamp", ">=", query.since)
    .orderBy("block_number")
    .limit(1)
    .executeTakeFirst();
  const volume = new Map<string, bigint>();
  if (first === undefined) return volume;
  const add = (mt: string, flock: bigint) => volume.set(mt, (volume.get(mt) ?? 0n) + flock);
  const [buys, swaps, pairs] = await Promise.all([
    db.selectFrom("offering_buys").select(["mt", "flock_in"]).where("chain_id", "=", chain).where("block_number", ">=", first.block_number).execute(),
    db.selectFrom("pool_swaps").selectAll().where("chain_id", "=", chain).where("block_number", ">=", first.block_number).execute(),
    db.selectFrom("dex_pairs").select(["pair", "token0", "token"]).where("chain_id", "=", chain).execute(),
  ]);
  for (const b of buys) add(b.mt, BigInt(b.flock_in));
  const pairOf = new Map(pairs.map((p) => [p.pair, p]));
  for (const s of swaps) {
    const pair = pairOf.get(s.pair);
    if (pair === undefined) continue;
    // FLOCK is the side that is not `token`.
    const flockIsZero = pair.token0 !== pair.token;
    add(pair.token, flockIsZero ? BigInt(s.amount0_in) + BigInt(s.amount0_out) : BigInt(s.amount1_in) + BigInt(s.amount1_out));
  }
  return volume;
}
