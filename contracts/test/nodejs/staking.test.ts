// MtStaking: stake / unstake (the amount stops counting at once) / withdraw after the cooldown,
// custom errors, principal conservation, and the checkpoints: stake and total at past timestamps,
// and a day's time-weighted stake computed from chain data against a hand computation.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Address } from "viem";
import { MT, STAKING_COOLDOWN, mtStakingAbi } from "@fomo/sdk";
import { DAY } from "@fomo/testkit";
import { eventOf } from "@fomo/testkit/events";
import { reverts } from "@fomo/testkit/reverts";
import { checkpointsOf, createWorld, stakeSeconds, type Graduated } from "./engine-fixtures.ts";

const w = await createWorld();
const COOLDOWN = BigInt(STAKING_COOLDOWN);

/** Tokens held by the staking contract equal counted stake plus everything cooling down. */
async function assertPrincipal(g: Graduated, accounts: Address[]) {
  const held = await w.balanceOf(g.mt, g.d.contracts.mtStaking);
  let cooling = 0n;
  for (const a of accounts) cooling += (await g.c.staking.read.cooldownOf([g.mt, a])).amount;
  assert.equal(held, (await g.c.staking.read.totalStaked([g.mt])) + cooling, "staked + cooling = held");
}

describe("MtStaking", () => {
  it("bounds the cooldown at deployment (1 to 30 days)", async () => {
    const g = await w.graduated();
    const lp = g.d.contracts.launchpad;
    await reverts(w.deploy("MtStaking", mtStakingAbi, [lp, DAY - 1n]), "MtStakingInvalidParameter", ["cooldown"]);
    await reverts(w.deploy("MtStaking", mtStakingAbi, [lp, 30n * DAY + 1n]), "MtStakingInvalidParameter", ["cooldown"]);
    for (const ok of [DAY, 30n * DAY]) {
      const s = await w.deploy("MtStaking", mtStakingAbi, [lp, ok]);
      assert.equal(await w.publicClient.readContract({ address: s, abi: mtStakingAbi, functionName: "cooldown" }), ok);
    }
    assert.equal(await g.c.staking.read.cooldown(), COOLDOWN, "deployLocal uses the 7-day cooldown");
  });

  it("stakes only graduated $MT, refuses zero and what the caller lacks", async () => {
    const g = await w.graduated();
    const alice = g.as(w.alice).staking;
    await reverts(alice.write.stake([g.mt, 0n]), "MtStakingZeroAmount");
    await reverts(alice.write.stake([g.raising, 1n]), "MtStakingNotModelToken", [g.raising]);
    await reverts(alice.write.stake([g.d.contracts.flock, 1n]), "MtStakingNotModelToken", [g.d.contracts.flock]);
    // dave holds no $MT.
    await reverts(g.as(w.dave).staking.write.stake([g.mt, MT]), "ERC20InsufficientBalance", [w.addr(w.dave), 0n, MT]);
    assert.equal(await g.c.staking.read.totalStaked([g.mt]), 0n);
    assert.equal(await g.c.staking.read.checkpointCount([g.mt, w.addr(w.alice)]), 0n);
  });

  it("stake, unstake (stops counting at once, restarts the cooldown), withdraw after exactly the cooldown", async () => {
    const g = await w.graduated();
    const a = w.addr(w.alice);
    const s = g.as(w.alice).staking;
    const balance0 = await w.balanceOf(g.mt, a);

    const staked = await w.mined(s.write.stake([g.mt, 1_000n * MT]));
    assert.deepEqual(eventOf(mtStakingAbi, staked, "Staked").args, { mt: g.mt, account: a, amount: 1_000n * MT, stake: 1_000n * MT });
    assert.equal(await w.balanceOf(g.mt, a), balance0 - 1_000n * MT);
    assert.equal(await g.c.staking.read.stakeOf([g.mt, a]), 1_000n * MT);
    assert.equal(await g.c.staking.read.totalStaked([g.mt]), 1_000n * MT);
    await assertPrincipal(g, [a]);

    await reverts(s.write.unstake([g.mt, 0n]), "MtStakingZeroAmount");
    await reverts(s.write.unstake([g.mt, 1_000n * MT + 1n]), "MtStakingInsufficientStake", [1_000n * MT, 1_000n * MT + 1n]);
    await reverts(s.write.withdraw([g.mt]), "MtStakingNothingToWithdraw");

    const t1 = (await w.now()) + 100n;
    await w.nextAt(t1);
    const un1 = await w.mined(s.write.unstake([g.mt, 300n * MT]));
    assert.deepEqual(eventOf(mtStakingAbi, un1, "Unstaked").args, {
      mt: g.mt, account: a, amount: 300n * MT, stake: 700n * MT, releaseAt: Number(t1 + COOLDOWN),
    });
    // The unstaked amount no longer counts, from the unstake's own timestamp on.
    assert.equal(await g.c.staking.read.stakeOf([g.mt, a]), 700n * MT);
    assert.equal(await g.c.staking.read.totalStaked([g.mt]), 700n * MT);
    assert.equal(await g.c.staking.read.stakeAt([g.mt, a, Number(t1)]), 700n * MT);
    assert.equal(await g.c.staking.read.stakeAt([g.mt, a, Number(t1 - 1n)]), 1_000n * MT);
    assert.equal(await g.c.staking.read.totalStakedAt([g.mt, Number(t1 - 1n)]), 1_000n * MT);
    assert.deepEqual(await g.c.staking.read.cooldownOf([g.mt, a]), { amount: 300n * MT, releaseAt: Number(t1 + COOLDOWN) });
    await assertPrincipal(g, [a]);

    // A second unstake adds to what waits and restarts the clock.
    const t2 = t1 + 2n * DAY;
    await w.nextAt(t2);
    await w.mined(s.write.unstake([g.mt, 200n * MT]));
    const release = t2 + COOLDOWN;
    assert.deepEqual(await g.c.staking.read.cooldownOf([g.mt, a]), { amount: 500n * MT, releaseAt: Number(release) });
    await assertPrincipal(g, [a]);

    // Cooling down until the very last second.
    await w.nextAt(release - 1n);
    await reverts(s.write.withdraw([g.mt]), "MtStakingCoolingDown", [Number(release)]);
    await w.nextAt(release);
    const out = await w.mined(s.write.withdraw([g.mt]));
    assert.deepEqual(eventOf(mtStakingAbi, out, "Withdrawn").args, { mt: g.mt, account: a, amount: 500n * MT });
    assert.equal(await w.balanceOf(g.mt, a), balance0 - 500n * MT);
    assert.deepEqual(await g.c.staking.read.cooldownOf([g.mt, a]), { amount: 0n, releaseAt: 0 });
    await reverts(s.write.withdraw([g.mt]), "MtStakingNothingToWithdraw");
    assert.equal(await g.c.staking.read.stakeOf([g.mt, a]), 500n * MT, "withdrawing does not touch the stake");
    await assertPrincipal(g, [a]);

    // Nothing staked in another token: unstake and withdraw refuse.
    await reverts(s.write.unstake([g.raising, 1n]), "MtStakingInsufficientStake", [0n, 1n]);
    await reverts(s.write.withdraw([g.raising]), "MtStakingNothingToWithdraw");
  });

  it("checkpoints give the stake and the total at past timestamps, and a day's time-weighted stake", async () => {
    const g = await w.graduated();
    const [a, b] = [w.addr(w.alice), w.addr(w.bob)];
    const [sa, sb] = [g.as(w.alice).staking, g.as(w.bob).staking];
    const T = (await w.now()) + 1_000n; // start of the day measured

    // The plan, with timestamps relative to T (one before the day and one after it).
    const steps: [bigint, typeof sa, "stake" | "unstake", bigint][] = [
      [-100n, sa, "stake", 1_000n * MT],
      [3_600n, sb, "stake", 4_000n * MT],
      [21_600n, sa, "stake", 500n * MT],
      [43_200n, sb, "unstake", 1_000n * MT],
      [DAY + 50n, sa, "unstake", 200n * MT],
    ];
    for (const [dt, s, fn, amount] of steps) {
      await w.nextAt(T + dt);
      await w.mined(s.write[fn]([g.mt, amount]));
    }

    // The raw checkpoints: one per change, (timestamp, stake from then on).
    const ca = await checkpointsOf(g.c, g.mt, a);
    assert.deepEqual(ca, [
      { key: T - 100n, value: 1_000n * MT },
      { key: T + 21_600n, value: 1_500n * MT },
      { key: T + DAY + 50n, value: 1_300n * MT },
    ]);
    const cb = await checkpointsOf(g.c, g.mt, b);
    assert.deepEqual(cb, [
      { key: T + 3_600n, value: 4_000n * MT },
      { key: T + 43_200n, value: 3_000n * MT },
    ]);

    // Point lookups at and just before each change.
    const at = (who: Address, dt: bigint) => g.c.staking.read.stakeAt([g.mt, who, Number(T + dt)]);
    const totalAt = (dt: bigint) => g.c.staking.read.totalStakedAt([g.mt, Number(T + dt)]);
    assert.equal(await at(a, -101n), 0n);
    assert.equal(await at(a, -100n), 1_000n * MT);
    assert.equal(await at(a, 21_599n), 1_000n * MT);
    assert.equal(await at(a, 21_600n), 1_500n * MT);
    assert.equal(await at(b, 3_599n), 0n);
    assert.equal(await at(b, 43_199n), 4_000n * MT);
    assert.equal(await at(b, 43_200n), 3_000n * MT);
    assert.equal(await totalAt(-101n), 0n);
    assert.equal(await totalAt(3_600n), 5_000n * MT);
    assert.equal(await totalAt(21_600n), 5_500n * MT);
    assert.equal(await totalAt(43_200n), 4_500n * MT);
    assert.equal(await totalAt(DAY + 50n), 4_300n * MT);

    // Time-weighted over [T, T + 1 day), by hand.
    const aliceByHand = 1_000n * MT * 21_600n + 1_500n * MT * (DAY - 21_600n);
    const bobByHand = 4_000n * MT * (43_200n - 3_600n) + 3_000n * MT * (DAY - 43_200n);
    assert.equal(stakeSeconds(ca, T, T + DAY), aliceByHand);
    assert.equal(stakeSeconds(cb, T, T + DAY), bobByHand);
    assert.equal(stakeSeconds(ca, T, T + DAY) / DAY, 1_375n * MT, "alice's average stake: 1,375 MT");

    // The total, sampled with totalStakedAt at every change, integrates to the sum of the accounts.
    const keys = [...new Set([...ca, ...cb].map((c) => c.key))].sort((x, y) => (x < y ? -1 : 1));
    const totals = [];
    for (const key of keys) totals.push({ key, value: await g.c.staking.read.totalStakedAt([g.mt, Number(key)]) });
    assert.equal(stakeSeconds(totals, T, T + DAY), aliceByHand + bobByHand);
  });

  it("stakeSeconds: before, inside and after the window (pure)", () => {
    const cps = [
      { key: 10n, value: 5n },
      { key: 100n, value: 7n },
      { key: 150n, value: 0n },
      { key: 300n, value: 9n },
    ];
    assert.equal(stakeSeconds(cps, 0n, 10n), 0n, "nothing before the first checkpoint");
    assert.equal(stakeSeconds(cps, 50n, 200n), 5n * 50n + 7n * 50n + 0n * 50n);
    assert.equal(stakeSeconds(cps, 100n, 150n), 7n * 50n, "a checkpoint at the window start is in force");
    assert.equal(stakeSeconds(cps, 400n, 500n), 9n * 100n, "after the last checkpoint its value holds");
    assert.equal(stakeSeconds([], 0n, 100n), 0n);
  });

  it("anyone's stake is independent per $MT and per account", async () => {
    const g = await w.graduated();
    await w.mined(g.as(w.carol).staking.write.stake([g.mt, 10n * MT]));
    assert.equal(await g.c.staking.read.stakeOf([g.mt, w.addr(w.alice)]), 0n);
    assert.equal(await g.c.staking.read.stakeOf([g.raising, w.addr(w.carol)]), 0n);
    assert.equal(await g.c.staking.read.stakeOf([g.mt, w.addr(w.carol)]), 10n * MT);
  });
});
