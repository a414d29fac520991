// GmFlock: lock FLOCK for t days (1..365), receive non-transferable gmFLOCK
// m = n (t <= 30) or n·(1 + 2.19·(t − 30)/365) (research/fomo-spec.md §4.4), unlock after expiry.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FLOCK, gmFlockAbi } from "@fomo/sdk";
import { DAY } from "@fomo/testkit";
import { eventOf } from "@fomo/testkit/events";
import { reverts } from "@fomo/testkit/reverts";
import { createWorld } from "./engine-fixtures.ts";

const w = await createWorld();

/** The multiplier from the spec, in integers: n·(36500 + 219·(t − 30)) / 36500 for t > 30, rounded down. */
const gmRef = (n: bigint, t: bigint) => (t <= 30n ? n : (n * (36_500n + 219n * (t - 30n))) / 36_500n);

describe("GmFlock", () => {
  it("gmFor follows the formula over every duration and refuses 0 and > 365 days", async () => {
    const { c } = await w.deployed();
    const amounts = [1n, 7n, 1_000n * FLOCK, 123_456_789n * FLOCK + 987n];
    for (const n of amounts) {
      const ts = n === 1_000n * FLOCK ? Array.from({ length: 365 }, (_, i) => BigInt(i + 1)) : [1n, 30n, 31n, 100n, 364n, 365n];
      const got = await Promise.all(ts.map((t) => c.gmFlock.read.gmFor([n, t])));
      ts.forEach((t, i) => assert.equal(got[i], gmRef(n, t), `gmFor(${n}, ${t})`));
    }
    // Anchors of the formula: a year's lock earns 1 + 2.19·335/365 = 3.01 x.
    assert.equal(await c.gmFlock.read.gmFor([1_000n * FLOCK, 365n]), 3_010n * FLOCK);
    assert.equal(await c.gmFlock.read.gmFor([1_000n * FLOCK, 30n]), 1_000n * FLOCK);
    await reverts(c.gmFlock.read.gmFor([FLOCK, 0n]), "GmFlockInvalidDuration", [0n]);
    await reverts(c.gmFlock.read.gmFor([FLOCK, 366n]), "GmFlockInvalidDuration", [366n]);
  });

  it("lock takes the FLOCK and mints gmFLOCK; unlock only by the owner and only after expiry", async () => {
    const { c, d, as } = await w.deployed();
    const a = w.addr(w.alice);
    const g = as(w.alice).gmFlock;
    const flock0 = await w.balanceOf(d.contracts.flock, a);

    await reverts(g.write.lock([0n, 10n]), "GmFlockZeroAmount");
    await reverts(g.write.lock([FLOCK, 0n]), "GmFlockInvalidDuration", [0n]);
    await reverts(g.write.lock([FLOCK, 366n]), "GmFlockInvalidDuration", [366n]);
    // dave (who approved GmFlock like every user) locks more than he holds.
    await reverts(as(w.dave).gmFlock.write.lock([100_000_000n * FLOCK, 10n]), "ERC20InsufficientBalance");
    assert.equal(await c.gmFlock.read.nextLockId(), 0n, "no lock recorded by the failures");

    const t0 = (await w.now()) + 10n;
    await w.nextAt(t0);
    const r = await w.mined(g.write.lock([500n * FLOCK, 100n]));
    const gm = gmRef(500n * FLOCK, 100n);
    const unlockAt = t0 + 100n * DAY;
    assert.deepEqual(eventOf(gmFlockAbi, r, "Locked").args, { id: 0n, owner: a, amount: 500n * FLOCK, gm, unlockAt });
    assert.deepEqual(await c.gmFlock.read.locks([0n]), [a, unlockAt, 500n * FLOCK, gm]);
    assert.equal(await c.gmFlock.read.balanceOf([a]), gm);
    assert.equal(await c.gmFlock.read.totalSupply(), gm);
    assert.equal(await w.balanceOf(d.contracts.flock, a), flock0 - 500n * FLOCK);
    assert.equal(await w.balanceOf(d.contracts.flock, d.contracts.gmFlock), 500n * FLOCK);

    // A second, short lock: ids count up, balances add.
    await w.mined(g.write.lock([20n * FLOCK, 1n]));
    assert.equal(await c.gmFlock.read.balanceOf([a]), gm + 20n * FLOCK);

    await reverts(as(w.bob).gmFlock.write.unlock([0n]), "GmFlockNotOwner", [0n, w.addr(w.bob)]);
    await w.nextAt(unlockAt - 1n);
    await reverts(g.write.unlock([0n]), "GmFlockStillLocked", [0n, unlockAt]);
    await w.nextAt(unlockAt);
    const u = await w.mined(g.write.unlock([0n]));
    assert.deepEqual(eventOf(gmFlockAbi, u, "Unlocked").args, { id: 0n, owner: a, amount: 500n * FLOCK, gm });
    assert.equal(await c.gmFlock.read.balanceOf([a]), 20n * FLOCK, "only the unlocked lock's gmFLOCK burned");
    assert.equal(await w.balanceOf(d.contracts.flock, a), flock0 - 20n * FLOCK);
    assert.deepEqual(await c.gmFlock.read.locks([0n]), ["0x0000000000000000000000000000000000000000", 0n, 0n, 0n]);
    await reverts(g.write.unlock([0n]), "GmFlockNotOwner", [0n, a]);
    await reverts(g.write.unlock([99n]), "GmFlockNotOwner", [99n, a]);
  });

  it("gmFLOCK cannot be transferred: approve works, but an allowance moves nothing", async () => {
    const { c, as } = await w.deployed();
    const [a, b] = [w.addr(w.alice), w.addr(w.bob)];
    const g = as(w.alice).gmFlock;
    await w.mined(g.write.lock([10n * FLOCK, 40n]));
    const gm = gmRef(10n * FLOCK, 40n);
    await reverts(g.write.transfer([b, 1n]), "GmFlockNonTransferable");
    // A plain ERC-20 approve (wallets and indexers expect it to work)...
    await w.mined(g.write.approve([b, 1n]));
    assert.equal(await c.gmFlock.read.allowance([a, b]), 1n);
    // ...but spending it is a transfer, which reverts: the allowance and balances stay as they were.
    await reverts(as(w.bob).gmFlock.write.transferFrom([a, b, 1n]), "GmFlockNonTransferable");
    assert.equal(await c.gmFlock.read.allowance([a, b]), 1n);
    assert.equal(await c.gmFlock.read.balanceOf([a]), gm);
    assert.equal(await c.gmFlock.read.balanceOf([b]), 0n);
  });
});
