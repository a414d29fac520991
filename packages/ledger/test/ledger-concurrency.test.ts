// Concurrency on one account (anchors-inference.md §2.2: check-then-spend races). 200 requests at
// once on a balance that covers about 10 of them must never overdraw: the admission check and the
// hold are one atomic step. On PostgreSQL the ledger runs on a pool of several connections, so the
// transactions really are concurrent and only the account row lock keeps them apart.
import assert from "node:assert/strict";
import { it } from "node:test";
import { openDatabase } from "../src/db/index.ts";
import { InsufficientCredits, Ledger, SpendCapReached } from "../src/index.ts";
import { priceRequest, worstCaseCost } from "@fomo/sdk";
import { PG_POOL_SIZE, describeEachDatabase } from "@fomo/testkit/databases";
import { rng } from "@fomo/testkit";
import { assertBooksBalance } from "@fomo/testkit/books";
import { TEST_PRICING } from "@fomo/testkit/pricing";
import { USD, fundedKey, reserveOn } from "@fomo/testkit/ledger";
import { WORKER_HOLD, type BurstReport } from "./support/ledger-worker.ts";
import { Worker } from "./support/workers.ts";

const PARALLEL = 200;
/** Every request: a 1,000-token prompt and max_tokens 256 -> hold 405 micro-USD. */
const PROMPT = 1_000n;
const MAX_TOKENS = 256n;
const HOLD = worstCaseCost(TEST_PRICING, PROMPT, MAX_TOKENS);

/** Settle every promise; split the values from the errors. */
async function settleAll<T>(tasks: Array<Promise<T>>): Promise<{ ok: T[]; errors: unknown[] }> {
  const results = await Promise.allSettled(tasks);
  return {
    ok: results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : [])),
    errors: results.flatMap((r) => (r.status === "rejected" ? [r.reason] : [])),
  };
}

describeEachDatabase("ledger under concurrency", (suite) => {
  const open = async () => {
    const db = await suite.open({ poolSize: PG_POOL_SIZE });
    return new Ledger(db, { instanceId: "gw-concurrency" });
  };

  it(`admits exactly as many of ${PARALLEL} parallel reserves as the balance covers`, async () => {
    const ledger = await open();
    // Balance for 10.5 holds: exactly 10 fit.
    const credits = 10n * HOLD + HOLD / 2n;
    const { accountId, key } = await fundedKey(ledger, credits);
    const { ok, errors } = await settleAll(
      Array.from({ length: PARALLEL }, (_, i) => reserveOn(ledger, key.id, `burst-${i}`, HOLD)),
    );
    assert.equal(ok.length, 10);
    assert.equal(errors.length, PARALLEL - 10);
    for (const error of errors) {
      assert.ok(error instanceof InsufficientCredits, `unexpected ${String(error)}`);
      assert.ok(error.available < error.needed && error.needed === HOLD);
    }
    let account = await ledger.accounts.get(accountId);
    assert.deepEqual([account.balance, account.held], [credits, 10n * HOLD]);

    // Settle the admitted ones, all at once, each with its own output length.
    const random = rng(3).upTo;
    const usages = ok.map((hold) => ({ requestId: hold.requestId, outputTokens: random(MAX_TOKENS) }));
    await Promise.all(
      usages.map((u) => ledger.metering.settle(u.requestId, { inputTokens: PROMPT, outputTokens: u.outputTokens, source: "tokenizer" })),
    );
    const charged = usages.reduce((sum, u) => sum + priceRequest(TEST_PRICING, { inputTokens: PROMPT, outputTokens: u.outputTokens }).price, 0n);
    account = await ledger.accounts.get(accountId);
    assert.deepEqual([account.balance, account.held], [credits - charged, 0n]);
    await assertBooksBalance(ledger.db, accountId);
  });

  it(`never overdraws with ${PARALLEL} parallel full requests (reserve, checkpoint, settle)`, async () => {
    const ledger = await open();
    const credits = 10n * HOLD;
    const { accountId, key } = await fundedKey(ledger, credits);
    const random = rng(5).upTo;
    const outputs = Array.from({ length: PARALLEL }, () => random(MAX_TOKENS));
    const { ok, errors } = await settleAll(
      outputs.map(async (outputTokens, i) => {
        const requestId = `full-${i}`;
        await reserveOn(ledger, key.id, requestId, HOLD);
        await ledger.metering.checkpoint(requestId, { inputTokens: PROMPT, outputTokens: outputTokens / 2n });
        return ledger.metering.settle(requestId, { inputTokens: PROMPT, outputTokens, source: "tokenizer" });
      }),
    );
    for (const error of errors) assert.ok(error instanceof InsufficientCredits, `unexpected ${String(error)}`);
    // Settled holds free their unused part, so at least the 10 first fit, maybe more; never too many.
    assert.ok(ok.length >= 10, `${ok.length} served`);
    const charged = ok.reduce((sum, record) => sum + record.priceCharged, 0n);
    assert.ok(charged <= credits, "total charged within the balance");
    for (const record of ok) {
      assert.equal(record.priceCharged, priceRequest(TEST_PRICING, record).price, "each charged its own usage");
    }
    const account = await ledger.accounts.get(accountId);
    assert.deepEqual([account.balance, account.held], [credits - charged, 0n]);
    assert.ok(account.balance >= 0n);
    await assertBooksBalance(ledger.db, accountId);
  });

  it("admits exactly as many parallel reserves as a key's spend cap covers", async () => {
    const ledger = await open();
    const { accountId, key } = await fundedKey(ledger, USD, { spendCap: 5n * HOLD });
    const { ok, errors } = await settleAll(
      Array.from({ length: 50 }, (_, i) => reserveOn(ledger, key.id, `capped-${i}`, HOLD)),
    );
    assert.equal(ok.length, 5);
    for (const error of errors) assert.ok(error instanceof SpendCapReached, `unexpected ${String(error)}`);
    assert.equal((await ledger.keys.get(key.id)).held, 5n * HOLD);
    await assertBooksBalance(ledger.db, accountId);
  });

  it("ends every request in exactly one state when settle and release race", async () => {
    const ledger = await open();
    const { accountId, key } = await fundedKey(ledger, USD);
    const ids = Array.from({ length: 40 }, (_, i) => `race-${i}`);
    for (const id of ids) await reserveOn(ledger, key.id, id, HOLD);
    const outcomes = await Promise.all(
      ids.map(async (id) => {
        const [settled, released] = await Promise.allSettled([
          ledger.metering.settle(id, { inputTokens: PROMPT, outputTokens: 10n, source: "tokenizer" }),
          ledger.metering.release(id),
        ]);
        // Either the settle won (release found nothing) or the release did (settle finds no hold).
        const settleWon = settled.status === "fulfilled";
        assert.equal(released.status, "fulfilled");
        assert.equal(released.value, !settleWon, `${id}: exactly one of settle and release took the hold`);
        return settleWon;
      }),
    );
    const settledCount = outcomes.filter(Boolean).length;
    const usage = await ledger.db.selectFrom("usage_records").select("request_id").where("account_id", "=", accountId).execute();
    assert.equal(usage.length, settledCount);
    const perRequest = priceRequest(TEST_PRICING, { inputTokens: PROMPT, outputTokens: 10n }).price;
    const account = await ledger.accounts.get(accountId);
    assert.deepEqual([account.balance, account.held], [USD - BigInt(settledCount) * perRequest, 0n]);
    await assertBooksBalance(ledger.db, accountId);
  });

  it("never overdraws with two gateway processes reserving on one account at once", async () => {
    const target = await suite.target();
    const db = await openDatabase(target, { poolSize: 2 });
    try {
      const ledger = new Ledger(db);
      const credits = 10n * WORKER_HOLD + WORKER_HOLD / 2n; // exactly 10 holds fit
      const { accountId, key } = await fundedKey(ledger, credits);
      const workers = ["gw-a", "gw-b"].map((instance) => new Worker(["burst", target, key.id, instance, "100"]));
      for (const worker of workers) await worker.expectLine("ready");
      for (const worker of workers) worker.send("go");
      const reports = await Promise.all(workers.map(async (w) => JSON.parse(await w.nextLine()) as BurstReport));
      for (const worker of workers) assert.equal(await worker.exitCode(), 0);
      // SQLite: BEGIN IMMEDIATE makes the two processes queue for the write lock instead of failing
      // with SQLITE_BUSY; PostgreSQL: the account row lock.
      assert.deepEqual(reports.flatMap((r) => r.errors), []);
      assert.equal(reports[0]!.admitted + reports[1]!.admitted, 10);
      assert.equal(reports[0]!.insufficient + reports[1]!.insufficient, 190);
      const account = await ledger.accounts.get(accountId);
      assert.deepEqual([account.balance, account.held], [credits, 10n * WORKER_HOLD]);
      await assertBooksBalance(db, accountId);
    } finally {
      await db.destroy();
    }
  });
});
