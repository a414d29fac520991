// `fomo index status`: each indexed source's cursor, the chain's head, the lag and the last reorg,
// read from the ledger's database (the head from the chain when it answers). `fomo index run`: the
// chain indexer and the read model it feeds, as `fomo up` runs it next to the gateway.
import type { Database } from "@fomo/ledger";
import { Indexer, indexerStatus, type IndexerLog, type SourceStatus } from "@fomo/engine";
import type { Deployments } from "@fomo/sdk";
import type { PublicClient } from "viem";
import type { IndexOptions } from "../args.ts";
import { formatTable, jsonDocument, openChainContext } from "./chain.ts";
import { untilStopped } from "./gateway.ts";

export async function index(opts: IndexOptions): Promise<number> {
  const { deployments, client, db } = await openChainContext(opts);
  try {
    if (opts.command === "status") return await printStatus(db, client, deployments, opts.json);
    const indexer = startIndexer({ db, client, deployments, confirmations: opts.confirmations, maxRange: opts.maxRange });
    process.stderr.write(`[fomo] indexing chain ${deployments.chainId} from ${opts.rpcUrl} (${opts.confirmations} confirmations)\n`);
    await untilStopped();
    await indexer.stop();
    return 0;
  } finally {
    await db.destroy();
  }
}

/**
 * The indexer with its default projections (USDC deposits, then the read model's in their order),
 * logging JSON lines to stderr (`up` sends them to <data-dir>/indexer.log).
 */
function startIndexer(options: { db: Database; client: PublicClient; deployments: Deployments; confirmations: number; maxRange: number }): Indexer {
  const line = (level: string) => (message: string, details: Record<string, unknown> = {}) =>
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, component: "indexer", message, ...details })}\n`);
  const log: IndexerLog = { info: line("info"), warn: line("warn"), error: line("error") };
  const indexer = new Indexer({ ...options, log });
  indexer.start();
  return indexer;
}

async function printStatus(db: Database, client: PublicClient, d: Deployments, json: boolean): Promise<number> {
  const head = await client.getBlockNumber({ cacheTime: 0 }).catch(() => undefined);
  const sources = await indexerStatus(db, d.chainId, head);
  if (json) {
    process.stdout.write(jsonDocument({ chainId: d.chainId, head, sources }));
    return 0;
  }
  if (sources.length === 0) {
    process.stdout.write(`chain ${d.chainId}: nothing indexed yet (./fomo up or ./fomo index run starts the indexer)\n`);
    return 0;
  }
  process.stdout.write(`chain ${d.chainId}, head ${head ?? "unknown (the chain does not answer)"}\n`);
  const rows = sources.map((s: SourceStatus) => [
    s.source,
    s.kind,
    String(s.indexedTo),
    s.lag === undefined ? "?" : String(s.lag),
    s.lastReorg ? `at ${new Date(s.lastReorg.at).toISOString()}: ${s.lastReorg.depth} blocks, back to ${s.lastReorg.ancestor}` : "none",
  ]);
  process.stdout.write(formatTable([["source", "kind", "indexed to", "lag", "last reorg"], ...rows]));
  return 0;
}
