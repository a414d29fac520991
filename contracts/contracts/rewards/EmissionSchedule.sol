// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title EmissionSchedule
/// @notice The global FLOCK emission: `E(d) = E0 · 2^(−d/H)` per day d, H = 180 days of the schedule
/// (product.md §5.2), in fixed point. A day lasts `dayLength` seconds: one day (86,400 s) in
/// production; a local chain may run short days (e.g. 60 s, so the half-life is 3 hours) to see
/// several epochs in minutes. Day d is the protocol's epoch d: the RevenueRouter report epoch and
/// the RewardsDistributor root epoch count in it. The cumulative schedule has a closed form and the
/// daily amount is defined as its difference, so the days sum to the cumulative figure exactly:
/// `C(d) = ⌊E0 · (1 − q^(d+1)) / (1 − q)⌋`, `E(d) = C(d) − C(d − 1)`, `q = 2^(−1/180)`.
/// @dev `q` is a constant computed to 27 decimals (ray); `q^n` by exponentiation by squaring,
/// rounding down at each step. The SDK mirrors this to the wei.
contract EmissionSchedule {
    /// @notice Fixed-point unit of DAILY_DECAY and rpow (27 decimals).
    uint256 public constant RAY = 1e27;
    /// @notice Days of the schedule (of `dayLength` seconds each) over which the daily emission halves.
    uint256 public constant HALF_LIFE_DAYS = 180;
    /// @notice Shortest day the schedule accepts: a day must outlast a few blocks and a keeper's round.
    uint256 public constant MIN_DAY_LENGTH = 1 minutes;
    /// @notice Longest day the schedule accepts: the production day.
    uint256 public constant MAX_DAY_LENGTH = 1 days;
    /// @notice ⌊2^(−1/180) · 10^27⌋.
    uint256 public constant DAILY_DECAY = 996156587220575217647424913;

    /// @notice FLOCK (wei) emitted on day 0.
    uint256 public immutable initialEmission;
    /// @notice Timestamp at which day 0 starts.
    uint256 public immutable start;
    /// @notice Seconds per day: day d covers [start + d·dayLength, start + (d+1)·dayLength).
    uint256 public immutable dayLength;

    /// @notice The timestamp is before the schedule's `start`: it falls in no day.
    error EmissionScheduleNotStarted(uint256 start);
    /// @notice The day length is outside MIN_DAY_LENGTH to MAX_DAY_LENGTH.
    error EmissionScheduleDayLengthOutOfBounds(uint256 dayLength, uint256 min, uint256 max);

    /// @param initialEmission_ FLOCK (wei) emitted on day 0.
    /// @param start_ Timestamp at which day 0 starts.
    /// @param dayLength_ Seconds per day (1 minute to 1 day; production: 1 day).
    constructor(uint256 initialEmission_, uint256 start_, uint256 dayLength_) {
        if (dayLength_ < MIN_DAY_LENGTH || dayLength_ > MAX_DAY_LENGTH) {
            revert EmissionScheduleDayLengthOutOfBounds(dayLength_, MIN_DAY_LENGTH, MAX_DAY_LENGTH);
        }
        initialEmission = initialEmission_;
        start = start_;
        dayLength = dayLength_;
    }

    /// @notice The day (epoch) a timestamp falls in.
    /// @param timestamp A unix time at or after `start`.
    function dayOf(uint256 timestamp) public view returns (uint256) {
        if (timestamp < start) revert EmissionScheduleNotStarted(start);
        return (timestamp - start) / dayLength;
    }

    /// @notice The day running now.
    function today() external view returns (uint256) {
        return dayOf(block.timestamp);
    }

    /// @notice FLOCK emitted over days 0..day, inclusive.
    /// @param day The last day counted.
    function cumulative(uint256 day) public view returns (uint256) {
        return initialEmission * (RAY - rpow(DAILY_DECAY, day + 1)) / (RAY - DAILY_DECAY);
    }

    /// @notice FLOCK emitted on `day`.
    /// @param day The day.
    function emission(uint256 day) external view returns (uint256) {
        return day == 0 ? cumulative(0) : cumulative(day) - cumulative(day - 1);
    }

    /// @notice `x^n` in ray, rounding down at every multiplication.
    /// @param x Base, in ray.
    /// @param n Exponent.
    /// @return z The power, in ray.
    function rpow(uint256 x, uint256 n) public pure returns (uint256 z) {
        z = RAY;
        while (n > 0) {
            if (n & 1 == 1) z = z * x / RAY;
            x = x * x / RAY;
            n >>= 1;
        }
    }
}
