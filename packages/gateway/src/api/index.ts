// The OpenAI-compatible HTTP API (fastify).
export { buildGateway, type GatewayOptions, type ServedModel } from "./app.ts";
export { ApiError, toApiError, type ErrorBody } from "./errors.ts";
export { FailOpenRateLimiter, InProcessRateLimiter, type RateLimiter } from "./ratelimit.ts";
export { RedisRateLimiter, connectLimiterRedis, type RedisRateLimiterOptions } from "./redis-ratelimit.ts";
