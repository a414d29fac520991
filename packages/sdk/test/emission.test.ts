// Unit tests of the emission schedule mirror (emission.ts). Expected values come from exact rational
// arithmetic on the spec's formula (E(d) = E0 · 2^(−d/180), C(d) = Σ E(k)), never from a previous
// run; the equality with EmissionSchedule.sol itself is property-tested on a chain in
// contracts/test/nodejs/sdk.engine.test.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DAILY_DECAY,
  EMISSION_DAY,
  FLOCK,
  FomoRejection,
  INITIAL_EMISSION,
  RAY,
  UINT256_MAX,
  cumulativeEmission,
  dailyEmission,
  describeError,
  epochOf,
  rpow,
} from "../src/index.ts";

const bitLength = (n: bigint) => n.toString(2).length;

/** ⌊q^n / RAY^(n−1)⌋: q^n in ray, computed exactly then floored once. */
const exactPow = (q: bigint, n: bigint) => (n === 0n ? RAY : q ** n / RAY ** (n - 1n));

/** ⌊E0 · Σ_{k=0..d} (q/RAY)^k⌋ exactly: E0 · (RAY^(d+1) − q^(d+1)) / (RAY^d · (RAY − q)). */
const exactCumulative = (e0: bigint, q: bigint, d: bigint) =>
  (e0 * (RAY ** (d + 1n) - q ** (d + 1n))) / (RAY ** d * (RAY - q));

describe("DAILY_DECAY", () => {
  it("is ⌊2^(−1/180) · 10^27⌋: q^180 ≤ RAY^180 / 2 < (q+1)^180", () => {
    const q = DAILY_DECAY;
    assert.ok(2n * q ** 180n <= RAY ** 180n, "q is not above 2^(-1/180)");
    assert.ok(2n * (q + 1n) ** 180n > RAY ** 180n, "q + 1 would still be below 2^(-1/180)");
  });
});

describe("rpow", () => {
  it("has x^0 = 1, x^1 = x and 1^n = 1 in ray", () => {
    assert.equal(rpow(DAILY_DECAY, 0n), RAY);
    assert.equal(rpow(DAILY_DECAY, 1n), DAILY_DECAY);
    assert.equal(rpow(RAY, 12_345n), RAY);
    assert.equal(rpow(0n, 5n), 0n);
  });

  it("rounds down, a few ray units (1e-27) per step below the exact power", () => {
    for (const n of [2n, 3n, 7n, 64n, 179n, 180n, 181n, 365n, 1_000n, 1_825n]) {
      const exact = exactPow(DAILY_DECAY, n);
      const got = rpow(DAILY_DECAY, n);
      // Each floor loses < 1 unit; squaring the base doubles the error it carries, so after the
      // squarings behind q^n it is at most ~2 units per step of n (far below a wei of emission).
      assert.ok(got <= exact, `rpow(q, ${n}) above the exact power`);
      assert.ok(exact - got <= 2n * n + 2n * BigInt(bitLength(n)), `rpow(q, ${n}) is ${exact - got} below the exact power`);
    }
  });

  it("halves every 180 steps of q", () => {
    const tolerance = 10n ** 3n; // q is floored to 27 digits: ~1e-25 relative after 360 steps
    assert.ok(rpow(DAILY_DECAY, 180n) - RAY / 2n <= tolerance && RAY / 2n - rpow(DAILY_DECAY, 180n) <= tolerance);
    assert.ok(RAY / 4n - rpow(DAILY_DECAY, 360n) <= tolerance && rpow(DAILY_DECAY, 360n) - RAY / 4n <= tolerance);
  });

  it("panics where the contract's checked multiplication would", () => {
    assert.throws(() => rpow(2n ** 200n, 2n), RangeError);
    assert.throws(() => rpow(-1n, 2n), RangeError);
  });
});

describe("cumulativeEmission / dailyEmission", () => {
  it("emits exactly E0 on day 0", () => {
    assert.equal(cumulativeEmission(0n), INITIAL_EMISSION);
    assert.equal(dailyEmission(0n), INITIAL_EMISSION);
    assert.equal(INITIAL_EMISSION, 50_000n * FLOCK);
  });

  it("is within a wei of the exact geometric sum", () => {
    for (const d of [0n, 1n, 2n, 29n, 179n, 180n, 364n, 365n, 730n, 1_000n]) {
      const exact = exactCumulative(INITIAL_EMISSION, DAILY_DECAY, d);
      const got = cumulativeEmission(d);
      assert.ok(got >= exact && got - exact <= 1n, `C(${d}) = ${got}, exact ${exact}`);
    }
  });

  it("halves the daily emission every 180 days", () => {
    // E(d) = E0 · q^d up to a few wei of rounding (a difference of two floored sums).
    const near = (a: bigint, b: bigint, tol: bigint) => (a > b ? a - b : b - a) <= tol;
    assert.ok(near(dailyEmission(180n), INITIAL_EMISSION / 2n, 10n ** 6n), `E(180) = ${dailyEmission(180n)}`);
    assert.ok(near(dailyEmission(360n), INITIAL_EMISSION / 4n, 10n ** 6n), `E(360) = ${dailyEmission(360n)}`);
    assert.ok(dailyEmission(1n) < dailyEmission(0n));
  });

  it("sums day by day to the cumulative figure (E is its difference)", () => {
    let sum = 0n;
    for (let d = 0n; d <= 400n; d++) sum += dailyEmission(d);
    assert.equal(sum, cumulativeEmission(400n));
  });

  it("never exceeds the total supply of the schedule, E0 / (1 − q)", () => {
    const bound = (INITIAL_EMISSION * RAY) / (RAY - DAILY_DECAY);
    assert.ok(cumulativeEmission(100_000n) <= bound);
    assert.equal(cumulativeEmission(100_000n), cumulativeEmission(1_000_000n), "q^n has reached 0 in ray");
    assert.equal(dailyEmission(1_000_000n), 0n);
  });

  it("scales with another E0", () => {
    assert.equal(cumulativeEmission(0n, 7n), 7n);
    assert.equal(cumulativeEmission(5n, 0n), 0n);
  });

  it("panics where the contract would: day + 1 or E0 · (RAY − q^(d+1)) overflowing", () => {
    assert.throws(() => cumulativeEmission(UINT256_MAX), RangeError);
    assert.throws(() => cumulativeEmission(10n, UINT256_MAX), RangeError);
    assert.ok(cumulativeEmission(UINT256_MAX - 1n) > 0n, "the largest valid day works");
  });
});

describe("epochOf on a production schedule's clock (EmissionSchedule.dayOf)", () => {
  const start = 1_800_000_000n;
  const clock = { start, length: EMISSION_DAY };
  it("counts whole days from the start", () => {
    assert.equal(epochOf(clock, start), 0n);
    assert.equal(epochOf(clock, start + EMISSION_DAY - 1n), 0n);
    assert.equal(epochOf(clock, start + EMISSION_DAY), 1n);
    assert.equal(epochOf(clock, start + 365n * EMISSION_DAY + 5n), 365n);
  });

  it("refuses a time before the start like the contract (EmissionScheduleNotStarted)", () => {
    const err = (() => {
      try {
        epochOf(clock, start - 1n);
      } catch (e) {
        return e;
      }
    })();
    assert.ok(err instanceof FomoRejection);
    assert.deepEqual(err.revert, { errorName: "EmissionScheduleNotStarted", args: [start] });
    assert.match(describeError(err), /starts at 2027-01-15T08:00:00Z/);
  });
});
