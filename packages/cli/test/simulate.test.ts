// `fomo simulate` as a user runs it: one JSON document with --json (the same from the same seed, in
// another process), a table of percentiles and the price fan otherwise, the charts written by --chart,
// a scenario file read over the defaults, and bad command lines or scenario files exiting 2 with a
// sentence naming what is wrong.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { parseSimulateArgs } from "../src/commands/simulate.ts";
import { fomo, fomoJson } from "./support/fomo.ts";

let dir = "";
before(() => {
  dir = mkdtempSync(join(tmpdir(), "fomo-simulate-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface SimulationJson {
  options: { days: number; runs: number; seed: number };
  runs: number;
  graduated: number;
  summary: Record<string, { unit: string; p5: string; p50: string; p95: string }>;
  fan: { day: number; p5: string; p50: string; p95: string }[];
  representative: { run: number; days: { day: number; gross: string }[] } | null;
}

test("--json: one document, reproducible from the seed across processes", { timeout: 120_000 }, async () => {
  const a = await fomoJson<SimulationJson>("simulate", "--runs", "3", "--days", "15", "--seed", "5");
  const b = await fomoJson<SimulationJson>("simulate", "--runs", "3", "--days", "15", "--seed", "5");
  assert.deepEqual(a, b);
  assert.deepEqual(a.options, { days: 15, runs: 3, seed: 5 });
  assert.equal(a.runs, 3);
  assert.ok(a.graduated > 0);
  assert.equal(a.fan.length, 15);
  for (const f of a.fan) assert.ok(BigInt(f.p5) <= BigInt(f.p50) && BigInt(f.p50) <= BigInt(f.p95));
  assert.equal(a.representative?.days.length, 15);
  assert.equal(a.summary["$MT price at the end"]?.unit, "micro-USD");
  const other = await fomoJson<SimulationJson>("simulate", "--runs", "3", "--days", "15", "--seed", "6");
  assert.notDeepEqual(other.fan, a.fan);
});

test("human output: the percentile table and the fan; --chart writes the SVG; a scenario file over the defaults", { timeout: 120_000 }, async () => {
  const chart = join(dir, "sim.svg");
  const scenario = join(dir, "scenario.json");
  writeFileSync(scenario, JSON.stringify({ runs: 2, days: 10, demand: { requestsPerDay: 10 } }));
  const { code, stdout, stderr } = await fomo("simulate", "--scenario", scenario, "--chart", chart);
  assert.equal(code, 0, stderr);
  assert.match(stderr, /simulating 2 runs of 10 days \(seed 1, template stories-260k\)/);
  assert.match(stdout, /^\d of 2 raises graduated; percentiles over those runs, 10 days after graduation/);
  assert.match(stdout, /figure\s+p5\s+p50\s+p95/);
  assert.match(stdout, /\$MT burned by buybacks\s+[\d,.]+ \$MT/);
  assert.match(stdout, /gross revenue\s+\$\d+\.\d{6}\s/);
  assert.match(stdout, /\$MT price fan \(USD per \$MT, across runs\)/);
  assert.match(stdout, new RegExp(`charts: ${chart.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  const svg = readFileSync(chart, "utf8");
  assert.match(svg, /<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /\$MT price fan/);
});

test("bad command lines and scenario files exit 2 with a readable error", async () => {
  const bad = join(dir, "bad.json");
  writeFileSync(bad, JSON.stringify({ raise: { buyFlockMedian: 5 } }));
  const broken = join(dir, "broken.json");
  writeFileSync(broken, "{ not json");
  for (const [args, message] of [
    [["simulate", "--runs", "0"], /--runs: not a whole number from 1 to 100000: 0/],
    [["simulate", "--days", "x"], /--days: not a whole number/],
    [["simulate", "--chart", "out.png"], /--chart: the file must end in \.svg/],
    [["simulate", "--colour", "red"], /unknown option --colour \(usage: fomo simulate/],
    [["simulate", "--scenario", join(dir, "missing.json")], /--scenario: cannot read .*missing\.json/],
    [["simulate", "--scenario", bad], /raise\.buyFlockMedian: expected a decimal string/],
    [["simulate", "--scenario", broken], /--scenario .*broken\.json: .*JSON/],
  ] as const) {
    const { code, stdout, stderr } = await fomo(...args);
    assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
    assert.match(stderr, message);
    assert.equal(stdout, "");
  }
});

test("argument parsing", () => {
  assert.deepEqual(parseSimulateArgs(["--json", "--runs", "7", "--seed", "0"]), {
    scenario: undefined, days: undefined, runs: 7, seed: 0, json: true, chart: undefined,
  });
  assert.equal(parseSimulateArgs(["--scenario", "s.json", "--chart", "c.svg"]).chart, "c.svg");
});
