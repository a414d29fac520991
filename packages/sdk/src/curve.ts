// The bonding curve and fee math of CurveMath.sol and Launchpad._quote in bigint, equal to the
// contracts to the wei (property-tested against them). Rounding favours the curve: fees up, $MT down.
import { BPS, FIRST_BUY_VESTING } from "./params.ts";

const ONE = 10n ** 18n;

/** ⌊a·b/d⌋ or ⌈a·b/d⌉, like OpenZeppelin's Math.mulDiv. */
export function mulDiv(a: bigint, b: bigint, d: bigint, roundUp = false): bigint {
  const p = a * b;
  const q = p / d;
  return roundUp && q * d !== p ? q + 1n : q;
}

/** ⌊√n⌋, like OpenZeppelin's Math.sqrt. */
export function sqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError("sqrt of a negative number");
  if (n < 2n) return n;
  // Newton from 2^⌈bits/2⌉ ≥ √n falls monotonically to ⌊√n⌋: a few steps, where starting from n took
  // one per halving (the epoch rewards take a square root per user).
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  let y = (x + n / x) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}

export interface CurveReserves {
  virtualFlock: bigint; // X0
  virtualMt: bigint; // Y0
}

/**
 * Y0 = ⌈S·√r/(√r − 1)⌉ with √r floored to 18 decimals, X0 = ⌈M·(Y0 − S)/S⌉, r = priceRatioBps / 10^4
 * (CurveMath.calibrate, to the wei). Both roundings favour the curve: a larger Y0 (X0 following it)
 * sells less $MT at every point before raiseMax, so Y0 is never below its exact value.
 */
export function calibrate(sale: bigint, raiseMax: bigint, priceRatioBps: bigint): CurveReserves {
  const sqrtR = sqrt(priceRatioBps * ((ONE * ONE) / BPS));
  const virtualMt = mulDiv(sale, sqrtR, sqrtR - ONE, true);
  const virtualFlock = mulDiv(raiseMax, virtualMt - sale, sale, true);
  return { virtualFlock, virtualMt };
}

/** $MT sold once `raised` net FLOCK entered: Y0 − ⌈X0·Y0/(X0 + f)⌉. */
export function sold(c: CurveReserves, raised: bigint): bigint {
  return c.virtualMt - mulDiv(c.virtualFlock, c.virtualMt, c.virtualFlock + raised, true);
}

/** Marginal price in FLOCK wei per whole $MT: (X0 + f)²·1e18/(X0·Y0). */
export function price(c: CurveReserves, raised: bigint): bigint {
  const r = c.virtualFlock + raised;
  return mulDiv(r, r * ONE, c.virtualFlock * c.virtualMt);
}

/** $MT that pairs with `flock` at the curve price after `raised` (the pool's opening amount). */
export function mtAtPrice(c: CurveReserves, raised: bigint, flock: bigint): bigint {
  return mulDiv(flock, c.virtualMt - sold(c, raised), c.virtualFlock + raised);
}

/** Total fee rate `elapsed` seconds after opening: snipe fee minus decay per whole minute, floored at the base fee. */
export function feeBpsAt(feeBps: number, snipeFeeBps: number, decayPerMinute: number, elapsed: bigint): number {
  const fall = (elapsed / 60n) * BigInt(decayPerMinute);
  const start = BigInt(snipeFeeBps);
  return fall >= start || start - fall <= BigInt(feeBps) ? feeBps : Number(start - fall);
}

export interface FeeTerms {
  feeBps: number;
}

export interface BuyQuote {
  flockIn: bigint;
  flockRefunded: bigint;
  net: bigint;
  mtOut: bigint;
  feeBps: bigint;
  /** Total fee: baseFee + surcharge. */
  fee: bigint;
  /** Platform fee; creator and protocol shares are split when the fees are settled. */
  baseFee: bigint;
  /** Anti-snipe part of the fee. */
  surcharge: bigint;
  raisedAfter: bigint;
  priceAfter: bigint;
  graduates: boolean;
}

/** The curve state a quote needs; `Launchpad.offering(mt)` returns all of it. */
export interface CurveState extends CurveReserves, FeeTerms {
  raised: bigint;
  raiseMax: bigint;
}

/**
 * The part of the issuer's first buy (`firstBuyMt`) still vesting at `timestamp`: linear over
 * FIRST_BUY_VESTING from graduation, rounded up (Launchpad._claimable). All of it until graduation
 * (`graduatedAt` 0).
 */
export function lockedFirstBuy(firstBuyMt: bigint, graduatedAt: number, timestamp: bigint): bigint {
  if (firstBuyMt === 0n) return 0n;
  if (graduatedAt === 0) return firstBuyMt;
  const end = BigInt(graduatedAt) + FIRST_BUY_VESTING;
  return timestamp >= end ? 0n : mulDiv(firstBuyMt, end - timestamp, FIRST_BUY_VESTING, true);
}

/** Creator and protocol shares of settled base fees: the creator's rounds down (Launchpad._feesDue). */
export function splitFees(baseFees: bigint, creatorFeeShareBps: number): { creator: bigint; protocol: bigint } {
  const creator = (baseFees * BigInt(creatorFeeShareBps)) / BPS;
  return { creator, protocol: baseFees - creator };
}

/** What a buy of `flockIn` does at total fee rate `totalFeeBps` (equal to Launchpad.quoteBuy). */
export function quoteBuy(s: CurveState, flockIn: bigint, totalFeeBps: number): BuyQuote {
  if (flockIn <= 0n) throw new RangeError("flockIn must be positive");
  const bps = BigInt(totalFeeBps);
  const room = s.raiseMax - s.raised;
  let fee = mulDiv(flockIn, bps, BPS, true);
  let net = flockIn - fee;
  let used = flockIn;
  let graduates = false;
  if (net >= room) {
    net = room;
    fee = mulDiv(room, bps, BPS - bps, true);
    used = room + fee;
    graduates = true;
  }
  const gross = mulDiv(used, BigInt(s.feeBps), BPS, true);
  const baseFee = gross < fee ? gross : fee;
  const raisedAfter = s.raised + net;
  const soldAfter = sold(s, raisedAfter);
  // A buy that leaves only dust (a room whose fill would yield no $MT) closes the raise too.
  if (!graduates) graduates = soldAfter === sold(s, s.raiseMax);
  return {
    flockIn: used,
    flockRefunded: flockIn - used,
    net,
    mtOut: soldAfter - sold(s, s.raised),
    feeBps: bps,
    fee,
    baseFee,
    surcharge: fee - baseFee,
    raisedAfter,
    priceAfter: price(s, raisedAfter),
    graduates,
  };
}
