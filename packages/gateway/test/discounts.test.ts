// The cached stake lookup behind the staker discount (product.md §4): one read per TTL, shared by
// concurrent requests, the last known stake while the reader fails. The tiers themselves are the
// SDK's (packages/sdk/test/pricing.test.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MT } from "@fomo/sdk";
import { PLATFORM_DEPLOYMENT, StakeDiscounts, type StakeReader } from "../src/pricing/index.ts";

describe("StakeDiscounts (cached stake reads)", () => {
  const WALLET = "0x00000000000000000000000000000000000000AA";
  const MT_TOKEN = "0x00000000000000000000000000000000000000BB";

  function fakeReader(stakes: Map<string, bigint>) {
    const calls: string[] = [];
    let failing = false;
    const reader: StakeReader = {
      async stakeOf(wallet, deployment) {
        calls.push(`${wallet}:${deployment}`);
        await Promise.resolve();
        if (failing) throw new Error("rpc down");
        return stakes.get(`${wallet}:${deployment}`) ?? 0n;
      },
    };
    return { reader, calls, fail: (on: boolean) => (failing = on) };
  }

  it("reads the bound wallet's stake once per TTL, shared by concurrent requests", async () => {
    const stakes = new Map([[`${WALLET.toLowerCase()}:${MT_TOKEN.toLowerCase()}`, 10_000n * MT]]);
    const { reader, calls } = fakeReader(stakes);
    let now = 1_000;
    const discounts = new StakeDiscounts(reader, { ttlMs: 60_000, now: () => now });
    const results = await Promise.all(Array.from({ length: 10 }, () => discounts.discountBps([WALLET], MT_TOKEN)));
    assert.deepEqual(results, Array(10).fill(1_000));
    assert.equal(calls.length, 1, "one read for ten concurrent requests");
    now += 59_999;
    assert.equal(await discounts.discountBps([WALLET.toLowerCase()], MT_TOKEN), 1_000);
    assert.equal(calls.length, 1, "still fresh, and addresses are case-insensitive");
    stakes.set(`${WALLET.toLowerCase()}:${MT_TOKEN.toLowerCase()}`, 50_000n * MT);
    now += 1;
    assert.equal(await discounts.discountBps([WALLET], MT_TOKEN), 2_000, "re-read after the TTL");
    assert.equal(calls.length, 2);
    stakes.set(`${WALLET.toLowerCase()}:${MT_TOKEN.toLowerCase()}`, 0n);
    discounts.invalidate(WALLET, MT_TOKEN);
    assert.equal(await discounts.discountBps([WALLET], MT_TOKEN), 0, "invalidate forces a re-read");
  });

  it("gives no discount without a bound wallet or on a platform model, without reading", async () => {
    const { reader, calls } = fakeReader(new Map());
    const discounts = new StakeDiscounts(reader);
    assert.equal(await discounts.discountBps([], MT_TOKEN), 0);
    assert.equal(await discounts.discountBps([WALLET], PLATFORM_DEPLOYMENT), 0);
    assert.equal(calls.length, 0);
  });

  it("counts the largest stake of an account's wallets, so moving tokens between them gains nothing", async () => {
    const OTHER = "0x00000000000000000000000000000000000000CC";
    const key = (wallet: string) => `${wallet.toLowerCase()}:${MT_TOKEN.toLowerCase()}`;
    // Tiers (SDK params): 10,000 $MT → 10%, 50,000 $MT → 20%.
    const stakes = new Map([[key(WALLET), 30_000n * MT], [key(OTHER), 25_000n * MT]]);
    const { reader } = fakeReader(stakes);
    let now = 0;
    const discounts = new StakeDiscounts(reader, { ttlMs: 60_000, now: () => now });
    assert.equal(await discounts.discountBps([WALLET, OTHER], MT_TOKEN), 1_000, "30,000 $MT, not 55,000");
    // Unstake from WALLET, restake the same tokens from OTHER, within WALLET's cache TTL: a sum would
    // count them twice (30,000 cached + 30,000 read: the 50,000 tier).
    stakes.set(key(WALLET), 0n);
    stakes.set(key(OTHER), 30_000n * MT);
    discounts.invalidate(OTHER, MT_TOKEN);
    now += 1;
    assert.equal(await discounts.discountBps([WALLET, OTHER], MT_TOKEN), 1_000, "the largest single stake: 30,000");
  });

  it("falls back to the last known stake (else none) when a read fails, and retries next time", async () => {
    const stakes = new Map([[`${WALLET.toLowerCase()}:${MT_TOKEN.toLowerCase()}`, 1_000n * MT]]);
    const { reader, calls, fail } = fakeReader(stakes);
    let now = 0;
    const errors: unknown[] = [];
    const discounts = new StakeDiscounts(reader, { ttlMs: 10, now: () => now, onError: (e) => errors.push(e) });
    fail(true);
    assert.equal(await discounts.discountBps([WALLET], MT_TOKEN), 0, "nothing known: list price");
    assert.equal(errors.length, 1);
    fail(false);
    assert.equal(await discounts.discountBps([WALLET], MT_TOKEN), 500, "the failure was not cached");
    now += 10;
    fail(true);
    assert.equal(await discounts.discountBps([WALLET], MT_TOKEN), 500, "stale stake while the reader is down");
    assert.equal(errors.length, 2);
    assert.equal(calls.length, 3);
  });
});
