// What a simulation says, in two forms: a summary (percentiles across the runs that graduated, per
// figure) that the CLI prints as a table, and the JSON document of `./fomo simulate --json` (the summary,
// the price fan, and every day of the representative run, amounts as decimal strings).
import { TOTAL_SUPPLY } from "@fomo/sdk";
import type { DayRecord, RunResult } from "./model.ts";
import { percentilesOf, total, type Percentiles, type Simulation } from "./montecarlo.ts";
import type { Scenario } from "./scenario.ts";

/** A figure of the summary: its unit and its percentiles over the graduated runs. */
export interface SummaryRow {
  figure: string;
  unit: "FLOCK" | "$MT" | "USDC" | "micro-USD" | "seconds";
  percentiles: Percentiles;
}

export interface Summary {
  runs: number;
  graduated: number;
  days: number;
  seed: number;
  rows: SummaryRow[];
}

const graduatedRuns = (sim: Simulation) => sim.runs.filter((r) => r.raise.graduated);

/** The figures of the summary: the raise, then totals over the days and the last day's stocks. */
export function summarize(sim: Simulation): Summary {
  const runs = graduatedRuns(sim);
  const rows: SummaryRow[] = [];
  const add = (figure: string, unit: SummaryRow["unit"], pick: (r: RunResult) => bigint) => {
    if (runs.length > 0) rows.push({ figure, unit, percentiles: percentilesOf(runs.map(pick)) });
  };
  const sum = (pick: (d: DayRecord) => bigint) => (r: RunResult) => total(r.days, pick);
  const last = (pick: (d: DayRecord) => bigint) => (r: RunResult) => (r.days.length ? pick(r.days.at(-1)!) : 0n);
  add("raised on the curve", "FLOCK", (r) => r.raise.raised);
  add("raise length", "seconds", (r) => r.raise.duration);
  add("issuer's share of the raise fees", "FLOCK", (r) => r.raise.creatorFees);
  add("gross revenue", "micro-USD", sum((d) => d.grossMicroUsd));
  add("routed to $MT buybacks", "USDC", sum((d) => d.mtBuybackFunded));
  add("spent on $MT buybacks", "USDC", sum((d) => d.mtBuybackSpent));
  add("$MT burned by buybacks", "$MT", sum((d) => d.mtBurned));
  add("routed to FLOCK buybacks", "USDC", sum((d) => d.flockBuybackFunded));
  add("FLOCK burned by buybacks", "FLOCK", sum((d) => d.flockBurned));
  add("issuer yield", "USDC", sum((d) => d.issuerYield));
  add("issuer's operator $MT vested", "$MT", sum((d) => d.issuerVestedMt));
  add("issuer income (yield, bonus, vested $MT at each day's prices)", "micro-USD", sum((d) => d.issuerIncomeMicroUsd));
  add("treasury", "USDC", sum((d) => d.treasury));
  add("emission to this $MT (issuer bonus included)", "FLOCK", sum((d) => d.mtEmission));
  add("issuer emission bonus", "FLOCK", sum((d) => d.issuerBonus));
  add("users' FLOCK rewards", "FLOCK", sum((d) => d.usersFlock));
  add("users' $MT rewards", "$MT", sum((d) => d.usersMt));
  add("$MT supply at the end", "$MT", last((d) => d.supply.totalSupply));
  add("$MT burned in all (graduation included)", "$MT", last((d) => d.supply.burned));
  add("$MT circulating at the end", "$MT", last((d) => d.supply.circulating));
  add("buyback budget left ($MT)", "USDC", last((d) => d.budgets.mt));
  add("$MT price at the end", "micro-USD", last((d) => d.mtPriceMicroUsd));
  add("FLOCK price at the end", "micro-USD", last((d) => d.flockPriceMicroUsd));
  return { runs: sim.runs.length, graduated: runs.length, days: sim.options.days, seed: sim.options.seed, rows };
}

/** The scenario as its file would state it (amounts as decimal strings of their integer units). */
function scenarioDocument(s: Scenario) {
  return { ...s, totalSupply: TOTAL_SUPPLY };
}

/** The JSON document of `./fomo simulate --json` (bigints stay bigints: the writer prints them as decimal strings). */
export function simulationDocument(sim: Simulation) {
  const summary = summarize(sim);
  const rep = sim.representative >= 0 ? sim.runs[sim.representative]! : undefined;
  return {
    options: sim.options,
    scenario: scenarioDocument(sim.scenario),
    runs: summary.runs,
    graduated: summary.graduated,
    raises: sim.runs.map((r) => ({ graduated: r.raise.graduated, raised: r.raise.raised, buys: r.raise.buys, duration: r.raise.duration })),
    summary: Object.fromEntries(summary.rows.map((r) => [r.figure, { unit: r.unit, ...r.percentiles }])),
    fan: sim.fan,
    representative: rep ? { run: sim.representative, raise: rep.raise, graduation: rep.graduation, days: rep.days } : null,
  };
}
