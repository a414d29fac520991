// Per-key RPM/TPM limits: the token bucket on an injected clock, and 429s through the official client.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RateLimitError } from "openai";
import { InProcessRateLimiter } from "../src/ratelimit/index.ts";
import { MODEL, startGateway, type TestGateway } from "./support/gateway.ts";
import { USD } from "@fomo/testkit/ledger";
import { runBucketScript } from "./support/ratelimit.ts";

describe("InProcessRateLimiter (injected clock)", () => {
  it("takes up to the per-minute limit, refills continuously, gives back unused, says when to retry", async () => {
    let t = 0;
    const { takes, expected } = await runBucketScript(new InProcessRateLimiter(() => t), (ms) => (t = ms));
    takes.forEach((answer, i) => assert.equal(answer, expected[i]![0], expected[i]![1]));
  });
});

describe("rate limits through the API", () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startGateway();
  });
  after(() => gw.close());

  async function keyWith(limits: { rpmLimit?: number; tpmLimit?: number }) {
    const account = await gw.ledger.accounts.create(`rl-${Math.random().toString(36).slice(2)}`);
    await gw.ledger.credits.add({ accountId: account.id, amount: USD, ref: `seed-${account.id}` });
    const { secret } = await gw.ledger.keys.create({ accountId: account.id, ...limits });
    return { accountId: account.id, client: gw.client(secret) };
  }
  const PROMPT = "Once upon a time";

  it("RPM: the request over the limit gets 429 with retry-after and is not charged", async () => {
    const { accountId, client } = await keyWith({ rpmLimit: 2 });
    await client.completions.create({ model: MODEL, prompt: PROMPT, max_tokens: 2 });
    await client.completions.create({ model: MODEL, prompt: PROMPT, max_tokens: 2 });
    const balance = (await gw.ledger.accounts.get(accountId)).balance;
    const error = await client.completions.create({ model: MODEL, prompt: PROMPT, max_tokens: 2 }).catch((e: unknown) => e);
    assert.ok(error instanceof RateLimitError);
    assert.equal(error.code, "rpm_limit_exceeded");
    assert.ok(Number(error.headers?.get("retry-after")) >= 1);
    assert.equal((await gw.ledger.accounts.get(accountId)).balance, balance);
  });

  it("TPM: admission takes prompt + max_tokens; a request that can never fit is refused", async () => {
    const promptTokens = gw.local.model.tokenize(PROMPT).length;
    const { client } = await keyWith({ tpmLimit: promptTokens + 8 });
    await client.completions.create({ model: MODEL, prompt: PROMPT, max_tokens: 8 });
    const again = await client.completions.create({ model: MODEL, prompt: PROMPT, max_tokens: 8 }).catch((e: unknown) => e);
    assert.ok(again instanceof RateLimitError);
    assert.equal(again.code, "tpm_limit_exceeded");
    const { client: fresh } = await keyWith({ tpmLimit: promptTokens + 8 });
    const tooBig = await fresh.completions.create({ model: MODEL, prompt: PROMPT, max_tokens: 9 }).catch((e: unknown) => e);
    assert.ok(tooBig instanceof RateLimitError);
    assert.equal(tooBig.headers?.get("retry-after"), "60");
  });
});
