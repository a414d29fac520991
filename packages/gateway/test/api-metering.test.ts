// Metering through the HTTP API with the official client and the real local model, on SQLite and on
// a real PostgreSQL: a client that disconnects mid-stream pays for exactly the tokens generated, and
// parallel requests on one key can never spend more than its balance.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { APIError } from "openai";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { GATED, MODEL, PRICING, expectedPrice, startGateway, type TestGateway } from "./support/gateway.ts";
import { assertBooksBalance } from "@fomo/testkit/books";
import { fundedKey, USD } from "@fomo/testkit/ledger";

/** The figure: 200 requests at once on a balance that covers about 10. */
const PARALLEL = 200;

const PROMPT = "Once upon a time, there was a little";

describeEachDatabase("metering through the API", (suite) => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway({ db: await suite.open() });
  });
  after(() => gw.close());

  describe("client disconnect mid-stream", () => {
    it("aborts the generation and bills the tokens generated, nothing more", async () => {
      const funded = await fundedKey(gw.ledger, USD);
      const openai = gw.client(funded.secret);
      const maxTokens = 400;
      // The gated model pauses the real generation after 3 deltas until the request is aborted.
      const stream = await openai.completions.create(
        { model: GATED, prompt: PROMPT, max_tokens: maxTokens, temperature: 0, stream: true },
        { headers: { "x-request-id": "disconnect-1" } },
      );
      let chunks = 0;
      for await (const chunk of stream) {
        if (chunk.choices[0]?.text) chunks++;
        if (chunks === 3) {
          // Checkpointed every 2 deltas (support/gateway.ts) before the third was sent: a crash now
          // would still bill the prompt and 2 tokens.
          const hold = (await gw.ledger.metering.getHold(`${funded.key.id}:disconnect-1`))!;
          assert.deepEqual(hold.checkpoint, { inputTokens: BigInt(gw.local.model.tokenize(PROMPT).length), outputTokens: 2n });
          stream.controller.abort();
          break;
        }
      }
      const requestId = `${funded.key.id}:disconnect-1`;
      // Settlement happens server-side once the abort is noticed: wait until the hold is gone (no timing).
      while (await gw.ledger.metering.getHold(requestId)) await new Promise((resolve) => setImmediate(resolve));
      const record = await gw.ledger.usage.get(requestId);
      assert.ok(record, "the disconnected request was billed, not released");
      assert.equal(record.finishReason, "client_disconnect");
      assert.equal(record.source, "tokenizer");
      assert.equal(record.inputTokens, BigInt(gw.local.model.tokenize(PROMPT).length));
      // Every delta carries at least one token; the generation stopped long before max_tokens.
      assert.ok(record.outputTokens >= 3n, `output ${record.outputTokens}`);
      assert.ok(record.outputTokens < BigInt(maxTokens), `output ${record.outputTokens}`);
      const price = expectedPrice(PRICING, Number(record.inputTokens), Number(record.outputTokens));
      assert.equal(record.priceCharged, price);
      assert.equal(USD - (await gw.ledger.accounts.get(funded.accountId)).balance, price);
      assert.equal(await gw.ledger.metering.getHold(requestId), undefined);
    });
  });

  describe("concurrency", () => {
    it(`${PARALLEL} parallel requests on a key covering ~10: never overdrawn, the rest 402`, async () => {
      const maxTokens = 32;
      const promptTokens = gw.local.model.tokenize(PROMPT).length;
      // The hold of one request: its price if it used all of max_tokens.
      const worst = expectedPrice(PRICING, promptTokens, maxTokens);
      const initial = 10n * worst;
      const funded = await fundedKey(gw.ledger, initial);
      const openai = gw.client(funded.secret);
      const results = await Promise.allSettled(
        Array.from({ length: PARALLEL }, () =>
          openai.completions.create({ model: MODEL, prompt: PROMPT, max_tokens: maxTokens, temperature: 1 }),
        ),
      );
      const ok = results.filter((r) => r.status === "fulfilled");
      const rejected = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
      for (const error of rejected) {
        assert.ok(error instanceof APIError && error.status === 402, String(error));
      }
      assert.ok(ok.length >= 10, `${ok.length} served`);
      assert.ok(rejected.length > 0);
      const account = await gw.ledger.accounts.get(funded.accountId);
      assert.ok(account.balance >= 0n);
      assert.equal(account.held, 0n);
      // What was charged is exactly the sum of the served requests' prices.
      const charged = ok.reduce((sum, r) => {
        const usage = r.value.usage!;
        return sum + expectedPrice(PRICING, usage.prompt_tokens, usage.completion_tokens);
      }, 0n);
      assert.equal(initial - account.balance, charged);
      assert.ok(charged <= initial);
      await assertBooksBalance(gw.db, funded.accountId);
    });
  });
});
