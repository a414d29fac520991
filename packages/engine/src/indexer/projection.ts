// What the indexer hands each projection: one decoded protocol event, in (block, logIndex) order,
// inside the transaction that also moves the indexer's cursor. On a reorg the indexer deletes every
// row with block_number above the common ancestor from each projection's `tables`, so a projection
// writes event-level rows only (no running totals a deletion could not undo).
import type { Schema } from "@fomo/ledger";
import type { Transaction } from "kysely";
import type { Address, Hex } from "viem";

export interface IndexedLog { chainId: number; blockNumber: bigint; blockHash: Hex; txHash: Hex; logIndex: number; address: Address; eventName: string; args: Record<string, unknown> }

export interface Projection { readonly name: string; readonly tables: readonly string[]; apply(trx: Transaction<Schema>, log: IndexedLog): Promise<void> }
