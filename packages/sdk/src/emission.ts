// The global FLOCK emission schedule (product.md §5.2) in bigint, equal to EmissionSchedule.sol to the
// wei: E(d) = E0 · 2^(−d/H), H = 180 days, through the closed form of its cumulative sum
//   C(d) = ⌊E0 · (RAY − q^(d+1)) / (RAY − q)⌋,  E(d) = C(d) − C(d − 1),  q = ⌊2^(−1/180) · RAY⌋,
// where q^n is computed by exponentiation by squaring in ray (27 decimals), rounding down at every
// multiplication exactly like the contract. Defining E as a difference makes the days sum to C.
// Where the contract would revert (a uint256 overflow) the mirror throws. Days are the schedule's
// days, whatever their length (the EmissionSchedule's dayLength): epochs.ts numbers them (epochOf).
import { INITIAL_EMISSION } from "./params.ts";
import { add256, assertUint256, mul256 } from "./uint256.ts";

/** 10^27: the fixed-point unit of the schedule. */
export const RAY = 10n ** 27n;
/** Half-life of the emission, in days of the schedule (3 hours on a local stack's 60-s days). */
export const HALF_LIFE_DAYS = 180n;
/** ⌊2^(−1/180) · 10^27⌋: the daily decay factor, EmissionSchedule.DAILY_DECAY. */
export const DAILY_DECAY = 996_156_587_220_575_217_647_424_913n;
/** EmissionSchedule.rpow: `x^n` in ray, rounding down at every multiplication. */
export function rpow(x: bigint, n: bigint): bigint {
  assertUint256(x, "x");
  assertUint256(n, "n");
  let z = RAY;
  while (n > 0n) {
    if (n & 1n) z = mul256(z, x, "rpow") / RAY;
    x = mul256(x, x, "rpow") / RAY;
    n >>= 1n;
  }
  return z;
}

/** FLOCK (wei) emitted over days 0..day inclusive: EmissionSchedule.cumulative. */
export function cumulativeEmission(day: bigint, initialEmission: bigint = INITIAL_EMISSION): bigint {
  assertUint256(day, "day");
  assertUint256(initialEmission, "initialEmission");
  const q = rpow(DAILY_DECAY, add256(day, 1n, "day + 1"));
  return mul256(initialEmission, RAY - q, "cumulative") / (RAY - DAILY_DECAY);
}

/** FLOCK (wei) emitted on `day`: EmissionSchedule.emission. */
export function dailyEmission(day: bigint, initialEmission: bigint = INITIAL_EMISSION): bigint {
  const upTo = cumulativeEmission(day, initialEmission);
  return day === 0n ? upTo : upTo - cumulativeEmission(day - 1n, initialEmission);
}
