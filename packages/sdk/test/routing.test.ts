// Unit tests of the revenue routing mirror (routing.ts) against product.md §5.1: net = gross − hard cost,
// split 50/20/15/15 by default, each share rounded down, the rounding remainder to the treasury.
// Equality with RevenueRouter.sol is property-tested on a chain in contracts/test/nodejs/sdk.engine.test.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  FomoRejection,
  UINT256_MAX,
  checkSplit,
  defaultRevenueSplit,
  describeError,
  routeOf,
  stablecoinUnit,
  type RevenueSplit,
} from "../src/index.ts";

/** One USDC of 6 decimals (the split is the same in any unit). */
const USDC = stablecoinUnit(6);
const sum = (r: ReturnType<typeof routeOf>) => r.hardCost + r.mtBuyback + r.issuerYield + r.flockBuyback + r.treasury;

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail("expected a throw");
}

describe("routeOf", () => {
  it("splits the default 50/20/15/15 of net after the hard cost", () => {
    // 1,000 USDC gross, 100 USDC hard cost: 900 net.
    assert.deepEqual(routeOf(1_000n * USDC, 100n * USDC), {
      hardCost: 100n * USDC,
      mtBuyback: 450n * USDC,
      issuerYield: 180n * USDC,
      flockBuyback: 135n * USDC,
      treasury: 135n * USDC,
    });
  });

  it("gives the rounding remainder to the treasury, so the parts sum to gross exactly", () => {
    // net 1 wei: every bps share rounds to 0, the treasury takes it.
    assert.deepEqual(routeOf(1n, 0n), { hardCost: 0n, mtBuyback: 0n, issuerYield: 0n, flockBuyback: 0n, treasury: 1n });
    // net 7: 50% -> 3, 20% -> 1, 15% -> 1, treasury 7 - 5 = 2 (1 of its own share, 1 of remainder).
    assert.deepEqual(routeOf(10n, 3n), { hardCost: 3n, mtBuyback: 3n, issuerYield: 1n, flockBuyback: 1n, treasury: 2n });
    for (const [gross, cost] of [[999_999n, 1n], [123_456_789n, 23_456_789n], [10n ** 30n + 7n, 3n]] as const) {
      const r = routeOf(gross, cost);
      assert.equal(sum(r), gross);
      const net = gross - cost;
      // The remainder is under one unit per share rounded (3 of them).
      const own = (net * BigInt(defaultRevenueSplit.treasuryBps)) / 10_000n;
      assert.ok(r.treasury >= own && r.treasury - own < 3n, `treasury ${r.treasury} vs its share ${own}`);
    }
  });

  it("routes everything to hosting when the cost equals gross", () => {
    assert.deepEqual(routeOf(5n * USDC, 5n * USDC), { hardCost: 5n * USDC, mtBuyback: 0n, issuerYield: 0n, flockBuyback: 0n, treasury: 0n });
  });

  it("follows another split", () => {
    const split: RevenueSplit = { mtBuybackBps: 6_000, issuerYieldBps: 1_000, flockBuybackBps: 0, treasuryBps: 3_000 };
    assert.deepEqual(routeOf(100n, 0n, split), { hardCost: 0n, mtBuyback: 60n, issuerYield: 10n, flockBuyback: 0n, treasury: 30n });
  });

  it("refuses a hard cost above gross like reportRevenue (RevenueRouterCostAboveRevenue)", () => {
    const err = thrown(() => routeOf(5n * USDC, 6n * USDC));
    assert.ok(err instanceof FomoRejection);
    assert.deepEqual(err.revert, { errorName: "RevenueRouterCostAboveRevenue", args: [5n * USDC, 6n * USDC] });
    assert.equal(describeError(err, { usdcDecimals: 6 }), "The hard cost 6 USDC is above the gross revenue 5 USDC.");
    // The same refusal on an 18-decimal USDC, and without the decimals (never a guess: raw units).
    const onBsc = thrown(() => routeOf(5n * 10n ** 18n, 6n * 10n ** 18n));
    assert.equal(describeError(onBsc, { usdcDecimals: 18 }), "The hard cost 6 USDC is above the gross revenue 5 USDC.");
    assert.equal(describeError(err), "The hard cost 6,000,000 USDC units is above the gross revenue 5,000,000 USDC units.");
  });

  it("panics where the contract's net × bps would overflow", () => {
    assert.throws(() => routeOf(UINT256_MAX, 0n), RangeError);
    assert.throws(() => routeOf(-1n, 0n), RangeError);
  });
});

describe("checkSplit", () => {
  const refusal = (s: RevenueSplit) => (thrown(() => checkSplit(s)) as FomoRejection).revert;
  it("accepts the default and the bounds themselves", () => {
    checkSplit(defaultRevenueSplit);
    checkSplit({ mtBuybackBps: 2_000, issuerYieldBps: 3_000, flockBuybackBps: 3_000, treasuryBps: 2_000 }); // buybacks exactly 50%
    checkSplit({ mtBuybackBps: 4_000, issuerYieldBps: 0, flockBuybackBps: 3_000, treasuryBps: 3_000 }); // treasury at its cap
  });
  it("refuses what setSplit refuses, naming the parameter", () => {
    assert.deepEqual(refusal({ mtBuybackBps: 5_000, issuerYieldBps: 2_000, flockBuybackBps: 1_500, treasuryBps: 1_499 }), { errorName: "RevenueRouterInvalidParameter", args: ["split"] });
    assert.deepEqual(refusal({ mtBuybackBps: 2_000, issuerYieldBps: 3_000, flockBuybackBps: 2_999, treasuryBps: 2_001 }), { errorName: "RevenueRouterInvalidParameter", args: ["buybackBps"] });
    assert.deepEqual(refusal({ mtBuybackBps: 5_000, issuerYieldBps: 3_001, flockBuybackBps: 0, treasuryBps: 1_999 }), { errorName: "RevenueRouterInvalidParameter", args: ["issuerYieldBps"] });
    assert.deepEqual(refusal({ mtBuybackBps: 5_000, issuerYieldBps: 1_999, flockBuybackBps: 0, treasuryBps: 3_001 }), { errorName: "RevenueRouterInvalidParameter", args: ["treasuryBps"] });
  });
});
