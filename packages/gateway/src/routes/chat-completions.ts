// POST /v1/chat/completions: a metered chat generation (generation/serve.ts), whole or streamed.
import type { FastifyPluginAsyncJsonSchemaToTs } from "@fastify/type-provider-json-schema-to-ts";
import { chatInference, serveGeneration } from "../generation/serve.ts";
import { chatBodySchema } from "../schemas/requests.ts";

export const chatCompletionsRoute: FastifyPluginAsyncJsonSchemaToTs = async (app) => {
  app.post("/v1/chat/completions", { schema: { body: chatBodySchema } }, async (request, reply) => {
    const model = await app.resolveModel(request.body.model);
    await serveGeneration(app, request, reply, request.body, chatInference(request.body, model.info.id), model);
  });
};
