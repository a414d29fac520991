// Deploys FOMO with everything it needs on a fresh local chain: test FLOCK and USDC, WETH9 and
// Uniswap V2 (factory + router, as shipped on npm), the launch layer with the default template
// catalog, the economic engine, rewards, staking and credit deposits, and optionally hands every
// admin role to a TimelockController. The same function serves `./fomo up`, the tests and the
// benchmarks.
import {
  getAddress,
  maxUint256,
  zeroAddress,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import {
  buybackExecutorAbi,
  creditDepositsAbi,
  defaultBuybackLimits,
  defaultCatalog,
  defaultRevenueSplit,
  emissionScheduleAbi,
  EPOCH_SECONDS,
  FLOCK,
  gmFlockAbi,
  incentivePoolAbi,
  INITIAL_EMISSION,
  launchpadAbi,
  LAUNCH_FEE,
  LOCAL_REWARDS_CHALLENGE_DELAY,
  localTokenAbi,
  modelTokenFactoryAbi,
  mtStakingAbi,
  revenueRouterAbi,
  rewardsDistributorAbi,
  STAKING_COOLDOWN,
  templateRegistryAbi,
  timelockControllerAbi,
  twapOracleAbi,
  TWAP_WINDOW,
  TWAP_MAX_AGE,
  uniswapV2FactoryAbi,
  uniswapV2Router02Abi,
  usdToTokenUnits,
  type Deployments,
  type TemplateSpec,
} from "@fomo/sdk";
import { bytecodeOf, type ContractName } from "./artifacts.ts";

export type Wallet = WalletClient<Transport, Chain, Account>;

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

  const mined = async (what: string, hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${what} reverted (tx ${hash})`);
    return receipt;
  };
  const deploy = async (name: ContractName, abi: Abi, args: readonly unknown[] = []) => {
    const receipt = await mined(`deploy ${name}`, await wallet.deployContract({ abi, bytecode: bytecodeOf(name), args }));
    const address = getAddress(receipt.contractAddress!);
    log(`  ${name.padEnd(20)} ${address}`);
    return { address, block: receipt.blockNumber };
  };
  const write = async (address: Address, abi: Abi, functionName: string, args: readonly unknown[] = []) =>
    mined(`${functionName} on ${address}`, await wallet.writeContract({ address, abi, functionName, args }));
  const role = (address: Address, abi: Abi, name: string) =>
    publicClient.readContract({ address, abi, functionName: name }) as Promise<Hex>;

  log("deploying FOMO to chain " + (await publicClient.getChainId()));
  // Tokens and the DEX.
  const flock = await deploy("LocalToken", localTokenAbi, ["Flock (local)", "FLOCK", 18]);
  const usdc = await deploy("LocalToken", localTokenAbi, ["USD Coin (local)", "USDC", opts.usdcDecimals ?? 6]);
  // As a deployment on a real stablecoin would: the unit comes from the token, not from an assumption.
  const usdcDecimals = await publicClient.readContract({ address: usdc.address, abi: localTokenAbi, functionName: "decimals" });
  const weth = await deploy("WETH9", []);
  const factory = await deploy("UniswapV2Factory", uniswapV2FactoryAbi, [me]);
  const router = await deploy("UniswapV2Router02", uniswapV2Router02Abi, [factory.address, weth.address]);

  // Launch layer.
  const registry = await deploy("TemplateRegistry", templateRegistryAbi, [me]);
  const tokenFactory = await deploy("ModelTokenFactory", modelTokenFactoryAbi);
  const vestingImpl = await deploy("OperatorVesting", []);
  const incentivePool = await deploy("IncentivePool", incentivePoolAbi, [flock.address, me]);
  // Before the Launchpad: graduation records each new pool's first TWAP observation.
  const oracle = await deploy("TwapOracle", twapOracleAbi, [TWAP_WINDOW, TWAP_MAX_AGE]);
  const launchpad = await deploy("Launchpad", launchpadAbi, [
    flock.address, registry.address, factory.address, incentivePool.address, oracle.address, tokenFactory.address,
    vestingImpl.address, treasury, hostingReserve, opts.launchFee ?? LAUNCH_FEE, me,
  ]);

  // Token layer and economic engine.
  const staking = await deploy("MtStaking", mtStakingAbi, [launchpad.address, STAKING_COOLDOWN]);
  const executor = await deploy("BuybackExecutor", buybackExecutorAbi, [
    usdc.address, flock.address, factory.address, router.address, oracle.address, defaultBuybackLimits(usdcDecimals), me,
  ]);
  const revenueRouter = await deploy("RevenueRouter", revenueRouterAbi, [
    usdc.address, launchpad.address, executor.address, treasury, hostingReserve, defaultRevenueSplit, me,
  ]);
  const deposits = await deploy("CreditDeposits", creditDepositsAbi, [usdc.address, treasury, me]);
  const start = (await publicClient.getBlock()).timestamp;
  const schedule = await deploy("EmissionSchedule", emissionScheduleAbi, [INITIAL_EMISSION, start, opts.epochSeconds ?? EPOCH_SECONDS]);
  const distributor = await deploy("RewardsDistributor", rewardsDistributorAbi, [
    flock.address, schedule.address, me, opts.rewardsChallengeDelay ?? LOCAL_REWARDS_CHALLENGE_DELAY, me,
  ]);
  const gmFlock = await deploy("GmFlock", gmFlockAbi, [flock.address]);

  // Wiring: who may call what.
  const grant = async (address: Address, abi: Abi, roleName: string, to: Address) =>
    write(address, abi, "grantRole", [await role(address, abi, roleName), to]);
  await grant(incentivePool.address, incentivePoolAbi, "FUNDER_ROLE", launchpad.address);
  await grant(executor.address, buybackExecutorAbi, "FUNDER_ROLE", revenueRouter.address);
  await grant(revenueRouter.address, revenueRouterAbi, "KEEPER_ROLE", operator);
  await grant(distributor.address, rewardsDistributorAbi, "KEEPER_ROLE", operator);
  await grant(deposits.address, creditDepositsAbi, "TREASURY_ROLE", treasury);
  await grant(launchpad.address, launchpadAbi, "PAUSER_ROLE", operator);
  await grant(registry.address, templateRegistryAbi, "CATALOG_ROLE", me);
  await write(incentivePool.address, incentivePoolAbi, "setDistributor", [distributor.address]);

  for (const t of opts.catalog ?? defaultCatalog) {
    await write(registry.address, templateRegistryAbi, "addTemplate", [t.baseModelId, t.hostingTier, t.sale, t.allocation, t.pricing]);
    log(`  template ${t.baseModelId} (${t.hostingTier})`);
  }

  // The emission reserve is the deployer here: it holds FLOCK and lets the distributor pull it.
  await write(flock.address, localTokenAbi, "mint", [me, opts.emissionFunding ?? 20_000_000n * FLOCK]);
  await write(flock.address, localTokenAbi, "approve", [distributor.address, maxUint256]);

  // The keeper pays the reported revenue from its own USDC (the settlement wallet).
  const settlement = usdToTokenUnits(opts.settlementFunding ?? LOCAL_SETTLEMENT_FUNDING, usdcDecimals);
  if (settlement > 0n) await write(usdc.address, localTokenAbi, "mint", [operator, settlement]);

  // A USDC/FLOCK pool for the FLOCK buyback, with its TWAP observation started.
  const pool = opts.flockUsdcPool ?? defaultPool(usdcDecimals);
  if (pool.flock > 0n && pool.usdc > 0n) {
    await write(flock.address, localTokenAbi, "mint", [me, pool.flock]);
    await write(usdc.address, localTokenAbi, "mint", [me, pool.usdc]);
    await write(flock.address, localTokenAbi, "approve", [router.address, pool.flock]);
    await write(usdc.address, localTokenAbi, "approve", [router.address, pool.usdc]);
    const deadline = (await publicClient.getBlock()).timestamp + 600n;
    await write(router.address, uniswapV2Router02Abi, "addLiquidity", [
      flock.address, usdc.address, pool.flock, pool.usdc, pool.flock, pool.usdc, me, deadline,
    ]);
    const pair = (await publicClient.readContract({
      address: factory.address, abi: uniswapV2FactoryAbi, functionName: "getPair", args: [flock.address, usdc.address],
    })) as Address;
    await write(oracle.address, twapOracleAbi, "update", [pair]);
    log(`  USDC/FLOCK pool     ${pair}`);
  }

  let admin = me;
  let timelock: Address | undefined;
  if (opts.timelockDelay !== undefined) {
    timelock = (await deploy("TimelockController", timelockControllerAbi, [BigInt(opts.timelockDelay), [operator], [operator], zeroAddress])).address;
    await grant(distributor.address, rewardsDistributorAbi, "GUARDIAN_ROLE", timelock); // vetoes reward roots
    await handOver(timelock, registry.address, launchpad.address, incentivePool.address, executor.address, revenueRouter.address, deposits.address, distributor.address);
    admin = timelock;
  } else await grant(distributor.address, rewardsDistributorAbi, "GUARDIAN_ROLE", me);

  async function handOver(to: Address, registryAddress: Address, ...others: Address[]) {
    // Governance moves to the timelock; the deployer keeps nothing.
    const catalogRole = await role(registryAddress, templateRegistryAbi, "CATALOG_ROLE");
    await write(registryAddress, templateRegistryAbi, "grantRole", [catalogRole, to]);
    await write(registryAddress, templateRegistryAbi, "renounceRole", [catalogRole, me]);
    const adminRole = await role(registryAddress, templateRegistryAbi, "DEFAULT_ADMIN_ROLE");
    for (const address of [registryAddress, ...others]) {
      await write(address, templateRegistryAbi, "grantRole", [adminRole, to]);
      await write(address, templateRegistryAbi, "renounceRole", [adminRole, me]);
    }
  }

  return {
    chainId: await publicClient.getChainId(),
    startBlock: flock.block.toString(),
    usdcDecimals,
    contracts: {
      flock: flock.address,
      usdc: usdc.address,
      weth: weth.address,
      uniswapV2Factory: factory.address,
      uniswapV2Router: router.address,
      templateRegistry: registry.address,
      launchpad: launchpad.address,
      incentivePool: incentivePool.address,
      modelTokenFactory: tokenFactory.address,
      operatorVestingImplementation: vestingImpl.address,
      mtStaking: staking.address,
      twapOracle: oracle.address,
      buybackExecutor: executor.address,
      revenueRouter: revenueRouter.address,
      creditDeposits: deposits.address,
      emissionSchedule: schedule.address,
      rewardsDistributor: distributor.address,
      gmFlock: gmFlock.address,
      ...(timelock ? { timelock } : {}),
    },
    roles: { admin, treasury, hostingReserve, keeper: operator, emissionReserve: me },
  };
}
