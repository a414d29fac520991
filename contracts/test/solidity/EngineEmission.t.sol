// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {LocalToken} from "../../contracts/local/LocalToken.sol";
import {EmissionSchedule} from "../../contracts/rewards/EmissionSchedule.sol";
import {RewardsDistributor} from "../../contracts/rewards/RewardsDistributor.sol";

import {Test} from "./utils/Test.sol";

/// @dev Property: the emission schedule E(d) = E0 · 2^(−d/180) is cumulative-consistent
/// and monotone, and the distributor never lets posted emissions exceed it. Its days last
/// `dayLength` seconds (1 minute to 1 day): dayOf counts days of that length, and the distributor
/// takes one root per day however short the days are.
contract EngineEmissionTest is Test {
    uint256 private constant E0 = 50_000e18; // INITIAL_EMISSION
    uint256 private constant HALF_LIFE = 180;

    EmissionSchedule private schedule;
    RewardsDistributor private distributor;
    LocalToken private flock;
    address private reserve = makeAddr("emissionReserve");
    address private keeper = makeAddr("keeper");
    uint256 private start;

    function setUp() public {
        start = block.timestamp;
        schedule = new EmissionSchedule(E0, start, 1 days);
        flock = new LocalToken("Flock (test)", "FLOCK", 18);
        distributor = new RewardsDistributor(flock, schedule, reserve, 1 hours, address(this));
        distributor.grantRole(distributor.KEEPER_ROLE(), keeper);
        // More than the whole schedule can ever emit: E0 / (1 - 2^(-1/180)) < 260 · E0.
        flock.mint(reserve, 300 * E0);
        vm.prank(reserve);
        flock.approve(address(distributor), type(uint256).max);
    }

    /// @dev Day 0 emits E0 exactly.
    function test_DayZeroEmitsE0() public view {
        assertEq(schedule.emission(0), E0, "E(0)");
        assertEq(schedule.cumulative(0), E0, "C(0)");
    }

    /// @dev C never decreases (so E(d) = C(d) − C(d−1) never underflows), up to 200 years out, and
    /// stays below the limit of the geometric series.
    function testFuzz_CumulativeIsMonotoneAndBounded(uint256 day) public view {
        day = bound(day, 1, 73_000);
        uint256 c = schedule.cumulative(day);
        assertGe(c, schedule.cumulative(day - 1), "C(d) >= C(d-1)");
        assertEq(schedule.emission(day), c - schedule.cumulative(day - 1), "E(d) == C(d) - C(d-1)");
        uint256 q = schedule.DAILY_DECAY();
        assertLe(c, E0 * schedule.RAY() / (schedule.RAY() - q), "C(d) below E0 / (1 - q)");
    }

    /// @dev Σ E(d) for d in 0..D equals C(D) exactly, for any D up to three years.
    function testFuzz_DailyEmissionsSumToCumulative(uint256 lastDay) public view {
        lastDay = bound(lastDay, 0, 3 * 365);
        uint256 sum;
        for (uint256 d; d <= lastDay; ++d) sum += schedule.emission(d);
        assertEq(sum, schedule.cumulative(lastDay), "sum of E(0..D) == C(D)");
    }

    /// @dev The half-life: E(d + 180) is half of E(d), up to fixed-point rounding. Each E is a
    /// difference of two floored C values (error < 1 wei) plus the ray rounding of q^n (a ray unit
    /// is worth E0 / (RAY - q) ≈ 0.013 wei), so |2·E(d+180) − E(d)| < 2 + 1 + margin.
    function testFuzz_EmissionHalvesEvery180Days(uint256 day) public view {
        day = bound(day, 0, 10 * 365);
        uint256 e = schedule.emission(day);
        uint256 later = schedule.emission(day + HALF_LIFE);
        uint256 twice = 2 * later;
        uint256 diff = twice > e ? twice - e : e - twice;
        assertLe(diff, 4, "|2 E(d+180) - E(d)| in wei");
    }

    /// @dev For any epoch and any excess, posting a cumulative emission above C(epoch) reverts;
    /// exactly C(epoch) is accepted and pulled from the reserve.
    function testFuzz_DistributorRejectsEmissionAboveSchedule(uint256 epoch, uint256 intoDay, uint256 excess) public {
        epoch = bound(epoch, 0, 10 * 365);
        vm.warp(start + epoch * 1 days + bound(intoDay, 0, 1 days - 1));
        uint256 cap = schedule.cumulative(epoch);
        uint256 emissionTotal = cap + bound(excess, 1, type(uint256).max - cap);

        vm.expectRevert(abi.encodeWithSelector(RewardsDistributor.RewardsDistributorEmissionAboveSchedule.selector, emissionTotal, cap));
        _post(uint64(epoch), emissionTotal);

        _post(uint64(epoch), cap);
        vm.warp(block.timestamp + distributor.challengeDelay()); // emitted counts live roots only
        assertEq(distributor.emitted(), cap, "emitted == cap");
        assertEq(flock.balanceOf(address(distributor)), cap, "distributor received the emission");
        assertEq(flock.balanceOf(reserve), 300 * E0 - cap, "reserve paid the emission");
    }

    /// @dev A later epoch may only add the schedule's increase: C(later) + 1 is refused too.
    function testFuzz_LaterEpochCappedByItsOwnCumulative(uint256 first, uint256 gap, uint256 excess) public {
        first = bound(first, 0, 5 * 365);
        uint256 later = first + bound(gap, 1, 5 * 365);
        vm.warp(start + first * 1 days);
        _post(uint64(first), schedule.cumulative(first));

        vm.warp(start + later * 1 days);
        uint256 cap = schedule.cumulative(later);
        uint256 emissionTotal = cap + bound(excess, 1, 1e30);
        vm.expectRevert(abi.encodeWithSelector(RewardsDistributor.RewardsDistributorEmissionAboveSchedule.selector, emissionTotal, cap));
        _post(uint64(later), emissionTotal);
        _post(uint64(later), cap);
        assertEq(flock.balanceOf(reserve), 300 * E0 - cap, "reserve paid exactly the schedule");
    }

    /// @dev Day d of a schedule of any allowed day length covers [start + d·L, start + (d+1)·L):
    /// its first and last second are in d, the second before it in d − 1.
    function testFuzz_DayOfCountsDaysOfTheScheduleLength(uint256 dayLength, uint256 startAt, uint256 day, uint256 into) public {
        dayLength = bound(dayLength, schedule.MIN_DAY_LENGTH(), schedule.MAX_DAY_LENGTH());
        startAt = bound(startAt, 0, 4e9);
        day = bound(day, 1, 100_000);
        EmissionSchedule s = new EmissionSchedule(E0, startAt, dayLength);
        assertEq(s.dayLength(), dayLength, "dayLength");
        uint256 first = startAt + day * dayLength;
        assertEq(s.dayOf(first + bound(into, 0, dayLength - 1)), day, "a second of day d");
        assertEq(s.dayOf(first + dayLength - 1), day, "the last second of day d");
        assertEq(s.dayOf(first - 1), day - 1, "the second before day d");
        vm.warp(first);
        assertEq(s.today(), day, "today()");
        // The emission is indexed by days, whatever their length.
        assertEq(s.emission(day), schedule.emission(day), "E(d) does not depend on the day length");
    }

    /// @dev A day shorter than a minute or longer than a day is refused, naming the bounds.
    function testFuzz_DayLengthOutOfBoundsRefused(uint256 dayLength, bool tooLong) public {
        uint256 min = schedule.MIN_DAY_LENGTH();
        uint256 max = schedule.MAX_DAY_LENGTH();
        dayLength = tooLong ? bound(dayLength, max + 1, type(uint256).max) : bound(dayLength, 0, min - 1);
        vm.expectRevert(abi.encodeWithSelector(EmissionSchedule.EmissionScheduleDayLengthOutOfBounds.selector, dayLength, min, max));
        new EmissionSchedule(E0, start, dayLength);
    }

    /// @dev On short days (1 minute to 1 hour) the keeper posts a root for each day as it runs, capped
    /// by that day's cumulative emission; each post writes the previous day's matured root live (the
    /// challenge delay, 1 minute, fits in a day), and the next day's root is refused until it begins.
    function testFuzz_DistributorTakesARootPerShortDay(uint256 dayLength, uint256 days_, uint256 into) public {
        dayLength = bound(dayLength, 1 minutes, 1 hours);
        days_ = bound(days_, 2, 40);
        uint256 shortStart = block.timestamp;
        EmissionSchedule s = new EmissionSchedule(E0, shortStart, dayLength);
        RewardsDistributor d = new RewardsDistributor(flock, s, reserve, 1 minutes, address(this));
        d.grantRole(d.KEEPER_ROLE(), keeper);
        vm.prank(reserve);
        flock.approve(address(d), type(uint256).max);
        into = bound(into, 0, dayLength - 1);
        for (uint256 day; day < days_; ++day) {
            // The same point of every day, so each post comes a whole day (>= the delay) after the last.
            vm.warp(shortStart + day * dayLength + into);
            uint256 cap = s.cumulative(day);
            vm.expectRevert(abi.encodeWithSelector(RewardsDistributor.RewardsDistributorEpochInFuture.selector, uint64(day + 1), day));
            _postTo(d, uint64(day + 1), cap);
            _postTo(d, uint64(day), cap);
            assertEq(d.pendingRoot().epoch, day, "the day's root is pending");
            if (day > 0) assertEq(d.epoch(), day - 1, "the previous day's root went live");
        }
        assertEq(flock.balanceOf(address(d)), s.cumulative(days_ - 1), "the distributor holds the emission of every day posted");
    }

    function _post(uint64 epoch, uint256 emissionTotal) private {
        _postTo(distributor, epoch, emissionTotal);
    }

    function _postTo(RewardsDistributor d, uint64 epoch, uint256 emissionTotal) private {
        vm.prank(keeper);
        d.postRoot(epoch, bytes32(0), bytes32(0), emissionTotal, new address[](0), new uint256[](0));
    }
}
