// @fomo/engine: the chain indexer, the read model it feeds, and the keeper that settles each epoch (with its
// transaction journal), over @fomo/ledger's database.
export { Indexer, indexerStatus, type IndexerLog, type IndexerOptions, type SourceStatus, type SyncResult } from "./indexer/indexer.ts";
export type { IndexedLog, Projection } from "./indexer/projection.ts";
export { depositKey, depositsProjection } from "./indexer/deposits.ts";
// canonicalJson moved to the SDK (one canonical form for indexed args and epoch input files); kept here for importers.
export { canonicalJson } from "@fomo/sdk";
export type { Source, SourceKind } from "./indexer/sources.ts";
export * from "./readmodel/index.ts";
export * from "./keeper/index.ts";
export {
  JournaledTxReplacedError, TxJournal, type JournaledTx, type JournalHooks, type RecoverResult, type TxJournalOptions,
} from "./keeper/journal.ts";
