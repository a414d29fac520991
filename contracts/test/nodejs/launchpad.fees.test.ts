// Fee settlement: base fees accrue in one counter per offering and settleFees(mt), callable by
// anyone, pays the creator ⌊due·creatorFeeShareBps/10⁴⌋ and the treasury the rest, plus a failed
// raise's anti-snipe surcharge to the treasury. Expected amounts come from the Bought events (and,
// where the buy is simple enough, from the fee rate itself), never from the launchpad's views;
// `f.settle` additionally checks every payment against the view and the FLOCK balances it moves.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Address } from "viem";
import { BPS, FLOCK, defaultCatalog, defaultSaleTerms, type TemplateSpec } from "@fomo/sdk";
import { DAY, MINUTE } from "@fomo/testkit";
import { SNIPE_END, checkGraduation, divUp, eventOf, feeSplit, fixtureAt, fresh, type Fixture } from "./fixtures.ts";

// Lifecycle states as the Launchpad's State enum numbers them.
const RAISING = 1;
const SUCCEEDED = 2;
const FAILED = 3;
const GRADUATED = 4;

/** Asserts a settlement paid exactly `creator`/`protocol` of base fees and `surcharge`. */
function assertPaid(s: { creatorAmount: bigint; protocolAmount: bigint; surcharge: bigint }, due: bigint, surcharge: bigint, shareBps?: bigint) {
  const split = feeSplit(due, shareBps);
  assert.deepEqual(
    { creator: s.creatorAmount, protocol: s.protocolAmount, surcharge: s.surcharge },
    { creator: split.creator, protocol: split.protocol, surcharge },
  );
}

/** Settling again right away finds nothing (whoever asks) and moves nothing. */
async function assertNothingLeft(f: Fixture, mt: Address, all: readonly Address[]) {
  for (const who of [f.attacker, f.issuer]) {
    await f.expectRevert(() => f.lp(who).write.settleFees([mt]), f.launchpad, "LaunchpadNothingToWithdraw", [mt], all);
  }
}

describe("settleFees: who, how much, how often", () => {
  it("anyone may call it: the creator, the treasury, the admin or a stranger; the payees never change", async () => {
    const f = await fresh();
    const { mt } = await f.launch();
    await f.wait(SNIPE_END);
    const treasuryWallet = f.wallets[7]!;
    assert.equal(treasuryWallet.account.address.toLowerCase(), f.treasury.toLowerCase());
    for (const [i, who] of [f.attacker, f.issuer, treasuryWallet, f.deployer, f.alice].entries()) {
      const gross = BigInt(i + 1) * 10_000n * FLOCK + 1n;
      const ev = eventOf(await f.buy(f.bob, mt, gross), "Bought");
      // 1.5% of the gross, rounded up; past the anti-snipe window there is no surcharge.
      assert.deepEqual([ev.baseFee, ev.surcharge], [divUp(gross * 150n, BPS), 0n]);
      // f.settle checks the creator got its share, the treasury the rest, and the caller (unless a payee) nothing.
      assertPaid(await f.settle(mt, who), ev.baseFee, 0n);
    }
    await assertNothingLeft(f, mt, [mt]);
  });

  // A template whose fee and creator share make the split round: 1.37% fee, 33.33% to the creator.
  const FEE_BPS = 137n;
  const SHARE_BPS = 3_333n;
  const oddTerms = fixtureAt(async (f) => {
    const base = defaultCatalog[0]!;
    const spec: TemplateSpec = {
      ...base,
      baseModelId: "fee-split",
      sale: { ...defaultSaleTerms, feeBps: Number(FEE_BPS), creatorFeeShareBps: Number(SHARE_BPS) },
    };
    const templateId = Number(await f.registry.read.templateCount());
    await f.mined(f.registry.write.addTemplate([spec.baseModelId, spec.hostingTier, spec.sale, spec.allocation, spec.pricing]));
    const { mt } = await f.launch({ templateId, ticker: "ODD" });
    await f.wait(SNIPE_END); // 99% - 1pt/min is at the 1.37% floor from minute 98 too
    return { mt };
  });

  it("a settlement pays only what accrued since the last one, the creator's share rounded down each time", async () => {
    const f = await oddTerms();
    const rounds = [
      [12_345n * FLOCK + 6_789n, FLOCK + 1n],
      [777n],
      [3n * FLOCK + 3n, 10_001n, 99_999n * FLOCK + 7n],
      [1_000n * FLOCK],
    ];
    const callers = [f.attacker, f.issuer, f.bob, f.deployer];
    let rounded = false;
    let creatorTotal = 0n;
    for (const [i, grosses] of rounds.entries()) {
      let due = 0n;
      for (const gross of grosses) {
        const ev = eventOf(await f.buy(f.alice, f.mt, gross), "Bought");
        const base = divUp(gross * FEE_BPS, BPS);
        assert.deepEqual([ev.baseFee, ev.surcharge], [base, 0n], `base fee of ${gross}`);
        due += base;
      }
      const s = await f.settle(f.mt, callers[i]!);
      assertPaid(s, due, 0n, SHARE_BPS);
      rounded ||= (due * SHARE_BPS) % BPS !== 0n;
      creatorTotal += s.creatorAmount;
      await assertNothingLeft(f, f.mt, [f.mt]);
    }
    assert.ok(rounded, "at least one settlement had a fractional creator share to round down");
    const t = await f.feeTotals(f.mt);
    assert.equal(t.creatorPaid, creatorTotal);
    assert.equal(t.creatorPaid + t.protocolPaid, t.baseFees);
  });

  it("over a raise that graduates, settlements in between pay out Σ baseFee exactly; FLOCK is conserved", async () => {
    const f = await fresh();
    const { mt, opensAt } = await f.launch({ firstBuy: 50_000n * FLOCK + 9n });
    const callers = [f.attacker, f.issuer, f.alice, f.deployer];
    let k = 0;
    const settleNow = () => f.settle(mt, callers[k++ % callers.length]!);
    await f.nextAt(opensAt + 20n);
    await f.buy(f.alice, mt, 1_234n * FLOCK + 1n); // 99% anti-snipe fee
    await settleNow();
    await f.nextAt(opensAt + 30n * MINUTE + 7n);
    await f.buy(f.bob, mt, 20_000n * FLOCK + 3n); // 69%
    await f.buy(f.carol, mt, 777n * FLOCK);
    await settleNow();
    await f.wait(SNIPE_END);
    await f.buy(f.carol, mt, 333_333n * FLOCK + 1n);
    await settleNow();
    const { receipt } = await f.fillToMax(mt);
    assert.equal(await f.launchpad.read.stateOf([mt]), GRADUATED);
    await settleNow();
    await assertNothingLeft(f, mt, [mt]);

    const t = await f.feeTotals(mt);
    assert.equal(t.settlements, 4);
    assert.ok(t.surcharges > 0n, "the early buys paid a surcharge");
    assert.equal(t.creatorPaid + t.protocolPaid, t.baseFees, "creator + protocol = Σ baseFee of Bought events");
    assert.equal(t.surchargePaid, 0n, "a graduated raise's surcharge is never the treasury's");
    // Each settlement rounds the creator's half down: at most a wei per settlement below half of all base fees.
    const half = t.baseFees / 2n;
    assert.ok(t.creatorPaid <= half && half - t.creatorPaid < BigInt(t.settlements), "creator's cumulative half");

    const r = eventOf(receipt, "Graduated").result;
    assert.equal(r.raised, t.net);
    assert.equal(r.flockToIncentives, (r.raised * 2_000n) / BPS + t.surcharges, "the surcharge funds incentives");
    // Every FLOCK the buys took is in the pool, the hosting reserve, the incentives, or paid as fees.
    assert.equal(t.taken, r.flockToPool + r.flockToHosting + r.flockToIncentives + t.creatorPaid + t.protocolPaid);
    assert.equal(await f.flockOf(f.d.contracts.launchpad), 0n, "escrow empty");
  });

  it("over a raise that fails, fees are never refunded: refunds + creator + protocol + surcharge = all FLOCK taken", async () => {
    const f = await fresh();
    const { mt, opensAt, closesAt } = await f.launch();
    await f.nextAt(opensAt + 10n);
    const first = eventOf(await f.buy(f.alice, mt, 2_000n * FLOCK + 1n), "Bought"); // 99%: mostly surcharge
    assert.ok(first.surcharge > 0n);
    assertPaid(await f.settle(mt, f.bob), first.baseFee, 0n); // the surcharge is not paid while raising
    await f.wait(SNIPE_END);
    await f.buy(f.bob, mt, 50_000n * FLOCK + 7n);
    await f.buy(f.carol, mt, 12_345n);
    await f.time.increaseTo(closesAt);
    assert.equal(await f.launchpad.read.stateOf([mt]), FAILED);
    const before = await f.feeTotals(mt);
    const last = await f.settle(mt, f.attacker);
    assertPaid(last, before.baseFees - first.baseFee, before.surcharges);
    await assertNothingLeft(f, mt, [mt]);
    for (const w of [f.alice, f.bob, f.carol]) await f.mined(f.lp(f.attacker).write.refund([mt, w.account.address]));

    const t = await f.feeTotals(mt);
    assert.equal(t.refunded, t.net, "refunds return exactly the net FLOCK");
    assert.equal(t.creatorPaid + t.protocolPaid, t.baseFees);
    assert.equal(t.surchargePaid, t.surcharges);
    assert.equal(t.taken, t.refunded + t.creatorPaid + t.protocolPaid + t.surchargePaid);
    assert.equal((await f.launchpad.read.offering([mt])).raised, t.net, "raised stays as the record");
    assert.equal(await f.flockOf(f.d.contracts.launchpad), 0n, "escrow empty");
  });
});

describe("settleFees in every state", () => {
  /**
   * One offering per state, each with a first-minute buy (so a surcharge is escrowed) and a later
   * one: FAIL (closed under raiseMin), SUCC (closed over it), GRAD (filled), RAISE (open). Nothing settled yet.
   */
  const world = fixtureAt(async (f: Fixture) => {
    const early = async (ticker: string) => {
      const { mt } = await f.launch({ ticker });
      await f.buy(f.alice, mt, 1_000n * FLOCK); // one second after opening: 99%
      return mt;
    };
    const fail = await early("FAIL");
    const succ = await early("SUCC");
    const grad = await early("GRAD");
    await f.wait(SNIPE_END);
    await f.buy(f.bob, fail, 10_000n * FLOCK);
    await f.buy(f.bob, succ, 300_000n * FLOCK);
    await f.fillToMax(grad, [f.bob]);
    await f.wait(7n * DAY);
    const raise = await early("RAISE");
    await f.wait(SNIPE_END);
    await f.buy(f.bob, raise, 10_000n * FLOCK);
    const mts = { fail, succ, grad, raise };
    assert.deepEqual(
      await Promise.all(Object.values(mts).map((mt) => f.launchpad.read.stateOf([mt]))),
      [FAILED, SUCCEEDED, GRADUATED, RAISING],
    );
    return { ...mts, all: Object.values(mts) };
  });

  /** Settles `mt` (nothing settled before) and checks it paid Σ baseFee split, and the surcharge iff `failed`. */
  async function settleAll(f: Fixture, mt: Address, failed: boolean) {
    const t = await f.feeTotals(mt);
    assert.ok(t.surcharges > 0n, "a surcharge was charged");
    const s = await f.settle(mt, f.attacker);
    assertPaid(s, t.baseFees, failed ? t.surcharges : 0n);
    return { s, t };
  }

  it("Raising: pays the base fees, keeps the surcharge escrowed; later buys settle separately", async () => {
    const f = await world();
    const { t } = await settleAll(f, f.raise, false);
    assert.equal((await f.launchpad.read.offering([f.raise])).surcharge, t.surcharges);
    assert.equal(await f.flockOf(f.d.contracts.launchpad), await f.escrowOwed(f.all));
    const ev = eventOf(await f.buy(f.carol, f.raise, 4_321n * FLOCK + 1n), "Bought");
    assertPaid(await f.settle(f.raise, f.carol), ev.baseFee, 0n);
    await assertNothingLeft(f, f.raise, f.all);
  });

  it("Succeeded: pays the base fees; the surcharge stays and funds incentives at graduation", async () => {
    const f = await world();
    const { t } = await settleAll(f, f.succ, false);
    await assertNothingLeft(f, f.succ, f.all);
    const { r } = await checkGraduation(f, f.succ, () => f.mined(f.lp(f.carol).write.graduate([f.succ])), {
      raised: t.net,
      allMts: f.all,
    });
    assert.equal(r.flockToIncentives, (t.net * 2_000n) / BPS + t.surcharges);
    await assertNothingLeft(f, f.succ, f.all);
  });

  it("Failed: pays the base fees to creator and treasury and the surcharge to the treasury; refunds stay whole", async () => {
    const f = await world();
    await settleAll(f, f.fail, true);
    await assertNothingLeft(f, f.fail, f.all);
    assert.equal(await f.flockOf(f.d.contracts.launchpad), await f.escrowOwed(f.all));
    for (const w of [f.alice, f.bob]) {
      const a = w.account.address;
      const owed = (await f.launchpad.read.positionOf([f.fail, a])).flock;
      const before = await f.flockOf(a);
      await f.mined(f.lp(w).write.refund([f.fail, a]));
      assert.equal(await f.flockOf(a), before + owed);
    }
    assert.equal(await f.openFlock(f.fail), 0n);
    assert.equal(await f.flockOf(f.d.contracts.launchpad), await f.escrowOwed(f.all));
  });

  it("Graduated: pays the base fees; the surcharge already went to incentives", async () => {
    const f = await world();
    const { t } = await settleAll(f, f.grad, false);
    assert.equal((await f.launchpad.read.offering([f.grad])).surcharge, 0n);
    assert.equal((await f.incentivePool.read.stream([f.grad])).flockTotal, (t.net * 2_000n) / BPS + t.surcharges);
    await assertNothingLeft(f, f.grad, f.all);
    assert.equal(await f.flockOf(f.d.contracts.launchpad), await f.escrowOwed(f.all));
  });
});
