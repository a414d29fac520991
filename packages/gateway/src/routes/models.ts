// GET /v1/models and GET /v1/models/{id}: the models served now, in OpenAI's model object (id,
// object, created, owned_by) with what OpenRouter's model list adds: name, context_length, pricing
// in USD per token as decimal strings, top_provider; and FOMO's own: the prices per 1M tokens and
// the offering (its $MT, ticker, issuer) a deployment's revenue goes to. Prices are exact decimal
// strings of the integer micro-USD terms: no float ever rounds them.
import type { FastifyPluginAsyncJsonSchemaToTs } from "@fastify/type-provider-json-schema-to-ts";
import { formatMicroUsd, MICRO_USD_DECIMALS } from "@fomo/sdk";
import { formatUnits } from "viem";
import type { CatalogModel } from "../catalog/index.ts";

/** Decimals of USD per token: the terms are micro-USD (6 decimals) per 1M (10^6) tokens, TOKENS_PER_PRICE_UNIT. */
const USD_PER_TOKEN_DECIMALS = MICRO_USD_DECIMALS + 6;

/** Micro-USD per 1M tokens as USD per token, exactly ("0.0000002"), as OpenRouter's `pricing` spells it. */
export const usdPerToken = (microUsdPerMillion: bigint): string => formatUnits(microUsdPerMillion, USD_PER_TOKEN_DECIMALS);

export const modelObject = ({ served, info }: CatalogModel) => {
  const { pricing, offering } = served;
  return {
    id: served.id,
    object: "model",
    created: served.created ?? 0,
    owned_by: served.ownedBy ?? "fomo",
    name: offering ? `${offering.name} (${offering.ticker})` : served.id,
    context_length: info.contextLength,
    pricing: { prompt: usdPerToken(pricing.inputPrice), completion: usdPerToken(pricing.outputPrice), request: "0" },
    pricing_per_1m_tokens: {
      currency: "USD",
      prompt: formatMicroUsd(pricing.inputPrice),
      completion: formatMicroUsd(pricing.outputPrice),
      // The floors a staker discount never goes below.
      prompt_min: formatMicroUsd(pricing.inputMinPrice),
      completion_min: formatMicroUsd(pricing.outputMinPrice),
    },
    top_provider: { context_length: info.contextLength, max_completion_tokens: info.maxOutputTokens },
    offering: offering
      ? { mt: offering.mt, ticker: offering.ticker, name: offering.name, issuer: offering.issuer, base_model: offering.baseModelId }
      : null,
  };
};

export const modelsRoutes: FastifyPluginAsyncJsonSchemaToTs = async (app) => {
  app.get("/v1/models", async () => ({
    object: "list",
    data: (await app.catalog.list()).map(modelObject),
  }));
  app.get<{ Params: { id: string } }>("/v1/models/:id", async (request) => modelObject(await app.resolveModel(request.params.id)));
};
