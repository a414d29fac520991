// @fomo/gateway: the metered OpenAI-compatible inference gateway.
// Backends and ledger both have a `Usage`: the ledger's is exported here, the backends' from ./backends.
export * from "./api/index.ts";
export { BackendError, DEFAULT_MODEL_FILE, findModelFile, LocalBackend, modelSearchPath, OpenAICompatibleBackend, routeModels, sharedLlama, verifiedModelFile, type Backend } from "./backends/index.ts";
export * from "./chain/index.ts";
export * from "./config/backends.ts";
export * from "./config/env.ts";
export * from "./db/index.ts";
export * from "./ledger/index.ts";
export * from "./pricing/index.ts";
export * from "./receipts/index.ts";
export * from "./server.ts";
