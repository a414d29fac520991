// Shared test fixtures: a fresh in-process Hardhat chain with FOMO deployed by the same code as
// `./fomo up`, funded supporters, and small helpers for launches, buys and time travel.
import { network } from "hardhat";
import { getContract, maxUint256, parseEventLogs, type Address, type Hex } from "viem";
import {
  FLOCK,
  launchpadAbi,
  localTokenAbi,
  modelTokenAbi,
  templateRegistryAbi,
  uniswapV2FactoryAbi,
  uniswapV2PairAbi,
  incentivePoolAbi,
} from "@fomo/sdk";
import { deployLocal } from "../../deploy/index.ts";

export const DAY = 86_400n;

export async function setup() {
  const conn = await network.create();
  const { viem, networkHelpers } = conn;
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  const [deployer, issuer, alice, bob, carol, attacker] = wallets as [
    (typeof wallets)[0], (typeof wallets)[0], (typeof wallets)[0], (typeof wallets)[0], (typeof wallets)[0], (typeof wallets)[0],
  ];
  const treasury = wallets[7]!.account.address;
  const hostingReserve = wallets[8]!.account.address;
  const d = await deployLocal(publicClient, deployer, { treasury, hostingReserve });

  const at = <A extends readonly unknown[]>(abi: A, address: Address) =>
    getContract({ abi: abi as A, address, client: { public: publicClient, wallet: deployer } });
  const flock = at(localTokenAbi, d.contracts.flock);
  const launchpad = at(launchpadAbi, d.contracts.launchpad);
  const registry = at(templateRegistryAbi, d.contracts.templateRegistry);
  const factory = at(uniswapV2FactoryAbi, d.contracts.uniswapV2Factory);
  const incentivePool = at(incentivePoolAbi, d.contracts.incentivePool);

  /** Waits for a transaction and returns its receipt, failing the test if it reverted. */
  const mined = async (hash: Hex) => {
    const r = await publicClient.waitForTransactionReceipt({ hash });
    if (r.status !== "success") throw new Error(`tx reverted: ${hash}`);
    return r;
  };

  /** Mints FLOCK to every test wallet and approves the launchpad. */
  for (const w of [issuer, alice, bob, carol, attacker]) {
    await mined(await flock.write.mint([w.account.address, 100_000_000n * FLOCK]));
    await mined(await w.writeContract({ address: d.contracts.flock, abi: localTokenAbi, functionName: "approve", args: [d.contracts.launchpad, maxUint256] }));
  }

  const now = async () => (await publicClient.getBlock()).timestamp;

  /** Launches an offering of template 0 as `issuer`; returns the $MT address. */
  const launch = async (opts: { ticker?: string; firstBuy?: bigint; minMtOut?: bigint; templateId?: number; by?: typeof issuer } = {}) => {
    const by = opts.by ?? issuer;
    const hash = await by.writeContract({
      address: d.contracts.launchpad,
      abi: launchpadAbi,
      functionName: "launch",
      args: [{
        templateId: opts.templateId ?? 0,
        name: "Test Model",
        ticker: opts.ticker ?? "TEST",
        metadataURI: "ipfs://meta",
        firstBuy: opts.firstBuy ?? 0n,
        minMtOut: opts.minMtOut ?? 0n,
        deadline: (await now()) + 3600n,
      }],
    });
    const receipt = await mined(hash);
    const [ev] = parseEventLogs({ abi: launchpadAbi, logs: receipt.logs, eventName: "Launched" });
    return { mt: ev!.args.mt, receipt };
  };

  /** Buys on the curve as `who`. */
  const buy = async (who: typeof alice, mt: Address, flockIn: bigint, minMtOut = 0n) => {
    const hash = await who.writeContract({
      address: d.contracts.launchpad,
      abi: launchpadAbi,
      functionName: "buy",
      args: [mt, flockIn, minMtOut, (await now()) + 3600n],
    });
    return mined(hash);
  };

  const mtToken = (mt: Address) => at(modelTokenAbi, mt);
  const pairOf = (pair: Address) => at(uniswapV2PairAbi, pair);
  const balanceOf = (token: Address, who: Address) =>
    publicClient.readContract({ address: token, abi: localTokenAbi, functionName: "balanceOf", args: [who] });

  /** Moves chain time forward by `seconds` (and mines a block). */
  const wait = (seconds: bigint) => networkHelpers.time.increase(seconds);

  return {
    conn, viem, networkHelpers, publicClient, d, deployer, issuer, alice, bob, carol, attacker, treasury, hostingReserve,
    flock, launchpad, registry, factory, incentivePool, mined, launch, buy, mtToken, pairOf, balanceOf, wait, now,
  };
}

export type Fixture = Awaited<ReturnType<typeof setup>>;
