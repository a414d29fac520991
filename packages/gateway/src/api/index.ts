// The OpenAI-compatible HTTP API (fastify).
export { buildGateway, type GatewayOptions, type ServedModel } from "./app.ts";
export { ApiError, toApiError, type ErrorBody } from "./errors.ts";
