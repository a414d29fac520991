// A real local chain for end-to-end tests of any package: `hardhat node` as a child process with FOMO
// deployed (the `./fomo up` code: startLocalChain), and a graduated offering whose $MT a gateway can serve.
import { startLocalChain } from "@fomo/deploy";
import { FLOCK, buy, launch, localTokenAbi, uniswapV2FactoryAbi, updateTwap, type Clients, type Deployments } from "@fomo/sdk";
import { maxUint256, type Address } from "viem";

export interface TestChain {
  url: string;
  d: Deployments;
  /** The deployer: admin, operator and keeper of the deployment. */
  keeper: Clients;
  close(): Promise<void>;
}

export interface TestChainOptions {
  /** Seconds per epoch (deployLocal's epochSeconds); a day by default. */
  epochSeconds?: number;
}

/** Starts `hardhat node` on a free port and deploys FOMO on it, with one funded dev account: the keeper. */
export async function startChain(opts: TestChainOptions = {}): Promise<TestChain> {
  const deploy = opts.epochSeconds === undefined ? {} : { deploy: { epochSeconds: opts.epochSeconds } };
  const chain = await startLocalChain({ port: 0, accounts: 1, ...deploy });
  return {
    url: chain.url,
    d: chain.deployments,
    keeper: { public: chain.publicClient, wallet: chain.wallets[0]! },
    close: chain.stop,
  };
}

/**
 * Launches an offering of template 0 and buys it past raiseMax, which graduates it; returns its $MT.
 * By default the chain's clock first moves 2 h past the anti-snipe window, so the buy pays the base
 * fee; `{ payTheSurcharge: true }` buys at once instead (paying the surcharge), so chain time stays
 * near the wall clock, as a test whose keeper or gateway dates things by the wall clock needs.
 */
export async function graduatedMt(chain: TestChain, ticker: string, { payTheSurcharge = false } = {}): Promise<Address> {
  const clients = chain.keeper;
  const flock = chain.d.contracts.flock;
  const me = clients.wallet.account.address;
  const send = async (functionName: "mint" | "approve", args: readonly [Address, bigint]) => {
    const hash = await clients.wallet.writeContract({ address: flock, abi: localTokenAbi, functionName, args });
    await clients.public.waitForTransactionReceipt({ hash });
  };
  // A surcharge of up to 98% at launch: 100M FLOCK still fills the 1M raise.
  const flockIn = (payTheSurcharge ? 100_000_000n : 1_100_000n) * FLOCK;
  await send("mint", [me, flockIn + 900_000n * FLOCK]);
  await send("approve", [chain.d.contracts.launchpad, maxUint256]);
  const { mt } = await launch(clients, chain.d, { templateId: 0, name: "Receipts Model", ticker });
  if (!payTheSurcharge) await clients.public.request({ method: "evm_increaseTime" as never, params: [2 * 3_600] as never });
  const bought = await buy(clients, chain.d, { mt, flockIn, ...(payTheSurcharge ? { maxFeeBps: 10_000 } : {}) });
  if (!bought.graduated) throw new Error("the offering did not graduate");
  return mt;
}

/**
 * Records a TWAP observation of the pools an $MT buyback prices against (USDC/FLOCK and FLOCK/`mt`), as
 * anyone may: a window later the keeper finds them usable and buys back at once, instead of observing them
 * itself and waiting that window (packages/engine/src/keeper/oracle.ts).
 */
export async function observePools(clients: Clients, d: Deployments, mt: Address): Promise<void> {
  const { usdc, flock, uniswapV2Factory } = d.contracts;
  for (const [a, b] of [[usdc, flock], [flock, mt]] as const) {
    const pair = await clients.public.readContract({ address: uniswapV2Factory, abi: uniswapV2FactoryAbi, functionName: "getPair", args: [a, b] });
    await updateTwap(clients, d, { pair });
  }
}
