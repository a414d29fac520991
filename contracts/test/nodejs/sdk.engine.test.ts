// The SDK's engine bindings against the contracts on a local chain (deployLocal).
// 1. Properties (seeded; the seed is printed, FOMO_SEED replays it): the bigint mirrors equal the
//    contracts to the wei, and refuse where they revert: EmissionSchedule (every day 0..3650 and
//    random ones, rpow, dayOf), RevenueRouter.routeOf under random splits and the transfers of real
//    reportRevenue calls, GmFlock.gmFor.
// 2. Every new SDK action once, end to end: staking (approve and permit, time-weighted stake),
//    revenue and yield, TWAP and buybacks that burn, rewards roots and claims, gmFLOCK, credit deposits.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { getAddress, maxUint256, type Address } from "viem";
import {
  BPS,
  FLOCK,
  INITIAL_EMISSION,
  STAKING_COOLDOWN,
  TWAP_WINDOW,
  UINT256_MAX,
  accountIdOf,
  activateRoot,
  approveToken,
  buildRewardsTree,
  checkSplit,
  claim,
  claimReward,
  claimYield,
  consultTwap,
  cumulativeEmission,
  dailyEmission,
  buybackDepthLimit,
  buybackMinOut,
  buybackSpend,
  defaultBuybackLimits,
  defaultRevenueSplit,
  depositCredits,
  describeError,
  emissionScheduleAbi,
  epochOf,
  executeFlockBuyback,
  executeMtBuyback,
  getAllotment,
  getBudgets,
  getBuybackLimits,
  getSpendLimit,
  getClaimable,
  getClaimed,
  getCooldown,
  getChallengeDelay,
  getCumulativeEmission,
  getDepositsState,
  getDistributorState,
  getEmission,
  getEmissionDay,
  getEmissionSchedule,
  getEpochClock,
  getGmBalance,
  getLastBuyback,
  getLock,
  getObservations,
  getPendingRoot,
  getReport,
  getSplit,
  getStake,
  getStakeAt,
  getStakingCooldown,
  getTotalStaked,
  getTwapWindow,
  getYieldOwed,
  gmFlockAbi,
  gmFor,
  gmForOnChain,
  incentivePoolAbi,
  localTokenAbi,
  lockFlock,
  quoteBuyback,
  modelTokenAbi,
  postRoot,
  reportRevenue,
  revenueRouterAbi,
  revertOf,
  routeOf,
  routeOfOnChain,
  rpow,
  stake,
  stablecoinUnit,
  sweepDeposits,
  timeWeighted,
  timeWeightedStake,
  twapOracleAbi,
  uniswapV2FactoryAbi,
  uniswapV2PairAbi,
  uniswapV2Router02Abi,
  unlockFlock,
  unstake,
  updateTwap,
  vetoRoot,
  withdrawStake,
  type Clients,
  type RevenueSplit,
  type Revert,
  type RewardEntry,
  type Wallet,
} from "@fomo/sdk";
import { bytecodeOf } from "@fomo/deploy";
import { DAY, rng, runSeed } from "@fomo/testkit";
import { setup, type Fixture } from "./fixtures.ts";

type Rng = ReturnType<typeof rng>;

const SEED = runSeed(process.env.FOMO_SEED);
const log = (line: string) => console.log(`[sdk.engine.test] seed ${SEED}: ${line}`);

// ------------------------------------------------------------------ helpers

const clientsOf = (f: Fixture, wallet: Wallet): Clients => ({ public: f.publicClient, wallet });
/** `usd` whole USD in the units of the fixture deployment's USDC. */
const usdcOf = (f: Fixture, usd: bigint) => usd * stablecoinUnit(f.d.usdcDecimals);

/** Runs `fn` and returns what it threw, decoded (undefined if it did not throw). */
async function rejection(fn: () => unknown): Promise<{ revert: Revert | undefined; err: unknown } | undefined> {
  try {
    await fn();
    return undefined;
  } catch (err) {
    return { revert: revertOf(err), err };
  }
}

/** Mirror and contract agree: the same value, or both refuse (with the same error when the mirror names one). */
async function agree<T>(where: string, mirror: () => T, chain: () => Promise<T>): Promise<"value" | "refused"> {
  let local: T | undefined;
  const localErr = await rejection(() => (local = mirror()));
  let onChain: T | undefined;
  const chainErr = await rejection(async () => (onChain = await chain()));
  assert.equal(!!localErr, !!chainErr, `${where}: mirror ${localErr ? `refused (${describeError(localErr.err)})` : `gave ${String(local)}`}, chain ${chainErr ? `refused (${describeError(chainErr.err)})` : `gave ${String(onChain)}`}`);
  if (localErr) {
    // A named local refusal matches the contract's error; a RangeError stands for a panic.
    if (localErr.revert) assert.deepEqual(localErr.revert, chainErr!.revert, `${where}: same error`);
    else assert.equal(chainErr!.revert?.errorName, "Panic", `${where}: the contract panics`);
    return "refused";
  }
  assert.deepEqual(onChain, local, `${where}: mirror equals chain`);
  return "value";
}

/** Launches an offering and buys it to raiseMax, which graduates it; alice then claims her $MT. */
async function graduated(f: Fixture, ticker: string): Promise<Address> {
  const { mt } = await f.launch({ ticker });
  await f.wait(2n * 3_600n); // past the anti-snipe window
  await f.buy(f.alice, mt, 1_100_000n * FLOCK);
  await claim(clientsOf(f, f.alice), f.d, { mt });
  return mt;
}

const timestampOf = async (f: Fixture, blockNumber: bigint) => (await f.publicClient.getBlock({ blockNumber })).timestamp;

// ------------------------------------------------------------------ 1. properties

describe(`SDK engine mirrors equal the contracts (seed ${SEED})`, () => {
  let f: Fixture;
  let r: Rng;
  before(async () => {
    f = await setup();
    r = rng(SEED);
  });

  it("EmissionSchedule: cumulative and emission for every day 0..3650 and random days; rpow; dayOf", async () => {
    const pub = f.publicClient;
    const d = f.d;
    const read = (functionName: "cumulative" | "emission", day: bigint) =>
      pub.readContract({ address: d.contracts.emissionSchedule, abi: emissionScheduleAbi, functionName, args: [day] });
    const days: bigint[] = Array.from({ length: 3_651 }, (_, i) => BigInt(i));
    for (let i = 0; i < 100; i++) days.push(r.big(3_651n, 2n ** 64n));
    days.push(2n ** 128n, 2n ** 255n, UINT256_MAX - 1n, UINT256_MAX);
    const refused: bigint[] = [];
    for (const day of days) {
      if ((await agree(`cumulative(${day})`, () => cumulativeEmission(day), () => read("cumulative", day))) === "refused") refused.push(day);
      await agree(`emission(${day})`, () => dailyEmission(day), () => read("emission", day));
    }
    assert.deepEqual(refused, [UINT256_MAX], "only day + 1 overflowing is refused");
    assert.equal(await read("cumulative", 0n), INITIAL_EMISSION);

    // rpow on any base, including bases above one ray (growth) and ones whose square overflows.
    let rpowRefused = 0;
    for (let i = 0; i < 150; i++) {
      const x = r.chance(0.7) ? r.big(0n, 10n ** 27n) : r.chance(0.5) ? r.digits(40) : r.big(0n, UINT256_MAX);
      const n = BigInt(r.chance(0.8) ? r.int(0, 4_000) : r.int(0, 2 ** 31));
      const got = await agree(`rpow(${x}, ${n})`, () => rpow(x, n), () =>
        pub.readContract({ address: d.contracts.emissionSchedule, abi: emissionScheduleAbi, functionName: "rpow", args: [x, n] }));
      if (got === "refused") rpowRefused++;
    }

    // dayOf on both sides of the start and around day boundaries: on deployLocal's schedule (days of a
    // day) and on one of a random day length (a local stack's short epochs).
    const clock = await getEpochClock(pub, d);
    assert.deepEqual(clock, { start: (await getEmissionSchedule(pub, d)).start, length: DAY });
    const shortLength = BigInt(r.int(60, 86_399));
    const deployedShort = await f.mined(f.deployer.deployContract({
      abi: emissionScheduleAbi, bytecode: bytecodeOf("EmissionSchedule"), args: [INITIAL_EMISSION, clock.start, shortLength],
    } as never));
    const short = deployedShort.contractAddress!;
    const shortClock = await getEpochClock(pub, short);
    assert.deepEqual(shortClock, { start: clock.start, length: shortLength });
    for (const [schedule, { start, length }] of [[d, clock], [short, shortClock]] as const) {
      for (let i = 0; i < 60; i++) {
        // Before the start, or a random day plus a random second, often a day's first or last one.
        const second = r.chance(0.3) ? [0n, 1n, length - 1n][r.int(0, 2)]! : r.big(0n, length - 1n);
        const ts = r.chance(0.2) ? start - BigInt(r.int(1, 10_000)) : start + BigInt(r.int(0, 4_000)) * length + second;
        await agree(`dayOf(${ts}) on ${length}-s days`, () => epochOf({ start, length }, ts), () => getEmissionDay(pub, schedule, { timestamp: ts }));
      }
    }
    log(`emission schedule: ${days.length} days, 150 rpow (${rpowRefused} overflowing), 60 dayOf on days of a day and 60 on ${shortLength}-s days`);
  });

  it("RevenueRouter.routeOf under random splits, and setSplit's bounds", async () => {
    const pub = f.publicClient;
    const d = f.d;
    let checks = 0;
    let refusedSplits = 0;
    let acceptedSplits = 0;
    // Draw splits until 6 were accepted: how many random splits the bounds refuse varies with the seed.
    for (let s = 0; acceptedSplits < 6 && s < 200; s++) {
      const split = randomSplit(r);
      const set = await rejection(async () =>
        f.mined(await f.deployer.writeContract({ address: d.contracts.revenueRouter, abi: revenueRouterAbi, functionName: "setSplit", args: [split] })));
      const local = await rejection(() => checkSplit(split));
      assert.deepEqual(local?.revert, set?.revert, `split ${JSON.stringify(split)}: checkSplit and setSplit agree`);
      if (set) {
        refusedSplits++;
        continue;
      }
      acceptedSplits++;
      assert.deepEqual(await getSplit(pub, d), split);
      for (let i = 0; i < 40; i++) {
        const gross = r.chance(0.05) ? r.big(UINT256_MAX / 20_000n, UINT256_MAX) : r.digits(r.chance(0.5) ? 12 : 40);
        const hardCost = r.chance(0.1) ? 0n : r.chance(0.05) ? gross + r.digits(5) : r.chance(0.05) ? gross : r.big(0n, gross);
        const where = `routeOf(${gross}, ${hardCost}) under ${JSON.stringify(split)}`;
        let local: ReturnType<typeof routeOf> | undefined;
        let chain: ReturnType<typeof routeOf> | undefined;
        const localErr = await rejection(() => (local = routeOf(gross, hardCost, split)));
        const chainErr = await rejection(async () => (chain = await routeOfOnChain(pub, d, { gross, hardCost })));
        // The view panics on a cost above gross (an underflow) where the mirror names reportRevenue's
        // RevenueRouterCostAboveRevenue, and both refuse a net × bps overflowing uint256.
        assert.equal(!!localErr, !!chainErr, `${where}: both refuse or neither`);
        if (chainErr) assert.equal(chainErr.revert?.errorName, "Panic", `${where}: a panic`);
        else assert.deepEqual(chain, local, where);
        checks++;
      }
    }
    // Back to the protocol's split for the next test.
    await f.mined(await f.deployer.writeContract({ address: d.contracts.revenueRouter, abi: revenueRouterAbi, functionName: "setSplit", args: [defaultRevenueSplit] }));
    log(`routeOf: ${checks} amounts, ${acceptedSplits} splits set, ${refusedSplits} refused`);
    assert.ok(checks >= 200);
  });

  it("reportRevenue moves exactly the mirror's amounts", async () => {
    const pub = f.publicClient;
    const d = f.d;
    const mt = await graduated(f, "ROUTE");
    const keeper = clientsOf(f, f.deployer);
    const usdc = d.contracts.usdc;
    await f.mined(await f.deployer.writeContract({ address: usdc, abi: localTokenAbi, functionName: "mint", args: [f.deployer.account.address, 10n ** 30n] }));
    await approveToken(keeper, { token: usdc, spender: d.contracts.revenueRouter, amount: maxUint256 });
    const split = await getSplit(pub, d);
    const who = { keeper: f.deployer.account.address, hosting: d.roles.hostingReserve, treasury: d.roles.treasury, executor: d.contracts.buybackExecutor };
    const balances = async () => {
      const entries = await Promise.all(Object.entries(who).map(async ([k, a]) => [k, await f.balanceOf(usdc, a)] as const));
      return Object.fromEntries(entries) as Record<keyof typeof who, bigint>;
    };
    const epochs = new Set<bigint>();
    for (let i = 0; i < 40; i++) {
      let epoch = r.big(0n, 2n ** 64n - 1n);
      while (epochs.has(epoch)) epoch = r.big(0n, 2n ** 64n - 1n);
      epochs.add(epoch);
      const gross = r.digits(13); // up to 10M USDC of 6 decimals
      const hardCost = r.chance(0.1) ? 0n : r.chance(0.05) ? gross : r.big(0n, gross);
      const want = routeOf(gross, hardCost, split);
      const [before, budgets, owed] = [await balances(), await getBudgets(pub, d, { mt }), await getYieldOwed(pub, d, { mt })];
      const sent = await reportRevenue(keeper, d, { epoch, mt, gross, hardCost, usageRoot: `0x${(i + 1).toString(16).padStart(64, "0")}` });
      const after = await balances();
      const where = `report ${i} (epoch ${epoch}, gross ${gross}, cost ${hardCost})`;
      assert.deepEqual({ ...sent.reported.routed }, want, `${where}: event`);
      assert.equal(before.keeper - after.keeper, gross, `${where}: pulled`);
      assert.equal(after.hosting - before.hosting, want.hardCost, `${where}: hosting`);
      assert.equal(after.treasury - before.treasury, want.treasury, `${where}: treasury`);
      assert.equal(after.executor - before.executor, want.mtBuyback + want.flockBuyback, `${where}: executor`);
      const budgetsAfter = await getBudgets(pub, d, { mt });
      assert.equal(budgetsAfter.mt! - budgets.mt!, want.mtBuyback, `${where}: $MT budget`);
      assert.equal(budgetsAfter.flock - budgets.flock, want.flockBuyback, `${where}: FLOCK budget`);
      assert.equal((await getYieldOwed(pub, d, { mt })) - owed, want.issuerYield, `${where}: yield owed`);
      assert.deepEqual(await getReport(pub, d, { epoch, mt }), { gross, hardCost, usageRoot: sent.reported.usageRoot });
    }
    // Exactly once per (epoch, $MT), and the report's own refusals.
    const [epoch] = epochs;
    const again = await rejection(() => reportRevenue(keeper, d, { epoch: epoch!, mt, gross: 1n, hardCost: 0n }));
    assert.deepEqual(again?.revert, { errorName: "RevenueRouterAlreadyReported", args: [epoch, getAddress(mt)] });
    assert.match(describeError(again?.err), /already reported/);
    const costly = await rejection(() => reportRevenue(keeper, d, { epoch: 1n, mt, gross: usdcOf(f, 5n), hardCost: usdcOf(f, 6n) }));
    assert.equal(describeError(costly?.err, { usdcDecimals: d.usdcDecimals }), "The hard cost 6 USDC is above the gross revenue 5 USDC.");
    log("reportRevenue: 40 reports");
  });

  it("GmFlock.gmFor for random amounts and durations", async () => {
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      const amount = r.chance(0.05) ? r.big(UINT256_MAX / 80_000n, UINT256_MAX) : r.digits(r.chance(0.5) ? 24 : 40);
      const days = BigInt(r.chance(0.1) ? r.int(0, 1_000) : r.int(1, 365));
      if ((await agree(`gmFor(${amount}, ${days})`, () => gmFor(amount, days), () => gmForOnChain(f.publicClient, f.d, { amount, days }))) === "refused") refused++;
    }
    log(`gmFor: 300 inputs, ${refused} refused`);
  });
});

/** A split: mostly valid (random within the bounds), sometimes just outside one of them. */
function randomSplit(r: Rng): RevenueSplit {
  const issuerYieldBps = r.int(0, 3_000);
  const treasuryBps = r.int(0, Math.min(3_000, 5_000 - issuerYieldBps));
  const buybacks = 10_000 - issuerYieldBps - treasuryBps;
  const mtBuybackBps = r.int(0, buybacks);
  const s = { mtBuybackBps, issuerYieldBps, flockBuybackBps: buybacks - mtBuybackBps, treasuryBps };
  if (!r.chance(0.3)) return s;
  // Break one bound by a little.
  switch (r.int(0, 3)) {
    case 0:
      return { ...s, treasuryBps: s.treasuryBps + 1 }; // sum 10,001
    case 1:
      return { mtBuybackBps: 2_500, issuerYieldBps: 3_000, flockBuybackBps: 2_499, treasuryBps: 2_001 }; // buybacks < 50%
    case 2:
      return { mtBuybackBps: 5_000, issuerYieldBps: 3_001, flockBuybackBps: 0, treasuryBps: 1_999 };
    default:
      return { mtBuybackBps: 5_000, issuerYieldBps: 1_000, flockBuybackBps: 900, treasuryBps: 3_100 };
  }
}

// ------------------------------------------------------------------ 2. every action once

describe("SDK engine actions end to end", () => {
  let f: Fixture;
  let mt: Address;
  before(async () => {
    f = await setup();
    mt = await graduated(f, "ENGINE");
  });

  it("stakes (approve and permit), unstakes, withdraws after the cooldown, and weighs stake over time", async () => {
    const pub = f.publicClient;
    const d = f.d;
    const alice = clientsOf(f, f.alice);
    const bob = clientsOf(f, f.bob);
    const [a, b] = [f.alice.account.address, f.bob.account.address];
    const mtToken = f.mtToken(mt);
    await f.mined(await f.alice.writeContract({ address: mt, abi: modelTokenAbi, functionName: "transfer", args: [b, 5_000n * FLOCK] }));
    assert.equal(await getStakingCooldown(pub, d), BigInt(STAKING_COOLDOWN));

    // Alice approves; Bob signs a permit (no approve transaction: his permit nonce moves instead).
    const s1 = await stake(alice, d, { mt, amount: 1_000n * FLOCK });
    assert.deepEqual([s1.staked.account, s1.staked.amount, s1.staked.stake], [getAddress(a), 1_000n * FLOCK, 1_000n * FLOCK]);
    await f.wait(100n);
    const s2 = await stake(bob, d, { mt, amount: 4_000n * FLOCK, approval: "permit" });
    assert.equal(await mtToken.read.nonces([b]), 1n);
    assert.equal(await mtToken.read.allowance([b, d.contracts.mtStaking]), 0n, "the permit was spent exactly");
    await f.wait(50n);
    const s3 = await stake(alice, d, { mt, amount: 500n * FLOCK });
    await f.wait(30n);
    const u = await unstake(alice, d, { mt, amount: 1_200n * FLOCK });
    const [t1, t2, t3, t4] = await Promise.all([s1, s2, s3, u].map((x) => timestampOf(f, x.receipt.blockNumber)));
    assert.equal(u.unstaked.releaseAt, Number(t4! + BigInt(STAKING_COOLDOWN)));

    assert.equal(await getStake(pub, d, { mt, account: a }), 300n * FLOCK);
    assert.equal(await getStakeAt(pub, d, { mt, account: a, timestamp: t3! - 1n }), 1_000n * FLOCK);
    assert.equal(await getStakeAt(pub, d, { mt, account: a, timestamp: t3! }), 1_500n * FLOCK);
    assert.equal(await getTotalStaked(pub, d, { mt }), 4_300n * FLOCK);
    assert.equal(await getTotalStaked(pub, d, { mt, timestamp: t2! }), 5_000n * FLOCK);
    assert.deepEqual(await getCooldown(pub, d, { mt, account: a }), { amount: 1_200n * FLOCK, releaseAt: t4! + BigInt(STAKING_COOLDOWN) });

    // Time-weighted over an interval around the changes: by hand, and second by second from stakeAt.
    const [from, to] = [t1! - 7n, t4! + 11n];
    const byHand = 1_000n * FLOCK * (t3! - t1!) + 1_500n * FLOCK * (t4! - t3!) + 300n * FLOCK * (to - t4!);
    const tw = await timeWeightedStake(pub, d, { mt, account: a, from, to });
    assert.deepEqual(tw, { stakeSeconds: byHand, seconds: to - from, average: byHand / (to - from) });
    let perSecond = 0n;
    for (let t = from; t < to; t++) perSecond += await getStakeAt(pub, d, { mt, account: a, timestamp: t });
    assert.equal(perSecond, byHand, "Σ stakeAt over each second");
    assert.deepEqual(await timeWeightedStake(pub, d, { mt, account: b, from: t2!, to: t2! + DAY }), timeWeighted([{ timestamp: t2!, stake: 4_000n * FLOCK }], t2!, t2! + DAY));
    assert.equal((await timeWeightedStake(pub, d, { mt, account: a, from: 0n, to: t1! })).stakeSeconds, 0n);

    // Refusals, readably.
    const tooMuch = await rejection(() => unstake(alice, d, { mt, amount: 301n * FLOCK }));
    assert.match(describeError(tooMuch?.err), /Cannot unstake 301 \$MT: the counted stake is only 300 \$MT/);
    const early = await rejection(() => withdrawStake(alice, d, { mt }));
    assert.equal(early?.revert?.errorName, "MtStakingCoolingDown");
    assert.match(describeError(early?.err), /still cooling down/);
    const notGraduated = await rejection(() => stake(alice, d, { mt: d.contracts.flock, amount: FLOCK }));
    assert.equal(notGraduated?.revert?.errorName, "MtStakingNotModelToken");

    await f.wait(BigInt(STAKING_COOLDOWN));
    const balance = await f.balanceOf(mt, a);
    assert.equal((await withdrawStake(alice, d, { mt })).amount, 1_200n * FLOCK);
    assert.equal(await f.balanceOf(mt, a), balance + 1_200n * FLOCK);
    const nothing = await rejection(() => withdrawStake(alice, d, { mt }));
    assert.match(describeError(nothing?.err), /Nothing is waiting to be withdrawn/);
  });

  it("routes revenue, pays the issuer's yield, reads the TWAP, and buys back and burns within the bound", async () => {
    const pub = f.publicClient;
    const d = f.d;
    const keeper = clientsOf(f, f.deployer);
    const anyone = clientsOf(f, f.carol);
    await f.mined(await f.deployer.writeContract({ address: d.contracts.usdc, abi: localTokenAbi, functionName: "mint", args: [f.deployer.account.address, usdcOf(f, 1_000_000n)] }));

    // A small report: its buybacks stay well inside the pools' 2% TWAP bound.
    const gross = usdcOf(f, 100n);
    const hardCost = usdcOf(f, 10n);
    const want = routeOf(gross, hardCost);
    const rep = await reportRevenue(keeper, d, { epoch: 1n, mt, gross, hardCost });
    assert.deepEqual({ ...rep.reported.routed }, want);
    assert.deepEqual(await routeOfOnChain(pub, d, { gross, hardCost }), want);

    // The issuer (the launch's creator) pulls its yield; nobody else may.
    const stranger = await rejection(() => claimYield(anyone, d, { mt }));
    assert.match(describeError(stranger?.err), /is not the issuer of/);
    const y = await claimYield(clientsOf(f, f.issuer), d, { mt });
    assert.deepEqual([y.issuer, y.amount], [getAddress(f.issuer.account.address), want.issuerYield]);
    assert.match(describeError((await rejection(() => claimYield(clientsOf(f, f.issuer), d, { mt })))?.err), /no issuer yield to claim/);

    // TWAP of the graduation pool ($MT/FLOCK): graduation recorded its first observation, over a
    // window ago by now, so this update rotates it into `older`; wait the window, consult.
    const pair = (await pub.readContract({ address: d.contracts.uniswapV2Factory, abi: uniswapV2FactoryAbi, functionName: "getPair", args: [mt, d.contracts.flock] })) as Address;
    // The USDC/FLOCK pool's observation (the deployment's) is older than the oracle's maxAge: refresh it too.
    const flockPair = (await pub.readContract({ address: d.contracts.uniswapV2Factory, abi: uniswapV2FactoryAbi, functionName: "getPair", args: [d.contracts.usdc, d.contracts.flock] })) as Address;
    assert.ok((await updateTwap(anyone, d, { pair: flockPair })).updated);
    const first = await updateTwap(anyone, d, { pair });
    assert.ok(first.updated, "the update after graduation's observation is recorded");
    const observed = await getObservations(pub, d, { pair });
    assert.equal(observed.older.timestamp > 0 && observed.newer.timestamp > observed.older.timestamp, true);
    const consult = () => consultTwap(pub, d, { pair, tokenIn: d.contracts.flock, amountIn: FLOCK });
    await f.wait(600n);
    assert.equal((await updateTwap(anyone, d, { pair })).updated, undefined, "inside the window an update changes nothing");
    assert.equal(await getTwapWindow(pub, d), BigInt(TWAP_WINDOW));
    await f.wait(BigInt(TWAP_WINDOW) - 600n);
    // No trade since the observation: the average is the spot price, as UQ112x112.
    const [r0, r1] = await pub.readContract({ address: pair, abi: uniswapV2PairAbi, functionName: "getReserves" });
    const token0 = await pub.readContract({ address: pair, abi: uniswapV2PairAbi, functionName: "token0" });
    const [rFlock, rMt] = getAddress(token0) === getAddress(d.contracts.flock) ? [r0, r1] : [r1, r0];
    const mtPerFlock = await consult();
    assert.equal(mtPerFlock, ((((rMt << 112n) / rFlock) * FLOCK) >> 112n));

    // A buyback's quote: every pool on the path within 2% of its TWAP, the exact router quote, and
    // the least it accepts (the spend's value at the pools' TWAPs less 2%, by the SDK's mirror).
    const { mtBuyback, flockBuyback } = want;
    const limits = await getBuybackLimits(pub, d);
    assert.deepEqual(limits, defaultBuybackLimits(d.usdcDecimals));
    const route = [d.contracts.usdc, d.contracts.flock, mt] as const;
    const amounts = await pub.readContract({ address: d.contracts.uniswapV2Router, abi: uniswapV2Router02Abi, functionName: "getAmountsOut", args: [mtBuyback, [...route]] });
    const bound = amounts[amounts.length - 1]!;
    const averagePrice = (p: Address, tokenIn: Address) =>
      pub.readContract({ address: d.contracts.twapOracle, abi: twapOracleAbi, functionName: "averagePrice", args: [p, tokenIn] });
    const twaps = [await averagePrice(flockPair, d.contracts.usdc), await averagePrice(pair, d.contracts.flock)];
    const minOut = buybackMinOut(twaps, mtBuyback, limits.maxDeviationBps);
    assert.ok(bound >= minOut);
    assert.deepEqual(await quoteBuyback(pub, d, { amountIn: mtBuyback, mt }), { out: bound, minOut });
    // The most one buyback may spend: the cap, or 0.20% of each pool's input reserve (over this budget).
    const [u0, u1] = await pub.readContract({ address: flockPair, abi: uniswapV2PairAbi, functionName: "getReserves" });
    const usdcReserve = getAddress(await pub.readContract({ address: flockPair, abi: uniswapV2PairAbi, functionName: "token0" })) === getAddress(d.contracts.usdc) ? u0 : u1;
    const depth = buybackDepthLimit([{ reserveIn: usdcReserve, averagePrice: twaps[0]! }, { reserveIn: rFlock, averagePrice: twaps[1]! }], limits.maxPoolShareBps);
    assert.equal(await getSpendLimit(pub, d, { mt }), buybackSpend(limits.maxSpendPerInterval, limits, depth));
    assert.ok(depth > mtBuyback);

    // $MT buyback: spends the whole (small) budget, burns exactly what it bought.
    const supply = await f.mtToken(mt).read.totalSupply();
    const mb = await executeMtBuyback(anyone, d, { mt });
    assert.deepEqual([mb.target, mb.spent, mb.minOut], [getAddress(mt), mtBuyback, minOut]);
    assert.ok(mb.bought >= bound);
    assert.equal(await f.mtToken(mt).read.totalSupply(), supply - mb.bought, "supply falls by the burned amount");
    assert.deepEqual(await getBudgets(pub, d, { mt }), { mt: 0n, flock: flockBuyback, total: flockBuyback });
    assert.equal(await getLastBuyback(pub, d, { target: mt }), await timestampOf(f, mb.receipt.blockNumber));
    const nothing = await rejection(() => executeMtBuyback(anyone, d, { mt }));
    assert.match(describeError(nothing?.err), /was bought back less than an interval ago/);

    // FLOCK buyback: burned (LocalToken has burn), so FLOCK's supply falls too.
    const flockSupply = await f.flock.read.totalSupply();
    const fb = await executeFlockBuyback(anyone, d);
    assert.equal(fb.spent, flockBuyback);
    assert.equal(await f.flock.read.totalSupply(), flockSupply - fb.bought);
    assert.equal((await getBudgets(pub, d)).total, 0n);

    // A sandwich: fund again, then someone pushes the $MT price up right before the buyback: refused.
    await reportRevenue(keeper, d, { epoch: 2n, mt, gross, hardCost });
    await updateTwap(anyone, d, { pair });
    await f.wait(BigInt(defaultBuybackLimits(d.usdcDecimals).interval));
    await f.mined(await f.attacker.writeContract({ address: d.contracts.flock, abi: localTokenAbi, functionName: "approve", args: [d.contracts.uniswapV2Router, maxUint256] }));
    await f.mined(await f.attacker.writeContract({
      address: d.contracts.uniswapV2Router,
      abi: uniswapV2Router02Abi,
      functionName: "swapExactTokensForTokens",
      args: [50_000n * FLOCK, 0n, [d.contracts.flock, mt], f.attacker.account.address, (await f.now()) + 600n],
    }));
    const sandwiched = await rejection(() => executeMtBuyback(anyone, d, { mt }));
    assert.equal(sandwiched?.revert?.errorName, "BuybackExecutorPriceOutOfBounds");
    assert.match(describeError(sandwiched?.err), /refuses to overpay/);
  });

  it("posts reward roots built by the SDK and pays claims with their proofs", async () => {
    const pub = f.publicClient;
    const d = f.d;
    const keeper = clientsOf(f, f.deployer);
    const { initialEmission } = await getEmissionSchedule(pub, d);
    assert.equal(initialEmission, INITIAL_EMISSION);

    // The incentive pool releases some of the $MT's incentives to the distributor.
    await f.wait(3n * DAY);
    await f.mined(await f.deployer.writeContract({ address: d.contracts.incentivePool, abi: incentivePoolAbi, functionName: "release", args: [mt] }));
    const mtFunded = await f.balanceOf(mt, d.contracts.rewardsDistributor);
    assert.ok(mtFunded > 0n);

    const epoch = await getEmissionDay(pub, d);
    assert.equal(await getEmission(pub, d, { day: epoch }), dailyEmission(epoch));
    const emissionTotal = await getCumulativeEmission(pub, d, { day: epoch });
    assert.equal(emissionTotal, cumulativeEmission(epoch));
    const [a, b, c] = [f.alice, f.bob, f.carol].map((w) => w.account.address) as [Address, Address, Address];
    const flock = d.contracts.flock;
    const entries: RewardEntry[] = [
      { account: a, token: flock, cumulativeAmount: 1_000n * FLOCK },
      { account: b, token: flock, cumulativeAmount: 2_500n * FLOCK },
      { account: a, token: mt, cumulativeAmount: mtFunded / 3n },
      { account: c, token: mt, cumulativeAmount: mtFunded / 2n },
    ];
    const tree = buildRewardsTree({ epoch, entries });
    const delay = await getChallengeDelay(pub, d);
    const posted = await postRoot(keeper, d, { ...tree, emissionTotal });
    const liveAt = (await pub.getBlock()).timestamp + delay;
    assert.deepEqual([posted.posted.epoch, posted.posted.root, posted.posted.contentHash, posted.posted.emitted, posted.posted.liveAt],
      [epoch, tree.root, tree.contentHash, emissionTotal, liveAt]);
    assert.equal(posted.previous, undefined);
    assert.deepEqual(await getPendingRoot(pub, d), { epoch, root: tree.root, contentHash: tree.contentHash, emissionTotal, liveAt, totals: tree.totals.map((t) => ({ token: getAddress(t.token), total: t.total })) });
    assert.equal((await getDistributorState(pub, d)).started, false, "pending until liveAt");
    const early = await rejection(() => claimReward(keeper, d, tree.claimOf(a, flock)!));
    assert.match(describeError(early?.err), /still in its challenge delay/);
    // The guardian (the deployer here) could veto it; a wrong root is refused with a reason.
    const wrongVeto = await rejection(() => vetoRoot(keeper, d, { root: tree.contentHash }));
    assert.match(describeError(wrongVeto?.err), /is not the pending root/);
    assert.equal((await activateRoot(keeper, d)).activation, undefined, "nothing due yet");
    await f.wait(delay);
    const activated = await activateRoot(keeper, d);
    assert.deepEqual([activated.activation?.activated.root, activated.activation?.allotted.length], [tree.root, 2]);
    assert.equal(await getPendingRoot(pub, d), null);
    assert.deepEqual(await getDistributorState(pub, d), { started: true, epoch, root: tree.root, contentHash: tree.contentHash, emitted: emissionTotal, liveAt });
    const lateVeto = await rejection(() => vetoRoot(keeper, d, { root: tree.root }));
    assert.match(describeError(lateVeto?.err), /past its challenge delay/);

    // Anyone claims for an account; the tokens go to the account.
    const claimA = tree.claimOf(a, flock)!;
    const before = await f.balanceOf(flock, a);
    const paid = await claimReward(clientsOf(f, f.carol), d, claimA);
    assert.deepEqual([paid.amount, paid.cumulative], [1_000n * FLOCK, 1_000n * FLOCK]);
    assert.equal(await f.balanceOf(flock, a), before + 1_000n * FLOCK);
    assert.equal(await getClaimed(pub, d, { account: a, token: flock }), 1_000n * FLOCK);
    assert.equal(await getClaimable(pub, d, claimA), 0n);
    assert.deepEqual(await getAllotment(pub, d, { token: flock }), { allotted: 3_500n * FLOCK, claimed: 1_000n * FLOCK });
    assert.match(describeError((await rejection(() => claimReward(keeper, d, claimA)))?.err), /has nothing to claim in token/);
    const claimC = tree.claimOf(c, mt)!;
    assert.equal((await claimReward(clientsOf(f, f.carol), d, claimC)).amount, mtFunded / 2n);
    const forged = await rejection(() => claimReward(keeper, d, { ...tree.claimOf(b, flock)!, cumulativeAmount: 3_000n * FLOCK }));
    assert.match(describeError(forged?.err), /proof does not match the live root/);

    // The keeper's mistakes are refused with reasons.
    const sameEpoch = await rejection(() => postRoot(keeper, d, { ...tree, emissionTotal }));
    assert.match(describeError(sameEpoch?.err), /is not after the live root's epoch/);

    // A day later: cumulative amounts grow, a claim pays the difference.
    await f.wait(DAY);
    const next = buildRewardsTree({ epoch: epoch + 1n, entries: entries.map((e) => (e.account === a && e.token === flock ? { ...e, cumulativeAmount: 1_600n * FLOCK } : e)) });
    const overCap = await rejection(() => postRoot(keeper, d, { ...next, emissionTotal: cumulativeEmission(epoch + 1n) + 1n }));
    assert.equal(overCap?.revert?.errorName, "RewardsDistributorEmissionAboveSchedule");
    await postRoot(keeper, d, { ...next, emissionTotal: cumulativeEmission(epoch + 1n) });
    await f.wait(delay);
    const more = next.claimOf(a, flock)!;
    assert.equal(await getClaimable(pub, d, more), 600n * FLOCK);
    const paidMore = await claimReward(clientsOf(f, f.alice), d, more);
    assert.equal(paidMore.amount, 600n * FLOCK);
    assert.equal(paidMore.activation?.activated.root, next.root, "the claim wrote the matured root live");
  });

  it("locks FLOCK for gmFLOCK and unlocks it after expiry", async () => {
    const pub = f.publicClient;
    const d = f.d;
    const bob = clientsOf(f, f.bob);
    const b = f.bob.account.address;
    const amount = 1_000n * FLOCK;
    const l = await lockFlock(bob, d, { amount, days: 60n });
    assert.deepEqual([l.locked.owner, l.locked.amount, l.locked.gm], [getAddress(b), amount, gmFor(amount, 60n)]);
    assert.equal(await getGmBalance(pub, d, { account: b }), gmFor(amount, 60n));
    assert.deepEqual(await getLock(pub, d, { id: l.locked.id }), { owner: getAddress(b), unlockAt: l.locked.unlockAt, amount, gm: gmFor(amount, 60n) });
    const early = await rejection(() => unlockFlock(bob, d, { id: l.locked.id }));
    assert.match(describeError(early?.err), new RegExp(`Lock ${l.locked.id} runs until`));
    const stranger = await rejection(() => unlockFlock(clientsOf(f, f.carol), d, { id: l.locked.id }));
    assert.equal(stranger?.revert?.errorName, "GmFlockNotOwner");
    const tooLong = await rejection(() => lockFlock(bob, d, { amount, days: 366n }));
    assert.equal(describeError(tooLong?.err), "A lock lasts 1 to 365 days, not 366.");
    const transfer = await rejection(async () => f.mined(await f.bob.writeContract({ address: d.contracts.gmFlock, abi: gmFlockAbi, functionName: "transfer", args: [f.carol.account.address, 1n] })));
    assert.equal(transfer?.revert?.errorName, "GmFlockNonTransferable");

    await f.wait(60n * DAY);
    const balance = await f.balanceOf(d.contracts.flock, b);
    const u = await unlockFlock(bob, d, { id: l.locked.id });
    assert.deepEqual([u.unlocked.amount, u.unlocked.gm], [amount, gmFor(amount, 60n)]);
    assert.equal(await f.balanceOf(d.contracts.flock, b), balance + amount);
    assert.equal(await getGmBalance(pub, d, { account: b }), 0n);
  });

  it("deposits credits for an API account (with a permit) and sweeps them to the settlement wallet", async () => {
    const pub = f.publicClient;
    const d = f.d;
    const payer = clientsOf(f, f.carol);
    await f.mined(await f.deployer.writeContract({ address: d.contracts.usdc, abi: localTokenAbi, functionName: "mint", args: [f.carol.account.address, usdcOf(f, 100n)] }));
    const dep = await depositCredits(payer, d, { accountId: "acct_42", amount: usdcOf(f, 25n), approval: "permit" });
    assert.deepEqual([dep.deposited.depositId, dep.deposited.accountId, dep.deposited.from, dep.deposited.amount], [0n, accountIdOf("acct_42"), getAddress(f.carol.account.address), usdcOf(f, 25n)]);
    const state = await getDepositsState(pub, d);
    assert.deepEqual(state, { depositCount: 1n, settlementWallet: getAddress(d.roles.treasury) });
    const zero = await rejection(() => depositCredits(payer, d, { accountId: "acct_42", amount: 0n }));
    assert.equal(zero?.revert?.errorName, "CreditDepositsZeroAmount");

    const notTreasury = await rejection(() => sweepDeposits(payer, d, { amount: usdcOf(f, 1n) }));
    assert.equal(notTreasury?.revert?.errorName, "AccessControlUnauthorizedAccount");
    const treasuryWallet = (await f.viem.getWalletClients()).find((w) => getAddress(w.account.address) === getAddress(d.roles.treasury))!;
    const before = await f.balanceOf(d.contracts.usdc, d.roles.treasury);
    const sw = await sweepDeposits(clientsOf(f, treasuryWallet), d, { amount: usdcOf(f, 25n) });
    assert.deepEqual([sw.to, sw.amount], [getAddress(d.roles.treasury), usdcOf(f, 25n)]);
    assert.equal(await f.balanceOf(d.contracts.usdc, d.roles.treasury), before + usdcOf(f, 25n));
  });

  // TwapOracle.update cannot reset a maturing window (it records only once the newest observation
  // is a window old), so someone calling it every 29 minutes cannot keep buybacks from running.
  it(
    "cannot be kept from buying back by someone refreshing the TWAP observation every 29 minutes",
    async () => {
      const d = f.d;
      const keeper = clientsOf(f, f.deployer);
      const griefer = clientsOf(f, f.attacker);
      await reportRevenue(keeper, d, { epoch: 3n, mt, gross: usdcOf(f, 100n), hardCost: usdcOf(f, 10n) });
      const pair = (await f.publicClient.readContract({ address: d.contracts.uniswapV2Factory, abi: uniswapV2FactoryAbi, functionName: "getPair", args: [mt, d.contracts.flock] })) as Address;
      const flockPair = (await f.publicClient.readContract({ address: d.contracts.uniswapV2Factory, abi: uniswapV2FactoryAbi, functionName: "getPair", args: [d.contracts.usdc, d.contracts.flock] })) as Address;
      // Half a day of a griefer's update every 29 minutes (a few cents of gas each on an L2), while
      // a keeper keeps the USDC/FLOCK pool's observation fresh (no buyback trades through it meanwhile).
      for (let i = 0; i < 25; i++) {
        await updateTwap(griefer, d, { pair });
        await updateTwap(keeper, d, { pair: flockPair });
        await f.wait(29n * 60n);
      }
      const blocked = await rejection(() => executeMtBuyback(clientsOf(f, f.carol), d, { mt }));
      assert.equal(blocked?.revert?.errorName, undefined, `the buyback ran (got ${blocked ? describeError(blocked.err) : "nothing"})`);
    },
  );
});
