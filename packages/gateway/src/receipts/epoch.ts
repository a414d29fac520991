// The usage trees of an epoch (UTC day), one per deployment: the `usageRoot` the keeper commits with
// RevenueRouter.reportRevenue(epoch, mt, gross, hardCost, usageRoot), and the proofs users check.
import { buildUsageTree, USAGE_EPOCH_SECONDS, type UsageTree } from "@fomo/sdk";
import type { Address } from "viem";
import type { Ledger, UsageRecord } from "@fomo/ledger";
import { usageReceiptOf } from "./signer.ts";

/** One epoch in ms: the SDK's usage epoch (a UTC day), the one length receipts, ledger and keeper share. */
export const EPOCH_MS = Number(USAGE_EPOCH_SECONDS) * 1_000;

/**
 * How long after midnight an epoch's tree is taken as final: settles still in flight at midnight
 * (a record's time is taken just before its transaction commits) and clock skew between gateways.
 * The keeper should not commit an epoch earlier either.
 */
export const EPOCH_GRACE_MS = 10 * 60_000;

/** The epoch (UTC day number) of a time in epoch ms. */
export const epochOfMs = (ms: number): number => Math.floor(ms / EPOCH_MS);

/** True once no more usage can be recorded in `epoch`. */
export const epochIsFinal = (epoch: number, nowMs: number): boolean => nowMs >= (epoch + 1) * EPOCH_MS + EPOCH_GRACE_MS;

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
  return { deployment, tree: buildUsageTree(records.map(usageReceiptOf)), gross, hardCost };
}

/** Every deployment's usage in `epoch`, keyed by the receipts' (checksummed) deployment address. */
export async function epochUsage(ledger: Ledger, epoch: number): Promise<Map<Address, DeploymentUsage>> {
  // Addresses compare case-insensitively; the receipt's form (checksummed, or zero for the platform) names the group.
  const groups = new Map<string, UsageRecord[]>();
  for (const record of await ledger.usage.listEpoch(epoch)) {
    const key = record.deployment.toLowerCase();
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(record);
  }
  const usage = [...groups.values()].map((records) => deploymentUsageOf(usageReceiptOf(records[0]!).deployment, records));
  return new Map(usage.map((u) => [u.deployment, u]));
}
