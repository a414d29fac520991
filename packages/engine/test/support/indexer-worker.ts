// A separate process running the indexer, for the crash test: `node indexer-worker.ts DB RPC DEPLOYMENTS MODE`.
// MODE "forever": one block per range, a line per range, until killed. MODE "catch-up": until caught up, then "done".
import { openDatabase } from "@fomo/ledger";
import { readDeployments } from "@fomo/sdk/node";
import { createPublicClient, http, type PublicClient } from "viem";
import { Indexer } from "../../src/index.ts";

const [target, rpcUrl, deploymentsFile, mode] = process.argv.slice(2) as [string, string, string, string];
const db = await openDatabase(target, { poolSize: 2 });
const client = createPublicClient({ transport: http(rpcUrl) }) as PublicClient;
process.stdout.write("ready\n");
const indexer = new Indexer({ db, client, deployments: readDeployments(deploymentsFile), maxRange: mode === "forever" ? 1 : 2_000 });
for (;;) {
  const result = await indexer.syncOnce();
  if (result.range) process.stdout.write(`range ${result.range.from} ${result.range.to}\n`);
  if (result.caughtUp && mode === "catch-up") break;
}
process.stdout.write("done\n");
await db.destroy();
