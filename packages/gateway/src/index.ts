// @fomo/gateway: the metered OpenAI-compatible inference gateway.
// The ledger and its database are @fomo/ledger's, the request price @fomo/sdk's: import them from there.
export { buildGateway, type GatewayOptions } from "./app.ts";
export * from "./catalog/index.ts";
export { ApiError, toApiError, type ErrorBody } from "./errors/index.ts";
export type { DiscountSource } from "./plugins/discounts.ts";
export * from "./ratelimit/index.ts";
export { BackendError, DEFAULT_MODEL_FILE, findModelFile, LocalBackend, locateModelFile, modelSearchPath, OpenAICompatibleBackend, routeModels, sharedLlama, verifiedModelFile, type Backend } from "./backends/index.ts";
export * from "./chain/index.ts";
export * from "./config/backends.ts";
export * from "./config/env.ts";
export * from "./pricing/index.ts";
export * from "./receipts/index.ts";
export * from "./server.ts";
