// The launch layer's security review, finding by finding, on a real chain: a raise left with only
// dust graduates at once; the issuer's bundled first buy vests over 90 days from graduation; a
// pause stops every open raise's clock (window and anti-snipe decay) instead of deciding it; a
// failed offering's model id is released to the next launch; graduation records the new pool's
// first TWAP observation. Expected values come from the SDK's bigint math, not the contract.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keccak256, parseEventLogs, toHex, type Address } from "viem";
import {
  BPS,
  FIRST_BUY_VESTING,
  FLOCK,
  MAX_PAUSE_EXTENSION,
  State,
  claimableAt,
  defaultAllocation,
  defaultCatalog,
  defaultSaleTerms,
  feeBpsAt,
  feeBpsOf,
  getOffering,
  quoteBuy,
  sold,
  stateAt,
  twapOracleAbi,
  type CurveState,
} from "@fomo/sdk";
import { DAY, HOUR, MINUTE } from "@fomo/testkit";
import { SNIPE_END, divUp, eventOf, eventsOf, fresh, type Fixture } from "./fixtures.ts";

/** The review's reproducing terms: 750,000 FLOCK raiseMax and a 10x curve, whose end does not divide exactly. */
async function addDustTemplate(f: Fixture): Promise<number> {
  const sale = { ...defaultSaleTerms, raiseMax: 750_000n * FLOCK, priceRatioBps: 100_000 };
  await f.mined(f.registry.write.addTemplate(["dust-model", "cpu-small", sale, defaultAllocation, defaultCatalog[0]!.pricing]));
  return Number(await f.registry.read.templateCount()) - 1;
}

/** The least `raised` at which the curve has sold all it ever can: above it, the room left is dust. */
function dustFloor(c: CurveState): bigint {
  const all = sold(c, c.raiseMax);
  let [lo, hi] = [0n, c.raiseMax];
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if (sold(c, mid) >= all) hi = mid;
    else lo = mid + 1n;
  }
  return lo;
}

/** A gross buy at `bps` whose net lands `raised` in [from, to). */
function grossLanding(c: CurveState, from: bigint, to: bigint, bps: bigint): bigint {
  const target = to - 1n - c.raised;
  for (let gross = divUp(target * BPS, BPS - bps) - 2n; ; gross++) {
    const net = gross - divUp(gross * bps, BPS);
    if (c.raised + net >= from && c.raised + net < to) return gross;
    assert.ok(c.raised + net < to, "no gross lands in the range");
  }
}

describe("finding 1: a raise can always close (dust room)", () => {
  it("on 750,000 FLOCK / 10x terms, a buy that leaves only dust graduates in that buy", async () => {
    const f = await fresh();
    const templateId = await addDustTemplate(f);
    const { mt } = await f.launch({ templateId, ticker: "DUST" });
    await f.wait(SNIPE_END);
    await f.buy(f.alice, mt, 500_000n * FLOCK);
    const c = await f.curveState(mt);
    const floor = dustFloor(c);
    // The reproduction: rounding leaves a room of a few wei that no buy can turn into $MT.
    assert.ok(floor < c.raiseMax && c.raiseMax - floor <= 10n, `dust room ${c.raiseMax - floor} wei`);
    const gross = grossLanding(c, floor, c.raiseMax, 150n);
    const q = quoteBuy(c, gross, 150);
    assert.ok(q.raisedAfter < c.raiseMax && q.graduates, "the SDK mirror closes the raise on dust");
    assert.deepEqual(await f.launchpad.read.quoteBuy([mt, gross]), q);

    const receipt = await f.buy(f.bob, mt, gross);
    assert.equal(eventOf(receipt, "Bought").mtOut, sold(c, c.raiseMax) - sold(c, c.raised));
    const g = eventOf(receipt, "Graduated");
    assert.equal(g.result.raised, q.raisedAfter); // the dust stays unraised
    assert.equal(g.result.sold, sold(c, c.raiseMax)); // everything the curve can sell is sold
    assert.equal(await f.launchpad.read.stateOf([mt]), State.Graduated);
  });
});

describe("finding 2: the issuer's first buy vests over 90 days from graduation", () => {
  it("claims pay later buys at once and the first buy linearly, the locked part rounded up", async () => {
    const f = await fresh();
    const issuer = f.issuer.account.address;
    const firstBuy = 100_000n * FLOCK;
    const { mt, receipt } = await f.launch({ firstBuy });
    const firstMt = eventOf(receipt, "Bought").mtOut;
    await f.wait(SNIPE_END);
    const later = eventOf(await f.buy(f.issuer, mt, 10_000n * FLOCK), "Bought").mtOut; // not locked
    assert.deepEqual(await f.launchpad.read.claimableOf([mt, issuer]), [0n, firstMt]); // nothing before graduation

    const graduated = await f.fillToMax(mt, [f.alice]);
    const t0 = (await f.publicClient.getBlock({ blockNumber: graduated.receipt.blockNumber })).timestamp;
    const view = await getOffering(f.publicClient, f.d, { mt });
    assert.equal(BigInt(view.graduatedAt), t0);
    const locked = (t: bigint) => (t >= t0 + FIRST_BUY_VESTING ? 0n : divUp(firstMt * (t0 + FIRST_BUY_VESTING - t), FIRST_BUY_VESTING));

    // At graduation: only the later buy is claimable.
    assert.deepEqual(await f.launchpad.read.claimableOf([mt, issuer]), [later, firstMt]);
    await f.nextAt(t0 + 1n);
    let r = await f.mined(f.lp(f.attacker).write.claim([mt, issuer]));
    let paid = eventOf(r, "Claimed").mtAmount;
    assert.equal(paid, later + firstMt - locked(t0 + 1n));
    // Right after a claim (same block) nothing more is claimable.
    assert.deepEqual(await f.launchpad.read.claimableOf([mt, issuer]), [0n, locked(t0 + 1n)]);

    // Day 30 and day 61 (odd fractions: the lock rounds up), then the end.
    for (const t of [t0 + 30n * DAY + 7n, t0 + 61n * DAY + 13n, t0 + FIRST_BUY_VESTING]) {
      await f.nextAt(t);
      r = await f.mined(f.lp(f.issuer).write.claim([mt, issuer]));
      paid += eventOf(r, "Claimed").mtAmount;
      assert.equal(paid, later + firstMt - locked(t), `paid by ${t - t0}s`);
      const pos = await f.launchpad.read.positionOf([mt, issuer]);
      assert.deepEqual(claimableAt(pos, Number(t0), t), { claimable: 0n, locked: locked(t) });
    }
    assert.equal(await f.balanceOf(mt, issuer), later + firstMt);
    assert.deepEqual(await f.launchpad.read.positionOf([mt, issuer]), { mt: 0n, flock: 0n, firstBuyMt: 0n });
    // Other supporters were never locked.
    const alice = f.alice.account.address;
    const [aliceClaimable, aliceLocked] = await f.launchpad.read.claimableOf([mt, alice]);
    assert.equal(aliceLocked, 0n);
    assert.equal(aliceClaimable, (await f.launchpad.read.positionOf([mt, alice])).mt);
  });
});

describe("finding 3: a pause stops the raise's clock instead of deciding it", () => {
  it("a raise near raiseMin gets its window back: it stays open past the planned close by the time paused", async () => {
    const f = await fresh();
    const { mt, closesAt } = await f.launch({});
    await f.wait(SNIPE_END);
    await f.buy(f.alice, mt, 150_000n * FLOCK); // under the 200,000 FLOCK minimum
    const pausedAt = closesAt - DAY;
    await f.nextAt(pausedAt);
    await f.mined(f.launchpad.write.pause());
    // Paused past the planned close: the close moves with the clock, the raise is not Failed.
    await f.nextAt(closesAt + 2n * DAY);
    await f.mined(f.flock.write.mint([f.treasury, 1n])); // mines a block at that time
    assert.equal(await f.launchpad.read.stateOf([mt]), State.Raising);
    const whilePaused = await getOffering(f.publicClient, f.d, { mt });
    assert.equal(whilePaused.paused, true);
    assert.equal(BigInt(whilePaused.pausedSeconds), 3n * DAY);
    assert.equal(BigInt(whilePaused.closesAt), closesAt + 3n * DAY);
    const unpausedAt = closesAt + 3n * DAY;
    await f.nextAt(unpausedAt);
    await f.mined(f.launchpad.write.unpause());
    const paused = unpausedAt - pausedAt; // 4 days
    assert.equal(BigInt((await f.launchpad.read.offering([mt])).closesAt), closesAt + paused);
    assert.equal(await f.launchpad.read.pausedSeconds(), paused);

    // The day the pause took is still there to buy in; the raise closes exactly `paused` late.
    await f.buy(f.bob, mt, 100_000n * FLOCK);
    await f.nextAt(closesAt + paused - 1n);
    await f.mined(f.flock.write.mint([f.treasury, 1n]));
    assert.equal(await f.launchpad.read.stateOf([mt]), State.Raising);
    await f.nextAt(closesAt + paused);
    await f.mined(f.flock.write.mint([f.treasury, 1n]));
    assert.equal(await f.launchpad.read.stateOf([mt]), State.Succeeded);
  });

  it("a pause after the close does not reopen a raise, and refunds go on while paused", async () => {
    const f = await fresh();
    const { mt, closesAt } = await f.launch({});
    await f.wait(SNIPE_END);
    await f.buy(f.alice, mt, 10_000n * FLOCK);
    await f.nextAt(closesAt);
    await f.mined(f.launchpad.write.pause());
    await f.wait(5n * DAY);
    assert.equal(await f.launchpad.read.stateOf([mt]), State.Failed);
    assert.ok(BigInt((await f.launchpad.read.offering([mt])).closesAt) <= (await f.now()));
    await f.mined(f.lp(f.alice).write.refund([mt, f.alice.account.address]));
    await f.mined(f.launchpad.write.unpause());
    assert.equal(await f.launchpad.read.stateOf([mt]), State.Failed);
  });

  it("a pause that never ends cannot hold the escrow: the window moves at most MAX_PAUSE_EXTENSION, then refunds open", async () => {
    const f = await fresh();
    const { mt, closesAt } = await f.launch({});
    await f.wait(SNIPE_END);
    await f.buy(f.alice, mt, 10_000n * FLOCK);
    const pausedAt = closesAt - DAY;
    await f.nextAt(pausedAt);
    await f.mined(f.launchpad.write.pause());
    const extension = await f.launchpad.read.MAX_PAUSE_EXTENSION();
    assert.equal(extension, MAX_PAUSE_EXTENSION);
    // Still paused: the raise stays open until its close plus the whole extension, no longer.
    await f.nextAt(closesAt + extension - 1n);
    await f.mined(f.flock.write.mint([f.treasury, 1n]));
    assert.equal(await f.launchpad.read.stateOf([mt]), State.Raising);
    const snapshot = await getOffering(f.publicClient, f.d, { mt });
    assert.equal(stateAt(snapshot, closesAt + extension - 1n), State.Raising);
    assert.equal(stateAt(snapshot, closesAt + extension), State.Failed, "the SDK sees the bounded close too");
    await f.nextAt(closesAt + extension);
    await f.mined(f.flock.write.mint([f.treasury, 1n]));
    assert.equal(await f.launchpad.read.stateOf([mt]), State.Failed);
    assert.equal(await f.launchpad.read.paused(), true);
    const before = await f.flock.read.balanceOf([f.alice.account.address]);
    const position = await f.launchpad.read.positionOf([mt, f.alice.account.address]);
    await f.mined(f.lp(f.alice).write.refund([mt, f.alice.account.address]));
    assert.equal(await f.flock.read.balanceOf([f.alice.account.address]), before + position.flock);
  });

  it("the anti-snipe fee decays with the raise's clock: a pause does not hand the floor fee to whoever buys at unpause", async () => {
    const f = await fresh();
    const { mt, opensAt } = await f.launch({});
    const s = defaultSaleTerms;
    await f.nextAt(opensAt + 10n * MINUTE);
    await f.mined(f.launchpad.write.pause());
    await f.nextAt(opensAt + 10n * MINUTE + 3n * HOUR);
    await f.mined(f.launchpad.write.unpause());
    const buyAt = opensAt + 10n * MINUTE + 3n * HOUR + 30n;
    const snapshot = await getOffering(f.publicClient, f.d, { mt });
    // 10 minutes and 30 seconds of raise time: ten whole minutes of decay, far above the floor.
    const bps = feeBpsAt(s.feeBps, s.snipeFeeBps, s.snipeDecayBpsPerMinute, 10n * MINUTE + 30n);
    assert.equal(bps, s.snipeFeeBps - 10 * s.snipeDecayBpsPerMinute);
    assert.equal(feeBpsOf(snapshot, buyAt), bps);
    await f.nextAt(buyAt);
    const bought = eventOf(await f.buy(f.alice, mt, 1_000n * FLOCK), "Bought");
    assert.equal(bought.baseFee + bought.surcharge, divUp(1_000n * FLOCK * BigInt(bps), BPS));
  });
});

describe("finding 4: a failed offering's model id is released", () => {
  it("the next launch of the id takes it over; the failed offering still refunds; a live id stays taken", async () => {
    const f = await fresh();
    const { mt: failed, closesAt } = await f.launch({ ticker: "SQUAT" });
    await f.wait(SNIPE_END);
    await f.buy(f.alice, failed, 10_000n * FLOCK);
    const modelId = "stories-260k-squat";
    const idHash = keccak256(toHex(modelId));
    // While it raises, the id is taken.
    await f.expectRevert(() => f.sendLaunch({ ticker: "SQUAT", by: f.bob }), f.launchpad, "LaunchpadModelIdTaken", [modelId, failed], [failed]);
    await f.nextAt(closesAt);
    await f.mined(f.flock.write.mint([f.treasury, 1n]));
    assert.equal(await f.launchpad.read.stateOf([failed]), State.Failed);

    const { mt, receipt } = await f.launch({ ticker: "SQUAT", by: f.bob });
    assert.notEqual(mt, failed);
    const [ev] = parseEventLogs({ abi: f.launchpad.abi, logs: receipt.logs, eventName: "ModelIdTakenOver" });
    assert.deepEqual(ev?.args, { modelId, failedMt: failed, mt });
    assert.equal(eventOf(receipt, "Launched").modelId, modelId);
    assert.equal(await f.launchpad.read.deploymentOf([idHash]), mt);
    assert.equal(await f.launchpad.read.modelIdOf([mt]), modelId);
    assert.equal(await f.launchpad.read.modelIdOf([failed]), modelId); // what it launched with
    // The failed offering's supporters still get their FLOCK back.
    const r = await f.mined(f.lp(f.alice).write.refund([failed, f.alice.account.address]));
    assert.equal(eventOf(r, "Refunded").flockAmount, (await f.launchpad.read.offering([failed])).raised);
    // The new holder is raising: the id is taken again.
    await f.expectRevert(() => f.sendLaunch({ ticker: "SQUAT", by: f.carol }), f.launchpad, "LaunchpadModelIdTaken", [modelId, mt], [mt]);
  });
});

describe("graduation records the pool's first TWAP observation", () => {
  it("the oracle holds an observation of the new pair from the graduation block", async () => {
    const f = await fresh();
    const { mt } = await f.launch({});
    await f.wait(SNIPE_END);
    const { receipt } = await f.fillToMax(mt, [f.alice]);
    const pair = (eventsOf(receipt, "Graduated")[0]!).pair as Address;
    const at = (await f.publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp;
    const obs = await f.publicClient.readContract({
      address: f.d.contracts.twapOracle, abi: twapOracleAbi, functionName: "observations", args: [pair],
    });
    assert.equal(BigInt(obs.newer.timestamp), at);
  });
});
