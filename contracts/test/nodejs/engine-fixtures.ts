// Fixtures and helpers for the token layer and economic engine tests.
//
// One in-process chain per test file (`createWorld`, on chain.ts like the launch tests' fixtures.ts),
// with snapshot fixtures on it:
//   deployed()  - deployLocal (optionally with a timelock, on a USDC of 6 or 18 decimals) + users funded with
//                 FLOCK and USDC, approvals made;
//   graduated() - on top: an $MT raised to raiseMax (graduated, buyers claimed) and a second offering still raising.
// Tests call `w.deployed()` / `w.graduated()` at their start: the first call builds the state, later calls
// revert the chain to it (networkHelpers.loadFixture), so the files stay fast.
//
// Independent math lives here too, on purpose: the emission schedule (rpowRef, cumulativeRef) is the
// test's own reference written from docs/protocol.md#emissions, so the SDK's emission module and the
// contract are both checked against something neither wrote; likewise the time-weighted stake of a
// day from on-chain checkpoints. Product rules the tests merely apply (reward scores, revenue
// routing) come from the SDK (rewardScores, routeOf).
import assert from "node:assert/strict";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, getContract, maxUint256, parseEventLogs, type Abi, type Address, type Hex, type TransactionReceipt } from "viem";
import {
  BPS,
  FLOCK,
  buybackExecutorAbi,
  creditDepositsAbi,
  emissionScheduleAbi,
  gmFlockAbi,
  incentivePoolAbi,
  launchpadAbi,
  localTokenAbi,
  modelTokenAbi,
  mtStakingAbi,
  revenueRouterAbi,
  rewardsDistributorAbi,
  templateRegistryAbi,
  timelockControllerAbi,
  twapOracleAbi,
  uniswapV2FactoryAbi,
  uniswapV2PairAbi,
  uniswapV2Router02Abi,
  usdToTokenUnits,
  type Deployments,
} from "@fomo/sdk";
import { HOUR } from "@fomo/testkit";
import { bytecodeOf, deployLocal, type ContractName } from "@fomo/deploy";
import { openChain, type Wallet } from "./chain.ts";

// ------------------------------------------------------------------ the world

export interface WorldOptions {
  /** Hand the admin roles to a TimelockController with this delay (seconds). */
  timelockDelay?: number;
  /** Decimals of the local USDC: 6 (default, as on Base) or 18 (as on BSC). */
  usdcDecimals?: number;
  /** Seconds per epoch (deployLocal's epochSeconds, the schedule's dayLength); default a day. */
  epochSeconds?: number;
}

/** The stablecoin decimals the economic suites run on: USDC on Base (6) and on BSC (18). */
export const USDC_DECIMALS = [6, 18] as const;

/** FLOCK every user wallet starts with. */
export const USER_FLOCK = 10_000_000n * FLOCK;
/** USD every user wallet starts with (in USDC: the world's userUsdc). */
export const USER_USD = 1_000_000n;
/** USD the keeper (the deployer) holds to pay revenue reports (the world's keeperUsdc). */
export const KEEPER_USD = 10_000_000n;

export async function createWorld(opts: WorldOptions = {}) {
  const usdcDecimals = opts.usdcDecimals ?? 6;
  /** One USD in the world's USDC units: amounts in tests are `n * usd`. */
  const usd = usdToTokenUnits(1n, usdcDecimals);
  const userUsdc = USER_USD * usd;
  const keeperUsdc = KEEPER_USD * usd;
  const { conn, viem, networkHelpers: nh, publicClient, wallets, mined, now, nextAt, jumpTo, wait } = await openChain();
  const w = (i: number): Wallet => wallets[i]!;
  // deployer = admin (unless timelocked), keeper, pauser, catalog operator and emission reserve.
  const [deployer, issuer, alice, bob, carol, dave, attacker, treasuryW, hostingW] = [0, 1, 2, 3, 4, 5, 6, 7, 8].map(w) as [
    Wallet, Wallet, Wallet, Wallet, Wallet, Wallet, Wallet, Wallet, Wallet,
  ];
  const users = [issuer, alice, bob, carol, dave, attacker];
  /** A wallet's address, checksummed (as contracts and events return addresses). */
  const addr = (wallet: Wallet): Address => getAddress(wallet.account.address);
  const treasury = getAddress(treasuryW.account.address);
  const hostingReserve = getAddress(hostingW.account.address);

  /** Typed handles on every contract, sending from `from` (the deployer by default). */
  const bind = (d: Deployments, from: Wallet = deployer) => {
    const at = <const A extends Abi>(abi: A, address: Address) =>
      getContract({ abi, address, client: { public: publicClient, wallet: from } });
    const c = d.contracts;
    return {
      flock: at(localTokenAbi, c.flock),
      usdc: at(localTokenAbi, c.usdc),
      factory: at(uniswapV2FactoryAbi, c.uniswapV2Factory),
      router: at(uniswapV2Router02Abi, c.uniswapV2Router),
      registry: at(templateRegistryAbi, c.templateRegistry),
      launchpad: at(launchpadAbi, c.launchpad),
      incentivePool: at(incentivePoolAbi, c.incentivePool),
      staking: at(mtStakingAbi, c.mtStaking),
      oracle: at(twapOracleAbi, c.twapOracle),
      executor: at(buybackExecutorAbi, c.buybackExecutor),
      revenueRouter: at(revenueRouterAbi, c.revenueRouter),
      deposits: at(creditDepositsAbi, c.creditDeposits),
      schedule: at(emissionScheduleAbi, c.emissionSchedule),
      distributor: at(rewardsDistributorAbi, c.rewardsDistributor),
      gmFlock: at(gmFlockAbi, c.gmFlock),
      mt: (mt: Address) => at(modelTokenAbi, mt),
      pair: (pair: Address) => at(uniswapV2PairAbi, pair),
      timelock: c.timelock ? at(timelockControllerAbi, c.timelock) : undefined,
    };
  };

  const balanceOf = (token: Address, who: Address) =>
    publicClient.readContract({ address: token, abi: localTokenAbi, functionName: "balanceOf", args: [who] });

  async function deployed() {
    const d = await deployLocal(publicClient, deployer, {
      treasury, hostingReserve, timelockDelay: opts.timelockDelay, usdcDecimals, epochSeconds: opts.epochSeconds,
    });
    const c = bind(d);
    for (const u of users) {
      await mined(c.flock.write.mint([u.account.address, USER_FLOCK]));
      await mined(c.usdc.write.mint([u.account.address, userUsdc]));
      const cu = bind(d, u);
      for (const spender of [d.contracts.launchpad, d.contracts.uniswapV2Router, d.contracts.gmFlock]) {
        await mined(cu.flock.write.approve([spender, maxUint256]));
      }
      for (const spender of [d.contracts.uniswapV2Router, d.contracts.creditDeposits]) {
        await mined(cu.usdc.write.approve([spender, maxUint256]));
      }
    }
    await mined(c.usdc.write.mint([deployer.account.address, keeperUsdc]));
    await mined(c.usdc.write.approve([d.contracts.revenueRouter, maxUint256]));
    const flockUsdcPair = await c.factory.read.getPair([d.contracts.flock, d.contracts.usdc]);
    return { d, c, flockUsdcPair, as: (from: Wallet) => bind(d, from) };
  }

  /** What the graduated fixture's raise paid in (FLOCK, fees included): alice, bob, then carol overshooting raiseMax. */
  const RAISE_BUYS = [
    [alice, 300_000n * FLOCK],
    [bob, 400_000n * FLOCK],
    [carol, 1_000_000n * FLOCK],
  ] as const;

  async function graduated() {
    const base = await nh.loadFixture(deployed);
    const { d, c } = base;
    const ci = bind(d, issuer);
    const deadline = async () => (await now()) + HOUR;
    const launchArgs = (ticker: string) => ({
      templateId: 0, name: `Model ${ticker}`, ticker, metadataURI: "ipfs://meta", firstBuy: 0n, minMtOut: 0n,
    });
    const r1 = await mined(ci.launchpad.write.launch([{ ...launchArgs("GRAD"), deadline: await deadline() }]));
    const mt = parseEventLogs({ abi: launchpadAbi, logs: r1.logs, eventName: "Launched" })[0]!.args.mt;
    await wait(2n * HOUR); // past the anti-snipe window: base fee only
    let graduation: TransactionReceipt | undefined;
    for (const [who, flockIn] of RAISE_BUYS) {
      graduation = await mined(bind(d, who).launchpad.write.buy([mt, flockIn, 0n, await deadline()]));
    }
    const grad = parseEventLogs({ abi: launchpadAbi, logs: graduation!.logs, eventName: "Graduated" })[0];
    assert.ok(grad, "the last buy graduates the offering");
    for (const [who] of RAISE_BUYS) await mined(c.launchpad.write.claim([mt, who.account.address]));
    // Holders approve staking and the DEX router for this $MT.
    for (const u of [alice, bob, carol, dave, attacker]) {
      const cu = bind(d, u);
      for (const spender of [d.contracts.mtStaking, d.contracts.uniswapV2Router]) {
        await mined(cu.mt(mt).write.approve([spender, maxUint256]));
      }
    }
    // A second offering that stays in its raise: not a graduated $MT.
    const r2 = await mined(ci.launchpad.write.launch([{ ...launchArgs("RAISE"), deadline: await deadline() }]));
    const raising = parseEventLogs({ abi: launchpadAbi, logs: r2.logs, eventName: "Launched" })[0]!.args.mt;
    const mtPair = grad.args.pair;
    return { ...base, mt, mtPair, raising, graduation: grad.args.result };
  }

  /** Deploys one contract from the deployer (for constructor-bound tests and fresh instances). */
  const deploy = async (name: ContractName, abi: Abi, args: readonly unknown[]): Promise<Address> => {
    const r = await mined(deployer.deployContract({ abi, bytecode: bytecodeOf(name), args }));
    return getAddress(r.contractAddress!);
  };

  /** Swaps exactly `amountIn` along `path` through the Uniswap V2 router as `who`; returns the amounts of each hop. */
  const swap = async (d: Deployments, who: Wallet, path: readonly Address[], amountIn: bigint) => {
    const router = bind(d, who).router;
    const amounts = await router.read.getAmountsOut([amountIn, [...path]]); // what the swap below gets: same state
    await mined(router.write.swapExactTokensForTokens([amountIn, 0n, [...path], who.account.address, (await now()) + HOUR]));
    return amounts;
  };

  return {
    usdcDecimals, usd, userUsdc, keeperUsdc,
    conn, nh, viem, publicClient, wallets, deployer, issuer, alice, bob, carol, dave, attacker, users,
    treasuryW, hostingW, treasury, hostingReserve,
    addr, mined, now, nextAt, jumpTo, wait, bind, deploy, balanceOf, swap,
    deployed: () => nh.loadFixture(deployed),
    graduated: () => nh.loadFixture(graduated),
  };
}

export type World = Awaited<ReturnType<typeof createWorld>>;
export type Deployed = Awaited<ReturnType<World["deployed"]>>;
export type Graduated = Awaited<ReturnType<World["graduated"]>>;

// ------------------------------------------------------------------ Merkle trees (distributor format)

export const REWARD_LEAF = ["address", "address", "uint256"] as const;

export interface RewardLeaf {
  account: Address;
  token: Address;
  cumulative: bigint;
}

/** A StandardMerkleTree over (account, token, cumulativeAmount) leaves, as RewardsDistributor expects. */
export function rewardTree(leaves: RewardLeaf[]) {
  const tree = StandardMerkleTree.of(
    leaves.map((l) => [l.account, l.token, l.cumulative.toString()]),
    [...REWARD_LEAF],
  );
  const proof = (account: Address, token: Address): { cumulative: bigint; proof: Hex[] } => {
    for (const [i, v] of tree.entries()) {
      if (getAddress(v[0] as string) === getAddress(account) && getAddress(v[1] as string) === getAddress(token)) {
        return { cumulative: BigInt(v[2] as string), proof: tree.getProof(i) as Hex[] };
      }
    }
    throw new Error(`no leaf for ${account} / ${token}`);
  };
  return { root: tree.root as Hex, tree, proof };
}

// ------------------------------------------------------------------ emission schedule, independently

export const RAY = 10n ** 27n;

/** ⌊2^(−1/180)·10^27⌋ by bisection on the exact inequality 2·q^180 <= RAY^180 (no floats). */
export function dailyDecayRef(): bigint {
  const target = RAY ** 180n;
  let lo = 0n;
  let hi = RAY;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (2n * mid ** 180n <= target) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** x^n in ray, square-and-multiply rounding down after each product (EmissionSchedule's documented rounding). */
export function rpowRef(x: bigint, n: bigint): bigint {
  let z = RAY;
  for (; n > 0n; n >>= 1n) {
    if (n & 1n) z = (z * x) / RAY;
    x = (x * x) / RAY;
  }
  return z;
}

/** C(d) = ⌊E0·(RAY − q^(d+1))/(RAY − q)⌋ with the documented rpow. */
export const cumulativeRef = (e0: bigint, q: bigint, day: bigint) => (e0 * (RAY - rpowRef(q, day + 1n))) / (RAY - q);

/** C(d) with q^(d+1) exact (rational), no intermediate rounding: the "true" value for the ray constant q. */
export function cumulativeExact(e0: bigint, q: bigint, day: bigint): bigint {
  const n = day + 1n;
  const rn = RAY ** n;
  return (e0 * (rn - q ** n) * RAY) / (rn * (RAY - q));
}

// ------------------------------------------------------------------ time-weighted stake

export interface Checkpoint {
  key: bigint; // timestamp from which `value` holds
  value: bigint;
}

/**
 * ∫ stake dt over [from, to): stake·seconds, from checkpoints sorted by key (value holds from its
 * key on; before the first checkpoint the stake is 0). Divide by (to − from) for the average.
 */
export function stakeSeconds(checkpoints: readonly Checkpoint[], from: bigint, to: bigint): bigint {
  let total = 0n;
  let value = 0n;
  let since = from;
  for (const c of checkpoints) {
    if (c.key <= from) {
      value = c.value; // in force at `from`
      continue;
    }
    if (c.key >= to) break;
    total += value * (c.key - since);
    value = c.value;
    since = c.key;
  }
  return total + value * (to - since);
}

/** Reads every stake checkpoint of `account` in `mt` from MtStaking. */
export async function checkpointsOf(b: { staking: Deployed["c"]["staking"] }, mt: Address, account: Address): Promise<Checkpoint[]> {
  const n = await b.staking.read.checkpointCount([mt, account]);
  const out: Checkpoint[] = [];
  for (let i = 0; i < Number(n); i++) {
    const [key, value] = await b.staking.read.checkpointAt([mt, account, i]);
    out.push({ key: BigInt(key), value });
  }
  return out;
}

// ------------------------------------------------------------------ deeper pools

/**
 * The deployer adds `times − 1` times the USDC/FLOCK pool's reserves to it, at its price: a pool
 * `times` as deep, so a buyback's depth limit (a share of the reserves) grows with it.
 */
export async function deepenFlockUsdcPool(w: World, g: Graduated, times: bigint) {
  const { usdc, flock, uniswapV2Router } = g.d.contracts;
  const me = w.addr(w.deployer);
  const [r0, r1] = await g.c.pair(g.flockUsdcPair).read.getReserves();
  const usdcIs0 = getAddress(await g.c.pair(g.flockUsdcPair).read.token0()) === getAddress(usdc);
  const [usdcIn, flockIn] = usdcIs0 ? [r0 * (times - 1n), r1 * (times - 1n)] : [r1 * (times - 1n), r0 * (times - 1n)];
  await w.mined(g.c.usdc.write.mint([me, usdcIn]));
  await w.mined(g.c.flock.write.mint([me, flockIn]));
  await w.mined(g.c.usdc.write.approve([uniswapV2Router, usdcIn]));
  await w.mined(g.c.flock.write.approve([uniswapV2Router, flockIn]));
  await w.mined(g.c.router.write.addLiquidity([usdc, flock, usdcIn, flockIn, usdcIn, flockIn, me, (await w.now()) + HOUR]));
}
