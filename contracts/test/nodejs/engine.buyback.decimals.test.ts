// The settlement stablecoin's decimals (USDC: 6 on Base, 18 on BSC). The engine reads them from the
// token at deployment (StablecoinUnit) and scales every USD bound by them: the buyback spend cap's
// hard bound is 1M USD in either, the default cap 10,000 USD, and a buyback spends exactly its cap
// in token units (where the pools are deep enough for it). A token of unsupported decimals is refused by every contract that moves USDC.
// engine.buyback.test.ts covers the executor in depth on the default 6-decimal USDC.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, type Address } from "viem";
import {
  BPS,
  buybackDepthLimit,
  buybackExecutorAbi,
  buybackMinOut,
  buybackSpend,
  creditDepositsAbi,
  defaultBuybackLimits,
  localTokenAbi,
  revenueRouterAbi,
  TWAP_WINDOW,
} from "@fomo/sdk";
import { eventOf } from "@fomo/testkit/events";
import { reverts } from "@fomo/testkit/reverts";
import { USDC_DECIMALS, createWorld, deepenFlockUsdcPool, type World } from "./engine-fixtures.ts";

/** BuybackExecutor's hard bound on one buyback, in whole USD. */
const MAX_SPEND_USD = 1_000_000n;

/** Deployers of a fresh executor, router and deposits on a new LocalToken of `decimals` as the USDC. */
async function deployOn(w: World, decimals: number, limits: ReturnType<typeof defaultBuybackLimits>) {
  const { d } = await w.deployed();
  const c = d.contracts;
  const me = w.addr(w.deployer);
  const usdc = await w.deploy("LocalToken", localTokenAbi, ["USD Coin (test)", "USDC", decimals]);
  return {
    executor: () => w.deploy("BuybackExecutor", buybackExecutorAbi, [usdc, c.flock, c.uniswapV2Factory, c.uniswapV2Router, c.twapOracle, limits, me]),
    router: () => w.deploy("RevenueRouter", revenueRouterAbi, [usdc, c.launchpad, c.buybackExecutor, w.treasury, w.hostingReserve,
      { mtBuybackBps: 5_000, issuerYieldBps: 2_000, flockBuybackBps: 1_500, treasuryBps: 1_500 }, me]),
    deposits: () => w.deploy("CreditDeposits", creditDepositsAbi, [usdc, w.treasury, me]),
    usdc,
  };
}

const base = await createWorld();

describe("stablecoin decimals at deployment", () => {
  // Regression (outside review): the bound was the constant 1_000_000e6, 1M USD only for a 6-decimal
  // USDC. On BSC's 18-decimal USDC it was 10^-6 USD, so a 1M USD cap (or the default 10,000 USD) was refused.
  it("an executor on an 18-decimal USDC accepts a cap of 1M USD (10^24 units) and refuses one unit more", async () => {
    const oneUsd = 10n ** 18n;
    const limits = { ...defaultBuybackLimits(18), maxSpendPerInterval: MAX_SPEND_USD * oneUsd };
    const executor = await (await deployOn(base, 18, limits)).executor();
    const read = (functionName: "usdcUnit" | "MAX_SPEND_PER_INTERVAL") =>
      base.publicClient.readContract({ address: executor, abi: buybackExecutorAbi, functionName });
    assert.equal(await read("usdcUnit"), oneUsd);
    assert.equal(await read("MAX_SPEND_PER_INTERVAL"), 10n ** 24n);
    await reverts((await deployOn(base, 18, { ...limits, maxSpendPerInterval: 10n ** 24n + 1n })).executor(),
      "BuybackExecutorInvalidParameter", ["maxSpendPerInterval"]);
  });

  it("every contract that moves USDC accepts 6 to 18 decimals and refuses others with StablecoinUnitUnsupportedDecimals", async () => {
    for (const decimals of [0, 5, 6, 12, 18, 19, 24, 255]) {
      const supported = decimals >= 6 && decimals <= 18;
      // A cap of 1 token unit is within the bound whatever the decimals: only the decimals decide.
      const deployed = await deployOn(base, decimals, { ...defaultBuybackLimits(6), maxSpendPerInterval: 1n });
      for (const [name, deploy] of [["executor", deployed.executor], ["router", deployed.router], ["deposits", deployed.deposits]] as const) {
        if (supported) assert.match(await deploy(), /^0x[0-9a-fA-F]{40}$/, `${name} on ${decimals} decimals`);
        else await reverts(deploy(), "StablecoinUnitUnsupportedDecimals", [deployed.usdc, decimals]);
      }
    }
  });
});

for (const usdcDecimals of USDC_DECIMALS) {
  const w = usdcDecimals === 6 ? base : await createWorld({ usdcDecimals });
  const USDC = w.usd;

  describe(`buyback caps on a USDC of ${usdcDecimals} decimals`, () => {
    it("reads the unit from the token: hard bound 1M USD, default cap 10,000 USD, bounds enforced in token units", async () => {
      const { c, d } = await w.deployed();
      assert.equal(d.usdcDecimals, usdcDecimals);
      assert.equal(await c.executor.read.usdcUnit(), USDC);
      assert.equal(await c.revenueRouter.read.usdcUnit(), USDC);
      const maxSpend = await c.executor.read.MAX_SPEND_PER_INTERVAL();
      assert.equal(maxSpend, MAX_SPEND_USD * USDC);
      const [cap, interval, deviation, poolShare] = await c.executor.read.limits();
      assert.equal(cap, 10_000n * USDC);
      const limits = { maxSpendPerInterval: maxSpend, interval, maxDeviationBps: deviation, maxPoolShareBps: poolShare };
      const r = await w.mined(c.executor.write.setLimits([limits]));
      assert.deepEqual(eventOf(buybackExecutorAbi, r, "LimitsUpdated").args, { oldLimits: { ...limits, maxSpendPerInterval: cap }, newLimits: limits });
      await reverts(c.executor.write.setLimits([{ ...limits, maxSpendPerInterval: maxSpend + 1n }]), "BuybackExecutorInvalidParameter", ["maxSpendPerInterval"]);
    });

    // 100,000 USD of revenue: 50,000 USD of $MT buyback, 15,000 USD of FLOCK buyback (both over the
    // cap), on a USDC/FLOCK pool made 60 times as deep (6M USD: its 0.20% depth share is 12,000 USD).
    // The FLOCK buyback spends exactly the cap; the $MT one is bounded by the $MT pool's depth
    // (~500,000 FLOCK), in token units all the same. Each from the same state.
    for (const target of ["$MT", "FLOCK"] as const) {
      const isMt = target === "$MT";
      it(`a ${target} buyback spends min(budget, 10,000 USD, depth share) in token units, at the quote, and burns it`, async () => {
        const g = await w.graduated();
        const gross = 100_000n * USDC;
        await w.mined(g.c.revenueRouter.write.reportRevenue([0n, g.mt, gross, 0n, `0x${"44".repeat(32)}`]));
        await deepenFlockUsdcPool(w, g, 60n);
        for (const pair of [g.mtPair, g.flockUsdcPair]) await w.mined(g.c.oracle.write.update([pair]));
        await w.wait(BigInt(TWAP_WINDOW)); // no one trades: every TWAP is the pool's price
        const ex = g.c.executor;
        const { usdc, flock } = g.d.contracts;
        const [token, path]: [Address, Address[]] = isMt ? [g.mt, [usdc, flock, g.mt]] : [flock, [usdc, flock]];
        const pools: [Address, Address][] = isMt ? [[g.flockUsdcPair, usdc], [g.mtPair, flock]] : [[g.flockUsdcPair, usdc]];
        const hops = await Promise.all(pools.map(async ([pair, tokenIn]) => {
          const [r0, r1] = await g.c.pair(pair).read.getReserves();
          const reserveIn = getAddress(await g.c.pair(pair).read.token0()) === getAddress(tokenIn) ? r0 : r1;
          return { reserveIn, averagePrice: await g.c.oracle.read.averagePrice([pair, tokenIn]) };
        }));
        const limits = defaultBuybackLimits(usdcDecimals);
        const depth = buybackDepthLimit(hops, limits.maxPoolShareBps);
        const budget = isMt ? gross / 2n : (gross * 1_500n) / BPS;
        const spend = buybackSpend(budget, limits, depth);
        if (isMt) assert.ok(spend === depth && depth < 10_000n * USDC, "the $MT pool's depth binds");
        else assert.ok(spend === 10_000n * USDC && depth > spend, "the cap binds, in token units");
        const minOut = buybackMinOut(hops.map((h) => h.averagePrice), spend, limits.maxDeviationBps);
        const supply0 = await g.c.mt(token).read.totalSupply();
        const amounts = await g.c.router.read.getAmountsOut([spend, path]);
        const quote = amounts[amounts.length - 1]!;
        const r = await w.mined(isMt ? ex.write.executeMtBuyback([g.mt]) : ex.write.executeFlockBuyback());
        assert.deepEqual(eventOf(buybackExecutorAbi, r, "BuybackExecuted").args, { target: token, spent: spend, bought: quote, minOut });
        assert.equal(await g.c.mt(token).read.totalSupply(), supply0 - quote, "supply fell by exactly what was bought");
        assert.equal(isMt ? await ex.read.mtBudget([g.mt]) : await ex.read.flockBudget(), budget - spend, "the rest waits for the next interval");
      });
    }
  });
}
