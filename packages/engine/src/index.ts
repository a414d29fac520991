// @fomo/engine: the chain indexer, the read model it feeds, and the keeper that settles each epoch, over @fomo/ledger's database.
export { Indexer, indexerStatus, type IndexerLog, type IndexerOptions, type SourceStatus, type SyncResult } from "./indexer/indexer.ts";
export type { IndexedLog, Projection } from "./indexer/projection.ts";
export { depositKey, depositsProjection } from "./indexer/deposits.ts";
export { canonicalJson } from "./indexer/canonical.ts";
export type { Source, SourceKind } from "./indexer/sources.ts";
export * from "./readmodel/index.ts";
export * from "./keeper/index.ts";
