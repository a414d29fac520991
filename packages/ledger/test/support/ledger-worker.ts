// A gateway stand-in: a separate process working on the same ledger database as the test.
//
//   node ledger-worker.ts crash <database target> <key id> <instance id>
//     Serves requests until it is killed. Request i: every third is settled in full, every third
//     checkpointed and left streaming, every third left just admitted. Prints "ready" after 30
//     requests and keeps going (more requests, then checkpoint updates of the streaming ones), so a
//     SIGKILL lands in the middle of work.
//
//   node ledger-worker.ts burst <database target> <key id> <instance id> <count>
//     Prints "ready" once connected, waits for a line on stdin, then fires <count> reserves at once
//     and prints one JSON line: {"admitted": n, "insufficient": n, "errors": ["…"]}.
import { createInterface } from "node:readline";
import { openDatabase } from "../../src/db/index.ts";
import { worstCaseCost } from "@fomo/sdk";
import { InsufficientCredits, Ledger } from "../../src/index.ts";
import { TEST_PRICING } from "@fomo/testkit/pricing";

export const WORKER_REQUESTS = 60;
export const WORKER_PROMPT = 1_000n;
export const WORKER_MAX_TOKENS = 256n;
/** What every worker request holds: worstCaseCost(TEST_PRICING, 1,000, 256). */
export const WORKER_HOLD = worstCaseCost(TEST_PRICING, WORKER_PROMPT, WORKER_MAX_TOKENS);

export interface BurstReport {
  admitted: number;
  insufficient: number;
  errors: string[];
}

function reserver(ledger: Ledger, keyId: string) {
  return (requestId: string) =>
    ledger.metering.reserve({
      requestId,
      keyId,
      amount: WORKER_HOLD,
      modelId: "stories-260k",
      deployment: "platform",
      pricing: TEST_PRICING,
    });
}

async function crash(ledger: Ledger, keyId: string): Promise<void> {
  const reserve = reserver(ledger, keyId);
  for (let i = 0; ; i++) {
    if (i < WORKER_REQUESTS) {
      const requestId = `crash-${i}`;
      await reserve(requestId);
      if (i % 3 === 0) {
        await ledger.metering.settle(requestId, { inputTokens: WORKER_PROMPT, outputTokens: BigInt(i), source: "tokenizer" });
      } else if (i % 3 === 1) {
        await ledger.metering.checkpoint(requestId, { inputTokens: WORKER_PROMPT, outputTokens: BigInt(i) });
      }
    } else {
      // The streaming requests keep producing tokens.
      const streaming = 3 * (i % (WORKER_REQUESTS / 3)) + 1;
      await ledger.metering.checkpoint(`crash-${streaming}`, { inputTokens: WORKER_PROMPT, outputTokens: BigInt(i % 256) });
    }
    if (i === 30) process.stdout.write("ready\n");
  }
}

async function burst(ledger: Ledger, keyId: string, instanceId: string, count: number): Promise<void> {
  const reserve = reserver(ledger, keyId);
  process.stdout.write("ready\n");
  const lines = createInterface({ input: process.stdin });
  await new Promise((resolve) => lines.once("line", resolve));
  lines.close();
  const results = await Promise.allSettled(Array.from({ length: count }, (_, i) => reserve(`${instanceId}-${i}`)));
  const report: BurstReport = { admitted: 0, insufficient: 0, errors: [] };
  for (const result of results) {
    if (result.status === "fulfilled") report.admitted++;
    else if (result.reason instanceof InsufficientCredits) report.insufficient++;
    else report.errors.push(String(result.reason));
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (import.meta.main) {
  const [mode, target, keyId, instanceId, count] = process.argv.slice(2);
  if (!target || !keyId || !instanceId || (mode !== "crash" && mode !== "burst")) {
    throw new Error("usage: ledger-worker.ts crash|burst <target> <key id> <instance id> [count]");
  }
  const db = await openDatabase(target, { migrate: false, poolSize: 4 });
  const ledger = new Ledger(db, { instanceId });
  if (mode === "crash") {
    await crash(ledger, keyId);
  } else {
    await burst(ledger, keyId, instanceId, Number(count));
    await db.destroy();
  }
}
