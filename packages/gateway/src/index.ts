// @fomo/gateway: the metered OpenAI-compatible inference gateway.
// Backends and ledger both have a `Usage`: the ledger's is exported here, the backends' from ./backends.
export { buildGateway, type GatewayOptions } from "./app.ts";
export * from "./catalog/index.ts";
export { ApiError, toApiError, type ErrorBody } from "./errors/index.ts";
export type { DiscountSource } from "./plugins/discounts.ts";
export * from "./ratelimit/index.ts";
export { LocalBackend, modelSearchPath, OpenAICompatibleBackend, routeModels, BackendError, type Backend } from "./backends/index.ts";
export * from "./chain/index.ts";
export * from "./config/backends.ts";
export * from "./config/env.ts";
export * from "./db/index.ts";
export * from "./ledger/index.ts";
export * from "./pricing/index.ts";
export * from "./receipts/index.ts";
export * from "./server.ts";
