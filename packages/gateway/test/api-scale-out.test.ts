// Scaling out on a real PostgreSQL: two gateway instances (own instance ids, own connection pools,
// one database) serving one key can never spend more than its balance together, and when one of
// them dies with requests in flight, the other's stale-hold sweep settles what it left behind.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { APIError } from "openai";
import { type Database, INTERRUPTED, openDatabase, startStaleHoldSweep } from "@fomo/ledger";
import { assertBooksBalance } from "@fomo/testkit/books";
import { describePostgres, PG_POOL_SIZE } from "@fomo/testkit/databases";
import { fundedKey, USD } from "@fomo/testkit/ledger";
import { GATED, MODEL, PRICING, expectedPrice, startGateway, type TestGateway } from "./support/gateway.ts";

const PROMPT = "Once upon a time, there was a little";

describePostgres("scaling out: two gateways on one PostgreSQL", (suite) => {
  const pools: Database[] = [];
  const gateways: TestGateway[] = [];
  /** Gateway instance `instanceId` with a connection pool of its own on the database at `url`. */
  async function instance(url: string, instanceId: string): Promise<TestGateway> {
    const db = await openDatabase(url, { poolSize: PG_POOL_SIZE });
    pools.push(db);
    const gw = await startGateway({ db, instanceId });
    gateways.push(gw);
    return gw;
  }
  let url: string;
  let a: TestGateway;
  let b: TestGateway;
  before(async () => {
    url = await suite.target();
    a = await instance(url, "gw-a");
    b = await instance(url, "gw-b");
  });
  after(async () => {
    for (const gw of gateways) await gw.close();
    await Promise.all(pools.map((db) => db.destroy()));
  });

  it("60 concurrent requests on a key covering ~10, over both instances: never overdrawn, the rest 402", async () => {
    const maxTokens = 32;
    const worst = expectedPrice(PRICING, a.local.model.tokenize(PROMPT).length, maxTokens);
    const initial = 10n * worst + worst / 2n;
    const funded = await fundedKey(a.ledger, initial);
    const clients = [a.client(funded.secret), b.client(funded.secret)];
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        clients[i % 2]!.completions.create({ model: MODEL, prompt: PROMPT, max_tokens: maxTokens, temperature: 1 }).withResponse(),
      ),
    );
    const ok = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    for (const r of results) if (r.status === "rejected") assert.ok(r.reason instanceof APIError && r.reason.status === 402, String(r.reason));
    assert.ok(ok.length >= 10 && ok.length < 60, `${ok.length} served`);

    const account = await b.ledger.accounts.get(funded.accountId);
    assert.equal(account.held, 0n);
    assert.ok(account.balance >= 0n);
    // The balance moved by exactly what the served requests were told they cost, and by what their
    // usage records say.
    const told = ok.reduce((sum, r) => sum + BigInt(r.response.headers.get("x-fomo-cost-micro-usd")!), 0n);
    const records = await a.db.selectFrom("usage_records").select("price_charged").where("account_id", "=", funded.accountId).execute();
    assert.equal(records.length, ok.length);
    assert.equal(initial - account.balance, told);
    assert.equal(
      records.reduce((sum, r) => sum + r.price_charged, 0n),
      told,
    );
    await assertBooksBalance(a.db, funded.accountId);
  });

  it("an instance dies mid-stream; the other's stale-hold sweep settles its holds and spares live ones", async () => {
    const funded = await fundedKey(a.ledger, USD);
    const promptTokens = a.local.model.tokenize(PROMPT).length;
    // Streams on the gated model pause after 3 deltas (checkpointed after 2) until the client leaves.
    const open = async (gw: TestGateway, requestId: string) => {
      const stream = await gw.client(funded.secret).completions.create(
        { model: GATED, prompt: PROMPT, max_tokens: 200, temperature: 0, stream: true },
        { headers: { "x-request-id": requestId } },
      );
      const chunks = stream[Symbol.asyncIterator]();
      for (let seen = 0; seen < 3; ) if ((await chunks.next()).value?.choices[0]?.text) seen++;
      return stream;
    };
    const held = (id: string) => `${funded.key.id}:${id}`;
    const orphans = [await open(a, "orphan-1"), await open(a, "orphan-2")];

    // Instance A dies: its database connections go first, so nothing it does afterwards reaches the
    // ledger. Its two holds stay behind with their checkpoints.
    await pools.splice(pools.indexOf(a.db), 1)[0]!.destroy();
    for (const stream of orphans) stream.controller.abort();
    assert.deepEqual((await b.ledger.metering.listHolds("gw-a")).map((h) => h.requestId).sort(), [held("orphan-1"), held("orphan-2")]);
    // An instance without its database answers 5xx and charges nothing.
    const before = await b.ledger.accounts.get(funded.accountId);
    await assert.rejects(
      a.client(funded.secret).completions.create({ model: MODEL, prompt: PROMPT, max_tokens: 2 }),
      (error) => error instanceof APIError && error.status! >= 500,
    );
    assert.deepEqual(await b.ledger.accounts.get(funded.accountId), before);

    // Every hold created from now on is younger than the sweep's cutoff.
    const cutoff = Date.now() + 1;
    while (Date.now() < cutoff) await new Promise((resolve) => setImmediate(resolve));
    const live = await open(b, "live");

    const sweepB = startStaleHoldSweep(b.ledger, { everyMs: 3_600_000, olderThanMs: 60_000, now: () => cutoff + 60_000 });
    try {
      await sweepB.runOnce();
      assert.deepEqual((await b.ledger.metering.listHolds()).map((h) => h.requestId), [held("live")], "only the live request is still held");
      for (const id of ["orphan-1", "orphan-2"]) {
        const record = (await b.ledger.usage.get(held(id)))!;
        assert.deepEqual([record.source, record.finishReason], ["checkpoint", INTERRUPTED]);
        assert.deepEqual([record.inputTokens, record.outputTokens], [BigInt(promptTokens), 2n]);
        assert.equal(record.priceCharged, expectedPrice(PRICING, promptTokens, 2));
      }
      assert.equal(await sweepB.runOnce(), 0, "a second sweep finds nothing");
    } finally {
      await sweepB.stop();
    }

    // The live request ends normally for its client: billed once, by its own instance.
    live.controller.abort();
    while (await b.ledger.metering.getHold(held("live"))) await new Promise((resolve) => setImmediate(resolve));
    assert.equal((await b.ledger.usage.get(held("live")))!.finishReason, "client_disconnect");
    const account = await b.ledger.accounts.get(funded.accountId);
    const records = await b.db.selectFrom("usage_records").select("price_charged").where("account_id", "=", funded.accountId).execute();
    assert.equal(records.length, 3);
    assert.equal(
      USD - account.balance,
      records.reduce((sum, r) => sum + r.price_charged, 0n),
    );
    await assertBooksBalance(b.db, funded.accountId);
  });
});
