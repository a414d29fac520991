// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {LocalToken} from "../../contracts/local/LocalToken.sol";
import {GmFlock} from "../../contracts/rewards/GmFlock.sol";

import {Test} from "./utils/Test.sol";

/// @dev Property: gmFLOCK minted follows the spec formula for any amount and duration,
/// unlocking returns exactly the locked FLOCK (and only after expiry, only to the owner), and
/// gmFLOCK cannot be transferred.
contract EngineGmFlockTest is Test {
    uint256 private constant MAX_LOCK = 1_000_000_000e18; // all FLOCK ever minted

    LocalToken private flock;
    GmFlock private gm;
    address private alice = makeAddr("alice");
    address private bob = makeAddr("bob");

    function setUp() public {
        flock = new LocalToken("Flock (test)", "FLOCK", 18);
        gm = new GmFlock(flock);
        for (uint256 i; i < 2; ++i) {
            address who = i == 0 ? alice : bob;
            flock.mint(who, 3 * MAX_LOCK);
            vm.prank(who);
            flock.approve(address(gm), type(uint256).max);
        }
    }

    /// @dev research/fomo-spec.md §4.4: m = n for t <= 30 days; m = n · (1 + 2.19 · (t − 30) / 365)
    /// above, i.e. n · (36,500 + 219 · (t − 30)) / 36,500, rounded down.
    function _spec(uint256 n, uint256 t) private pure returns (uint256) {
        if (t <= 30) return n;
        return n * (36_500 + 219 * (t - 30)) / 36_500;
    }

    function _lock(address who, uint256 amount, uint256 daysLocked) private returns (uint256 id) {
        vm.prank(who);
        id = gm.lock(amount, daysLocked);
    }

    function testFuzz_LockMintsTheSpecAmountAndUnlockReturnsTheFlock(uint256 amount, uint256 daysLocked, uint256 late)
        public
    {
        amount = bound(amount, 1, MAX_LOCK);
        daysLocked = bound(daysLocked, 1, 365);
        uint256 expected = _spec(amount, daysLocked);
        assertEq(gm.gmFor(amount, daysLocked), expected, "gmFor");

        uint256 lockedAt = block.timestamp;
        uint256 id = _lock(alice, amount, daysLocked);
        assertEq(gm.balanceOf(alice), expected, "gmFLOCK minted");
        assertEq(gm.totalSupply(), expected, "gmFLOCK supply");
        assertEq(flock.balanceOf(address(gm)), amount, "FLOCK locked");
        (address owner, uint64 unlockAt, uint128 locked, uint128 minted) = gm.locks(id);
        assertEq(owner, alice, "lock owner");
        assertEq(unlockAt, lockedAt + daysLocked * 1 days, "unlock time");
        assertEq(locked, amount, "lock amount");
        assertEq(minted, expected, "lock gm");

        // Not a second early, not by anyone else.
        vm.warp(unlockAt - 1);
        vm.expectRevert(abi.encodeWithSelector(GmFlock.GmFlockStillLocked.selector, id, unlockAt));
        vm.prank(alice);
        gm.unlock(id);
        vm.warp(unlockAt + bound(late, 0, 3_650 days));
        vm.expectRevert(abi.encodeWithSelector(GmFlock.GmFlockNotOwner.selector, id, bob));
        vm.prank(bob);
        gm.unlock(id);

        uint256 before = flock.balanceOf(alice);
        vm.prank(alice);
        assertEq(gm.unlock(id), amount, "unlock returns the amount");
        assertEq(flock.balanceOf(alice) - before, amount, "FLOCK back");
        assertEq(flock.balanceOf(address(gm)), 0, "nothing left locked");
        assertEq(gm.balanceOf(alice), 0, "gmFLOCK burned");
        assertEq(gm.totalSupply(), 0, "gmFLOCK supply after unlock");
        vm.expectRevert(abi.encodeWithSelector(GmFlock.GmFlockNotOwner.selector, id, alice));
        vm.prank(alice);
        gm.unlock(id); // once only
    }

    /// @dev 365 days: 1 + 2.19 · 335 / 365 = 3.01 exactly.
    function testFuzz_A365DayLockGivesThreePointZeroOne(uint256 amount) public view {
        amount = bound(amount, 1, MAX_LOCK);
        assertEq(gm.gmFor(amount, 365), amount * 301 / 100, "m at 365 days");
        assertEq(gm.gmFor(amount, 30), amount, "m at 30 days");
    }

    function testFuzz_DurationOutsideOneTo365DaysReverts(uint256 amount, uint256 daysLocked) public {
        amount = bound(amount, 1, MAX_LOCK);
        daysLocked = daysLocked % 2 == 0 ? 0 : bound(daysLocked, 366, type(uint64).max);
        vm.expectRevert(abi.encodeWithSelector(GmFlock.GmFlockInvalidDuration.selector, daysLocked));
        _lock(alice, amount, daysLocked);
    }

    /// @dev Several locks of two holders: balances are the sums of their locks, and each unlock
    /// returns exactly its own FLOCK and burns exactly its own gmFLOCK.
    function testFuzz_LocksAddUpAndUnlockIndependently(uint256[4] memory amounts, uint256[4] memory durations) public {
        uint256[4] memory ids;
        uint256[2] memory gmOf;
        uint256 total;
        for (uint256 i; i < 4; ++i) {
            amounts[i] = bound(amounts[i], 1, MAX_LOCK);
            durations[i] = bound(durations[i], 1, 365);
            ids[i] = _lock(i % 2 == 0 ? alice : bob, amounts[i], durations[i]);
            gmOf[i % 2] += _spec(amounts[i], durations[i]);
            total += amounts[i];
        }
        assertEq(gm.balanceOf(alice), gmOf[0], "alice gmFLOCK");
        assertEq(gm.balanceOf(bob), gmOf[1], "bob gmFLOCK");
        assertEq(flock.balanceOf(address(gm)), total, "FLOCK locked");

        vm.warp(block.timestamp + 365 days);
        for (uint256 i; i < 4; ++i) {
            address who = i % 2 == 0 ? alice : bob;
            uint256 gmBefore = gm.balanceOf(who);
            uint256 flockBefore = flock.balanceOf(who);
            vm.prank(who);
            gm.unlock(ids[i]);
            assertEq(gmBefore - gm.balanceOf(who), _spec(amounts[i], durations[i]), "gmFLOCK burned by the unlock");
            assertEq(flock.balanceOf(who) - flockBefore, amounts[i], "FLOCK returned by the unlock");
        }
        assertEq(gm.totalSupply(), 0, "all gmFLOCK burned");
        assertEq(flock.balanceOf(address(gm)), 0, "all FLOCK returned");
    }

    function testFuzz_GmFlockIsNonTransferable(uint256 amount, uint256 daysLocked, address to, uint256 value) public {
        amount = bound(amount, 1, MAX_LOCK);
        _lock(alice, amount, bound(daysLocked, 1, 365));
        value = bound(value, 0, gm.balanceOf(alice));
        vm.assume(to != address(0));

        vm.expectRevert(GmFlock.GmFlockNonTransferable.selector);
        vm.prank(alice);
        gm.transfer(to, value);
        // An allowance can be set, but spending it fails: gmFLOCK follows its lock, not its holder.
        vm.prank(alice);
        gm.approve(to, value);
        vm.expectRevert(GmFlock.GmFlockNonTransferable.selector);
        vm.prank(to);
        gm.transferFrom(alice, to, value);
        vm.expectRevert(GmFlock.GmFlockNonTransferable.selector);
        vm.prank(to);
        gm.transferFrom(alice, to, 0); // even a zero transfer
    }
}
