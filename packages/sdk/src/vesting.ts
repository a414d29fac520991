// The protocol's linear releases in bigint, equal to the contracts to the wei: an $MT's incentive stream
// (IncentivePool._vested) and the issuer's operator vesting (OpenZeppelin VestingWalletCliff, as
// OperatorVesting initializes it at graduation). Both round down: never more released than has vested.

/**
 * What a linear stream of `total` from `start` over `duration` seconds has vested at `now`
 * (IncentivePool._vested): ⌊total·elapsed/duration⌋, all of it from the end on, none before the start.
 *
 * @example
 * linearlyVested(180n, 0n, 180n * 86_400n, 86_400n); // 1n: a day of a 180-day stream
 */
export function linearlyVested(total: bigint, start: bigint, duration: bigint, now: bigint): bigint {
  if (now < start) return 0n;
  const elapsed = now - start;
  return elapsed >= duration ? total : (total * elapsed) / duration;
}

/**
 * What the issuer's operator vesting of `total` has vested at `now` (VestingWalletCliff.vestedAmount):
 * nothing before `start + cliff`, then linear from `start` over `duration` (so the cliff releases the
 * days it held back at once), all of it from `start + duration` on.
 *
 * @example
 * operatorVested(365n, 0n, 90n * 86_400n, 365n * 86_400n, 90n * 86_400n); // 90n: the cliff's 90 days at once
 */
export function operatorVested(total: bigint, start: bigint, cliff: bigint, duration: bigint, now: bigint): bigint {
  if (now < start + cliff) return 0n;
  return linearlyVested(total, start, duration, now);
}
