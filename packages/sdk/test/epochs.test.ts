import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { EPOCH_GRACE_MS, epochGraceMs, epochOf, epochWindow, epochWindowMs, usageEpochOf, UTC_DAYS, type EpochClock } from "../src/index.ts";

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

  it("gives an epoch's window in the ledger's ms", () => {
    for (const k of [0n, 1n, 7n]) {
      const { from, to } = epochWindow(clock, k);
      assert.deepEqual(epochWindowMs(clock, k), { fromMs: Number(from) * 1_000, toMs: Number(to) * 1_000 });
    }
  });

  it("waits 10 minutes a day of epoch before an epoch is final, rounded up, at least a second", () => {
    assert.equal(epochGraceMs(UTC_DAYS), EPOCH_GRACE_MS);
    assert.equal(EPOCH_GRACE_MS, 600_000);
    assert.equal(epochGraceMs({ start: 5n, length: 43_200n }), 300_000);
    assert.equal(epochGraceMs({ start: 0n, length: 600n }), 4_167); // 600,000 / 144 = 4,166.67
    assert.equal(epochGraceMs(clock), 1_000); // 417 ms, below the floor
  });

  it("refuses a time before the start, a negative epoch and an empty length", () => {
    assert.throws(() => epochOf(clock, 999n), /starts at 1000/);
    assert.throws(() => epochWindow(clock, -1n), /negative/);
    assert.throws(() => epochOf({ start: 0n, length: 0n }, 5n), /at least one second/);
  });
});
