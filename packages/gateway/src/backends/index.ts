// Inference backends: the common interface, the in-process GGUF model, OpenAI-compatible upstreams
// and failover between backends of the same model.
export * from "./types.ts";
export { BackendError, isTransient, type BackendErrorCode, type PartialResult } from "./errors.ts";
export { LocalBackend, sharedLlama, type LocalBackendOptions } from "./local.ts";
export { OpenAICompatibleBackend, type OpenAICompatibleOptions, type UpstreamModelConfig } from "./openai-compatible.ts";
export { FailoverBackend, routeModels } from "./failover.ts";
export { DEFAULT_MODEL_FILE, findModelFile, locateModelFile, modelSearchPath, REPO_MODELS_DIR, REPO_ROOT } from "./models.ts";
export { DEFAULT_MODEL_PATH, sha256OfFile, SHIPPED_MODELS, verifiedModelFile } from "./model-file.ts";
export { CHAT_CUE, CHAT_STOP, renderChatPrompt, renderPrompt } from "./prompt.ts";
export { estimateTextTokens, parseUpstreamUsage, promptTokensUpperBound } from "./usage.ts";
