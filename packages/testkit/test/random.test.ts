// The seeded PRNG every package's property tests draw from: a seed must replay the same cases, and
// each draw must stay in the range it promises (a draw outside would test values no caller asked for).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rng, runSeed } from "../src/index.ts";

const draws = (seed: number) => {
  const r = rng(seed);
  return [r.next(), r.int(-5, 5), r.big(0n, 2n ** 200n), r.digits(40), r.upTo(1_000n), r.chance(0.5), r.next()];
};

describe("rng", () => {
  it("replays the same sequence from the same seed, and another from another seed", () => {
    assert.deepEqual(draws(42), draws(42));
    assert.notDeepEqual(draws(42), draws(43));
  });

  it("keeps every draw in its range, reaching both ends of a small one", () => {
    const r = rng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const x = r.next();
      assert.ok(x >= 0 && x < 1, `next() = ${x}`);
      const n = r.int(-2, 2);
      assert.ok(Number.isInteger(n) && n >= -2 && n <= 2, `int = ${n}`);
      seen.add(n);
      const b = r.big(10n ** 30n, 10n ** 30n + 5n);
      assert.ok(b >= 10n ** 30n && b <= 10n ** 30n + 5n, `big = ${b}`);
      const u = r.upTo(3n);
      assert.ok(u >= 0n && u <= 3n, `upTo = ${u}`);
    }
    assert.deepEqual([...seen].sort((a, b) => a - b), [-2, -1, 0, 1, 2]);
  });

  it("digits(n) draws 1 to n decimal digits, so dust and huge values both occur", () => {
    const r = rng(9);
    const lengths = new Set<number>();
    for (let i = 0; i < 1_000; i++) {
      const s = r.digits(6).toString();
      assert.ok(!s.startsWith("0") && s.length >= 1 && s.length <= 6, s);
      lengths.add(s.length);
    }
    assert.equal(lengths.size, 6);
  });
});

describe("runSeed", () => {
  it("replays the seed it is given (a test's FOMO_SEED), else draws a fresh one", () => {
    assert.equal(runSeed("12345"), 12345);
    for (const unset of [undefined, ""]) {
      const fresh = runSeed(unset);
      assert.ok(Number.isInteger(fresh) && fresh >= 0 && fresh < 2 ** 31, `${fresh}`);
    }
  });
});
