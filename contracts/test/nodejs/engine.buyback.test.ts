// TwapOracle and BuybackExecutor on real Uniswap V2 pairs: exact TWAP arithmetic from the pairs'
// accumulators, every custom error, and the sandwich: an attacker moving the spot price right
// before a buyback makes it revert PriceOutOfBounds (or, for a move within the 2% bound, buy no
// worse than the bound); without the attacker the buyback spends at most the cap, burns exactly
// what it bought, and a second call within the interval reverts TooSoon.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, parseEventLogs, zeroAddress, type Address } from "viem";
import {
  FLOCK,
  MT,
  TWAP_WINDOW,
  USDC,
  buybackExecutorAbi,
  defaultBuybackLimits,
  twapOracleAbi,
} from "@fomo/sdk";
import { BPS, HOUR, MINUTE, createWorld, eventOf, knownBug, reverts, type Graduated } from "./engine-fixtures.ts";

const w = await createWorld();
const WINDOW = BigInt(TWAP_WINDOW);
const Q112 = 2n ** 112n;
const DEAD = getAddress("0x000000000000000000000000000000000000dEaD");
/** Small enough that a buyback's own price impact plus two 0.3% swap fees stays inside 2%. */
const LIMITS = { maxSpendPerInterval: 120n * USDC, interval: 3_600, maxDeviationBps: 200 };
/** Revenue that funds 1,000 USDC of $MT buyback and 300 USDC of FLOCK buyback. */
const GROSS = 2_000n * USDC;

/** The pair's accumulators as of timestamp `t` (what the pair would hold if synced then), computed from its raw state. */
async function cumulativeAt(g: Graduated, pair: Address, t: bigint) {
  const p = g.c.pair(pair);
  const [r0, r1, last] = await p.read.getReserves();
  const dt = t - BigInt(last);
  return {
    p0: (await p.read.price0CumulativeLast()) + ((r1 * Q112) / r0) * dt,
    p1: (await p.read.price1CumulativeLast()) + ((r0 * Q112) / r1) * dt,
  };
}

/** Reads a view as the next block (timestamp set with nextAt) will see it. */
const pending = { blockTag: "pending" } as const;

/** Graduated $MT with buyback budgets, a tight spend cap, fresh TWAP observations, and 40 minutes of ordinary trading. */
async function armed() {
  const g = await w.graduated();
  await w.mined(g.c.revenueRouter.write.reportRevenue([0n, g.mt, GROSS, 0n, `0x${"11".repeat(32)}`]));
  await w.mined(g.c.executor.write.setLimits([LIMITS]));
  await w.mined(g.c.oracle.write.update([g.mtPair]));
  await w.mined(g.c.oracle.write.update([g.flockUsdcPair]));
  const { flock, usdc } = g.d.contracts;
  for (let i = 0; i < 4; i++) {
    await w.wait(10n * MINUTE);
    // Both directions on both pools, small against their depth.
    await w.swap(g.d, w.bob, [flock, g.mt], 500n * FLOCK);
    await w.swap(g.d, w.carol, [g.mt, flock], 60n * MT);
    await w.swap(g.d, w.dave, [usdc, flock], 100n * USDC);
    await w.swap(g.d, w.dave, [flock, usdc], 1_500n * FLOCK);
  }
  await w.wait(MINUTE);
  return g;
}
const load = () => w.nh.loadFixture(armed);

const mtPath = (g: Graduated) => [g.d.contracts.usdc, g.d.contracts.flock, g.mt] as const;
const flockPath = (g: Graduated) => [g.d.contracts.usdc, g.d.contracts.flock] as const;

describe("TwapOracle", () => {
  it("refuses a window under 30 minutes", async () => {
    await w.deployed();
    await reverts(w.deploy("TwapOracle", twapOracleAbi, [WINDOW - 1n]), "InvalidParameter", ["window"]);
    const o = await w.deploy("TwapOracle", twapOracleAbi, [WINDOW]);
    assert.equal(await w.publicClient.readContract({ address: o, abi: twapOracleAbi, functionName: "window" }), WINDOW);
  });

  it("averages the pair's price since the observation, to the wei, in both directions", async () => {
    const g = await w.graduated();
    const pair = g.flockUsdcPair;
    const p = g.c.pair(pair);
    const [token0, token1] = [await p.read.token0(), await p.read.token1()];

    const t0 = (await w.now()) + 10n;
    await w.nextAt(t0);
    const up = await w.mined(g.c.oracle.write.update([pair]));
    const obs = eventOf(twapOracleAbi, up, "Updated").args;
    const expectedObs = await cumulativeAt(g, pair, t0); // the pair is untouched since, so this still holds
    assert.deepEqual(obs, { pair, price0Cumulative: expectedObs.p0, price1Cumulative: expectedObs.p1, timestamp: Number(t0) });
    assert.deepEqual(await g.c.oracle.read.observations([pair]), [expectedObs.p0, expectedObs.p1, Number(t0)]);

    // Price A from t0 to t1, then a trade moves it to price B until t2.
    const [a0, a1] = await p.read.getReserves();
    const t1 = t0 + 700n;
    await w.nextAt(t1);
    await w.swap(g.d, w.dave, [g.d.contracts.usdc, g.d.contracts.flock], 3_000n * USDC);
    const [b0, b1] = await p.read.getReserves();
    const t2 = t1 + WINDOW; // elapsed since the observation: 700 + 1800 >= window
    await w.jumpTo(t2);
    const avg0 = (((a1 * Q112) / a0) * (t1 - t0) + ((b1 * Q112) / b0) * (t2 - t1)) / (t2 - t0);
    const avg1 = (((a0 * Q112) / a1) * (t1 - t0) + ((b0 * Q112) / b1) * (t2 - t1)) / (t2 - t0);
    for (const amount of [1n, 12_345n * USDC, 10n ** 24n]) {
      assert.equal(await g.c.oracle.read.consult([pair, token0, amount]), (avg0 * amount) >> 112n, `token0 in, ${amount}`);
      assert.equal(await g.c.oracle.read.consult([pair, token1, amount]), (avg1 * amount) >> 112n, `token1 in, ${amount}`);
    }
    const now = await cumulativeAt(g, pair, t2);
    assert.deepEqual(await g.c.oracle.read.currentCumulativePrices([pair]), [now.p0, now.p1, Number(t2)]);

    // The executor's bound is the TWAP value less maxDeviationBps, hop by hop.
    const usdcIsToken0 = getAddress(token0) === g.d.contracts.usdc;
    const flockPerUsdc = (x: bigint) => ((usdcIsToken0 ? avg0 : avg1) * x) >> 112n;
    const dev = BigInt(defaultBuybackLimits.maxDeviationBps);
    assert.equal(await g.c.executor.read.minOutFor([[...flockPath(g)], 1_000n * USDC]), (flockPerUsdc(1_000n * USDC) * (BPS - dev)) / BPS);
  });

  it("is not ready before a full window, nor for an unobserved pair; refuses tokens outside the pair", async () => {
    const g = await w.graduated();
    const o = g.c.oracle;
    // The $MT pair has never been observed.
    await reverts(o.read.consult([g.mtPair, g.mt, MT]), "TwapNotReady", [g.mtPair, 0n, WINDOW]);
    const t0 = (await w.now()) + 5n;
    await w.nextAt(t0);
    await w.mined(o.write.update([g.mtPair]));
    await w.jumpTo(t0 + WINDOW - 1n);
    await reverts(o.read.consult([g.mtPair, g.mt, MT]), "TwapNotReady", [g.mtPair, WINDOW - 1n, WINDOW]);
    await w.jumpTo(t0 + WINDOW);
    assert.ok((await o.read.consult([g.mtPair, g.mt, MT])) > 0n);
    await reverts(o.read.consult([g.mtPair, g.d.contracts.usdc, MT]), "NotInPair", [g.mtPair, g.d.contracts.usdc]);
    // Anyone may observe again, which restarts the window.
    await w.mined(g.as(w.attacker).oracle.write.update([g.mtPair]));
    await reverts(o.read.consult([g.mtPair, g.mt, MT]), "TwapNotReady", [g.mtPair, 0n, WINDOW]);
  });
});

describe("BuybackExecutor", () => {
  it("fund: only the funder role, only with USDC that arrived", async () => {
    const g = await w.graduated();
    const ex = g.c.executor;
    const funder = await ex.read.FUNDER_ROLE();
    assert.equal(await ex.read.hasRole([funder, g.d.contracts.revenueRouter]), true);
    await reverts(ex.write.fund([g.mt, 1n, 0n]), "AccessControlUnauthorizedAccount", [w.addr(w.deployer), funder]);
    await w.mined(ex.write.grantRole([funder, w.addr(w.deployer)]));
    await reverts(ex.write.fund([g.mt, 1n, 0n]), "Unfunded", [1n, 0n]);
    await w.mined(g.c.usdc.write.transfer([g.d.contracts.buybackExecutor, 5n]));
    await reverts(ex.write.fund([g.mt, 3n, 3n]), "Unfunded", [6n, 5n]);
    const r = await w.mined(ex.write.fund([g.mt, 3n, 2n]));
    assert.deepEqual(eventOf(buybackExecutorAbi, r, "Funded").args, { mt: g.mt, mtAmount: 3n, flockAmount: 2n });
    assert.equal(await ex.read.mtBudget([g.mt]), 3n);
    assert.equal(await ex.read.flockBudget(), 2n);
    assert.equal(await ex.read.budgeted(), 5n);
    await reverts(ex.write.fund([g.mt, 1n, 0n]), "Unfunded", [1n, 0n]); // budgeted USDC is not free
  });

  it("setLimits: admin only, within hard bounds", async () => {
    const g = await w.graduated();
    const ex = g.c.executor;
    assert.deepEqual(await ex.read.limits(), [defaultBuybackLimits.maxSpendPerInterval, defaultBuybackLimits.interval, defaultBuybackLimits.maxDeviationBps]);
    await reverts(g.as(w.alice).executor.write.setLimits([LIMITS]), "AccessControlUnauthorizedAccount", [w.addr(w.alice), await ex.read.DEFAULT_ADMIN_ROLE()]);
    const bad: [Partial<typeof LIMITS>, string][] = [
      [{ maxSpendPerInterval: 0n }, "maxSpendPerInterval"],
      [{ interval: 59 }, "interval"],
      [{ interval: 86_401 }, "interval"],
      [{ maxDeviationBps: 9 }, "maxDeviationBps"],
      [{ maxDeviationBps: 1_001 }, "maxDeviationBps"],
    ];
    for (const [change, param] of bad) await reverts(ex.write.setLimits([{ ...LIMITS, ...change }]), "InvalidParameter", [param]);
    for (const edge of [{ interval: 60, maxDeviationBps: 10 }, { interval: 86_400, maxDeviationBps: 1_000 }]) {
      const r = await w.mined(ex.write.setLimits([{ ...LIMITS, ...edge }]));
      assert.deepEqual(eventOf(buybackExecutorAbi, r, "LimitsSet").args, { limits: { ...LIMITS, ...edge } });
    }
    const c = g.d.contracts;
    await reverts(w.deploy("BuybackExecutor", buybackExecutorAbi,
      [c.usdc, c.flock, c.uniswapV2Factory, c.uniswapV2Router, c.twapOracle, { ...LIMITS, maxDeviationBps: 0 }, w.addr(w.deployer)]),
      "InvalidParameter", ["maxDeviationBps"]);
  });

  it("refuses with nothing to spend, without a pair, and before the TWAP window", async () => {
    const g = await w.graduated();
    const ex = g.c.executor;
    await reverts(ex.write.executeMtBuyback([g.mt]), "NothingToSpend", [g.mt]);
    await reverts(ex.write.executeFlockBuyback(), "NothingToSpend", [g.d.contracts.flock]);
    // Budgets arrive, but the $MT pair has no observation yet.
    await w.mined(g.c.revenueRouter.write.reportRevenue([0n, g.mt, GROSS, 0n, `0x${"22".repeat(32)}`]));
    await reverts(ex.write.executeMtBuyback([g.mt]), "TwapNotReady", [g.mtPair, 0n, WINDOW]);
    // A budget for a token with no pool.
    await w.mined(ex.write.grantRole([await ex.read.FUNDER_ROLE(), w.addr(w.deployer)]));
    await w.mined(g.c.usdc.write.transfer([g.d.contracts.buybackExecutor, 10n]));
    await w.mined(ex.write.fund([w.addr(w.dave), 10n, 0n]));
    await reverts(ex.write.executeMtBuyback([w.addr(w.dave)]), "NoPair", [g.d.contracts.flock, w.addr(w.dave)]);
    assert.equal(await ex.read.lastExecutedAt([g.mt]), 0n, "no failed attempt is recorded");
  });

  describe("$MT buyback (USDC → FLOCK → $MT, burned)", () => {
    it("without an attacker: spends the cap, buys at least the bound, burns exactly what it bought; TooSoon within the interval", async () => {
      const g = await load();
      const ex = g.as(w.dave).executor; // permissionless
      const mtToken = g.c.mt(g.mt);
      const supply0 = await mtToken.read.totalSupply();
      const budget0 = await ex.read.mtBudget([g.mt]);
      assert.equal(budget0, GROSS / 2n);
      const cap = LIMITS.maxSpendPerInterval;
      const quote = (await g.c.router.read.getAmountsOut([cap, [...mtPath(g)]]))[2]!;
      const t = (await w.now()) + 1n;
      await w.nextAt(t);
      const minOut = await ex.read.minOutFor([[...mtPath(g)], cap], pending);
      const r = await w.mined(ex.write.executeMtBuyback([g.mt]));
      const ev = eventOf(buybackExecutorAbi, r, "BuybackExecuted").args;
      assert.deepEqual(ev, { target: g.mt, spent: cap, bought: quote, minOut });
      assert.ok(quote >= minOut, "bought within the TWAP bound");
      assert.equal(await mtToken.read.totalSupply(), supply0 - quote, "supply fell by exactly the $MT bought");
      assert.equal(await mtToken.read.balanceOf([g.d.contracts.buybackExecutor]), 0n, "nothing kept");
      assert.equal(await ex.read.mtBudget([g.mt]), budget0 - cap);
      assert.equal(await ex.read.lastExecutedAt([g.mt]), t);
      assert.equal(await w.balanceOf(g.d.contracts.usdc, g.d.contracts.buybackExecutor), await ex.read.budgeted(), "USDC held = budgets");

      const next = t + BigInt(LIMITS.interval);
      await w.nextAt(next - 1n);
      await reverts(ex.write.executeMtBuyback([g.mt]), "TooSoon", [g.mt, next]);
      await w.nextAt(next);
      const r2 = await w.mined(ex.write.executeMtBuyback([g.mt]));
      assert.equal(eventOf(buybackExecutorAbi, r2, "BuybackExecuted").args.spent, cap);
      // The FLOCK buyback has its own clock.
      await w.mined(ex.write.executeFlockBuyback());
    });

    it("an attacker pumping $MT right before the buyback makes it revert PriceOutOfBounds; nothing moves", async () => {
      const g = await load();
      const ex = g.as(w.dave).executor;
      const cap = LIMITS.maxSpendPerInterval;
      const supply0 = await g.c.mt(g.mt).read.totalSupply();
      const budget0 = await ex.read.mtBudget([g.mt]);
      // The sandwich's front-run: a big buy of $MT with FLOCK through the router (~10% of the pool).
      await w.swap(g.d, w.attacker, [g.d.contracts.flock, g.mt], 50_000n * FLOCK);
      const spotOut = (await g.c.router.read.getAmountsOut([cap, [...mtPath(g)]]))[2]!;
      await w.nextAt((await w.now()) + 1n);
      const minOut = await ex.read.minOutFor([[...mtPath(g)], cap], pending);
      assert.ok(spotOut < minOut);
      await reverts(ex.write.executeMtBuyback([g.mt]), "PriceOutOfBounds", [spotOut, minOut]);
      assert.equal(await g.c.mt(g.mt).read.totalSupply(), supply0);
      assert.equal(await ex.read.mtBudget([g.mt]), budget0);
      assert.equal(await ex.read.lastExecutedAt([g.mt]), 0n);

      // The attacker unwinds (sells everything back): the buyback goes through again.
      const bought = await w.balanceOf(g.mt, w.addr(w.attacker));
      await w.swap(g.d, w.attacker, [g.mt, g.d.contracts.flock], bought);
      await w.mined(ex.write.executeMtBuyback([g.mt]));
    });

    it("a small move (within the 2% bound) still buys, and never below the bound", async () => {
      const g = await load();
      const ex = g.as(w.dave).executor;
      const cap = LIMITS.maxSpendPerInterval;
      const fair = (await g.c.router.read.getAmountsOut([cap, [...mtPath(g)]]))[2]!;
      await w.swap(g.d, w.attacker, [g.d.contracts.flock, g.mt], 1_000n * FLOCK); // ~0.4% of the pool
      const quote = (await g.c.router.read.getAmountsOut([cap, [...mtPath(g)]]))[2]!;
      const r = await w.mined(ex.write.executeMtBuyback([g.mt]));
      const ev = eventOf(buybackExecutorAbi, r, "BuybackExecuted").args;
      assert.equal(ev.bought, quote);
      assert.ok(ev.bought < fair, "the move did cost the buyback something");
      assert.ok(ev.bought >= ev.minOut, "but never more than the bound");
    });
  });

  describe("FLOCK buyback (USDC → FLOCK, burned)", () => {
    it("without an attacker: spends the cap, burns exactly what it bought; then the rest of the budget; TooSoon within the interval", async () => {
      const g = await load();
      const ex = g.as(w.dave).executor;
      const flock = g.c.flock;
      const cap = LIMITS.maxSpendPerInterval;
      const budget0 = await ex.read.flockBudget();
      assert.equal(budget0, (GROSS * 1_500n) / BPS);
      let t = (await w.now()) + 1n;
      for (const spend of [cap, cap, budget0 - 2n * cap]) {
        const supply0 = await flock.read.totalSupply();
        const quote = (await g.c.router.read.getAmountsOut([spend, [...flockPath(g)]]))[1]!;
        await w.nextAt(t);
        const minOut = await ex.read.minOutFor([[...flockPath(g)], spend], pending);
        const r = await w.mined(ex.write.executeFlockBuyback());
        assert.deepEqual(eventOf(buybackExecutorAbi, r, "BuybackExecuted").args, { target: g.d.contracts.flock, spent: spend, bought: quote, minOut });
        assert.ok(quote >= minOut);
        assert.equal(await flock.read.totalSupply(), supply0 - quote, "FLOCK supply fell by exactly the FLOCK bought");
        assert.equal(await flock.read.balanceOf([g.d.contracts.buybackExecutor]), 0n);
        const next = t + BigInt(LIMITS.interval);
        await w.nextAt(next - 1n);
        await reverts(ex.write.executeFlockBuyback(), "TooSoon", [g.d.contracts.flock, next]);
        t = next;
      }
      await w.nextAt(t);
      await reverts(ex.write.executeFlockBuyback(), "NothingToSpend", [g.d.contracts.flock]);
      assert.equal(await ex.read.flockBudget(), 0n);
    });

    it("an attacker pumping FLOCK right before the buyback makes it revert PriceOutOfBounds; a small move buys within the bound", async () => {
      const g = await load();
      const ex = g.as(w.dave).executor;
      const cap = LIMITS.maxSpendPerInterval;
      const supply0 = await g.c.flock.read.totalSupply();
      const [, pumped] = await w.swap(g.d, w.attacker, [g.d.contracts.usdc, g.d.contracts.flock], 5_000n * USDC); // ~5% of the pool
      const spotOut = (await g.c.router.read.getAmountsOut([cap, [...flockPath(g)]]))[1]!;
      await w.nextAt((await w.now()) + 1n);
      const minOut = await ex.read.minOutFor([[...flockPath(g)], cap], pending);
      await reverts(ex.write.executeFlockBuyback(), "PriceOutOfBounds", [spotOut, minOut]);
      assert.equal(await g.c.flock.read.totalSupply(), supply0);
      assert.equal(await ex.read.flockBudget(), (GROSS * 1_500n) / BPS);

      // The attacker unwinds 95%: what remains is a small move, inside the bound.
      await w.swap(g.d, w.attacker, [g.d.contracts.flock, g.d.contracts.usdc], (pumped! * 95n) / 100n);
      const quote = (await g.c.router.read.getAmountsOut([cap, [...flockPath(g)]]))[1]!;
      const r = await w.mined(ex.write.executeFlockBuyback());
      const ev = eventOf(buybackExecutorAbi, r, "BuybackExecuted").args;
      assert.equal(ev.bought, quote);
      assert.ok(ev.bought >= ev.minOut);
    });

    it("burns by sending to 0x…dEaD when the FLOCK token has no burn()", async () => {
      // Stand-in for a burn-less FLOCK: the USDC/FLOCK LP token (a plain UniswapV2ERC20), in a USDC/LP pool.
      const g = await w.graduated();
      const lp = g.flockUsdcPair;
      const lpToken = g.c.pair(lp);
      const { usdc, uniswapV2Router, uniswapV2Factory, twapOracle } = g.d.contracts;
      await w.mined(lpToken.write.approve([uniswapV2Router, 2n ** 256n - 1n]));
      await w.mined(g.c.usdc.write.approve([uniswapV2Router, 10_000n * USDC]));
      const lpHeld = await lpToken.read.balanceOf([w.addr(w.deployer)]);
      await w.mined(g.c.router.write.addLiquidity([usdc, lp, 10_000n * USDC, lpHeld / 10n, 0n, 0n, w.addr(w.deployer), (await w.now()) + HOUR]));
      const pool = await g.c.factory.read.getPair([usdc, lp]);
      await w.mined(g.c.oracle.write.update([pool]));
      await w.wait(WINDOW);
      const ex = await w.deploy("BuybackExecutor", buybackExecutorAbi,
        [usdc, lp, uniswapV2Factory, uniswapV2Router, twapOracle, LIMITS, w.addr(w.deployer)]);
      const exec = { address: ex, abi: buybackExecutorAbi } as const;
      const write = async (functionName: "grantRole" | "fund" | "executeFlockBuyback", args: readonly unknown[]) =>
        w.mined(w.deployer.writeContract({ ...exec, functionName, args } as never));
      const funder = await w.publicClient.readContract({ ...exec, functionName: "FUNDER_ROLE" });
      await write("grantRole", [funder, w.addr(w.deployer)]);
      await w.mined(g.c.usdc.write.transfer([ex, 50n * USDC]));
      await write("fund", [zeroAddress, 0n, 50n * USDC]);
      const supply0 = await lpToken.read.totalSupply();
      const dead0 = await lpToken.read.balanceOf([DEAD]);
      const r = await write("executeFlockBuyback", []);
      const [ev] = parseEventLogs({ abi: buybackExecutorAbi, logs: r.logs, eventName: "BuybackExecuted" });
      assert.ok(ev && ev.args.bought > 0n);
      assert.equal(await lpToken.read.balanceOf([DEAD]), dead0 + ev.args.bought, "all of it at the dead address");
      assert.equal(await lpToken.read.balanceOf([ex]), 0n);
      assert.equal(await lpToken.read.totalSupply(), supply0, "no burn() was available");
    });
  });

  describe("default limits on the default pools", () => {
    it("KNOWN BUG: an unmanipulated FLOCK buyback of a budget under the default cap buys", knownBug(
      "minOut = TWAP value − 2% ignores the trade's own price impact and swap fees; with deployLocal's defaults " +
        "(cap 10,000 USDC, USDC/FLOCK pool 100,000 USDC) any budget above ~1,700 USDC reverts PriceOutOfBounds, and keeps doing so",
    ), async () => {
      const g = await w.graduated();
      // 20,000 USDC of net revenue funds 3,000 USDC of FLOCK buyback: below the 10,000 USDC cap.
      await w.mined(g.c.revenueRouter.write.reportRevenue([0n, g.mt, 20_000n * USDC, 0n, `0x${"33".repeat(32)}`]));
      await w.wait(WINDOW); // the deployment's observation is old enough; no one trades
      const spend = await g.c.executor.read.flockBudget();
      assert.ok(spend <= defaultBuybackLimits.maxSpendPerInterval);
      await w.mined(g.c.executor.write.executeFlockBuyback());
    });
  });
});
