// TwapOracle and BuybackExecutor on real Uniswap V2 pairs, with the deployment's default limits
// (10,000 USDC per interval, 2% deviation, 0.20% of a pool per buyback): exact TWAP arithmetic
// from the pairs' accumulators, the two-observation rule (nobody can reset a maturing window), no
// observation of an empty pair, stale starting observations refused until an update and a window
// restore one, every custom error, and the sandwich: an attacker moving a pool's spot price right
// before a buyback makes it revert BuybackExecutorPriceOutOfBounds naming that pool, its spot and its floor
// (computed here from the reserves and the accumulators); a move within that bound still buys, at
// the router's exact quote, but never below the spend's TWAP value less 2% (BuybackExecutorBelowTwapValue), so a
// front-run just inside the bound no longer profits; without an attacker a buyback spends
// min(budget, cap, the pools' depth share), buys exactly the quote, burns all of it, and a second
// call within the interval reverts BuybackExecutorTooSoon.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, getContract, parseEventLogs, zeroAddress, type Address, type Hex } from "viem";
import {
  BPS,
  FLOCK,
  MT,
  TWAP_MAX_AGE,
  TWAP_WINDOW,
  buybackDepthLimit,
  buybackExecutorAbi,
  buybackMinOut,
  buybackSpend,
  defaultBuybackLimits,
  localTokenAbi,
  twapOracleAbi,
  type BuybackHop,
} from "@fomo/sdk";
import { HOUR, MINUTE, rng, runSeed } from "@fomo/testkit";
import { eventOf } from "@fomo/testkit/events";
import { reverts } from "@fomo/testkit/reverts";
import { createWorld, deepenFlockUsdcPool, type Graduated } from "./engine-fixtures.ts";

// On the default 6-decimal USDC; engine.buyback.decimals.test.ts runs the cap and bounds on 6 and 18.
const w = await createWorld();
/** One USDC in the world's units. */
const USDC = w.usd;
const SEED = runSeed(process.env.FOMO_SEED);
const WINDOW = BigInt(TWAP_WINDOW);
const MAX_AGE = BigInt(TWAP_MAX_AGE);
const Q112 = 2n ** 112n;
const DEAD = getAddress("0x000000000000000000000000000000000000dEaD");
const LIMITS = defaultBuybackLimits(w.usdcDecimals);
const CAP = LIMITS.maxSpendPerInterval;
const INTERVAL = BigInt(LIMITS.interval);
const DEVIATION = BigInt(LIMITS.maxDeviationBps);
const SHARE = BigInt(LIMITS.maxPoolShareBps);
/** Revenue that funds 15,000 USDC of $MT buyback (over the cap) and 4,500 USDC of FLOCK buyback (under it). */
const GROSS = 30_000n * USDC;
const MT_BUDGET = GROSS / 2n;
const FLOCK_BUDGET = (GROSS * 1_500n) / BPS;

const supplyOf = (token: Address) => w.publicClient.readContract({ address: token, abi: localTokenAbi, functionName: "totalSupply" });
/** Reads a view as the next block (timestamp set with nextAt) will see it. */
const pending = { blockTag: "pending" } as const;

// ------------------------------------------------------------------ the oracle, independently

/** One TwapOracle observation, in the shape `observations(pair)` returns it. */
interface Obs {
  price0Cumulative: bigint;
  price1Cumulative: bigint;
  timestamp: number;
}
interface Observations {
  older: Obs;
  newer: Obs;
}
const EMPTY_OBS: Obs = { price0Cumulative: 0n, price1Cumulative: 0n, timestamp: 0 };

/** The pair's accumulators as of timestamp `t` (what the pair would hold if synced then), from its raw state. */
async function observationAt(g: Graduated, pair: Address, t: bigint): Promise<Obs> {
  const p = g.c.pair(pair);
  const [r0, r1, last] = await p.read.getReserves();
  const dt = t - BigInt(last);
  return {
    price0Cumulative: (await p.read.price0CumulativeLast()) + ((r1 * Q112) / r0) * dt,
    price1Cumulative: (await p.read.price1CumulativeLast()) + ((r0 * Q112) / r1) * dt,
    timestamp: Number(t),
  };
}

/** The spec's rule: the newest observation at least a window old at `t` (undefined: not ready). */
function matureAt(o: Observations, t: bigint): Obs | undefined {
  if (o.newer.timestamp !== 0 && t - BigInt(o.newer.timestamp) >= WINDOW) return o.newer;
  return o.older.timestamp !== 0 ? o.older : undefined;
}

/** Whether `tokenIn` is the pair's token0. */
const isToken0 = async (g: Graduated, pair: Address, tokenIn: Address) =>
  getAddress(await g.c.pair(pair).read.token0()) === getAddress(tokenIn);

/** Average price of `tokenIn` (UQ112x112) at `t` from the observations the test tracked. */
async function averageRef(g: Graduated, pair: Address, tokenIn: Address, o: Observations, t: bigint): Promise<bigint> {
  const from = matureAt(o, t);
  assert.ok(from, "a mature observation exists");
  const now = await observationAt(g, pair, t);
  const in0 = await isToken0(g, pair, tokenIn);
  const delta = in0 ? now.price0Cumulative - from.price0Cumulative : now.price1Cumulative - from.price1Cumulative;
  return delta / (t - BigInt(from.timestamp));
}

/** What the executor's bound sees in `pair` at `t`: the spot price of `tokenIn` from the reserves, and the floor. */
async function boundAt(g: Graduated, pair: Address, tokenIn: Address, o: Observations, t: bigint) {
  const [r0, r1] = await g.c.pair(pair).read.getReserves();
  const [reserveIn, reserveOut] = (await isToken0(g, pair, tokenIn)) ? [r0, r1] : [r1, r0];
  const spot = (reserveOut * Q112) / reserveIn;
  const floor = ((await averageRef(g, pair, tokenIn, o, t)) * (BPS - DEVIATION)) / BPS;
  return { spot, floor, ok: spot >= floor };
}

/** Calls oracle.update(pair) as `who` at `t`; returns the observations after it (checked against the oracle). */
async function observe(g: Graduated, pair: Address, t: bigint, who = w.deployer): Promise<Observations> {
  const before = await g.c.oracle.read.observations([pair]);
  const record = before.newer.timestamp === 0 || t - BigInt(before.newer.timestamp) >= WINDOW;
  const o = g.as(who).oracle;
  await w.nextAt(t);
  assert.equal((await o.simulate.update([pair], pending)).result, record, `update returns ${record}`);
  const r = await w.mined(o.write.update([pair]));
  assert.equal((await w.publicClient.getBlock({ blockHash: r.blockHash })).timestamp, t);
  const logs = parseEventLogs({ abi: twapOracleAbi, logs: r.logs, eventName: "Updated" });
  const after: Observations = record ? { older: before.newer, newer: await observationAt(g, pair, t) } : before;
  assert.deepEqual(logs.map((l) => l.args), record ? [{ pair, ...after.newer }] : [], "Updated only when recorded");
  assert.deepEqual(await g.c.oracle.read.observations([pair]), after, record ? "rotated" : "nothing changed");
  return after;
}

// ------------------------------------------------------------------ fixture

/** Graduated $MT with buyback budgets, fresh observations on both pools, then 40 minutes of ordinary trading. */
async function armed() {
  const g = await w.graduated();
  await w.mined(g.c.revenueRouter.write.reportRevenue([0n, g.mt, GROSS, 0n, `0x${"11".repeat(32)}`]));
  const t = (await w.now()) + 1n;
  const obs = { mt: await observe(g, g.mtPair, t), flock: await observe(g, g.flockUsdcPair, t + 1n) };
  assert.equal(obs.mt.older.timestamp, 0, "first observation of the $MT pool");
  assert.notEqual(obs.flock.older.timestamp, 0, "the deployment's observation rotated into `older`");
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
  return { ...g, obs };
}
type Armed = Awaited<ReturnType<typeof armed>>;
const load = () => w.nh.loadFixture(armed);

const deepen = (g: Graduated, times: bigint) => deepenFlockUsdcPool(w, g, times);

const mtPath = (g: Graduated) => [g.d.contracts.usdc, g.d.contracts.flock, g.mt] as const;
const flockPath = (g: Graduated) => [g.d.contracts.usdc, g.d.contracts.flock] as const;
/** The router's exact output along `path` (as the next block sees it). */
const routerQuote = async (g: Graduated, path: readonly Address[], amountIn: bigint, at: { blockTag: "pending" | "latest" } = pending) =>
  (await g.c.router.read.getAmountsOut([amountIn, [...path]], at)).at(-1)!;

/** The pools of a buyback path, with the token each one takes in. */
const poolsOf = (g: Graduated, path: readonly Address[]) =>
  path.length === 3
    ? [{ pair: g.flockUsdcPair, tokenIn: g.d.contracts.usdc }, { pair: g.mtPair, tokenIn: g.d.contracts.flock }]
    : [{ pair: g.flockUsdcPair, tokenIn: g.d.contracts.usdc }];

/**
 * What a buyback of `budget` along `path` does at `t` (call with the chain as that block sees it):
 * each pool's input reserve and TWAP (this file's reference, from the oracle's observations), the
 * depth limit, the spend min(budget, cap, depth) and the least output, the last three by the SDK's
 * mirror of the executor's bounds.
 */
async function planAt(g: Graduated, path: readonly Address[], budget: bigint, t: bigint) {
  const hops: BuybackHop[] = [];
  for (const { pair, tokenIn } of poolsOf(g, path)) {
    const [r0, r1] = await g.c.pair(pair).read.getReserves();
    const o = await g.c.oracle.read.observations([pair]);
    hops.push({ reserveIn: (await isToken0(g, pair, tokenIn)) ? r0 : r1, averagePrice: await averageRef(g, pair, tokenIn, o, t) });
  }
  const depth = buybackDepthLimit(hops, LIMITS.maxPoolShareBps);
  const spend = buybackSpend(budget, LIMITS, depth);
  return { hops, depth, spend, minOut: buybackMinOut(hops.map((h) => h.averagePrice), spend, LIMITS.maxDeviationBps) };
}

/**
 * Runs the buyback `execute` (of `target`, funded with `budget`, along `path`) in the next block and
 * checks it went as planned: it spent min(budget, cap, depth share) and bought exactly the router's
 * quote, at least the TWAP value less 2% (the event's minOut). Returns the quote and the plan.
 */
async function buysAsPlanned(g: Graduated, execute: () => Promise<Hex>, path: readonly Address[], budget: bigint, target: Address) {
  const t = (await w.now()) + 1n;
  await w.nextAt(t);
  const plan = await planAt(g, path, budget, t);
  const quote = await routerQuote(g, path, plan.spend);
  assert.ok(quote >= plan.minOut);
  const r = await w.mined(execute());
  assert.deepEqual(eventOf(buybackExecutorAbi, r, "BuybackExecuted").args, { target, spent: plan.spend, bought: quote, minOut: plan.minOut });
  return { quote, ...plan };
}

/**
 * At `t`, the pool `pair` (tokenIn → the next token on the path) is out of bounds: `quote` and the
 * buyback both revert BuybackExecutorPriceOutOfBounds with the spot and floor computed here; every earlier pool
 * on the path is within bounds (so the revert is about this one).
 */
async function expectOutOfBounds(
  g: Armed, execute: () => Promise<Hex>, path: readonly Address[], spend: bigint,
  pair: Address, tokenIn: Address, obs: Observations, t: bigint,
) {
  await w.nextAt(t);
  if (pair !== g.flockUsdcPair) {
    // The only pool that comes before another on a path is the USDC/FLOCK pool (the $MT path's first hop).
    assert.ok((await boundAt(g, g.flockUsdcPair, path[0]!, g.obs.flock, t)).ok, "the first hop is within bounds");
  }
  const { spot, floor, ok } = await boundAt(g, pair, tokenIn, obs, t);
  assert.ok(!ok, "the manipulated pool is below its floor");
  const expected = [pair, tokenIn, spot, floor];
  await reverts(g.c.executor.read.quote([[...path], spend], pending), "BuybackExecutorPriceOutOfBounds", expected);
  await reverts(execute(), "BuybackExecutorPriceOutOfBounds", expected);
}

describe("TwapOracle", () => {
  it("refuses a window under 30 minutes, and a maximum age outside 2 to 48 windows", async () => {
    await w.deployed();
    const minutes30 = 30n * MINUTE;
    await reverts(w.deploy("TwapOracle", twapOracleAbi, [minutes30 - 1n, 2n * minutes30]), "TwapOracleInvalidParameter", ["window"]);
    for (const [window, maxAge] of [[minutes30, 2n * minutes30 - 1n], [minutes30, 48n * minutes30 + 1n], [HOUR, 2n * HOUR - 1n], [HOUR, 48n * HOUR + 1n]]) {
      await reverts(w.deploy("TwapOracle", twapOracleAbi, [window, maxAge]), "TwapOracleInvalidParameter", ["maxAge"]);
    }
    for (const [window, maxAge] of [[minutes30, 2n * minutes30], [minutes30, 48n * minutes30], [HOUR, 2n * HOUR], [WINDOW, MAX_AGE]]) {
      const o = await w.deploy("TwapOracle", twapOracleAbi, [window, maxAge]);
      const read = (functionName: "window" | "maxAge") => w.publicClient.readContract({ address: o, abi: twapOracleAbi, functionName });
      assert.deepEqual([await read("window"), await read("maxAge")], [window, maxAge]);
    }
  });

  it("refuses to observe a pair with an empty side: no average can start before its pool opens", async () => {
    const g = await w.graduated();
    const { flock } = g.d.contracts;
    // The offering still raising has a predictable $MT: anyone can create its pair now.
    await w.mined(g.as(w.attacker).factory.write.createPair([g.raising, flock]));
    const pair = await g.c.factory.read.getPair([g.raising, flock]);
    await reverts(g.as(w.attacker).oracle.write.update([pair]), "TwapOracleEmptyPair", [pair]);
    // One side synced in (a FLOCK donation): still no price.
    await w.mined(g.as(w.attacker).flock.write.transfer([pair, 1_000n * FLOCK]));
    await w.mined(g.as(w.attacker).pair(pair).write.sync());
    assert.notDeepEqual((await g.c.pair(pair).read.getReserves()).slice(0, 2), [0n, 0n]);
    await reverts(g.as(w.attacker).oracle.write.update([pair]), "TwapOracleEmptyPair", [pair]);
    assert.deepEqual(await g.c.oracle.read.observations([pair]), { older: EMPTY_OBS, newer: EMPTY_OBS });
    await reverts(g.c.oracle.read.averagePrice([pair, flock]), "TwapOracleNotReady", [pair, WINDOW]);
    // A pool with both sides is observed (the USDC/FLOCK pool, whatever its state).
    await w.wait(WINDOW);
    assert.equal((await g.c.oracle.simulate.update([g.flockUsdcPair])).result, true);
  });

  it("refuses an average from an observation older than maxAge; an update and a window later it recovers, never averaging under a window", async () => {
    const g = await w.graduated();
    const pair = g.flockUsdcPair;
    const { usdc, flock } = g.d.contracts;
    const o = g.c.oracle;
    const t0 = (await w.now()) + 1n;
    let obs = await observe(g, pair, t0); // the deployment's observation is over a window old: this records
    // Mature and fresh up to maxAge, stale one second later.
    await w.jumpTo(t0 + MAX_AGE);
    assert.equal(await o.read.averagePrice([pair, usdc]), await averageRef(g, pair, usdc, obs, t0 + MAX_AGE));
    await w.jumpTo(t0 + MAX_AGE + 1n);
    await reverts(o.read.averagePrice([pair, usdc]), "TwapOracleStale", [pair, MAX_AGE + 1n, MAX_AGE]);
    await reverts(o.read.consult([pair, flock, FLOCK]), "TwapOracleStale", [pair, MAX_AGE + 1n, MAX_AGE]);
    // A buyback through the pool is refused meanwhile.
    await w.mined(g.c.revenueRouter.write.reportRevenue([0n, g.mt, GROSS, 0n, `0x${"44".repeat(32)}`]));
    await reverts(g.c.executor.write.executeFlockBuyback(), "TwapOracleStale");

    // Anyone updates: the stale observation rotates into `older`, which stays the mature one (and
    // stale) until the new one is a full window old; updates meanwhile change nothing.
    const t1 = t0 + 2n * MAX_AGE;
    obs = await observe(g, pair, t1, w.attacker);
    assert.equal(obs.older.timestamp, Number(t0));
    for (const t of [t1 + 1n, t1 + WINDOW - 1n]) {
      obs = await observe(g, pair, t, w.attacker);
      assert.equal(obs.newer.timestamp, Number(t1), "no update inside the window");
      await reverts(o.read.averagePrice([pair, usdc]), "TwapOracleStale", [pair, t - t0, MAX_AGE]);
    }
    await w.jumpTo(t1 + WINDOW);
    assert.equal(await o.read.averagePrice([pair, usdc]), await averageRef(g, pair, usdc, obs, t1 + WINDOW));
    assert.equal(matureAt(obs, t1 + WINDOW)!.timestamp, Number(t1), "the average runs over exactly one window");

    // The FLOCK buyback runs again.
    const r = await w.mined(g.c.executor.write.executeFlockBuyback());
    assert.ok(eventOf(buybackExecutorAbi, r, "BuybackExecuted").args.bought > 0n);
  });

  it("averages the pair's price since the mature observation, to the wei, in both directions", async () => {
    const g = await w.graduated();
    const pair = g.flockUsdcPair;
    const p = g.c.pair(pair);
    const [token0, token1] = [await p.read.token0(), await p.read.token1()];

    // The deployment observed the pool over a window ago: this update records and rotates.
    const t0 = (await w.now()) + 10n;
    const o = await observe(g, pair, t0);

    // Price A from t0 to t1, then a trade moves it to price B until t2.
    const [a0, a1] = await p.read.getReserves();
    const t1 = t0 + 700n;
    await w.nextAt(t1);
    await w.swap(g.d, w.dave, [g.d.contracts.usdc, g.d.contracts.flock], 3_000n * USDC);
    const [b0, b1] = await p.read.getReserves();
    const t2 = t1 + WINDOW; // the t0 observation is now a window old: it is the one averaged from
    await w.jumpTo(t2);
    assert.equal(matureAt(o, t2), o.newer);
    const avg0 = (((a1 * Q112) / a0) * (t1 - t0) + ((b1 * Q112) / b0) * (t2 - t1)) / (t2 - t0);
    const avg1 = (((a0 * Q112) / a1) * (t1 - t0) + ((b0 * Q112) / b1) * (t2 - t1)) / (t2 - t0);
    assert.equal(await g.c.oracle.read.averagePrice([pair, token0]), avg0);
    assert.equal(await g.c.oracle.read.averagePrice([pair, token1]), avg1);
    for (const amount of [1n, 12_345n * USDC, 10n ** 24n]) {
      assert.equal(await g.c.oracle.read.consult([pair, token0, amount]), (avg0 * amount) >> 112n, `token0 in, ${amount}`);
      assert.equal(await g.c.oracle.read.consult([pair, token1, amount]), (avg1 * amount) >> 112n, `token1 in, ${amount}`);
    }
    const now = await observationAt(g, pair, t2);
    assert.deepEqual(await g.c.oracle.read.currentCumulativePrices([pair]), [now.price0Cumulative, now.price1Cumulative, Number(t2)]);
  });

  it("is not ready before a full window, nor for an unobserved pair; updates inside the window do nothing; refuses tokens outside the pair", async () => {
    const g = await w.graduated();
    const o = g.c.oracle;
    const notReady = [g.mtPair, WINDOW];
    // The $MT pair's only observation is the one graduation recorded (Launchpad._graduate).
    let obs = await o.read.observations([g.mtPair]);
    const t0 = BigInt(obs.newer.timestamp);
    assert.ok(t0 > 0n && obs.older.timestamp === 0, "graduation's observation, the first");
    await reverts(o.read.consult([g.mtPair, g.mt, MT]), "TwapOracleNotReady", notReady);
    await reverts(o.read.averagePrice([g.mtPair, g.mt]), "TwapOracleNotReady", notReady);
    // Inside the window: not ready, and updates by anyone return false and change nothing.
    for (const t of [(await w.now()) + 1n, t0 + WINDOW / 2n, t0 + WINDOW - 1n]) {
      obs = await observe(g, g.mtPair, t, w.attacker);
      assert.equal(obs.newer.timestamp, Number(t0));
      await reverts(o.read.consult([g.mtPair, g.mt, MT]), "TwapOracleNotReady", notReady);
      await reverts(o.read.averagePrice([g.mtPair, g.d.contracts.flock]), "TwapOracleNotReady", notReady);
    }
    await w.jumpTo(t0 + WINDOW);
    const avg = await averageRef(g, g.mtPair, g.mt, obs, t0 + WINDOW);
    assert.ok(avg > 0n);
    assert.equal(await o.read.averagePrice([g.mtPair, g.mt]), avg);
    assert.equal(await o.read.consult([g.mtPair, g.mt, MT]), (avg * MT) >> 112n);
    await reverts(o.read.consult([g.mtPair, g.d.contracts.usdc, MT]), "TwapOracleNotInPair", [g.mtPair, g.d.contracts.usdc]);
    await reverts(o.read.averagePrice([g.mtPair, g.d.contracts.usdc]), "TwapOracleNotInPair", [g.mtPair, g.d.contracts.usdc]);
  });

  it("DoS: once an observation is mature, an attacker calling update at will never makes the oracle, a quote or a buyback unready", async () => {
    const g = await load();
    const ex = g.c.executor;
    let obs = { ...g.obs };
    // Seconds after the $MT pool's newest observation at which the attacker updates both pools
    // (the $MT pool at t, the USDC/FLOCK pool at t + 1, whose observations are 1 s later too, so
    // both see the same age; rounds are >= 2 s apart): right after a rotation, inside the window,
    // at its last second, at its end, and after a long pause.
    const offsets = [2n, 60n, 900n, WINDOW - 1n, WINDOW + 1n, 2n, WINDOW - 2n, WINDOW, 3n * WINDOW, 7n, WINDOW];
    let rounds = 0;
    let rotations = 0;
    const attack = async (t: bigint) => {
      const before = obs.mt.newer.timestamp;
      obs = { mt: await observe(g, g.mtPair, t, w.attacker), flock: await observe(g, g.flockUsdcPair, t + 1n, w.attacker) };
      rounds++;
      if (obs.mt.newer.timestamp !== before) rotations++;
      // Whatever the attacker did, the oracle answers, exactly per the spec, and the executor quotes.
      const at = t + 1n;
      for (const [pair, o, tokens] of [
        [g.mtPair, obs.mt, [g.mt, g.d.contracts.flock]],
        [g.flockUsdcPair, obs.flock, [g.d.contracts.usdc, g.d.contracts.flock]],
      ] as const) {
        for (const token of tokens) {
          const avg = await averageRef(g, pair, token, o, at);
          assert.equal(await g.c.oracle.read.averagePrice([pair, token]), avg);
          assert.equal(await g.c.oracle.read.consult([pair, token, 1_000n * FLOCK]), (avg * 1_000n * FLOCK) >> 112n);
        }
      }
      for (const path of [mtPath(g), flockPath(g)]) {
        const plan = await planAt(g, path, CAP, at);
        assert.equal(await ex.read.spendLimit([[...path]]), plan.spend);
        assert.deepEqual(await ex.read.quote([[...path], plan.spend]),
          [await routerQuote(g, path, plan.spend, { blockTag: "latest" }), plan.minOut]);
      }
    };
    await attack((await w.now()) + 1n); // the armed observations are over a window old: this rotates
    for (const offset of offsets) await attack(BigInt(obs.mt.newer.timestamp) + offset);
    assert.equal(rounds, offsets.length + 1);
    assert.equal(rotations, 5, "rotations only at a window's end (and after the pause)");
    assert.equal(obs.mt.newer.timestamp, Number(await w.now()) - 1, "the last update just rotated: the newest observation is 1 s old");

    // Right after that rotation, both buybacks go (each from the same state).
    const snapshot = await w.nh.takeSnapshot();
    const t = (await w.now()) + 1n;
    for (const [path, budget, execute] of [
      [mtPath(g), MT_BUDGET, () => g.as(w.attacker).executor.write.executeMtBuyback([g.mt])],
      [flockPath(g), FLOCK_BUDGET, () => g.as(w.attacker).executor.write.executeFlockBuyback()],
    ] as const) {
      await w.nextAt(t);
      const { spend } = await planAt(g, path, budget, t);
      assert.equal(eventOf(buybackExecutorAbi, await w.mined(execute()), "BuybackExecuted").args.spent, spend);
      await snapshot.restore();
    }
  });
});

describe("BuybackExecutor", () => {
  it("fund: only the funder role, only with USDC that arrived, never zero", async () => {
    const g = await w.graduated();
    const ex = g.c.executor;
    const funder = await ex.read.FUNDER_ROLE();
    assert.equal(await ex.read.hasRole([funder, g.d.contracts.revenueRouter]), true);
    await reverts(ex.write.fund([g.mt, 1n, 0n]), "AccessControlUnauthorizedAccount", [w.addr(w.deployer), funder]);
    await w.mined(ex.write.grantRole([funder, w.addr(w.deployer)]));
    await reverts(ex.write.fund([g.mt, 1n, 0n]), "BuybackExecutorUnfunded", [1n, 0n]);
    await w.mined(g.c.usdc.write.transfer([g.d.contracts.buybackExecutor, 5n]));
    await reverts(ex.write.fund([g.mt, 0n, 0n]), "BuybackExecutorZeroAmount");
    await reverts(ex.write.fund([g.mt, 3n, 3n]), "BuybackExecutorUnfunded", [6n, 5n]);
    const r = await w.mined(ex.write.fund([g.mt, 3n, 2n]));
    assert.deepEqual(eventOf(buybackExecutorAbi, r, "Funded").args, { mt: g.mt, mtAmount: 3n, flockAmount: 2n });
    assert.equal(await ex.read.mtBudget([g.mt]), 3n);
    assert.equal(await ex.read.flockBudget(), 2n);
    assert.equal(await ex.read.budgeted(), 5n);
    await reverts(ex.write.fund([g.mt, 1n, 0n]), "BuybackExecutorUnfunded", [1n, 0n]); // budgeted USDC is not free
  });

  it("setLimits: admin only, within hard bounds", async () => {
    const g = await w.graduated();
    const ex = g.c.executor;
    assert.deepEqual(await ex.read.limits(), [LIMITS.maxSpendPerInterval, LIMITS.interval, LIMITS.maxDeviationBps, LIMITS.maxPoolShareBps]);
    const maxSpend = 1_000_000n * USDC; // the hard cap on one buyback: 1M USDC
    assert.equal(await ex.read.MAX_SPEND_PER_INTERVAL(), maxSpend);
    await reverts(g.as(w.alice).executor.write.setLimits([LIMITS]), "AccessControlUnauthorizedAccount", [w.addr(w.alice), await ex.read.DEFAULT_ADMIN_ROLE()]);
    type Limits = { maxSpendPerInterval: bigint; interval: number; maxDeviationBps: number; maxPoolShareBps: number };
    // The tolerance must hold two hops' fees (0.3% each) and a buyback's own impact (at most its pool share) on each.
    const room = (share: number) => 2 * (30 + share);
    const bad: [Partial<Limits>, string][] = [
      [{ maxSpendPerInterval: 0n }, "maxSpendPerInterval"],
      [{ maxSpendPerInterval: maxSpend + 1n }, "maxSpendPerInterval"],
      [{ interval: 59 }, "interval"],
      [{ interval: 86_401 }, "interval"],
      [{ maxDeviationBps: 9 }, "maxDeviationBps"],
      [{ maxDeviationBps: 1_001 }, "maxDeviationBps"],
      [{ maxPoolShareBps: 0 }, "maxPoolShareBps"],
      [{ maxPoolShareBps: 21, maxDeviationBps: 1_000 }, "maxPoolShareBps"], // over MAX_POOL_SHARE_BPS, under the fee
      [{ maxPoolShareBps: 30, maxDeviationBps: 1_000 }, "maxPoolShareBps"], // = the fee: a sandwich can profit
      [{ maxDeviationBps: room(LIMITS.maxPoolShareBps) - 1 }, "maxPoolShareBps"],
      [{ maxPoolShareBps: 20, maxDeviationBps: room(20) - 1 }, "maxPoolShareBps"], // 2 × (0.3% + 0.2%) > 0.99%
    ];
    for (const [change, param] of bad) await reverts(ex.write.setLimits([{ ...LIMITS, ...change }]), "BuybackExecutorInvalidParameter", [param]);
    const edges: Limits[] = [
      { maxSpendPerInterval: 1n, interval: 60, maxDeviationBps: room(1), maxPoolShareBps: 1 },
      { maxSpendPerInterval: maxSpend, interval: 86_400, maxDeviationBps: 1_000, maxPoolShareBps: 20 },
      { ...LIMITS, maxPoolShareBps: 20, maxDeviationBps: room(20) },
    ];
    let previous: Limits = LIMITS;
    for (const edge of edges) {
      const r = await w.mined(ex.write.setLimits([edge]));
      assert.deepEqual(eventOf(buybackExecutorAbi, r, "LimitsUpdated").args, { oldLimits: previous, newLimits: edge });
      previous = edge;
      assert.deepEqual(await ex.read.limits(), [edge.maxSpendPerInterval, edge.interval, edge.maxDeviationBps, edge.maxPoolShareBps]);
    }
    const c = g.d.contracts;
    await reverts(w.deploy("BuybackExecutor", buybackExecutorAbi,
      [c.usdc, c.flock, c.uniswapV2Factory, c.uniswapV2Router, c.twapOracle, { ...LIMITS, maxDeviationBps: 0 }, w.addr(w.deployer)]),
      "BuybackExecutorInvalidParameter", ["maxDeviationBps"]);
  });

  it("refuses with nothing to spend, without a pair, and before the TWAP window", async () => {
    const g = await w.graduated();
    const ex = g.c.executor;
    await reverts(ex.write.executeMtBuyback([g.mt]), "BuybackExecutorNothingToSpend", [g.mt]);
    await reverts(ex.write.executeFlockBuyback(), "BuybackExecutorNothingToSpend", [g.d.contracts.flock]);
    // Budgets arrive, but the $MT pair has no observation yet.
    await w.mined(g.c.revenueRouter.write.reportRevenue([0n, g.mt, GROSS, 0n, `0x${"22".repeat(32)}`]));
    await reverts(ex.write.executeMtBuyback([g.mt]), "TwapOracleNotReady", [g.mtPair, WINDOW]);
    // A budget for a token with no pool.
    await w.mined(ex.write.grantRole([await ex.read.FUNDER_ROLE(), w.addr(w.deployer)]));
    await w.mined(g.c.usdc.write.transfer([g.d.contracts.buybackExecutor, 10n]));
    await w.mined(ex.write.fund([w.addr(w.dave), 10n, 0n]));
    await reverts(ex.write.executeMtBuyback([w.addr(w.dave)]), "BuybackExecutorNoPair", [g.d.contracts.flock, w.addr(w.dave)]);
    assert.equal(await ex.read.lastExecutedAt([g.mt]), 0n, "no failed attempt is recorded");
  });

  describe("$MT buyback (USDC → FLOCK → $MT, burned)", () => {
    it("without an attacker, against pools too thin for the cap: spends only the depth share, buys exactly the quote (above the TWAP value less 2%), burns it; BuybackExecutorTooSoon within the interval", async () => {
      const g = await load();
      const ex = g.as(w.dave).executor; // permissionless
      const mtToken = g.c.mt(g.mt);
      const path = mtPath(g);
      assert.equal(await ex.read.mtBudget([g.mt]), MT_BUDGET);
      assert.ok(MT_BUDGET > CAP, "a budget over the cap");

      // Each round: spend = min(budget left, cap, depth share); the event's minOut is the TWAP value less 2%.
      const buyback = async (t: bigint) => {
        const supply0 = await mtToken.read.totalSupply();
        const budget0 = await ex.read.mtBudget([g.mt]);
        await w.nextAt(t);
        const { hops, spend, minOut } = await planAt(g, path, budget0, t);
        // The depth bound binds (the pools hold ~100,000 USDC and ~500,000 FLOCK): no hop takes
        // more than 0.20% of its pool's input reserve, and one more USDC would break that on a hop.
        assert.ok(spend < CAP);
        const flockIn = (spend * hops[0]!.averagePrice) >> 112n; // the spend's FLOCK at the first pool's TWAP
        assert.ok(spend * BPS <= hops[0]!.reserveIn * SHARE && flockIn * BPS <= hops[1]!.reserveIn * SHARE, "within each pool's share");
        const more = spend + USDC;
        assert.ok(more * BPS > hops[0]!.reserveIn * SHARE || ((more * hops[0]!.averagePrice) >> 112n) * BPS > hops[1]!.reserveIn * SHARE, "and no more");
        assert.equal(await ex.read.spendLimit([[...path]], pending), spend);
        const quote = await routerQuote(g, path, spend);
        assert.ok(quote >= minOut, "the honest buyback's fees and impact fit in the tolerance");
        assert.deepEqual(await ex.read.quote([[...path], spend], pending), [quote, minOut]);
        const r = await w.mined(ex.write.executeMtBuyback([g.mt]));
        assert.deepEqual(eventOf(buybackExecutorAbi, r, "BuybackExecuted").args, { target: g.mt, spent: spend, bought: quote, minOut });
        assert.equal(await mtToken.read.totalSupply(), supply0 - quote, "supply fell by exactly the $MT bought");
        assert.equal(await mtToken.read.balanceOf([g.d.contracts.buybackExecutor]), 0n, "nothing kept");
        assert.equal(await ex.read.mtBudget([g.mt]), budget0 - spend);
        assert.equal(await ex.read.lastExecutedAt([g.mt]), t);
        assert.equal(await w.balanceOf(g.d.contracts.usdc, g.d.contracts.buybackExecutor), await ex.read.budgeted(), "USDC held = budgets");
        const next = t + INTERVAL;
        await w.nextAt(next - 1n);
        await reverts(ex.write.executeMtBuyback([g.mt]), "BuybackExecutorTooSoon", [g.mt, next]);
        return next;
      };
      const t = (await w.now()) + 1n;
      const next = await buyback(t);

      // The buyback's own move is not manipulation: the executor observed the pools it moved, so by
      // the next interval (> a window later) the TWAP holds the new price and the next share goes, no keeper needed.
      const observed = await w.publicClient.readContract({ address: g.d.contracts.twapOracle, abi: twapOracleAbi, functionName: "observations", args: [g.flockUsdcPair] });
      assert.equal(BigInt(observed.newer.timestamp), t, "the executor recorded an observation after its trade");
      await buyback(next);
    });

    it("an attacker pumping $MT right before the buyback makes it revert BuybackExecutorPriceOutOfBounds on the $MT pool; nothing moves", async () => {
      const g = await load();
      const ex = g.as(w.dave).executor;
      const supply0 = await g.c.mt(g.mt).read.totalSupply();
      // The sandwich's front-run: a big buy of $MT with FLOCK through the router (~10% of the pool).
      await w.swap(g.d, w.attacker, [g.d.contracts.flock, g.mt], 50_000n * FLOCK);
      await expectOutOfBounds(g, () => ex.write.executeMtBuyback([g.mt]), mtPath(g), CAP,
        g.mtPair, g.d.contracts.flock, g.obs.mt, (await w.now()) + 1n);
      assert.equal(await g.c.mt(g.mt).read.totalSupply(), supply0);
      assert.equal(await ex.read.mtBudget([g.mt]), MT_BUDGET);
      assert.equal(await ex.read.lastExecutedAt([g.mt]), 0n);

      // The attacker unwinds (sells everything back): the buyback goes through again.
      const bought = await w.balanceOf(g.mt, w.addr(w.attacker));
      await w.swap(g.d, w.attacker, [g.mt, g.d.contracts.flock], bought);
      await buysAsPlanned(g, () => ex.write.executeMtBuyback([g.mt]), mtPath(g), MT_BUDGET, g.mt);
    });

    it("an attacker pumping FLOCK (the first hop) makes it revert BuybackExecutorPriceOutOfBounds on the USDC/FLOCK pool", async () => {
      const g = await load();
      const ex = g.as(w.dave).executor;
      await w.swap(g.d, w.attacker, [g.d.contracts.usdc, g.d.contracts.flock], 5_000n * USDC); // ~5% of the pool
      await expectOutOfBounds(g, () => ex.write.executeMtBuyback([g.mt]), mtPath(g), CAP,
        g.flockUsdcPair, g.d.contracts.usdc, g.obs.flock, (await w.now()) + 1n);
      assert.equal(await ex.read.mtBudget([g.mt]), MT_BUDGET);
    });

    it("a small move (within the 2% bound) still buys, at the exact quote", async () => {
      const g = await load();
      const ex = g.as(w.dave).executor;
      const { spend } = await planAt(g, mtPath(g), MT_BUDGET, (await w.now()) + 1n);
      const fair = await routerQuote(g, mtPath(g), spend, { blockTag: "latest" });
      const before = await boundAt(g, g.mtPair, g.d.contracts.flock, g.obs.mt, (await w.now()) + 2n);
      await w.swap(g.d, w.attacker, [g.d.contracts.flock, g.mt], 1_000n * FLOCK); // ~0.2% of the pool
      const t = (await w.now()) + 1n;
      await w.nextAt(t);
      const moved = await boundAt(g, g.mtPair, g.d.contracts.flock, g.obs.mt, t);
      assert.ok(moved.spot < before.spot && moved.ok, "the spot moved, but stays above the floor");
      assert.ok((await boundAt(g, g.flockUsdcPair, g.d.contracts.usdc, g.obs.flock, t)).ok);
      const { quote, spend: spent } = await buysAsPlanned(g, () => ex.write.executeMtBuyback([g.mt]), mtPath(g), MT_BUDGET, g.mt);
      // The FLOCK it added deepened the pool a little (a larger spend), but each USDC bought less.
      assert.ok(quote * spend < fair * spent, "the move did cost the buyback something");
    });
  });

  describe("FLOCK buyback (USDC → FLOCK, burned)", () => {
    it("without an attacker, in a pool deep enough for its budget: spends all of it, buys exactly the quote, burns it; BuybackExecutorTooSoon within the interval", async () => {
      const g = await load();
      const ex = g.as(w.dave).executor;
      const flock = g.c.flock;
      assert.equal(await ex.read.flockBudget(), FLOCK_BUDGET);
      assert.ok(FLOCK_BUDGET < CAP, "the whole budget in one buyback");
      // Thirty times the pool's depth, at its price: 0.20% of its USDC is then over the budget.
      await deepen(g, 30n);
      const supply0 = await flock.read.totalSupply();
      const t = (await w.now()) + 1n;
      await w.nextAt(t);
      const { spend, minOut } = await planAt(g, flockPath(g), FLOCK_BUDGET, t);
      assert.equal(spend, FLOCK_BUDGET, "not bounded by the pool");
      const quote = await routerQuote(g, flockPath(g), FLOCK_BUDGET);
      assert.deepEqual(await ex.read.quote([[...flockPath(g)], FLOCK_BUDGET], pending), [quote, minOut]);
      const r = await w.mined(ex.write.executeFlockBuyback());
      assert.deepEqual(eventOf(buybackExecutorAbi, r, "BuybackExecuted").args,
        { target: g.d.contracts.flock, spent: FLOCK_BUDGET, bought: quote, minOut });
      assert.equal(await flock.read.totalSupply(), supply0 - quote, "FLOCK supply fell by exactly the FLOCK bought");
      assert.equal(await flock.read.balanceOf([g.d.contracts.buybackExecutor]), 0n);
      assert.equal(await flock.read.balanceOf([DEAD]), 0n, "burned, not parked at the dead address");
      assert.equal(await ex.read.flockBudget(), 0n);
      assert.equal(await ex.read.lastExecutedAt([g.d.contracts.flock]), t);
      const next = t + INTERVAL;
      await w.nextAt(next - 1n);
      await reverts(ex.write.executeFlockBuyback(), "BuybackExecutorTooSoon", [g.d.contracts.flock, next]);
      await w.nextAt(next);
      await reverts(ex.write.executeFlockBuyback(), "BuybackExecutorNothingToSpend", [g.d.contracts.flock]);
    });

    it("an attacker pumping FLOCK right before the buyback makes it revert BuybackExecutorPriceOutOfBounds; a small move buys at the exact quote", async () => {
      const g = await load();
      const ex = g.as(w.dave).executor;
      const supply0 = await g.c.flock.read.totalSupply();
      const [r0, r1] = await g.c.pair(g.flockUsdcPair).read.getReserves();
      const [, pumped] = await w.swap(g.d, w.attacker, [g.d.contracts.usdc, g.d.contracts.flock], 5_000n * USDC); // ~5% of the pool
      await expectOutOfBounds(g, () => ex.write.executeFlockBuyback(), flockPath(g), FLOCK_BUDGET,
        g.flockUsdcPair, g.d.contracts.usdc, g.obs.flock, (await w.now()) + 1n);
      assert.equal(await g.c.flock.read.totalSupply(), supply0);
      assert.equal(await ex.read.flockBudget(), FLOCK_BUDGET);
      assert.equal(await ex.read.lastExecutedAt([g.d.contracts.flock]), 0n);

      // The attacker unwinds 95%: what remains is a small move, inside the bound.
      await w.swap(g.d, w.attacker, [g.d.contracts.flock, g.d.contracts.usdc], (pumped! * 95n) / 100n);
      const t = (await w.now()) + 1n;
      await w.nextAt(t);
      const usdcIn = g.d.contracts.usdc;
      const moved = await boundAt(g, g.flockUsdcPair, usdcIn, g.obs.flock, t);
      const unmoved = (await isToken0(g, g.flockUsdcPair, usdcIn)) ? (r1 * Q112) / r0 : (r0 * Q112) / r1;
      assert.ok(moved.spot < unmoved && moved.ok, "still moved, but above the floor");
      await buysAsPlanned(g, () => ex.write.executeFlockBuyback(), flockPath(g), FLOCK_BUDGET, g.d.contracts.flock);
    });

    /**
     * A FLOCK buyback on a fresh executor whose "FLOCK" is `token` (the deployer holds `tokenAmount`
     * of it and approved the router), through a new USDC/token pool observed a window before:
     * the token has no working burn(), so all of what was bought must end at 0x…dEaD.
     */
    async function burnlessBuyback(g: Graduated, token: Address, tokenAmount: bigint) {
      const { usdc, uniswapV2Router, uniswapV2Factory, twapOracle } = g.d.contracts;
      const me = w.addr(w.deployer);
      await w.mined(g.c.usdc.write.approve([uniswapV2Router, 10_000n * USDC]));
      await w.mined(g.c.router.write.addLiquidity([usdc, token, 10_000n * USDC, tokenAmount, 0n, 0n, me, (await w.now()) + HOUR]));
      const pool = await g.c.factory.read.getPair([usdc, token]);
      await w.mined(g.c.oracle.write.update([pool]));
      await w.wait(WINDOW);
      const address = await w.deploy("BuybackExecutor", buybackExecutorAbi,
        [usdc, token, uniswapV2Factory, uniswapV2Router, twapOracle, LIMITS, me]);
      const ex = getContract({ abi: buybackExecutorAbi, address, client: { public: w.publicClient, wallet: w.deployer } });
      await w.mined(ex.write.grantRole([await ex.read.FUNDER_ROLE(), me]));
      const spend = 15n * USDC; // under 0.20% of the pool's 10,000 USDC: all of it goes
      await w.mined(g.c.usdc.write.transfer([address, spend]));
      await w.mined(ex.write.fund([zeroAddress, 0n, spend]));
      const tok = getContract({ abi: localTokenAbi, address: token, client: w.publicClient });
      const supply0 = await tok.read.totalSupply();
      const dead0 = await tok.read.balanceOf([DEAD]);
      const quote = await routerQuote(g, [usdc, token], spend, { blockTag: "latest" });
      const minOut = buybackMinOut([await g.c.oracle.read.averagePrice([pool, usdc])], spend, LIMITS.maxDeviationBps); // no trade: same next block
      const r = await w.mined(ex.write.executeFlockBuyback());
      assert.deepEqual(eventOf(buybackExecutorAbi, r, "BuybackExecuted").args, { target: token, spent: spend, bought: quote, minOut });
      assert.ok(quote > 0n);
      assert.equal(await tok.read.balanceOf([DEAD]), dead0 + quote, "all of it at the dead address");
      assert.equal(await tok.read.balanceOf([address]), 0n);
      assert.equal(await tok.read.totalSupply(), supply0, "nothing was burned");
    }

    it("sends to 0x…dEaD when the FLOCK token has no burn()", async () => {
      // Stand-in: the USDC/FLOCK LP token (a plain UniswapV2ERC20: burn(uint256) reverts).
      const g = await w.graduated();
      const lp = g.c.pair(g.flockUsdcPair);
      await w.mined(lp.write.approve([g.d.contracts.uniswapV2Router, 2n ** 256n - 1n]));
      await burnlessBuyback(g, g.flockUsdcPair, (await lp.read.balanceOf([w.addr(w.deployer)])) / 10n);
    });

    it("sends to 0x…dEaD when the FLOCK token's burn() succeeds and does nothing", async () => {
      // Stand-in: a proxy to a LocalToken whose burn(uint256) returns success without a call.
      const g = await w.graduated();
      const impl = await w.deploy("LocalToken", localTokenAbi, ["Impl", "IMPL", 18]);
      const token = await noopBurnProxy(impl);
      const tok = getContract({ abi: localTokenAbi, address: token, client: { public: w.publicClient, wallet: w.deployer } });
      const me = w.addr(w.deployer);
      await w.mined(tok.write.mint([me, 1_000_000n * FLOCK]));
      // The stand-in really is that token: burn() succeeds and changes nothing.
      await w.mined(tok.write.burn([FLOCK]));
      assert.equal(await tok.read.balanceOf([me]), 1_000_000n * FLOCK);
      assert.equal(await tok.read.totalSupply(), 1_000_000n * FLOCK);
      await w.mined(tok.write.approve([g.d.contracts.uniswapV2Router, 2n ** 256n - 1n]));
      await burnlessBuyback(g, token, 200_000n * FLOCK);
    });
  });

  // The share bound's promise: with the pools unmoved since their observations (spot = TWAP), an
  // honest buyback clears its TWAP-valued minimum for every limit setLimits accepts (the tight
  // corners included: the largest share a tolerance allows), whatever the pools' depth.
  it(`an unmanipulated buyback clears its minOut for any accepted limits and pool depth (seed ${SEED})`, async () => {
    const g = await w.graduated();
    await w.mined(g.c.revenueRouter.write.reportRevenue([0n, g.mt, 200_000n * USDC, 0n, `0x${"55".repeat(32)}`]));
    for (const pair of [g.mtPair, g.flockUsdcPair]) await w.mined(g.c.oracle.write.update([pair]));
    const r = rng(SEED);
    const corners: [number, number][] = [[1, 62], [20, 100], [20, 200], [20, 1_000], [1, 1_000]];
    const cases = [...corners, ...Array.from({ length: 6 }, (): [number, number] => {
      const share = r.int(1, 20);
      return [share, r.int(2 * (30 + share), 1_000)];
    })];
    await w.wait(WINDOW);
    for (const [maxPoolShareBps, maxDeviationBps] of cases) {
      const limits = { ...LIMITS, maxSpendPerInterval: 100_000n * USDC, maxPoolShareBps, maxDeviationBps };
      const depth = BigInt(r.int(1, 40)); // the USDC/FLOCK pool 1 to 40 times as deep, same price
      for (const [path, target, execute, budget] of [
        [mtPath(g), g.mt, () => g.c.executor.write.executeMtBuyback([g.mt]), () => g.c.executor.read.mtBudget([g.mt])],
        [flockPath(g), g.d.contracts.flock, () => g.c.executor.write.executeFlockBuyback(), () => g.c.executor.read.flockBudget()],
      ] as const) {
        const snapshot = await w.nh.takeSnapshot(); // each buyback on unmoved pools
        await w.mined(g.c.executor.write.setLimits([limits]));
        if (depth > 1n) await deepen(g, depth);
        const t = (await w.now()) + 1n;
        await w.nextAt(t);
        const { hops } = await planAt(g, path, 0n, t);
        const spend = buybackSpend(await budget(), limits, buybackDepthLimit(hops, maxPoolShareBps));
        const minOut = buybackMinOut(hops.map((h) => h.averagePrice), spend, maxDeviationBps);
        const quote = await routerQuote(g, path, spend);
        const label = `share ${maxPoolShareBps} bps, tolerance ${maxDeviationBps} bps, pool ×${depth}, ${target === g.mt ? "$MT" : "FLOCK"}`;
        assert.ok(quote >= minOut, `${label}: the quote ${quote} clears ${minOut}`);
        const receipt = await w.mined(execute());
        assert.deepEqual(eventOf(buybackExecutorAbi, receipt, "BuybackExecuted").args, { target, spent: spend, bought: quote, minOut }, label);
        await snapshot.restore();
      }
    }
  });

  describe("default limits on the default pools", () => {
    // 18,000 USDC of revenue funds 9,000 USDC of $MT buyback and 2,700 USDC of FLOCK buyback: both
    // under the cap, both over 0.20% of the pools (100,000 USDC; ~500,000 FLOCK of the $MT pool).
    // (Each from the same state: both buybacks trade through the USDC/FLOCK pool.)
    const gross = 18_000n * USDC;
    for (const target of ["$MT", "FLOCK"] as const) {
      it(`an unmanipulated ${target} buyback of a budget under the default cap spends the pools' depth share of it, above the TWAP value less 2%`, async () => {
        const g = await w.graduated();
        await w.mined(g.c.revenueRouter.write.reportRevenue([0n, g.mt, gross, 0n, `0x${"33".repeat(32)}`]));
        await w.mined(g.c.oracle.write.update([g.mtPair])); // the USDC/FLOCK pool was observed by the deployment
        await w.wait(WINDOW); // no one trades
        const ex = g.c.executor;
        const isMt = target === "$MT";
        const budget = isMt ? await ex.read.mtBudget([g.mt]) : await ex.read.flockBudget();
        assert.equal(budget, isMt ? gross / 2n : (gross * 1_500n) / BPS);
        assert.ok(budget < CAP);
        const token = isMt ? g.mt : g.d.contracts.flock;
        const supply0 = await supplyOf(token);
        const execute = () => (isMt ? ex.write.executeMtBuyback([g.mt]) : ex.write.executeFlockBuyback());
        const { quote, spend, depth } = await buysAsPlanned(g, execute, isMt ? mtPath(g) : flockPath(g), budget, token);
        assert.ok(spend === depth && spend < budget, "the pools' depth bounds it");
        assert.equal(await supplyOf(token), supply0 - quote, "supply fell by exactly what was bought");
      });
    }
  });
});

// ------------------------------------------------------------------ a token whose burn() does nothing

/**
 * Deploys a minimal proxy that delegates every call to `impl`, except burn(uint256) (0x42966c68),
 * which it answers with success and no effect: the "accepts burn() and does nothing" token.
 * Hand-assembled EVM (no test-only Solidity in the build); runtime, 71 bytes:
 *   00 PUSH1 0 CALLDATALOAD PUSH1 0xe0 SHR PUSH4 0x42966c68 EQ PUSH1 0x45 JUMPI   selector == burn → STOP
 *   0f CALLDATASIZE PUSH1 0 PUSH1 0 CALLDATACOPY                                 copy the call
 *   15 PUSH1 0 PUSH1 0 CALLDATASIZE PUSH1 0 PUSH20 impl GAS DELEGATECALL
 *   33 RETURNDATASIZE PUSH1 0 PUSH1 0 RETURNDATACOPY PUSH1 0x40 JUMPI             success → 0x40
 *   3c RETURNDATASIZE PUSH1 0 REVERT                                              bubble the revert
 *   40 JUMPDEST RETURNDATASIZE PUSH1 0 RETURN
 *   45 JUMPDEST STOP
 * Init code: PUSH1 0x47 DUP1 PUSH1 0x0b PUSH1 0 CODECOPY PUSH1 0 RETURN (copies the runtime after it).
 */
async function noopBurnProxy(impl: Address): Promise<Address> {
  const runtime =
    "60003560e01c6342966c6814604557" + "366000600037" +
    `6000600036600073${impl.slice(2).toLowerCase()}5af4` +
    "3d600060003e604057" + "3d6000fd" + "5b3d6000f3" + "5b00";
  assert.equal(runtime.length / 2, 0x47);
  const init = `0x604780600b6000396000f3${runtime}` as Hex;
  const r = await w.mined(w.deployer.sendTransaction({ data: init }));
  return getAddress(r.contractAddress!);
}
