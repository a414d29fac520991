// Adversarial graduation (anchors-launch.md §5): the $MT address is public from the launch, so an
// attacker can create the $MT/FLOCK pair first, send FLOCK to it (even before it exists, at its
// CREATE2 address), sync() it, or try to mint LP on it. Graduation must still succeed and open the
// pool at the final curve price, the donation only deepening the locked liquidity; and this must
// hold whichever token sorts first in the pair.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodePacked, getCreate2Address, keccak256, type Address } from "viem";
import { FLOCK } from "@fomo/sdk";
import { bytecodeOf } from "@fomo/deploy";
import { SNIPE_END, checkGraduation, fixtureAt, fresh, type Fixture } from "./fixtures.ts";

const RAISE_MAX = 1_000_000n * FLOCK;

/** One buy large enough to fill the raise, which graduates it. */
const fillAll = (f: Fixture, mt: Address) => () => f.buy(f.carol, mt, 2_000_000n * FLOCK);

/** The attacker creates the pair, donates `amount` FLOCK to it and, if asked, syncs it. */
async function preparePair(f: Fixture, mt: Address, amount: bigint, sync: boolean) {
  await f.mined(f.at(f.factory.abi, f.factory.address, f.attacker).write.createPair([mt, f.d.contracts.flock]));
  const pair = await f.factory.read.getPair([mt, f.d.contracts.flock]);
  if (amount > 0n) await f.mined(f.flockAs(f.attacker).write.transfer([pair, amount]));
  if (sync) await f.mined(f.pairOf(pair, f.attacker).write.sync());
  return pair;
}

describe("graduation against a pre-created or pre-funded pair", () => {
  const open = fixtureAt(async (f) => {
    const launched = await f.launch();
    await f.wait(SNIPE_END);
    await f.buy(f.alice, launched.mt, 500_000n * FLOCK);
    return { ...launched, all: [launched.mt] };
  });

  it("pair created early by the attacker, no donation", async () => {
    const f = await open();
    await preparePair(f, f.mt, 0n, false);
    await checkGraduation(f, f.mt, fillAll(f, f.mt), { raised: RAISE_MAX, allMts: f.all });
  });

  it("pair created early with 25,000 FLOCK donated, not synced", async () => {
    const f = await open();
    const donated = 25_000n * FLOCK;
    await preparePair(f, f.mt, donated, false);
    const { pool } = await checkGraduation(f, f.mt, fillAll(f, f.mt), { raised: RAISE_MAX, donated, allMts: f.all });
    assert.equal(pool.reserveFlock, 500_000n * FLOCK, "the unsynced donation was skimmed, not pooled");
  });

  it("pair created early with 25,000 FLOCK donated and synced into its reserves", async () => {
    const f = await open();
    const donated = 25_000n * FLOCK;
    const pair = await preparePair(f, f.mt, donated, true);
    const [r0, r1] = await f.pairOf(pair).read.getReserves();
    assert.equal(r0 + r1, donated, "the donation is a reserve before graduation");
    const { r, pool } = await checkGraduation(f, f.mt, fillAll(f, f.mt), { raised: RAISE_MAX, donated, synced: true, allMts: f.all });
    assert.equal(pool.reserveFlock, 500_000n * FLOCK, "the synced donation stood in for pool FLOCK");
    assert.equal(r.flockToPool, 500_000n * FLOCK - donated);
  });

  it("FLOCK sent to the pair's CREATE2 address before the pair exists", async () => {
    const f = await open();
    const flock = f.d.contracts.flock;
    const [t0, t1] = BigInt(f.mt) < BigInt(flock) ? [f.mt, flock] : [flock, f.mt];
    const predicted = getCreate2Address({
      from: f.d.contracts.uniswapV2Factory,
      salt: keccak256(encodePacked(["address", "address"], [t0, t1])),
      bytecodeHash: keccak256(bytecodeOf("UniswapV2Pair")),
    });
    const donated = 7_777n * FLOCK;
    await f.mined(f.flockAs(f.attacker).write.transfer([predicted, donated]));
    const { pool } = await checkGraduation(f, f.mt, fillAll(f, f.mt), { raised: RAISE_MAX, donated, allMts: f.all });
    assert.equal(pool.pair, predicted);
  });

  it("the attacker cannot mint LP on the pre-funded pair before graduation: it holds no $MT", async () => {
    const f = await open();
    const pair = await preparePair(f, f.mt, 10_000n * FLOCK, false);
    await f.viem.assertions.revertWith(f.pairOf(pair, f.attacker).write.mint([f.attacker.account.address]), "ds-math-sub-underflow");
    await checkGraduation(f, f.mt, fillAll(f, f.mt), { raised: RAISE_MAX, donated: 10_000n * FLOCK, allMts: f.all });
    assert.equal(await f.pairOf(pair).read.balanceOf([f.attacker.account.address]), 0n);
  });

  it("a synced donation twice the pool's FLOCK still opens the pool exactly at the curve price", async () => {
    const f = await open();
    const donated = 1_000_000n * FLOCK; // the pool plans 500,000 FLOCK at raiseMax
    await preparePair(f, f.mt, donated, true);
    const { r, pool } = await checkGraduation(f, f.mt, fillAll(f, f.mt), { raised: RAISE_MAX, donated, synced: true, allMts: f.all });
    assert.equal(r.flockToPool, 250_000n * FLOCK, "the raise still adds half its planned pool FLOCK");
    assert.equal(pool.reserveFlock, donated + 250_000n * FLOCK);
  });

  it("a synced donation bigger than the liquidity bucket can pair: graduation still succeeds, never below the curve", async () => {
    const f = await open();
    // At raiseMax the bucket of 200,000 $MT pairs with at most 1,500,000 FLOCK at 7.5 FLOCK/MT.
    const donated = 5_000_000n * FLOCK;
    await preparePair(f, f.mt, donated, true);
    const { r } = await checkGraduation(f, f.mt, fillAll(f, f.mt), { raised: RAISE_MAX, donated, synced: true, allMts: f.all });
    assert.equal(r.mtToPool, 200_000n * FLOCK, "the whole liquidity bucket goes in");
  });
});

describe("both token orderings in the pair", () => {
  it("graduates at the curve price whether $MT is token0 or token1 (both seen)", async () => {
    const f = await fresh();
    const flock = BigInt(f.d.contracts.flock);
    // Clone addresses depend on the launchpad's nonce: launch until both orderings have appeared.
    const launched: { mt: Address; mtIs0: boolean }[] = [];
    for (let i = 0; i < 16 && !(launched.some((l) => l.mtIs0) && launched.some((l) => !l.mtIs0)); i++) {
      const { mt } = await f.launch({ ticker: `ORDER${i}` });
      launched.push({ mt, mtIs0: BigInt(mt) < flock });
    }
    assert.ok(launched.some((l) => l.mtIs0), "an offering with $MT as token0");
    assert.ok(launched.some((l) => !l.mtIs0), "an offering with FLOCK as token0");
    await f.wait(SNIPE_END);
    const all = launched.map((l) => l.mt);
    const seen = new Set<boolean>();
    for (const [i, { mt, mtIs0 }] of launched.entries()) {
      // Alternate the attack: untouched, donated, donated and synced.
      const donated = i % 3 === 0 ? 0n : 3_000n * FLOCK * BigInt(i);
      if (donated > 0n) await preparePair(f, mt, donated, i % 3 === 2);
      const { pool } = await checkGraduation(f, mt, fillAll(f, mt), { raised: RAISE_MAX, donated, synced: i % 3 === 2, allMts: all });
      assert.equal(pool.mtIs0, mtIs0, "pair token order");
      seen.add(pool.mtIs0);
    }
    assert.equal(seen.size, 2, "both orderings graduated");
  });
});
