// @fomo/engine: the chain indexer and the read model it feeds, over @fomo/ledger's database.
export type { IndexedLog, Projection } from "./indexer/projection.ts";
export * from "./readmodel/index.ts";
