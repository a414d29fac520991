// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

import {ILaunchpad} from "../interfaces/ILaunchpad.sol";

/// @title MtStaking
/// @notice Stake the $MT of a deployment you use: it earns inference discounts and a larger share
/// of rewards (product.md §4, §5.3). Unstaking starts a cooldown during which the amount no longer
/// counts; after it the tokens can be withdrawn. Every change of an account's stake and of the
/// total is checkpointed by timestamp, so anyone can compute the stake at any past moment and the
/// time-weighted stake over a day from chain data.
/// @dev Nothing here can be paused and no role exists: principal always comes back.
contract MtStaking is ReentrancyGuardTransient {
    using Checkpoints for Checkpoints.Trace208;
    using SafeERC20 for IERC20;

    /// @notice Bounds of the cooldown fixed at deployment.
    uint256 public constant MIN_COOLDOWN = 1 days;
    /// @notice Longest cooldown.
    uint256 public constant MAX_COOLDOWN = 30 days;

    /// @notice Unstaked $MT waiting out its cooldown.
    struct Cooldown {
        uint208 amount; // unstaked, waiting
        uint48 releaseAt; // when it can be withdrawn
    }

    /// @notice The launchpad whose graduated $MTs can be staked.
    ILaunchpad public immutable launchpad;
    /// @notice Seconds between unstake and withdraw (7 days by default).
    uint256 public immutable cooldown;

    mapping(address mt => mapping(address account => Checkpoints.Trace208)) private _stakes;
    mapping(address mt => Checkpoints.Trace208) private _totals;
    mapping(address mt => mapping(address account => Cooldown)) private _cooldowns;

    /// @notice `account` staked `amount` of `mt`; its stake is now `stake`.
    event Staked(address indexed mt, address indexed account, uint256 amount, uint256 stake);
    /// @notice `account` unstaked `amount`; withdrawable from `releaseAt`; its stake is now `stake`.
    event Unstaked(address indexed mt, address indexed account, uint256 amount, uint256 stake, uint48 releaseAt);
    /// @notice `account` withdrew `amount` after its cooldown.
    event Withdrawn(address indexed mt, address indexed account, uint256 amount);

    /// @notice The token is not a graduated $MT of this launchpad.
    error MtStakingNotModelToken(address token);
    /// @notice Zero amount.
    error MtStakingZeroAmount();
    /// @notice More than the account's stake.
    error MtStakingInsufficientStake(uint256 stake, uint256 amount);
    /// @notice The cooldown has not ended.
    error MtStakingCoolingDown(uint48 releaseAt);
    /// @notice Nothing is waiting to be withdrawn.
    error MtStakingNothingToWithdraw();
    /// @notice A constructor parameter is outside its bounds.
    error MtStakingInvalidParameter(string param);

    /// @param launchpad_ The launchpad whose graduated $MTs can be staked.
    /// @param cooldown_ Seconds between unstake and withdraw (1 to 30 days).
    constructor(ILaunchpad launchpad_, uint256 cooldown_) {
        if (cooldown_ < MIN_COOLDOWN || cooldown_ > MAX_COOLDOWN) revert MtStakingInvalidParameter("cooldown");
        launchpad = launchpad_;
        cooldown = cooldown_;
    }

    /// @notice Stakes `amount` of `mt` from the caller (needs allowance or a permit first).
    /// @param mt A graduated $MT.
    /// @param amount $MT staked.
    function stake(address mt, uint256 amount) external nonReentrant {
        if (amount == 0) revert MtStakingZeroAmount();
        if (launchpad.stateOf(mt) != ILaunchpad.State.Graduated) revert MtStakingNotModelToken(mt);
        uint256 newStake = _move(mt, msg.sender, amount, true);
        IERC20(mt).safeTransferFrom(msg.sender, address(this), amount);
        emit Staked(mt, msg.sender, amount, newStake);
    }

    /// @notice Stops `amount` of the caller's stake from counting now; it can be withdrawn after the cooldown.
    /// A further unstake adds to what is waiting and restarts the cooldown.
    /// @param mt The $MT.
    /// @param amount $MT unstaked, at most the caller's stake.
    function unstake(address mt, uint256 amount) external nonReentrant {
        if (amount == 0) revert MtStakingZeroAmount();
        uint256 current = _stakes[mt][msg.sender].latest();
        if (amount > current) revert MtStakingInsufficientStake(current, amount);
        uint256 newStake = _move(mt, msg.sender, amount, false);
        Cooldown storage c = _cooldowns[mt][msg.sender];
        uint48 releaseAt = SafeCast.toUint48(block.timestamp + cooldown);
        c.amount += uint208(amount);
        c.releaseAt = releaseAt;
        emit Unstaked(mt, msg.sender, amount, newStake, releaseAt);
    }

    /// @notice Sends the caller what finished its cooldown.
    /// @param mt The $MT.
    /// @return amount $MT sent.
    function withdraw(address mt) external nonReentrant returns (uint256 amount) {
        Cooldown memory c = _cooldowns[mt][msg.sender];
        if (c.amount == 0) revert MtStakingNothingToWithdraw();
        if (block.timestamp < c.releaseAt) revert MtStakingCoolingDown(c.releaseAt);
        delete _cooldowns[mt][msg.sender];
        amount = c.amount;
        IERC20(mt).safeTransfer(msg.sender, amount);
        emit Withdrawn(mt, msg.sender, amount);
    }

    /// @notice Stake of `account` in `mt` now (cooling-down amounts excluded).
    /// @param mt The $MT.
    /// @param account The staker.
    function stakeOf(address mt, address account) external view returns (uint256) {
        return _stakes[mt][account].latest();
    }

    /// @notice Stake of `account` in `mt` at the end of timestamp `timestamp`.
    /// @param mt The $MT.
    /// @param account The staker.
    /// @param timestamp A unix time.
    function stakeAt(address mt, address account, uint48 timestamp) external view returns (uint256) {
        return _stakes[mt][account].upperLookupRecent(timestamp);
    }

    /// @notice Total counted stake in `mt` now.
    /// @param mt The $MT.
    function totalStaked(address mt) external view returns (uint256) {
        return _totals[mt].latest();
    }

    /// @notice Total counted stake in `mt` at the end of timestamp `timestamp`.
    /// @param mt The $MT.
    /// @param timestamp A unix time.
    function totalStakedAt(address mt, uint48 timestamp) external view returns (uint256) {
        return _totals[mt].upperLookupRecent(timestamp);
    }

    /// @notice What `account` has cooling down in `mt`, and when it is released.
    /// @param mt The $MT.
    /// @param account The staker.
    function cooldownOf(address mt, address account) external view returns (Cooldown memory) {
        return _cooldowns[mt][account];
    }

    /// @notice Number of stake checkpoints of `account` in `mt` (for indexers walking them).
    /// @param mt The $MT.
    /// @param account The staker.
    function checkpointCount(address mt, address account) external view returns (uint256) {
        return _stakes[mt][account].length();
    }

    /// @notice The `index`-th stake checkpoint of `account` in `mt`: (timestamp, stake from then on).
    /// @param mt The $MT.
    /// @param account The staker.
    /// @param index 0 to checkpointCount - 1.
    function checkpointAt(address mt, address account, uint32 index) external view returns (uint48, uint208) {
        Checkpoints.Checkpoint208 memory c = _stakes[mt][account].at(index);
        return (c._key, c._value);
    }

    function _move(address mt, address account, uint256 amount, bool add) private returns (uint256 newStake) {
        uint48 key = SafeCast.toUint48(block.timestamp);
        Checkpoints.Trace208 storage s = _stakes[mt][account];
        Checkpoints.Trace208 storage t = _totals[mt];
        uint256 delta = SafeCast.toUint208(amount);
        newStake = add ? s.latest() + delta : s.latest() - delta;
        s.push(key, uint208(newStake));
        t.push(key, uint208(add ? t.latest() + delta : t.latest() - delta));
    }
}
