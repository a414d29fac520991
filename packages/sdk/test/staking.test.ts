// Unit tests of the time-weighted stake (staking.ts) from checkpoints: during second t the stake is
// that of the last checkpoint at or before t (MtStaking.stakeAt). Expected values are worked by hand.
// (The walk over the contract's checkpoints is tested on a chain in contracts/test/nodejs/sdk.engine.test.ts.)
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { timeWeighted, type StakeCheckpoint } from "../src/index.ts";

const cp = (timestamp: number, stake: number): StakeCheckpoint => ({ timestamp: BigInt(timestamp), stake: BigInt(stake) });

describe("timeWeighted", () => {
  // 0 until 100, 10 from 100, 30 from 150, 0 from 180 (unstaked), 5 from 300.
  const checkpoints = [cp(100, 10), cp(150, 30), cp(180, 0), cp(300, 5)];

  it("integrates the stake over [from, to)", () => {
    // [0, 200): 0*100 + 10*50 + 30*30 + 0*20 = 1,400 over 200 s.
    assert.deepEqual(timeWeighted(checkpoints, 0n, 200n), { stakeSeconds: 1_400n, seconds: 200n, average: 7n });
  });

  it("takes the checkpoint in force at `from`, even one long before", () => {
    // [120, 160): 10*30 + 30*10 = 600.
    assert.deepEqual(timeWeighted(checkpoints, 120n, 160n), { stakeSeconds: 600n, seconds: 40n, average: 15n });
    // [400, 500): 5 throughout.
    assert.deepEqual(timeWeighted(checkpoints, 400n, 500n), { stakeSeconds: 500n, seconds: 100n, average: 5n });
  });

  it("counts a checkpoint at `from` from `from` on, and one at `to` not at all", () => {
    assert.equal(timeWeighted(checkpoints, 150n, 180n).stakeSeconds, 30n * 30n);
    assert.equal(timeWeighted(checkpoints, 90n, 100n).stakeSeconds, 0n);
  });

  it("is zero with no checkpoints, and rounds the average down", () => {
    assert.deepEqual(timeWeighted([], 0n, 86_400n), { stakeSeconds: 0n, seconds: 86_400n, average: 0n });
    // [99, 102): 0 + 10 + 10 = 20 over 3 s -> 6.
    assert.equal(timeWeighted(checkpoints, 99n, 102n).average, 6n);
  });

  it("defeats a flash stake: staking for one second of a day weighs one second", () => {
    const flash = [cp(1_000, 1_000_000), cp(1_001, 0)];
    assert.equal(timeWeighted(flash, 0n, 86_400n).average, 1_000_000n / 86_400n);
  });

  it("refuses an empty interval", () => {
    assert.throws(() => timeWeighted(checkpoints, 5n, 5n), RangeError);
  });
});
