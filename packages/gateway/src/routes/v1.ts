// The /v1 scope: every route in it is authenticated by the auth plugin registered first (its hook
// applies to this scope only), then the OpenAI-compatible routes, the key's own account (/v1/key) and the receipts endpoint.
import type { FastifyPluginAsync } from "fastify";
import { authPlugin } from "../plugins/auth.ts";
import { chatCompletionsRoute } from "./chat-completions.ts";
import { completionsRoute } from "./completions.ts";
import { embeddingsRoute } from "./embeddings.ts";
import { keyRoutes } from "./key.ts";
import { modelsRoutes } from "./models.ts";
import { receiptRoutes } from "./receipts.ts";

export const v1Routes: FastifyPluginAsync = async (v1) => {
  await v1.register(authPlugin);
  await v1.register(modelsRoutes);
  await v1.register(keyRoutes);
  if (v1.receiptSigner) await v1.register(receiptRoutes);
  await v1.register(chatCompletionsRoute);
  await v1.register(completionsRoute);
  await v1.register(embeddingsRoute);
};
