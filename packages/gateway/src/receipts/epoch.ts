// The epochs usage receipts count in, and when an epoch's usage trees are final. On a chain the clock
// is the chain's EpochClock (the EmissionSchedule's start and day length), so a receipt's epoch is
// the one the keeper reports its revenue and posts its rewards for; a gateway with no chain counts
// UTC days. The epoch arithmetic is the SDK's (epochOf, epochWindow): this module only converts it
// to the ledger's milliseconds.
import { epochOf, epochWindow, type EpochClock } from "@fomo/sdk";
import type { Address } from "viem";
import { windowUsage, type DeploymentUsage, type Ledger } from "@fomo/ledger";

/**
 * How long after its end an epoch's tree is taken as final: settles still in flight at the boundary
 * (a record's time is taken just before its transaction commits) and clock skew between gateways.
 * The keeper should not commit an epoch earlier either.
 */
export const EPOCH_GRACE_MS = 10 * 60_000;

/** The created_at range [fromMs, toMs) of the usage records of `epoch`. */
export function epochWindowMs(clock: EpochClock, epoch: bigint): { fromMs: number; toMs: number } {
  const { from, to } = epochWindow(clock, epoch);
  return { fromMs: Number(from) * 1_000, toMs: Number(to) * 1_000 };
}

/**
 * The epoch of a record settled at `ms` (epoch ms), or null when that is before the clock's start:
 * usage no epoch holds, which the keeper never reports.
 */
export function epochOfMs(clock: EpochClock, ms: number): bigint | null {
  const seconds = BigInt(Math.floor(ms / 1_000));
  return seconds < clock.start ? null : epochOf(clock, seconds);
}

/** True once no more usage can be recorded in `epoch`: its end and the grace period are past. */
export const epochIsFinal = (clock: EpochClock, epoch: bigint, nowMs: number): boolean =>
  nowMs >= epochWindowMs(clock, epoch).toMs + EPOCH_GRACE_MS;

/** Every deployment's usage in `epoch`, keyed by the receipts' (checksummed) deployment address. */
export function epochUsage(ledger: Ledger, clock: EpochClock, epoch: bigint): Promise<Map<Address, DeploymentUsage>> {
  return windowUsage(ledger, epochWindowMs(clock, epoch));
}
