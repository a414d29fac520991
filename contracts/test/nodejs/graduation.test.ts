// Graduation economics (product.md §3.5): supply minted once and allocated, burns, the FLOCK split,
// the pool at the final curve price with burned LP, the operator's cliff vesting, and claims.
// `checkGraduation` (fixtures.ts) holds the per-graduation checks shared with the adversarial suite.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { zeroAddress } from "viem";
import { FLOCK, TOTAL_SUPPLY, defaultAllocation, defaultSaleTerms, sold } from "@fomo/sdk";
import { DAY } from "@fomo/testkit";
import { SNIPE_END, checkGraduation, fixtureAt, grossForNet } from "./fixtures.ts";

/**
 * MID: 300,000 FLOCK net raised, window closed (Succeeded). MAX: 886,500 FLOCK net, still raising;
 * the next large buy fills it. Both on template 0 with the default terms.
 */
const ready = fixtureAt(async (f) => {
  const mid = (await f.launch({ ticker: "MID" })).mt;
  await f.wait(SNIPE_END);
  await f.buy(f.alice, mid, grossForNet(300_000n * FLOCK));
  await f.wait(7n * DAY);
  const max = (await f.launch({ ticker: "MAX" })).mt;
  await f.wait(SNIPE_END);
  await f.buy(f.alice, max, 600_000n * FLOCK);
  await f.buy(f.bob, max, 300_000n * FLOCK);
  return { mid, max, all: [mid, max] };
});

describe("graduation", () => {
  it("uses the spec's default terms: 40/20/20/10/10 of $MT, 50/30/20 of FLOCK, X0 = 500k, Y0 = 600k", async () => {
    const f = await ready();
    const t = await f.registry.read.terms([(await f.launchpad.read.offering([f.max])).termsId]);
    assert.deepEqual({ ...t.allocation }, { ...defaultAllocation });
    assert.deepEqual({ ...t.sale }, { ...defaultSaleTerms });
    assert.deepEqual({ ...t.curve }, { virtualFlock: 500_000n * FLOCK, virtualMt: 600_000n * FLOCK });
  });

  it("at raiseMax, inside the filling buy: all 400,000 sale $MT sold, unused liquidity burned", async () => {
    const f = await ready();
    const { r } = await checkGraduation(f, f.max, () => f.buy(f.carol, f.max, 500_000n * FLOCK), {
      raised: 1_000_000n * FLOCK,
      allMts: f.all,
    });
    // At raiseMax: 500,000 FLOCK pair with 500,000 · 200,000 / 1,500,000 $MT at 7.5 FLOCK/MT.
    assert.equal(r.sold, 400_000n * FLOCK);
    assert.equal(r.mtToPool, (500_000n * FLOCK * 200_000n) / 1_500_000n);
    assert.equal(r.flockToHosting, 300_000n * FLOCK);
    assert.equal(r.flockToIncentives, 200_000n * FLOCK);
  });

  it("after the window, by graduate(): the unsold sale $MT and unused liquidity $MT are burned", async () => {
    const f = await ready();
    const net = (await f.launchpad.read.offering([f.mid])).raised;
    assert.equal(net, 300_000n * FLOCK);
    const priceBefore = await f.launchpad.read.priceOf([f.mid]);
    const { r, pool } = await checkGraduation(f, f.mid, () => f.mined(f.lp(f.carol).write.graduate([f.mid])), {
      raised: net,
      allMts: f.all,
    });
    // sold(300k) = 600k - 500k·600k/800k = 225,000 $MT; the pool pairs 150,000 FLOCK with 150k·375k/800k.
    assert.equal(r.sold, 225_000n * FLOCK);
    assert.equal(r.mtToPool, (150_000n * FLOCK * 375_000n) / 800_000n);
    assert.equal(r.mtBurned, 175_000n * FLOCK + 200_000n * FLOCK - r.mtToPool);
    assert.equal(r.flockToHosting, 90_000n * FLOCK);
    assert.ok(pool.price >= priceBefore && (pool.price - priceBefore) * 10_000n <= priceBefore);
  });

  it("claims hand out exactly what was sold; burns by holders keep totalSupply + burned == 1,000,000", async () => {
    const f = await ready();
    await f.buy(f.carol, f.max, 500_000n * FLOCK);
    const token = f.mtToken(f.max);
    let claimed = 0n;
    for (const w of [f.alice, f.bob, f.carol]) {
      const pos = await f.launchpad.read.positionOf([f.max, w.account.address]);
      await f.mined(f.lp(w).write.claim([f.max, w.account.address]));
      assert.equal(await token.read.balanceOf([w.account.address]), pos.mt);
      claimed += pos.mt;
    }
    assert.equal(claimed, 400_000n * FLOCK);
    assert.equal(await token.read.balanceOf([f.d.contracts.launchpad]), 0n);

    await f.mined(f.mtToken(f.max, f.alice).write.burn([1_234n * FLOCK]));
    const supply = await token.read.totalSupply();
    assert.equal(supply + (await f.burnedOf(f.max)), TOTAL_SUPPLY);
    const mtToPool = (500_000n * FLOCK * 200_000n) / 1_500_000n;
    assert.equal(await f.burnedOf(f.max), 200_000n * FLOCK - mtToPool + 1_234n * FLOCK);
  });

  it("the supply is never minted again: the launchpad is the only minter and it is done", async () => {
    const f = await ready();
    await f.buy(f.carol, f.max, 500_000n * FLOCK);
    const token = f.mtToken(f.max);
    assert.equal((await token.read.minter()).toLowerCase(), f.d.contracts.launchpad.toLowerCase());
    await f.expectRevert(
      () => f.mtToken(f.max, f.attacker).write.mintSupply([f.attacker.account.address]),
      token, "ModelTokenNotMinter", [f.attacker.account.address], f.all,
    );
    // Nothing else of the sale can be bought.
    await f.expectRevert(() => f.sendBuy(f.bob, f.max, FLOCK), f.launchpad, "LaunchpadWrongState", [f.max, 4], f.all);
    assert.equal(sold((await f.registry.read.terms([0])).curve, 1_000_000n * FLOCK), 400_000n * FLOCK);
  });
});

describe("operator vesting (OpenZeppelin VestingWalletCliff)", () => {
  it("releases nothing before the 90-day cliff, then linearly to day 365, only ever to the issuer", async () => {
    const f = await ready();
    const { ts, r } = await checkGraduation(f, f.max, () => f.buy(f.carol, f.max, 500_000n * FLOCK), {
      raised: 1_000_000n * FLOCK,
      allMts: f.all,
    });
    const total = 100_000n * FLOCK;
    const issuer = f.issuer.account.address;
    const token = f.mtToken(f.max);
    const vesting = f.vestingOf(r.operatorVesting, f.attacker); // anyone may trigger a release
    const year = 365n * DAY;
    let released = 0n;
    const releaseAt = async (t: bigint) => {
      await f.nextAt(t);
      await f.mined(vesting.write.release([f.max]));
      const vested = t < ts + 90n * DAY ? 0n : t >= ts + year ? total : (total * (t - ts)) / year;
      assert.equal(await token.read.balanceOf([issuer]), vested, `vested at day ${(t - ts) / DAY}`);
      assert.ok(vested >= released, "monotone");
      released = vested;
    };
    await releaseAt(ts + 1n);
    await releaseAt(ts + 90n * DAY - 1n);
    assert.equal(released, 0n, "nothing before the cliff");
    await releaseAt(ts + 90n * DAY);
    assert.equal(released, (total * 90n) / 365n);
    await releaseAt(ts + 200n * DAY + 12_345n);
    await releaseAt(ts + year - 1n);
    await releaseAt(ts + year);
    assert.equal(released, total);
    assert.equal(await token.read.balanceOf([r.operatorVesting]), 0n);
    assert.equal(await token.read.balanceOf([f.attacker.account.address]), 0n);
    // The clone cannot be re-initialised to a new beneficiary, through either initializer.
    await f.expectRevert(
      () => vesting.write.initialize([f.attacker.account.address, 0n, 1n, 0n]),
      vesting, "InvalidInitialization", [], [f.max],
    );
    await f.expectRevert(
      () => vesting.write.initialize([f.attacker.account.address, 0n, 1n]),
      vesting, "InvalidInitialization", [], [f.max],
    );
  });

  it("the issuer may hand the wallet to a new beneficiary (Ownable); others may not", async () => {
    const f = await ready();
    const { r } = await checkGraduation(f, f.max, () => f.buy(f.carol, f.max, 500_000n * FLOCK), {
      raised: 1_000_000n * FLOCK,
      allMts: f.all,
    });
    await f.expectRevert(
      () => f.vestingOf(r.operatorVesting, f.attacker).write.transferOwnership([f.attacker.account.address]),
      f.vestingOf(r.operatorVesting), "OwnableUnauthorizedAccount", [f.attacker.account.address],
    );
    await f.mined(f.vestingOf(r.operatorVesting, f.issuer).write.transferOwnership([f.bob.account.address]));
    await f.wait(365n * DAY);
    await f.mined(f.vestingOf(r.operatorVesting).write.release([f.max]));
    assert.equal(await f.mtToken(f.max).read.balanceOf([f.bob.account.address]), 100_000n * FLOCK);
    assert.notEqual(r.operatorVesting, zeroAddress);
  });
});
