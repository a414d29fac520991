// A simulation of the sliders' scenario made into what the page shows: the summary (bigint
// percentiles), the price fan and the representative run's daily series. Runs in the worker
// (worker.ts) and, where there is no Worker (tests), on the page itself. Results stay bigint: they
// cross postMessage as they are (structured clone carries BigInt), and only the chart module turns
// them into floats, for coordinates.
import { simulate, summarize, type DayRecord, type FanPoint, type Summary } from "@fomo/sim";
import { scenarioFor, type SimulatorInputs } from "./inputs.ts";

/** The representative run's days, one array per charted figure (amounts in their own integer units). */
export interface DailySeries {
  day: number[];
  /** $MT wei, end of day. */
  burned: bigint[];
  circulating: bigint[];
  pool: bigint[];
  locked: bigint[];
  /** Micro-USD of the day's gross revenue; stablecoin units of what was routed and spent. */
  grossMicroUsd: bigint[];
  mtBuybackFunded: bigint[];
  mtBuybackSpent: bigint[];
  flockBuybackSpent: bigint[];
  issuerYield: bigint[];
  treasury: bigint[];
  /** FLOCK wei of the day's emission to this $MT, users' rewards and the issuer's bonus. */
  mtEmission: bigint[];
  usersFlock: bigint[];
  issuerBonus: bigint[];
}

export interface SimulationResult {
  inputs: SimulatorInputs;
  usdcDecimals: number;
  summary: Summary;
  fan: FanPoint[];
  series: DailySeries | null;
  /** Wall-clock milliseconds of the Monte Carlo itself. */
  elapsedMs: number;
}

function seriesOf(days: readonly DayRecord[]): DailySeries {
  const pick = (f: (d: DayRecord) => bigint) => days.map(f);
  return {
    day: days.map((d) => d.day),
    burned: pick((d) => d.supply.burned),
    circulating: pick((d) => d.supply.circulating),
    pool: pick((d) => d.supply.pool),
    locked: pick((d) => d.supply.vesting + d.supply.incentives + d.supply.treasury),
    grossMicroUsd: pick((d) => d.grossMicroUsd),
    mtBuybackFunded: pick((d) => d.mtBuybackFunded),
    mtBuybackSpent: pick((d) => d.mtBuybackSpent),
    flockBuybackSpent: pick((d) => d.flockBuybackSpent),
    issuerYield: pick((d) => d.issuerYield),
    treasury: pick((d) => d.treasury),
    mtEmission: pick((d) => d.mtEmission),
    usersFlock: pick((d) => d.usersFlock),
    issuerBonus: pick((d) => d.issuerBonus),
  };
}

/** One simulation of the sliders' scenario; `progress` hears after each run. */
export function runSimulation(inputs: SimulatorInputs, progress?: (done: number, total: number) => void): SimulationResult {
  const scenario = scenarioFor(inputs);
  const started = performance.now();
  const sim = simulate(scenario, { days: inputs.days, runs: inputs.runs, seed: inputs.seed }, progress);
  const elapsedMs = performance.now() - started;
  const representative = sim.representative >= 0 ? sim.runs[sim.representative]! : undefined;
  return {
    inputs,
    usdcDecimals: scenario.usdcDecimals,
    summary: summarize(sim),
    fan: sim.fan,
    series: representative ? seriesOf(representative.days) : null,
    elapsedMs,
  };
}
