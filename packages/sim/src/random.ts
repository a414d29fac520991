// Seeded randomness for the Monte Carlo: a run is a pure function of (scenario, seed, run index), so any
// figure the simulator prints can be reproduced with `--seed`. Draws are floats (they shape the demand
// and the market, which are model inputs); amounts of money are made from them by one explicit floor
// (`scaleAmount`), after which every step is the SDK's integer math.

/** A uniform draw in [0, 1), normal and Poisson draws, all from one 32-bit state. */
export interface Random {
  next(): number;
  normal(): number;
  poisson(mean: number): number;
}

/** splitmix32's finalizer: spreads (seed, run) into unrelated 32-bit states. */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

/** The generator of run `run` of a simulation seeded with `seed`: mulberry32 from a mixed state. */
export function randomFor(seed: number, run: number): Random {
  let a = mix(mix(seed >>> 0) ^ Math.imul(run + 1, 0x9e3779b9));
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  // Box-Muller; the second value of each pair is dropped so a draw's position never depends on parity.
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const poisson = (mean: number) => {
    if (mean <= 0) return 0;
    // Knuth's product method is exact but takes `mean` draws; past 30 the normal approximation is close.
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = next(); p > limit; p *= next()) k++;
    return k;
  };
  return { next, normal, poisson };
}

/** Parts per 10^9: the resolution at which a random factor scales an amount. */
const SCALE = 1_000_000_000;

/** ⌊amount · factor⌋ at a resolution of 10^-9 (factor ≥ 0): the one place a float touches an amount. */
export function scaleAmount(amount: bigint, factor: number): bigint {
  if (!(factor >= 0) || !Number.isFinite(factor)) throw new RangeError(`scale factor must be a finite number ≥ 0, got ${factor}`);
  return (amount * BigInt(Math.floor(factor * SCALE))) / BigInt(SCALE);
}
