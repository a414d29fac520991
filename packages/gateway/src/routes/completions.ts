// POST /v1/completions: a metered text completion (generation/serve.ts), whole or streamed.
import type { FastifyPluginAsyncJsonSchemaToTs } from "@fastify/type-provider-json-schema-to-ts";
import { completionInference, serveGeneration } from "../generation/serve.ts";
import { completionBodySchema } from "../schemas/requests.ts";

export const completionsRoute: FastifyPluginAsyncJsonSchemaToTs = async (app) => {
  app.post("/v1/completions", { schema: { body: completionBodySchema } }, async (request, reply) => {
    const model = await app.resolveModel(request.body.model);
    await serveGeneration(app, request, reply, request.body, completionInference(request.body, model.info.id), model);
  });
};
