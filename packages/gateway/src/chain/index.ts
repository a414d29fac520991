// The launch layer as the gateway sees it: deployments served from chain and stakes for discounts.
export * from "./types.ts";
export { ChainMismatch, ChainReader, type ChainReaderOptions } from "./reader.ts";
export { DeploymentCatalog, type DeploymentCatalogOptions } from "./catalog.ts";
export { chainClient, connectChain, type ChainConfig, type ChainSourceContext } from "./connect.ts";
export { graduationSignal, type GraduationSignal, type GraduationWatchOptions } from "./graduations.ts";
