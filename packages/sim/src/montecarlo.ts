// Seeded Monte Carlo over runs of the model: run i draws from randomFor(seed, i) only, so the same
// (scenario, days, runs, seed) always gives the same numbers, and run i's figures do not depend on how
// many runs there are. Across runs: the graduation rate, percentiles of the totals, and per day the
// price fan (p5, p50, p95 of the $MT's USD price over the runs that graduated).
import { simulateRun, type DayRecord, type RunResult } from "./model.ts";
import { randomFor } from "./random.ts";
import type { Scenario } from "./scenario.ts";

export interface SimulationOptions {
  days: number;
  runs: number;
  seed: number;
}

export interface Percentiles {
  p5: bigint;
  p50: bigint;
  p95: bigint;
}

export interface FanPoint extends Percentiles {
  day: number;
}

export interface Simulation {
  scenario: Scenario;
  options: SimulationOptions;
  runs: RunResult[];
  /** Runs whose raise graduated. */
  graduated: number;
  /** Per day, the $MT's price in micro-USD across graduated runs. */
  fan: FanPoint[];
  /** The graduated run whose last-day price is the median's (its series make the charts), or -1 if none graduated. */
  representative: number;
}

/** Nearest-rank percentile of a sorted list (p in (0, 100]). */
export function percentile(sorted: readonly bigint[], p: number): bigint {
  if (sorted.length === 0) throw new RangeError("percentile of nothing");
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function percentilesOf(values: readonly bigint[]): Percentiles {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { p5: percentile(sorted, 5), p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

/** Runs the simulation; `progress` hears after each run (the command line's progress line). */
export function simulate(scenario: Scenario, options: SimulationOptions, progress?: (done: number, total: number) => void): Simulation {
  const runs = Array.from({ length: options.runs }, (_, i) => {
    const run = simulateRun(scenario, options.days, randomFor(options.seed, i));
    progress?.(i + 1, options.runs);
    return run;
  });
  const graduatedRuns = runs.map((r, i) => ({ r, i })).filter(({ r }) => r.raise.graduated);
  const fan: FanPoint[] = [];
  for (let day = 0; day < options.days && graduatedRuns.length > 0; day++) {
    fan.push({ day, ...percentilesOf(graduatedRuns.map(({ r }) => r.days[day]!.mtPriceMicroUsd)) });
  }
  let representative = -1;
  if (graduatedRuns.length > 0) {
    const last = (r: RunResult) => r.days.at(-1)?.mtPriceMicroUsd ?? 0n;
    const ordered = [...graduatedRuns].sort((a, b) => (last(a.r) < last(b.r) ? -1 : last(a.r) > last(b.r) ? 1 : a.i - b.i));
    representative = ordered[Math.floor((ordered.length - 1) / 2)]!.i;
  }
  return { scenario, options, runs, graduated: graduatedRuns.length, fan, representative };
}

/** A total over a run's days. */
export const total = (days: readonly DayRecord[], pick: (d: DayRecord) => bigint) => days.reduce((t, d) => t + pick(d), 0n);
