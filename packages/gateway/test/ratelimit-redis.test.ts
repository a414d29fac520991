// The Redis token buckets against a real redis-server: the same answers as the in-process buckets
// for the same sequences, one bucket shared by every client on Redis' clock, keys that go away once
// full, and the fail-open policy when Redis is gone.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { Redis } from "ioredis";
import { FailOpenRateLimiter, InProcessRateLimiter, RedisRateLimiter, connectLimiterRedis, type RateLimiter } from "../src/ratelimit/index.ts";
import { rng } from "@fomo/testkit";
import { runBucketScript } from "./support/ratelimit.ts";
import { describeWithRedis, startRedis, type RedisServer } from "./support/redis.ts";

describeWithRedis("RedisRateLimiter (real redis-server)", () => {
  let server: RedisServer;
  let redis: Redis;
  let prefixes = 0;
  /** A limiter on its own key prefix, so tests never share buckets. */
  const limiter = (now?: () => number) =>
    new RedisRateLimiter(redis, { prefix: `test-${++prefixes}:`, ...(now ? { now } : {}) });

  before(async () => {
    server = await startRedis();
    redis = await connectLimiterRedis(server.url);
  });
  after(async () => {
    redis?.disconnect();
    await server?.close();
  });

  it("answers the in-process limiter's scripted sequence exactly", async () => {
    let t = 0;
    const setTime = (ms: number) => (t = ms);
    const memory = await runBucketScript(new InProcessRateLimiter(() => t), setTime);
    const shared = await runBucketScript(limiter(() => t), setTime);
    assert.deepEqual(shared.takes, memory.takes);
    assert.deepEqual(shared.takes, shared.expected.map(([answer]) => answer));
  });

  it("gives the same answers as the in-process limiter over 2,000 random operations", async () => {
    const random = rng(4).upTo;
    const pick = (max: number) => Number(random(BigInt(max)));
    let t = 1_700_000_000_000;
    const memory = new InProcessRateLimiter(() => t);
    const shared = limiter(() => t);
    const limits = [1, 3, 60, 1_000, 90_000];
    for (let step = 0; step < 2_000; step++) {
      t += [0, 1, 17, 250, 4_000, 61_000][pick(5)]!;
      const id = `key-${pick(3)}`;
      const perMinute = limits[pick(limits.length - 1)]!;
      const amount = pick(3) === 0 ? pick(perMinute * 2) : 1 + pick(perMinute);
      if (pick(4) === 0) {
        await memory.give(id, perMinute, amount);
        await shared.give(id, perMinute, amount);
      } else {
        const expected = await memory.take(id, perMinute, amount);
        assert.equal(await shared.take(id, perMinute, amount), expected, `step ${step}: take(${id}, ${perMinute}, ${amount}) at ${t}`);
      }
    }
  });

  it("is one bucket for every client, on Redis' clock", async () => {
    const other = await connectLimiterRedis(server.url);
    try {
      const prefix = `shared-${++prefixes}:`;
      const a = new RedisRateLimiter(redis, { prefix });
      const b = new RedisRateLimiter(other, { prefix });
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).take("rpm", 4, 1)));
      assert.equal(answers.filter((wait) => wait === 0).length, 4, "4 per minute in total, not 4 per client");
      for (const wait of answers.filter((w) => w > 0)) assert.ok(wait >= 1 && wait <= 15, `retry after ${wait}s`);
    } finally {
      other.disconnect();
    }
  });

  it("expires a bucket when it would be full again, and deletes it once full", async () => {
    const prefix = `ttl-${++prefixes}:`;
    const l = new RedisRateLimiter(redis, { prefix });
    assert.equal(await l.take("tpm", 600, 300), 0);
    const ttl = await redis.pttl(`${prefix}tpm`);
    // 300 of 600 missing at 10 per second: full in 30 s.
    assert.ok(ttl > 29_000 && ttl <= 30_000, `ttl ${ttl}`);
    await l.give("tpm", 600, 300);
    assert.equal(await redis.exists(`${prefix}tpm`), 0, "full: nothing stored");
    assert.equal(await l.take("tpm", 600, 601), 60);
    assert.equal(await redis.exists(`${prefix}tpm`), 0, "a refused take of a full bucket stores nothing");
  });

  it("fails open when Redis is gone, reports each failure, and limits again once it is back", async () => {
    const own = await startRedis();
    const client = await connectLimiterRedis(own.url);
    const errors: unknown[] = [];
    const states: boolean[] = [];
    const l: RateLimiter = new FailOpenRateLimiter(new RedisRateLimiter(client), {
      onError: (error) => errors.push(error),
      onStateChange: (failing) => states.push(failing),
    });
    try {
      assert.equal(await l.take("rpm", 1, 1), 0);
      assert.ok((await l.take("rpm", 1, 1)) > 0);
      await own.stop();
      assert.equal(await l.take("rpm", 1, 1), 0, "admitted while Redis is down");
      assert.equal(await l.take("rpm", 1, 1), 0);
      await l.give("rpm", 1, 1); // swallowed too
      assert.equal(errors.length, 3);
      assert.deepEqual(states, [true]);

      const ready = new Promise((resolve) => client.once("ready", resolve));
      await own.start();
      await ready;
      assert.equal(await l.take("rpm", 1, 1), 0, "a fresh Redis: a full bucket");
      assert.ok((await l.take("rpm", 1, 1)) > 0, "limited again");
      assert.deepEqual(states, [true, false]);
      assert.equal(errors.length, 3);
    } finally {
      client.disconnect();
      await own.close();
    }
  });

  it("starts without Redis: connecting does not fail, requests are admitted until it comes up", async () => {
    const own = await startRedis();
    await own.stop();
    const client = await connectLimiterRedis(own.url);
    const l = new FailOpenRateLimiter(new RedisRateLimiter(client));
    try {
      assert.equal(await l.take("rpm", 1, 1), 0);
      assert.equal(await l.take("rpm", 1, 1), 0);
      const ready = new Promise((resolve) => client.once("ready", resolve));
      await own.start();
      await ready;
      assert.equal(await l.take("rpm", 1, 1), 0);
      assert.ok((await l.take("rpm", 1, 1)) > 0);
    } finally {
      client.disconnect();
      await own.close();
    }
  });

  it("never waits longer than the command timeout on a Redis that stopped answering", async () => {
    const own = await startRedis();
    const client = await connectLimiterRedis(own.url, undefined, { commandTimeout: 100 });
    const errors: unknown[] = [];
    const l = new FailOpenRateLimiter(new RedisRateLimiter(client), { onError: (error) => errors.push(error) });
    try {
      assert.equal(await l.take("rpm", 1, 1), 0);
      own.pause();
      assert.equal(await l.take("rpm", 1, 1), 0, "admitted after the timeout");
      assert.match(String(errors[0]), /timed out/i);
    } finally {
      own.resume();
      client.disconnect();
      await own.close();
    }
  });
});
