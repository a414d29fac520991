// Reading the indexer's tables back for comparisons: rows in key order as text (bigints as decimals),
// and the logs a set of receipts says the index must hold.
import type { Database } from "@fomo/ledger";
import { toEventSelector, type Address, type TransactionReceipt } from "viem";
import type { Indexer, SyncResult } from "../../src/index.ts";

/** syncOnce until caught up; the results, in order. */
export async function syncAll(indexer: Indexer, limit = 10_000): Promise<SyncResult[]> {
  const results: SyncResult[] = [];
  for (let i = 0; i < limit; i++) {
    const result = await indexer.syncOnce();
    results.push(result);
    if (result.caughtUp) return results;
  }
  throw new Error(`not caught up after ${limit} steps`);
}

const text = (rows: unknown[]) => JSON.stringify(rows, (_key, v) => (typeof v === "bigint" ? `${v}n` : v));

/**
 * The indexed tables as text, in key order: chain_logs, chain_blocks, chain_deposits (account ids
 * replaced by account names, which two databases share where their random ids differ).
 */
export async function dumpTables(db: Database): Promise<Record<string, string>> {
  const logs = await db.selectFrom("chain_logs").selectAll().orderBy("chain_id").orderBy("block_number").orderBy("log_index").execute();
  const blocks = await db.selectFrom("chain_blocks").selectAll().orderBy("chain_id").orderBy("block_number").execute();
  const deposits = await db
    .selectFrom("chain_deposits")
    .leftJoin("accounts", "accounts.id", "chain_deposits.account_id")
    .select(["chain_id", "block_number", "block_hash", "tx_hash", "log_index", "deposit_id", "account_key", "depositor", "amount", "micro_usd", "accounts.name as account"])
    .orderBy("chain_id")
    .orderBy("block_number")
    .orderBy("log_index")
    .execute();
  return { chain_logs: text(logs), chain_blocks: text(blocks), chain_deposits: text(deposits) };
}

const POOL_EVENTS = new Set([toEventSelector("Sync(uint112,uint112)"), toEventSelector("Swap(address,uint256,uint256,uint256,uint256,address)")]);

/** The (block, log index, address) of every log of `receipts` the index must hold. */
export function expectedLogs(receipts: readonly TransactionReceipt[], contracts: readonly Address[], pools: readonly Address[]): string[] {
  const followed = new Set(contracts.map((a) => a.toLowerCase()));
  const poolSet = new Set(pools.map((a) => a.toLowerCase()));
  return receipts
    .flatMap((r) => r.logs)
    .filter((l) => followed.has(l.address.toLowerCase()) || (poolSet.has(l.address.toLowerCase()) && POOL_EVENTS.has(l.topics[0]!)))
    .map((l) => `${l.blockNumber}:${l.logIndex}:${l.address.toLowerCase()}`)
    .sort();
}

export async function indexedLogsOf(db: Database, txHashes: readonly string[]): Promise<string[]> {
  if (txHashes.length === 0) return [];
  const rows = await db.selectFrom("chain_logs").select(["block_number", "log_index", "address"]).where("tx_hash", "in", txHashes.map((h) => h.toLowerCase())).execute();
  return rows.map((r) => `${r.block_number}:${r.log_index}:${r.address}`).sort();
}
