// Runs a deployment plan step by step. Without a journal (deployLocal on a fresh chain) each step is
// sent and awaited. With a journal (a real network) each transaction is signed locally and recorded
// with its nonce, hash and raw bytes BEFORE it is broadcast, so a run killed at any point resumes
// without sending anything twice: a recorded step is re-broadcast byte for byte (same nonce, same
// hash) until its receipt is found, and a confirmed step is never sent again.
import {
  encodeDeployData,
  encodeFunctionData,
  getAddress,
  getContractAddress,
  keccak256,
  type Address,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import type { Wallet } from "@fomo/sdk";
import { bytecodeOf } from "./artifacts.ts";
import type { ContractId, Step, StepContext } from "./plan.ts";

/** A wallet client that signs (the SDK's). */
export type { Wallet };

/** What the journal knows of a step: sent (hash and raw bytes) and, once mined, its outcome. */
export interface JournalEntry {
  nonce: number;
  hash: Hex;
  raw: Hex;
  /** Set once the receipt is in: the contract deployed, if any, and the block. */
  done?: { block: string; address?: Address; gasUsed: string };
}

/** Where a resumable run records its steps; `put` must be durable when it returns. */
export interface Journal {
  get(id: string): JournalEntry | undefined;
  put(id: string, entry: JournalEntry): void;
}

export interface ExecuteOptions {
  publicClient: PublicClient;
  wallet: Wallet;
  /** Addresses of the contracts the plan does not deploy (the network's tokens and DEX). */
  known?: Partial<Record<ContractId, Address>>;
  journal?: Journal;
  log?: (line: string) => void;
  /** Called after each step is confirmed (or found confirmed in the journal), with its index. */
  onStep?: (index: number, step: Step, receipt: { block: bigint; gasUsed: bigint; address?: Address }) => void;
}

export interface Executed {
  contracts: Partial<Record<ContractId, Address>>;
  /** Block of each deployed contract. */
  blocks: Partial<Record<ContractId, bigint>>;
  gasUsed: bigint;
}

export async function executePlan(steps: readonly Step[], o: ExecuteOptions): Promise<Executed> {
  const log = o.log ?? (() => {});
  const contracts: Partial<Record<ContractId, Address>> = { ...o.known };
  const blocks: Partial<Record<ContractId, bigint>> = {};
  const ctx = contextOf(o.publicClient, contracts);
  let gasUsed = 0n;
  for (const [index, step] of steps.entries()) {
    const recorded = o.journal?.get(step.id)?.done;
    const outcome = recorded
      ? { block: BigInt(recorded.block), gasUsed: BigInt(recorded.gasUsed), ...(recorded.address ? { address: recorded.address } : {}) }
      : await run(step, ctx, o);
    gasUsed += outcome.gasUsed;
    if (step.kind === "deploy") {
      contracts[step.into] = outcome.address!;
      blocks[step.into] = outcome.block;
      log(`  ${step.contract.padEnd(20)} ${outcome.address}${recorded ? " (done before)" : ""}`);
    } else if (step.id.startsWith("template:")) log(`  ${step.what.replace(/^add /, "")}`);
    o.onStep?.(index, step, outcome);
  }
  return { contracts, blocks, gasUsed };
}

/** The context step arguments are computed in: addresses so far, and the chain. */
export function contextOf(publicClient: PublicClient, contracts: Partial<Record<ContractId, Address>>): StepContext {
  return {
    publicClient,
    at(id) {
      const address = contracts[id];
      if (!address) throw new Error(`the plan uses ${id} before it is deployed`);
      return address;
    },
  };
}

/** The transaction of a step: `to` absent for a deployment. */
export async function transactionOf(step: Step, ctx: StepContext): Promise<{ to?: Address; data: Hex }> {
  const args = await step.args(ctx);
  if (step.kind === "deploy") return { data: encodeDeployData({ abi: step.abi, bytecode: bytecodeOf(step.contract), args }) };
  return { to: ctx.at(step.target), data: encodeFunctionData({ abi: step.abi, functionName: step.functionName, args }) };
}

const what = (step: Step, to?: Address) => (step.kind === "deploy" ? `deploy ${step.contract}` : `${step.functionName} on ${to}`);

async function run(step: Step, ctx: StepContext, o: ExecuteOptions) {
  const tx = await transactionOf(step, ctx);
  const receipt = o.journal ? await sendJournaled(step, tx, o, o.journal) : await o.publicClient.waitForTransactionReceipt({
    hash: await o.wallet.sendTransaction({ ...tx, account: o.wallet.account, chain: o.wallet.chain }),
  });
  if (receipt.status !== "success") throw new Error(`${what(step, tx.to)} reverted (tx ${receipt.transactionHash})`);
  const outcome = {
    block: receipt.blockNumber,
    gasUsed: receipt.gasUsed,
    ...(receipt.contractAddress ? { address: getAddress(receipt.contractAddress) } : {}),
  };
  o.journal?.put(step.id, {
    ...o.journal.get(step.id)!,
    done: { block: outcome.block.toString(), gasUsed: outcome.gasUsed.toString(), ...(outcome.address ? { address: outcome.address } : {}) },
  });
  return outcome;
}

async function sendJournaled(step: Step, tx: { to?: Address; data: Hex }, o: ExecuteOptions, journal: Journal): Promise<TransactionReceipt> {
  const account = o.wallet.account;
  if (account.type !== "local") throw new Error("a resumable deployment signs locally: give a private key or a keystore");
  let entry = journal.get(step.id);
  if (!entry) {
    const request = await o.wallet.prepareTransactionRequest({ ...tx, account, chain: o.wallet.chain });
    const raw = await o.wallet.signTransaction(request as never);
    entry = { nonce: request.nonce, hash: keccak256(raw), raw };
    journal.put(step.id, entry); // before broadcasting: a kill after this line re-broadcasts, never re-signs
  }
  return confirm(entry, o.publicClient, what(step, tx.to));
}

/** The receipt of a journaled transaction, broadcasting its raw bytes again while the chain does not know it. */
async function confirm(entry: JournalEntry, client: PublicClient, label: string): Promise<TransactionReceipt> {
  const found = await client.getTransactionReceipt({ hash: entry.hash }).catch(() => undefined);
  if (found) return found;
  try {
    await client.sendRawTransaction({ serializedTransaction: entry.raw });
  } catch (error) {
    // Already in the pool is fine; a nonce used by another transaction is not (something else signed with this key).
    const mined = await client.getTransactionReceipt({ hash: entry.hash }).catch(() => undefined);
    if (mined) return mined;
    const message = (error as Error).message;
    if (!/already known|already imported|known transaction/i.test(message)) {
      throw new Error(`${label}: its recorded transaction ${entry.hash} (nonce ${entry.nonce}) cannot be sent again: ${message.split("\n")[0]}`);
    }
  }
  return client.waitForTransactionReceipt({ hash: entry.hash });
}

/**
 * The address each deploy step of `steps` will get, when the deployer sends them one per nonce from
 * `nonce` on: what the plan prints before anything is sent.
 */
export function predictAddresses(steps: readonly Step[], deployer: Address, nonce: number): Partial<Record<ContractId, Address>> {
  const predicted: Partial<Record<ContractId, Address>> = {};
  for (const [i, step] of steps.entries()) {
    if (step.kind === "deploy") predicted[step.into] = getContractAddress({ from: deployer, nonce: BigInt(nonce + i) });
  }
  return predicted;
}
