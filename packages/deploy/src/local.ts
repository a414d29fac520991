// Deploys FOMO with everything it needs on a fresh local chain: test FLOCK and USDC, WETH9 and
// Uniswap V2 (factory + router, as shipped on npm), the launch layer with the default template
// catalog, the economic engine, rewards, staking and credit deposits, and optionally hands every
// admin role to a TimelockController. The same function serves `./fomo up`, the tests and the
// benchmarks; its transactions are the deployment plan of plan.ts, which `./fomo deploy` also runs.
import type { Address, PublicClient } from "viem";
import {
  defaultCatalog,
  FLOCK,
  LOCAL_REWARDS_CHALLENGE_DELAY,
  localTokenAbi,
  uniswapV2FactoryAbi,
  usdToTokenUnits,
  type Deployments,
  type TemplateSpec,
} from "@fomo/sdk";
import { executePlan, type Executed, type Wallet } from "./execute.ts";
import { fomoPlan } from "./plan.ts";

export type { Wallet } from "./execute.ts";

export interface LocalDeployOptions {
  /** Operator of the catalog, pauser and keeper; defaults to the wallet's account. */
  operator?: Address;
  treasury?: Address;
  hostingReserve?: Address;
  launchFee?: bigint;
  catalog?: TemplateSpec[];
  /** FLOCK minted to the emission reserve (the deployer) for rewards. */
  emissionFunding?: bigint;
  /** Liquidity of the USDC/FLOCK pool the FLOCK buyback trades on, usdc in token units (0 = no pool). */
  flockUsdcPool?: { flock: bigint; usdc: bigint };
  /** Decimals of the local USDC: 6 (default, as on Base) or 18 (as on BSC); limits and pool scale with it. */
  usdcDecimals?: number;
  /**
   * Hand every admin role (and the catalog role) to a TimelockController with this delay in
   * seconds, proposed and executed by the operator. Leave undefined to keep the deployer as admin
   * (what unit tests want).
   */
  timelockDelay?: number;
  /** Seconds a reward root waits before claims use it (guardian veto window); local default 60. */
  rewardsChallengeDelay?: number;
  /**
   * Seconds per epoch: the EmissionSchedule's dayLength, so at once the revenue report epoch, the
   * rewards root epoch and the emission day. Default EPOCH_SECONDS (a day, as in production); as
   * short as MIN_EPOCH_SECONDS (60) for a demo that sees several epochs in minutes.
   */
  epochSeconds?: number;
  /**
   * USDC in whole USD minted to the keeper (the operator): it is the settlement wallet that pays each
   * epoch's reported revenue to the RevenueRouter, so a local epoch can report. Default 100,000.
   */
  settlementFunding?: bigint;
  /** Progress lines, e.g. console.error. */
  log?: (line: string) => void;
}

/** The keeper's USDC on a local chain by default, whole USD: many epochs of local usage. */
export const LOCAL_SETTLEMENT_FUNDING = 100_000n;

/** The default USDC/FLOCK pool: 2M FLOCK against 100,000 USD, 0.05 USD per FLOCK. */
const defaultPool = (usdcDecimals: number) => ({ flock: 2_000_000n * FLOCK, usdc: usdToTokenUnits(100_000n, usdcDecimals) });

export async function deployLocal(
  publicClient: PublicClient,
  wallet: Wallet,
  opts: LocalDeployOptions = {},
): Promise<Deployments> {
  const log = opts.log ?? (() => {});
  const me = wallet.account.address;
  const operator = opts.operator ?? me;
  const treasury = opts.treasury ?? me;
  const hostingReserve = opts.hostingReserve ?? treasury;
  const usdcDecimals = opts.usdcDecimals ?? 6;

  log("deploying FOMO to chain " + (await publicClient.getChainId()));
  const steps = fomoPlan({
    parties: {
      deployer: me, treasury, hostingReserve, keeper: operator, pauser: operator, emissionReserve: me, proposer: operator,
      guardian: opts.timelockDelay !== undefined ? "timelock" : me,
    },
    localTokens: { usdcDecimals },
    ...(opts.launchFee !== undefined ? { launchFee: opts.launchFee } : {}),
    catalog: opts.catalog ?? defaultCatalog,
    rewardsChallengeDelay: opts.rewardsChallengeDelay ?? LOCAL_REWARDS_CHALLENGE_DELAY,
    ...(opts.epochSeconds !== undefined ? { epochSeconds: opts.epochSeconds } : {}),
    emissionFunding: opts.emissionFunding ?? 20_000_000n * FLOCK,
    settlement: usdToTokenUnits(opts.settlementFunding ?? LOCAL_SETTLEMENT_FUNDING, usdcDecimals),
    pool: opts.flockUsdcPool ?? defaultPool(usdcDecimals),
    ...(opts.timelockDelay !== undefined ? { timelockDelay: opts.timelockDelay } : {}),
  });
  const done = await executePlan(steps, { publicClient, wallet, log });
  if (steps.some((s) => s.id === "oracle:flockUsdc")) {
    const pair = await publicClient.readContract({
      address: done.contracts.uniswapV2Factory!, abi: uniswapV2FactoryAbi, functionName: "getPair", args: [done.contracts.flock!, done.contracts.usdc!],
    });
    log(`  USDC/FLOCK pool     ${pair}`);
  }
  return deploymentsOf(done.contracts, {
    chainId: await publicClient.getChainId(),
    startBlock: done.blocks.flock!,
    // As a deployment on a real stablecoin would: the unit comes from the token, not from an assumption.
    usdcDecimals: await publicClient.readContract({ address: done.contracts.usdc!, abi: localTokenAbi, functionName: "decimals" }),
    roles: {
      admin: done.contracts.timelock ?? me, treasury, hostingReserve, keeper: operator, emissionReserve: me,
    },
  });
}

/** The Deployments document of an executed plan (deployLocal's and `./fomo deploy`'s): its contracts in Deployments' order. */
export function deploymentsOf(
  c: Executed["contracts"],
  d: { chainId: number; startBlock: bigint; usdcDecimals: number; roles: Deployments["roles"] },
): Deployments {
  const at = (id: keyof Deployments["contracts"]): Address => {
    const address = c[id];
    if (!address) throw new Error(`the deployment has no ${id}`);
    return address;
  };
  return {
    chainId: d.chainId,
    startBlock: d.startBlock.toString(),
    usdcDecimals: d.usdcDecimals,
    contracts: {
      flock: at("flock"),
      usdc: at("usdc"),
      weth: at("weth"),
      uniswapV2Factory: at("uniswapV2Factory"),
      uniswapV2Router: at("uniswapV2Router"),
      templateRegistry: at("templateRegistry"),
      launchpad: at("launchpad"),
      incentivePool: at("incentivePool"),
      modelTokenFactory: at("modelTokenFactory"),
      operatorVestingImplementation: at("operatorVestingImplementation"),
      mtStaking: at("mtStaking"),
      twapOracle: at("twapOracle"),
      buybackExecutor: at("buybackExecutor"),
      revenueRouter: at("revenueRouter"),
      creditDeposits: at("creditDeposits"),
      emissionSchedule: at("emissionSchedule"),
      rewardsDistributor: at("rewardsDistributor"),
      gmFlock: at("gmFlock"),
      ...(c.timelock ? { timelock: c.timelock } : {}),
    },
    roles: d.roles,
  };
}
