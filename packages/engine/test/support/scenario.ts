// One protocol history on a real Hardhat chain with FOMO deployed, through the SDK's actions: an
// offering that graduates (buys with and without the anti-snipe surcharge, claims, pool swaps, a
// revenue report and an $MT buyback), one that fails across a Launchpad pause (refund), one still
// raising, stakes with a cooldown and withdrawal, a USDC credit deposit, a gmFLOCK lock, and a
// reward root with a claim.
import { startLocalChain, type LocalChain } from "@fomo/deploy";
import {
  FLOCK, INITIAL_EMISSION, MT, buildRewardsTree, buy, claim, claimReward, cumulativeEmission, defaultBuybackLimits,
  depositCredits, epochOf, executeMtBuyback, getEpochClock, launch, launchpadAbi, localTokenAbi, lockFlock, modelTokenAbi,
  postRoot, refund, reportRevenue, rewardsDistributorAbi, stake, uniswapV2FactoryAbi, uniswapV2Router02Abi, unstake, updateTwap,
  usdToTokenUnits, withdrawStake, type Clients, type Deployments,
} from "@fomo/sdk";
import { keccak256, maxUint256, toHex, type Address } from "viem";

export interface Scenario {
  chain: LocalChain;
  d: Deployments;
  keeper: Clients;
  alice: Clients;
  bob: Clients;
  /** Graduated, with swaps, stakes, a report and a buyback. */
  graduated: Address;
  /** Failed (refunded), across a Launchpad pause. */
  failed: Address;
  /** Still raising at the end. */
  raising: Address;
  pair: Address;
  usdcPair: Address;
  depositAccount: string;
  revenueEpoch: bigint;
  gmLockId: bigint;
  rewardToken: Address;
  rewardRoot: `0x${string}`;
}

const HOUR = 3_600n;
const DEAD = "0x000000000000000000000000000000000000dEaD";
const DAY = 86_400n;
/** What buys inside the anti-snipe window accept: its surcharge, whatever it is (the SDK refuses it by default). */
const ANY_FEE = 10_000;

export async function runScenario(): Promise<Scenario> {
  const chain = await startLocalChain({ port: 0, accounts: 3 });
  try {
    return await play(chain);
  } catch (error) {
    await chain.stop();
    throw error;
  }
}

async function play(chain: LocalChain): Promise<Scenario> {
  const d = chain.deployments;
  const pub = chain.publicClient;
  const [keeper, alice, bob] = chain.wallets.map((wallet) => ({ public: pub, wallet })) as [Clients, Clients, Clients];
  const { flock, usdc, launchpad } = d.contracts;
  const mined = async (hash: `0x${string}`) => {
    const receipt = await pub.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  };
  const increaseTime = async (seconds: bigint) => {
    await pub.request({ method: "evm_increaseTime" as never, params: [Number(seconds)] as never });
    await pub.request({ method: "evm_mine" as never, params: [] as never });
  };
  for (const who of [keeper, alice, bob]) {
    const me = who.wallet.account.address;
    await mined(await who.wallet.writeContract({ address: flock, abi: localTokenAbi, functionName: "mint", args: [me, 3_000_000n * FLOCK] }));
    await mined(await who.wallet.writeContract({ address: flock, abi: localTokenAbi, functionName: "approve", args: [launchpad, maxUint256] }));
  }

  // ---------------------------------------------------------------- an offering that graduates
  const { mt: graduated } = await launch(keeper, d, { templateId: 0, name: "Alpha Model", ticker: "ALPHA" });
  await buy(alice, d, { mt: graduated, flockIn: 20_000n * FLOCK, maxFeeBps: ANY_FEE }); // inside the anti-snipe window: a surcharge
  await increaseTime(2n * HOUR);
  await buy(alice, d, { mt: graduated, flockIn: 30_000n * FLOCK });
  const last = await buy(bob, d, { mt: graduated, flockIn: 1_100_000n * FLOCK });
  if (!last.graduated) throw new Error("the offering did not graduate");
  await claim(alice, d, { mt: graduated });
  await claim(bob, d, { mt: graduated });
  const pair = (await pub.readContract({
    address: d.contracts.uniswapV2Factory, abi: uniswapV2FactoryAbi, functionName: "getPair", args: [graduated, flock],
  })) as Address;
  const usdcPair = (await pub.readContract({
    address: d.contracts.uniswapV2Factory, abi: uniswapV2FactoryAbi, functionName: "getPair", args: [usdc, flock],
  })) as Address;

  // Pool trades, in separate hours so the candles have more than one interval after graduation.
  const router = d.contracts.uniswapV2Router;
  const swap = async (who: Clients, from: Address, to: Address, amountIn: bigint) => {
    await mined(await who.wallet.writeContract({ address: from, abi: localTokenAbi, functionName: "approve", args: [router, maxUint256] }));
    const deadline = (await pub.getBlock()).timestamp + HOUR;
    await mined(
      await who.wallet.writeContract({
        address: router, abi: uniswapV2Router02Abi, functionName: "swapExactTokensForTokens",
        args: [amountIn, 0n, [from, to], who.wallet.account.address, deadline],
      }),
    );
  };
  await increaseTime(HOUR);
  await swap(bob, flock, graduated, 5_000n * FLOCK);
  await swap(bob, flock, graduated, 2_000n * FLOCK);
  await increaseTime(HOUR);
  await swap(alice, graduated, flock, 1_000n * MT);
  // A holder burns by sending to the dead address, as tokens without a burn function are burned.
  await mined(await bob.wallet.writeContract({ address: graduated, abi: modelTokenAbi, functionName: "transfer", args: [DEAD, 100n * MT] }));

  // ---------------------------------------------------------------- stakes
  await stake(alice, d, { mt: graduated, amount: 5_000n * MT });
  await stake(bob, d, { mt: graduated, amount: 8_000n * MT });
  await increaseTime(3n * HOUR);
  await unstake(alice, d, { mt: graduated, amount: 2_000n * MT });
  await increaseTime(8n * DAY); // past any cooldown
  await withdrawStake(alice, d, { mt: graduated });
  await unstake(bob, d, { mt: graduated, amount: 1_000n * MT }); // still cooling at the end

  // ---------------------------------------------------------------- credits, revenue, buyback
  const inUsdc = (usd: bigint) => usdToTokenUnits(usd, d.usdcDecimals);
  for (const who of [keeper, alice]) {
    await mined(await keeper.wallet.writeContract({
      address: usdc, abi: localTokenAbi, functionName: "mint", args: [who.wallet.account.address, inUsdc(10_000n)],
    }));
  }
  const depositAccount = "acct_readmodel";
  await depositCredits(alice, d, { accountId: depositAccount, amount: inUsdc(25n) });
  await depositCredits(alice, d, { accountId: depositAccount, amount: inUsdc(7n) });
  const revenueEpoch = 1n;
  await reportRevenue(keeper, d, {
    epoch: revenueEpoch, mt: graduated, gross: inUsdc(20n), hardCost: inUsdc(2n), usageRoot: keccak256(toHex("usage 1")),
  });
  for (const p of [pair, usdcPair]) await updateTwap(bob, d, { pair: p });
  await increaseTime(BigInt(defaultBuybackLimits(d.usdcDecimals).interval));
  await executeMtBuyback(bob, d, { mt: graduated });

  // ---------------------------------------------------------------- gmFLOCK
  const { locked } = await lockFlock(alice, d, { amount: 1_000n * FLOCK, days: 30n });

  // ---------------------------------------------------------------- a reward root and a claim
  const today = epochOf(await getEpochClock(pub, d), (await pub.getBlock()).timestamp);
  const tree = buildRewardsTree({
    epoch: today,
    entries: [
      { account: alice.wallet.account.address, token: flock, cumulativeAmount: 50n * FLOCK },
      { account: bob.wallet.account.address, token: flock, cumulativeAmount: 20n * FLOCK },
    ],
  });
  await postRoot(keeper, d, { ...tree, emissionTotal: cumulativeEmission(tree.epoch, INITIAL_EMISSION) });
  const delay = await pub.readContract({ address: d.contracts.rewardsDistributor, abi: rewardsDistributorAbi, functionName: "challengeDelay" });
  await increaseTime(BigInt(delay) + 1n);
  await claimReward(alice, d, tree.claimOf(alice.wallet.account.address, flock)!);

  // ---------------------------------------------------------------- an offering that fails across a pause
  const { mt: failed } = await launch(keeper, d, { templateId: 0, name: "Beta Model", ticker: "BETA" });
  await increaseTime(HOUR);
  await buy(alice, d, { mt: failed, flockIn: 1_000n * FLOCK, maxFeeBps: ANY_FEE });
  await mined(await keeper.wallet.writeContract({ address: launchpad, abi: launchpadAbi, functionName: "pause" }));
  await increaseTime(5n * HOUR);
  await mined(await keeper.wallet.writeContract({ address: launchpad, abi: launchpadAbi, functionName: "unpause" }));
  await increaseTime(8n * DAY);
  await refund(alice, d, { mt: failed });

  // ---------------------------------------------------------------- one still raising, across an ongoing pause
  const { mt: raising } = await launch(bob, d, { templateId: 0, name: "Gamma Model", ticker: "GAMMA", firstBuy: 2_000n * FLOCK });
  await buy(bob, d, { mt: raising, flockIn: 3_000n * FLOCK, maxFeeBps: ANY_FEE });
  await mined(await keeper.wallet.writeContract({ address: launchpad, abi: launchpadAbi, functionName: "pause" }));
  await increaseTime(2n * HOUR);

  return {
    chain, d, keeper, alice, bob, graduated, failed, raising, pair, usdcPair, depositAccount, revenueEpoch,
    gmLockId: locked.id, rewardToken: flock, rewardRoot: tree.root,
  };
}
