// POST /v1/embeddings: no backend here computes embeddings yet, so an OpenAI-shaped 400 (404 for a
// model not served at all).
import type { FastifyPluginAsyncJsonSchemaToTs } from "@fastify/type-provider-json-schema-to-ts";
import { invalidRequest } from "../errors/index.ts";
import { embeddingBodySchema } from "../schemas/requests.ts";

export const embeddingsRoute: FastifyPluginAsyncJsonSchemaToTs = async (app) => {
  app.post("/v1/embeddings", { schema: { body: embeddingBodySchema } }, async (request) => {
    const { served } = await app.resolveModel(request.body.model);
    throw invalidRequest(`The model \`${served.id}\` does not support embeddings.`, "model", "embeddings_not_supported");
  });
};
