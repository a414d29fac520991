// `fomo simulate`: the economic simulator (@fomo/sim, docs/simulator.md) — one offering's raise and the
// days after it, over seeded Monte Carlo runs — printed as a table of percentiles and the price fan, or
// as one JSON document (--json), with the four charts written to an SVG file (--chart).
import { readFileSync, writeFileSync } from "node:fs";
import { formatAmount, formatMicroUsd, formatUsdc } from "@fomo/sdk";
import { defaultScenario, parseScenario, ScenarioError, simulate, simulationDocument, simulationSvg, summarize, type Scenario, type SummaryRow } from "@fomo/sim";
import { parseCount, parseFlags, UsageError, withoutSwitch } from "../args.ts";

export const SIMULATE_USAGE = "simulate [--scenario FILE] [--days N] [--runs K] [--seed S] [--json] [--chart FILE.svg]";

export interface SimulateOptions {
  /** The scenario file; undefined: the default scenario (packages/sim/scenarios/default.json). */
  scenario: string | undefined;
  /** Overrides of the scenario's days, runs and seed. */
  days: number | undefined;
  runs: number | undefined;
  seed: number | undefined;
  json: boolean;
  chart: string | undefined;
}

export function parseSimulateArgs(args: string[]): SimulateOptions {
  const [json, rest] = withoutSwitch(args, "--json");
  return parseFlags(rest, SIMULATE_USAGE, { scenario: "", days: "", runs: "", seed: "", chart: "" }, (v) => {
    const count = (name: string, least: number, most: number) => (v[name] ? parseCount(v[name]!, `--${name}`, least, most) : undefined);
    if (v.chart && !v.chart.endsWith(".svg")) throw new UsageError(`--chart: the file must end in .svg: ${v.chart}`);
    return {
      scenario: v.scenario || undefined,
      days: count("days", 1, 3_650),
      runs: count("runs", 1, 100_000),
      seed: count("seed", 0, 2 ** 32 - 1),
      json,
      chart: v.chart || undefined,
    };
  });
}

function loadScenario(path: string | undefined): Scenario {
  if (path === undefined) return defaultScenario();
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`--scenario: cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return parseScenario(JSON.parse(text));
  } catch (e) {
    if (e instanceof SyntaxError || e instanceof ScenarioError) throw new UsageError(`--scenario ${path}: ${e.message}`);
    throw e;
  }
}

/** Keeps `keep` decimals of an amount of `decimals` (a table shows cents and hundredths, the JSON every wei). */
const rounded = (amount: bigint, decimals: number, keep: number) => {
  const drop = 10n ** BigInt(Math.max(0, decimals - keep));
  return (amount / drop) * drop;
};

function formatFigure(unit: SummaryRow["unit"], amount: bigint, usdcDecimals: number): string {
  switch (unit) {
    case "FLOCK":
      return `${formatAmount(rounded(amount, 18, 2))} FLOCK`;
    case "$MT":
      return `${formatAmount(rounded(amount, 18, 2))} $MT`;
    case "USDC":
      return formatUsdc(rounded(amount, usdcDecimals, 2), usdcDecimals);
    case "micro-USD":
      return `$${formatMicroUsd(amount)}`;
    case "seconds":
      return `${amount / 86_400n}d ${(amount % 86_400n) / 3_600n}h ${(amount % 3_600n) / 60n}m`;
  }
}

export async function simulateCommand(opts: SimulateOptions): Promise<number> {
  const scenario = loadScenario(opts.scenario);
  // Loaded only now: chain.ts brings the gateway and the ledger, which a refused command line need not wait for.
  const { formatTable, jsonDocument } = await import("./chain.ts");
  const options = { days: opts.days ?? scenario.days, runs: opts.runs ?? scenario.runs, seed: opts.seed ?? scenario.seed };
  if (!opts.json) process.stderr.write(`[fomo] simulating ${options.runs} runs of ${options.days} days (seed ${options.seed}, template ${scenario.template})…\n`);
  // A progress count in place on a terminal; nothing for a pipe or a log (one line was enough there).
  const tty = !opts.json && process.stderr.isTTY;
  const sim = simulate(scenario, options, tty ? (done, total) => process.stderr.write(`\r[fomo] run ${done}/${total}${done === total ? "\n" : ""}`) : undefined);
  if (opts.chart) writeFileSync(opts.chart, simulationSvg(sim));
  if (opts.json) {
    process.stdout.write(jsonDocument(simulationDocument(sim)));
    return 0;
  }
  const summary = summarize(sim);
  const out: string[] = [`${summary.graduated} of ${summary.runs} raises graduated; percentiles over those runs, ${summary.days} days after graduation:\n\n`];
  const show = (unit: SummaryRow["unit"], v: bigint) => formatFigure(unit, v, scenario.usdcDecimals);
  if (summary.rows.length > 0) {
    out.push(formatTable([["figure", "p5", "p50", "p95"], ...summary.rows.map((r) => [r.figure, show(r.unit, r.percentiles.p5), show(r.unit, r.percentiles.p50), show(r.unit, r.percentiles.p95)])]));
    const every = Math.max(1, Math.ceil(sim.fan.length / 12));
    const fan = sim.fan.filter((f, i) => i % every === 0 || i === sim.fan.length - 1);
    out.push(`\n$MT price fan (USD per $MT, across runs):\n\n`);
    out.push(formatTable([["day", "p5", "p50", "p95"], ...fan.map((f) => [String(f.day), show("micro-USD", f.p5), show("micro-USD", f.p50), show("micro-USD", f.p95)])]));
  }
  if (opts.chart) out.push(`\ncharts: ${opts.chart}\n`);
  process.stdout.write(out.join(""));
  return 0;
}
