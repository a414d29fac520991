// Crash recovery (anchors-inference.md §2.4): the holds a dead gateway left behind are settled from
// their last checkpoint or released by reconcile() at the next start; nothing is charged twice,
// nothing is lost, and a second reconcile changes nothing. First with a simulated crash (holds
// simply abandoned) and exact amounts, then with a real process killed by SIGKILL mid-work.
import assert from "node:assert/strict";
import { it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { sql } from "kysely";
import { openDatabase, type Database } from "../src/db/index.ts";
import { INTERRUPTED, Ledger } from "../src/index.ts";
import { priceRequest } from "@fomo/sdk";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { assertBooksBalance } from "@fomo/testkit/books";
import { TEST_PRICING, tokens } from "@fomo/testkit/pricing";
import { USD, fundedKey, reserveOn, snapshot } from "@fomo/testkit/ledger";
import { WORKER_REQUESTS } from "./support/ledger-worker.ts";
import { Worker } from "./support/workers.ts";

describeEachDatabase("ledger reconcile after a crash", (suite) => {
  it("settles checkpointed holds, releases the others, and is idempotent", async () => {
    const db = await suite.open();
    let clock = 1_000;
    const now = () => clock;
    const dead = new Ledger(db, { instanceId: "gw-1", now });
    const neighbour = new Ledger(db, { instanceId: "gw-2", now });
    const { accountId, key } = await fundedKey(dead, USD);

    // Before the crash: five requests of gw-1 and one of gw-2, all holding 405 micro-USD.
    for (const id of ["streaming", "admitted", "done", "overrun"]) await reserveOn(dead, key.id, id, 405n);
    await reserveOn(neighbour, key.id, "neighbour", 405n);
    await dead.metering.checkpoint("streaming", tokens(1_000n, 40n));
    await dead.metering.checkpoint("streaming", tokens(1_000n, 100n)); // the last checkpoint counts
    await dead.metering.checkpoint("done", tokens(1_000n, 10n));
    await dead.metering.settle("done", { inputTokens: 1_000n, outputTokens: 20n, source: "tokenizer" }); // 200 + 16 = 216
    await dead.metering.checkpoint("overrun", tokens(1_000n, 1_000n)); // more than admitted: 1,000 > the 405 hold
    await neighbour.metering.checkpoint("neighbour", tokens(500n, 5n));
    clock = 5_000;
    // ... gw-1 dies here. It restarts with the same instance id:
    const restarted = new Ledger(db, { instanceId: "gw-1", now });
    const result = await restarted.metering.reconcile();
    assert.deepEqual(result.released, ["admitted"]);
    assert.deepEqual(
      result.settled.map((r) => [r.requestId, r.inputTokens, r.outputTokens, r.priceCharged, r.source, r.finishReason]),
      [
        // 1,000 x 0.20 + 100 x 0.80 per 1M = 200 + 80 = 280 micro-USD.
        ["streaming", 1_000n, 100n, 280n, "checkpoint", INTERRUPTED],
        // 200 + 800 = 1,000, capped at the 405 it was admitted for.
        ["overrun", 1_000n, 1_000n, 405n, "checkpoint", INTERRUPTED],
      ],
    );
    assert.equal(result.settled[0]!.latencyMs, null, "unknown after a crash");
    const account = await restarted.accounts.get(accountId);
    assert.equal(account.balance, USD - 216n - 280n - 405n);
    assert.equal(account.held, 405n, "only the other instance's hold is left");
    assert.deepEqual((await restarted.metering.listHolds()).map((h) => h.requestId), ["neighbour"]);
    await assertBooksBalance(db, accountId);

    // Nothing twice: a second reconcile, a late settle or release of the same requests change nothing.
    const before = await snapshot(db);
    assert.deepEqual(await restarted.metering.reconcile(), { settled: [], released: [] });
    assert.deepEqual(await restarted.metering.settle("streaming", { inputTokens: 1n, outputTokens: 1n, source: "tokenizer" }), result.settled[0]);
    assert.equal(await restarted.metering.release("admitted"), false);
    assert.deepEqual(await snapshot(db), before);

    // A sweep by age catches holds of instances that never come back.
    assert.deepEqual(await restarted.metering.reconcileStale(1_000), { settled: [], released: [] }, "created at 1,000: not before it");
    const swept = await restarted.metering.reconcileStale(1_001);
    // 500 x 0.20 + 5 x 0.80 per 1M = 100 + 4 = 104.
    assert.deepEqual(swept.settled.map((r) => [r.requestId, r.priceCharged]), [["neighbour", 104n]]);
    assert.equal((await restarted.accounts.get(accountId)).balance, USD - 216n - 280n - 405n - 104n);
    await assertBooksBalance(db, accountId);
  });

  it("recovers from a gateway process killed by SIGKILL mid-work", async () => {
    const target = await suite.target();
    const db = await openDatabase(target, { poolSize: 4 });
    try {
      const ledger = new Ledger(db, { instanceId: "gw-live" });
      const credits = 100n * USD;
      const { accountId, key } = await fundedKey(ledger, credits);
      await reserveOn(ledger, key.id, "live-request", 405n); // a request of a live gateway: must survive

      if (db.dialect === "postgres") {
        const url = new URL(target);
        url.searchParams.set("application_name", WORKER_APP);
        await runUntilReadyThenKill(url.toString(), key.id, "gw-crashed");
        // The server may still be finishing (committing or rolling back) the dead client's last
        // transaction: look at the ledger only once its sessions are gone.
        await sessionsGone(db, WORKER_APP);
      } else {
        await runUntilReadyThenKill(target, key.id, "gw-crashed");
      }

      const leftBehind = await ledger.metering.listHolds("gw-crashed");
      assert.ok(leftBehind.length > 0, "the crash left holds behind");
      const settledBefore = await usageIds(db);
      const restarted = new Ledger(db, { instanceId: "gw-crashed" });
      const result = await restarted.metering.reconcile();

      const checkpointed = leftBehind.filter((h) => h.checkpoint !== null);
      assert.deepEqual(result.settled.map((r) => r.requestId).sort(), checkpointed.map((h) => h.requestId).sort());
      assert.deepEqual(result.released.sort(), leftBehind.filter((h) => h.checkpoint === null).map((h) => h.requestId).sort());
      for (const hold of checkpointed) {
        const record = result.settled.find((r) => r.requestId === hold.requestId)!;
        const price = priceRequest(TEST_PRICING, hold.checkpoint!).price;
        assert.deepEqual([record.inputTokens, record.outputTokens], [hold.checkpoint!.inputTokens, hold.checkpoint!.outputTokens]);
        assert.equal(record.priceCharged, price < hold.amount ? price : hold.amount);
        assert.equal(record.source, "checkpoint");
      }

      // Every request the worker started ended in exactly one state: settled once, or nothing at all.
      const usage = await usageIds(db);
      assert.equal(new Set(usage).size, usage.length);
      assert.deepEqual(usage.filter((id) => !settledBefore.includes(id)).sort(), result.settled.map((r) => r.requestId).sort());
      for (let i = 0; i < WORKER_REQUESTS; i++) {
        const settled = usage.includes(`crash-${i}`);
        const held = (await restarted.metering.getHold(`crash-${i}`)) !== undefined;
        assert.ok(!held, `crash-${i} still held`);
        if (i % 3 === 0 && settled) assert.ok(settledBefore.includes(`crash-${i}`), "settled by the worker itself");
        if (i % 3 === 2) assert.ok(!settled, `crash-${i} never produced a token: nothing charged`);
      }
      assert.deepEqual((await ledger.metering.listHolds()).map((h) => h.requestId), ["live-request"]);
      const charged = (await db.selectFrom("usage_records").select("price_charged").execute()).reduce((s, r) => s + r.price_charged, 0n);
      assert.equal((await ledger.accounts.get(accountId)).balance, credits - charged);
      await assertBooksBalance(db, accountId);

      const before = await snapshot(db);
      assert.deepEqual(await restarted.metering.reconcile(), { settled: [], released: [] });
      assert.deepEqual(await snapshot(db), before);
    } finally {
      await db.destroy();
    }
  });
});

const WORKER_APP = "fomo-ledger-worker";

async function sessionsGone(db: Database, applicationName: string): Promise<void> {
  for (;;) {
    const { rows } = await sql<{ n: bigint }>`select count(*) as n from pg_stat_activity
      where datname = current_database() and application_name = ${applicationName}`.execute(db);
    if (rows[0]?.n === 0n) return;
    await delay(10);
  }
}

async function usageIds(db: Database): Promise<string[]> {
  return (await db.selectFrom("usage_records").select("request_id").execute()).map((r) => r.request_id);
}

/** Start a worker gateway, wait until it is 30 requests in, then SIGKILL it while it keeps working. */
async function runUntilReadyThenKill(target: string, keyId: string, instanceId: string): Promise<void> {
  const worker = new Worker(["crash", target, keyId, instanceId]);
  await worker.expectLine("ready");
  await worker.kill();
}
