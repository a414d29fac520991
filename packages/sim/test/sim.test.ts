// The simulator's own books: runs reproducible from the seed (and run i the same whatever the number of
// runs), every day's revenue routed in full, the supply falling by exactly what was burned and its parts
// adding up to the fixed supply, budgets moving by what was funded and spent, the price fan ordered; the
// default scenario file equal to the built-in defaults; scenario files refused naming the bad field.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { microUsdToTokenUnits, TOTAL_SUPPLY } from "@fomo/sdk";
import {
  buybackRound, defaultScenario, parseScenario, randomFor, scaleAmount, ScenarioError, simulate, simulateRun, simulationDocument,
  simulationSvg, spotTwaps, summarize, type Scenario,
} from "../src/index.ts";

const DAYS = 40;
const small = (over: Partial<Scenario> = {}): Scenario => ({ ...defaultScenario(), ...over });

describe("determinism", () => {
  it("the same seed gives the same runs; another seed, other runs; run i does not depend on how many runs there are", () => {
    const a = simulate(small(), { days: DAYS, runs: 3, seed: 7 });
    const b = simulate(small(), { days: DAYS, runs: 3, seed: 7 });
    assert.deepEqual(a.runs, b.runs);
    assert.deepEqual(a.fan, b.fan);
    const c = simulate(small(), { days: DAYS, runs: 3, seed: 8 });
    assert.notDeepEqual(a.runs.map((r) => r.days.at(-1)?.mtPriceMicroUsd), c.runs.map((r) => r.days.at(-1)?.mtPriceMicroUsd));
    const more = simulate(small(), { days: DAYS, runs: 5, seed: 7 });
    assert.deepEqual(more.runs.slice(0, 3), a.runs);
    // Runs differ from each other: each has its own stream.
    assert.notDeepEqual(a.runs[0]!.raise, a.runs[1]!.raise);
  });

  it("random streams: reproducible, in [0, 1), and scaleAmount floors", () => {
    const x = randomFor(1, 0);
    const y = randomFor(1, 0);
    const draws = Array.from({ length: 1_000 }, () => x.next());
    assert.deepEqual(draws, Array.from({ length: 1_000 }, () => y.next()));
    assert.ok(draws.every((d) => d >= 0 && d < 1));
    assert.notEqual(randomFor(1, 1).next(), randomFor(1, 0).next());
    assert.equal(scaleAmount(10n, 0.99), 9n);
    assert.equal(scaleAmount(3n * 10n ** 18n, 0.5), 15n * 10n ** 17n);
    assert.throws(() => scaleAmount(1n, -1), RangeError);
  });
});

describe("conservation", () => {
  const sim = simulate(small(), { days: DAYS, runs: 4, seed: 11 });
  const graduated = sim.runs.filter((r) => r.raise.graduated);

  it("some runs graduate", () => assert.ok(graduated.length > 0));

  it("routed = revenue: the report is the ledger's gross in stablecoin units, and its parts add up to it", () => {
    const decimals = sim.scenario.usdcDecimals;
    for (const run of graduated) {
      for (const d of run.days) {
        assert.equal(d.gross, microUsdToTokenUnits(d.grossMicroUsd, decimals));
        assert.equal(d.hardCost, microUsdToTokenUnits(d.hardCostMicroUsd, decimals));
        assert.equal(d.hardCost + d.mtBuybackFunded + d.issuerYield + d.flockBuybackFunded + d.treasury, d.gross, `day ${d.day}`);
      }
    }
  });

  it("the supply falls by exactly what was burned, and its parts add up to the fixed supply", () => {
    for (const run of graduated) {
      let supply = TOTAL_SUPPLY - run.graduation!.mtBurned;
      for (const d of run.days) {
        assert.equal(d.supply.totalSupply, supply - d.mtBurned, `day ${d.day}`);
        supply = d.supply.totalSupply;
        const s = d.supply;
        assert.equal(s.burned + s.pool + s.vesting + s.incentives + s.treasury + s.circulating, TOTAL_SUPPLY);
        assert.equal(s.totalSupply + s.burned, TOTAL_SUPPLY);
        for (const part of [s.pool, s.vesting, s.incentives, s.circulating]) assert.ok(part >= 0n);
      }
    }
  });

  it("budgets move by what the router funded and the buybacks spent", () => {
    for (const run of graduated) {
      let budgets = { mt: 0n, flock: 0n };
      for (const d of run.days) {
        assert.deepEqual(d.budgets, { mt: budgets.mt + d.mtBuybackFunded - d.mtBuybackSpent, flock: budgets.flock + d.flockBuybackFunded - d.flockBuybackSpent });
        budgets = d.budgets;
      }
    }
  });

  it("the emission this $MT gets is at most E(d), and its users and issuer get at most that", () => {
    for (const run of graduated) {
      for (const d of run.days) {
        assert.ok(d.mtEmission <= d.emission + 10n ** 18n, `day ${d.day}`); // the carried dust joins the pot
        assert.ok(d.issuerBonus + d.usersFlock <= d.mtEmission + run.graduation!.flockToIncentives);
      }
    }
  });

  it("the price fan is ordered every day: p5 ≤ p50 ≤ p95", () => {
    assert.equal(sim.fan.length, DAYS);
    for (const f of sim.fan) assert.ok(f.p5 <= f.p50 && f.p50 <= f.p95, `day ${f.day}`);
    assert.ok(sim.fan.some((f) => f.p5 < f.p95), "the runs differ");
  });

  it("the summary, the JSON document and the SVG speak of the same runs", () => {
    const summary = summarize(sim);
    assert.equal(summary.graduated, graduated.length);
    for (const row of summary.rows) assert.ok(row.percentiles.p5 <= row.percentiles.p50 && row.percentiles.p50 <= row.percentiles.p95, row.figure);
    const doc = simulationDocument(sim);
    assert.equal(doc.representative?.days.length, DAYS);
    const svg = simulationSvg(sim);
    assert.match(svg, /^<\?xml[^>]*>\n<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    for (const title of ["$MT supply", "Emissions per day", "Buybacks vs revenue per day", "$MT price fan"]) assert.ok(svg.includes(title), title);
    assert.equal((svg.match(/<g>/g) ?? []).length, 4);
    assert.ok(!/NaN|Infinity/.test(svg));
  });
});

describe("the issuer's income", () => {
  it("operator vesting: nothing for 89 days, 90/365 of it on day 90 (the cliff), all of it by day 365", () => {
    const run = simulateRun(small(), 366, randomFor(21, 0));
    assert.ok(run.raise.graduated);
    const total = run.graduation!.mtToOperator;
    const vested = run.days.map((d) => d.issuerVestedMt);
    assert.ok(vested.slice(0, 89).every((v) => v === 0n));
    assert.equal(vested[89], (total * 90n) / 365n);
    assert.equal(vested.reduce((a, b) => a + b, 0n), total);
    assert.equal(run.days.at(-1)!.supply.vesting, 0n, "the first buy and the operator's $MT are all free after a year");
    // Income counts at least the yield, which is in the stablecoin (6 decimals: micro-USD = units).
    for (const d of run.days) assert.ok(d.issuerIncomeMicroUsd >= d.issuerYield);
  });
});

describe("a failed raise", () => {
  it("a raise that cannot reach raiseMin fails and has no days after it", () => {
    const s = small({ raise: { ...defaultScenario().raise, firstBuyFlock: 0n, buysPerDay: 1, buysDailyFactor: 1, buyFlockMedian: 10n ** 18n } });
    const run = simulateRun(s, DAYS, randomFor(3, 0));
    assert.equal(run.raise.graduated, false);
    assert.ok(run.raise.raised < s.sale.raiseMin);
    assert.deepEqual(run.days, []);
    const sim = simulate(s, { days: DAYS, runs: 2, seed: 3 });
    assert.equal(sim.graduated, 0);
    assert.equal(sim.representative, -1);
    assert.deepEqual(sim.fan, []);
    assert.ok(!/NaN/.test(simulationSvg(sim)));
  });
});

describe("buyback rounds", () => {
  const s = defaultScenario();
  const pools = { usdcFlock: { usdc: 100_000n * 10n ** 6n, flock: 2_000_000n * 10n ** 18n }, flockMt: { flock: 500_000n * 10n ** 18n, mt: 66_666n * 10n ** 18n } };
  const limits = { maxSpendPerInterval: s.buyback.maxSpendPerInterval, interval: 3_600, maxDeviationBps: 200, maxPoolShareBps: 20 };

  it("a large budget spends the pools' depth limit and burns what it buys", () => {
    const { round, pools: after, budgets } = buybackRound(pools, { mt: 10n ** 12n, flock: 0n }, limits);
    assert.ok(round.mt.executed);
    // Depth: 0.20% of each pool's input reserve — 200 USDC on the first, 1,000 FLOCK (50 USDC at its
    // 20 FLOCK a USDC) on the second: the second binds, so the spend is 50 USDC, less rounding.
    assert.ok(round.mt.spent <= 50n * 10n ** 6n && round.mt.spent > 50n * 10n ** 6n - 10n, `${round.mt.spent}`);
    assert.equal(budgets.mt, 10n ** 12n - round.mt.spent);
    assert.equal(after.flockMt.mt, pools.flockMt.mt - round.mt.bought);
    assert.equal(after.usdcFlock.usdc, pools.usdcFlock.usdc + round.mt.spent);
    assert.deepEqual(round.flock, { executed: false, refusal: "BuybackExecutorNothingToSpend" });
  });

  it("a pool priced below its TWAP floor is refused, and nothing moves", () => {
    const twaps = spotTwaps(pools);
    const high = { ...twaps, flockInMt: (twaps.flockInMt * 103n) / 100n };
    const { round, pools: after, budgets } = buybackRound(pools, { mt: 10n ** 9n, flock: 10n ** 9n }, limits, high);
    assert.deepEqual(round.mt, { executed: false, refusal: "BuybackExecutorPriceOutOfBounds" });
    assert.ok(round.flock.executed, "the FLOCK buyback's pool is in bounds");
    assert.equal(budgets.mt, 10n ** 9n);
    assert.deepEqual(after.flockMt, pools.flockMt);
  });
});

describe("scenario files", () => {
  it("scenarios/default.json states the built-in defaults", () => {
    const file = JSON.parse(readFileSync(new URL("../scenarios/default.json", import.meta.url), "utf8"));
    assert.deepEqual(parseScenario(file), defaultScenario());
  });

  it("a field left out keeps its default; amounts are exact", () => {
    const s = parseScenario({ raise: { buyFlockMedian: "0.000000000000000001" }, market: { poolUsdc: "12.345678" }, usdcDecimals: 18 });
    assert.equal(s.raise.buyFlockMedian, 1n);
    assert.equal(s.raise.buysPerDay, defaultScenario().raise.buysPerDay);
    assert.equal(s.market.poolUsdc, 12_345_678n * 10n ** 12n);
    assert.equal(s.buyback.maxSpendPerInterval, 10_000n * 10n ** 18n, "the cap follows the stablecoin's decimals");
  });

  it("refuses what it cannot read, naming the field", () => {
    for (const [json, message] of [
      [{ raise: { buyFlockMedian: 2000 } }, /^raise\.buyFlockMedian: expected a decimal string/],
      [{ raise: { buysPerDay: -1 } }, /^raise\.buysPerDay: expected a number from 0/],
      [{ demand: { requestsPerDya: 1 } }, /^demand\.requestsPerDya: unknown field/],
      [{ colour: "red" }, /^colour: unknown field/],
      [{ template: "gpt-5" }, /^template: unknown template "gpt-5"/],
      [{ split: { treasuryBps: 2_000 } }, /^split: out of the RevenueRouter's bounds/],
      [{ market: { poolUsdc: "1.0000001" } }, /^market\.poolUsdc: /],
      [{ buyback: { perDay: 25 } }, /^buyback\.perDay: at most 24 rounds/],
      [[], /^scenario: expected a JSON object/],
    ] as const) {
      assert.throws(() => parseScenario(json), (e: Error) => e instanceof ScenarioError && message.test(e.message), JSON.stringify(json));
    }
  });
});
