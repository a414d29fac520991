// Seeded randomness for the property tests of every package: a failing run prints its seed, and
// FOMO_SEED replays it.
import { randomInt } from "node:crypto";

/**
 * The run's seed: `replay` when set (a test passes its FOMO_SEED, to replay a failing run), else a
 * fresh one the test prints. The test reads the variable, as a process reads its own environment.
 */
export function runSeed(replay: string | undefined): number {
  return replay ? Number(replay) : randomInt(2 ** 31);
}

/** mulberry32: a tiny, fast, seedable 32-bit PRNG (reproducibility matters here, not quality). */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)); // inclusive
  /** Uniform-ish in [lo, hi] for bigints of any size, from 32-bit draws. */
  const big = (lo: bigint, hi: bigint) => {
    const span = hi - lo + 1n;
    let r = 0n;
    for (let bits = 0n; 2n ** bits < span * 2n ** 32n; bits += 32n) r = (r << 32n) | BigInt(int(0, 2 ** 32 - 1));
    return lo + (r % span);
  };
  /** Log-uniform: 1 to `maxDigits` decimal digits, so dust and huge values both show up. */
  const digits = (maxDigits: number) => {
    const d = int(1, maxDigits);
    return big(10n ** BigInt(d - 1), 10n ** BigInt(d) - 1n);
  };
  /** Uniform in [0, max] from a single draw; `max` must stay below 2^53. */
  const upTo = (max: bigint) => BigInt(Math.floor(next() * Number(max + 1n)));
  return { next, int, big, digits, upTo, chance: (p: number) => next() < p };
}
