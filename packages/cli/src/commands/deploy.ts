// `fomo deploy`: FOMO on a real network against its FLOCK, its USDC and a Uniswap-V2-compatible router
// (PancakeSwap V2 on BSC, Uniswap V2 on Base). Checks first, prints the plan and what it costs (from a
// rehearsal on a fork), asks, then runs the plan resumably and ends with the role audit.
import { createInterface } from "node:readline/promises";
import { join } from "node:path";
import { createPublicClient, createWalletClient, formatEther, getAddress, http, isAddress, type Address, type PublicClient } from "viem";
import {
  auditRoles,
  chainInfo,
  chainOf,
  contextOf,
  DEFAULT_TIMELOCK_DELAY,
  executePlan,
  knownContracts,
  networkDeployments,
  networkParties,
  networkPlan,
  openJournal,
  precheckNetwork,
  predictAddresses,
  rehearse,
  roleHash,
  type ContractId,
  type NetworkInputs,
  type RoleAudit,
  type Step,
  type Wallet,
} from "@fomo/deploy";
import { readEnv } from "@fomo/gateway";
import { writeDeployments } from "@fomo/sdk/node";
import { parseCount, parseFlags, UsageError, withoutSwitch } from "../args.ts";
import { DEFAULT_DATA_DIR, deploymentsPath } from "../paths.ts";
import { userSigner } from "../signer.ts";
import { formatTable, jsonDocument } from "./chain.ts";

export interface DeployOptions extends NetworkInputs {
  rpcUrl: string;
  dataDir: string;
  keystore?: string;
  dryRun: boolean;
  yes: boolean;
  json: boolean;
}

export const DEPLOY_USAGE =
  "deploy --rpc URL --flock ADDR --usdc ADDR --router ADDR --guardian ADDR --keeper ADDR --treasury ADDR [--hosting-reserve ADDR] " +
  "[--emission-reserve ADDR] [--proposer ADDR] [--timelock-delay SECONDS] [--chain-id N] [--keystore FILE] [--data-dir DIR] [--dry-run] [--yes] [--json]";

/** The shortest timelock delay accepted: a delay nobody can react within is no delay. */
export const MIN_TIMELOCK_DELAY = 3_600;

export function parseDeployArgs(args: string[]): DeployOptions {
  const [dryRun, a1] = withoutSwitch(args, "--dry-run");
  const [yes, a2] = withoutSwitch(a1, "--yes");
  const [json, flags] = withoutSwitch(a2, "--json");
  const defaults = {
    rpc: "", flock: "", usdc: "", router: "", guardian: "", keeper: "", treasury: "", "hosting-reserve": "", "emission-reserve": "",
    proposer: "", "timelock-delay": String(DEFAULT_TIMELOCK_DELAY), "chain-id": "", keystore: "", "data-dir": DEFAULT_DATA_DIR,
  };
  return parseFlags(flags, DEPLOY_USAGE, defaults, (v) => {
    if (!/^https?:\/\/[^/]/.test(v.rpc!)) throw new Error(v.rpc ? `--rpc: not an http(s) URL: ${v.rpc}` : `fomo deploy: --rpc is required (usage: fomo ${DEPLOY_USAGE})`);
    const address = (flag: string, required: boolean): Address | undefined => {
      const value = v[flag]!;
      if (!value) {
        if (required) throw new Error(`fomo deploy: --${flag} is required (usage: fomo ${DEPLOY_USAGE})`);
        return undefined;
      }
      if (!isAddress(value, { strict: false })) throw new Error(`--${flag}: not a 0x-prefixed 20-byte address: ${value}`);
      return getAddress(value);
    };
    const optional = (flag: string, key: keyof NetworkInputs) => {
      const value = address(flag, false);
      return value ? { [key]: value } : {};
    };
    return {
      rpcUrl: v.rpc!,
      flock: address("flock", true)!,
      usdc: address("usdc", true)!,
      router: address("router", true)!,
      guardian: address("guardian", true)!,
      keeper: address("keeper", true)!,
      treasury: address("treasury", true)!,
      ...optional("hosting-reserve", "hostingReserve"),
      ...optional("emission-reserve", "emissionReserve"),
      ...optional("proposer", "proposer"),
      timelockDelay: parseCount(v["timelock-delay"]!, "--timelock-delay", MIN_TIMELOCK_DELAY),
      ...(v["chain-id"] ? { chainId: parseCount(v["chain-id"], "--chain-id", 1) } : {}),
      ...(v.keystore ? { keystore: v.keystore } : {}),
      dataDir: v["data-dir"]!,
      dryRun,
      yes,
      json,
    };
  });
}

/** The options that make the plan (what a resumed run must repeat): the journal keeps them. */
const planInputs = (o: DeployOptions): NetworkInputs => ({
  flock: o.flock, usdc: o.usdc, router: o.router, guardian: o.guardian, keeper: o.keeper, treasury: o.treasury,
  ...(o.hostingReserve ? { hostingReserve: o.hostingReserve } : {}),
  ...(o.emissionReserve ? { emissionReserve: o.emissionReserve } : {}),
  ...(o.proposer ? { proposer: o.proposer } : {}),
  timelockDelay: o.timelockDelay,
});

export async function deploy(o: DeployOptions): Promise<number> {
  const out = (text: string) => (o.json ? undefined : process.stdout.write(text));
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  // Receipts polled each second: a deploy waits for ~40 of them one after the other.
  const client = createPublicClient({ pollingInterval: 1_000, transport: http(o.rpcUrl, { retryCount: 2 }) }) as PublicClient;
  const inputs = planInputs(o);

  const facts = await precheckNetwork(client, { ...inputs, ...(o.chainId !== undefined ? { chainId: o.chainId } : {}) });
  const chain = chainInfo(facts.chainId);
  const signer = await userSigner(o.keystore ? { keystore: o.keystore } : {}, readEnv(), facts.chainId);
  const deployer = signer.account.address;
  const wallet = createWalletClient({ account: signer.account, chain: chainOf(facts.chainId), transport: http(o.rpcUrl) }) as Wallet;
  const parties = networkParties(inputs, deployer);
  const known = knownContracts(inputs, facts);
  const steps = networkPlan(inputs, facts, deployer);
  const bookPath = deploymentsPath(o.dataDir, facts.chainId);
  const journal = openJournal(join(o.dataDir, "deployments", `${facts.chainId}.journal.json`), { chainId: facts.chainId, deployer, inputs }, { write: !o.dryRun });

  out(`chain ${facts.chainId} (${chain.name}); deployer ${deployer} (${signer.source})\n`);
  out(`FLOCK ${inputs.flock} (${facts.flockSymbol}, 18 decimals); USDC ${inputs.usdc} (${facts.usdcSymbol}, ${facts.usdcDecimals} decimals)\n`);
  out(`router ${inputs.router}: factory ${facts.factory}, WETH ${facts.weth}; USDC/FLOCK pair ${facts.pair ?? "none yet"}\n`);

  // A run killed between broadcasting a step and recording its receipt left that step pending: settle it first.
  if (!o.dryRun && journal.resumed) {
    const lastJournaled = steps.findLastIndex((s) => journal.get(s.id) !== undefined);
    await executePlan(steps.slice(0, lastJournaled + 1), { publicClient: client, wallet, known, journal });
    progress(`resuming ${journal.path}: ${journal.doneCount()} of ${steps.length} steps done`);
  }

  const remaining = steps.filter((s) => !journal.get(s.id)?.done);
  const nonce = await client.getTransactionCount({ address: deployer, blockTag: "pending" });
  const doneContracts = Object.fromEntries(
    steps.flatMap((s) => (s.kind === "deploy" && journal.get(s.id)?.done?.address ? [[s.into, journal.get(s.id)!.done!.address!]] : [])),
  ) as Partial<Record<ContractId, Address>>;
  const addresses = { ...known, ...doneContracts, ...predictAddresses(remaining, deployer, nonce) };
  const plan = await describePlan(steps, client, addresses, { ...parties, guardian: inputs.guardian }, (s) => !!journal.get(s.id)?.done);

  let estimate: Estimate | undefined;
  let rehearsalAudit: RoleAudit | undefined;
  if (remaining.length > 0) {
    out(`\nplan: ${remaining.length} transactions of ${steps.length}${journal.resumed ? " (the rest is done)" : ""}\n`);
    out(formatTable([["#", "step", "address", "arguments"], ...plan.map((p) => [String(p.index + 1), `${p.done ? "done: " : ""}${p.step}`, p.address ?? "", p.args])]));
    progress(`rehearsing the plan on a fork of ${o.rpcUrl} for its gas…`);
    const firstBlock = steps.map((s) => journal.get(s.id)?.done?.block).find((b) => b !== undefined);
    const rehearsal = await rehearse({
      rpcUrl: o.rpcUrl, chainId: facts.chainId, steps, journal, known, account: signer.account,
      parties: { ...parties, guardian: inputs.guardian }, ...(firstBlock ? { auditFrom: BigInt(firstBlock) } : {}),
    });
    rehearsalAudit = rehearsal.audit;
    const gasPrice = await client.getGasPrice();
    const balance = await client.getBalance({ address: deployer });
    estimate = { gas: rehearsal.totalGas, gasPrice, cost: rehearsal.totalGas * gasPrice, balance, native: chain.native };
    out(`\ngas: ${rehearsal.totalGas} (rehearsed on a fork) × ${formatEther(gasPrice, "gwei")} gwei = ${formatEther(estimate.cost)} ${chain.native}; the deployer has ${formatEther(balance)} ${chain.native}\n`);
    out(`timelock delay ${o.timelockDelay} s; governance proposer and executor ${parties.proposer}; guardian ${inputs.guardian}; keeper ${inputs.keeper}; treasury ${inputs.treasury}\n`);
  }

  if (o.dryRun) {
    if (o.json) process.stdout.write(jsonDocument({ dryRun: true, chainId: facts.chainId, deployer, facts, plan, estimate, audit: rehearsalAudit }));
    else {
      if (rehearsalAudit) out(`\nroles after the deploy (rehearsed):\n${formatAudit(rehearsalAudit)}`);
      out("\ndry run: nothing sent\n");
    }
    return 0;
  }

  if (remaining.length > 0) {
    if (estimate && estimate.balance < estimate.cost) {
      throw new Error(`the deployer ${deployer} has ${formatEther(estimate.balance)} ${chain.native}, the deploy needs about ${formatEther(estimate.cost)}: fund it first`);
    }
    if (!o.yes) {
      if (!process.stdin.isTTY) throw new UsageError(`fomo deploy: refusing to send ${remaining.length} transactions without confirmation: rerun with --yes (or --dry-run to look first)`);
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      const answer = await rl.question(`send ${remaining.length} transactions on ${chain.name} for about ${formatEther(estimate!.cost)} ${chain.native}? [y/N] `);
      rl.close();
      if (!/^y(es)?$/i.test(answer.trim())) {
        progress("nothing sent");
        return 1;
      }
    }
    let sent = journal.doneCount();
    await executePlan(steps, {
      publicClient: client, wallet, known, journal,
      onStep: (index, step, r) => {
        if (index < sent) return;
        sent = index + 1;
        progress(`[${index + 1}/${steps.length}] ${stepLabel(step)}${r.address ? ` ${r.address}` : ""} (gas ${r.gasUsed})`);
      },
    });
  }

  const contracts = { ...known, ...Object.fromEntries(steps.flatMap((s) => (s.kind === "deploy" ? [[s.into, journal.get(s.id)!.done!.address!]] : []))) };
  const startBlock = BigInt(journal.get("templateRegistry")!.done!.block);
  const deployments = networkDeployments(inputs, facts, contracts, startBlock, deployer);
  writeDeployments(bookPath, deployments);
  const audit = await auditRoles(client, contracts, startBlock, { ...parties, guardian: inputs.guardian });
  if (o.json) process.stdout.write(jsonDocument({ dryRun: false, chainId: facts.chainId, deployer, deploymentsFile: bookPath, deployments, estimate, audit }));
  else {
    out(`\ndeployed: ${bookPath}\n\nrole audit:\n${formatAudit(audit)}`);
    out(`\nnext: the emission reserve ${parties.emissionReserve} approves FLOCK to the RewardsDistributor ${contracts.rewardsDistributor}; ` +
      `the keeper ${inputs.keeper} holds ${facts.usdcSymbol} to settle epochs (see docs/operations.md)\n`);
  }
  if (audit.deployerRoles.length > 0) {
    progress(`fomo deploy: the deployer still holds ${audit.deployerRoles.join(", ")}`);
    return 1;
  }
  const ungoverned = audit.roles.filter((r) => r.role === "DEFAULT_ADMIN_ROLE" && (r.holders.length !== 1 || r.holders[0]!.address !== contracts.timelock));
  if (ungoverned.length > 0) {
    progress(`fomo deploy: the timelock is not the only admin of ${ungoverned.map((r) => r.contract).join(", ")}`);
    return 1;
  }
  return 0;
}

interface Estimate {
  gas: bigint;
  gasPrice: bigint;
  cost: bigint;
  balance: bigint;
  native: string;
}

const stepLabel = (s: Step) => (s.kind === "deploy" ? `deploy ${s.contract}` : `${s.target}: ${s.what}`);

interface PlannedStep {
  index: number;
  id: string;
  done: boolean;
  step: string;
  /** The deployed (or, ahead of the run, predicted) address of a deploy step. */
  address?: Address;
  args: string;
}

/** Each step with its arguments as they will be sent, addresses named after what they are. */
async function describePlan(
  steps: readonly Step[],
  client: PublicClient,
  addresses: Partial<Record<ContractId, Address>>,
  parties: Record<string, Address>,
  isDone: (s: Step) => boolean,
): Promise<PlannedStep[]> {
  const names = new Map<string, string>();
  for (const [name, a] of Object.entries(parties)) names.set(a.toLowerCase(), names.has(a.toLowerCase()) ? `${names.get(a.toLowerCase())}/${name}` : name);
  for (const [id, a] of Object.entries(addresses)) if (a) names.set(a.toLowerCase(), id);
  // Role hashes by name, as the contracts' *_ROLE constants define them.
  for (const s of steps) {
    for (const item of s.abi) if (item.type === "function" && item.name.endsWith("_ROLE") && item.inputs.length === 0) names.set(roleHash(item.name), item.name);
  }
  const show = (v: unknown): string => {
    if (typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v)) return names.get(v.toLowerCase()) ?? v;
    if (typeof v === "string" && /^0x[0-9a-f]{64}$/.test(v)) return names.get(v) ?? v;
    if (typeof v === "bigint") return v.toString();
    if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
    if (typeof v === "object" && v !== null) return `{${Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`).join(", ")}}`;
    return String(v);
  };
  const ctx = contextOf(client, addresses);
  const planned: PlannedStep[] = [];
  for (const [index, s] of steps.entries()) {
    const args = await s.args(ctx);
    const item = s.abi.find((i) => (s.kind === "deploy" ? i.type === "constructor" : i.type === "function" && i.name === s.functionName));
    const inputs = item && "inputs" in item ? item.inputs : [];
    const shown = s.kind === "call" && s.functionName === "addTemplate" ? "" : args.map((a, i) => `${inputs[i]?.name?.replace(/_$/, "") || `arg${i}`}=${show(a)}`).join(" ");
    planned.push({
      index, id: s.id, done: isDone(s), step: stepLabel(s), args: shown,
      ...(s.kind === "deploy" && addresses[s.into] ? { address: addresses[s.into]! } : {}),
    });
  }
  return planned;
}

function formatAudit(audit: RoleAudit): string {
  const rows = audit.roles.map((r) => [r.contract, r.role, r.holders.length ? r.holders.map((h) => (h.name ? `${h.name} ${h.address}` : h.address)).join(", ") : "nobody"]);
  const verdict = audit.deployerRoles.length ? `the deployer STILL HOLDS ${audit.deployerRoles.join(", ")}\n` : "the deployer holds no role\n";
  return formatTable([["contract", "role", "holders"], ...rows]) + verdict;
}
