// What the gateway needs to know of the launch layer: every offering, its API model id, its lifecycle
// state and the prices of its terms. ChainReader reads it from the contracts over RPC; under `fomo up`
// the engine's read model serves the same shape (ChainConfig.source).
import { STATE_NAMES, type Pricing, type StateName } from "@fomo/sdk";

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

export interface Deployment {
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
  /** Unix seconds: the raise window. */
  opensAt: number;
  closesAt: number;
  /** The offering's terms' prices (fixed at launch, whatever governance publishes later). */
  pricing: Pricing;
}

export interface DeploymentSource {
  /** Every offering launched so far, with its state now. */
  listDeployments(): Promise<readonly Deployment[]>;
}

export const isFinal = (state: DeploymentState): boolean => state === "Graduated" || state === "Failed";
