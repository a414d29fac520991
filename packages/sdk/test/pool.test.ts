// Unit tests of the Uniswap V2 swap mirror (pool.ts), the local buyback quote and price bound
// (buyback.ts) and the vesting mirrors (vesting.ts). The swap mirror's equality with the real router and
// BuybackExecutor is checked to the wei on a chain by packages/sim/test/epoch.chain.test.ts (a keeper's
// buybacks against the simulator's), and the values below are v2-periphery's own test vectors.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buybackMinOut, buybackPriceFloor, checkBuybackPrices, FomoRejection, getAmountOut, getAmountsOut, linearlyVested, operatorVested,
  quoteBuybackLocal, revertOf, spotPriceX112,
} from "../src/index.ts";

const Q112 = 1n << 112n;
const DAY = 86_400n;

describe("getAmountOut / getAmountsOut", () => {
  it("v2-periphery's vectors: getAmountOut(2, 100, 100) = 1; getAmountsOut(2, 10,000/10,000) = [2, 1]", () => {
    assert.equal(getAmountOut(2n, 100n, 100n), 1n);
    assert.deepEqual(getAmountsOut(2n, [{ reserveIn: 10_000n, reserveOut: 10_000n }]), [2n, 1n]);
  });

  it("refuses where the library reverts", () => {
    assert.throws(() => getAmountOut(0n, 100n, 100n), /INSUFFICIENT_INPUT_AMOUNT/);
    assert.throws(() => getAmountOut(1n, 0n, 100n), /INSUFFICIENT_LIQUIDITY/);
    assert.throws(() => getAmountOut(1n, 100n, 0n), /INSUFFICIENT_LIQUIDITY/);
  });

  it("pays the most the pair's K check allows: the product never falls, the output stays below the reserve", () => {
    for (const [a, x, y] of [[1n, 1n, 1n], [10n ** 30n, 3n, 10n ** 18n], [997n, 1_000n, 1_000n], [12_345n, 10n ** 24n, 7n * 10n ** 20n]] as const) {
      const out = getAmountOut(a, x, y);
      assert.ok(out < y);
      assert.ok((x + a) * (y - out) >= x * y, `${a} into ${x}/${y}`);
      // The pair's own K check (UniswapV2Pair.swap, the fee taken from the input): `out` passes it, one wei more fails.
      const passesK = (o: bigint) => (x * 1_000n + a * 997n) * (y - o) * 1_000n >= x * y * 1_000n * 1_000n;
      assert.ok(passesK(out));
      assert.ok(out + 1n >= y || !passesK(out + 1n));
    }
  });

  it("chains each output into the next pool", () => {
    const pools = [{ reserveIn: 1_000_000n, reserveOut: 2_000_000n }, { reserveIn: 5_000_000n, reserveOut: 1_000n }];
    const [a, b, c] = getAmountsOut(10_000n, pools);
    assert.equal(a, 10_000n);
    assert.equal(b, getAmountOut(10_000n, 1_000_000n, 2_000_000n));
    assert.equal(c, getAmountOut(b!, 5_000_000n, 1_000n));
  });

  it("spot price: the pair's UQ112x112 price of the input token", () => {
    assert.equal(spotPriceX112({ reserveIn: 2n, reserveOut: 1n }), Q112 / 2n);
    assert.equal(spotPriceX112({ reserveIn: 3n, reserveOut: 1n }), Q112 / 3n);
    assert.throws(() => spotPriceX112({ reserveIn: 0n, reserveOut: 1n }), RangeError);
  });
});

describe("quoteBuybackLocal / checkBuybackPrices", () => {
  const pool = { reserveIn: 1_000_000n * 10n ** 6n, reserveOut: 20_000_000n * 10n ** 18n };
  const twap = spotPriceX112(pool);

  it("quotes the swap and its TWAP-valued minimum", () => {
    const q = quoteBuybackLocal([{ ...pool, averagePrice: twap }], 1_000n * 10n ** 6n, 200);
    assert.equal(q.out, getAmountOut(1_000n * 10n ** 6n, pool.reserveIn, pool.reserveOut));
    assert.deepEqual(q.amounts, [1_000n * 10n ** 6n, q.out]);
    assert.equal(q.minOut, buybackMinOut([twap], 1_000n * 10n ** 6n, 200));
    assert.ok(q.minOut < q.out);
  });

  it("refuses a pool priced below its TWAP less the tolerance (BuybackExecutorPriceOutOfBounds)", () => {
    const floorJustAbove = (twap * 10_000n) / 9_800n + 2n; // a TWAP whose floor is above the spot
    assert.ok(buybackPriceFloor(floorJustAbove, 200) > twap);
    const e = (() => {
      try {
        checkBuybackPrices([{ ...pool, averagePrice: floorJustAbove }], 200);
      } catch (error) {
        return error;
      }
    })();
    assert.ok(e instanceof FomoRejection);
    assert.equal(revertOf(e)?.errorName, "BuybackExecutorPriceOutOfBounds");
    assert.doesNotThrow(() => checkBuybackPrices([{ ...pool, averagePrice: (twap * 10_000n) / 9_800n }], 200));
  });

  it("refuses an output below the TWAP value (BuybackExecutorBelowTwapValue): a spend too large for the pool", () => {
    assert.throws(
      () => quoteBuybackLocal([{ ...pool, averagePrice: twap }], pool.reserveIn / 10n, 200),
      (e: unknown) => revertOf(e)?.errorName === "BuybackExecutorBelowTwapValue",
    );
  });
});

describe("vesting mirrors", () => {
  it("IncentivePool: linear from the start, all of it at the end, floored", () => {
    assert.equal(linearlyVested(180n, 1_000n, 180n * DAY, 999n), 0n);
    assert.equal(linearlyVested(180n, 0n, 180n * DAY, DAY), 1n);
    assert.equal(linearlyVested(100n, 0n, 3n, 1n), 33n);
    assert.equal(linearlyVested(100n, 0n, 3n, 3n), 100n);
    assert.equal(linearlyVested(100n, 0n, 0n, 0n), 100n, "a zero duration releases everything at once, as the contract's elapsed ≥ duration");
  });

  it("VestingWalletCliff: nothing before the cliff, then linear from the start (the cliff's days at once)", () => {
    const total = 365n * 10n ** 18n;
    const start = 10n * DAY;
    assert.equal(operatorVested(total, start, 90n * DAY, 365n * DAY, start + 90n * DAY - 1n), 0n);
    assert.equal(operatorVested(total, start, 90n * DAY, 365n * DAY, start + 90n * DAY), 90n * 10n ** 18n);
    assert.equal(operatorVested(total, start, 90n * DAY, 365n * DAY, start + 365n * DAY), total);
    assert.equal(operatorVested(total, start, 90n * DAY, 365n * DAY, start + 400n * DAY), total);
  });
});
