// @fomo/engine: the off-chain half the protocol's later layers read from. Today: the chain indexer.
export { Indexer, indexerStatus, type IndexerLog, type IndexerOptions, type SourceStatus, type SyncResult } from "./indexer/indexer.ts";
export type { IndexedLog, Projection } from "./indexer/projection.ts";
export { depositKey, depositsProjection } from "./indexer/deposits.ts";
export { canonicalJson } from "./indexer/canonical.ts";
export type { Source, SourceKind } from "./indexer/sources.ts";
