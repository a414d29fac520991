// units.ts: micro-USD (the gateway's and ledger's integer unit) <-> settlement stablecoin units, for
// every decimals value a token can declare. The references below work on decimal strings (append
// or drop digits), not on the module's arithmetic; random amounts are seeded (FOMO_SEED replays).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  MAX_BUYBACK_SPEND_USD,
  checkStablecoinDecimals,
  defaultBuybackLimits,
  formatMicroUsd,
  microUsdToTokenUnits,
  parseUsd,
  stablecoinUnit,
  tokenUnitsToMicroUsd,
  usdToTokenUnits,
} from "../src/index.ts";
import { rng, runSeed } from "@fomo/testkit";

const SEED = runSeed(process.env.FOMO_SEED);

/** Every decimals value a uint8 `decimals()` may return that matters: all of 0..24, and the top. */
const ALL_DECIMALS = [...Array.from({ length: 25 }, (_, i) => i), 77, 255];
const supported = (d: number) => d >= 6 && d <= 18;

/** Micro-USD to token units by appending digits: 10^(d-6) units per micro-USD. */
const appendDigits = (microUsd: bigint, d: number) => BigInt(microUsd.toString() + "0".repeat(d - 6));
/** Token units to micro-USD by dropping the d-6 lowest digits, with whether anything non-zero was dropped. */
function dropDigits(units: bigint, d: number): { whole: bigint; dust: boolean } {
  const s = units.toString().padStart(d - 6 + 1, "0");
  const cut = s.length - (d - 6);
  return { whole: BigInt(s.slice(0, cut)), dust: /[1-9]/.test(s.slice(cut)) };
}

describe(`stablecoin units (seed ${SEED})`, () => {
  it("accepts 6 to 18 decimals, as the contracts do, and refuses every other value", () => {
    for (const d of ALL_DECIMALS) {
      if (supported(d)) {
        assert.equal(checkStablecoinDecimals(d), d);
        assert.equal(stablecoinUnit(d).toString(), "1" + "0".repeat(d));
      } else {
        assert.throws(() => stablecoinUnit(d), /unsupported stablecoin decimals/, `${d}`);
        assert.throws(() => microUsdToTokenUnits(1n, d), RangeError);
        assert.throws(() => tokenUnitsToMicroUsd(1n, d, "down"), RangeError);
      }
    }
    for (const d of [6.5, Number.NaN, -6]) assert.throws(() => checkStablecoinDecimals(d), RangeError);
  });

  it("converts micro-USD to token units exactly and back, for every supported decimals", () => {
    const random = rng(SEED).digits;
    for (const d of ALL_DECIMALS.filter(supported)) {
      for (let i = 0; i < 200; i++) {
        const microUsd = i < 3 ? BigInt(i) : random(39);
        const units = microUsdToTokenUnits(microUsd, d);
        assert.equal(units, appendDigits(microUsd, d), `${microUsd} micro-USD at ${d} decimals`);
        assert.equal(tokenUnitsToMicroUsd(units, d, "down"), microUsd, "a whole micro-USD comes back as it went, rounded down");
        assert.equal(tokenUnitsToMicroUsd(units, d, "up"), microUsd, "...and rounded up");
      }
    }
  });

  it("rounds token units to micro-USD down or up as told, by less than one micro-USD", () => {
    const random = rng(SEED + 1).digits;
    for (const d of ALL_DECIMALS.filter(supported)) {
      const perMicro = stablecoinUnit(d) / 1_000_000n;
      const edges = [0n, 1n, perMicro - 1n, perMicro, perMicro + 1n, 10n ** BigInt(d) - 1n];
      for (let i = 0; i < 200 + edges.length; i++) {
        const units = i < edges.length ? edges[i]! : random(60);
        const { whole, dust } = dropDigits(units, d);
        const down = tokenUnitsToMicroUsd(units, d, "down");
        const up = tokenUnitsToMicroUsd(units, d, "up");
        assert.equal(down, whole, `${units} units at ${d} decimals, down`);
        assert.equal(up, dust ? whole + 1n : whole, `${units} units at ${d} decimals, up`);
        // In the protocol's favour: credited (down) never exceeds what arrived; owed (up) always covers it.
        assert.ok(microUsdToTokenUnits(down, d) <= units && units < microUsdToTokenUnits(down + 1n, d));
        assert.ok(microUsdToTokenUnits(up, d) >= units && (up === 0n || microUsdToTokenUnits(up - 1n, d) < units));
      }
    }
  });

  it("is exact on USDC of 6 decimals (Base) and of 18 (BSC)", () => {
    // 6 decimals: a token unit is a micro-USD.
    assert.equal(microUsdToTokenUnits(1_234_567n, 6), 1_234_567n);
    assert.equal(tokenUnitsToMicroUsd(1_234_567n, 6, "down"), 1_234_567n);
    assert.equal(tokenUnitsToMicroUsd(1_234_567n, 6, "up"), 1_234_567n);
    // 18 decimals: 1 USD = 10^18 units = 10^6 micro-USD; one unit more is dust, credited as nothing.
    assert.equal(microUsdToTokenUnits(1_000_000n, 18), 1_000_000_000_000_000_000n);
    assert.equal(tokenUnitsToMicroUsd(1_000_000_000_000_000_001n, 18, "down"), 1_000_000n);
    assert.equal(tokenUnitsToMicroUsd(1_000_000_000_000_000_001n, 18, "up"), 1_000_001n);
    assert.equal(tokenUnitsToMicroUsd(1n, 18, "down"), 0n);
    assert.equal(tokenUnitsToMicroUsd(1n, 18, "up"), 1n);
  });

  it("scales whole-USD bounds: the default buyback cap is 10,000 USD on either USDC", () => {
    assert.equal(usdToTokenUnits(10_000n, 6), 10_000_000_000n);
    assert.equal(defaultBuybackLimits(6).maxSpendPerInterval, 10_000_000_000n);
    assert.equal(defaultBuybackLimits(18).maxSpendPerInterval, 10_000_000_000_000_000_000_000n);
    // The executor's hard bound, 1M USD, fits its uint128 storage even on 18 decimals.
    assert.ok(usdToTokenUnits(MAX_BUYBACK_SPEND_USD, 18) < 2n ** 128n);
    assert.throws(() => defaultBuybackLimits(5), RangeError);
  });

  it("refuses negative amounts", () => {
    assert.throws(() => microUsdToTokenUnits(-1n, 6), RangeError);
    assert.throws(() => tokenUnitsToMicroUsd(-1n, 18, "up"), RangeError);
    assert.throws(() => usdToTokenUnits(-1n, 18), RangeError);
  });

  it("parses and formats decimal USD strings to and from micro-USD exactly", () => {
    assert.equal(parseUsd("0"), 0n);
    assert.equal(parseUsd("12.5"), 12_500_000n);
    assert.equal(parseUsd("0.000001"), 1n);
    assert.equal(parseUsd("9007199254.740993"), 9_007_199_254_740_993n);
    for (const bad of ["-1", "1.2345678", "1e3", "", "1.", ".5"]) assert.throws(() => parseUsd(bad), /not a USD amount/);
    assert.equal(formatMicroUsd(12_500_000n), "12.500000");
    assert.equal(formatMicroUsd(1n), "0.000001");
    assert.equal(formatMicroUsd(-1_500_000n), "-1.500000");
    const random = rng(SEED + 2).digits;
    for (let i = 0; i < 100; i++) {
      const m = random(30);
      assert.equal(parseUsd(formatMicroUsd(m)), m);
    }
  });
});
