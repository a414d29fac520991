// What the gateway needs to know of the launch layer: every offering, its API model id, its lifecycle
// state and the prices of its terms. ChainReader reads it from the contracts over RPC; under `fomo up`
// the engine's read model serves the same shape (ChainConfig.source).
import type { ServedDeployment } from "@fomo/sdk";

export { deploymentStateOf, isFinalState, type DeploymentState } from "@fomo/sdk";

/** A launched offering as the gateway serves it (the SDK's ServedDeployment). */
export type Deployment = ServedDeployment;

export interface DeploymentSource {
  /** Every offering launched so far, with its state now. */
  listDeployments(): Promise<readonly Deployment[]>;
}
