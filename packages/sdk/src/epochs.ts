// Epochs: how the protocol numbers its time. There is one clock, the EmissionSchedule's: epoch k
// covers unix seconds [start + k·length, start + (k+1)·length), where `start` and `length` are the
// schedule's immutable start and dayLength (getEpochClock reads them). One number k is therefore at
// once the RevenueRouter report epoch (the usage receipts of those seconds), the RewardsDistributor
// root epoch (the distributor refuses an epoch after schedule.dayOf(now)) and the emission day E(k)
// (emission.ts). A gateway with no chain counts UTC days (UTC_DAYS). Every epoch-of-a-time and
// window-of-an-epoch computation lives here; gateway, ledger and keeper derive theirs from it.
import { FomoRejection } from "./errors.ts";
import { EPOCH_SECONDS } from "./params.ts";

/** Seconds in a UTC day: the epochs of a gateway with no chain. */
const DAY_SECONDS = 86_400n;

/**
 * Seconds per emission day in production (EPOCH_SECONDS): the dayLength of every schedule but a
 * local stack's run with short epochs. A chain's own day is its EpochClock's `length`.
 */
export const EMISSION_DAY = BigInt(EPOCH_SECONDS);

/**
 * How epochs are cut: epoch k covers unix seconds [start + k·length, start + (k+1)·length). On a chain
 * it is the EmissionSchedule's (start, dayLength), read by getEpochClock, so one number k is at once
 * the revenue report's epoch, the rewards root's epoch and the emission day; a gateway with no chain
 * uses UTC days.
 */
export interface EpochClock {
  /** Unix seconds epoch 0 starts at. */
  start: bigint;
  /** Seconds per epoch. */
  length: bigint;
}

/** UTC days: epoch k is the UTC day number k. The clock of a gateway with no chain. */
export const UTC_DAYS: EpochClock = { start: 0n, length: DAY_SECONDS };

/** A UTC day in seconds: UTC_DAYS's length. */
export const USAGE_EPOCH_SECONDS = UTC_DAYS.length;

/**
 * The UTC day number of a unix time in seconds: `epochOf(UTC_DAYS, timestamp)`. On a chain, a
 * receipt's epoch is `epochOf(clock, timestamp)` instead.
 *
 * @example
 * usageEpochOf(1_700_000_000n); // 19_675n (2023-11-14)
 */
export const usageEpochOf = (timestamp: bigint): bigint => epochOf(UTC_DAYS, timestamp);

/**
 * The epoch a unix time (seconds) falls in: on a chain's clock, EmissionSchedule.dayOf, and so the
 * newest epoch a rewards root may be posted for at that time. Throws `EmissionScheduleNotStarted`
 * before the clock's start, as the contract reverts.
 *
 * @example
 * epochOf({ start: 1_000n, length: 60n }, 1_130n); // 2n
 * const today = epochOf(await getEpochClock(publicClient, deployments), await chainTime(publicClient));
 */
export function epochOf(clock: EpochClock, timestamp: bigint): bigint {
  if (clock.length <= 0n) throw new RangeError("an epoch must last at least one second");
  if (timestamp < clock.start) throw new FomoRejection("EmissionScheduleNotStarted", [clock.start], `the schedule starts at ${clock.start}`);
  return (timestamp - clock.start) / clock.length;
}

/**
 * The unix seconds [from, to) of `epoch`.
 *
 * @example
 * epochWindow({ start: 1_000n, length: 60n }, 2n); // { from: 1_120n, to: 1_180n }
 */
export function epochWindow(clock: EpochClock, epoch: bigint): { from: bigint; to: bigint } {
  if (epoch < 0n) throw new RangeError("an epoch is never negative");
  const from = clock.start + epoch * clock.length;
  return { from, to: from + clock.length };
}

/**
 * How long after a day-long epoch's end its usage is final: settles still in flight at the boundary
 * (a record's time is taken just before its transaction commits) and clock skew between gateways.
 * The gateway hands out receipts' proofs, and the keeper closes an epoch, no earlier.
 */
export const EPOCH_GRACE_MS = 600_000;
const DAY_MS = 86_400_000n;
/** The shortest grace, for the local stack's short epochs: a settle in flight still lands in its window. */
const MIN_EPOCH_GRACE_MS = 1_000n;

/**
 * How long after its window an epoch's usage is final, in ms: EPOCH_GRACE_MS per day of epoch, so
 * day-long epochs wait 10 minutes and the local stack's short epochs (e.g. 60 s: 417 ms, raised to
 * the 1 s floor) are not held up by a day's margin; rounded up.
 *
 * @example
 * epochGraceMs(UTC_DAYS); // 600_000
 * epochGraceMs({ start: 0n, length: 600n }); // 4_167
 */
export function epochGraceMs(clock: EpochClock): number {
  const proportional = (clock.length * 1_000n * BigInt(EPOCH_GRACE_MS) + DAY_MS - 1n) / DAY_MS;
  return Number(proportional > MIN_EPOCH_GRACE_MS ? proportional : MIN_EPOCH_GRACE_MS);
}

/**
 * `epoch`'s window [fromMs, toMs) in epoch ms, as the ledger stamps usage records (created_at).
 *
 * @example
 * epochWindowMs({ start: 1_000n, length: 60n }, 2n); // { fromMs: 1_120_000, toMs: 1_180_000 }
 */
export function epochWindowMs(clock: EpochClock, epoch: bigint): { fromMs: number; toMs: number } {
  const { from, to } = epochWindow(clock, epoch);
  return { fromMs: Number(from * 1_000n), toMs: Number(to * 1_000n) };
}
