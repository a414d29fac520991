// Builds the chain the keeper bench settles on: N offerings of the default template launched and
// bought past raiseMax (so each graduates onto its own Uniswap V2 pool in the buy), and every pool a
// buyback trades through observed by the TWAP oracle a window ago. Transactions go out as JSON-RPC
// batches with automine off and are mined many to a block: one sender's nonces queue in the node's
// mempool, so no receipt is awaited until the last of a batch.
import type { LocalChain } from "@fomo/deploy";
import { rpc } from "../rpc.ts";
import { FLOCK, launchpadAbi, localTokenAbi, twapOracleAbi, uniswapV2FactoryAbi, type Deployments } from "@fomo/sdk";
import { encodeFunctionData, maxUint256, type Address, type Hash, type Hex } from "viem";

/** What the default template's raise takes: raiseMax is 1,000,000 FLOCK; a buy offering more fills it exactly and graduates. */
const GRADUATING_BUY = 1_100_000n * FLOCK;
/** Gas limits given with each call, so the node does not estimate them against a pending block. */
const GAS = { launch: 2_000_000n, graduatingBuy: 6_000_000n, twapUpdate: 200_000n } as const;
/** Seconds past the anti-snipe window, so the raise's fee is the base fee. */
const PAST_ANTI_SNIPE = 2 * 3_600;
const RPC_BATCH = 200;

interface Call {
  to: Address;
  data: Hex;
  gas: bigint;
}

export interface BuiltChain {
  mts: Address[];
  /** USDC/FLOCK and each $MT's FLOCK pair. */
  pairs: Address[];
  blocks: number;
  transactions: number;
  seconds: number;
}

export const setAutomine = (chain: LocalChain, on: boolean) => rpc(chain, [{ method: "evm_setAutomine", params: [on] }]);

/**
 * Sends `calls` from `from` (a node-managed dev account) in batches with automine off, mining blocks
 * after each batch until its last is mined (blocks fill up to the node's gas limit): the node's
 * mempool stays small, and admitting a transaction into a large one is what slows Hardhat down.
 * Returns the hashes and the blocks mined. Throws if any reverted.
 */
export async function sendMined(chain: LocalChain, from: Address, calls: Call[]): Promise<{ hashes: Hash[]; blocks: number }> {
  const hashes: Hash[] = [];
  let blocks = 0;
  for (let i = 0; i < calls.length; i += RPC_BATCH) {
    const batch = calls.slice(i, i + RPC_BATCH).map((c) => ({
      method: "eth_sendTransaction",
      params: [{ from, to: c.to, data: c.data, gas: `0x${c.gas.toString(16)}` }],
    }));
    const sent = (await rpc(chain, batch)) as Hash[];
    hashes.push(...sent);
    for (;;) {
      await rpc(chain, [{ method: "evm_mine", params: [] }]);
      blocks++;
      const [receipt] = await rpc(chain, [{ method: "eth_getTransactionReceipt", params: [sent.at(-1)] }]);
      if (receipt) break;
    }
  }
  for (let i = 0; i < hashes.length; i += RPC_BATCH) {
    const receipts = (await rpc(
      chain,
      hashes.slice(i, i + RPC_BATCH).map((h) => ({ method: "eth_getTransactionReceipt", params: [h] })),
    )) as { status: Hex }[];
    const failed = receipts.findIndex((r) => r.status !== "0x1");
    if (failed >= 0) throw new Error(`transaction ${hashes[i + failed]} reverted`);
  }
  return { hashes, blocks };
}

/** Launches `count` offerings from `wallet`, graduates each in one buy, and makes their pools' TWAPs ready. */
export async function buildGraduatedMts(chain: LocalChain, count: number): Promise<BuiltChain> {
  const d: Deployments = chain.deployments;
  const c = d.contracts;
  const wallet = chain.wallets[0]!;
  const me = wallet.account.address;
  const t0 = performance.now();
  const fromBlock = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
  const launchFee = await chain.publicClient.readContract({ address: c.launchpad, abi: launchpadAbi, functionName: "launchFee" });

  await setAutomine(chain, false);
  let blocks = 0;
  let transactions = 0;
  const mine = async (calls: Call[]) => {
    const sent = await sendMined(chain, me, calls);
    blocks += sent.blocks;
    transactions += calls.length;
    return sent;
  };
  const needed = (GRADUATING_BUY + launchFee) * BigInt(count);
  await mine([
    { to: c.flock, data: encodeFunctionData({ abi: localTokenAbi, functionName: "mint", args: [me, needed] }), gas: 100_000n },
    { to: c.flock, data: encodeFunctionData({ abi: localTokenAbi, functionName: "approve", args: [c.launchpad, maxUint256] }), gas: 100_000n },
  ]);
  await mine(
    Array.from({ length: count }, (_, i) => ({
      to: c.launchpad,
      data: encodeFunctionData({
        abi: launchpadAbi,
        functionName: "launch",
        args: [{ templateId: 0, name: `Chain Bench ${i}`, ticker: `CB${i}`, metadataURI: "", firstBuy: 0n, minMtOut: 0n, deadline: maxUint256 }],
      }),
      gas: GAS.launch,
    })),
  );
  const launched = await chain.publicClient.getContractEvents({ address: c.launchpad, abi: launchpadAbi, eventName: "Launched", fromBlock: fromBlock + 1n });
  const mts = launched.map((e) => e.args.mt!);
  if (mts.length !== count) throw new Error(`${mts.length} offerings launched, ${count} sent`);

  await rpc(chain, [{ method: "evm_increaseTime", params: [PAST_ANTI_SNIPE] }]);
  await mine(
    mts.map((mt) => ({
      to: c.launchpad,
      data: encodeFunctionData({ abi: launchpadAbi, functionName: "buy", args: [mt, GRADUATING_BUY, 0n, maxUint256] }),
      gas: GAS.graduatingBuy,
    })),
  );
  const graduated = await chain.publicClient.getContractEvents({ address: c.launchpad, abi: launchpadAbi, eventName: "Graduated", fromBlock: fromBlock + 1n });
  if (graduated.length !== count) throw new Error(`${graduated.length} offerings graduated, ${count} bought past raiseMax`);
  const usdcPair = await usdcFlockPair(chain);
  const pairs = [usdcPair, ...graduated.map((e) => e.args.pair!)];

  // A buyback consults a TWAP from an observation at least a window old: observe every pool now and
  // let a window pass (the USDC/FLOCK pool's deploy-time observation rotates here too).
  const update = (pair: Address) => ({ to: c.twapOracle, data: encodeFunctionData({ abi: twapOracleAbi, functionName: "update", args: [pair] }), gas: GAS.twapUpdate });
  await mine(pairs.map(update));
  await rpc(chain, [{ method: "evm_increaseTime", params: [3_601] }]);
  await rpc(chain, [{ method: "evm_mine", params: [] }]);
  blocks++;
  await setAutomine(chain, true);
  return { mts, pairs, blocks, transactions, seconds: (performance.now() - t0) / 1000 };
}

async function usdcFlockPair(chain: LocalChain): Promise<Address> {
  const c = chain.deployments.contracts;
  return chain.publicClient.readContract({ address: c.uniswapV2Factory, abi: uniswapV2FactoryAbi, functionName: "getPair", args: [c.usdc, c.flock] });
}
