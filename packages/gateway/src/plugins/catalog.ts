// What is sold and which backend runs it, decorated as `catalog`, and `resolveModel`: a model id to
// the model served, or the OpenAI-shaped 404 saying why not.
import fp from "fastify-plugin";
import type { CatalogModel, ModelCatalog } from "../catalog/index.ts";
import { modelNotFound, modelNotServed } from "../errors/index.ts";

declare module "fastify" {
  interface FastifyInstance {
    catalog: ModelCatalog;
    /** The model served as `id`; 404 (model_not_found) when unknown or not served. */
    resolveModel(id: string): Promise<CatalogModel>;
  }
}

export const catalogPlugin = fp<{ catalog: ModelCatalog }>(
  async (app, { catalog }) => {
    app.decorate("catalog", catalog);
    app.decorate("resolveModel", async (id: string): Promise<CatalogModel> => {
      const lookup = await catalog.lookup(id);
      if (lookup.found) return lookup.model;
      throw lookup.reason === undefined ? modelNotFound(id) : modelNotServed(lookup.reason);
    });
  },
  { name: "fomo-catalog" },
);
