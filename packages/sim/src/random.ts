// Seeded randomness for the Monte Carlo (its own generator: src code never imports test support): a run is a pure function of (scenario, seed, run index), so any
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

/**
 * The generator of run `run` of a simulation seeded with `seed`: sfc32 (Chris Doty-Humphrey's small fast
 * counting generator: a 128-bit state with a counter, so no short cycles), its state made by mixing
 * (seed, run) and warmed up past the seeding's correlations.
 */
export function randomFor(seed: number, run: number): Random {
  const base = mix(seed >>> 0) ^ Math.imul(run + 1, 0x9e3779b9);
  let a = mix(base);
  let b = mix(a ^ 0x85ebca6b);
  let c = mix(b ^ 0xc2b2ae35);
  let d = 1;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 2 ** 32;
  };
  for (let i = 0; i < 12; i++) next();
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
