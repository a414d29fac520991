// @fomo/gateway: the metered OpenAI-compatible inference gateway.
// The ledger and its database are @fomo/ledger's, the request price @fomo/sdk's: import them from there.
export * from "./api/index.ts";
export { BackendError, DEFAULT_MODEL_FILE, findModelFile, LocalBackend, modelSearchPath, OpenAICompatibleBackend, routeModels, sharedLlama, verifiedModelFile, type Backend } from "./backends/index.ts";
export * from "./chain/index.ts";
export * from "./config/backends.ts";
export * from "./config/env.ts";
export * from "./pricing/index.ts";
export * from "./receipts/index.ts";
export * from "./server.ts";
