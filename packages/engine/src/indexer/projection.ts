// What the indexer hands to the read model. The indexer applies every registered projection to each
// log, in (block, log index) order, in the same transaction that stores the logs and advances the
// cursor; on a reorg it deletes, in one transaction, every row above the common ancestor from each
// projection's tables (each has chain_id and block_number columns), then reads the blocks again.
import type { Schema } from "@fomo/ledger";
import type { Transaction } from "kysely";
import type { Address, Hex } from "viem";

export interface IndexedLog {
  chainId: number;
  blockNumber: bigint;
  blockHash: Hex;
  txHash: Hex;
  logIndex: number;
  address: Address;
  eventName: string;
  /** Decoded by the source's ABI: integers as bigint (numbers for types up to 48 bits), addresses checksummed. */
  args: Record<string, unknown>;
}

export interface Projection {
  readonly name: string;
  /** Tables the projection writes; each has chain_id and block_number columns (a reorg deletes above the ancestor). */
  readonly tables: readonly string[];
  /** The rows of chain_blocks for the log's block are already written in `trx` (timestamps). */
  apply(trx: Transaction<Schema>, log: IndexedLog): Promise<void>;
  /**
   * Optional: called in the reorg's transaction before its tables lose the rows above `ancestor`,
   * for effects outside them (the deposits projection takes reorged credits back).
   */
  rollback?(trx: Transaction<Schema>, reorg: { chainId: number; ancestor: bigint }): Promise<void>;
}
