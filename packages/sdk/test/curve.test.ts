// Unit tests of the bigint curve math (curve.ts). Expected values come from the spec (product.md §3.2:
// r = 9, M = 1,000,000 FLOCK, S = 400,000 $MT -> Y0 = 600,000, X0 = 500,000, price 5/6 -> 7.5)
// or from the algebra of the curve, never from a previous run.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BPS,
  FLOCK,
  MT,
  TOTAL_SUPPLY,
  calibrate,
  defaultAllocation,
  defaultSaleTerms,
  feeBpsAt,
  mulDiv,
  price,
  quoteBuy,
  sold,
  splitFees,
  sqrt,
  type CurveState,
} from "../src/index.ts";

const SALE = (TOTAL_SUPPLY * BigInt(defaultAllocation.saleBps)) / BPS;
const { raiseMax: M, feeBps, creatorFeeShareBps, snipeFeeBps, snipeDecayBpsPerMinute } = defaultSaleTerms;
const CURVE = calibrate(SALE, M, BigInt(defaultSaleTerms.priceRatioBps));
const ONE = 10n ** 18n;

const state = (raised: bigint, overrides: Partial<CurveState> = {}): CurveState => ({
  ...CURVE,
  raiseMax: M,
  feeBps,
  raised,
  ...overrides,
});

/** Curve parameter sets, including non-square ratios and small/large raises. */
const GRID = [
  { sale: SALE, raiseMax: M, ratio: 90_000n },
  { sale: SALE, raiseMax: M, ratio: 10_100n },
  { sale: SALE, raiseMax: M, ratio: 20_000n },
  { sale: SALE, raiseMax: M, ratio: 1_000_000n },
  { sale: SALE, raiseMax: 1n * FLOCK, ratio: 90_000n },
  { sale: SALE, raiseMax: 1_000_000_000n * FLOCK, ratio: 12_345n },
  { sale: 123_456_789n * 10n ** 12n, raiseMax: 777_777n * FLOCK + 7n, ratio: 31_337n },
  { sale: 10n * MT, raiseMax: 3n * FLOCK, ratio: 50_000n },
];

describe("calibrate", () => {
  it("gives the spec's reserves for the default terms: X0 = 500,000, Y0 = 600,000", () => {
    assert.equal(SALE, 400_000n * MT);
    assert.equal(CURVE.virtualFlock, 500_000n * FLOCK);
    assert.equal(CURVE.virtualMt, 600_000n * MT);
  });

  it("sells exactly the sale tranche at raiseMax for the defaults", () => {
    assert.equal(sold(CURVE, M), SALE);
  });

  it("never sells more than the tranche at raiseMax, and at most a few wei less", () => {
    for (const g of GRID) {
      const c = calibrate(g.sale, g.raiseMax, g.ratio);
      const s = sold(c, g.raiseMax);
      assert.ok(s <= g.sale, `sold(M) ${s} > S ${g.sale} for ${JSON.stringify(g, (_, v) => String(v))}`);
      // X0 rounds up by e < 1 wei, which leaves X0·Y0/(X0+M) above Y0 - S by e·S/(X0+M) < S/(X0+M);
      // the ceil in sold() adds < 1 more. So S - sold(M) <= ceil(S/(X0+M)) + 1.
      const bound = mulDiv(g.sale, 1n, c.virtualFlock + g.raiseMax, true) + 1n;
      assert.ok(g.sale - s <= bound, `S - sold(M) = ${g.sale - s} > ${bound}`);
    }
  });

  it("ends the price r times where it started", () => {
    // Defaults: start X0/Y0 = 5/6 FLOCK, end (X0+M)^2/(X0·Y0) = 7.5 FLOCK, ratio exactly 9.
    assert.equal(price(CURVE, 0n), (5n * ONE) / 6n);
    assert.equal(price(CURVE, M), 75n * ONE / 10n);
    for (const g of GRID) {
      const c = calibrate(g.sale, g.raiseMax, g.ratio);
      const start = price(c, 0n);
      const end = price(c, g.raiseMax);
      // With exact X0/Y0 the prices' ratio is ((X0+M)/X0)^2 = r up to a relative error ε of order
      // 1e-18 (√r is floored to 18 decimals; X0, Y0 to the wei). Each price then floors by < 1 wei:
      // |end·10^4 - r_bps·start| <= r_bps·start·|ε| + 10^4 + r_bps. Allow |ε| up to 1e-15.
      const bound = (g.ratio * start) / 10n ** 15n + BPS + g.ratio;
      const diff = end * BPS - g.ratio * start;
      const abs = diff < 0n ? -diff : diff;
      assert.ok(abs <= bound, `ratio off by ${abs} > ${bound} (${end}/${start} vs ${g.ratio}/1e4)`);
    }
  });
});

describe("sold and price", () => {
  it("start at zero, rise monotonically, and never give more than the constant product allows", () => {
    let prevSold = -1n;
    let prevPrice = -1n;
    for (let i = 0n; i <= 40n; i++) {
      const f = (M * i) / 40n + i; // off the round numbers a little
      const s = sold(CURVE, f);
      const p = price(CURVE, f);
      if (i === 0n) assert.equal(s, 0n);
      assert.ok(s > prevSold && p > prevPrice);
      // Rounding favours the curve: (X0 + f)(Y0 - s) >= X0·Y0.
      assert.ok((CURVE.virtualFlock + f) * (CURVE.virtualMt - s) >= CURVE.virtualFlock * CURVE.virtualMt);
      // ...by less than one $MT wei's worth: selling one wei more would break it.
      assert.ok((CURVE.virtualFlock + f) * (CURVE.virtualMt - s - 1n) < CURVE.virtualFlock * CURVE.virtualMt);
      prevSold = s;
      prevPrice = p;
    }
  });
});

describe("fees", () => {
  const s = state(123_456n * FLOCK);

  it("round up on the gross amount", () => {
    const cases: [bigint, number, bigint][] = [
      [1n, 150, 1n], // 0.015 wei -> 1
      [10_000n, 150, 150n], // exact
      [10_001n, 150, 151n], // 150.015 -> 151
      [66_667n, 150, 1_001n], // 1000.005 -> 1001
      [1_000n * FLOCK, 150, 15n * FLOCK], // exact
      [1_000n * FLOCK + 1n, 9_900, 990n * FLOCK + 1n], // 9.9e20 + 0.99 -> +1
    ];
    for (const [flockIn, bps, fee] of cases) {
      const q = quoteBuy(s, flockIn, bps);
      assert.equal(q.flockIn - q.net, fee, `fee of ${flockIn} at ${bps} bps`);
      assert.equal(q.fee, fee);
      assert.equal(q.baseFee + q.surcharge, fee);
    }
  });

  it("takes the base fee first and leaves the rest as surcharge; the creator's share rounds down at settlement", () => {
    for (const flockIn of [1n, 3n, 999n, 10_001n, 7n * FLOCK + 13n, 250_000n * FLOCK]) {
      for (const bps of [feeBps, 2_000, snipeFeeBps]) {
        const q = quoteBuy(s, flockIn, bps);
        const total = q.flockIn - q.net;
        const base = [mulDiv(q.flockIn, BigInt(feeBps), BPS, true), total].reduce((a, b) => (a < b ? a : b));
        assert.equal(q.baseFee, base);
        assert.equal(q.surcharge, total - base);
        assert.equal(q.feeBps, BigInt(bps));
        assert.equal(q.flockIn, q.net + q.baseFee + q.surcharge);
        const split = splitFees(q.baseFee, creatorFeeShareBps);
        assert.equal(split.creator, (base * BigInt(creatorFeeShareBps)) / BPS);
        assert.equal(split.creator + split.protocol, base);
      }
    }
  });

  it("one wei at the base fee buys nothing", () => {
    const q = quoteBuy(s, 1n, feeBps);
    assert.equal(q.net, 0n);
    assert.equal(q.mtOut, 0n);
  });

  it("rejects a non-positive amount", () => {
    assert.throws(() => quoteBuy(s, 0n, feeBps), RangeError);
    assert.throws(() => quoteBuy(s, -1n, feeBps), RangeError);
  });
});

describe("feeBpsAt", () => {
  it("follows the default anti-snipe schedule: 99%, minus 1 point per whole minute, floored at 1.5%", () => {
    for (let minute = 0; minute <= 120; minute++) {
      const expected = Math.max(feeBps, snipeFeeBps - snipeDecayBpsPerMinute * minute);
      for (const second of [0, 1, 59]) {
        const elapsed = BigInt(minute * 60 + second);
        assert.equal(feeBpsAt(feeBps, snipeFeeBps, snipeDecayBpsPerMinute, elapsed), expected, `at ${elapsed}s`);
      }
    }
    // Named points of the schedule.
    assert.equal(feeBpsAt(feeBps, snipeFeeBps, snipeDecayBpsPerMinute, 0n), 9_900);
    assert.equal(feeBpsAt(feeBps, snipeFeeBps, snipeDecayBpsPerMinute, 97n * 60n), 200);
    assert.equal(feeBpsAt(feeBps, snipeFeeBps, snipeDecayBpsPerMinute, 98n * 60n), feeBps);
    assert.equal(feeBpsAt(feeBps, snipeFeeBps, snipeDecayBpsPerMinute, 7n * 86_400n), feeBps);
  });

  it("never underflows when the decay overshoots the snipe fee", () => {
    assert.equal(feeBpsAt(150, 9_900, 5_000, 60n), 4_900);
    assert.equal(feeBpsAt(150, 9_900, 5_000, 120n), 150);
    assert.equal(feeBpsAt(150, 9_900, 9_900, 60n), 150);
    assert.equal(feeBpsAt(150, 150, 1, 0n), 150);
    assert.equal(feeBpsAt(0, 9_900, 100, 10n ** 30n), 0);
  });
});

describe("partial fill at raiseMax", () => {
  for (const [label, room] of [
    ["1 wei", 1n],
    ["a little", 12_345n * FLOCK + 678n],
    ["everything", M],
  ] as const) {
    for (const bps of [feeBps, 5_000, snipeFeeBps]) {
      it(`takes only what fills the raise (${label} left, ${bps} bps)`, () => {
        const s = state(M - room);
        const b = BigInt(bps);
        const offered = (2n * room * BPS) / (BPS - b) + 1n; // twice what filling the room costs
        const q = quoteBuy(s, offered, bps);
        assert.equal(q.net, room);
        assert.equal(q.raisedAfter, M);
        assert.equal(q.graduates, true);
        const fee = q.flockIn - q.net;
        // The fee is the least one that keeps the rate: fee·(1 - b) >= room·b, and one wei less would not.
        assert.ok(fee * (BPS - b) >= room * b);
        assert.ok((fee - 1n) * (BPS - b) < room * b);
        assert.equal(q.flockRefunded, offered - q.flockIn);
        assert.equal(q.mtOut, sold(s, M) - sold(s, M - room));
        assert.equal(q.priceAfter, price(s, M));
      });
    }
  }

  it("graduates exactly when the net reaches the room, and never takes more than offered", () => {
    const room = 54_321n * FLOCK + 9n;
    const s = state(M - room);
    for (const bps of [feeBps, 4_321, snipeFeeBps]) {
      const b = BigInt(bps);
      // The gross whose fee-on-net fills the room exactly.
      const exact = room + mulDiv(room, b, BPS - b, true);
      for (let d = -3n; d <= 3n; d++) {
        const offered = exact + d;
        const netIfPlain = offered - mulDiv(offered, b, BPS, true);
        const q = quoteBuy(s, offered, bps);
        assert.equal(q.graduates, netIfPlain >= room, `offered ${offered} at ${bps}`);
        assert.ok(q.flockRefunded >= 0n && q.flockIn <= offered);
        assert.ok(q.raisedAfter <= M);
      }
      assert.equal(quoteBuy(s, exact, bps).graduates, true);
      assert.equal(quoteBuy(s, exact, bps).flockRefunded, 0n);
    }
  });
});

describe("mulDiv", () => {
  const MAX = 2n ** 256n - 1n;
  it("rounds down by default and up on request, only when inexact", () => {
    assert.equal(mulDiv(7n, 3n, 2n), 10n);
    assert.equal(mulDiv(7n, 3n, 2n, true), 11n);
    assert.equal(mulDiv(6n, 3n, 2n, true), 9n);
    assert.equal(mulDiv(0n, 5n, 3n, true), 0n);
    assert.equal(mulDiv(5n, 0n, 3n), 0n);
  });
  it("keeps the full 512-bit product like OpenZeppelin's", () => {
    assert.equal(mulDiv(MAX, MAX, MAX), MAX);
    assert.equal(mulDiv(MAX, MAX - 1n, MAX), MAX - 1n);
    assert.equal(mulDiv(MAX, 2n, 4n), MAX / 2n);
    assert.equal(mulDiv(MAX, 2n, 4n, true), MAX / 2n + 1n);
  });
  it("refuses division by zero", () => {
    assert.throws(() => mulDiv(1n, 1n, 0n), RangeError);
  });
});

describe("sqrt", () => {
  it("floors small values", () => {
    const expected = [0n, 1n, 1n, 1n, 2n, 2n, 2n, 2n, 2n, 3n, 3n];
    expected.forEach((r, n) => assert.equal(sqrt(BigInt(n)), r, `sqrt(${n})`));
  });
  it("is exact on squares and one below around powers of two", () => {
    for (let bits = 1n; bits <= 128n; bits += 7n) {
      const r = 2n ** bits + 3n;
      assert.equal(sqrt(r * r), r);
      assert.equal(sqrt(r * r - 1n), r - 1n);
      assert.equal(sqrt(r * r + 2n * r), r); // (r+1)^2 - 1
    }
  });
  it("brackets uint256 max", () => {
    const n = 2n ** 256n - 1n;
    const r = sqrt(n);
    assert.ok(r * r <= n && (r + 1n) * (r + 1n) > n);
    assert.equal(r, 2n ** 128n - 1n);
  });
  it("gives 3e18 for the default ratio 9 at 36 decimals", () => {
    assert.equal(sqrt(9n * 10n ** 36n), 3n * 10n ** 18n);
  });
  it("rejects negatives", () => {
    assert.throws(() => sqrt(-1n), RangeError);
  });
});
