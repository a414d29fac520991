// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IncentivePool} from "../../contracts/incentives/IncentivePool.sol";
import {OperatorVesting} from "../../contracts/launch/OperatorVesting.sol";

import {Handler} from "./engine/Handler.sol";
import {LaunchFixture} from "./engine/LaunchFixture.sol";
import {InvariantTest} from "./utils/Test.sol";

/// @dev Time passes and anyone releases, in any order: a graduated $MT's incentive stream
/// (IncentivePool, linear over 180 days to the distributor) and its issuer's OperatorVesting
/// (nothing before the 90-day cliff, then linear from the start over 365 days). After every
/// action it checks that what has vested never decreased and equals the schedule of the spec.
contract ReleaseHandler is Handler {
    IncentivePool public immutable pool;
    OperatorVesting public immutable vesting;
    address public immutable mt;
    IERC20 public immutable flock;
    address public immutable distributor;
    address public immutable issuer;

    uint256 private _lastPoolMt;
    uint256 private _lastPoolFlock;
    uint256 private _lastVested;

    constructor(IncentivePool pool_, OperatorVesting vesting_, address mt_, address distributor_, address issuer_) {
        pool = pool_;
        vesting = vesting_;
        mt = mt_;
        flock = pool_.flock();
        distributor = distributor_;
        issuer = issuer_;
    }

    /// @notice What the wallet vests in all (its balance plus what it released).
    function vestingTotal() public view returns (uint256) {
        return IERC20(mt).balanceOf(address(vesting)) + vesting.released(mt);
    }

    // ---------------------------------------------------------------- actions

    function wait(uint256 secondsSeed) external {
        vm.warp(block.timestamp + bound(secondsSeed, 0, 60 days));
        _observe();
    }

    /// @dev Anyone releases the stream: the distributor gets exactly what was releasable.
    function releasePool(address sender) external {
        (uint256 mtDue, uint256 flockDue) = pool.releasable(mt);
        uint256 mtBefore = IERC20(mt).balanceOf(distributor);
        uint256 flockBefore = flock.balanceOf(distributor);
        (bool ok,) = _call(sender, address(pool), abi.encodeCall(IncentivePool.release, (mt)), "", "pool release");
        if (ok) {
            _checkEq(IERC20(mt).balanceOf(distributor) - mtBefore, mtDue, "pool released MT");
            _checkEq(flock.balanceOf(distributor) - flockBefore, flockDue, "pool released FLOCK");
        }
        _observe();
    }

    /// @dev Anyone releases the vesting wallet's $MT: the issuer gets exactly what was releasable.
    function releaseVesting(address sender) external {
        uint256 due = vesting.releasable(mt);
        uint256 before = IERC20(mt).balanceOf(issuer);
        (bool ok,) = _call(sender, address(vesting), abi.encodeWithSignature("release(address)", mt), "", "vesting release");
        if (ok) _checkEq(IERC20(mt).balanceOf(issuer) - before, due, "vesting released");
        _observe();
    }

    // ---------------------------------------------------------------- internals

    /// @dev Vested = released + releasable, for the stream's two tokens and for the wallet: never
    /// lower than last time, and exactly the spec's schedule now.
    function _observe() private {
        IncentivePool.Stream memory s = pool.stream(mt);
        (uint256 mtDue, uint256 flockDue) = pool.releasable(mt);
        uint256 poolMt = s.mtReleased + mtDue;
        uint256 poolFlock = s.flockReleased + flockDue;
        uint256 elapsed = block.timestamp - s.start;
        _checkEq(poolMt, _linear(s.mtTotal, elapsed, 0, s.duration), "stream MT vested");
        _checkEq(poolFlock, _linear(s.flockTotal, elapsed, 0, s.duration), "stream FLOCK vested");
        _check(poolMt >= _lastPoolMt && poolFlock >= _lastPoolFlock, "stream vesting decreased");
        (_lastPoolMt, _lastPoolFlock) = (poolMt, poolFlock);

        uint256 vested = vesting.vestedAmount(mt, uint64(block.timestamp));
        uint256 since = block.timestamp - vesting.start();
        _checkEq(vested, _linear(vestingTotal(), since, vesting.cliff() - vesting.start(), vesting.duration()), "wallet vested");
        _checkEq(vesting.releasable(mt), vested - vesting.released(mt), "wallet releasable");
        _check(vested >= _lastVested, "wallet vesting decreased");
        _lastVested = vested;
    }

    /// @dev The spec's schedule: nothing before the cliff, then linear from the start, all at the end.
    function _linear(uint256 total, uint256 elapsed, uint256 cliff, uint256 duration) private pure returns (uint256) {
        if (elapsed < cliff) return 0;
        if (elapsed >= duration) return total;
        return total * elapsed / duration;
    }
}

/// @dev Property: incentive streams and operator vesting release monotonically, nothing
/// before the cliff, and completely at the end.
contract EngineReleasesTest is LaunchFixture, InvariantTest {
    uint256 private constant BPS = 10_000;

    address private mt;
    address private distributor = makeAddr("rewardsDistributor");
    OperatorVesting private vesting;
    ReleaseHandler private handler;
    uint256 private graduatedAt;
    // What graduation must have put in, by the default allocation.
    uint256 private mtIncentives;
    uint256 private flockIncentives;
    uint256 private operatorMt;

    function setUp() public {
        _deployLaunchLayer();
        mt = _launchAndGraduate("ALPHA");
        graduatedAt = block.timestamp;
        incentivePool.setDistributor(distributor);
        vesting = OperatorVesting(payable(launchpad.operatorVestingOf(mt)));

        // Incentives: 20% of the supply and 20% of the raise (filled to raiseMax; bought at the base
        // fee, so no anti-snipe surcharge); the issuer vests 10% of the supply.
        mtIncentives = TOTAL_SUPPLY * defaultAllocation().incentivesBps / BPS;
        flockIncentives = uint256(defaultSale().raiseMax) * defaultAllocation().flockIncentivesBps / BPS;
        operatorMt = TOTAL_SUPPLY * defaultAllocation().operatorBps / BPS;
        IncentivePool.Stream memory s = incentivePool.stream(mt);
        assertEq(s.mtTotal, mtIncentives, "stream MT");
        assertEq(s.flockTotal, flockIncentives, "stream FLOCK");
        assertEq(s.duration, defaultAllocation().incentiveDuration, "stream duration");
        assertEq(IERC20(mt).balanceOf(address(vesting)), operatorMt, "operator allocation");
        assertEq(vesting.owner(), issuer, "vesting beneficiary");

        handler = new ReleaseHandler(incentivePool, vesting, mt, distributor, issuer);
        bytes4[] memory actions = new bytes4[](3);
        actions[0] = ReleaseHandler.wait.selector;
        actions[1] = ReleaseHandler.releasePool.selector;
        actions[2] = ReleaseHandler.releaseVesting.selector;
        targetHandler(address(handler), actions);
    }

    function invariant_ReleasesMonotoneAndComplete() public view {
        string memory v = handler.violation();
        assertTrue(bytes(v).length == 0, v);

        IncentivePool.Stream memory s = incentivePool.stream(mt);
        assertEq(IERC20(mt).balanceOf(distributor), s.mtReleased, "distributor MT == released");
        assertEq(flock.balanceOf(distributor), s.flockReleased, "distributor FLOCK == released");
        assertEq(IERC20(mt).balanceOf(address(incentivePool)), mtIncentives - s.mtReleased, "pool holds the rest of the MT");
        assertEq(incentivePool.flockOwed(), flockIncentives - s.flockReleased, "pool owes the rest of the FLOCK");
        assertEq(flock.balanceOf(address(incentivePool)), incentivePool.flockOwed(), "pool holds what it owes");
        (uint256 mtDue, uint256 flockDue) = incentivePool.releasable(mt);
        if (block.timestamp >= s.start + s.duration) {
            assertEq(s.mtReleased + mtDue, mtIncentives, "stream MT complete at the end");
            assertEq(s.flockReleased + flockDue, flockIncentives, "stream FLOCK complete at the end");
        }

        assertEq(IERC20(mt).balanceOf(issuer), vesting.released(mt), "issuer got what was released");
        assertEq(handler.vestingTotal(), operatorMt, "wallet balance + released == allocation");
        if (block.timestamp >= vesting.end()) {
            assertEq(vesting.released(mt) + vesting.releasable(mt), operatorMt, "vesting complete at the end");
        }
    }

    function testFuzz_NothingVestsBeforeTheCliff(uint256 t) public {
        t = bound(t, 0, defaultAllocation().operatorCliff - 1);
        vm.warp(graduatedAt + t);
        assertEq(vesting.vestedAmount(mt, uint64(block.timestamp)), 0, "vested before the cliff");
        assertEq(vesting.releasable(mt), 0, "releasable before the cliff");
        vesting.release(mt);
        assertEq(IERC20(mt).balanceOf(issuer), 0, "issuer balance before the cliff");
        assertEq(IERC20(mt).balanceOf(address(vesting)), operatorMt, "wallet keeps everything");
    }

    /// @dev Releases at any two moments, then at any time after both ends: everyone got exactly
    /// the totals, and nothing more is releasable.
    function testFuzz_ReleasesCompleteAtTheEnd(uint256 t1, uint256 t2, uint256 late) public {
        t1 = bound(t1, 0, 400 days);
        t2 = bound(t2, t1, 400 days);
        _releaseAllAt(graduatedAt + t1);
        _releaseAllAt(graduatedAt + t2);
        _releaseAllAt(graduatedAt + defaultAllocation().operatorDuration + bound(late, 0, 3_650 days));

        assertEq(IERC20(mt).balanceOf(distributor), mtIncentives, "distributor got every incentive MT");
        assertEq(flock.balanceOf(distributor), flockIncentives, "distributor got every incentive FLOCK");
        assertEq(IERC20(mt).balanceOf(address(incentivePool)), 0, "pool MT empty");
        assertEq(incentivePool.flockOwed(), 0, "pool owes nothing");
        assertEq(IERC20(mt).balanceOf(issuer), operatorMt, "issuer got the whole allocation");
        assertEq(IERC20(mt).balanceOf(address(vesting)), 0, "wallet empty");
        (uint256 mtDue, uint256 flockDue) = incentivePool.releasable(mt);
        assertEq(mtDue + flockDue + vesting.releasable(mt), 0, "nothing left to release");
    }

    function _releaseAllAt(uint256 timestamp) private {
        vm.warp(timestamp);
        incentivePool.release(mt);
        vesting.release(mt);
    }
}
