// The indexer's SQL, all of it: chain_blocks, chain_cursors and chain_logs on the ledger's database
// (one Kysely schema on SQLite or PostgreSQL).
import type { ChainCursorsTable, Database, Schema } from "@fomo/ledger";
import type { Kysely, Selectable, Transaction } from "kysely";
import type { Hex } from "viem";
import type { Source } from "./sources.ts";

type Trx = Transaction<Schema>;
type Db = Kysely<Schema>;

export type CursorRow = Selectable<ChainCursorsTable>;

export interface BlockRow {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  timestamp: bigint;
}

export interface LogRow {
  blockNumber: bigint;
  blockHash: Hex;
  txHash: Hex;
  logIndex: number;
  address: string;
  eventName: string;
  /** Canonical JSON. */
  args: string;
}

/** Rows per INSERT: well under either database's bound-parameter limit. */
const INSERT_CHUNK = 500;

export async function cursors(db: Db, chainId: number): Promise<CursorRow[]> {
  return db.selectFrom("chain_cursors").selectAll().where("chain_id", "=", BigInt(chainId)).orderBy("source").execute();
}

/** Adds sources not followed yet, their cursor at `nextBlock`. */
export async function addSources(trx: Trx, chainId: number, sources: readonly Source[], nextBlock: bigint, tipHash: string | null): Promise<void> {
  for (const source of sources) {
    await trx
      .insertInto("chain_cursors")
      .values({
        chain_id: BigInt(chainId),
        source: source.name,
        address: source.address,
        kind: source.kind,
        discovered_at: source.discoveredAt,
        next_block: nextBlock,
        tip_hash: tipHash,
        last_reorg_ancestor: null,
        last_reorg_depth: null,
        last_reorg_at: null,
      })
      .onConflict((oc) => oc.columns(["chain_id", "source"]).doNothing())
      .execute();
  }
}

export async function insertBlocks(trx: Trx, chainId: number, blocks: readonly BlockRow[]): Promise<void> {
  const rows = blocks.map((b) => ({
    chain_id: BigInt(chainId),
    block_number: b.number,
    block_hash: b.hash,
    parent_hash: b.parentHash,
    timestamp: b.timestamp,
  }));
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx.insertInto("chain_blocks").values(rows.slice(i, i + INSERT_CHUNK)).execute();
}

export async function insertLogs(trx: Trx, chainId: number, logs: readonly LogRow[]): Promise<void> {
  const rows = logs.map((l) => ({
    chain_id: BigInt(chainId),
    block_number: l.blockNumber,
    block_hash: l.blockHash,
    tx_hash: l.txHash,
    log_index: BigInt(l.logIndex),
    address: l.address,
    event_name: l.eventName,
    args: l.args,
  }));
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx.insertInto("chain_logs").values(rows.slice(i, i + INSERT_CHUNK)).execute();
}

/** Every source of the chain has indexed up to `nextBlock - 1`, whose hash is `tipHash`. */
export async function advance(trx: Trx, chainId: number, nextBlock: bigint, tipHash: string): Promise<void> {
  await trx.updateTable("chain_cursors").set({ next_block: nextBlock, tip_hash: tipHash }).where("chain_id", "=", BigInt(chainId)).execute();
}

/** Stored blocks at or below `below`, newest first: the candidates for the common ancestor. */
export async function blocksBelow(db: Db, chainId: number, below: bigint, limit: number): Promise<{ number: bigint; hash: string }[]> {
  const rows = await db
    .selectFrom("chain_blocks")
    .select(["block_number", "block_hash"])
    .where("chain_id", "=", BigInt(chainId))
    .where("block_number", "<=", below)
    .orderBy("block_number", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ number: r.block_number, hash: r.block_hash }));
}

/**
 * Forgets everything above `ancestor`: logs, blocks, the projections' rows and the sources revealed
 * up there; the cursors go back to ancestor + 1 and remember the reorg.
 */
export async function rewind(
  trx: Trx,
  chainId: number,
  reorg: { ancestor: bigint; ancestorHash: string | null; depth: bigint; at: bigint },
  projectionTables: readonly string[],
): Promise<void> {
  const chain = BigInt(chainId);
  for (const table of ["chain_logs", "chain_blocks", ...projectionTables]) {
    await (trx as unknown as Kysely<Record<string, { chain_id: bigint; block_number: bigint }>>)
      .deleteFrom(table)
      .where("chain_id", "=", chain)
      .where("block_number", ">", reorg.ancestor)
      .execute();
  }
  await trx.deleteFrom("chain_cursors").where("chain_id", "=", chain).where("discovered_at", ">", reorg.ancestor).execute();
  await trx
    .updateTable("chain_cursors")
    .set({
      next_block: reorg.ancestor + 1n,
      tip_hash: reorg.ancestorHash,
      last_reorg_ancestor: reorg.ancestor,
      last_reorg_depth: reorg.depth,
      last_reorg_at: reorg.at,
    })
    .where("chain_id", "=", chain)
    .where("next_block", ">", reorg.ancestor + 1n)
    .execute();
}

export type { Database };
