// The OpenAI-compatible HTTP API (fastify).
export { buildGateway, type DiscountSource, type GatewayOptions } from "./app.ts";
export { StaticCatalog, type CatalogLookup, type CatalogModel, type ModelCatalog, type ServedModel } from "./catalog.ts";
export { ApiError, toApiError, type ErrorBody } from "./errors.ts";
