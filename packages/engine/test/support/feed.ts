// Feeding the read model in tests: the real Indexer (getLogs ranges, cursors, reorg handling) with the
// read model's projections, run until caught up; and the read model's tables dumped as text.
import type { Database } from "@fomo/ledger";
import type { Deployments } from "@fomo/sdk";
import type { PublicClient } from "viem";
import { Indexer } from "../../src/indexer/indexer.ts";
import type { Projection } from "../../src/indexer/projection.ts";
import { readModelProjections, readModelTables } from "../../src/readmodel/index.ts";
import { syncAll } from "./tables.ts";

/** An indexer of `d`'s chain into `db` with the read model's projections, as `fomo index run` builds it. */
export function readModelIndexer(db: Database, client: PublicClient, d: Deployments): Indexer {
  return new Indexer({ db, client, deployments: d, projections: readModelProjections(d.contracts) });
}

/** Indexes the chain into `db` up to its head. */
export async function feed(db: Database, client: PublicClient, d: Deployments): Promise<Indexer> {
  const indexer = readModelIndexer(db, client, d);
  await syncAll(indexer);
  return indexer;
}

/** Every read-model table's rows in primary-key order, as text: equal text means equal tables. */
export async function dumpTables(db: Database, projections: readonly Projection[]): Promise<string> {
  const parts: string[] = [];
  for (const table of readModelTables(projections)) {
    const rows = await db
      .selectFrom(table as "mt_transfers")
      .selectAll()
      .orderBy("chain_id")
      .orderBy("block_number")
      .orderBy(table === "chain_blocks" ? "block_number" : "log_index")
      .execute();
    parts.push(`${table}\n${rows.map((r) => JSON.stringify(r, (_, v) => (typeof v === "bigint" ? `${v}n` : v))).join("\n")}`);
  }
  return parts.join("\n\n");
}

export { readModelProjections };
