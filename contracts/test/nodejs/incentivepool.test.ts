// IncentivePool: holds each graduated $MT's incentive buckets ($MT and FLOCK) and releases them
// linearly to the distributor set by governance. Only FUNDER_ROLE (the launchpad) opens streams,
// and only with tokens it already sent; FLOCK promised to one stream is never counted for another.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, keccak256, parseEventLogs, toHex, zeroAddress, type Address } from "viem";
import { FLOCK, incentivePoolAbi, localTokenAbi } from "@fomo/sdk";
import { bytecodeOf } from "@fomo/deploy";
import { DAY } from "@fomo/testkit";
import { SNIPE_END, fixtureAt, type Fixture } from "./fixtures.ts";

const DURATION = 180n * DAY;

/** A plain ERC-20 standing in for an $MT, so the pool can be tested without a launch. */
async function deployToken(f: Fixture, symbol: string) {
  const hash = await f.deployer.deployContract({ abi: localTokenAbi, bytecode: bytecodeOf("LocalToken"), args: [symbol, symbol, 18] });
  return f.at(localTokenAbi, (await f.mined(hash)).contractAddress!);
}

/** A bare IncentivePool (FLOCK, deployer as admin), as deployLocal deploys it before wiring a distributor. */
async function deployPool(f: Fixture) {
  const hash = await f.deployer.deployContract({
    abi: incentivePoolAbi, bytecode: bytecodeOf("IncentivePool"), args: [f.d.contracts.flock, f.deployer.account.address],
  });
  const pool = f.at(incentivePoolAbi, (await f.mined(hash)).contractAddress!);
  await f.mined(pool.write.grantRole([await pool.read.FUNDER_ROLE(), f.deployer.account.address]));
  return pool;
}

/** Checks releases at the given offsets from `start`: each pays exactly the newly vested part. */
async function checkLinearRelease(f: Fixture, mt: Address, distributor: Address, offsets: bigint[]) {
  const s = await f.incentivePool.read.stream([mt]);
  const mtToken = f.at(localTokenAbi, mt);
  const [mt0, flock0] = [await mtToken.read.balanceOf([distributor]), await f.flockOf(distributor)];
  let last = { mt: 0n, flock: 0n };
  for (const dt of offsets) {
    await f.nextAt(s.start + dt);
    await f.mined(f.at(f.incentivePool.abi, f.incentivePool.address, f.attacker).write.release([mt])); // anyone may call
    const vested = (total: bigint) => (dt >= s.duration ? total : (total * dt) / s.duration);
    const got = { mt: (await mtToken.read.balanceOf([distributor])) - mt0, flock: (await f.flockOf(distributor)) - flock0 };
    assert.deepEqual(got, { mt: vested(s.mtTotal), flock: vested(s.flockTotal) }, `released by t+${dt}`);
    assert.ok(got.mt >= last.mt && got.flock >= last.flock, "monotone");
    last = got;
    const after = await f.incentivePool.read.stream([mt]);
    assert.deepEqual([after.mtReleased, after.flockReleased], [got.mt, got.flock]);
  }
  return last;
}

describe("IncentivePool: funding", () => {
  const pool = fixtureAt(async (f) => {
    const funder = await f.incentivePool.read.FUNDER_ROLE();
    await f.mined(f.incentivePool.write.grantRole([funder, f.deployer.account.address]));
    const tok = await deployToken(f, "MTA");
    const tok2 = await deployToken(f, "MTB");
    return { funder, tok: tok.address, tok2: tok2.address };
  });

  it("only FUNDER_ROLE funds; the launchpad holds it", async () => {
    const f = await pool();
    assert.equal(f.funder, keccak256(toHex("FUNDER_ROLE")));
    assert.equal(await f.incentivePool.read.hasRole([f.funder, f.d.contracts.launchpad]), true);
    const asAlice = f.at(f.incentivePool.abi, f.incentivePool.address, f.alice);
    await f.expectRevert(
      () => asAlice.write.fund([f.tok, 0n, 0n, DURATION]),
      f.incentivePool, "AccessControlUnauthorizedAccount", [f.alice.account.address, f.funder],
    );
  });

  it("IncentivePoolUnfunded until the tokens arrived; IncentivePoolInvalidParameter for a zero duration; IncentivePoolAlreadyFunded once funded", async () => {
    const f = await pool();
    const ip = f.incentivePool;
    const flock = f.d.contracts.flock;
    await f.expectRevert(() => ip.write.fund([f.tok, 1_000n, 0n, 0n]), ip, "IncentivePoolInvalidParameter", ["duration"], [f.tok, f.tok2]);
    await f.expectRevert(() => ip.write.fund([f.tok, 1_000n, 0n, DURATION]), ip, "IncentivePoolUnfunded", [f.tok, 1_000n, 0n], [f.tok, f.tok2]);
    await f.mined(f.at(localTokenAbi, f.tok).write.mint([ip.address, 1_000n]));
    await f.expectRevert(() => ip.write.fund([f.tok, 1_000n, 500n, DURATION]), ip, "IncentivePoolUnfunded", [flock, 500n, 0n], [f.tok, f.tok2]);
    await f.mined(f.flock.write.mint([ip.address, 500n]));
    await f.mined(ip.write.fund([f.tok, 1_000n, 500n, DURATION]));
    assert.equal(await ip.read.flockOwed(), 500n);
    await f.expectRevert(() => ip.write.fund([f.tok, 0n, 0n, DURATION]), ip, "IncentivePoolAlreadyFunded", [f.tok], [f.tok, f.tok2]);
    // The 500 FLOCK held are promised to the first stream: a second cannot count them.
    await f.expectRevert(() => ip.write.fund([f.tok2, 0n, 1n, DURATION]), ip, "IncentivePoolUnfunded", [flock, 1n, 0n], [f.tok, f.tok2]);
  });

  it("IncentivePoolNoDistributor before governance sets one; IncentivePoolUnknownStream for an unfunded $MT; setter bounds and role", async () => {
    const f = await pool();
    // deployLocal wires the RewardsDistributor into the protocol's pool, so a bare pool shows the unset case.
    assert.equal((await f.incentivePool.read.distributor()).toLowerCase(), f.d.contracts.rewardsDistributor.toLowerCase());
    const ip = await deployPool(f);
    assert.equal(await ip.read.distributor(), "0x0000000000000000000000000000000000000000");
    await f.mined(f.at(localTokenAbi, f.tok).write.mint([ip.address, 1_000n]));
    await f.mined(ip.write.fund([f.tok, 1_000n, 0n, DURATION]));
    await f.expectRevert(() => ip.write.release([f.tok]), ip, "IncentivePoolNoDistributor", [], [f.tok]);
    const admin = await ip.read.DEFAULT_ADMIN_ROLE();
    const asAlice = f.at(ip.abi, ip.address, f.alice);
    await f.expectRevert(() => asAlice.write.setDistributor([f.alice.account.address]), ip, "AccessControlUnauthorizedAccount", [f.alice.account.address, admin]);
    await f.expectRevert(() => ip.write.setDistributor(["0x0000000000000000000000000000000000000000"]), ip, "IncentivePoolInvalidParameter", ["distributor"]);
    const set = await f.mined(ip.write.setDistributor([f.carol.account.address]));
    const [updated] = parseEventLogs({ abi: incentivePoolAbi, logs: set.logs, eventName: "DistributorUpdated" });
    assert.deepEqual(updated?.args, { oldDistributor: zeroAddress, newDistributor: getAddress(f.carol.account.address) });
    await f.expectRevert(() => ip.write.release([f.tok2]), ip, "IncentivePoolUnknownStream", [f.tok2]);
    assert.deepEqual(await ip.read.releasable([f.tok2]), [0n, 0n]);
  });

  it("releases linearly over the duration, monotone, complete at the end, nothing after", async () => {
    const f = await pool();
    const ip = f.incentivePool;
    const [mtTotal, flockTotal] = [1_000_003n * FLOCK + 7n, 333_333n * FLOCK + 1n]; // not divisible by the duration
    await f.mined(f.at(localTokenAbi, f.tok).write.mint([ip.address, mtTotal]));
    await f.mined(f.flock.write.mint([ip.address, flockTotal]));
    const dist = f.wallets[9]!.account.address;
    await f.mined(ip.write.setDistributor([dist]));
    await f.mined(ip.write.fund([f.tok, mtTotal, flockTotal, DURATION])); // the stream starts in this block
    const last = await checkLinearRelease(f, f.tok, dist, [1n, 17n, DAY, 45n * DAY + 3n, 90n * DAY, DURATION - 1n, DURATION, DURATION + 10n * DAY]);
    assert.deepEqual(last, { mt: mtTotal, flock: flockTotal });
    assert.deepEqual(await ip.read.releasable([f.tok]), [0n, 0n]);
    assert.equal(await ip.read.flockOwed(), 0n);
    assert.equal(await f.flockOf(ip.address), 0n);
  });
});

describe("IncentivePool: a graduated $MT's stream", () => {
  it("is funded at graduation with 200,000 $MT and 20% of raised + surcharge, released over 180 days to the rewards distributor", async () => {
    const f = await fixtureAt(async (g) => {
      const { mt } = await g.launch();
      await g.wait(SNIPE_END);
      await g.fillToMax(mt);
      return { mt };
    })();
    const s = await f.incentivePool.read.stream([f.mt]);
    assert.deepEqual([s.mtTotal, s.flockTotal, s.duration], [200_000n * FLOCK, 200_000n * FLOCK, DURATION]);
    assert.equal(await f.incentivePool.read.flockOwed(), s.flockTotal);
    const dist = f.d.contracts.rewardsDistributor; // wired by deployLocal
    assert.equal((await f.incentivePool.read.distributor()).toLowerCase(), dist.toLowerCase());
    const last = await checkLinearRelease(f, f.mt, dist, [DAY, 30n * DAY, 90n * DAY, 179n * DAY, DURATION]);
    assert.deepEqual(last, { mt: 200_000n * FLOCK, flock: 200_000n * FLOCK });
    assert.equal(await f.mtToken(f.mt).read.balanceOf([f.incentivePool.address]), 0n);
  });
});
