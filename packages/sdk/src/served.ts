// A launched offering as an API serves it: its model id, lifecycle state and the prices of its terms.
// The gateway's catalog serves this shape, read from the contracts (its ChainReader) or from the
// engine's read model under `fomo up`; one definition here keeps the two sources the same shape.
import type { Pricing } from "./pricing.ts";
import { STATE_NAMES, type StateName } from "./state.ts";

/**
 * Where a launched offering stands, in the Launchpad's own State names (docs/glossary.md#lifecycle):
 * `Raising` (window open), `Succeeded` (window over with raiseMin reached, waiting for graduate()),
 * `Failed` (below raiseMin: refunds), `Graduated` (pool open: served). Only `Graduated` and `Failed`
 * are final. `None` is not a state of a launched offering.
 */
export type DeploymentState = Exclude<StateName, "None">;

/** The deployment state a Launchpad state name is, or undefined for `None` and unknown values. */
export const deploymentStateOf = (name: string): DeploymentState | undefined =>
  STATE_NAMES.find((known): known is DeploymentState => known === name && known !== "None");

/** True for the states an offering never leaves: `Graduated` and `Failed`. */
export const isFinalState = (state: DeploymentState): boolean => state === "Graduated" || state === "Failed";

export interface ServedDeployment {
  /** API model id, `<baseModelId>-<ticker in lower case>`, as the Launchpad reserves it at launch. */
  modelId: string;
  /** The $MT token: the deployment's address, its revenue and stakes are keyed by it. */
  mt: string;
  /** The template's base model: the backend model that serves this deployment. */
  baseModelId: string;
  ticker: string;
  name: string;
  creator: string;
  state: DeploymentState;
  /** Unix seconds: the raise window (the close moved by Launchpad pauses, as Launchpad.offering reports it). */
  opensAt: number;
  closesAt: number;
  /** The offering's terms' prices (fixed at launch, whatever governance publishes later). */
  pricing: Pricing;
}
