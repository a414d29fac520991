// Unit tests of gmFor (gmflock.ts) against research/fomo-spec.md §4.4: m = n for t <= 30 days,
// m = n · (1 + 2.19 · (t − 30) / 365) for 30 < t <= 365, rounded down. Equality with GmFlock.sol is
// property-tested on a chain in contracts/test/nodejs/sdk.engine.test.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FLOCK, FomoRejection, UINT256_MAX, describeError, gmFor } from "../src/index.ts";

describe("gmFor", () => {
  it("gives gmFLOCK one for one up to 30 days", () => {
    for (const t of [1n, 2n, 29n, 30n]) assert.equal(gmFor(1_000n * FLOCK, t), 1_000n * FLOCK);
  });

  it("adds 2.19 x (t - 30) / 365 beyond 30 days", () => {
    // n = 36,500: the bonus is 2.19 * (t - 30) * 100 exactly.
    assert.equal(gmFor(36_500n, 31n), 36_500n + 219n);
    assert.equal(gmFor(36_500n, 365n), 36_500n + 219n * 335n); // ~3.01x at a year
    // 1 FLOCK for 365 days: 1 + 2.19 * 335 / 365 = 3.01 exactly.
    assert.equal(gmFor(FLOCK, 365n), 3_010_000_000_000_000_000n);
  });

  it("rounds the bonus down", () => {
    // 1 wei for 31 days: bonus 219/36,500 of a wei -> 0.
    assert.equal(gmFor(1n, 31n), 1n);
    // 100 wei for 199 days: 100 * 219 * 169 / 36,500 = 101.4 -> 101.
    assert.equal(gmFor(100n, 199n), 201n);
    assert.equal(gmFor(0n, 100n), 0n);
  });

  it("refuses 0 days and more than 365 (GmFlockInvalidDuration)", () => {
    for (const t of [0n, 366n]) {
      try {
        gmFor(FLOCK, t);
        assert.fail("no throw");
      } catch (e) {
        assert.ok(e instanceof FomoRejection);
        assert.deepEqual(e.revert, { errorName: "GmFlockInvalidDuration", args: [t] });
        assert.equal(describeError(e), `A lock lasts 1 to 365 days, not ${t}.`);
      }
    }
  });

  it("panics where the contract's n * 219 * (t - 30) overflows", () => {
    assert.throws(() => gmFor(UINT256_MAX / 219n + 1n, 31n), RangeError);
    assert.equal(gmFor(UINT256_MAX, 30n), UINT256_MAX, "no multiplication up to 30 days");
  });
});
