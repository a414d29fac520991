// The graduation split (graduation.ts) at the default terms, where docs/protocol.md#graduation states
// the figures, and its conservation under odd bps; the contract equality is property-tested on a
// chain (contracts/test/nodejs/sdk.test.ts) and the invariants fuzzed in GraduationMath.t.sol.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { allocateGraduation, defaultAllocation, FLOCK, MT, poolFlock, termsCurve, TOTAL_SUPPLY } from "../src/index.ts";
import { defaultSaleTerms } from "../src/params.ts";

const curve = termsCurve(defaultSaleTerms, defaultAllocation);

describe("allocateGraduation", () => {
  it("splits a full raise 40/20/20/10/10 of the supply and 50/30/20 of the FLOCK", () => {
    const raised = 1_000_000n * FLOCK;
    const g = allocateGraduation({ allocation: defaultAllocation, curve, raised, surcharge: 7n });
    assert.deepEqual(
      [g.mtToIncentives, g.mtToOperator, g.mtToTreasury],
      [200_000n * MT, 100_000n * MT, 100_000n * MT],
    );
    assert.deepEqual([g.flockToPool, g.flockToHosting, g.flockToIncentives], [500_000n * FLOCK, 300_000n * FLOCK, 200_000n * FLOCK + 7n]);
    assert.equal(g.sold + g.mtToPool + g.mtBurned + g.mtToIncentives + g.mtToOperator + g.mtToTreasury, TOTAL_SUPPLY);
  });

  it("gives the rounding dust to the treasury and the hosting reserve", () => {
    const allocation = { ...defaultAllocation, saleBps: 3_333, liquidityBps: 2_667, incentivesBps: 1_111, operatorBps: 1_889, flockLiquidityBps: 3_333, flockIncentivesBps: 2_222 };
    const supply = 10n ** 6n + 1n;
    const raised = 999_999n;
    const g = allocateGraduation({ allocation, curve, raised, supply });
    assert.equal(g.sold + g.mtToPool + g.mtBurned + g.mtToIncentives + g.mtToOperator + g.mtToTreasury, supply);
    assert.equal(g.mtToTreasury, supply - 333_300n - 266_700n - 111_100n - 188_900n, "the treasury takes the rest of the supply");
    assert.equal(g.mtToTreasury, 100_001n, "its own 10% (100,000) and the wei of dust");
    assert.equal(g.flockToPool + g.flockToHosting + g.flockToIncentives, raised);
    assert.equal(g.flockToHosting, raised - 333_299n - 222_199n);
  });

  it("lets a synced donation stand in for at most half the pool FLOCK", () => {
    assert.deepEqual([poolFlock(100n, 0n), poolFlock(100n, 30n), poolFlock(100n, 500n), poolFlock(101n, 500n)], [100n, 70n, 50n, 51n]);
  });
});
