// The usage trees of an epoch, one per deployment: the `usageRoot` the keeper commits with
// RevenueRouter.reportRevenue(epoch, mt, gross, hardCost, usageRoot), and the proofs the gateway
// serves with each receipt. One home, so the root a user checks is the root the keeper posted.
import {
  buildUsageTree,
  standardRootOfPacked,
  usageReceiptLeafBytes,
  PLATFORM_DEPLOYMENT,
  PLATFORM_RECEIPT_DEPLOYMENT,
  type UsageReceipt,
  type UsageTree,
} from "@fomo/sdk";
import { getAddress, type Address, type Hex } from "viem";
import { LeafHasher } from "./leaf-hasher.ts";
import type { Ledger } from "./ledger.ts";
import type { UsageRecord } from "./usage.ts";

/** The receipt's form of a record's deployment: checksummed, or the zero address for the platform. */
export const receiptDeploymentOf = (deployment: string): Address =>
  deployment === PLATFORM_DEPLOYMENT ? PLATFORM_RECEIPT_DEPLOYMENT : getAddress(deployment);

/**
 * The receipt of a usage record: what the gateway signs and the epoch's usage tree commits.
 * `deployment`: the record's receiptDeploymentOf, when the caller has it (a checksum is a keccak).
 */
export function usageReceiptOf(record: UsageRecord, deployment: Address = receiptDeploymentOf(record.deployment)): UsageReceipt {
  return {
    requestId: record.requestId,
    modelId: record.modelId,
    account: record.accountId,
    deployment,
    inputTokens: record.inputTokens,
    outputTokens: record.outputTokens,
    costMicroUsd: record.priceCharged,
    // Seconds, like block.timestamp; floor keeps the receipt in the record's epoch.
    timestamp: BigInt(Math.floor(record.createdAt / 1000)),
  };
}

export interface DeploymentUsage {
  /** The $MT address (the zero address: the platform's base models, which have no revenue report). */
  deployment: Address;
  tree: UsageTree;
  /** Sum of the prices charged, micro-USD: reportRevenue's `gross` once in token units (SDK reportAmountsOf). */
  gross: bigint;
  /** Sum of the hard costs, micro-USD: reportRevenue's `hardCost` once in token units (reportAmountsOf). */
  hardCost: bigint;
}

/** The tree, gross and hard cost of a set of usage records (of one deployment). */
export function deploymentUsageOf(deployment: Address, records: readonly UsageRecord[]): DeploymentUsage {
  let gross = 0n;
  let hardCost = 0n;
  for (const r of records) {
    gross += r.priceCharged;
    hardCost += r.hardCost;
  }
  return { deployment, tree: buildUsageTree(records.map((r) => usageReceiptOf(r, deployment))), gross, hardCost };
}

/** Groups records by deployment; the receipt's form (checksummed, or zero for the platform) names the group. */
export function usageByDeployment(records: readonly UsageRecord[]): Map<Address, DeploymentUsage> {
  // Addresses compare case-insensitively.
  const groups = new Map<string, UsageRecord[]>();
  for (const record of records) {
    const key = record.deployment.toLowerCase();
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(record);
  }
  const usage = [...groups.values()].map((rs) => deploymentUsageOf(receiptDeploymentOf(rs[0]!.deployment), rs));
  return new Map(usage.map((u) => [u.deployment, u]));
}

/** Every deployment's usage in [fromMs, toMs) (an epoch's window in ms), keyed by deployment address. */
export async function windowUsage(ledger: Ledger, window: { fromMs: number; toMs: number }): Promise<Map<Address, DeploymentUsage>> {
  return usageByDeployment(await ledger.usage.listWindow(window));
}

/** One deployment's epoch as settlement needs it: totals, the usage root, and who paid what. */
export interface DeploymentAggregate {
  deployment: Address;
  records: number;
  /** Micro-USD, as DeploymentUsage. */
  gross: bigint;
  hardCost: bigint;
  /** The root of the same tree deploymentUsageOf builds over these records. */
  usageRoot: Hex;
  /** Σ price charged per ledger account, micro-USD: the rewards' spend. */
  spendByAccount: Map<string, bigint>;
}

/** Leaf hashes packed 32 bytes each in a buffer that doubles as it fills. */
class PackedLeaves {
  bytes = new Uint8Array(32 * 64);
  count = 0;
  push(leaf: Uint8Array): void {
    if ((this.count + 1) * 32 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(leaf, this.count++ * 32);
  }
}

export interface AggregateOptions {
  /**
   * Worker threads hashing the receipts' leaves while this thread reads the records (0: hash here).
   * The leaves are most of the work; on a 2-core host 2 threads roughly halve the wall time.
   */
  threads?: number;
}

/**
 * Every deployment's aggregate in [fromMs, toMs), streamed: records are read a page at a time and
 * only their 32-byte leaves are kept, so memory grows with the leaves, not the records. The roots
 * equal windowUsage's trees' (a root does not depend on the order of its leaves). Callers hashing
 * here, with no threads, `await loadFastKeccak()` first.
 */
export async function aggregateWindow(
  ledger: Ledger,
  window: { fromMs: number; toMs: number },
  { threads = 0 }: AggregateOptions = {},
): Promise<Map<Address, DeploymentAggregate>> {
  const groups = new Map<string, { aggregate: Omit<DeploymentAggregate, "usageRoot">; leaves: PackedLeaves }>();
  const hasher = threads > 0 ? new LeafHasher(threads) : undefined;
  // Batches being hashed, oldest first; a few per thread keep every thread busy while the next page is read.
  const inFlight: Promise<void>[] = [];
  try {
    for await (const page of ledger.usage.scanWindow(window)) {
      const receipts: UsageReceipt[] = [];
      const targets: PackedLeaves[] = [];
      for (const record of page) {
        const key = record.deployment.toLowerCase();
        let group = groups.get(key);
        if (!group) {
          const aggregate = { deployment: receiptDeploymentOf(record.deployment), records: 0, gross: 0n, hardCost: 0n, spendByAccount: new Map() };
          groups.set(key, (group = { aggregate, leaves: new PackedLeaves() }));
        }
        const a = group.aggregate;
        a.records++;
        a.gross += record.priceCharged;
        a.hardCost += record.hardCost;
        a.spendByAccount.set(record.accountId, (a.spendByAccount.get(record.accountId) ?? 0n) + record.priceCharged);
        receipts.push(usageReceiptOf(record, a.deployment));
        targets.push(group.leaves);
      }
      if (!hasher) {
        receipts.forEach((r, i) => targets[i]!.push(usageReceiptLeafBytes(r)));
        continue;
      }
      const job = hasher.hash(receipts).then((packed) => targets.forEach((t, i) => t.push(packed.subarray(i * 32, i * 32 + 32))));
      job.catch(() => {}); // awaited below, in order; this only keeps an early failure from going unhandled
      inFlight.push(job);
      if (inFlight.length >= 2 * threads) await inFlight.shift();
    }
    await Promise.all(inFlight);
  } finally {
    await hasher?.close();
  }
  const out = new Map<Address, DeploymentAggregate>();
  for (const { aggregate, leaves } of groups.values()) {
    out.set(aggregate.deployment, { ...aggregate, usageRoot: standardRootOfPacked(leaves.bytes.subarray(0, leaves.count * 32)) });
  }
  return out;
}
