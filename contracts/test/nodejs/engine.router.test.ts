// RevenueRouter: keeper reports (epoch, $MT, gross, hardCost, usageRoot) once; the gross USDC is
// pulled and routed (hard cost to hosting, net split by bps, remainder to treasury, buyback budgets
// funded in the executor, issuer yield held until the issuer pulls it). Splits are bounded. Every
// test runs on a USDC of 6 decimals (Base) and of 18 (BSC).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keccak256, toHex, zeroAddress, type Address } from "viem";
import { defaultRevenueSplit, revenueRouterAbi, routeOf, type RevenueSplit as Split } from "@fomo/sdk";
import { eventOf } from "@fomo/testkit/events";
import { reverts } from "@fomo/testkit/reverts";
import { USDC_DECIMALS, createWorld, type Graduated } from "./engine-fixtures.ts";

const root = (s: string) => keccak256(toHex(s));

for (const usdcDecimals of USDC_DECIMALS) {
  const w = await createWorld({ usdcDecimals });
  /** One USDC in this world's units (10^usdcDecimals). */
  const USDC = w.usd;

  /** USDC balances of everyone a report pays. */
  async function balances(g: Graduated) {
    const usdc = g.d.contracts.usdc;
    const of = (a: Address) => w.balanceOf(usdc, a);
    return {
      keeper: await of(w.addr(w.deployer)),
      hosting: await of(w.hostingReserve),
      treasury: await of(w.treasury),
      executor: await of(g.d.contracts.buybackExecutor),
      router: await of(g.d.contracts.revenueRouter),
    };
  }

  describe(`RevenueRouter (USDC of ${usdcDecimals} decimals)`, () => {
    it("routes a report exactly: hard cost, 50/20/15/15 of net, remainder to the treasury, budgets funded", async () => {
      const g = await w.graduated();
      const gross = 1_234n * USDC + 567_891n; // every bps part has a remainder, whatever the decimals
      const hardCost = 345n * USDC + 678_912n;
      const expected = routeOf(gross, hardCost, defaultRevenueSplit);
      assert.equal(expected.hardCost + expected.mtBuyback + expected.issuerYield + expected.flockBuyback + expected.treasury, gross);
      assert.ok(expected.treasury > ((gross - hardCost) * 1_500n) / 10_000n, "the rounding dust lands in the treasury");

      const before = await balances(g);
      const r = await w.mined(g.c.revenueRouter.write.reportRevenue([7n, g.mt, gross, hardCost, root("usage-7")]));
      assert.deepEqual(eventOf(revenueRouterAbi, r, "RevenueReported").args, {
        epoch: 7n, mt: g.mt, gross, usageRoot: root("usage-7"), routed: expected,
      });
      const after = await balances(g);
      assert.equal(after.keeper, before.keeper - gross);
      assert.equal(after.hosting, before.hosting + hardCost);
      assert.equal(after.treasury, before.treasury + expected.treasury);
      assert.equal(after.executor, before.executor + expected.mtBuyback + expected.flockBuyback);
      assert.equal(after.router, before.router + expected.issuerYield);
      assert.equal(await g.c.executor.read.mtBudget([g.mt]), expected.mtBuyback);
      assert.equal(await g.c.executor.read.flockBudget(), expected.flockBuyback);
      assert.equal(await g.c.executor.read.budgeted(), expected.mtBuyback + expected.flockBuyback);
      assert.equal(await g.c.revenueRouter.read.yieldOwed([g.mt]), expected.issuerYield);
      assert.deepEqual(await g.c.revenueRouter.read.reportOf([7n, g.mt]), { gross, hardCost, usageRoot: root("usage-7") });
      assert.deepEqual(await g.c.revenueRouter.read.routeOf([gross, hardCost]), expected);
    });

    it("reports each (epoch, $MT) once; refuses non-keepers, zero, cost above revenue, non-graduated tokens", async () => {
      const g = await w.graduated();
      const rr = g.c.revenueRouter;
      const keeperRole = await rr.read.KEEPER_ROLE();
      await reverts(g.as(w.alice).revenueRouter.write.reportRevenue([1n, g.mt, USDC, 0n, root("x")]),
        "AccessControlUnauthorizedAccount", [w.addr(w.alice), keeperRole]);
      await reverts(rr.write.reportRevenue([1n, g.mt, 0n, 0n, root("x")]), "RevenueRouterZeroAmount");
      await reverts(rr.write.reportRevenue([1n, g.mt, USDC, USDC + 1n, root("x")]), "RevenueRouterCostAboveRevenue", [USDC, USDC + 1n]);
      await reverts(rr.write.reportRevenue([1n, g.raising, USDC, 0n, root("x")]), "RevenueRouterNotModelToken", [g.raising]);
      await reverts(rr.write.reportRevenue([1n, g.d.contracts.flock, USDC, 0n, root("x")]), "RevenueRouterNotModelToken", [g.d.contracts.flock]);
      const before = await balances(g);

      await w.mined(rr.write.reportRevenue([1n, g.mt, 10n * USDC, USDC, root("x")]));
      await reverts(rr.write.reportRevenue([1n, g.mt, 10n * USDC, USDC, root("x")]), "RevenueRouterAlreadyReported", [1n, g.mt]);
      await reverts(rr.write.reportRevenue([1n, g.mt, 99n * USDC, 0n, root("other")]), "RevenueRouterAlreadyReported", [1n, g.mt]);
      await w.mined(rr.write.reportRevenue([2n, g.mt, 10n * USDC, USDC, root("y")])); // the next epoch is fine
      await w.mined(rr.write.reportRevenue([0n, g.mt, 10n * USDC, USDC, root("z")])); // so is an earlier, unreported one
      assert.equal((await balances(g)).keeper, before.keeper - 30n * USDC, "only the three accepted reports were paid");

      // A keeper that has not approved the router cannot pay.
      await w.mined(rr.write.grantRole([keeperRole, w.addr(w.alice)]));
      await reverts(g.as(w.alice).revenueRouter.write.reportRevenue([3n, g.mt, USDC, 0n, root("x")]), "ERC20InsufficientAllowance",
        [g.d.contracts.revenueRouter, 0n, USDC]);
    });

    it("a report whose cost equals the revenue pays hosting only; one without cost splits it all", async () => {
      const g = await w.graduated();
      const before = await balances(g);
      await w.mined(g.c.revenueRouter.write.reportRevenue([1n, g.mt, 5n * USDC, 5n * USDC, root("a")]));
      let after = await balances(g);
      assert.equal(after.hosting, before.hosting + 5n * USDC);
      assert.equal(after.executor, before.executor);
      assert.equal(await g.c.executor.read.budgeted(), 0n);
      assert.equal(await g.c.revenueRouter.read.yieldOwed([g.mt]), 0n);

      await w.mined(g.c.revenueRouter.write.reportRevenue([2n, g.mt, 3n, 0n, root("b")])); // 3 token units
      const r = routeOf(3n, 0n, defaultRevenueSplit);
      assert.deepEqual(r, { hardCost: 0n, mtBuyback: 1n, issuerYield: 0n, flockBuyback: 0n, treasury: 2n });
      after = await balances(g);
      assert.equal(after.treasury, before.treasury + 2n);
      assert.equal(await g.c.executor.read.mtBudget([g.mt]), 1n);
    });

    it("routeOf matches the reference split over random amounts (parts always sum to gross)", async () => {
      const g = await w.graduated();
      let x = 0x2545f491n; // deterministic LCG: reproducible amounts from 1 token unit to 10^18 units
      const next = () => (x = (x * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n);
      for (let i = 0; i < 60; i++) {
        const gross = (next() % 10n ** BigInt(1 + (i % 18))) + 1n;
        const hardCost = next() % (gross + 1n);
        const got = await g.c.revenueRouter.read.routeOf([gross, hardCost]);
        assert.deepEqual(got, routeOf(gross, hardCost, defaultRevenueSplit), `routeOf(${gross}, ${hardCost})`);
        assert.equal(got.hardCost + got.mtBuyback + got.issuerYield + got.flockBuyback + got.treasury, gross);
      }
    });

    it("the issuer, and only the issuer, pulls the accumulated yield exactly", async () => {
      const g = await w.graduated();
      const rr = g.c.revenueRouter;
      await w.mined(rr.write.reportRevenue([1n, g.mt, 1_000_000_001n, 7n, root("1")]));
      await w.mined(rr.write.reportRevenue([2n, g.mt, 2_345_678n, 45_678n, root("2")]));
      const owed = routeOf(1_000_000_001n, 7n, defaultRevenueSplit).issuerYield + routeOf(2_345_678n, 45_678n, defaultRevenueSplit).issuerYield;
      assert.equal(await rr.read.yieldOwed([g.mt]), owed);

      await reverts(g.as(w.alice).revenueRouter.write.claimYield([g.mt]), "RevenueRouterNotIssuer", [g.mt, w.addr(w.alice)]);
      await reverts(rr.write.claimYield([g.mt]), "RevenueRouterNotIssuer", [g.mt, w.addr(w.deployer)]);
      await reverts(g.as(w.issuer).revenueRouter.write.claimYield([g.raising]), "RevenueRouterNothingToClaim", [g.raising]);
      await reverts(g.as(w.issuer).revenueRouter.write.claimYield([g.d.contracts.flock]), "LaunchpadUnknownOffering", [g.d.contracts.flock]);

      const issuer0 = await w.balanceOf(g.d.contracts.usdc, w.addr(w.issuer));
      const r = await w.mined(g.as(w.issuer).revenueRouter.write.claimYield([g.mt]));
      assert.deepEqual(eventOf(revenueRouterAbi, r, "YieldClaimed").args, { mt: g.mt, issuer: w.addr(w.issuer), amount: owed });
      assert.equal(await w.balanceOf(g.d.contracts.usdc, w.addr(w.issuer)), issuer0 + owed);
      assert.equal(await rr.read.yieldOwed([g.mt]), 0n);
      assert.equal(await w.balanceOf(g.d.contracts.usdc, g.d.contracts.revenueRouter), 0n, "the router keeps nothing");
      await reverts(g.as(w.issuer).revenueRouter.write.claimYield([g.mt]), "RevenueRouterNothingToClaim", [g.mt]);
    });

    it("setSplit: admin only, within hard bounds, applies to the next report", async () => {
      const g = await w.graduated();
      const rr = g.c.revenueRouter;
      const split = (mtBuybackBps: number, issuerYieldBps: number, flockBuybackBps: number, treasuryBps: number): Split => ({
        mtBuybackBps, issuerYieldBps, flockBuybackBps, treasuryBps,
      });
      await reverts(g.as(w.alice).revenueRouter.write.setSplit([split(5_000, 2_000, 1_500, 1_500)]), "AccessControlUnauthorizedAccount",
        [w.addr(w.alice), await rr.read.DEFAULT_ADMIN_ROLE()]);
      await reverts(rr.write.setSplit([split(5_000, 2_000, 1_500, 1_499)]), "RevenueRouterInvalidParameter", ["split"]);
      await reverts(rr.write.setSplit([split(5_000, 2_000, 1_500, 1_501)]), "RevenueRouterInvalidParameter", ["split"]);
      await reverts(rr.write.setSplit([split(3_000, 3_000, 1_999, 2_001)]), "RevenueRouterInvalidParameter", ["buybackBps"]);
      await reverts(rr.write.setSplit([split(5_000, 3_001, 0, 1_999)]), "RevenueRouterInvalidParameter", ["issuerYieldBps"]);
      await reverts(rr.write.setSplit([split(5_000, 1_999, 0, 3_001)]), "RevenueRouterInvalidParameter", ["treasuryBps"]);
      assert.deepEqual(await rr.read.split(), [5_000, 2_000, 1_500, 1_500], "unchanged by the refusals");

      // The bounds themselves are allowed.
      const edge = split(2_000, 3_000, 3_000, 2_000); // buybacks exactly 50%, yield at its cap
      const r = await w.mined(rr.write.setSplit([edge]));
      assert.deepEqual(eventOf(revenueRouterAbi, r, "SplitUpdated").args, { oldSplit: defaultRevenueSplit, newSplit: edge });
      await w.mined(rr.write.setSplit([split(7_000, 0, 0, 3_000)])); // treasury at its cap
      const last = split(6_000, 1_000, 2_000, 1_000);
      await w.mined(rr.write.setSplit([last]));
      await w.mined(rr.write.reportRevenue([1n, g.mt, 777_777n, 1n, root("s")]));
      const expected = routeOf(777_777n, 1n, last);
      assert.equal(await g.c.executor.read.mtBudget([g.mt]), expected.mtBuyback);
      assert.equal(await g.c.executor.read.flockBudget(), expected.flockBuyback);
      assert.equal(await rr.read.yieldOwed([g.mt]), expected.issuerYield);
    });

    it("setTreasury / setHostingPayee: admin only, non-zero, and followed by the next report", async () => {
      const g = await w.graduated();
      const rr = g.c.revenueRouter;
      await reverts(g.as(w.alice).revenueRouter.write.setTreasury([w.addr(w.alice)]), "AccessControlUnauthorizedAccount");
      await reverts(g.as(w.alice).revenueRouter.write.setHostingPayee([w.addr(w.alice)]), "AccessControlUnauthorizedAccount");
      await reverts(rr.write.setTreasury([zeroAddress]), "RevenueRouterInvalidParameter", ["treasury"]);
      await reverts(rr.write.setHostingPayee([zeroAddress]), "RevenueRouterInvalidParameter", ["hostingPayee"]);
      const [treasury0, payee0] = [await rr.read.treasury(), await rr.read.hostingPayee()];
      const t = await w.mined(rr.write.setTreasury([w.addr(w.carol)]));
      assert.deepEqual(eventOf(revenueRouterAbi, t, "TreasuryUpdated").args, { oldTreasury: treasury0, newTreasury: w.addr(w.carol) });
      const h = await w.mined(rr.write.setHostingPayee([w.addr(w.dave)]));
      assert.deepEqual(eventOf(revenueRouterAbi, h, "HostingPayeeUpdated").args, { oldHostingPayee: payee0, newHostingPayee: w.addr(w.dave) });
      const [carol0, dave0] = [await w.balanceOf(g.d.contracts.usdc, w.addr(w.carol)), await w.balanceOf(g.d.contracts.usdc, w.addr(w.dave))];
      await w.mined(rr.write.reportRevenue([1n, g.mt, 100n * USDC, 10n * USDC, root("t")]));
      const e = routeOf(100n * USDC, 10n * USDC, defaultRevenueSplit);
      assert.equal(await w.balanceOf(g.d.contracts.usdc, w.addr(w.carol)), carol0 + e.treasury);
      assert.equal(await w.balanceOf(g.d.contracts.usdc, w.addr(w.dave)), dave0 + e.hardCost);
    });

    it("refuses a zero treasury, a zero hosting payee and a bad split at deployment", async () => {
      const g = await w.graduated();
      const c = g.d.contracts;
      const args = (treasury: Address, hosting: Address, split: Split) =>
        [c.usdc, c.launchpad, c.buybackExecutor, treasury, hosting, split, w.addr(w.deployer)] as const;
      await reverts(w.deploy("RevenueRouter", revenueRouterAbi, args(zeroAddress, w.hostingReserve, defaultRevenueSplit)),
        "RevenueRouterInvalidParameter", ["treasury"]);
      await reverts(w.deploy("RevenueRouter", revenueRouterAbi, args(w.treasury, zeroAddress, defaultRevenueSplit)),
        "RevenueRouterInvalidParameter", ["hostingPayee"]);
      await reverts(w.deploy("RevenueRouter", revenueRouterAbi, args(w.treasury, w.hostingReserve, { ...defaultRevenueSplit, treasuryBps: 0 })),
        "RevenueRouterInvalidParameter", ["split"]);
    });
  });
}
