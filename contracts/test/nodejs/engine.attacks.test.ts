// The outside review's two attacks on the buybacks, end to end on the local deployment (real
// Uniswap V2). 1. Poisoning the TWAP before graduation: the $MT address, hence its $MT/FLOCK pair, is known during the raise, so an attacker
// creates the pair and observes it while it holds nothing (a cumulative price of 0). After
// graduation that observation averaged the whole raise in at a price of 0: the TWAP floor fell to
// almost nothing, and a pump → executeMtBuyback → dump sandwich took most of a 10,000 USDC buyback.
// Now the oracle refuses an empty pair, so the average can only start once the pool exists (the
// launchpad observes it at graduation), and the same sandwich reverts and moves nothing.
// 2. Front-running a buyback just inside the TWAP bound (below).
// Each test logs the attacker's profit (t.diagnostic), so a run against an older executor/oracle
// measures what the attack took there.
import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { getAddress, parseEventLogs, maxUint256, type Address, type Hex } from "viem";
import { BPS, FLOCK, MT, TWAP_WINDOW, formatFlock, formatUsdc as formatUnits, launchpadAbi, revertOf } from "@fomo/sdk";
import { DAY, HOUR, MINUTE } from "@fomo/testkit";
import { createWorld } from "./engine-fixtures.ts";

// On the default 6-decimal USDC (the attacks do not depend on its decimals).
const w = await createWorld();
/** One USDC in the world's units. */
const USDC = w.usd;
const formatUsdc = (units: bigint) => formatUnits(units, w.usdcDecimals);
const WINDOW = BigInt(TWAP_WINDOW);
/** Revenue that funds a 10,000 USDC $MT buyback: half of the net goes to it. */
const GROSS = 20_000n * USDC;
/** The attacker's pump: 2,000,000 FLOCK of $MT, four times the FLOCK the pool opens with. */
const PUMP = 2_000_000n * FLOCK;
/** How long the raise runs before the buy that fills it (the reviewer's three days). */
const RAISE = 3n * DAY;

/** Runs `call`: undefined when it succeeded, else the custom error it reverted with. */
async function attempt(call: Promise<Hex>): Promise<string | undefined> {
  try {
    await w.mined(call);
    return undefined;
  } catch (err) {
    const r = revertOf(err);
    assert.ok(r, `a revert, not ${(err as Error).message}`);
    return r.errorName;
  }
}

/**
 * An offering raised over three days while the attacker tried to poison its pair's TWAP, then
 * graduated and funded with a 10,000 USDC $MT buyback.
 */
async function poisonedRaise() {
  const base = await w.deployed();
  const { d, c } = base;
  const { flock } = d.contracts;
  const launchedAt = (await w.now()) + 1n;
  await w.nextAt(launchedAt);
  const r = await w.mined(base.as(w.issuer).launchpad.write.launch([{
    templateId: 0, name: "Model ATK", ticker: "ATK", metadataURI: "ipfs://meta", firstBuy: 0n, minMtOut: 0n,
    deadline: launchedAt + HOUR,
  }]));
  const mt = parseEventLogs({ abi: launchpadAbi, logs: r.logs, eventName: "Launched" })[0]!.args.mt;

  // During the raise: the attacker creates the $MT/FLOCK pair and observes it while it is empty.
  const attacker = base.as(w.attacker);
  await w.mined(attacker.factory.write.createPair([mt, flock]));
  const pair = await c.factory.read.getPair([mt, flock]);
  const poison = await attempt(attacker.oracle.write.update([pair]));

  // The raise: two buys after the anti-snipe window, and one that fills it three days in. An hour
  // before, the USDC/FLOCK pool's observation is refreshed (as the keeper does before buybacks).
  await w.wait(2n * HOUR);
  for (const [who, flockIn] of [[w.alice, 300_000n * FLOCK], [w.bob, 400_000n * FLOCK]] as const) {
    await w.mined(base.as(who).launchpad.write.buy([mt, flockIn, 0n, (await w.now()) + HOUR]));
  }
  await w.jumpTo(launchedAt + RAISE - HOUR);
  await w.mined(c.oracle.write.update([base.flockUsdcPair]));
  const graduatedAt = launchedAt + RAISE;
  await w.nextAt(graduatedAt);
  const last = await w.mined(base.as(w.carol).launchpad.write.buy([mt, 1_000_000n * FLOCK, 0n, graduatedAt + HOUR]));
  assert.equal(parseEventLogs({ abi: launchpadAbi, logs: last.logs, eventName: "Graduated" }).length, 1, "the raise graduated");

  await w.mined(c.revenueRouter.write.reportRevenue([0n, mt, GROSS, 0n, `0x${"a7".repeat(32)}`]));
  assert.equal(await c.executor.read.mtBudget([mt]), GROSS / 2n);
  await w.mined(attacker.mt(mt).write.approve([d.contracts.uniswapV2Router, maxUint256]));
  return { ...base, mt, pair, poison, graduatedAt };
}
type Poisoned = Awaited<ReturnType<typeof poisonedRaise>>;

/**
 * The sandwich: the attacker buys `PUMP` FLOCK of $MT, triggers the $MT buyback, sells all its
 * $MT back. Returns the buyback's revert (undefined: it ran), what it spent, and the attacker's
 * profit in FLOCK and in USDC at the USDC/FLOCK pool's price before the attack.
 */
async function sandwich(g: Poisoned, t: TestContext) {
  const { flock, usdc } = g.d.contracts;
  const me = w.addr(w.attacker);
  const [r0, r1] = await g.c.pair(g.flockUsdcPair).read.getReserves();
  const [usdcReserve, flockReserve] = BigInt(usdc) < BigInt(flock) ? [r0, r1] : [r1, r0];
  const flock0 = await w.balanceOf(flock, me);
  const supply0 = await g.c.mt(g.mt).read.totalSupply();
  const budget0 = await g.c.executor.read.mtBudget([g.mt]);

  await w.swap(g.d, w.attacker, [flock, g.mt], PUMP);
  const buyback = await attempt(g.as(w.attacker).executor.write.executeMtBuyback([g.mt]));
  await w.swap(g.d, w.attacker, [g.mt, flock], await w.balanceOf(g.mt, me));

  const spent = budget0 - (await g.c.executor.read.mtBudget([g.mt]));
  const profit = (await w.balanceOf(flock, me)) - flock0;
  const profitUsdc = (profit * usdcReserve) / flockReserve;
  const share = spent === 0n ? "nothing spent" : `${percent((profitUsdc * BPS) / spent)} of the buyback`;
  t.diagnostic(`${t.name}: buyback ${buyback ?? "ran"}, spent ${formatUsdc(spent)}; attacker profit ${formatFlock(profit)} ≈ ${formatUsdc(profitUsdc)} (${share})`);
  return { buyback, spent, profit, burned: supply0 - (await g.c.mt(g.mt).read.totalSupply()) };
}

/** Basis points as a percentage with two decimals. */
const percent = (bps: bigint) => `${bps < 0n ? "-" : ""}${(bps < 0n ? -bps : bps) / 100n}.${((bps < 0n ? -bps : bps) % 100n).toString().padStart(2, "0")}%`;

describe("attack: TWAP poisoned before graduation, then a sandwich of the first $MT buyback", () => {
  it("31 minutes after graduation (the reviewer's timeline): the poison is refused, the buyback reverts, the attacker loses its fees", async (t) => {
    const g = await w.nh.loadFixture(poisonedRaise);
    await w.jumpTo(g.graduatedAt + 31n * MINUTE);
    // With the pool observed at graduation the pump is out of the TWAP bound; without any
    // observation of it there is no TWAP yet. Either way, never the empty pair's.
    const observed = (await g.c.oracle.read.observations([g.pair])).newer.timestamp !== 0;
    const r = await sandwich(g, t);
    assert.equal(g.poison, "TwapOracleEmptyPair", "the empty pair cannot be observed");
    assert.equal(r.buyback, observed ? "BuybackExecutorPriceOutOfBounds" : "TwapOracleNotReady");
    assert.deepEqual([r.spent, r.burned], [0n, 0n], "the buyback moved nothing");
    assert.ok(r.profit < 0n, "the pump and dump alone cost the attacker the pool fees");
  });

  it("inside the first window after the graduation's observation: the buyback waits for a TWAP of the open pool", async (t) => {
    const g = await w.nh.loadFixture(poisonedRaise);
    // The graduation's observation (the launchpad records it; this update is a no-op if it did).
    await w.mined(g.c.oracle.write.update([g.pair]));
    const { older, newer } = await g.c.oracle.read.observations([g.pair]);
    await w.jumpTo(g.graduatedAt + 10n * MINUTE);
    const r = await sandwich(g, t);
    assert.equal(g.poison, "TwapOracleEmptyPair");
    assert.equal(older.timestamp, 0, "no observation from before the pool opened");
    assert.ok(BigInt(newer.timestamp) >= g.graduatedAt && BigInt(newer.timestamp) <= g.graduatedAt + MINUTE, "observed at graduation");
    assert.equal(r.buyback, "TwapOracleNotReady");
    assert.deepEqual([r.spent, r.burned], [0n, 0n]);
    assert.ok(r.profit < 0n);
    // A window after graduation the buyback runs on the open pool's own average.
    await w.jumpTo(g.graduatedAt + WINDOW + MINUTE);
    assert.ok((await g.c.oracle.read.averagePrice([g.pair, g.d.contracts.flock])) > 0n);
    assert.ok((await g.c.oracle.read.consult([g.pair, g.mt, MT])) > 0n);
  });
});

// ------------------------------------------------------------------ front-running a buyback within the TWAP bound

/**
 * The outside review's second attack: the executor compared only the pools' spot prices before the
 * trade with their TWAP (2% bound) and accepted the router's quote at the current reserves, so a
 * front-run that moved a pool just inside the bound made the buyback buy at the moved price, and
 * the attacker sold back into the buyback's own price impact. Now the buyback must get its spend's
 * TWAP value less 2% (BuybackExecutorBelowTwapValue otherwise), and adds at most 0.20% of a pool's reserve, a
 * price move smaller than the fees of the attacker's round trip.
 */
describe("attack: front-running a buyback just inside the TWAP bound", () => {
  const Q112 = 2n ** 112n;
  const keep = BPS - 200n; // the default 2% bound

  /** Graduated, both buybacks funded (15,000 USDC of $MT, 4,500 of FLOCK), both pools observed a window ago, no trades since. */
  async function funded() {
    const g = await w.graduated();
    await w.mined(g.c.revenueRouter.write.reportRevenue([0n, g.mt, 30_000n * USDC, 0n, `0x${"f7".repeat(32)}`]));
    for (const pair of [g.mtPair, g.flockUsdcPair]) await w.mined(g.c.oracle.write.update([pair]));
    await w.wait(WINDOW + MINUTE);
    return g;
  }
  type Funded = Awaited<ReturnType<typeof funded>>;

  /** The pool a buyback of `target` is sandwiched in: the last on its path, with the token the buyback pays in. */
  const poolOf = (g: Funded, target: "$MT" | "FLOCK") =>
    target === "$MT"
      ? { pair: g.mtPair, tokenIn: g.d.contracts.flock, tokenOut: g.mt, execute: () => g.as(w.attacker).executor.write.executeMtBuyback([g.mt]) }
      : { pair: g.flockUsdcPair, tokenIn: g.d.contracts.usdc, tokenOut: g.d.contracts.flock, execute: () => g.as(w.attacker).executor.write.executeFlockBuyback() };

  /**
   * The largest front-run (in `tokenIn`) that leaves the pool's spot price at least 0.05% above
   * its TWAP floor (the margin covers the second the moved price spends in the average before the
   * buyback): a move just inside the 2% bound. Uniswap V2 math on the pool's reserves, bisected.
   */
  async function justInside(g: Funded, pair: Address, tokenIn: Address): Promise<bigint> {
    const [r0, r1] = await g.c.pair(pair).read.getReserves();
    const [rIn, rOut] = getAddress(await g.c.pair(pair).read.token0()) === getAddress(tokenIn) ? [r0, r1] : [r1, r0];
    const floor = ((await g.c.oracle.read.averagePrice([pair, tokenIn])) * keep) / BPS;
    const spotAfter = (a: bigint) => {
      const out = (a * 997n * rOut) / (rIn * 1000n + a * 997n);
      return ((rOut - out) * Q112) / (rIn + a);
    };
    let [lo, hi] = [0n, rIn];
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (spotAfter(mid) * BPS >= floor * (BPS + 5n)) lo = mid;
      else hi = mid;
    }
    assert.ok(spotAfter(lo) * 1_000n < floor * 1_001n, "within 0.1% of the floor: just inside the bound");
    return lo;
  }

  /**
   * Front-run with `a` of tokenIn, the buyback, back-run selling exactly what the front-run bought.
   * Returns the buyback's revert (undefined: it ran), its spend, and the attacker's profit in USDC
   * (FLOCK valued at the USDC/FLOCK pool's price before the attack).
   */
  async function sandwichAt(g: Funded, target: "$MT" | "FLOCK", a: bigint) {
    const { tokenIn, tokenOut, execute } = poolOf(g, target);
    const { usdc, flock } = g.d.contracts;
    const me = w.addr(w.attacker);
    const [u0, u1] = await g.c.pair(g.flockUsdcPair).read.getReserves();
    const [usdcReserve, flockReserve] = BigInt(usdc) < BigInt(flock) ? [u0, u1] : [u1, u0];
    const held0 = await w.balanceOf(tokenIn, me);
    const budget0 = target === "$MT" ? await g.c.executor.read.mtBudget([g.mt]) : await g.c.executor.read.flockBudget();
    const [, got] = await w.swap(g.d, w.attacker, [tokenIn, tokenOut], a);
    const buyback = await attempt(execute());
    await w.swap(g.d, w.attacker, [tokenOut, tokenIn], got!);
    const profit = (await w.balanceOf(tokenIn, me)) - held0;
    const budget1 = target === "$MT" ? await g.c.executor.read.mtBudget([g.mt]) : await g.c.executor.read.flockBudget();
    return { buyback, spent: budget0 - budget1, profitUsdc: tokenIn === usdc ? profit : (profit * usdcReserve) / flockReserve };
  }

  for (const target of ["$MT", "FLOCK"] as const) {
    it(`${target} buyback: the front-run just inside the bound no longer profits, nor does any smaller one`, async (t) => {
      const g = await w.nh.loadFixture(funded);
      const { pair, tokenIn } = poolOf(g, target);
      const edge = await justInside(g, pair, tokenIn);
      const runs: { a: bigint; buyback?: string; spent: bigint; profitUsdc: bigint }[] = [];
      for (const a of [edge, edge / 2n, edge / 4n, edge / 8n, edge / 16n, edge / 64n]) {
        const snapshot = await w.nh.takeSnapshot();
        runs.push({ a, ...(await sandwichAt(g, target, a)) });
        await snapshot.restore();
      }
      for (const r of runs) {
        const share = r.spent === 0n ? "" : ` = ${percent((r.profitUsdc * BPS) / r.spent)} of it`;
        const size = tokenIn === g.d.contracts.usdc ? formatUsdc(r.a) : formatFlock(r.a);
        t.diagnostic(`${target} buyback, front-run of ${size}: buyback ${r.buyback ?? "ran"}, spent ${formatUsdc(r.spent)}; attacker profit ${formatUsdc(r.profitUsdc)}${share}`);
      }
      const [atEdge] = runs;
      assert.equal(atEdge!.buyback, "BuybackExecutorBelowTwapValue", "the buyback refuses to pay for the move");
      assert.ok(runs.some((r) => r.buyback === undefined && r.spent > 0n), "small front-runs leave the buyback running");
      for (const r of runs) assert.ok(r.profitUsdc <= 0n, `front-run ${r.a}: no profit (got ${formatUsdc(r.profitUsdc)})`);
    });
  }
});
