// The usage trees of an epoch (UTC day), one per deployment: the `usageRoot` the keeper commits with
// RevenueRouter.reportRevenue(epoch, mt, gross, hardCost, usageRoot), and the proofs users check.
import { USAGE_EPOCH_SECONDS } from "@fomo/sdk";
import type { Address } from "viem";
import { windowUsage, type DeploymentUsage, type Ledger } from "@fomo/ledger";

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

/** Every deployment's usage in `epoch` (a UTC day), keyed by the receipts' (checksummed) deployment address. */
export function epochUsage(ledger: Ledger, epoch: number): Promise<Map<Address, DeploymentUsage>> {
  return windowUsage(ledger, { fromMs: epoch * EPOCH_MS, toMs: (epoch + 1) * EPOCH_MS });
}
