// Two gateways, one ledger database and one real redis-server: a key's RPM and TPM limits hold
// across both (what one admits, the other cannot), 429s reach the official client with retry-after;
// with Redis stopped both keep serving (fail open) and count it; once Redis is back, limits again.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import type { Redis } from "ioredis";
import OpenAI, { RateLimitError } from "openai";
import { RedisRateLimiter, connectLimiterRedis } from "../src/ratelimit/index.ts";
import { fundedKey, USD } from "@fomo/testkit/ledger";
import { MODEL, startGateway, type TestGateway } from "./support/gateway.ts";
import { describeWithRedis, startRedis, type RedisServer } from "./support/redis.ts";

const PROMPT = "Once upon a time";

describeWithRedis("two gateways sharing rate limits through Redis", () => {
  let redisServer: RedisServer;
  // One connection per gateway, as two processes would have.
  const clients: Redis[] = [];
  const gateways: TestGateway[] = [];

  before(async () => {
    redisServer = await startRedis();
    for (const instanceId of ["gw-a", "gw-b"]) {
      const redis = await connectLimiterRedis(redisServer.url);
      clients.push(redis);
      const db = gateways[0]?.db; // the second gateway uses the first one's ledger
      gateways.push(await startGateway({ instanceId, rateLimiter: new RedisRateLimiter(redis), ...(db ? { db } : {}) }));
    }
  });
  after(async () => {
    for (const gw of gateways.reverse()) await gw.close();
    for (const redis of clients) redis.disconnect();
    await redisServer?.close();
  });

  /** A funded key with these limits and a client on each gateway. */
  async function keyWith(limits: { rpmLimit?: number; tpmLimit?: number }) {
    const { ledger } = gateways[0]!;
    const { accountId, key } = await fundedKey(ledger, USD);
    const { secret } = await ledger.keys.create({ accountId, ...limits });
    return { accountId, keyId: key.id, clients: gateways.map((gw) => gw.client(secret)) };
  }
  const complete = (client: OpenAI, maxTokens = 2) => client.completions.create({ model: MODEL, prompt: PROMPT, max_tokens: maxTokens });
  /** Fulfilled results, after checking every rejection is a 429 with this code and a retry-after. */
  function served<T>(results: PromiseSettledResult<T>[], code: string): T[] {
    for (const result of results.filter((r) => r.status === "rejected")) {
      const error = result.reason as unknown;
      assert.ok(error instanceof RateLimitError, String(error));
      assert.equal(error.code, code);
      assert.ok(Number(error.headers?.get("retry-after")) >= 1, "retry-after");
    }
    return results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  }

  it("RPM: 10 concurrent requests over both gateways, 3 per minute in total", async () => {
    const { accountId, clients: [a, b] } = await keyWith({ rpmLimit: 3 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => complete(i % 2 ? a! : b!)));
    // Takes are all done within a second; the next token arrives 20 s after the bucket emptied.
    assert.equal(served(results, "rpm_limit_exceeded").length, 3);
    const usage = await gateways[0]!.db.selectFrom("usage_records").select("request_id").where("account_id", "=", accountId).execute();
    assert.equal(usage.length, 3, "only the admitted requests were billed");
  });

  it("TPM: the tokens billed over both gateways stay within one key's limit", async () => {
    const maxTokens = 8;
    const worst = gateways[0]!.local.model.tokenize(PROMPT).length + maxTokens;
    // Room for two and a half requests' worst case: each gateway alone would admit two.
    const tpmLimit = 2 * worst + Math.floor(worst / 2);
    const { clients: [a, b] } = await keyWith({ tpmLimit });
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => complete(i % 2 ? a! : b!, maxTokens)));
    const ok = served(results, "tpm_limit_exceeded");
    assert.ok(ok.length >= 2, `${ok.length} served`);
    const billed = ok.reduce((sum, r) => sum + r.usage!.total_tokens, 0);
    assert.ok(billed <= tpmLimit, `${billed} tokens billed, limit ${tpmLimit}`);
  });

  it("Redis stopped: both gateways serve past the limit and count it; Redis back: limited again", async () => {
    const errorsOf = async (gw: TestGateway) => {
      const metrics = (await gw.app.inject({ url: "/metrics" })).body;
      return Number(/^fomo_rate_limiter_errors_total (\d+)$/m.exec(metrics)?.[1]);
    };
    const { clients: [a, b] } = await keyWith({ rpmLimit: 1 });
    await complete(a!);
    await assert.rejects(complete(b!), RateLimitError, "one per minute, whichever gateway");

    await redisServer.stop();
    await complete(a!);
    await complete(b!);
    assert.deepEqual(await Promise.all(gateways.map(errorsOf)), [1, 1], "one failed take each, counted");

    const reconnected = clients.map((redis) => new Promise((resolve) => redis.once("ready", resolve)));
    await redisServer.start();
    await Promise.all(reconnected);
    await complete(b!); // an empty Redis: a full bucket
    await assert.rejects(complete(a!), RateLimitError);
    assert.deepEqual(await Promise.all(gateways.map(errorsOf)), [1, 1], "no failure once Redis is back");
  });
});
