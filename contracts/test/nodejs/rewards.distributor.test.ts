// RewardsDistributor with @openzeppelin/merkle-tree roots over (account, token, cumulativeAmount),
// funded by FLOCK emissions (pulled from the reserve, capped by the schedule) and by the $MT's
// IncentivePool releasing $MT and FLOCK into it; the challenge delay and the guardian's veto (a
// leaked keeper key); IncentivePool.release itself.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keccak256, parseEventLogs, toHex, zeroAddress, zeroHash, type Address, type Hex } from "viem";
import { FLOCK, LOCAL_REWARDS_CHALLENGE_DELAY, MT, incentivePoolAbi, rewardsDistributorAbi } from "@fomo/sdk";
import { bytecodeOf } from "@fomo/deploy";
import { DAY } from "@fomo/testkit";
import { eventOf } from "@fomo/testkit/events";
import { reverts } from "@fomo/testkit/reverts";
import { createWorld, rewardTree, type Graduated, type RewardLeaf } from "./engine-fixtures.ts";

const w = await createWorld();
const hash = (s: string) => keccak256(toHex(s));
/** deployLocal's challenge delay: a posted root is claimable this many seconds later. */
const DELAY = BigInt(LOCAL_REWARDS_CHALLENGE_DELAY);

/** Cumulative allotment per token implied by a set of leaves. */
function totalsOf(leaves: RewardLeaf[]) {
  const totals = new Map<Address, bigint>();
  for (const l of leaves) totals.set(l.token, (totals.get(l.token) ?? 0n) + l.cumulative);
  return { tokens: [...totals.keys()], totals: [...totals.values()] };
}

/**
 * Posts the tree of `leaves` for `epoch` with cumulative emission `emissionTotal` (totals = the
 * leaves' sums unless given) and waits out the challenge delay, so claims may use it.
 */
async function post(g: Graduated, epoch: bigint, leaves: RewardLeaf[], emissionTotal: bigint, totals = totalsOf(leaves)) {
  const tree = rewardTree(leaves);
  const receipt = await w.mined(
    g.c.distributor.write.postRoot([epoch, tree.root, hash(`inputs-${epoch}`), emissionTotal, totals.tokens, totals.totals]),
  );
  await w.wait(DELAY);
  return { tree, receipt };
}

/** The pending root as a plain object (all zero when none). */
const pendingOf = async (g: Graduated) => {
  const p = await g.c.distributor.read.pendingRoot();
  return { root: p.root, epoch: p.epoch, liveAt: p.liveAt, emissionTotal: p.emissionTotal };
};

/** Claims `token` for `account` with the tree's proof, sent by `by`. */
const claim = (g: Graduated, tree: ReturnType<typeof rewardTree>, by: typeof w.alice, account: Address, token: Address) => {
  const { cumulative, proof } = tree.proof(account, token);
  return g.as(by).distributor.write.claim([account, token, cumulative, proof]);
};

describe("RewardsDistributor", () => {
  it("postRoot: keeper only; epochs not in the future; lengths match; emission within the schedule; allotments funded", async () => {
    const g = await w.graduated();
    const dist = g.c.distributor;
    const flock = g.d.contracts.flock;
    const c0 = await g.c.schedule.read.cumulative([0n]);
    const root = hash("root");
    const reserve0 = await w.balanceOf(flock, g.d.roles.emissionReserve);
    assert.equal(await g.c.schedule.read.today(), 0n);

    await reverts(g.as(w.alice).distributor.write.postRoot([0n, root, root, 0n, [], []]), "AccessControlUnauthorizedAccount",
      [w.addr(w.alice), await dist.read.KEEPER_ROLE()]);
    await reverts(dist.write.postRoot([1n, root, root, 0n, [], []]), "RewardsDistributorEpochInFuture", [1n, 0n]);
    await reverts(dist.write.postRoot([0n, root, root, 0n, [flock], []]), "RewardsDistributorLengthMismatch");
    await reverts(dist.write.postRoot([0n, root, root, c0 + 1n, [], []]), "RewardsDistributorEmissionAboveSchedule", [c0 + 1n, c0]);
    await reverts(dist.write.postRoot([0n, root, root, 0n, [flock], [1n]]), "RewardsDistributorUnderfunded", [flock, 1n, 0n]);
    await reverts(dist.write.postRoot([0n, root, root, c0, [flock], [c0 + 1n]]), "RewardsDistributorUnderfunded", [flock, c0 + 1n, c0]);
    await reverts(dist.write.postRoot([0n, root, root, 0n, [g.mt], [1n]]), "RewardsDistributorUnderfunded", [g.mt, 1n, 0n]);
    assert.equal(await w.balanceOf(flock, g.d.roles.emissionReserve), reserve0, "refusals pull nothing");
    assert.equal(await dist.read.started(), false);

    // Epoch 0 with the whole day-0 emission: pulled at once, pending for DELAY seconds.
    const r = await w.mined(dist.write.postRoot([0n, root, hash("inputs-0"), c0, [flock], [c0]]));
    const liveAt = (await w.now()) + DELAY;
    assert.deepEqual(eventOf(rewardsDistributorAbi, r, "RootPosted").args, { epoch: 0n, root, contentHash: hash("inputs-0"), emitted: c0, liveAt });
    assert.equal(parseEventLogs({ abi: rewardsDistributorAbi, logs: r.logs, eventName: "Allotted" }).length, 0, "allotted only when live");
    assert.equal(await w.balanceOf(flock, g.d.roles.emissionReserve), reserve0 - c0);
    assert.equal(await w.balanceOf(flock, g.d.contracts.rewardsDistributor), c0);
    assert.deepEqual(await pendingOf(g), { root, epoch: 0n, liveAt, emissionTotal: c0 });
    assert.deepEqual(await dist.read.pendingAllotments(), [[flock], [c0]]);
    assert.deepEqual([await dist.read.started(), await dist.read.root(), await dist.read.emitted(), await dist.read.allotted([flock])],
      [false, zeroHash, 0n, 0n], "nothing is live yet");
    // One second before liveAt it is still pending; at liveAt the views show it, written or not.
    await w.jumpTo(liveAt - 1n);
    assert.equal(await dist.read.started(), false);
    await w.jumpTo(liveAt);
    assert.deepEqual([await dist.read.root(), await dist.read.epoch(), await dist.read.contentHash(), await dist.read.emitted(), await dist.read.started()],
      [root, 0n, hash("inputs-0"), c0, true]);
    assert.equal(await dist.read.allotted([flock]), c0);
    assert.deepEqual(await pendingOf(g), { root: zeroHash, epoch: 0n, liveAt: 0n, emissionTotal: 0n });
    await reverts(dist.write.postRoot([0n, root, root, c0, [], []]), "RewardsDistributorEpochNotAfter", [0n, 0n]);

    // Day 2: epoch 1 may be skipped; going back may not; emission and allotments never fall.
    await w.jumpTo((await g.c.schedule.read.start()) + 2n * DAY);
    const c2 = await g.c.schedule.read.cumulative([2n]);
    await reverts(dist.write.postRoot([3n, root, root, c2, [], []]), "RewardsDistributorEpochInFuture", [3n, 2n]);
    await reverts(dist.write.postRoot([2n, root, root, c0 - 1n, [], []]), "RewardsDistributorEmissionDecreased", [c0 - 1n, c0]);
    await reverts(dist.write.postRoot([2n, root, root, c2 + 1n, [], []]), "RewardsDistributorEmissionAboveSchedule", [c2 + 1n, c2]);
    await reverts(dist.write.postRoot([2n, root, root, c2, [flock], [c0 - 1n]]), "RewardsDistributorAllotmentDecreased", [flock, c0 - 1n, c0]);
    const many = Array.from({ length: 65 }, () => flock);
    await reverts(dist.write.postRoot([2n, root, root, c2, many, many.map(() => c0)]), "RewardsDistributorTooManyTokens", [65n, 64n]);
    // The first post wrote epoch 0 to the live slots on its way (lazy activation).
    const r2 = await w.mined(dist.write.postRoot([2n, hash("root-2"), hash("inputs-2"), c2, [], []])); // no token listed: allotments stay
    assert.deepEqual(eventOf(rewardsDistributorAbi, r2, "RootActivated").args, { epoch: 0n, root, contentHash: hash("inputs-0"), emitted: c0 });
    assert.deepEqual(eventOf(rewardsDistributorAbi, r2, "Allotted").args, { epoch: 0n, token: flock, cumulative: c0 });
    await w.wait(DELAY);
    assert.equal(await dist.read.allotted([flock]), c0);
    assert.equal(await w.balanceOf(flock, g.d.contracts.rewardsDistributor), c2);
    await reverts(dist.write.postRoot([1n, root, root, c2, [], []]), "RewardsDistributorEpochNotAfter", [1n, 2n]);
    await reverts(dist.write.postRoot([2n, root, root, c2, [], []]), "RewardsDistributorEpochNotAfter", [2n, 2n]);
  });

  it("pays cumulative claims across epochs funded by emissions and the incentive pool; anyone may claim for an account", async () => {
    const g = await w.graduated();
    const { flock } = g.d.contracts;
    const mt = g.mt;
    const dist = g.c.distributor;
    const [a, b, c] = [w.addr(w.alice), w.addr(w.bob), w.addr(w.carol)];
    const start = await g.c.schedule.read.start();

    // Epoch 0: FLOCK emission only, part of it allotted.
    const e0 = await g.c.schedule.read.cumulative([0n]);
    const leaves0: RewardLeaf[] = [
      { account: a, token: flock, cumulative: 30_000n * FLOCK },
      { account: b, token: flock, cumulative: 15_000n * FLOCK + 1n },
    ];
    const { tree: t0 } = await post(g, 0n, leaves0, e0);
    // Bob sends alice's claim: alice gets the FLOCK.
    const [alice0, bob0] = [await w.balanceOf(flock, a), await w.balanceOf(flock, b)];
    const r = await w.mined(claim(g, t0, w.bob, a, flock));
    assert.deepEqual(eventOf(rewardsDistributorAbi, r, "Claimed").args, { account: a, token: flock, amount: 30_000n * FLOCK, cumulative: 30_000n * FLOCK });
    assert.equal(await w.balanceOf(flock, a), alice0 + 30_000n * FLOCK);
    assert.equal(await w.balanceOf(flock, b), bob0, "the sender gets nothing");
    await reverts(claim(g, t0, w.alice, a, flock), "RewardsDistributorNothingToClaim", [a, flock]);
    // Wrong amount, wrong account, wrong token: the proof fails.
    const p = t0.proof(b, flock);
    await reverts(dist.write.claim([b, flock, p.cumulative + 1n, p.proof]), "RewardsDistributorInvalidProof");
    await reverts(dist.write.claim([c, flock, p.cumulative, p.proof]), "RewardsDistributorInvalidProof");
    await reverts(dist.write.claim([b, mt, p.cumulative, p.proof]), "RewardsDistributorInvalidProof");
    await reverts(dist.write.claim([b, flock, p.cumulative, []]), "RewardsDistributorInvalidProof");

    // Day 1: the incentive pool releases $MT and FLOCK into the distributor; epoch 1 allots them too.
    await w.jumpTo(start + DAY + 600n);
    const rel = await w.mined(g.c.incentivePool.write.release([mt]));
    const { mtAmount, flockAmount } = eventOf(incentivePoolAbi, rel, "Released").args;
    assert.ok(mtAmount > 0n && flockAmount > 0n);
    const e1 = await g.c.schedule.read.cumulative([1n]);
    const leaves1: RewardLeaf[] = [
      { account: a, token: flock, cumulative: 40_000n * FLOCK },
      { account: b, token: flock, cumulative: 15_000n * FLOCK + 1n }, // unchanged
      { account: c, token: flock, cumulative: e1 - 55_000n * FLOCK - 1n + flockAmount }, // the rest of all FLOCK funded
      { account: a, token: mt, cumulative: mtAmount / 3n },
      { account: c, token: mt, cumulative: mtAmount - mtAmount / 3n },
    ];
    const { tree: t1 } = await post(g, 1n, leaves1, e1);
    assert.equal(await dist.read.allotted([flock]), e1 + flockAmount, "every FLOCK funded is allotted");
    assert.equal(await dist.read.allotted([mt]), mtAmount);
    // The old root's proofs are gone; the new cumulative pays only the difference.
    await reverts(claim(g, t0, w.bob, b, flock), "RewardsDistributorInvalidProof");
    const alice1 = await w.balanceOf(flock, a);
    await w.mined(claim(g, t1, w.carol, a, flock));
    assert.equal(await w.balanceOf(flock, a), alice1 + 10_000n * FLOCK);
    for (const [who, token] of [[b, flock], [c, flock], [a, mt], [c, mt]] as const) {
      const before = await w.balanceOf(token, who);
      await w.mined(claim(g, t1, w.dave, who, token));
      assert.equal(await w.balanceOf(token, who), before + t1.proof(who, token).cumulative);
      await reverts(claim(g, t1, w.dave, who, token), "RewardsDistributorNothingToClaim", [who, token]);
    }
    // Everything allotted was paid, and the distributor is empty: it paid exactly what it was funded with.
    for (const token of [flock, mt]) {
      assert.equal(await dist.read.totalClaimed([token]), await dist.read.allotted([token]));
      assert.equal(await w.balanceOf(token, g.d.contracts.rewardsDistributor), 0n);
    }
    assert.equal(await dist.read.claimed([a, mt]), mtAmount / 3n);
  });

  it("a tree promising more than the allotment pays until the allotment and then reverts RewardsDistributorOverAllotment", async () => {
    const g = await w.graduated();
    const { flock } = g.d.contracts;
    const [a, b] = [w.addr(w.alice), w.addr(w.bob)];
    const e0 = await g.c.schedule.read.cumulative([0n]);
    const leaves = [
      { account: a, token: flock, cumulative: 600n * FLOCK },
      { account: b, token: flock, cumulative: 600n * FLOCK },
    ];
    const { tree } = await post(g, 0n, leaves, e0, { tokens: [flock], totals: [1_000n * FLOCK] });
    await w.mined(claim(g, tree, w.alice, a, flock));
    await reverts(claim(g, tree, w.bob, b, flock), "RewardsDistributorOverAllotment", [flock]);
    assert.equal(await g.c.distributor.read.totalClaimed([flock]), 600n * FLOCK);
    assert.equal(await g.c.distributor.read.claimed([b, flock]), 0n);
  });
});

describe("RewardsDistributor: challenge delay and guardian veto", () => {
  it("a leaked keeper key: a root giving everything to the thief cannot be claimed before the delay, the guardian vetoes it, nothing moved, honest roots go on", async () => {
    const g = await w.graduated();
    const { flock } = g.d.contracts;
    const dist = g.c.distributor;
    const [a, b, thief] = [w.addr(w.alice), w.addr(w.bob), w.addr(w.attacker)];
    const start = await g.c.schedule.read.start();
    const e0 = await g.c.schedule.read.cumulative([0n]);
    const honest0 = [
      { account: a, token: flock, cumulative: 10_000n * FLOCK },
      { account: b, token: flock, cumulative: 5_000n * FLOCK },
    ];
    const { tree: t0 } = await post(g, 0n, honest0, e0);
    await w.mined(claim(g, t0, w.alice, a, flock));

    // Day 1: the keeper's key leaks; the thief posts a root assigning it every FLOCK funded and
    // the whole emission the schedule allows, and claims in the very next block.
    await w.mined(dist.write.grantRole([await dist.read.KEEPER_ROLE(), thief])); // the leaked key
    await w.jumpTo(start + DAY + 600n);
    const e1 = await g.c.schedule.read.cumulative([1n]);
    const [reserve0, held0, allotted0, thief0] = [
      await w.balanceOf(flock, g.d.roles.emissionReserve), await w.balanceOf(flock, g.d.contracts.rewardsDistributor),
      await dist.read.allotted([flock]), await w.balanceOf(flock, thief),
    ];
    // The thief takes every FLOCK the distributor holds once the root pulls e1; the allotment
    // covers that on top of what was paid already (the most a root may allot).
    const loot = held0 + (e1 - e0);
    const everything = loot + (await dist.read.totalClaimed([flock]));
    const stolen = rewardTree([{ account: thief, token: flock, cumulative: loot }]);
    const posted = await w.mined(g.as(w.attacker).distributor.write.postRoot([1n, stolen.root, hash("stolen"), e1, [flock], [everything]]));
    const { liveAt } = eventOf(rewardsDistributorAbi, posted, "RootPosted").args;
    const p = stolen.proof(thief, flock);
    await reverts(g.as(w.attacker).distributor.write.claim([thief, flock, p.cumulative, p.proof]), "RewardsDistributorInvalidProof");
    await w.nextAt(liveAt - 1n);
    await reverts(g.as(w.attacker).distributor.write.claim([thief, flock, p.cumulative, p.proof]), "RewardsDistributorInvalidProof");
    assert.equal(await w.balanceOf(flock, thief), thief0, "the thief got nothing");
    // Monitoring sees it: the pending root, its allotment and when it would go live.
    assert.deepEqual(await pendingOf(g), { root: stolen.root, epoch: 1n, liveAt, emissionTotal: e1 });
    assert.deepEqual(await dist.read.pendingAllotments(), [[flock], [everything]]);
    assert.equal(await dist.read.allotted([flock]), allotted0, "a pending root allots nothing yet");

    // Only the guardian vetoes, and only the pending root.
    await reverts(g.as(w.attacker).distributor.write.veto([stolen.root]), "AccessControlUnauthorizedAccount",
      [thief, await dist.read.GUARDIAN_ROLE()]);
    await reverts(dist.write.veto([t0.root]), "RewardsDistributorChallengeOver", [t0.root, await dist.read.liveRoot().then((r) => r.liveAt)]);
    await reverts(dist.write.veto([hash("never posted")]), "RewardsDistributorNotPending", [hash("never posted")]);
    await w.nextAt(liveAt - 1n);
    const vetoed = await w.mined(dist.write.veto([stolen.root])); // the guardian: the deployer (no timelock here)
    assert.deepEqual(eventOf(rewardsDistributorAbi, vetoed, "RootVetoed").args, { epoch: 1n, root: stolen.root, emissionReturned: e1 - e0 });
    await w.mined(dist.write.revokeRole([await dist.read.KEEPER_ROLE(), thief]));
    // Nothing moved: the emission is back in the reserve, allotments and the live root are as before.
    assert.equal(await w.balanceOf(flock, g.d.roles.emissionReserve), reserve0);
    assert.equal(await w.balanceOf(flock, g.d.contracts.rewardsDistributor), held0);
    assert.deepEqual([await dist.read.allotted([flock]), await dist.read.emitted(), await dist.read.root()], [allotted0, e0, t0.root]);
    assert.deepEqual(await pendingOf(g), { root: zeroHash, epoch: 0n, liveAt: 0n, emissionTotal: 0n });
    await reverts(dist.write.veto([stolen.root]), "RewardsDistributorNotPending", [stolen.root]);
    await w.jumpTo(liveAt + DAY);
    await reverts(g.as(w.attacker).distributor.write.claim([thief, flock, p.cumulative, p.proof]), "RewardsDistributorInvalidProof");

    // Honest roots continue: the old one still pays, the next one may allot less than the thief's.
    await w.mined(claim(g, t0, w.bob, b, flock));
    const honest1 = [
      { account: a, token: flock, cumulative: 12_000n * FLOCK },
      { account: b, token: flock, cumulative: 5_000n * FLOCK },
    ];
    const { tree: t1 } = await post(g, 1n, honest1, e1);
    const a1 = await w.balanceOf(flock, a);
    await w.mined(claim(g, t1, w.alice, a, flock));
    assert.equal(await w.balanceOf(flock, a), a1 + 2_000n * FLOCK);
    assert.deepEqual([await dist.read.allotted([flock]), await dist.read.emitted()], [17_000n * FLOCK, e1]);
    assert.equal(await w.balanceOf(flock, thief), thief0, "the thief got nothing");
  });

  it("a newer root supersedes a pending one and restarts the delay; a matured one goes live first; claims and activate() write it", async () => {
    const g = await w.graduated();
    const { flock } = g.d.contracts;
    const dist = g.c.distributor;
    const a = w.addr(w.alice);
    const e0 = await g.c.schedule.read.cumulative([0n]);
    const reserve0 = await w.balanceOf(flock, g.d.roles.emissionReserve);
    const leaves = (amount: bigint) => [{ account: a, token: flock, cumulative: amount }];
    const send = (tree: ReturnType<typeof rewardTree>, total: bigint, emission: bigint, epoch = 0n) =>
      w.mined(dist.write.postRoot([epoch, tree.root, hash(tree.root), emission, [flock], [total]]));

    // A, then B before A's delay is over: B replaces A (same epoch allowed while nothing is live),
    // returns the emission B does not need, and has its own delay.
    const tA = rewardTree(leaves(3_000n * FLOCK));
    const tB = rewardTree(leaves(2_000n * FLOCK));
    await send(tA, 3_000n * FLOCK, e0);
    const liveAtA = (await w.now()) + DELAY;
    await w.wait(DELAY / 2n);
    const rB = await send(tB, 2_000n * FLOCK, 2_000n * FLOCK);
    const liveAtB = (await w.now()) + DELAY;
    assert.deepEqual(eventOf(rewardsDistributorAbi, rB, "RootSuperseded").args, { epoch: 0n, root: tA.root });
    assert.equal(await w.balanceOf(flock, g.d.roles.emissionReserve), reserve0 - 2_000n * FLOCK, "B holds only its own emission");
    await w.nextAt(liveAtA);
    await reverts(claim(g, tA, w.alice, a, flock), "RewardsDistributorInvalidProof"); // A never goes live
    await w.nextAt(liveAtB - 1n);
    await reverts(claim(g, tB, w.alice, a, flock), "RewardsDistributorInvalidProof"); // B not yet
    // At liveAtB the claim writes B to the live slots and pays.
    await w.nextAt(liveAtB);
    const rc = await w.mined(claim(g, tB, w.alice, a, flock));
    assert.deepEqual(eventOf(rewardsDistributorAbi, rc, "RootActivated").args, { epoch: 0n, root: tB.root, contentHash: hash(tB.root), emitted: 2_000n * FLOCK });
    assert.equal(eventOf(rewardsDistributorAbi, rc, "Claimed").args.amount, 2_000n * FLOCK);

    // C (epoch 1) matures untouched; D's post first writes C live, then D replaces nothing.
    await w.jumpTo((await g.c.schedule.read.start()) + DAY);
    const e1 = await g.c.schedule.read.cumulative([1n]);
    const tC = rewardTree(leaves(4_000n * FLOCK));
    await send(tC, 4_000n * FLOCK, e1, 1n);
    await w.wait(DELAY);
    await w.jumpTo((await g.c.schedule.read.start()) + 2n * DAY);
    const tD = rewardTree(leaves(5_000n * FLOCK));
    await reverts(send(tD, 5_000n * FLOCK, e1, 1n), "RewardsDistributorEpochNotAfter", [1n, 1n]); // C is live already
    const rD = await send(tD, 5_000n * FLOCK, e1, 2n);
    assert.equal(eventOf(rewardsDistributorAbi, rD, "RootActivated").args.root, tC.root);
    assert.equal(parseEventLogs({ abi: rewardsDistributorAbi, logs: rD.logs, eventName: "RootSuperseded" }).length, 0);
    // activate(): nothing due is a no-op; once D is due it writes D (the keeper pays, not a claimer).
    const idle = await w.mined(dist.write.activate());
    assert.equal(parseEventLogs({ abi: rewardsDistributorAbi, logs: idle.logs }).length, 0);
    await w.wait(DELAY);
    const rAct = await w.mined(g.as(w.dave).distributor.write.activate());
    assert.equal(eventOf(rewardsDistributorAbi, rAct, "RootActivated").args.root, tD.root);
    const a0 = await w.balanceOf(flock, a);
    const rClaim = await w.mined(claim(g, tD, w.alice, a, flock));
    assert.equal(parseEventLogs({ abi: rewardsDistributorAbi, logs: rClaim.logs, eventName: "RootActivated" }).length, 0);
    assert.equal(await w.balanceOf(flock, a), a0 + 3_000n * FLOCK);
  });

  it("the challenge delay is bounded: 1 minute to 7 days", async () => {
    const g = await w.graduated();
    const args = (delay: bigint) => [g.d.contracts.flock, g.d.contracts.emissionSchedule, w.addr(w.deployer), delay, w.addr(w.deployer)];
    const [min, max] = [60n, 7n * DAY];
    for (const bad of [0n, min - 1n, max + 1n]) {
      await reverts(w.deployer.deployContract({ abi: rewardsDistributorAbi, bytecode: bytecodeOf("RewardsDistributor"), args: args(bad) } as never),
        "RewardsDistributorChallengeDelayOutOfBounds", [bad, min, max]);
    }
    for (const ok of [min, max]) {
      const d = await w.deploy("RewardsDistributor", rewardsDistributorAbi, args(ok));
      assert.equal(await w.publicClient.readContract({ address: d, abi: rewardsDistributorAbi, functionName: "challengeDelay" }), ok);
    }
    assert.equal(await g.c.distributor.read.challengeDelay(), DELAY, "deployLocal's local delay");
  });

  it("on 60-s epochs (deployLocal epochSeconds) takes a root every epoch, each writing the previous one live", async () => {
    const short = await createWorld({ epochSeconds: 60 });
    const { d, c } = await short.deployed();
    const epoch = await c.schedule.read.dayLength();
    assert.equal(epoch, DELAY, "the local challenge delay fits in one short epoch");
    const start = await c.schedule.read.start();
    const flock = d.contracts.flock;
    // Every epoch's root at the same second of its epoch, so the previous one is exactly due; from the
    // first epoch still ahead (deploying mined a block a second, so the chain may be past epoch 1 already).
    const latest = (await short.publicClient.getBlock()).timestamp;
    const first = (latest - start) / epoch + 1n;
    for (let k = first; k < first + 5n; k++) {
      const at = start + k * epoch + 7n;
      await short.nextAt(at);
      await reverts(c.distributor.write.postRoot([k + 1n, hash(`root-${k + 1n}`), zeroHash, 0n, [], []]), "RewardsDistributorEpochInFuture", [k + 1n, k]);
      const cap = await c.schedule.read.cumulative([k]);
      const r = await short.mined(c.distributor.write.postRoot([k, hash(`root-${k}`), hash(`inputs-${k}`), cap, [], []]));
      assert.equal((await short.publicClient.getBlock({ blockNumber: r.blockNumber })).timestamp, at);
      assert.equal(eventOf(rewardsDistributorAbi, r, "RootPosted").args.epoch, k);
      if (k > first) assert.equal(eventOf(rewardsDistributorAbi, r, "RootActivated").args.epoch, k - 1n, "the previous epoch's root went live");
      assert.equal(await short.balanceOf(flock, d.contracts.rewardsDistributor), cap, "emission of epochs 0..k pulled");
    }
    await short.wait(DELAY);
    assert.equal(await c.distributor.read.epoch(), first + 4n);
  });
});

describe("IncentivePool.release", () => {
  it("streams the graduation's incentives linearly over 180 days into the distributor, completely", async () => {
    const g = await w.graduated();
    const pool = g.c.incentivePool;
    const s = await pool.read.stream([g.mt]);
    assert.equal(s.mtTotal, g.graduation.mtToIncentives);
    assert.equal(s.flockTotal, g.graduation.flockToIncentives);
    assert.equal(s.duration, 180n * DAY);
    const dist = g.d.contracts.rewardsDistributor;
    let [mtIn, flockIn] = [0n, 0n];
    const first = (await w.now()) - s.start + 1n; // the fixture's blocks after graduation
    for (const elapsed of [first, DAY, 45n * DAY + 17n, 179n * DAY, 180n * DAY, 200n * DAY]) {
      await w.nextAt(s.start + elapsed);
      const r = await w.mined(g.as(w.dave).incentivePool.write.release([g.mt])); // anyone
      const ev = eventOf(incentivePoolAbi, r, "Released").args;
      const vested = (total: bigint) => (elapsed >= s.duration ? total : (total * elapsed) / s.duration);
      assert.deepEqual(ev, { mt: g.mt, distributor: dist, mtAmount: vested(s.mtTotal) - mtIn, flockAmount: vested(s.flockTotal) - flockIn });
      [mtIn, flockIn] = [vested(s.mtTotal), vested(s.flockTotal)];
      assert.equal(await w.balanceOf(g.mt, dist), mtIn);
      assert.equal(await w.balanceOf(g.d.contracts.flock, dist), flockIn);
      assert.deepEqual(await pool.read.releasable([g.mt]), [0n, 0n]);
    }
    assert.equal(mtIn, s.mtTotal, "complete at the end");
    assert.equal(flockIn, s.flockTotal);
    assert.equal(await pool.read.flockOwed(), 0n);
    assert.equal(await w.balanceOf(g.mt, g.d.contracts.incentivePool), 0n);
  });

  it("refuses unknown streams, a missing or zero distributor, and funding outside its rules", async () => {
    const g = await w.graduated();
    await reverts(g.c.incentivePool.write.release([g.raising]), "IncentivePoolUnknownStream", [g.raising]);
    await reverts(g.as(w.alice).incentivePool.write.setDistributor([w.addr(w.alice)]), "AccessControlUnauthorizedAccount");
    await reverts(g.c.incentivePool.write.setDistributor([zeroAddress]), "IncentivePoolInvalidParameter", ["distributor"]);

    // A fresh pool: no distributor yet; the funder rules.
    const fresh = await w.deploy("IncentivePool", incentivePoolAbi, [g.d.contracts.flock, w.addr(w.deployer)]);
    const call = (functionName: string, args: readonly unknown[]) =>
      w.deployer.writeContract({ address: fresh, abi: incentivePoolAbi, functionName, args } as never) as Promise<Hex>;
    const funder = await g.c.incentivePool.read.FUNDER_ROLE();
    await reverts(call("release", [g.mt]), "IncentivePoolNoDistributor");
    await reverts(call("fund", [g.mt, 0n, 0n, 1n]), "AccessControlUnauthorizedAccount", [w.addr(w.deployer), funder]);
    await w.mined(call("grantRole", [funder, w.addr(w.deployer)]));
    await reverts(call("fund", [g.mt, 0n, 0n, 0n]), "IncentivePoolInvalidParameter", ["duration"]);
    await reverts(call("fund", [g.mt, MT, 0n, DAY]), "IncentivePoolUnfunded", [g.mt, MT, 0n]);
    await reverts(call("fund", [g.mt, 0n, FLOCK, DAY]), "IncentivePoolUnfunded", [g.d.contracts.flock, FLOCK, 0n]);
    await w.mined(g.c.flock.write.transfer([fresh, FLOCK]));
    await w.mined(call("fund", [g.mt, 0n, FLOCK, DAY]));
    await reverts(call("fund", [g.mt, 0n, 0n, DAY]), "IncentivePoolAlreadyFunded", [g.mt]);
    await reverts(call("release", [g.mt]), "IncentivePoolNoDistributor");
    const set = await w.mined(call("setDistributor", [w.addr(w.carol)]));
    assert.deepEqual(eventOf(incentivePoolAbi, set, "DistributorUpdated").args, { oldDistributor: zeroAddress, newDistributor: w.addr(w.carol) });
    await w.wait(DAY);
    const carol0 = await w.balanceOf(g.d.contracts.flock, w.addr(w.carol));
    await w.mined(call("release", [g.mt]));
    assert.equal(await w.balanceOf(g.d.contracts.flock, w.addr(w.carol)), carol0 + FLOCK);
  });
});
