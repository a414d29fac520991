import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { epochOf, epochWindow, usageEpochOf, UTC_DAYS, type EpochClock } from "../src/index.ts";

describe("epoch clock", () => {
  const clock: EpochClock = { start: 1_000n, length: 60n };

  it("puts a time in the epoch whose window holds it, the window's end in the next one", () => {
    for (const t of [1_000n, 1_059n, 1_060n, 1_119n, 9_999n]) {
      const k = epochOf(clock, t);
      const { from, to } = epochWindow(clock, k);
      assert.ok(from <= t && t < to, `${t} in [${from}, ${to})`);
      assert.equal(epochOf(clock, to), k + 1n);
    }
  });

  it("numbers UTC days like usageEpochOf", () => {
    for (const t of [0n, 86_399n, 86_400n, 1_700_000_000n]) assert.equal(epochOf(UTC_DAYS, t), usageEpochOf(t));
  });

  it("refuses a time before the start, a negative epoch and an empty length", () => {
    assert.throws(() => epochOf(clock, 999n), /starts at 1000/);
    assert.throws(() => epochWindow(clock, -1n), /negative/);
    assert.throws(() => epochOf({ start: 0n, length: 0n }, 5n), /at least one second/);
  });
});
