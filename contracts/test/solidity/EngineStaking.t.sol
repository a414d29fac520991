// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {MtStaking} from "../../contracts/staking/MtStaking.sol";

import {Handler} from "./engine/Handler.sol";
import {LaunchFixture} from "./engine/LaunchFixture.sol";
import {InvariantTest} from "./utils/Test.sol";

/// @dev Drives MtStaking with 3 stakers over 2 graduated $MTs: stakes, unstakes (sometimes more
/// than staked), withdrawals (sometimes early) and waits. It keeps its own book of every stake, cooldown
/// and the stake history by timestamp, which the invariants compare with the contract's checkpoints.
contract StakingHandler is Handler {
    uint256 public constant STAKERS = 3;
    uint256 public constant MTS = 2;

    /// @dev A stake from timestamp `at` on (the last change within a timestamp wins).
    struct Point {
        uint48 at;
        uint208 value;
    }

    MtStaking public immutable staking;
    address private immutable _mt0;
    address private immutable _mt1;
    uint256 public immutable cooldown;

    mapping(address mt => mapping(address staker => uint256)) public stakeOf;
    mapping(address mt => mapping(address staker => uint256)) public coolingOf;
    mapping(address mt => mapping(address staker => uint256)) public releaseAtOf;
    mapping(address mt => mapping(address staker => Point[])) private _history;
    mapping(address mt => Point[]) private _totalHistory;

    constructor(MtStaking staking_, address mt0, address mt1) {
        staking = staking_;
        (_mt0, _mt1) = (mt0, mt1);
        cooldown = staking_.cooldown();
    }

    function staker(uint256 i) public pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("staker", i)))));
    }

    function mtAt(uint256 i) public view returns (address) {
        return i == 0 ? _mt0 : _mt1;
    }

    // ---------------------------------------------------------------- actions

    function stake(uint256 stakerSeed, uint256 mtSeed, uint256 amount) external {
        (address who, address mt) = _pick(stakerSeed, mtSeed);
        uint256 balance = IERC20(mt).balanceOf(who);
        amount = bound(amount, 0, balance);
        bytes memory expected = amount == 0 ? abi.encodeWithSelector(MtStaking.MtStakingZeroAmount.selector) : bytes("");
        (bool ok,) = _call(who, address(staking), abi.encodeCall(MtStaking.stake, (mt, amount)), expected, "stake");
        if (!ok) return;
        _checkEq(balance - IERC20(mt).balanceOf(who), amount, "stake took the amount");
        stakeOf[mt][who] += amount;
        _record(mt, who);
    }

    /// @dev Sometimes asks for more than the stake, which must revert.
    function unstake(uint256 stakerSeed, uint256 mtSeed, uint256 amount) external {
        (address who, address mt) = _pick(stakerSeed, mtSeed);
        uint256 current = stakeOf[mt][who];
        amount = bound(amount, 0, current + current / 4 + 1);
        bytes memory expected;
        if (amount == 0) expected = abi.encodeWithSelector(MtStaking.MtStakingZeroAmount.selector);
        else if (amount > current) expected = abi.encodeWithSelector(MtStaking.MtStakingInsufficientStake.selector, current, amount);
        (bool ok,) = _call(who, address(staking), abi.encodeCall(MtStaking.unstake, (mt, amount)), expected, "unstake");
        if (!ok) return;
        stakeOf[mt][who] -= amount; // stops counting at once
        coolingOf[mt][who] += amount;
        releaseAtOf[mt][who] = block.timestamp + cooldown; // a further unstake restarts the cooldown
        _record(mt, who);
    }

    /// @dev Withdraws whatever is cooling down: exactly it after the cooldown, nothing before.
    function withdraw(uint256 stakerSeed, uint256 mtSeed) external {
        (address who, address mt) = _pick(stakerSeed, mtSeed);
        uint256 cooling = coolingOf[mt][who];
        uint256 releaseAt = releaseAtOf[mt][who];
        bytes memory expected;
        if (cooling == 0) expected = abi.encodeWithSelector(MtStaking.MtStakingNothingToWithdraw.selector);
        else if (block.timestamp < releaseAt) expected = abi.encodeWithSelector(MtStaking.MtStakingCoolingDown.selector, uint48(releaseAt));
        uint256 balance = IERC20(mt).balanceOf(who);
        (bool ok, bytes memory ret) =
            _call(who, address(staking), abi.encodeCall(MtStaking.withdraw, (mt)), expected, "withdraw");
        if (!ok) return;
        _checkEq(abi.decode(ret, (uint256)), cooling, "withdrawn amount");
        _checkEq(IERC20(mt).balanceOf(who) - balance, cooling, "withdrawn balance");
        (coolingOf[mt][who], releaseAtOf[mt][who]) = (0, 0);
    }

    function wait(uint256 secondsSeed) external {
        vm.warp(block.timestamp + bound(secondsSeed, 0, 10 days));
    }

    // ---------------------------------------------------------------- the book, for the invariants

    function historyLength(address mt, address who) external view returns (uint256) {
        return _history[mt][who].length;
    }

    function historyAt(address mt, address who, uint256 i) external view returns (Point memory) {
        return _history[mt][who][i];
    }

    function totalHistoryLength(address mt) external view returns (uint256) {
        return _totalHistory[mt].length;
    }

    function totalHistoryAt(address mt, uint256 i) external view returns (Point memory) {
        return _totalHistory[mt][i];
    }

    /// @notice The stake at the end of timestamp `at` by the book.
    function stakeAt(address mt, address who, uint256 at) external view returns (uint256) {
        return _lookup(_history[mt][who], at);
    }

    function totalAt(address mt, uint256 at) external view returns (uint256) {
        return _lookup(_totalHistory[mt], at);
    }

    // ---------------------------------------------------------------- internals

    function _pick(uint256 stakerSeed, uint256 mtSeed) private view returns (address, address) {
        return (staker(stakerSeed % STAKERS), mtAt(mtSeed % MTS));
    }

    /// @dev Records the new stake of `who` and the new total at this timestamp.
    function _record(address mt, address who) private {
        uint256 total;
        for (uint256 i; i < STAKERS; ++i) total += stakeOf[mt][staker(i)];
        _push(_history[mt][who], stakeOf[mt][who]);
        _push(_totalHistory[mt], total);
    }

    function _push(Point[] storage points, uint256 value) private {
        uint48 at = uint48(block.timestamp);
        uint256 n = points.length;
        if (n > 0 && points[n - 1].at == at) points[n - 1].value = uint208(value);
        else points.push(Point(at, uint208(value)));
    }

    function _lookup(Point[] storage points, uint256 at) private view returns (uint256) {
        for (uint256 i = points.length; i > 0; --i) {
            if (points[i - 1].at <= at) return points[i - 1].value;
        }
        return 0;
    }
}

/// @dev Property: staking conserves principal (Σ stakes + Σ cooldowns == the contract's
/// balance, and every staker's tokens are all accounted for), the total is the sum of the stakes,
/// and the checkpoints give the stake at any past timestamp as the history happened.
contract EngineStakingInvariantTest is LaunchFixture, InvariantTest {
    uint256 private constant GRANT = 100_000e18; // $MT each staker gets of each $MT

    MtStaking private staking;
    StakingHandler private handler;

    function setUp() public {
        _deployLaunchLayer();
        address mt0 = _launchAndGraduate("ALPHA");
        address mt1 = _launchAndGraduate("BETA");
        staking = new MtStaking(launchpad, 7 days);
        handler = new StakingHandler(staking, mt0, mt1);
        for (uint256 m; m < handler.MTS(); ++m) {
            IERC20 mt = IERC20(handler.mtAt(m));
            for (uint256 s; s < handler.STAKERS(); ++s) {
                address who = handler.staker(s);
                vm.prank(supporter);
                mt.transfer(who, GRANT);
                vm.prank(who);
                mt.approve(address(staking), type(uint256).max);
            }
        }
        bytes4[] memory actions = new bytes4[](4);
        actions[0] = StakingHandler.stake.selector;
        actions[1] = StakingHandler.unstake.selector;
        actions[2] = StakingHandler.withdraw.selector;
        actions[3] = StakingHandler.wait.selector;
        targetHandler(address(handler), actions);
    }

    /// @dev Only graduated $MTs of this launchpad can be staked.
    function testFuzz_StakeRejectsOtherTokens(address token, uint256 amount) public {
        vm.assume(token != handler.mtAt(0) && token != handler.mtAt(1));
        amount = bound(amount, 1, type(uint128).max);
        vm.expectRevert(abi.encodeWithSelector(MtStaking.MtStakingNotModelToken.selector, token));
        staking.stake(token, amount);
    }

    /// @dev One campaign checks every property after every call.
    function invariant_PrincipalConservedAndCheckpointsMatchHistory() public view {
        string memory v = handler.violation();
        assertTrue(bytes(v).length == 0, v);
        for (uint256 m; m < handler.MTS(); ++m) {
            address mt = handler.mtAt(m);
            _checkPrincipal(mt);
            for (uint256 s; s < handler.STAKERS(); ++s) _checkHistory(mt, handler.staker(s));
            _checkTotalHistory(mt);
        }
    }

    /// @dev Σ stakes + Σ cooldowns == balance; totalStaked == Σ stakeOf; each staker's grant is
    /// entirely in its wallet, its stake or its cooldown; and the contract agrees with the book.
    function _checkPrincipal(address mt) private view {
        uint256 stakes;
        uint256 cooling;
        for (uint256 s; s < handler.STAKERS(); ++s) {
            address who = handler.staker(s);
            uint256 stake = staking.stakeOf(mt, who);
            MtStaking.Cooldown memory c = staking.cooldownOf(mt, who);
            assertEq(stake, handler.stakeOf(mt, who), "stakeOf vs book");
            assertEq(c.amount, handler.coolingOf(mt, who), "cooldown amount vs book");
            assertEq(c.releaseAt, handler.releaseAtOf(mt, who), "cooldown release vs book");
            assertEq(IERC20(mt).balanceOf(who) + stake + c.amount, GRANT, "staker principal");
            stakes += stake;
            cooling += c.amount;
        }
        assertEq(stakes + cooling, IERC20(mt).balanceOf(address(staking)), "stakes + cooldowns == balance");
        assertEq(staking.totalStaked(mt), stakes, "totalStaked == sum of stakes");
    }

    /// @dev The checkpoints are the book's history, and stakeAt answers as it: at each change,
    /// just before it and just after it.
    function _checkHistory(address mt, address who) private view {
        uint256 n = handler.historyLength(mt, who);
        assertEq(staking.checkpointCount(mt, who), n, "checkpoint count");
        for (uint256 i; i < n; ++i) {
            StakingHandler.Point memory p = handler.historyAt(mt, who, i);
            (uint48 at, uint208 value) = staking.checkpointAt(mt, who, uint32(i));
            assertEq(at, p.at, "checkpoint timestamp");
            assertEq(value, p.value, "checkpoint stake");
            for (uint256 t = p.at - 1; t <= p.at + 1; ++t) {
                assertEq(staking.stakeAt(mt, who, uint48(t)), handler.stakeAt(mt, who, t), "stakeAt vs history");
            }
        }
    }

    function _checkTotalHistory(address mt) private view {
        uint256 n = handler.totalHistoryLength(mt);
        for (uint256 i; i < n; ++i) {
            StakingHandler.Point memory p = handler.totalHistoryAt(mt, i);
            for (uint256 t = p.at - 1; t <= p.at + 1; ++t) {
                assertEq(staking.totalStakedAt(mt, uint48(t)), handler.totalAt(mt, t), "totalStakedAt vs history");
            }
        }
    }
}
