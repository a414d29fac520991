// Buying: launch fee, the bundled first buy, the anti-snipe fee schedule and where its surcharge
// goes, the creator/protocol split of base fees at settlement, and the partial fill that reaches raiseMax.
// Expected amounts come from the spec's rules (fee rates, 50/50 split, 32,768 FLOCK launch fee)
// and the curve formula, computed here or with the SDK's independent bigint mirror.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, maxUint256 } from "viem";
import { FLOCK, LAUNCH_FEE, sold } from "@fomo/sdk";
import { DAY, MINUTE } from "@fomo/testkit";
import { SNIPE_END, assertBought, divUp, eventOf, feeSplit, grossForNet, eventsOf, fixtureAt, fresh } from "./fixtures.ts";

/** Total fee rate of the default terms `elapsed` seconds after opening, from the spec: 99% - 1pt/min, floor 1.5%. */
const specFeeBps = (elapsed: bigint) => {
  const bps = 9_900n - 100n * (elapsed / MINUTE);
  return bps < 150n ? 150n : bps;
};

describe("launch fee and the bundled first buy", () => {
  it("launch pulls 32,768 FLOCK to the treasury and opens a 7-day raise with no supply", async () => {
    const f = await fresh();
    const issuerBefore = await f.flockOf(f.issuer.account.address);
    const treasuryBefore = await f.flockOf(f.treasury);
    const { mt, opensAt, closesAt, receipt } = await f.launch();
    assert.equal(LAUNCH_FEE, 32_768n * FLOCK);
    assert.equal(await f.flockOf(f.treasury), treasuryBefore + LAUNCH_FEE);
    assert.equal(await f.flockOf(f.issuer.account.address), issuerBefore - LAUNCH_FEE);
    assert.equal(await f.flockOf(f.d.contracts.launchpad), 0n, "the launch fee is not escrowed");
    const paid = eventOf(receipt, "LaunchFeePaid");
    assert.equal(paid.amount, LAUNCH_FEE);
    assert.equal(paid.treasury.toLowerCase(), f.treasury.toLowerCase());
    assert.equal(closesAt - opensAt, 7n * DAY);
    assert.equal(await f.launchpad.read.stateOf([mt]), 1);
    const token = f.mtToken(mt);
    assert.equal(await token.read.totalSupply(), 0n);
    assert.equal(await token.read.minted(), false);
    const o = await f.launchpad.read.offering([mt]);
    assert.equal(o.creator.toLowerCase(), f.issuer.account.address.toLowerCase());
    assert.equal(o.feeBpsNow, 9_900n);
  });

  it("the launch fee follows governance: a new amount, a new treasury, or none at all", async () => {
    const f = await fresh();
    const newTreasury = f.bob.account.address;
    const feeSet = await f.mined(f.launchpad.write.setLaunchFee([1_000n * FLOCK]));
    assert.deepEqual(eventOf(feeSet, "LaunchFeeUpdated"), { oldLaunchFee: LAUNCH_FEE, newLaunchFee: 1_000n * FLOCK });
    const treasurySet = await f.mined(f.launchpad.write.setTreasury([newTreasury]));
    assert.deepEqual(eventOf(treasurySet, "TreasuryUpdated"), { oldTreasury: getAddress(f.treasury), newTreasury: getAddress(newTreasury) });
    const before = await f.flockOf(newTreasury);
    await f.launch({ ticker: "ONE" });
    assert.equal(await f.flockOf(newTreasury), before + 1_000n * FLOCK);

    const feeOff = await f.mined(f.launchpad.write.setLaunchFee([0n]));
    assert.deepEqual(eventOf(feeOff, "LaunchFeeUpdated"), { oldLaunchFee: 1_000n * FLOCK, newLaunchFee: 0n });
    const issuerBefore = await f.flockOf(f.issuer.account.address);
    const { receipt } = await f.launch({ ticker: "TWO" });
    assert.equal(eventsOf(receipt, "LaunchFeePaid").length, 0);
    assert.equal(await f.flockOf(f.issuer.account.address), issuerBefore);
    assert.equal(await f.flockOf(newTreasury), before + 1_000n * FLOCK);
  });

  it("the first buy runs in the launch at the start of the curve with the base fee only", async () => {
    const f = await fresh();
    const firstBuy = 100_000n * FLOCK;
    const issuer = f.issuer.account.address;
    const issuerBefore = await f.flockOf(issuer);
    const { mt, receipt } = await f.launch({ firstBuy });

    // 1.5% of 100,000 = 1,500 FLOCK of base fee, due half each to creator and protocol; no surcharge at second 0.
    const terms = await f.registry.read.terms([0]);
    const net = 98_500n * FLOCK;
    const mtOut = sold(terms.curve, net);
    const ev = eventOf(receipt, "Bought");
    assert.equal(ev.buyer.toLowerCase(), issuer.toLowerCase());
    assert.deepEqual(
      [ev.flockIn, ev.net, ev.mtOut, ev.baseFee, ev.surcharge, ev.raisedAfter],
      [firstBuy, net, mtOut, 1_500n * FLOCK, 0n, net],
    );
    // sold(f) = Y0 - ⌈X0·Y0/(X0 + f)⌉ with X0 = 500k, Y0 = 600k.
    const { virtualFlock: x0, virtualMt: y0 } = terms.curve;
    assert.equal(mtOut, y0 - divUp(x0 * y0, x0 + net));
    // The first buy's $MT is also recorded as the issuer's vesting first buy.
    assert.deepEqual(await f.launchpad.read.positionOf([mt, issuer]), { mt: mtOut, flock: net, firstBuyMt: mtOut });
    assert.equal(await f.flockOf(issuer), issuerBefore - LAUNCH_FEE - firstBuy);
    assert.equal(await f.flockOf(f.d.contracts.launchpad), firstBuy);
    const o = await f.launchpad.read.offering([mt]);
    assert.deepEqual([o.raised, o.creatorFeesDue, o.protocolFeesDue, o.surcharge], [net, 750n * FLOCK, 750n * FLOCK, 0n]);

    // A supporter buying one second later pays the 99% anti-snipe fee on the same amount.
    const ts = (await f.now()) + 1n;
    await f.nextAt(ts);
    const later = eventOf(await f.buy(f.alice, mt, firstBuy), "Bought");
    assert.equal(later.baseFee + later.surcharge, 99_000n * FLOCK);
    assert.equal(later.baseFee, 1_500n * FLOCK, "the base fee stays 1.5%; the rest is surcharge");
    assert.equal(later.net, 1_000n * FLOCK);
  });
});

describe("anti-snipe fee", () => {
  const launched = fixtureAt(async (f) => await f.launch());

  it("starts at 99%, falls one point per whole minute and floors at 1.5% from minute 98", async () => {
    const f = await launched();
    const amount = 1_000n * FLOCK;
    const baseFee = 15n * FLOCK; // 1.5% of 1,000
    let surcharges = 0n;
    let baseFees = 0n;
    let lastPrice = await f.launchpad.read.priceOf([f.mt]);
    const samples = [1n, 59n, 60n, 61n, 119n, 120n, 50n * MINUTE, 97n * MINUTE, 97n * MINUTE + 59n, 98n * MINUTE, 99n * MINUTE, 200n * MINUTE];
    for (const elapsed of samples) {
      const bps = specFeeBps(elapsed);
      const ts = f.opensAt + elapsed;
      const expected = await f.expectBuy(f.mt, amount, ts);
      assert.equal(expected.feeBps, bps, `SDK fee schedule at ${elapsed}s`);
      await f.nextAt(ts);
      const ev = assertBought(await f.buy(f.alice, f.mt, amount), expected);
      const totalFee = divUp(amount * bps, 10_000n);
      assert.equal(ev.baseFee + ev.surcharge, totalFee, `fee at ${elapsed}s`);
      assert.equal(ev.baseFee, baseFee, `base fee at ${elapsed}s`);
      assert.equal(ev.surcharge, totalFee - baseFee);
      assert.equal(ev.net, amount - totalFee);
      surcharges += ev.surcharge;
      baseFees += ev.baseFee;
      const o = await f.launchpad.read.offering([f.mt]);
      assert.equal(o.feeBpsNow, bps, `feeBpsNow at ${elapsed}s`);
      assert.equal(o.surcharge, surcharges);
      // Only base fees are due to creator and protocol, half each; the surcharge is neither's.
      assert.deepEqual([o.creatorFeesDue, o.protocolFeesDue], [baseFees / 2n, baseFees / 2n]);
      assert.ok(o.price >= lastPrice, "price never falls");
      lastPrice = o.price;
    }
    assert.equal(specFeeBps(98n * MINUTE - 1n), 200n);
  });

  it("the surcharge is not the protocol's: it funds this $MT's FLOCK incentive stream at graduation", async () => {
    const f = await launched();
    let surcharges = 0n;
    let baseFees = 0n;
    for (const minute of [0n, 10n, 45n]) {
      await f.nextAt(f.opensAt + minute * MINUTE + 1n);
      const ev = eventOf(await f.buy(f.bob, f.mt, 10_000n * FLOCK), "Bought");
      surcharges += ev.surcharge;
      baseFees += ev.baseFee;
    }
    // 99% + 89% + 54% of 10,000 less the 1.5% base fee each.
    assert.equal(surcharges, (9_900n + 8_900n + 5_400n - 3n * 150n) * FLOCK);
    assert.equal(baseFees, 3n * 150n * FLOCK);
    // Settling during the raise pays the base fees (half each) only; the surcharge stays escrowed.
    const early = await f.settle(f.mt, f.carol);
    assert.deepEqual([early.creatorAmount, early.protocolAmount, early.surcharge], [225n * FLOCK, 225n * FLOCK, 0n]);
    assert.equal((await f.launchpad.read.offering([f.mt])).surcharge, surcharges);
    baseFees = 0n;
    await f.wait(SNIPE_END);
    const { receipt: fill, receipts } = await f.fillToMax(f.mt);
    for (const r of receipts) baseFees += eventOf(r, "Bought").baseFee;
    const before = await f.launchpad.read.offering([f.mt]);
    assert.equal(before.state, 4);
    assert.equal(before.surcharge, 0n, "surcharge moved out at graduation");

    const r = eventOf(fill, "Graduated").result;
    assert.equal(r.raised, 1_000_000n * FLOCK);
    assert.equal(r.flockToIncentives, (r.raised * 2_000n) / 10_000n + surcharges);
    const stream = await f.incentivePool.read.stream([f.mt]);
    assert.equal(stream.flockTotal, r.flockToIncentives);
    assert.equal(await f.flockOf(f.d.contracts.incentivePool), r.flockToIncentives);

    // Settling after graduation pays the later buys' base fees only: the surcharge went to incentives.
    const treasuryBefore = await f.flockOf(f.treasury);
    const late = await f.settle(f.mt, f.carol);
    const split = feeSplit(baseFees);
    assert.deepEqual([late.creatorAmount, late.protocolAmount, late.surcharge], [split.creator, split.protocol, 0n]);
    assert.equal(await f.flockOf(f.treasury), treasuryBefore + split.protocol);
    assert.equal(await f.flockOf(f.d.contracts.launchpad), 0n, "nothing left in escrow");
  });
});

describe("buys that reach raiseMax", () => {
  // 600,000 + 300,000 FLOCK past the anti-snipe window: 886,500 FLOCK net in the curve.
  const nearlyFull = fixtureAt(async (f) => {
    const { mt } = await f.launch();
    await f.wait(SNIPE_END);
    await f.buy(f.alice, mt, 600_000n * FLOCK);
    await f.buy(f.bob, mt, 300_000n * FLOCK);
    return { mt };
  });

  it("fill only up to raiseMax, charge the exact fee on the filled part, graduate in the same tx", async () => {
    const f = await nearlyFull();
    const raiseMax = 1_000_000n * FLOCK;
    const room = raiseMax - 886_500n * FLOCK;
    assert.equal((await f.launchpad.read.offering([f.mt])).raised, raiseMax - room);
    // The fee on the filled part: the smallest fee with (room + fee)·1.5% <= fee.
    const fee = divUp(room * 150n, 9_850n);
    const taken = room + fee;
    // ...which is 1.5% of what is taken, rounded up by less than one wei.
    const slack = fee * 10_000n - taken * 150n;
    assert.ok(slack >= 0n && slack < 10_000n, "fee is 1.5% of what is taken");

    const offered = 500_000n * FLOCK;
    const quote = await f.launchpad.read.quoteBuy([f.mt, offered]);
    assert.deepEqual([quote.flockIn, quote.flockRefunded, quote.net, quote.graduates], [taken, offered - taken, room, true]);

    const carol = f.carol.account.address;
    const before = await f.flockOf(carol);
    const ts = (await f.now()) + 1n;
    const expected = await f.expectBuy(f.mt, offered, ts);
    await f.nextAt(ts);
    const receipt = await f.buy(f.carol, f.mt, offered);
    const ev = assertBought(receipt, expected);
    assert.equal(ev.flockIn, taken);
    assert.equal(ev.baseFee + ev.surcharge, fee);
    assert.equal(ev.surcharge, 0n);
    assert.equal(ev.raisedAfter, raiseMax);
    assert.equal(await f.flockOf(carol), before - taken, "the excess is never taken");
    // The curve sells exactly the 400,000 $MT tranche at raiseMax.
    const terms = await f.registry.read.terms([0]);
    assert.equal(sold(terms.curve, raiseMax), 400_000n * FLOCK);
    assert.equal(ev.mtOut, 400_000n * FLOCK - sold(terms.curve, raiseMax - room));

    const grad = eventOf(receipt, "Graduated");
    assert.equal(grad.result.raised, raiseMax);
    assert.equal(grad.result.sold, 400_000n * FLOCK);
    assert.equal(await f.launchpad.read.stateOf([f.mt]), 4);
  });

  it("offering the maximum uint256 is safe: only the fill is taken", async () => {
    const f = await nearlyFull();
    const room = 113_500n * FLOCK;
    const carol = f.carol.account.address;
    const before = await f.flockOf(carol);
    const ev = eventOf(await f.buy(f.carol, f.mt, maxUint256), "Bought");
    assert.deepEqual([ev.flockIn, ev.net], [grossForNet(room), room]);
    assert.equal(await f.flockOf(carol), before - grossForNet(room));
    assert.equal(await f.launchpad.read.stateOf([f.mt]), 4);
  });

  it("a buy that lands exactly on raiseMax graduates too", async () => {
    const f = await nearlyFull();
    const room = 113_500n * FLOCK;
    const exact = room + divUp(room * 150n, 9_850n);
    const receipt = await f.buy(f.carol, f.mt, exact);
    const ev = eventOf(receipt, "Bought");
    assert.deepEqual([ev.flockIn, ev.net], [exact, room]);
    assert.equal(eventsOf(receipt, "Graduated").length, 1);
  });

  it("a buy that stops one wei short of raiseMax does not graduate", async () => {
    const f = await nearlyFull();
    const net = 113_500n * FLOCK - 1n;
    // The largest gross whose net (gross - ⌈1.5%⌉) is `net`.
    let gross = (net * 10_000n) / 9_850n;
    while (gross + 1n - divUp((gross + 1n) * 150n, 10_000n) <= net) gross++;
    const receipt = await f.buy(f.carol, f.mt, gross);
    assert.equal(eventOf(receipt, "Bought").raisedAfter, 1_000_000n * FLOCK - 1n);
    assert.equal(eventsOf(receipt, "Graduated").length, 0);
    assert.equal(await f.launchpad.read.stateOf([f.mt]), 1);
  });

  it("settlement pays the creator exactly half of every base fee and the treasury the rest, before and after graduation", async () => {
    const f = await nearlyFull();
    const issuer = f.issuer.account.address;
    // 1.5% of 900,000 FLOCK = 13,500, halved.
    const o = await f.launchpad.read.offering([f.mt]);
    assert.deepEqual([o.creatorFeesDue, o.protocolFeesDue], [6_750n * FLOCK, 6_750n * FLOCK]);
    const issuerBefore = await f.flockOf(issuer);
    const treasuryBefore = await f.flockOf(f.treasury);
    const first = await f.settle(f.mt, f.alice); // a supporter settles; the creator is paid all the same
    assert.deepEqual([first.creatorAmount, first.protocolAmount, first.surcharge], [6_750n * FLOCK, 6_750n * FLOCK, 0n]);

    const fill = eventOf(await f.buy(f.carol, f.mt, 500_000n * FLOCK), "Bought");
    // The fill's whole fee is base fee (past the anti-snipe window): 1.5% of what it takes, rounded up.
    const room = 113_500n * FLOCK;
    assert.deepEqual([fill.baseFee, fill.surcharge], [divUp(room * 150n, 9_850n), 0n]);
    // After graduation the escrow holds exactly that unsettled base fee.
    assert.equal(await f.flockOf(f.d.contracts.launchpad), fill.baseFee);
    const second = await f.settle(f.mt, f.bob);
    const split = feeSplit(fill.baseFee);
    assert.deepEqual([second.creatorAmount, second.protocolAmount, second.surcharge], [split.creator, split.protocol, 0n]);
    assert.equal(await f.flockOf(issuer), issuerBefore + 6_750n * FLOCK + split.creator);
    assert.equal(await f.flockOf(f.treasury), treasuryBefore + 6_750n * FLOCK + split.protocol);
    assert.equal(await f.flockOf(f.d.contracts.launchpad), 0n, "escrow drained to the wei");
  });

  it("the on-chain quote equals the SDK's independent math, and each buy delivers its quote", async () => {
    const f = await nearlyFull();
    for (const amount of [1n, 12_345n, 7n * FLOCK, 50_000n * FLOCK, 2_000_000n * FLOCK]) {
      const q = await f.launchpad.read.quoteBuy([f.mt, amount]);
      const expected = await f.expectBuy(f.mt, amount, await f.now());
      assert.deepEqual({ ...q }, { ...expected });
    }
    // Past the anti-snipe window the fee no longer moves, so the next block's buy delivers the quote.
    const q = await f.launchpad.read.quoteBuy([f.mt, 50_000n * FLOCK]);
    const ev = eventOf(await f.buy(f.carol, f.mt, 50_000n * FLOCK), "Bought");
    assert.deepEqual([ev.flockIn, ev.net, ev.mtOut, ev.raisedAfter], [q.flockIn, q.net, q.mtOut, q.raisedAfter]);
    assert.equal(await f.launchpad.read.priceOf([f.mt]), q.priceAfter);
  });
});
