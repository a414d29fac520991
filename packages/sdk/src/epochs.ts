// Epochs: how the protocol numbers its days. Two numberings exist, both a day (86,400 s) long, and
// mixing them up would post a root or a report for the wrong day:
//   - the usage epoch: the UTC day number, timestamp / 86,400. Usage receipts, the gateway's usage
//     trees and RevenueRouter.reportRevenue(epoch, …) count in it (docs/api.md#usage-receipts).
//   - the emission day: whole days since EmissionSchedule.start (EmissionSchedule.dayOf). The
//     emission (emission.ts) is indexed by it, and a RewardsDistributor root's epoch is one
//     (rewards.ts, merkle.ts: the distributor refuses an epoch after schedule.dayOf(now)).
// Every epoch length and epoch-of-a-time function lives here; gateway and keeper derive theirs from it.
import { FomoRejection } from "./errors.ts";

/** Seconds in a day: the length of both the usage epoch and the emission day. */
const DAY_SECONDS = 86_400n;

/** A usage epoch in seconds: the UTC day RevenueRouter reports are made for. */
export const USAGE_EPOCH_SECONDS = DAY_SECONDS;

/**
 * The usage epoch (UTC day number) of a unix time in seconds: the epoch a receipt of that time counts in.
 *
 * @example
 * usageEpochOf(1_700_000_000n); // 19_675n (2023-11-14)
 */
export const usageEpochOf = (timestamp: bigint): bigint => timestamp / USAGE_EPOCH_SECONDS;

/** Seconds per emission day (EmissionSchedule's `1 days`). */
export const EMISSION_DAY = DAY_SECONDS;

/**
 * The emission day `timestamp` falls in for a schedule starting at `start`: EmissionSchedule.dayOf,
 * and so the newest epoch a rewards root may be posted for at that time. Throws `EmissionScheduleNotStarted` before
 * the start, as the contract reverts.
 *
 * @example
 * const { start } = await getEmissionSchedule(publicClient, deployments);
 * emissionDayOf(start + 86_400n, start); // 1n
 */
export function emissionDayOf(timestamp: bigint, start: bigint): bigint {
  if (timestamp < start) throw new FomoRejection("EmissionScheduleNotStarted", [start], `the schedule starts at ${start}`);
  return (timestamp - start) / EMISSION_DAY;
}

/**
 * How epochs are cut: epoch k covers unix seconds [start + k·length, start + (k+1)·length). On a chain
 * it is the EmissionSchedule's (start, day length), so one number k is at once the revenue report's
 * epoch, the rewards root's epoch and the emission day; a gateway with no chain uses UTC days.
 */
export interface EpochClock {
  /** Unix seconds epoch 0 starts at. */
  start: bigint;
  /** Seconds per epoch. */
  length: bigint;
}

/** UTC days: epoch k is the UTC day number k (usageEpochOf). */
export const UTC_DAYS: EpochClock = { start: 0n, length: DAY_SECONDS };

/**
 * The epoch a unix time (seconds) falls in. Throws `EmissionScheduleNotStarted` before the clock's start.
 *
 * @example
 * epochOf({ start: 1_000n, length: 60n }, 1_130n); // 2n
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
