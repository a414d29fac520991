// What the gateway needs to know of the launch layer: every offering, its API model id, its status
// and the prices of its terms. ChainDeploymentSource reads it from the contracts over RPC; the
// indexer will serve the same interface later.
import type { Pricing } from "@fomo/sdk";

/**
 * Where an offering stands (Launchpad.State): `raising` (window open), `closed` (window over with
 * raiseMin reached, waiting for graduate()), `failed` (below raiseMin: refunds), `live` (graduated,
 * served). Only `live` and `failed` are final.
 */
export type DeploymentStatus = "raising" | "closed" | "failed" | "live";

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
  status: DeploymentStatus;
  /** Unix seconds: the raise window. */
  opensAt: number;
  closesAt: number;
  /** The offering's terms' prices (fixed at launch, whatever governance publishes later). */
  pricing: Pricing;
}

export interface DeploymentSource {
  /** Every offering launched so far, with its status now. */
  listDeployments(): Promise<readonly Deployment[]>;
}

export const isFinal = (status: DeploymentStatus): boolean => status === "live" || status === "failed";
