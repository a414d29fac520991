// The simulator's sliders and the @fomo/sim scenario they make. Kept apart from the simulation itself
// (simulation.ts) so the page's own chunk holds only the scenario's defaults; the Monte Carlo is in the worker's.
import { parseUsd, priceRequest } from "@fomo/sdk";
import { defaultScenario, type Scenario } from "@fomo/sim";

/** What the sliders set; everything else is the default scenario's (docs/simulator.md). */
export interface SimulatorInputs {
  /** Daily inference spend on the model at graduation, whole USD (the mean demand is made from it). */
  spendUsd: number;
  /** Growth of the mean demand a day, in tenths of a percent (10 = +1% a day). */
  growthPermille: number;
  /** Share of circulating $MT its users keep staked, basis points. */
  stakedBps: number;
  days: number;
  runs: number;
  seed: number;
}

const DEFAULTS = defaultScenario();

/** The price of the scenario's average request (the gateway's priceRequest: rounded up per request, micro-USD). */
export function requestPriceOf(s: Scenario): bigint {
  return priceRequest(s.pricing, { inputTokens: s.demand.inputTokens, outputTokens: s.demand.outputTokens }, s.demand.discountBps).price;
}

/** The default scenario's own values, read back into slider units: the page opens on the CLI's default run. */
export function defaultInputs(): SimulatorInputs {
  const spendMicroUsd = BigInt(DEFAULTS.demand.requestsPerDay) * requestPriceOf(DEFAULTS);
  return {
    spendUsd: Number(spendMicroUsd / parseUsd("1")),
    growthPermille: Math.round(DEFAULTS.demand.dailyGrowth * 1000),
    stakedBps: DEFAULTS.rewards.stakedBps,
    days: DEFAULTS.days,
    runs: DEFAULTS.runs,
    seed: DEFAULTS.seed,
  };
}

/**
 * The scenario of the sliders. The model's demand is a mean number of requests (a shape parameter of its
 * Poisson draw), so the spend becomes requests at the scenario's request price, by integer division.
 */
export function scenarioFor(inputs: SimulatorInputs): Scenario {
  const s = defaultScenario();
  const requests = parseUsd(String(inputs.spendUsd)) / requestPriceOf(s);
  return {
    ...s,
    demand: { ...s.demand, requestsPerDay: Number(requests), dailyGrowth: inputs.growthPermille / 1000 },
    rewards: { ...s.rewards, stakedBps: inputs.stakedBps },
    days: inputs.days,
    runs: inputs.runs,
    seed: inputs.seed,
  };
}
