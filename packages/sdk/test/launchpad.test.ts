// The SDK's pure launchpad helpers: slippage, the offering's state and fee at a given time, and the
// local quote's refusals. (Its equality with the contract is property-tested on a chain in
// contracts/test/nodejs/sdk.test.ts.)
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BPS,
  FIRST_BUY_VESTING,
  FLOCK,
  FomoRejection,
  MT,
  State,
  TOTAL_SUPPLY,
  calibrate,
  claimableAt,
  defaultAllocation,
  defaultSaleTerms,
  BuyFeeTooHigh,
  feeBpsOf,
  feeFallsAt,
  firstBuyCap,
  lockedFirstBuy,
  quoteBuy,
  quoteBuyLocal,
  quoteFirstBuy,
  revertOf,
  sold,
  stateAt,
  stateName,
  withSlippage,
  type OfferingSnapshot,
  type Terms,
} from "../src/index.ts";

const sale = defaultSaleTerms;
const curve = calibrate((TOTAL_SUPPLY * BigInt(defaultAllocation.saleBps)) / BPS, sale.raiseMax, BigInt(sale.priceRatioBps));
const OPENS = 1_800_000_000;
const MT_ADDRESS = "0x00000000000000000000000000000000000000aa";

const snapshot = (o: Partial<OfferingSnapshot> = {}): OfferingSnapshot => ({
  mt: MT_ADDRESS,
  ...curve,
  state: State.Raising,
  opensAt: OPENS,
  closesAt: OPENS + sale.duration,
  raised: 300_000n * FLOCK,
  raiseMin: sale.raiseMin,
  raiseMax: sale.raiseMax,
  feeBps: sale.feeBps,
  snipeFeeBps: sale.snipeFeeBps,
  snipeDecayBpsPerMinute: sale.snipeDecayBpsPerMinute,
  pausedSeconds: 0,
  paused: false,
  ...o,
});
const at = (seconds: number) => BigInt(OPENS + seconds);

describe("withSlippage", () => {
  it("takes off the tolerance, rounding down", () => {
    assert.equal(withSlippage(10_000n, 0), 10_000n);
    assert.equal(withSlippage(10_000n, 50), 9_950n);
    assert.equal(withSlippage(10_000n, 10_000), 0n);
    assert.equal(withSlippage(199n, 50), 198n); // 198.005 -> 198
    assert.equal(withSlippage(1n, 1), 0n);
  });
  it("refuses a tolerance outside [0, 10000] bps or not an integer", () => {
    for (const bad of [-1, 10_001, 1.5, Number.NaN]) assert.throws(() => withSlippage(1n, bad), RangeError);
  });
});

describe("stateAt", () => {
  it("closes the window at closesAt, into Succeeded or Failed by raiseMin", () => {
    const o = snapshot();
    assert.equal(stateAt(o, BigInt(o.closesAt) - 1n), State.Raising);
    assert.equal(stateAt(o, BigInt(o.closesAt)), State.Succeeded);
    assert.equal(stateAt(snapshot({ raised: sale.raiseMin }), BigInt(o.closesAt)), State.Succeeded);
    assert.equal(stateAt(snapshot({ raised: sale.raiseMin - 1n }), BigInt(o.closesAt)), State.Failed);
  });
  it("while the Launchpad is paused, a raise stays Raising: its close moves with the clock", () => {
    const o = snapshot({ paused: true, pausedSeconds: 3_600 });
    assert.equal(stateAt(o, BigInt(o.closesAt) + 86_400n), State.Raising);
    assert.equal(stateAt({ ...o, paused: false }, BigInt(o.closesAt)), State.Succeeded);
  });
  it("keeps terminal states whatever the time", () => {
    for (const s of [State.None, State.Graduated, State.Failed, State.Succeeded]) {
      assert.equal(stateAt(snapshot({ state: s }), at(0)), s);
    }
  });
  it("names states", () => {
    assert.deepEqual([0, 1, 2, 3, 4].map(stateName), ["None", "Raising", "Succeeded", "Failed", "Graduated"]);
    assert.equal(stateName(9), "Unknown(9)");
  });
});

describe("feeBpsOf", () => {
  it("counts whole minutes from the opening", () => {
    const o = snapshot();
    assert.equal(feeBpsOf(o, at(0)), sale.snipeFeeBps);
    assert.equal(feeBpsOf(o, at(59)), sale.snipeFeeBps);
    assert.equal(feeBpsOf(o, at(60)), sale.snipeFeeBps - sale.snipeDecayBpsPerMinute);
    assert.equal(feeBpsOf(o, at(3 * 86_400)), sale.feeBps);
  });
  it("refuses a time before the opening", () => {
    assert.throws(() => feeBpsOf(snapshot(), at(-1)), RangeError);
  });
  it("decays with the raise's clock: paused seconds do not count", () => {
    const o = snapshot({ pausedSeconds: 2 * 3_600 });
    assert.equal(feeBpsOf(o, at(2 * 3_600 + 10 * 60)), sale.snipeFeeBps - 10 * sale.snipeDecayBpsPerMinute);
    assert.equal(feeBpsOf(o, at(2 * 3_600 + 59)), sale.snipeFeeBps);
  });
  it("refuses while paused, like buy (EnforcedPause)", () => {
    assert.throws(() => feeBpsOf(snapshot({ paused: true }), at(600)), (e: unknown) => revertOf(e)?.errorName === "EnforcedPause");
  });
});

describe("feeFallsAt", () => {
  it("is the first second at which feeBpsOf is at most the fee asked, for every fee from the base to the snipe fee", () => {
    for (const o of [snapshot(), snapshot({ pausedSeconds: 5_000 }), snapshot({ snipeDecayBpsPerMinute: 7, snipeFeeBps: 5_003 })]) {
      for (let fee = o.feeBps; fee <= o.snipeFeeBps; fee += 37) {
        const t = feeFallsAt(o, fee);
        assert.ok(feeBpsOf(o, t) <= fee, `fee ${fee}: ${feeBpsOf(o, t)} at ${t}`);
        if (t > BigInt(o.opensAt + o.pausedSeconds)) assert.ok(feeBpsOf(o, t - 1n) > fee, `fee ${fee}: already ${feeBpsOf(o, t - 1n)} at ${t - 1n}`);
      }
    }
  });
  it("never goes below the base fee: asking for less gives the base fee's time", () => {
    const o = snapshot();
    assert.equal(feeFallsAt(o, 0), feeFallsAt(o, o.feeBps));
    assert.equal(feeBpsOf(o, feeFallsAt(o, 0)), o.feeBps);
    assert.equal(feeFallsAt(snapshot({ snipeFeeBps: sale.feeBps }), sale.feeBps), BigInt(OPENS));
  });
});

describe("BuyFeeTooHigh", () => {
  it("says the fee now, its parts, and when it falls to what is accepted and to the base fee", () => {
    const e = new BuyFeeTooHigh({ feeBps: 9_850, maxFeeBps: 250, baseFeeBps: 150, acceptableAt: 1_800_005_760n, baseFeeAt: 1_800_005_820n });
    assert.equal(
      e.message,
      "The fee on this buy is now 98.50% (1.50% base fee + 97.00% anti-snipe surcharge), above the 2.50% accepted (maxFeeBps 250). " +
        "It is at most 2.50% from 2027-01-15T09:36:00Z (unix 1800005760) and falls to the base fee of 1.50% at 2027-01-15T09:37:00Z (unix 1800005820): " +
        "wait until then, or raise maxFeeBps to pay the surcharge.",
    );
    const below = new BuyFeeTooHigh({ feeBps: 150, maxFeeBps: 100, baseFeeBps: 150, acceptableAt: 1_800_005_820n, baseFeeAt: 1_800_005_820n });
    assert.match(below.message, /maxFeeBps must be at least 150\.$/);
  });
});

describe("quoteBuyLocal", () => {
  it("applies the fee of the quoted time to the snapshot's curve", () => {
    const o = snapshot();
    const q = quoteBuyLocal(o, 1_000n * FLOCK, at(30 * 60));
    assert.equal(q.feeBps, BigInt(sale.snipeFeeBps - 30 * sale.snipeDecayBpsPerMinute));
    assert.equal(q.mtOut, sold(o, o.raised + q.net) - sold(o, o.raised));
    assert.deepEqual(quoteBuyLocal(o, 1_000n * FLOCK, at(86_400)), quoteBuy(o, 1_000n * FLOCK, sale.feeBps));
  });

  it("refuses like the contract: LaunchpadWrongState once the window closed, before looking at the amount", () => {
    const closed = BigInt(snapshot().closesAt);
    for (const [raised, state] of [
      [sale.raiseMin, State.Succeeded],
      [1n, State.Failed],
    ] as const) {
      const err = (() => {
        try {
          quoteBuyLocal(snapshot({ raised }), 0n, closed);
        } catch (e) {
          return e;
        }
      })();
      assert.ok(err instanceof FomoRejection);
      assert.deepEqual(revertOf(err), { errorName: "LaunchpadWrongState", args: [MT_ADDRESS, state] });
    }
    assert.throws(() => quoteBuyLocal(snapshot({ state: State.Graduated }), FLOCK, at(0)), FomoRejection);
    assert.throws(
      () => quoteBuyLocal(snapshot({ state: State.None }), FLOCK, at(0)),
      (e: unknown) => revertOf(e)?.errorName === "LaunchpadUnknownOffering",
    );
  });

  it("refuses a zero amount with LaunchpadZeroAmount", () => {
    assert.throws(
      () => quoteBuyLocal(snapshot(), 0n, at(0)),
      (e: unknown) => revertOf(e)?.errorName === "LaunchpadZeroAmount",
    );
  });
});

describe("the raise closes on dust", () => {
  // The review's terms: 750,000 FLOCK raiseMax on a 10x curve leave a 5-wei room that sells no $MT.
  const dust = calibrate((TOTAL_SUPPLY * BigInt(defaultAllocation.saleBps)) / BPS, 750_000n * FLOCK, 100_000n);
  const state = { ...dust, raiseMax: 750_000n * FLOCK, feeBps: 0 };
  it("a buy leaving a room whose fill sells nothing graduates; one leaving a room with $MT does not", () => {
    const all = sold(state, state.raiseMax);
    assert.equal(sold(state, state.raiseMax - 5n), all);
    assert.ok(sold(state, state.raiseMax - 6n) < all);
    const intoDust = quoteBuy({ ...state, raised: 0n }, state.raiseMax - 3n, 0);
    assert.deepEqual([intoDust.graduates, intoDust.raisedAfter, intoDust.mtOut], [true, state.raiseMax - 3n, all]);
    assert.equal(quoteBuy({ ...state, raised: 0n }, state.raiseMax - 6n, 0).graduates, false);
  });
});

describe("first-buy vesting", () => {
  const firstBuyMt = 98_746_867_167_919_799_498_746n;
  const graduatedAt = 1_900_000_000;
  const t = (s: bigint) => BigInt(graduatedAt) + s;
  it("locks all of it until graduation, then releases linearly over 90 days, the locked part rounded up", () => {
    assert.equal(lockedFirstBuy(firstBuyMt, 0, t(10n ** 9n)), firstBuyMt);
    assert.equal(lockedFirstBuy(firstBuyMt, graduatedAt, t(0n)), firstBuyMt);
    assert.equal(lockedFirstBuy(firstBuyMt, graduatedAt, t(FIRST_BUY_VESTING / 2n)), (firstBuyMt + 1n) / 2n);
    const third = lockedFirstBuy(firstBuyMt, graduatedAt, t(FIRST_BUY_VESTING / 3n));
    assert.ok(third * 3n >= firstBuyMt * 2n && (third - 1n) * 3n < firstBuyMt * 2n, "ceil(2/3)");
    assert.equal(lockedFirstBuy(firstBuyMt, graduatedAt, t(FIRST_BUY_VESTING)), 0n);
    assert.equal(lockedFirstBuy(0n, graduatedAt, t(0n)), 0n);
  });
  it("claimableAt: other buys at once, nothing before graduation", () => {
    const pos = { mt: firstBuyMt + 5n * FLOCK, firstBuyMt };
    assert.deepEqual(claimableAt(pos, 0, t(0n)), { claimable: 0n, locked: firstBuyMt });
    assert.deepEqual(claimableAt(pos, graduatedAt, t(0n)), { claimable: 5n * FLOCK, locked: firstBuyMt });
    assert.deepEqual(claimableAt(pos, graduatedAt, t(FIRST_BUY_VESTING)), { claimable: pos.mt, locked: 0n });
  });
});

describe("quoteFirstBuy", () => {
  const terms = {
    templateId: 0,
    curve,
    sale,
  } as unknown as Terms; // only curve and sale are read

  it("buys at the start of the curve at the base fee, without the anti-snipe surcharge", () => {
    const q = quoteFirstBuy(terms, 100_000n * FLOCK);
    assert.equal(q.feeBps, BigInt(sale.feeBps));
    assert.equal(q.surcharge, 0n);
    assert.equal(q.raisedAfter, q.net);
    assert.equal(q.mtOut, sold(curve, q.net));
    assert.equal(q.vestingSeconds, 90n * 86_400n);
  });

  it("refuses zero", () => {
    assert.throws(() => quoteFirstBuy(terms, 0n), FomoRejection);
  });
});

describe("firstBuyCap", () => {
  it("is the cap Launchpad.launch checks: 25% of the supply on the default terms, TOTAL_SUPPLY·bps/10^4 on others", () => {
    assert.equal(firstBuyCap(defaultSaleTerms), 250_000n * MT);
    assert.equal(firstBuyCap({ firstBuyCapBps: 1 }), 100n * MT);
    assert.equal(firstBuyCap({ firstBuyCapBps: 0 }), 0n);
  });
});
