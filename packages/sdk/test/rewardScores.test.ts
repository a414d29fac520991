// The reward scores of docs/product.md §5.2 in integer math (rewardScores.ts): the document's
// worked example, the α-only and no-usage corners, the rounding of shares, and the gmFLOCK multiplier.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rng, runSeed } from "@fomo/testkit";
import {
  GM_HALF, GM_LAMBDA, gmBoost, REWARD_ALPHA as ALPHA, SCORE_ONE as ONE, rewardScoreOf, rewardScores as scores, shareOut, sqrt as isqrt,
} from "../src/index.ts";

describe("reward scores (product.md §5.2) in integer math", () => {
  it("match the document's worked example: usage 0.5, stake 0.1 → global 0.466, incentive 0.050", () => {
    const [u] = scores([
      { account: "0x0000000000000000000000000000000000000001", spend: 1n, stake: 1n },
      { account: "0x0000000000000000000000000000000000000002", spend: 1n, stake: 9n },
    ]);
    assert.equal(u!.usage, ONE / 2n);
    assert.equal(u!.stake, ONE / 10n);
    assert.equal(u!.incentive, ONE / 20n, "0.5 · 0.1 = 0.050");
    // 0.5·(0.9 + 0.1·√0.1) = 0.46581…: 0.466 at the document's three decimals.
    assert.equal((u!.global + ONE / 2_000n) / (ONE / 1_000n), 466n);
    assert.equal(ALPHA, (ONE * 9n) / 10n);
    // No stake: the α part only; staking without usage: nothing.
    const [noStake, noUse] = scores([
      { account: "0x0000000000000000000000000000000000000001", spend: 5n, stake: 0n },
      { account: "0x0000000000000000000000000000000000000002", spend: 0n, stake: 7n },
    ]);
    assert.equal(noStake!.global, ALPHA);
    assert.equal(noStake!.incentive, 0n);
    assert.deepEqual([noUse!.global, noUse!.incentive], [0n, 0n]);
    assert.equal(isqrt(ONE * ONE), ONE);
    assert.deepEqual(shareOut(100n, [1n, 1n, 1n]), [33n, 33n, 33n], "dust stays unallotted");
  });
});


// The gmFLOCK multiplier G = 1 + λ·g(gm), g = gm / (gm + GM_HALF), and the scores from given shares and
// G (rewardScoreOf), checked against exact rational bounds over seeded random shares (FOMO_SEED replays).
const SEED = runSeed(process.env.FOMO_SEED);

describe(`the gmFLOCK multiplier and the scores of given shares (seed ${SEED})`, () => {
  it("reproduce the document's worked example exactly, G given directly", () => {
    // √0.1 = 0.31622776601683793319988935…, so 0.5·(0.9 + 0.1·√0.1) = 0.46581138830084189665999…
    const atDocumentedStake = rewardScoreOf({ usage: ONE / 2n, stake: ONE / 10n, boost: ONE });
    assert.equal(atDocumentedStake.global, 465_811_388_300_841_896n, "the exact value rounded down to 1e-18");
    assert.equal(atDocumentedStake.incentive, ONE / 20n, "0.050");
    // usage 0.5, no stake, G 1.51 → 0.5 · 0.9 · 1.51 = 0.6795 exactly: 0.680 at three decimals.
    const boosted = rewardScoreOf({ usage: ONE / 2n, stake: 0n, boost: (151n * ONE) / 100n });
    assert.equal(boosted.global, (6_795n * ONE) / 10_000n);
    assert.equal((boosted.global + ONE / 2_000n) / (ONE / 1_000n), 680n);
    assert.equal(boosted.incentive, 0n);
    assert.throws(() => rewardScoreOf({ usage: ONE + 1n, stake: 0n, boost: ONE }), RangeError);
    assert.throws(() => rewardScoreOf({ usage: ONE, stake: 0n, boost: ONE - 1n }), RangeError, "G is never below 1");
  });

  it("G is 1 without gmFLOCK, 1 + λ/2 at GM_HALF, grows with gm and stays below 1 + λ", () => {
    assert.equal(GM_LAMBDA, (6n * ONE) / 10n, "λ = 0.6");
    assert.equal(GM_HALF, 10_000n * 10n ** 18n, "10,000 gmFLOCK");
    assert.equal(gmBoost(0n), ONE);
    assert.equal(gmBoost(GM_HALF), ONE + (3n * ONE) / 10n, "g(GM_HALF) = ½ → G = 1.3");
    assert.equal(gmBoost(3n * GM_HALF), ONE + (45n * ONE) / 100n, "g = ¾ → G = 1.45");
    assert.throws(() => gmBoost(-1n), RangeError);
    const r = rng(SEED);
    let previous = ONE;
    let gm = 0n;
    for (let i = 0; i < 200; i++) {
      gm += r.digits(26);
      const G = gmBoost(gm);
      assert.ok(G >= previous && G < ONE + GM_LAMBDA, `G(${gm}) = ${G}`);
      // Exact: G* = 1 + λ·gm/(gm + GM_HALF) in units of 1e-18; G ≤ G* < G + 2 (two floors, each < 1).
      const num = ONE * (gm + GM_HALF) + GM_LAMBDA * gm; // G* = num / (gm + GM_HALF)
      assert.ok(G * (gm + GM_HALF) <= num && num < (G + 2n) * (gm + GM_HALF));
      previous = G;
    }
    // rewardScores uses it: the same user with gmFLOCK scores G times higher.
    const [plain, withGm] = [0n, GM_HALF].map((gm) => scores([{ account: "0x0000000000000000000000000000000000000001", spend: 1n, stake: 0n, gm }])[0]!);
    assert.equal(plain!.boost, ONE);
    assert.equal(withGm!.boost, ONE + (3n * ONE) / 10n);
    assert.equal(withGm!.global, (ALPHA * 13n) / 10n);
  });

  it("each score is at most its exact value for the shares and G, and less than 3e-18 below it", () => {
    const r = rng(SEED + 1);
    const share = () => (r.chance(0.1) ? [0n, 1n, ONE][r.int(0, 2)]! : r.chance(0.5) ? r.big(0n, ONE) : r.digits(18) % (ONE + 1n));
    for (let i = 0; i < 2_000; i++) {
      const usage = share();
      const stake = share();
      const boost = ONE + (r.chance(0.2) ? 0n : r.big(0n, GM_LAMBDA - 1n));
      const { global, incentive } = rewardScoreOf({ usage, stake, boost });
      const at = `usage ${usage}, stake ${stake}, G ${boost}`;
      // global·1e-18 vs V = u·(α + (1 − α)·√s)·G: compare A ≤ B·√(s·1e18) by squares (B ≥ 0).
      const B = usage * boost * (ONE - ALPHA);
      const side = (g: bigint) => g * ONE ** 3n - usage * boost * ALPHA * ONE; // g·1e54 − u·G·α·1e18
      const lowSide = side(global);
      assert.ok(lowSide <= 0n || lowSide * lowSide <= B * B * stake * ONE, `global ${global} above the exact value: ${at}`);
      const highSide = side(global + 3n);
      assert.ok(highSide > 0n && B * B * stake * ONE < highSide * highSide, `global ${global} 3e-18 or more below: ${at}`);
      const exactIncentive = usage * stake * boost; // in units of 1e-54
      assert.ok(incentive * ONE * ONE <= exactIncentive && exactIncentive < (incentive + 1n) * ONE * ONE, at);
    }
  });
});
