// The gas scenario of the token layer and economic engine, run by scenario.ts on the same chain
// after the launch layer: staking, revenue reports, buybacks, reward roots and claims. As there,
// every measured operation is a real transaction, arranged to hit the common storage situation of
// a live deployment (see bench/README.md), and unmeasured warm-ups come first.
//
// The reward claims are proven against a tree of 100,000 leaves built with the SDK's
// buildRewardsTree (the same root and proofs as @openzeppelin/merkle-tree's StandardMerkleTree).
import { keccak256, maxUint256, toHex, type Abi, type Address, type ContractFunctionArgs, type ContractFunctionName, type PublicClient, type TransactionReceipt } from "viem";
import {
  INITIAL_EMISSION,
  MT,
  buildRewardsTree,
  cumulativeEmission,
  epochOf,
  getEpochClock,
  incentivePoolAbi,
  localTokenAbi,
  modelTokenAbi,
  mtStakingAbi,
  revenueRouterAbi,
  rewardsDistributorAbi,
  twapOracleAbi,
  uniswapV2FactoryAbi,
  buybackExecutorAbi,
  defaultBuybackLimits,
  usdToTokenUnits,
  type Deployments,
  type RewardEntry,
  type RewardsTree,
  type Wallet,
} from "@fomo/sdk";
import type { Metric } from "./scenario.ts";

/** The engine's figures (see bench/README.md). */
export const ENGINE_METRICS = [
  "stake",
  "unstake",
  "reportRevenue",
  "executeBuyback",
  "executeFlockBuyback",
  "postRoot",
  "claimReward",
  "claimRewardHolder",
  "claimRewardRepeat",
] as const;

/** What the table prints about the claims' tree. */
export interface EngineNotes {
  leaves: number;
  proofLength: number;
  /** Seconds buildRewardsTree took for the 100,000-leaf tree. */
  treeSeconds: number;
}

/** scenario.ts's `send`: a contract call, its gasUsed recorded as a sample of `metric` (if any). */
export type Send = <const A extends Abi, F extends ContractFunctionName<A, "nonpayable" | "payable">>(
  metric: Metric | undefined,
  from: Wallet,
  address: Address,
  abi: A,
  functionName: F,
  args: ContractFunctionArgs<A, "nonpayable" | "payable", F>,
) => Promise<TransactionReceipt>;

export interface EngineContext {
  publicClient: PublicClient;
  d: Deployments;
  /** The deployer: keeper (router, distributor) and emission reserve in deployLocal. */
  keeper: Wallet;
  send: Send;
  impersonate: (address: Address) => Promise<Wallet>;
  /** A new account with ETH for gas and no tokens. */
  freshAccount: () => Promise<Wallet>;
  increaseTime: (seconds: bigint) => Promise<unknown>;
  progress: (what: string) => void;
  n: number;
}

const DAY = 86_400n;
/** Leaves of the tree the measured claims are proven against. */
const TREE_LEAVES = 100_000;
/** Leaves of the daily trees posted in the postRoot samples (postRoot's gas does not depend on it). */
const DAILY_LEAVES = 1_000;
const STAKE = 100n * MT;
/**
 * A small model's daily revenue in whole USD: 20 gross, 2 hard cost. Its buybacks (9 USD of $MT,
 * 2.7 USD of FLOCK) move the local pools well inside the 2% TWAP bound.
 */
const GROSS_USD = 20n;
const HARD_COST_USD = 2n;

/** Synthetic reward accounts: distinct, never a precompile, holding nothing. */
const syntheticAccount = (i: number): Address => `0x${(0xbe0c00000000000000000000000000000000000n + BigInt(i)).toString(16).padStart(40, "0")}`;

export async function runEngineScenario(
  ctx: EngineContext,
  { mt, holder }: { mt: Address; holder: Wallet },
): Promise<EngineNotes> {
  const { publicClient: pub, d, keeper, send, n } = ctx;
  const { mtStaking, revenueRouter, buybackExecutor, twapOracle, rewardsDistributor, incentivePool, usdc, flock } = d.contracts;
  const inUsdc = (usd: bigint) => usdToTokenUnits(usd, d.usdcDecimals);
  const [GROSS, HARD_COST] = [inUsdc(GROSS_USD), inUsdc(HARD_COST_USD)];

  // ------------------------------------------------------------------ staking
  // Stakers new to staking this $MT (their checkpoint history starts), on an $MT others already
  // stake (its total's history exists). Each change lands in its own block, so each appends a
  // checkpoint to the account's and to the total's history, as stake changes do on a live chain.
  ctx.progress("stake / unstake");
  await send(undefined, holder, mt, modelTokenAbi, "approve", [mtStaking, maxUint256]);
  await send(undefined, holder, mtStaking, mtStakingAbi, "stake", [mt, STAKE]); // warm-up
  const stakers: Wallet[] = [];
  for (let i = 0; i < n; i++) {
    const w = await ctx.freshAccount();
    await send(undefined, holder, mt, modelTokenAbi, "transfer", [w.account.address, 2n * STAKE]);
    await send(undefined, w, mt, modelTokenAbi, "approve", [mtStaking, maxUint256]);
    stakers.push(w);
  }
  for (const w of stakers) await send("stake", w, mtStaking, mtStakingAbi, "stake", [mt, STAKE]);
  // A first unstake: the cooldown record is written from zero.
  for (const w of stakers) await send("unstake", w, mtStaking, mtStakingAbi, "unstake", [mt, STAKE / 2n]);

  // ------------------------------------------------------------------ revenue reports
  // The keeper reports one (epoch, $MT) per transaction. After a warm-up report, the issuer's
  // yield, both buyback budgets and the treasury's, hosting payee's and executor's USDC balances
  // are non-zero: what a daily report meets when the previous one's budgets are not all spent.
  ctx.progress("reportRevenue");
  await send(undefined, keeper, usdc, localTokenAbi, "mint", [keeper.account.address, inUsdc(1_000_000n)]);
  await send(undefined, keeper, usdc, localTokenAbi, "approve", [revenueRouter, maxUint256]);
  let epoch = 0n;
  const report = (metric: Metric | undefined) => {
    const e = epoch++;
    return send(metric, keeper, revenueRouter, revenueRouterAbi, "reportRevenue", [e, mt, GROSS, HARD_COST, keccak256(toHex(`usage ${e}`))]);
  };
  await report(undefined);
  for (let i = 0; i < n; i++) await report("reportRevenue");

  // ------------------------------------------------------------------ buybacks
  // Each round: a report funds the budgets, both pairs' TWAP observations are refreshed, an
  // interval passes, then anyone runs the $MT buyback (USDC → FLOCK → $MT, burned) and the FLOCK
  // buyback (USDC → FLOCK, burned). Each spends its whole budget (below the per-interval cap).
  ctx.progress("executeBuyback / executeFlockBuyback");
  const pairOf = async (a: Address, b: Address) =>
    (await pub.readContract({ address: d.contracts.uniswapV2Factory, abi: uniswapV2FactoryAbi, functionName: "getPair", args: [a, b] })) as Address;
  const pairs = [await pairOf(mt, flock), await pairOf(usdc, flock)];
  const executor = await ctx.freshAccount();
  const round = async (measured: boolean) => {
    await report(undefined);
    for (const pair of pairs) await send(undefined, executor, twapOracle, twapOracleAbi, "update", [pair]);
    await ctx.increaseTime(BigInt(defaultBuybackLimits(d.usdcDecimals).interval));
    await send(measured ? "executeBuyback" : undefined, executor, buybackExecutor, buybackExecutorAbi, "executeMtBuyback", [mt]);
    await send(measured ? "executeFlockBuyback" : undefined, executor, buybackExecutor, buybackExecutorAbi, "executeFlockBuyback", []);
  };
  await round(false); // warm-up: both targets bought back before, pools' accumulators non-zero
  for (let i = 0; i < n; i++) await round(true);

  // ------------------------------------------------------------------ reward roots
  // Daily roots over two tokens (FLOCK, and the $MT's incentives released by the incentive pool):
  // each pulls the day's emission from the reserve and raises both allotments (non-zero before).
  ctx.progress("postRoot");
  const clock = await getEpochClock(pub, d);
  const today = async () => epochOf(clock, (await pub.getBlock()).timestamp);
  // Epochs: n + 1 daily roots, then the 100,000-leaf roots of the claims, the last one today.
  const epochsNeeded = BigInt(n) + 3n;
  const now = await today();
  if (now < epochsNeeded) await ctx.increaseTime((epochsNeeded - now) * DAY);
  await send(undefined, keeper, incentivePool, incentivePoolAbi, "release", [mt]);
  const last = await today();
  let rootEpoch = last - epochsNeeded + 1n;
  // Each root waits out its challenge delay, so the next post first writes it live (as a keeper's
  // daily post does: postRoot's figure includes activating yesterday's root).
  const delay = await pub.readContract({ address: rewardsDistributor, abi: rewardsDistributorAbi, functionName: "challengeDelay" });
  const post = async (metric: Metric | undefined, tree: RewardsTree) => {
    await send(metric, keeper, rewardsDistributor, rewardsDistributorAbi, "postRoot", [
      tree.epoch,
      tree.root,
      tree.contentHash,
      cumulativeEmission(tree.epoch, INITIAL_EMISSION),
      tree.totals.map((t) => t.token),
      tree.totals.map((t) => t.total),
    ]);
    await ctx.increaseTime(delay);
  };
  const daily = (day: number) =>
    buildRewardsTree({
      epoch: rootEpoch++,
      entries: Array.from({ length: DAILY_LEAVES }, (_, i) => ({
        account: syntheticAccount(i),
        token: i % 2 ? mt : flock,
        cumulativeAmount: BigInt(day + 1) * 10n ** 12n, // grows every day
      })),
    });
  await post(undefined, daily(0));
  for (let i = 1; i <= n; i++) await post("postRoot", daily(i));

  // ------------------------------------------------------------------ claims, 100,000 leaves
  ctx.progress(`claimReward (tree of ${TREE_LEAVES.toLocaleString("en-US")} leaves)`);
  // 90% FLOCK, 10% $MT leaves; amounts 0.001 to ~1 token, all above the daily trees' (allotments only grow).
  const entries: RewardEntry[] = Array.from({ length: TREE_LEAVES }, (_, i) => ({
    account: syntheticAccount(i),
    token: i % 10 === 9 ? mt : flock,
    cumulativeAmount: 10n ** 15n + BigInt((i * 7_919) % 1_000_000) * 10n ** 12n,
  }));
  const started = performance.now();
  const treeA = buildRewardsTree({ epoch: rootEpoch++, entries });
  const treeSeconds = (performance.now() - started) / 1000;
  // A leaf's proof has 16 or 17 hashes in a 100,000-leaf tree (2^16 < 100,000 < 2^17); the
  // measured claims take leaves of the deepest level (~69% of them), in both roots.
  const depth = Math.ceil(Math.log2(TREE_LEAVES));
  const deep = (tree: RewardsTree, e: RewardEntry) => tree.claimOf(e.account, e.token)!.proof.length === depth;
  const candidates = entries.filter((e) => e.token === flock && deep(treeA, e)).slice(0, 4 * n + 1);
  const [warm, ...pool] = candidates;
  // The next day, the candidates earned more: a second root, and a repeat claim of the difference.
  const raised = new Set(pool.map((e) => e.account));
  const treeB = buildRewardsTree({
    epoch: rootEpoch++,
    entries: entries.map((e) => (raised.has(e.account) ? { ...e, cumulativeAmount: e.cumulativeAmount + 10n ** 15n } : e)),
  });
  const newHolders = pool.filter((e) => deep(treeB, e)).slice(0, n);
  const holders = pool.filter((e) => !newHolders.includes(e)).slice(0, n);
  if (!warm || newHolders.length < n || holders.length < n) throw new Error(`too few leaves with ${depth}-hash proofs in both trees`);

  const claim = async (metric: Metric | undefined, tree: RewardsTree, e: RewardEntry) => {
    const c = tree.claimOf(e.account, e.token)!;
    const w = await ctx.impersonate(e.account);
    await send(metric, w, rewardsDistributor, rewardsDistributorAbi, "claim", [c.account, c.token, c.cumulativeAmount, c.proof]);
  };
  await post(undefined, treeA);
  await claim(undefined, treeA, warm); // warm-up: the distributor has paid FLOCK claims before
  // First claims by accounts that already hold some FLOCK: their claimed amount is written from zero.
  for (const e of holders) await send(undefined, keeper, flock, localTokenAbi, "mint", [e.account, 10n ** 18n]);
  for (const e of holders) await claim("claimRewardHolder", treeA, e);
  // First claims by accounts holding no FLOCK yet: their claimed amount and their balance are written from zero.
  for (const e of newHolders) await claim("claimReward", treeA, e);
  await post(undefined, treeB);
  await send(undefined, keeper, rewardsDistributor, rewardsDistributorAbi, "activate", []); // the claims below pay no activation
  for (const e of newHolders) await claim("claimRewardRepeat", treeB, e);
  return { leaves: TREE_LEAVES, proofLength: depth, treeSeconds };
}
