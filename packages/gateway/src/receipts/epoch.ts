// The epochs usage receipts count in, and when an epoch's usage trees are final. On a chain the clock
// is the chain's EpochClock (the EmissionSchedule's start and day length), so a receipt's epoch is
// the one the keeper reports its revenue and posts its rewards for, final when the keeper closes it
// (the SDK's epochGraceMs after its end); a gateway with no chain counts UTC days. The epoch
// arithmetic is the SDK's (epochOf, epochWindowMs, epochGraceMs).
import { epochGraceMs, epochOf, epochWindowMs, type EpochClock } from "@fomo/sdk";
import type { Address } from "viem";
import { windowUsage, type DeploymentUsage, type Ledger } from "@fomo/ledger";

/**
 * The epoch of a record settled at `ms` (epoch ms), or null when that is before the clock's start:
 * usage no epoch holds, which the keeper never reports.
 */
export function epochOfMs(clock: EpochClock, ms: number): bigint | null {
  const seconds = BigInt(Math.floor(ms / 1_000));
  return seconds < clock.start ? null : epochOf(clock, seconds);
}

/** True once no more usage can be recorded in `epoch`: its end and its grace (10 minutes a day of epoch) are past. */
export const epochIsFinal = (clock: EpochClock, epoch: bigint, nowMs: number): boolean =>
  nowMs >= epochWindowMs(clock, epoch).toMs + epochGraceMs(clock);

/** Every deployment's usage in `epoch`, keyed by the receipts' (checksummed) deployment address. */
export function epochUsage(ledger: Ledger, clock: EpochClock, epoch: bigint): Promise<Map<Address, DeploymentUsage>> {
  return windowUsage(ledger, epochWindowMs(clock, epoch));
}
