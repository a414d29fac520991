// The OpenAI-compatible HTTP API (fastify).
export { buildGateway, type DiscountSource, type GatewayOptions } from "./app.ts";
export { StaticCatalog, type CatalogLookup, type CatalogModel, type ModelCatalog, type ServedModel } from "./catalog.ts";
export { ApiError, toApiError, type ErrorBody } from "./errors.ts";
export { FailOpenRateLimiter, InProcessRateLimiter, type RateLimiter } from "./ratelimit.ts";
export { RedisRateLimiter, connectLimiterRedis, type RedisRateLimiterOptions } from "./redis-ratelimit.ts";
