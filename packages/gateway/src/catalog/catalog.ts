// What the gateway sells and where each model runs. The API asks a ModelCatalog; a StaticCatalog
// serves a fixed list (the platform's base models, tests), and chain/DeploymentCatalog adds every
// graduated deployment read from chain on top of one.
import type { Pricing } from "@fomo/sdk";
import type { Backend, ModelInfo } from "../backends/types.ts";

/** The offering a graduated deployment's model belongs to (GET /v1/models shows it). */
export interface ServedOffering {
  /** The $MT token's address. */
  mt: string;
  ticker: string;
  name: string;
  /** The wallet that launched it. */
  issuer: string;
  /** The template's base model it runs on. */
  baseModelId: string;
}

/** A model the gateway sells: its id, price terms and the deployment its revenue goes to. */
export interface ServedModel {
  id: string;
  pricing: Pricing;
  /** $MT address of a graduated deployment, or 'platform' for a base model. */
  deployment?: string;
  ownedBy?: string;
  created?: number;
  /** A graduated deployment's offering; absent for a base model. */
  offering?: ServedOffering;
}

/** A served model with the backend that runs it. */
export interface CatalogModel {
  served: ServedModel;
  backend: Backend;
  /** The backend's model: its id is what the backend is asked for (a deployment's base model), its limits apply. */
  info: ModelInfo;
}

/** A lookup: the model, or why it is not served (no reason: the id is simply unknown). */
export type CatalogLookup = { found: true; model: CatalogModel } | { found: false; reason?: string };

export interface ModelCatalog {
  /** Every model served now, for GET /v1/models. */
  list(): Promise<readonly CatalogModel[]>;
  lookup(id: string): Promise<CatalogLookup>;
}

/** A fixed catalog: the models that have a route; a model without a backend route is not served. */
export class StaticCatalog implements ModelCatalog {
  readonly #models: ReadonlyMap<string, CatalogModel>;

  constructor(models: readonly ServedModel[], routes: ReadonlyMap<string, Backend>) {
    const entries: [string, CatalogModel][] = [];
    for (const served of models) {
      const backend = routes.get(served.id);
      const info = backend?.models.find((m) => m.id === served.id);
      if (backend && info) entries.push([served.id, { served, backend, info }]);
    }
    this.#models = new Map(entries);
  }

  async list(): Promise<readonly CatalogModel[]> {
    return [...this.#models.values()];
  }

  async lookup(id: string): Promise<CatalogLookup> {
    const model = this.#models.get(id);
    return model ? { found: true, model } : { found: false };
  }
}
