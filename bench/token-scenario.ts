// What every $MT transfer costs for the token's whole life, side by side with a plain OpenZeppelin
// ERC-20 (LocalToken: ERC20 + ERC20Permit + ERC20Burnable, deployed as a full contract) on the same
// chain: a holder-to-holder transfer, and a Uniswap V2 Router02 swap FLOCK -> token on the token's
// FLOCK pool. Both tokens are measured in the same storage situation (sender and recipient already
// hold the token, every swap the first of its block), so the difference is the token's own code path.
//
// Run by scenario.ts on the same chain after the launch layer, on a graduated $MT.
import { maxUint256, type Address, type Hex, type PublicClient } from "viem";
import { FLOCK, MT, localTokenAbi, modelTokenAbi, uniswapV2Router02Abi, type Deployments, type Wallet } from "@fomo/sdk";
import { bytecodeOf } from "@fomo/deploy";
import type { Send } from "./engine-scenario.ts";
import type { Metric } from "./scenario.ts";

/** The token figures (see bench/README.md). */
export const TOKEN_METRICS = ["transferMt", "transferPlain", "uniswapV2SwapMt", "uniswapV2SwapPlain"] as const;

export interface TokenContext {
  publicClient: PublicClient;
  d: Deployments;
  /** Deploys contracts and mints local tokens. */
  deployer: Wallet;
  send: Send;
  /** A new account with ETH for gas and no tokens. */
  freshAccount: () => Promise<Wallet>;
  deadline: () => Promise<bigint>;
  progress: (what: string) => void;
  n: number;
}

/** Per transfer and per swap: constant, so calldata is the same for both tokens. */
const TRANSFER = 10n * MT;
const SWAP_IN = 100n * FLOCK;

/**
 * `mt` is a graduated $MT with a FLOCK pool; `holder` holds at least 2n·TRANSFER of it. The plain
 * token gets a FLOCK pool of 1,000,000 FLOCK at about the $MT pool's price.
 */
export async function runTokenScenario(ctx: TokenContext, { mt, holder }: { mt: Address; holder: Wallet }) {
  const { publicClient, d, deployer, send, freshAccount, deadline, progress, n } = ctx;
  const { flock, uniswapV2Router: router } = d.contracts;

  const hash: Hex = await deployer.deployContract({ abi: localTokenAbi, bytecode: bytecodeOf("LocalToken"), args: ["Plain ERC-20", "PLAIN", 18] });
  const plain = (await publicClient.waitForTransactionReceipt({ hash })).contractAddress!;

  // What 1,000 FLOCK buys on the $MT pool: the plain pool gets 1,000 times that pair of amounts.
  const pairReserves = async () => {
    const flockIn = 1_000n * FLOCK;
    const [, mtOut] = await publicClient.readContract({ address: router, abi: uniswapV2Router02Abi, functionName: "getAmountsOut", args: [flockIn, [flock, mt]] });
    return { flockIn, mtOut: mtOut! };
  };
  const { flockIn: seedFlock, mtOut: seedPlain } = await pairReserves();
  await send(undefined, deployer, plain, localTokenAbi, "mint", [holder.account.address, 2n * BigInt(n) * TRANSFER + 1_000n * MT]);
  await send(undefined, deployer, plain, localTokenAbi, "mint", [deployer.account.address, seedPlain * 1_000n]);
  await send(undefined, deployer, flock, localTokenAbi, "mint", [deployer.account.address, seedFlock * 1_000n]);
  await send(undefined, deployer, plain, localTokenAbi, "approve", [router, maxUint256]);
  await send(undefined, deployer, flock, localTokenAbi, "approve", [router, maxUint256]);
  await send(undefined, deployer, router, uniswapV2Router02Abi, "addLiquidity", [
    flock, plain, seedFlock * 1_000n, seedPlain * 1_000n, 0n, 0n, deployer.account.address, await deadline(),
  ]);

  // ------------------------------------------------------------------ transfers, holder to holder
  progress("transferMt / transferPlain");
  const recipient = await freshAccount();
  for (const token of [mt, plain]) await send(undefined, holder, token, modelTokenAbi, "transfer", [recipient.account.address, TRANSFER]);
  for (let i = 0; i < n; i++) {
    await send("transferMt", holder, mt, modelTokenAbi, "transfer", [recipient.account.address, TRANSFER]);
    await send("transferPlain", holder, plain, localTokenAbi, "transfer", [recipient.account.address, TRANSFER]);
  }

  // ------------------------------------------------------------------ Router02 swaps FLOCK -> token
  progress("uniswapV2SwapMt / uniswapV2SwapPlain");
  const swappers: Wallet[] = [];
  for (let i = 0; i < n; i++) {
    const w = await freshAccount();
    await send(undefined, deployer, flock, localTokenAbi, "mint", [w.account.address, 10n * SWAP_IN]);
    await send(undefined, w, flock, localTokenAbi, "approve", [router, maxUint256]);
    swappers.push(w);
  }
  const swap = async (metric: Metric | undefined, who: Wallet, token: Address) => {
    const path = [flock, token] as const;
    const amounts = await publicClient.readContract({ address: router, abi: uniswapV2Router02Abi, functionName: "getAmountsOut", args: [SWAP_IN, path] });
    const minOut = (amounts[1]! * 99n) / 100n;
    return send(metric, who, router, uniswapV2Router02Abi, "swapExactTokensForTokens", [SWAP_IN, minOut, path, who.account.address, await deadline()]);
  };
  // Warm-up (not measured): every swapper then holds both tokens, so no balance is written from zero.
  for (const s of swappers) for (const token of [mt, plain]) await swap(undefined, s, token);
  for (const s of swappers) {
    await swap("uniswapV2SwapMt", s, mt);
    await swap("uniswapV2SwapPlain", s, plain);
  }
}
