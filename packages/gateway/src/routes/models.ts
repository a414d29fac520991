// GET /v1/models and GET /v1/models/{id}: the models served now, in OpenAI's model object.
import type { FastifyPluginAsyncJsonSchemaToTs } from "@fastify/type-provider-json-schema-to-ts";
import type { ServedModel } from "../catalog/index.ts";

const modelObject = (m: ServedModel) => ({
  id: m.id,
  object: "model",
  created: m.created ?? 0,
  owned_by: m.ownedBy ?? "fomo",
});

export const modelsRoutes: FastifyPluginAsyncJsonSchemaToTs = async (app) => {
  app.get("/v1/models", async () => ({
    object: "list",
    data: (await app.catalog.list()).map((m) => modelObject(m.served)),
  }));
  app.get<{ Params: { id: string } }>("/v1/models/:id", async (request) => modelObject((await app.resolveModel(request.params.id)).served));
};
