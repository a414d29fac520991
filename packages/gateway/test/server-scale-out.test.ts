// The gateway process set up for a cluster (startGatewayServer with an instance id, REDIS_URL and
// the stale-hold sweep): limits live in Redis, and a hold another instance left long ago is swept.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { defaultCatalog } from "@fomo/sdk";
import { Redis } from "ioredis";
import OpenAI, { RateLimitError } from "openai";
import pino from "pino";
import { type Database, Ledger, openDatabase } from "@fomo/ledger";
import { startGatewayServer, type GatewayServer } from "../src/server.ts";
import { fundedKey, reserveOn, USD } from "@fomo/testkit/ledger";
import { describeWithRedis, startRedis, type RedisServer } from "./support/redis.ts";

describeWithRedis("gateway server in a cluster", () => {
  let dir: string;
  let redisServer: RedisServer;
  let server: GatewayServer;
  let db: Database;
  let ledger: Ledger;
  const logs: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "fomo-cluster-"));
    redisServer = await startRedis();
    db = await openDatabase({ dataDir: dir });
    // An instance that is gone for good held a request since the epoch.
    const gone = new Ledger(db, { instanceId: "gw-gone", now: () => 0 });
    const { key } = await fundedKey(gone, USD);
    await reserveOn(gone, key.id, "abandoned", 1_000n);
    ledger = new Ledger(db);
    const logger = pino({ level: "info" }, { write: (line: string) => void logs.push(line) });
    server = await startGatewayServer({
      port: 0,
      dataDir: dir,
      instanceId: "gw-live",
      redisUrl: redisServer.url,
      staleHoldSweep: { everyMs: 3_600_000, olderThanMs: 60_000 },
      logger,
    });
  });
  after(async () => {
    await server?.close();
    await db?.destroy();
    await redisServer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sweeps at start the hold of an instance that never came back", async () => {
    // The first sweep runs in the background as the server starts: wait for its effect.
    while (await ledger.metering.getHold("abandoned")) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(await ledger.usage.get("abandoned"), undefined, "released: no checkpoint, nothing served");
    assert.match(logs.join(""), /swept stale holds/);
  });

  it("keeps a key's RPM bucket in Redis", async () => {
    const account = await ledger.accounts.create("cluster");
    await ledger.credits.add({ accountId: account.id, amount: USD, ref: "cluster-seed" });
    const { key, secret } = await ledger.keys.create({ accountId: account.id, rpmLimit: 1 });
    const openai = new OpenAI({ apiKey: secret, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const complete = () => openai.completions.create({ model: defaultCatalog[0]!.baseModelId, prompt: "Once", max_tokens: 2 });
    await complete();
    await assert.rejects(complete(), RateLimitError);
    const redis = new Redis(redisServer.url);
    try {
      const level = Number(await redis.hget(`fomo:ratelimit:rpm:${key.id}`, "level"));
      assert.ok(level >= 0 && level < 1, `bucket level ${level}`);
    } finally {
      redis.disconnect();
    }
    assert.match(logs.join(""), new RegExp(`"rateLimits":"redis at ${new URL(redisServer.url).host}"`));
  });
});
