// The SDK's pure launchpad helpers: slippage, the offering's state and fee at a given time, and the
// local quote's refusals. (Its equality with the contract is property-tested on a chain in
// contracts/test/nodejs/sdk.test.ts.)
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BPS,
  FLOCK,
  FomoRejection,
  State,
  TOTAL_SUPPLY,
  calibrate,
  defaultAllocation,
  defaultSaleTerms,
  feeBpsOf,
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
});

describe("quoteBuyLocal", () => {
  it("applies the fee of the quoted time to the snapshot's curve", () => {
    const o = snapshot();
    const q = quoteBuyLocal(o, 1_000n * FLOCK, at(30 * 60));
    assert.equal(q.feeBps, BigInt(sale.snipeFeeBps - 30 * sale.snipeDecayBpsPerMinute));
    assert.equal(q.mtOut, sold(o, o.raised + q.net) - sold(o, o.raised));
    assert.deepEqual(quoteBuyLocal(o, 1_000n * FLOCK, at(86_400)), quoteBuy(o, 1_000n * FLOCK, sale.feeBps));
  });

  it("refuses like the contract: WrongState once the window closed, before looking at the amount", () => {
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
      assert.deepEqual(revertOf(err), { errorName: "WrongState", args: [MT_ADDRESS, state] });
    }
    assert.throws(() => quoteBuyLocal(snapshot({ state: State.Graduated }), FLOCK, at(0)), FomoRejection);
    assert.throws(
      () => quoteBuyLocal(snapshot({ state: State.None }), FLOCK, at(0)),
      (e: unknown) => revertOf(e)?.errorName === "UnknownOffering",
    );
  });

  it("refuses a zero amount with ZeroAmount", () => {
    assert.throws(
      () => quoteBuyLocal(snapshot(), 0n, at(0)),
      (e: unknown) => revertOf(e)?.errorName === "ZeroAmount",
    );
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
  });

  it("refuses zero", () => {
    assert.throws(() => quoteFirstBuy(terms, 0n), FomoRejection);
  });
});
