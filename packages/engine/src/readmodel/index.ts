// The read model: projections the indexer feeds, queries the engine, platform and CLI call.
export * from "./projections.ts";
export { DEAD_ADDRESS, ZERO_ADDRESS, indexedHead, latestBlockTime, type EventPosition, type OnChain } from "./chain.ts";
export * from "./offerings.ts";
export * from "./tokens.ts";
export * from "./stakes.ts";
export * from "./flows.ts";
export * from "./serving.ts";
