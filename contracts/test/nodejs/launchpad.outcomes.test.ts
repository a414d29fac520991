// How a raise ends when the window closes (product.md §3.4): at or above raiseMin anyone graduates it;
// below raiseMin every supporter refunds exactly the FLOCK that entered the curve, fees are kept,
// `raised` stays as the record, and the escrow empties to the last wei once fees are settled.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FLOCK } from "@fomo/sdk";
import { SNIPE_END, eventOf, fixtureAt } from "./fixtures.ts";

describe("raise closes at or above raiseMin", () => {
  const raised = fixtureAt(async (f) => {
    const launched = await f.launch();
    await f.wait(SNIPE_END);
    // 203,046 FLOCK gross: 1.5% fee 3,045.69, net 200,000.31 - just over raiseMin.
    await f.buy(f.alice, launched.mt, 203_046n * FLOCK);
    return launched;
  });

  it("buys are accepted until the last second; from closesAt the state is Succeeded", async () => {
    const f = await raised();
    const o = await f.launchpad.read.offering([f.mt]);
    assert.ok(o.raised >= o.raiseMin && o.raised - o.raiseMin < FLOCK, "just over raiseMin");
    await f.nextAt(f.closesAt - 1n);
    await f.buy(f.bob, f.mt, 1_000n * FLOCK);
    assert.equal(await f.launchpad.read.stateOf([f.mt]), 1);
    await f.time.increaseTo(f.closesAt);
    assert.equal(await f.launchpad.read.stateOf([f.mt]), 2);
  });

  it("anyone may graduate it after the deadline, and then everyone claims", async () => {
    const f = await raised();
    await f.expectRevert(() => f.lp(f.attacker).write.graduate([f.mt]), f.launchpad, "LaunchpadWrongState", [f.mt, 1], [f.mt]);
    await f.time.increaseTo(f.closesAt);
    const net = (await f.launchpad.read.offering([f.mt])).raised;
    const receipt = await f.mined(f.lp(f.attacker).write.graduate([f.mt])); // no role needed
    const r = eventOf(receipt, "Graduated").result;
    assert.equal(r.raised, net);
    assert.equal(await f.launchpad.read.stateOf([f.mt]), 4);
    const a = f.alice.account.address;
    const pos = await f.launchpad.read.positionOf([f.mt, a]);
    assert.equal(pos.mt, r.sold, "alice bought everything sold");
    await f.mined(f.lp(f.attacker).write.claim([f.mt, a])); // claims go to the account, whoever triggers them
    assert.equal(await f.mtToken(f.mt).read.balanceOf([a]), pos.mt);
    assert.equal(await f.mtToken(f.mt).read.balanceOf([f.attacker.account.address]), 0n);
    assert.equal(await f.mtToken(f.mt).read.balanceOf([f.d.contracts.launchpad]), 0n, "nothing left to claim");
  });
});

describe("raise closes below raiseMin", () => {
  // alice buys in the first minute (99% fee), bob and carol after the anti-snipe window; 88,660 FLOCK net.
  const failed = fixtureAt(async (f) => {
    const launched = await f.launch();
    await f.nextAt(launched.opensAt + 30n);
    await f.buy(f.alice, launched.mt, 1_000n * FLOCK);
    await f.wait(SNIPE_END);
    await f.buy(f.bob, launched.mt, 50_000n * FLOCK);
    await f.buy(f.carol, launched.mt, 20_000n * FLOCK);
    await f.buy(f.carol, launched.mt, 20_000n * FLOCK);
    await f.time.increaseTo(launched.closesAt);
    return launched;
  });
  // Net FLOCK in the curve per supporter, from the fee rules: 1% of 1,000; 98.5% of the others.
  const nets = { alice: 10n * FLOCK, bob: 49_250n * FLOCK, carol: 39_400n * FLOCK };
  const raisedNet = nets.alice + nets.bob + nets.carol;
  // Base fees 1.5% of 91,000 = 1,365 FLOCK split in halves; surcharge 99% - 1.5% of alice's 1,000.
  const creatorFees = 682_500n * FLOCK / 1_000n;
  const protocolFees = creatorFees;
  const surcharge = 975n * FLOCK;
  const fees = creatorFees + protocolFees + surcharge;

  it("is Failed, keeps exact accounts of nets and fees, and cannot graduate", async () => {
    const f = await failed();
    assert.equal(await f.launchpad.read.stateOf([f.mt]), 3);
    for (const [who, w] of [["alice", f.alice], ["bob", f.bob], ["carol", f.carol]] as const) {
      assert.equal((await f.launchpad.read.positionOf([f.mt, w.account.address])).flock, nets[who]);
    }
    const o = await f.launchpad.read.offering([f.mt]);
    assert.deepEqual(
      [o.raised, o.creatorFeesDue, o.protocolFeesDue, o.surcharge],
      [raisedNet, creatorFees, protocolFees, surcharge],
    );
    assert.equal(await f.openFlock(f.mt), raisedNet);
    assert.equal(await f.flockOf(f.d.contracts.launchpad), raisedNet + fees);
    assert.equal(await f.escrowOwed([f.mt]), raisedNet + fees);
    assert.equal(await f.mtToken(f.mt).read.totalSupply(), 0n, "no $MT for a failed raise");
    await f.expectRevert(() => f.lp(f.bob).write.graduate([f.mt]), f.launchpad, "LaunchpadWrongState", [f.mt, 3], [f.mt]);
  });

  it("refunds every supporter exactly their net FLOCK (anyone may trigger), then the escrow empties", async () => {
    const f = await failed();
    const treasuryBefore = await f.flockOf(f.treasury);
    const issuerBefore = await f.flockOf(f.issuer.account.address);
    for (const [who, w] of [["alice", f.alice], ["bob", f.bob], ["carol", f.carol]] as const) {
      const account = w.account.address;
      const before = await f.flockOf(account);
      const callerBefore = await f.flockOf(f.attacker.account.address);
      const ev = eventOf(await f.mined(f.lp(f.attacker).write.refund([f.mt, account])), "Refunded");
      assert.equal(ev.flockAmount, nets[who]);
      assert.equal(await f.flockOf(account), before + nets[who], `${who} refunded`);
      assert.equal(await f.flockOf(f.attacker.account.address), callerBefore, "the caller gets nothing");
      assert.deepEqual(await f.launchpad.read.positionOf([f.mt, account]), { mt: 0n, flock: 0n, firstBuyMt: 0n });
    }
    const o = await f.launchpad.read.offering([f.mt]);
    assert.equal(o.raised, raisedNet, "raised stays as the record of what was raised");
    assert.equal(o.state, 3, "still Failed");
    assert.equal(await f.openFlock(f.mt), 0n, "no open positions left");
    assert.equal(await f.flockOf(f.d.contracts.launchpad), fees, "fees are kept");
    assert.equal(await f.escrowOwed([f.mt]), fees);

    // One settlement, by anyone: protocol fees and the failed raise's surcharge to the treasury, the creator's half to the creator.
    const s = await f.settle(f.mt, f.bob);
    assert.deepEqual([s.creatorAmount, s.protocolAmount, s.surcharge], [creatorFees, protocolFees, surcharge]);
    assert.equal(await f.flockOf(f.treasury), treasuryBefore + protocolFees + surcharge);
    assert.equal(await f.flockOf(f.issuer.account.address), issuerBefore + creatorFees);
    assert.equal(await f.flockOf(f.d.contracts.launchpad), 0n, "escrow drained to the wei");
    assert.equal((await f.launchpad.read.offering([f.mt])).raised, raisedNet);
  });

  it("settling fees before refunds does not touch supporters' FLOCK", async () => {
    const f = await failed();
    const s = await f.settle(f.mt, f.carol);
    assert.deepEqual([s.creatorAmount, s.protocolAmount, s.surcharge], [creatorFees, protocolFees, surcharge]);
    assert.equal(await f.flockOf(f.d.contracts.launchpad), raisedNet);
    assert.equal(await f.escrowOwed([f.mt]), raisedNet);
    for (const w of [f.alice, f.bob, f.carol]) {
      const ev = eventOf(await f.mined(f.lp(w).write.refund([f.mt, w.account.address])), "Refunded");
      assert.equal(await f.flockOf(f.d.contracts.launchpad), await f.openFlock(f.mt), `escrow = open positions after ${ev.account}'s refund`);
    }
    assert.equal(await f.flockOf(f.d.contracts.launchpad), 0n);
    assert.equal((await f.launchpad.read.offering([f.mt])).raised, raisedNet);
  });

  it("refunds never expire", async () => {
    const f = await failed();
    await f.wait(10n * 365n * 86_400n);
    const before = await f.flockOf(f.bob.account.address);
    await f.mined(f.lp(f.bob).write.refund([f.mt, f.bob.account.address]));
    assert.equal(await f.flockOf(f.bob.account.address), before + nets.bob);
  });
});
