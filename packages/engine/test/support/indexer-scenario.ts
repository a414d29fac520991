// A whole-protocol scenario on a real Hardhat node: launches, buys, a graduation, a failed raise
// and its refund, a claim and a stake, USDC deposits (to a known and an unknown account) and a swap
// in the graduated pool. Every transaction's receipt is kept: the tests check the index against them.
import { startLocalChain, type LocalChain } from "@fomo/deploy";
import {
  FLOCK, buy, claim, depositCredits, launch, localTokenAbi, refund, stake, uniswapV2Router02Abi, type Clients,
  type Deployments,
} from "@fomo/sdk";
import { maxUint256, type Address, type Hex, type TransactionReceipt } from "viem";

/** What buys inside the anti-snipe window accept: its surcharge, whatever it is (the SDK refuses it by default). */
const ANY_FEE = 10_000;

export interface Scenario {
  chain: LocalChain;
  d: Deployments;
  clients: Clients[];
  /** Every receipt of the scenario, in order. */
  receipts: TransactionReceipt[];
  graduated: { mt: Address; pair: Address; vesting: Address };
  failed: Address;
}

export const HOUR = 3_600;
export const DAY = 24 * HOUR;

export async function startScenarioChain(accounts = 4): Promise<{ chain: LocalChain; clients: Clients[] }> {
  const chain = await startLocalChain({ port: 0, accounts });
  const clients = chain.wallets.map((wallet) => ({ public: chain.publicClient, wallet }));
  for (const c of clients) {
    for (const spender of [chain.deployments.contracts.launchpad, chain.deployments.contracts.uniswapV2Router]) {
      await c.public.waitForTransactionReceipt({
        hash: await c.wallet.writeContract({ address: chain.deployments.contracts.flock, abi: localTokenAbi, functionName: "approve", args: [spender, maxUint256] }),
      });
    }
  }
  return { chain, clients };
}

export async function increaseTime(chain: LocalChain, seconds: number): Promise<void> {
  await chain.publicClient.request({ method: "evm_increaseTime" as never, params: [seconds] as never });
  await chain.publicClient.request({ method: "evm_mine" as never, params: [] as never });
}

export async function runScenario(chain: LocalChain, clients: Clients[], depositAccounts: { known: string; unknown: string }): Promise<Scenario> {
  const d = chain.deployments;
  const receipts: TransactionReceipt[] = [];
  const keep = <T extends { receipt: TransactionReceipt }>(sent: T): T => {
    receipts.push(sent.receipt);
    return sent;
  };
  const [issuer, alice, bob] = clients as [Clients, Clients, Clients];

  const failing = keep(await launch(issuer, d, { templateId: 0, name: "Failing Model", ticker: "FAIL", firstBuy: 1_000n * FLOCK }));
  keep(await buy(alice, d, { mt: failing.mt, flockIn: 5_000n * FLOCK, maxFeeBps: ANY_FEE }));
  const good = keep(await launch(issuer, d, { templateId: 0, name: "Good Model", ticker: "GOOD" }));
  keep(await buy(alice, d, { mt: good.mt, flockIn: 20_000n * FLOCK, maxFeeBps: ANY_FEE }));
  await increaseTime(chain, 2 * HOUR); // past the anti-snipe window
  const graduation = keep(await buy(bob, d, { mt: good.mt, flockIn: 1_100_000n * FLOCK }));
  if (!graduation.graduated) throw new Error("the offering did not graduate");
  const { pair, result } = graduation.graduated;

  keep(await claim(alice, d, { mt: good.mt }));
  keep(await claim(bob, d, { mt: good.mt }));
  keep(await stake(bob, d, { mt: good.mt, amount: 10_000n * 10n ** 18n }));
  keep(await depositCredits(alice, d, { accountId: depositAccounts.known, amount: 25_000_000n * 10n ** BigInt(d.usdcDecimals - 6) }));
  keep(await depositCredits(bob, d, { accountId: depositAccounts.unknown, amount: 7n * 10n ** BigInt(d.usdcDecimals) }));
  receipts.push(await swapFlockFor(alice, d, good.mt, 1_000n * FLOCK));

  await increaseTime(chain, 8 * DAY); // the other raise closed below its minimum: failed
  keep(await refund(alice, d, { mt: failing.mt }));
  keep(await refund(issuer, d, { mt: failing.mt }));
  return { chain, d, clients, receipts, graduated: { mt: good.mt, pair, vesting: result.operatorVesting }, failed: failing.mt };
}

export async function swapFlockFor(c: Clients, d: Deployments, mt: Address, flockIn: bigint): Promise<TransactionReceipt> {
  const block = await c.public.getBlock();
  const hash: Hex = await c.wallet.writeContract({
    address: d.contracts.uniswapV2Router,
    abi: uniswapV2Router02Abi,
    functionName: "swapExactTokensForTokens",
    args: [flockIn, 0n, [d.contracts.flock, mt], c.wallet.account.address, block.timestamp + 3_600n],
  });
  return c.public.waitForTransactionReceipt({ hash });
}
