// The one deployment plan of FOMO: every transaction, in order, that deploys and wires the protocol.
// deployLocal runs it on a fresh chain (with test tokens and Uniswap V2 first) and `./fomo deploy` on a
// real network against existing tokens and a Uniswap-V2-compatible router; both build it here, so a
// contract or role added to the protocol reaches both at once. A plan is data: it can be printed
// (with the addresses the deployer's nonces predict), rehearsed on a fork and resumed step by step.
import {
  keccak256,
  maxUint256,
  toHex,
  zeroAddress,
  zeroHash,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import {
  buybackExecutorAbi,
  creditDepositsAbi,
  defaultBuybackLimits,
  defaultRevenueSplit,
  emissionScheduleAbi,
  EPOCH_SECONDS,
  gmFlockAbi,
  incentivePoolAbi,
  INITIAL_EMISSION,
  launchpadAbi,
  LAUNCH_FEE,
  localTokenAbi,
  modelTokenFactoryAbi,
  mtStakingAbi,
  revenueRouterAbi,
  rewardsDistributorAbi,
  STAKING_COOLDOWN,
  templateRegistryAbi,
  timelockControllerAbi,
  twapOracleAbi,
  TWAP_MAX_AGE,
  TWAP_WINDOW,
  uniswapV2FactoryAbi,
  uniswapV2Router02Abi,
  type Deployments,
  type TemplateSpec,
} from "@fomo/sdk";
import type { ContractName } from "./artifacts.ts";

/** What a step's arguments may ask of the chain while the plan runs. */
export interface StepContext {
  /** The address of a contract of the plan (deployed by an earlier step, or given). */
  at(id: ContractId): Address;
  publicClient: PublicClient;
}

type Args = (ctx: StepContext) => readonly unknown[] | Promise<readonly unknown[]>;

/** Where a contract of the plan lives in Deployments.contracts. */
export type ContractId = keyof Deployments["contracts"];

/** One transaction of the plan. `id` is unique and stable: the journal of a resumable deploy is keyed by it. */
export type Step =
  | { kind: "deploy"; id: string; contract: ContractName; abi: Abi; into: ContractId; args: Args }
  | { kind: "call"; id: string; target: ContractId; abi: Abi; functionName: string; args: Args; what: string };

/** The role hash of an OpenZeppelin AccessControl role name, as the contracts define it. */
export const roleHash = (name: string): Hex => (name === "DEFAULT_ADMIN_ROLE" ? zeroHash : keccak256(toHex(name)));

/** The contracts that hold roles (OpenZeppelin AccessControl), the timelock last. */
export const GOVERNED: readonly ContractId[] = [
  "templateRegistry", "launchpad", "incentivePool", "buybackExecutor", "revenueRouter", "creditDeposits", "rewardsDistributor",
];

/** The ABI of each contract of Deployments, for the role audit and printing. */
export const ABI_OF: Partial<Record<ContractId, Abi>> = {
  templateRegistry: templateRegistryAbi,
  launchpad: launchpadAbi,
  incentivePool: incentivePoolAbi,
  buybackExecutor: buybackExecutorAbi,
  revenueRouter: revenueRouterAbi,
  creditDeposits: creditDepositsAbi,
  rewardsDistributor: rewardsDistributorAbi,
  timelock: timelockControllerAbi,
};

export interface PlanParties {
  /** Signs every step; holds admin roles until governance takes them. */
  deployer: Address;
  treasury: Address;
  hostingReserve: Address;
  /** Posts revenue reports and reward roots (KEEPER_ROLE on the RevenueRouter and the RewardsDistributor). */
  keeper: Address;
  /** Pauses launches and buys (Launchpad PAUSER_ROLE). */
  pauser: Address;
  /** Vetoes reward roots (RewardsDistributor GUARDIAN_ROLE); "timelock" for governance itself. */
  guardian: Address | "timelock";
  /** Holds the FLOCK for emissions; the RewardsDistributor pulls it. */
  emissionReserve: Address;
  /** Proposes and executes through the timelock. */
  proposer: Address;
}

export interface PlanOptions {
  parties: PlanParties;
  /** Local chain: deploy test FLOCK and USDC of these decimals, WETH9 and Uniswap V2 first. Absent: they are given. */
  localTokens?: { usdcDecimals: number };
  launchFee?: bigint;
  catalog: readonly TemplateSpec[];
  rewardsChallengeDelay: number;
  epochSeconds?: number;
  /** Local only: FLOCK minted to the emission reserve (the deployer), which approves the distributor. */
  emissionFunding?: bigint;
  /** Local only: stablecoin units minted to the keeper, the settlement wallet. */
  settlement?: bigint;
  /** Local only: liquidity of the USDC/FLOCK pool (minted, added, its TWAP observation started). */
  pool?: { flock: bigint; usdc: bigint };
  /** An existing USDC/FLOCK pair whose TWAP observation the plan starts (the network's pool). */
  existingPair?: Address;
  /** Seconds of the TimelockController that takes every admin role; absent: the deployer stays admin. */
  timelockDelay?: number;
}

/** The stablecoin's decimals, read from the token as a deployment on a real stablecoin must. */
const usdcDecimalsOf = (c: StepContext) =>
  c.publicClient.readContract({ address: c.at("usdc"), abi: localTokenAbi, functionName: "decimals" });

const chainTime = async (c: StepContext) => (await c.publicClient.getBlock()).timestamp;

export function fomoPlan(o: PlanOptions): Step[] {
  const p = o.parties;
  const me = p.deployer;
  const steps: Step[] = [];
  const deploy = (into: ContractId, contract: ContractName, abi: Abi, args: Args = () => []) =>
    steps.push({ kind: "deploy", id: into, contract, abi, into, args });
  const call = (id: string, target: ContractId, abi: Abi, functionName: string, args: Args, what: string) =>
    steps.push({ kind: "call", id, target, abi, functionName, args, what });
  const grant = (target: ContractId, abi: Abi, role: string, to: ContractId | Address, toName: string) =>
    call(`grant:${target}:${role}:${toName}`, target, abi, "grantRole",
      (c) => [roleHash(role), to.startsWith("0x") ? to : c.at(to as ContractId)], `grant ${role} to ${toName}`);
  const renounce = (target: ContractId, abi: Abi, role: string) =>
    call(`renounce:${target}:${role}`, target, abi, "renounceRole", () => [roleHash(role), me], `deployer renounces ${role}`);

  if (o.localTokens) {
    deploy("flock", "LocalToken", localTokenAbi, () => ["Flock (local)", "FLOCK", 18]);
    deploy("usdc", "LocalToken", localTokenAbi, () => ["USD Coin (local)", "USDC", o.localTokens!.usdcDecimals]);
    deploy("weth", "WETH9", []);
    deploy("uniswapV2Factory", "UniswapV2Factory", uniswapV2FactoryAbi, () => [me]);
    deploy("uniswapV2Router", "UniswapV2Router02", uniswapV2Router02Abi, (c) => [c.at("uniswapV2Factory"), c.at("weth")]);
  }

  // Launch layer.
  deploy("templateRegistry", "TemplateRegistry", templateRegistryAbi, () => [me]);
  deploy("modelTokenFactory", "ModelTokenFactory", modelTokenFactoryAbi);
  deploy("operatorVestingImplementation", "OperatorVesting", []);
  deploy("incentivePool", "IncentivePool", incentivePoolAbi, (c) => [c.at("flock"), me]);
  // Before the Launchpad: graduation records each new pool's first TWAP observation.
  deploy("twapOracle", "TwapOracle", twapOracleAbi, () => [TWAP_WINDOW, TWAP_MAX_AGE]);
  deploy("launchpad", "Launchpad", launchpadAbi, (c) => [
    c.at("flock"), c.at("templateRegistry"), c.at("uniswapV2Factory"), c.at("incentivePool"), c.at("twapOracle"),
    c.at("modelTokenFactory"), c.at("operatorVestingImplementation"), p.treasury, p.hostingReserve, o.launchFee ?? LAUNCH_FEE, me,
  ]);

  // Token layer and economic engine.
  deploy("mtStaking", "MtStaking", mtStakingAbi, (c) => [c.at("launchpad"), STAKING_COOLDOWN]);
  deploy("buybackExecutor", "BuybackExecutor", buybackExecutorAbi, async (c) => [
    c.at("usdc"), c.at("flock"), c.at("uniswapV2Factory"), c.at("uniswapV2Router"), c.at("twapOracle"),
    defaultBuybackLimits(await usdcDecimalsOf(c)), me,
  ]);
  deploy("revenueRouter", "RevenueRouter", revenueRouterAbi, (c) => [
    c.at("usdc"), c.at("launchpad"), c.at("buybackExecutor"), p.treasury, p.hostingReserve, defaultRevenueSplit, me,
  ]);
  deploy("creditDeposits", "CreditDeposits", creditDepositsAbi, (c) => [c.at("usdc"), p.treasury, me]);
  // Emission day 0 starts at the chain's time when the schedule is deployed.
  deploy("emissionSchedule", "EmissionSchedule", emissionScheduleAbi, async (c) => [INITIAL_EMISSION, await chainTime(c), o.epochSeconds ?? EPOCH_SECONDS]);
  deploy("rewardsDistributor", "RewardsDistributor", rewardsDistributorAbi, (c) => [
    c.at("flock"), c.at("emissionSchedule"), p.emissionReserve, o.rewardsChallengeDelay, me,
  ]);
  deploy("gmFlock", "GmFlock", gmFlockAbi, (c) => [c.at("flock")]);

  // Wiring: who may call what.
  grant("incentivePool", incentivePoolAbi, "FUNDER_ROLE", "launchpad", "launchpad");
  grant("buybackExecutor", buybackExecutorAbi, "FUNDER_ROLE", "revenueRouter", "revenueRouter");
  grant("revenueRouter", revenueRouterAbi, "KEEPER_ROLE", p.keeper, "keeper");
  grant("rewardsDistributor", rewardsDistributorAbi, "KEEPER_ROLE", p.keeper, "keeper");
  grant("creditDeposits", creditDepositsAbi, "TREASURY_ROLE", p.treasury, "treasury");
  grant("launchpad", launchpadAbi, "PAUSER_ROLE", p.pauser, "pauser");
  grant("templateRegistry", templateRegistryAbi, "CATALOG_ROLE", me, "deployer");
  call("setDistributor", "incentivePool", incentivePoolAbi, "setDistributor", (c) => [c.at("rewardsDistributor")], "set the rewards distributor");

  for (const [i, t] of o.catalog.entries()) {
    call(`template:${i}`, "templateRegistry", templateRegistryAbi, "addTemplate",
      () => [t.baseModelId, t.hostingTier, t.sale, t.allocation, t.pricing], `add template ${t.baseModelId} (${t.hostingTier})`);
  }

  if (o.localTokens) {
    // The emission reserve is the deployer here: it holds FLOCK and lets the distributor pull it.
    call("mint:emission", "flock", localTokenAbi, "mint", () => [me, o.emissionFunding ?? 0n], "mint the emission reserve's FLOCK");
    call("approve:emission", "flock", localTokenAbi, "approve", (c) => [c.at("rewardsDistributor"), maxUint256], "let the distributor pull emissions");
    // The keeper pays the reported revenue from its own USDC (the settlement wallet).
    if ((o.settlement ?? 0n) > 0n) call("mint:settlement", "usdc", localTokenAbi, "mint", () => [p.keeper, o.settlement], "mint the keeper's settlement USDC");
    // A USDC/FLOCK pool for the FLOCK buyback, with its TWAP observation started.
    const pool = o.pool;
    if (pool && pool.flock > 0n && pool.usdc > 0n) {
      call("mint:pool:flock", "flock", localTokenAbi, "mint", () => [me, pool.flock], "mint the pool's FLOCK");
      call("mint:pool:usdc", "usdc", localTokenAbi, "mint", () => [me, pool.usdc], "mint the pool's USDC");
      call("approve:pool:flock", "flock", localTokenAbi, "approve", (c) => [c.at("uniswapV2Router"), pool.flock], "approve the pool's FLOCK");
      call("approve:pool:usdc", "usdc", localTokenAbi, "approve", (c) => [c.at("uniswapV2Router"), pool.usdc], "approve the pool's USDC");
      call("addLiquidity", "uniswapV2Router", uniswapV2Router02Abi, "addLiquidity", async (c) => [
        c.at("flock"), c.at("usdc"), pool.flock, pool.usdc, pool.flock, pool.usdc, me, (await chainTime(c)) + 600n,
      ], "add the USDC/FLOCK liquidity");
      call("oracle:flockUsdc", "twapOracle", twapOracleAbi, "update", (c) => flockUsdcPair(c).then((pair) => [pair]), "start the USDC/FLOCK TWAP");
    }
  } else if (o.existingPair) {
    call("oracle:flockUsdc", "twapOracle", twapOracleAbi, "update", () => [o.existingPair], "start the USDC/FLOCK TWAP");
  }

  if (o.timelockDelay !== undefined) {
    deploy("timelock", "TimelockController", timelockControllerAbi, () => [BigInt(o.timelockDelay!), [p.proposer], [p.proposer], zeroAddress]);
    if (p.guardian === "timelock") grant("rewardsDistributor", rewardsDistributorAbi, "GUARDIAN_ROLE", "timelock", "timelock"); // vetoes reward roots
    else grant("rewardsDistributor", rewardsDistributorAbi, "GUARDIAN_ROLE", p.guardian, "guardian");
    // Governance moves to the timelock; the deployer keeps nothing.
    grant("templateRegistry", templateRegistryAbi, "CATALOG_ROLE", "timelock", "timelock");
    renounce("templateRegistry", templateRegistryAbi, "CATALOG_ROLE");
    for (const id of GOVERNED) {
      grant(id, ABI_OF[id]!, "DEFAULT_ADMIN_ROLE", "timelock", "timelock");
      renounce(id, ABI_OF[id]!, "DEFAULT_ADMIN_ROLE");
    }
  } else {
    grant("rewardsDistributor", rewardsDistributorAbi, "GUARDIAN_ROLE", p.guardian === "timelock" ? me : p.guardian, "guardian");
  }
  return steps;
}

const flockUsdcPair = (c: StepContext) =>
  c.publicClient.readContract({
    address: c.at("uniswapV2Factory"), abi: uniswapV2FactoryAbi, functionName: "getPair", args: [c.at("flock"), c.at("usdc")],
  }) as Promise<Address>;
