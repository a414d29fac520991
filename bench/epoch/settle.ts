// One epoch's settlement computation, alone in its process so its peak RSS is its own: reads the
// epoch's usage from the database the parent generated, and times each stage. Prints one JSON line.
// Usage: node bench/epoch/settle.ts --db URL_OR_DIR --from MS --to MS
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { Ledger, openDatabase, windowUsage } from "@fomo/ledger";
import { loadFastKeccak } from "@fomo/sdk";

const { values } = parseArgs({ options: { db: { type: "string" }, from: { type: "string" }, to: { type: "string" } } });
const target = values.db!.includes("://") ? values.db! : { dataDir: values.db! };
const window = { fromMs: Number(values.from), toMs: Number(values.to) };

const stages: Record<string, number> = {};
async function stage<T>(name: string, run: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  const result = await run();
  stages[name] = Math.round(performance.now() - t0);
  return result;
}

await loadFastKeccak();
const db = await openDatabase(target, { migrate: false });
const ledger = new Ledger(db);
const usage = await stage("aggregate", () => windowUsage(ledger, window));
let gross = 0n;
let records = 0;
for (const u of usage.values()) {
  gross += u.gross;
  records += u.tree.receipts.length;
}
await db.destroy();
process.stdout.write(
  `${JSON.stringify({ stages, deployments: usage.size, records, gross: gross.toString(), maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
);
