// The keeper tests' chain: a Hardhat node with FOMO deployed on ten-minute epochs (a local stack's
// short clock, `fomo up --epoch-seconds 600`), the EmissionSchedule's clock, and a Uniswap pair lookup.
import { getEpochClock, uniswapV2FactoryAbi, type EpochClock } from "@fomo/sdk";
import { startChain, type TestChain } from "@fomo/testkit/chain";
import type { Address } from "viem";

export interface KeeperChain {
  chain: TestChain;
  clock: EpochClock;
  /** The Uniswap V2 pair of two tokens (the zero address when there is none). */
  pairOf(a: Address, b: Address): Promise<Address>;
}

/** Starts the chain and runs `setUp` on it (the chain is closed if it throws); returns both. */
export async function keeperChain<T>(setUp: (k: KeeperChain) => Promise<T>): Promise<KeeperChain & T> {
  const chain = await startChain({ epochSeconds: 600 });
  try {
    const d = chain.d;
    const pairOf = (a: Address, b: Address) =>
      chain.keeper.public.readContract({ address: d.contracts.uniswapV2Factory, abi: uniswapV2FactoryAbi, functionName: "getPair", args: [a, b] });
    const k: KeeperChain = { chain, clock: await getEpochClock(chain.keeper.public, d), pairOf };
    return { ...k, ...(await setUp(k)) };
  } catch (error) {
    await chain.close();
    throw error;
  }
}
