// What every read-model query shares: rows in chain order, their block times, exact sums of
// decimal-string amounts. Amounts are uint256 and may pass 2^63, so they are summed as bigint here,
// never in SQL (SQLite has no exact wide integer) and never as floats.
import type { Database } from "@fomo/ledger";
import type { EventPosition } from "@fomo/sdk";
import { getAddress, type Address } from "viem";

export type { EventPosition };

/** Which chain a query reads (the read model can hold several). */
export interface OnChain {
  chainId: number;
}

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
/** Where tokens go to be burned without a burn function (Launchpad.LP_BURN_ADDRESS, BuybackExecutor.DEAD). */
export const DEAD_ADDRESS = "0x000000000000000000000000000000000000dead";

export const key = (address: string): string => address.toLowerCase();
export const checksummed = (address: string): Address => getAddress(address);
export const sum = (values: Iterable<bigint>): bigint => {
  let total = 0n;
  for (const v of values) total += v;
  return total;
};

/** Block number → timestamp of the chain's indexed blocks (the indexer's chain_blocks) from `first` to `last`. */
async function blockTimes(db: Database, chainId: number, first: bigint, last: bigint): Promise<Map<bigint, bigint>> {
  // A range, not a list of block numbers: a long history would pass the databases' bound-parameter limits.
  const rows = await db
    .selectFrom("chain_blocks")
    .select(["block_number", "timestamp"])
    .where("chain_id", "=", BigInt(chainId))
    .where("block_number", ">=", first)
    .where("block_number", "<=", last)
    .execute();
  return new Map(rows.map((r) => [r.block_number, r.timestamp]));
}

/** The latest block time the read model knows of: "now" for a chain as far as it is indexed. */
export async function latestBlockTime(db: Database, chainId: number): Promise<bigint | undefined> {
  const row = await db
    .selectFrom("chain_blocks")
    .select("timestamp")
    .where("chain_id", "=", BigInt(chainId))
    .orderBy("block_number", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.timestamp;
}

/**
 * The last block every source of the chain is indexed through (undefined before the first range):
 * the read model has seen the chain up to it, events or not. Its time is the answers' "now".
 */
export async function indexedHead(db: Database, chainId: number): Promise<bigint | undefined> {
  const row = await db
    .selectFrom("chain_cursors")
    .select((eb) => eb.fn.min<bigint>("next_block").as("next"))
    .where("chain_id", "=", BigInt(chainId))
    .executeTakeFirst();
  const next = row?.next === null || row?.next === undefined ? undefined : BigInt(row.next);
  return next === undefined || next === 0n ? undefined : next - 1n;
}

interface PositionedRow {
  block_number: bigint;
  log_index: bigint;
  tx_hash: string;
}

/** Adds each row's block time; a row whose block time is missing is an indexer bug, so it throws. */
export async function withPositions<R extends PositionedRow>(
  db: Database,
  chainId: number,
  rows: readonly R[],
): Promise<Array<R & { position: EventPosition }>> {
  if (rows.length === 0) return [];
  let [first, last] = [rows[0]!.block_number, rows[0]!.block_number];
  for (const r of rows) {
    if (r.block_number < first) first = r.block_number;
    if (r.block_number > last) last = r.block_number;
  }
  const times = await blockTimes(db, chainId, first, last);
  return rows.map((r) => {
    const timestamp = times.get(r.block_number);
    if (timestamp === undefined) throw new Error(`read model: no block time for block ${r.block_number} of chain ${chainId}`);
    const position = { blockNumber: r.block_number, logIndex: Number(r.log_index), txHash: r.tx_hash as `0x${string}`, timestamp };
    return Object.assign({}, r, { position });
  });
}
