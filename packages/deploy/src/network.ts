// FOMO on a real network (PancakeSwap V2 on BSC, Uniswap V2 on Base): the checks of what is already
// there (chain, tokens, router), the plan of plan.ts against those, a rehearsal of the plan on a fork
// for the gas it costs, the resumable run with its journal, and the role audit of the result.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import {
  createWalletClient,
  defineChain,
  erc20Abi,
  getAddress,
  http,
  parseAbiItem,
  parseEther,
  zeroAddress,
  type Abi,
  type Address,
  type Chain,
  type LocalAccount,
  type PublicClient,
} from "viem";
import {
  checkStablecoinDecimals,
  defaultCatalog,
  REWARDS_CHALLENGE_DELAY,
  uniswapV2FactoryAbi,
  uniswapV2Router02Abi,
  type Deployments,
} from "@fomo/sdk";
import { executePlan, type Journal, type JournalEntry, type Wallet } from "./execute.ts";
import { deploymentsOf } from "./local.ts";
import { startHardhatNode } from "./node.ts";
import { ABI_OF, fomoPlan, GOVERNED, roleHash, type ContractId, type Step } from "./plan.ts";

/** FLOCK's decimals: the protocol's FLOCK amounts (fees, raises, emissions) are 18-decimal wei. */
export const FLOCK_DECIMALS = 18;
/** The timelock's delay unless told otherwise: two days to see a change coming and leave. */
export const DEFAULT_TIMELOCK_DELAY = 2 * 86_400;

/** The chains FOMO is meant for, by id: a name and the native coin gas is paid in. */
export const KNOWN_CHAINS: Record<number, { name: string; native: string }> = {
  56: { name: "BNB Smart Chain", native: "BNB" },
  97: { name: "BNB Smart Chain testnet", native: "tBNB" },
  8453: { name: "Base", native: "ETH" },
  84532: { name: "Base Sepolia", native: "ETH" },
  31337: { name: "local chain", native: "ETH" },
};
export const chainInfo = (chainId: number) => KNOWN_CHAINS[chainId] ?? { name: `chain ${chainId}`, native: "native coin" };

/** A pre-check failed: what is wrong with the chain or an address given, in one line. */
export class DeployCheckError extends Error {
  override name = "DeployCheckError";
}

export interface NetworkInputs {
  flock: Address;
  usdc: Address;
  router: Address;
  /** Pauses launches and buys, vetoes reward roots. */
  guardian: Address;
  /** Posts revenue reports and reward roots. */
  keeper: Address;
  treasury: Address;
  /** Default: the treasury. */
  hostingReserve?: Address;
  /** Holds the FLOCK for emissions and approves the RewardsDistributor; default: the treasury. */
  emissionReserve?: Address;
  /** Proposes and executes through the timelock (a multisig); default: the guardian. */
  proposer?: Address;
  timelockDelay: number;
  /** The chain id the RPC must report; absent: any. */
  chainId?: number;
  /** Seconds per epoch; default a day. */
  epochSeconds?: number;
}

/** What the pre-checks found on chain. */
export interface NetworkFacts {
  chainId: number;
  flockSymbol: string;
  usdcSymbol: string;
  usdcDecimals: number;
  factory: Address;
  weth: Address;
  /** The existing USDC/FLOCK pair, if the factory has one. */
  pair?: Address;
}

/**
 * Checks the chain and the addresses given before anything is planned: the chain id, that each address
 * holds a contract, FLOCK's 18 decimals and the stablecoin's (6 to 18: USDC has 6 on Base, 18 on BSC),
 * and that the router answers factory() and WETH() with contracts, its factory getPair().
 */
export async function precheckNetwork(client: PublicClient, inputs: NetworkInputs): Promise<NetworkFacts> {
  const chainId = await client.getChainId();
  if (inputs.chainId !== undefined && inputs.chainId !== chainId) {
    throw new DeployCheckError(`the RPC serves chain ${chainId} (${chainInfo(chainId).name}), not chain ${inputs.chainId}: check --rpc`);
  }
  const hasCode = async (address: Address, what: string) => {
    const code = await client.getCode({ address });
    if (!code || code === "0x") throw new DeployCheckError(`${what} ${address}: no contract at this address on chain ${chainId} (${chainInfo(chainId).name})`);
  };
  await hasCode(inputs.flock, "--flock");
  await hasCode(inputs.usdc, "--usdc");
  await hasCode(inputs.router, "--router");
  const token = async (address: Address, flag: string) => {
    const read = <T>(functionName: "decimals" | "symbol") =>
      client.readContract({ address, abi: erc20Abi, functionName }).catch(() => {
        throw new DeployCheckError(`${flag} ${address}: not an ERC-20 token (${functionName}() failed)`);
      }) as Promise<T>;
    return { decimals: await read<number>("decimals"), symbol: await read<string>("symbol") };
  };
  const flock = await token(inputs.flock, "--flock");
  if (flock.decimals !== FLOCK_DECIMALS) {
    throw new DeployCheckError(`--flock ${inputs.flock} (${flock.symbol}) has ${flock.decimals} decimals; FLOCK must have ${FLOCK_DECIMALS}`);
  }
  const usdc = await token(inputs.usdc, "--usdc");
  try {
    checkStablecoinDecimals(usdc.decimals);
  } catch (e) {
    throw new DeployCheckError(`--usdc ${inputs.usdc} (${usdc.symbol}): ${(e as Error).message} (USDC has 6 on Base, 18 on BSC)`);
  }
  const routerRead = (functionName: "factory" | "WETH") =>
    client.readContract({ address: inputs.router, abi: uniswapV2Router02Abi, functionName }).catch(() => {
      throw new DeployCheckError(`--router ${inputs.router}: not a Uniswap V2 router (${functionName}() failed)`);
    }) as Promise<Address>;
  const factory = getAddress(await routerRead("factory"));
  const weth = getAddress(await routerRead("WETH"));
  await hasCode(factory, "the router's factory");
  await hasCode(weth, "the router's WETH");
  const pair = (await client
    .readContract({ address: factory, abi: uniswapV2FactoryAbi, functionName: "getPair", args: [inputs.flock, inputs.usdc] })
    .catch(() => {
      throw new DeployCheckError(`--router ${inputs.router}: its factory ${factory} is not a Uniswap V2 factory (getPair() failed)`);
    })) as Address;
  return {
    chainId, flockSymbol: flock.symbol, usdcSymbol: usdc.symbol, usdcDecimals: usdc.decimals, factory, weth,
    ...(pair !== zeroAddress ? { pair: getAddress(pair) } : {}),
  };
}

/** Who holds what on the network, as the plan and the deployments file name them. */
export function networkParties(inputs: NetworkInputs, deployer: Address) {
  const hostingReserve = inputs.hostingReserve ?? inputs.treasury;
  return {
    deployer, treasury: inputs.treasury, hostingReserve, keeper: inputs.keeper, pauser: inputs.guardian, guardian: inputs.guardian,
    emissionReserve: inputs.emissionReserve ?? inputs.treasury, proposer: inputs.proposer ?? inputs.guardian,
  };
}

/** The network's plan: the one plan of plan.ts on the given tokens and DEX, governed by a timelock. */
export function networkPlan(inputs: NetworkInputs, facts: NetworkFacts, deployer: Address): Step[] {
  return fomoPlan({
    parties: networkParties(inputs, deployer),
    catalog: defaultCatalog,
    rewardsChallengeDelay: REWARDS_CHALLENGE_DELAY,
    ...(inputs.epochSeconds !== undefined ? { epochSeconds: inputs.epochSeconds } : {}),
    ...(facts.pair ? { existingPair: facts.pair } : {}),
    timelockDelay: inputs.timelockDelay,
  });
}

/** The contracts the network already has, keyed as the plan uses them. */
export const knownContracts = (inputs: NetworkInputs, facts: NetworkFacts): Partial<Record<ContractId, Address>> => ({
  flock: inputs.flock, usdc: inputs.usdc, weth: facts.weth, uniswapV2Factory: facts.factory, uniswapV2Router: inputs.router,
});

/** The deployments document of a finished network deploy. */
export function networkDeployments(
  inputs: NetworkInputs, facts: NetworkFacts, contracts: Partial<Record<ContractId, Address>>, startBlock: bigint, deployer: Address,
): Deployments {
  const p = networkParties(inputs, deployer);
  return deploymentsOf(contracts, {
    chainId: facts.chainId, startBlock, usdcDecimals: facts.usdcDecimals,
    roles: { admin: contracts.timelock!, treasury: p.treasury, hostingReserve: p.hostingReserve, keeper: p.keeper, emissionReserve: p.emissionReserve },
  });
}

// ---------------------------------------------------------------------------------------------------
// The journal: <data-dir>/deployments/<chainId>.journal.json, rewritten atomically after every change.

interface JournalFile {
  chainId: number;
  deployer: Address;
  /** The options the plan was made from: a rerun with other options would be another plan. */
  inputs: unknown;
  steps: Record<string, JournalEntry>;
}

export interface FileJournal extends Journal {
  path: string;
  /** Steps confirmed. */
  doneCount(): number;
  /** Whether the file existed before (a resumed deploy). */
  resumed: boolean;
}

/** Opens (or starts) the journal of a deploy; refuses one started by another deployer or with other options. */
export function openJournal(path: string, header: Omit<JournalFile, "steps">, opts: { write: boolean }): FileJournal {
  const resumed = existsSync(path);
  let file: JournalFile = { ...header, steps: {} };
  if (resumed) {
    file = JSON.parse(readFileSync(path, "utf8")) as JournalFile;
    if (file.chainId !== header.chainId || getAddress(file.deployer) !== getAddress(header.deployer)) {
      throw new DeployCheckError(`${path} belongs to deployer ${file.deployer} on chain ${file.chainId}: deploy with that key, or move the file away`);
    }
    if (JSON.stringify(file.inputs) !== JSON.stringify(header.inputs)) {
      throw new DeployCheckError(`${path} was started with other options (${JSON.stringify(file.inputs)}): rerun with the same ones, or move the file away to start over`);
    }
  }
  const save = () => {
    if (!opts.write) return;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp`, `${JSON.stringify(file, null, 2)}\n`);
    renameSync(`${path}.tmp`, path);
  };
  return {
    path,
    resumed,
    get: (id) => file.steps[id],
    put(id, entry) {
      file.steps[id] = entry;
      save();
    },
    doneCount: () => Object.values(file.steps).filter((e) => e.done).length,
  };
}

/** An in-memory journal holding the confirmed steps of another: a rehearsal skips what is done. */
export function doneOnly(steps: readonly Step[], journal: Journal | undefined): Journal {
  const entries = new Map<string, JournalEntry>();
  for (const s of steps) {
    const e = journal?.get(s.id);
    if (e?.done) entries.set(s.id, e);
  }
  return { get: (id) => entries.get(id), put: (id, e) => void entries.set(id, e) };
}

// ---------------------------------------------------------------------------------------------------
// Rehearsal: the remaining steps on a fork of the network, for their exact gas and the resulting roles.

export interface Rehearsal {
  /** Gas of each step not yet done, by step id. */
  gas: Record<string, bigint>;
  totalGas: bigint;
  audit: RoleAudit;
  contracts: Partial<Record<ContractId, Address>>;
}

/** A viem chain of an id, for signing (the RPC URL comes with the transport). */
export const chainOf = (chainId: number): Chain =>
  defineChain({ id: chainId, name: chainInfo(chainId).name, nativeCurrency: { name: chainInfo(chainId).native, symbol: chainInfo(chainId).native, decimals: 18 }, rpcUrls: { default: { http: [] } } });

/**
 * Runs the steps not yet done on a `hardhat node --fork` of the RPC (the deployer funded there, so an
 * underfunded key still gets its estimate), and audits the roles they leave. Nothing reaches the network.
 */
export async function rehearse(o: {
  rpcUrl: string;
  chainId: number;
  steps: readonly Step[];
  journal?: Journal;
  known: Partial<Record<ContractId, Address>>;
  account: LocalAccount;
  parties: Record<string, Address | "timelock">;
  /** First block of the deployment when part of it is already on chain (the audit reads roles from there). */
  auditFrom?: bigint;
  logFile?: string;
}): Promise<Rehearsal> {
  const fork = await startHardhatNode({ port: 0, fork: o.rpcUrl, chainId: o.chainId, ...(o.logFile ? { logFile: o.logFile } : {}) });
  try {
    await fork.publicClient.request({ method: "hardhat_setBalance" as never, params: [o.account.address, `0x${parseEther("1000000").toString(16)}`] as never });
    const wallet = createWalletClient({ account: o.account, chain: chainOf(o.chainId), transport: http(fork.url) }) as Wallet;
    const gas: Record<string, bigint> = {};
    const done = doneOnly(o.steps, o.journal);
    const fresh = new Set(o.steps.filter((s) => !done.get(s.id)).map((s) => s.id));
    const start = await fork.publicClient.getBlockNumber({ cacheTime: 0 });
    const run = await executePlan(o.steps, {
      publicClient: fork.publicClient, wallet, known: o.known, journal: done,
      onStep: (_, step, r) => {
        if (fresh.has(step.id)) gas[step.id] = r.gasUsed;
      },
    });
    const totalGas = Object.values(gas).reduce((a, b) => a + b, 0n);
    const audit = await auditRoles(fork.publicClient, run.contracts, o.auditFrom ?? start, { ...o.parties, deployer: o.account.address });
    return { gas, totalGas, audit, contracts: run.contracts };
  } finally {
    await fork.stop();
  }
}

// ---------------------------------------------------------------------------------------------------
// Role audit: every role of every governed contract and who holds it, from the RoleGranted events
// (AccessControl does not enumerate) checked against hasRole now.

export interface RoleHolding {
  contract: ContractId;
  address: Address;
  role: string;
  /** Holders now, each with the name it has in the deployment (keeper, timelock, launchpad…) when it has one. */
  holders: { address: Address; name?: string }[];
}

export interface RoleAudit {
  roles: RoleHolding[];
  /** Roles the deployer still holds: empty after a complete deploy. */
  deployerRoles: string[];
}

const roleGranted = parseAbiItem("event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)");
/** Blocks per getLogs: public RPCs of BSC and Base refuse wider ranges. */
const LOG_RANGE = 2_000n;

export async function auditRoles(
  client: PublicClient,
  contracts: Partial<Record<ContractId, Address>>,
  fromBlock: bigint,
  parties: Record<string, Address | "timelock">,
): Promise<RoleAudit> {
  const names = new Map<string, string>();
  for (const [name, address] of Object.entries(parties)) if (address !== "timelock") names.set(address.toLowerCase(), names.get(address.toLowerCase()) ? `${names.get(address.toLowerCase())}, ${name}` : name);
  for (const [id, address] of Object.entries(contracts)) if (address) names.set(address.toLowerCase(), id);
  const deployer = (parties.deployer as Address).toLowerCase();
  const head = await client.getBlockNumber({ cacheTime: 0 });
  const roles: RoleHolding[] = [];
  const deployerRoles: string[] = [];
  for (const id of [...GOVERNED, "timelock" as const]) {
    const address = contracts[id];
    if (!address) continue;
    const abi = ABI_OF[id]! as Abi;
    const roleNames = abi.flatMap((item) =>
      item.type === "function" && item.name.endsWith("_ROLE") && item.inputs.length === 0 ? [item.name] : []);
    const candidates = new Map<string, Set<Address>>();
    for (let from = fromBlock; from <= head; from += LOG_RANGE) {
      const to = from + LOG_RANGE - 1n < head ? from + LOG_RANGE - 1n : head;
      for (const log of await client.getLogs({ address, event: roleGranted, fromBlock: from, toBlock: to })) {
        const set = candidates.get(log.args.role!) ?? new Set();
        set.add(getAddress(log.args.account!));
        candidates.set(log.args.role!, set);
      }
    }
    for (const role of roleNames.sort()) {
      const holders: RoleHolding["holders"] = [];
      for (const who of candidates.get(roleHash(role)) ?? []) {
        const has = await client.readContract({ address, abi, functionName: "hasRole", args: [roleHash(role), who] });
        if (!has) continue;
        const name = names.get(who.toLowerCase());
        holders.push({ address: who, ...(name ? { name } : {}) });
        if (who.toLowerCase() === deployer) deployerRoles.push(`${role} on ${id}`);
      }
      roles.push({ contract: id, address, role, holders });
    }
  }
  return { roles, deployerRoles };
}
