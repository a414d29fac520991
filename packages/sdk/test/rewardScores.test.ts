// The reward scores of docs/product.md §5.2 in integer math (rewardScores.ts): the document's
// worked example, the α-only and no-usage corners, and the rounding of shares.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { REWARD_ALPHA as ALPHA, SCORE_ONE as ONE, rewardScores as scores, shareOut, sqrt as isqrt } from "../src/index.ts";

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

