// Request pricing: list price, staker discount, min-price floor, hard cost, worst-case hold. Expected values are worked out by hand from product.md §4 (prices are micro-USD
// per 1M tokens; every amount rounds up, in the protocol's favour), or checked as inequalities that
// define "the smallest integer at least the exact amount", never copied from a run.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ceilDiv, discountBpsForStake, hardCost, minPriceOf, priceRequest, worstCaseCost, type Pricing } from "../src/pricing.ts";
import { defaultCatalog } from "../src/catalog.ts";
import { MT } from "../src/params.ts";
import { usdPerMillion } from "../src/money.ts";
import { rng } from "@fomo/testkit";
import { TEST_PRICING, tokens } from "@fomo/testkit/pricing";

const PRICING = TEST_PRICING;

describe("priceRequest", () => {
  it("charges input x inputPrice + output x outputPrice per 1M tokens", () => {
    // 1,000 x 0.20 + 500 x 0.80 per 1M = (200,000,000 + 400,000,000) / 1,000,000 = 600 micro-USD.
    const p = priceRequest(PRICING, tokens(1_000n, 500n));
    assert.equal(p.listPrice, 600n);
    assert.equal(p.price, 600n);
    assert.equal(p.discountBps, 0);
    // Floor: (1,000 x 22,000 + 500 x 55,000) / 1M = 49.5 -> 50. Hard cost: (20M + 25M) / 1M = 45.
    assert.equal(p.minPrice, 50n);
    assert.equal(p.hardCost, 45n);
  });

  it("applies the staker discount to the exact amount", () => {
    // 600 micro-USD less 5% / 10% / 20%.
    assert.equal(priceRequest(PRICING, tokens(1_000n, 500n), 500).price, 570n);
    assert.equal(priceRequest(PRICING, tokens(1_000n, 500n), 1_000).price, 540n);
    assert.equal(priceRequest(PRICING, tokens(1_000n, 500n), 2_000).price, 480n);
    assert.equal(priceRequest(PRICING, tokens(1_000n, 500n), 2_000).listPrice, 600n, "list price is before discount");
    // Rounded once: 7 input tokens = 1.4 micro-USD, 20% off = 1.12 -> 2; 13 output tokens = 10.4,
    // 10% off = 9.36 -> 10. 21 input tokens = 4.2 (list 5): 10% off the exact 4.2 is 3.78 -> 4,
    // where discounting the rounded list price would charge ceil(4.5) = 5.
    assert.equal(priceRequest(PRICING, tokens(7n, 0n), 2_000).price, 2n);
    assert.equal(priceRequest(PRICING, tokens(0n, 13n), 1_000).price, 10n);
    assert.equal(priceRequest(PRICING, tokens(21n, 0n), 1_000).listPrice, 5n);
    assert.equal(priceRequest(PRICING, tokens(21n, 0n), 1_000).price, 4n);
    // 1 input token at 20% off: 0.16 -> 1 (its floor, 0.022, also rounds up to 1).
    assert.equal(priceRequest(PRICING, tokens(1n, 0n), 2_000).price, 1n);
  });

  it("rounds every amount up to the micro-USD, in the protocol's favour", () => {
    // 1 input token: 0.2 micro-USD -> 1. 3 input tokens: 0.6 -> 1. 5 input tokens: exactly 1.
    assert.equal(priceRequest(PRICING, tokens(1n, 0n)).listPrice, 1n);
    assert.equal(priceRequest(PRICING, tokens(3n, 0n)).listPrice, 1n);
    assert.equal(priceRequest(PRICING, tokens(5n, 0n)).listPrice, 1n);
    assert.equal(priceRequest(PRICING, tokens(6n, 0n)).listPrice, 2n);
    // Hard cost of 1 output token: 0.05 -> 1. Nothing at all costs nothing.
    assert.equal(hardCost(PRICING, tokens(0n, 1n)), 1n);
    assert.deepEqual(priceRequest(PRICING, tokens(0n, 0n), 2_000), {
      listPrice: 0n,
      discountBps: 2_000,
      minPrice: 0n,
      price: 0n,
      hardCost: 0n,
    });
  });

  it("floors each token class at its own min price, for random custom prices and discounts, rounding once and up", () => {
    const random = rng(4).upTo;
    const SCALE = 1_000_000n * 10_000n;
    let classBelowItsFloor = 0;
    for (let i = 0; i < 2_000; i++) {
      // Custom prices, some of a class below that class's min price (an issuer's terms can be).
      const pricing: Pricing = {
        inputPrice: random(5_000_000n),
        outputPrice: random(20_000_000n),
        inputMinPrice: random(1_000_000n),
        outputMinPrice: random(3_000_000n),
        inputCost: random(1_000_000n),
        outputCost: random(3_000_000n),
      };
      const t = tokens(random(200_000n), random(50_000n));
      const discountBps = Number(random(10_000n));
      const keep = BigInt(10_000 - discountBps);
      const p = priceRequest(pricing, t, discountBps);
      // Each class's exact amount (x 10^10) discounted, and at its floor.
      const inputDiscounted = t.inputTokens * pricing.inputPrice * keep;
      const inputFloor = t.inputTokens * pricing.inputMinPrice * 10_000n;
      const outputDiscounted = t.outputTokens * pricing.outputPrice * keep;
      const outputFloor = t.outputTokens * pricing.outputMinPrice * 10_000n;
      if ((inputDiscounted < inputFloor) !== (outputDiscounted < outputFloor)) classBelowItsFloor++;
      // Every way of pricing the classes that respects "discounted, but never below the floor".
      const bounds = [
        inputDiscounted + outputDiscounted,
        inputFloor + outputFloor,
        inputFloor + outputDiscounted,
        inputDiscounted + outputFloor,
      ];
      for (const bound of bounds) assert.ok(p.price * SCALE >= bound, `case ${i}: ${p.price} x 10^10 < ${bound}`);
      const exact = bounds.reduce((a, b) => (a > b ? a : b));
      assert.ok(p.price === 0n || (p.price - 1n) * SCALE < exact, `case ${i}: not the smallest integer at least the exact price`);
      const rawCost = t.inputTokens * pricing.inputCost + t.outputTokens * pricing.outputCost;
      assert.ok(p.hardCost * 1_000_000n >= rawCost && (p.hardCost === 0n || (p.hardCost - 1n) * 1_000_000n < rawCost));
    }
    assert.ok(classBelowItsFloor > 100, `only ${classBelowItsFloor} cases priced one class below its floor`);
  });

  it("charges a class priced below its floor that floor, whatever the other class pays", () => {
    // Input at $0.01 per 1M under a $0.022 floor, output at $0.80 well above its $0.055 floor.
    const cheapInput: Pricing = { ...PRICING, inputPrice: usdPerMillion("0.01") };
    // 1M input: 22,000 (its floor, not its 10,000 list); 1M output: 800,000. A floor on the total
    // (10,000 + 800,000 >= 77,000) would have charged 810,000.
    assert.equal(priceRequest(cheapInput, tokens(1_000_000n, 1_000_000n)).price, 822_000n);
    // 20% off: output 640,000, input still 22,000.
    assert.equal(priceRequest(cheapInput, tokens(1_000_000n, 1_000_000n), 2_000).price, 662_000n);
    // One input token (0.022) and one output token (0.8): 0.822 rounds up once to 1, not 1 + 1.
    assert.equal(priceRequest(cheapInput, tokens(1n, 1n)).price, 1n);
  });

  it("never charges below the template's min price, whatever the discount", () => {
    // A template priced just above its floor: $0.023 / $0.060 with floors $0.022 / $0.055.
    const thin: Pricing = { ...PRICING, inputPrice: usdPerMillion("0.023"), outputPrice: usdPerMillion("0.060") };
    // 1M input tokens: list 23,000 micro-USD; 20% off = 18,400 < floor 22,000 -> 22,000.
    const p = priceRequest(thin, tokens(1_000_000n, 0n), 2_000);
    assert.equal(p.listPrice, 23_000n);
    assert.equal(p.minPrice, 22_000n);
    assert.equal(p.price, 22_000n);
    // 5% off = 21,850 < 22,000 -> floor; no discount -> list.
    assert.equal(priceRequest(thin, tokens(1_000_000n, 0n), 500).price, 22_000n);
    assert.equal(priceRequest(thin, tokens(1_000_000n, 0n), 0).price, 23_000n);
    // 1M output tokens: list 60,000, 5% off = 57,000 >= floor 55,000 -> 57,000; 10% off = 54,000 -> 55,000.
    assert.equal(priceRequest(thin, tokens(0n, 1_000_000n), 500).price, 57_000n);
    assert.equal(priceRequest(thin, tokens(0n, 1_000_000n), 1_000).price, 55_000n);
  });

  it("rejects negative token counts and discounts outside [0, 10000] bps", () => {
    assert.throws(() => priceRequest(PRICING, tokens(-1n, 0n)), RangeError);
    assert.throws(() => priceRequest(PRICING, tokens(0n, -1n)), RangeError);
    assert.throws(() => priceRequest(PRICING, tokens(1n, 1n), 10_001), RangeError);
    assert.throws(() => priceRequest(PRICING, tokens(1n, 1n), -1), RangeError);
    assert.throws(() => priceRequest(PRICING, tokens(1n, 1n), 2.5), RangeError);
    assert.equal(priceRequest(PRICING, tokens(1_000n, 500n), 10_000).price, 50n, "a 100% discount leaves the floor");
  });
});

describe("worstCaseCost", () => {
  it("is the undiscounted price of the prompt plus max_tokens of output", () => {
    // 1,000 x 200,000 + 256 x 800,000 = 404,800,000 -> 404.8 -> 405 micro-USD.
    assert.equal(worstCaseCost(PRICING, 1_000n, 256n), 405n);
  });

  it("covers every outcome up to max_tokens at any discount", () => {
    const random = rng(7).upTo;
    for (let i = 0; i < 500; i++) {
      const prompt = random(5_000n);
      const max = random(2_000n);
      const hold = worstCaseCost(PRICING, prompt, max);
      const used = tokens(prompt, random(max));
      const discountBps = Number(random(2_000n));
      assert.ok(priceRequest(PRICING, used, discountBps).price <= hold);
    }
    // Also when the floor is above the list price (a misconfigured template must not overdraw).
    const inverted: Pricing = { ...PRICING, inputMinPrice: 10n * PRICING.inputPrice };
    assert.ok(priceRequest(inverted, tokens(100n, 10n), 2_000).price <= worstCaseCost(inverted, 100n, 10n));
  });
});

describe("staker discount tiers (product.md §4)", () => {
  it("gives 5% from 1,000 $MT staked, 10% from 10,000 and 20% from 50,000", () => {
    const cases: Array<[bigint, number]> = [
      [0n, 0],
      [1_000n * MT - 1n, 0],
      [1_000n * MT, 500],
      [10_000n * MT - 1n, 500],
      [10_000n * MT, 1_000],
      [50_000n * MT - 1n, 1_000],
      [50_000n * MT, 2_000],
      [1_000_000n * MT, 2_000],
    ];
    for (const [stake, bps] of cases) assert.equal(discountBpsForStake(stake), bps, `stake ${stake}`);
  });

  it("does not depend on the order of the tiers", () => {
    const tiers = [
      { minStake: 10n, discountBps: 100 },
      { minStake: 100n, discountBps: 300 },
      { minStake: 50n, discountBps: 200 },
    ];
    assert.equal(discountBpsForStake(60n, tiers), 200);
    assert.equal(discountBpsForStake(100n, tiers), 300);
    assert.equal(discountBpsForStake(9n, tiers), 0);
  });
});

describe("min price = 1.1 x hard cost (product.md §2)", () => {
  it("is 110% of the cost per token class, rounded up", () => {
    assert.equal(minPriceOf(0n), 0n);
    assert.equal(minPriceOf(10n), 11n);
    assert.equal(minPriceOf(1n), 2n, "1.1 rounds up to 2");
    assert.equal(minPriceOf(19n), 21n, "20.9 rounds up to 21");
    assert.equal(minPriceOf(TEST_PRICING.inputCost), TEST_PRICING.inputMinPrice, "$0.02 -> $0.022 per 1M");
    assert.equal(minPriceOf(TEST_PRICING.outputCost), TEST_PRICING.outputMinPrice, "$0.05 -> $0.055 per 1M");
  });

  it("sets every catalog template's floors", () => {
    for (const { baseModelId, pricing } of defaultCatalog) {
      assert.equal(pricing.inputMinPrice * 10n >= pricing.inputCost * 11n, true, baseModelId);
      assert.equal((pricing.inputMinPrice - 1n) * 10n < pricing.inputCost * 11n, true, `${baseModelId}: the least such integer`);
      assert.equal(pricing.outputMinPrice * 10n >= pricing.outputCost * 11n, true, baseModelId);
      assert.equal((pricing.outputMinPrice - 1n) * 10n < pricing.outputCost * 11n, true, `${baseModelId}: the least such integer`);
    }
  });
});

describe("ceilDiv", () => {
  it("rounds up positive quotients and keeps exact ones", () => {
    assert.equal(ceilDiv(0n, 7n), 0n);
    assert.equal(ceilDiv(14n, 7n), 2n);
    assert.equal(ceilDiv(15n, 7n), 3n);
    assert.equal(ceilDiv(1n, 1_000_000n), 1n);
    assert.equal(ceilDiv(-15n, 7n), -2n, "ceil(-2.14) = -2");
    assert.throws(() => ceilDiv(1n, 0n), RangeError);
  });
});
