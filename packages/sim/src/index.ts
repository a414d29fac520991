// @fomo/sim: the economic simulator behind `./fomo simulate` (docs/simulator.md).
export { buybackRound, settleEpoch, spotTwaps } from "./engine.ts";
export type { BuybackOutcome, BuybackRound, Budgets, EngineParameters, EpochSettlement, Pools, Twaps } from "./engine.ts";
export { DAY, engineParameters, initialState, pricesOf, SIM_CLOCK, simulateRaise, simulateRun, step, supplyAt } from "./model.ts";
export type { DayRecord, RaiseOutcome, RunContext, RunResult, SimState, SupplyBreakdown } from "./model.ts";
export { percentile, percentilesOf, simulate, total } from "./montecarlo.ts";
export type { FanPoint, Percentiles, Simulation, SimulationOptions } from "./montecarlo.ts";
export { randomFor, scaleAmount } from "./random.ts";
export type { Random } from "./random.ts";
export { defaultScenario, parseScenario, ScenarioError } from "./scenario.ts";
export type { BuybackParameters, DemandParameters, MarketParameters, RaiseParameters, RewardParameters, Scenario } from "./scenario.ts";
export { simulationDocument, summarize } from "./report.ts";
export type { Summary, SummaryRow } from "./report.ts";
export { simulationSvg } from "./svg.ts";
