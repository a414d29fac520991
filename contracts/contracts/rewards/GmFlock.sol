// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title GmFlock
/// @notice Lock FLOCK for t days and hold non-transferable gmFLOCK, the input of the rewards
/// multiplier G (product.md §5.2): `m = n` for t <= 30, `m = n · (1 + 2.19 · (t − 30) / 365)` for
/// 30 < t <= 365 (rounded down). The FLOCK comes back, and the gmFLOCK is burned, after expiry.
contract GmFlock is ERC20, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Longest lock, in days.
    uint256 public constant MAX_DAYS = 365;
    /// @notice Locks up to this many days mint gmFLOCK 1:1; longer ones earn the bonus.
    uint256 public constant BONUS_FREE_DAYS = 30;

    /// @notice One lock: its owner, expiry, the FLOCK locked and the gmFLOCK minted for it.
    struct Lock {
        address owner;
        uint64 unlockAt;
        uint128 amount; // FLOCK locked
        uint128 gm; // gmFLOCK minted for it
    }

    /// @notice The FLOCK token locked.
    IERC20 public immutable flock;
    /// @notice Id of the next lock.
    uint256 public nextLockId;
    /// @notice Every lock by id (deleted once unlocked).
    mapping(uint256 id => Lock) public locks;

    /// @notice `owner` locked `amount` FLOCK until `unlockAt` and received `gm` gmFLOCK.
    event Locked(uint256 indexed id, address indexed owner, uint256 amount, uint256 gm, uint64 unlockAt);
    /// @notice `owner` took back `amount` FLOCK; the lock's `gm` gmFLOCK was burned.
    event Unlocked(uint256 indexed id, address indexed owner, uint256 amount, uint256 gm);

    /// @notice The amount is zero.
    error GmFlockZeroAmount();
    /// @notice A lock lasts 1 to MAX_DAYS days.
    error GmFlockInvalidDuration(uint256 daysLocked);
    /// @notice `caller` does not own lock `id`.
    error GmFlockNotOwner(uint256 id, address caller);
    /// @notice Lock `id` runs until `unlockAt`.
    error GmFlockStillLocked(uint256 id, uint64 unlockAt);
    /// @notice gmFLOCK cannot be transferred.
    error GmFlockNonTransferable();

    /// @param flock_ The FLOCK token.
    constructor(IERC20 flock_) ERC20("Governance-multiplier FLOCK", "gmFLOCK") {
        flock = flock_;
    }

    /// @notice gmFLOCK for locking `amount` FLOCK for `daysLocked` days.
    /// @param amount FLOCK locked.
    /// @param daysLocked 1 to MAX_DAYS.
    function gmFor(uint256 amount, uint256 daysLocked) public pure returns (uint256) {
        if (daysLocked == 0 || daysLocked > MAX_DAYS) revert GmFlockInvalidDuration(daysLocked);
        if (daysLocked <= BONUS_FREE_DAYS) return amount;
        return amount + amount * 219 * (daysLocked - BONUS_FREE_DAYS) / 36_500;
    }

    /// @notice Locks `amount` FLOCK of the caller for `daysLocked` days (1-365) and mints gmFLOCK.
    /// @param amount FLOCK pulled from the caller (needs allowance).
    /// @param daysLocked 1 to MAX_DAYS.
    /// @return id The new lock's id.
    function lock(uint256 amount, uint256 daysLocked) external nonReentrant returns (uint256 id) {
        if (amount == 0) revert GmFlockZeroAmount();
        uint256 gm = gmFor(amount, daysLocked);
        uint64 unlockAt = SafeCast.toUint64(block.timestamp + daysLocked * 1 days);
        id = nextLockId++;
        locks[id] = Lock(msg.sender, unlockAt, SafeCast.toUint128(amount), SafeCast.toUint128(gm));
        flock.safeTransferFrom(msg.sender, address(this), amount);
        _mint(msg.sender, gm);
        emit Locked(id, msg.sender, amount, gm, unlockAt);
    }

    /// @notice After expiry, burns the lock's gmFLOCK and returns its FLOCK to the owner.
    /// @param id The caller's lock.
    /// @return amount FLOCK returned.
    function unlock(uint256 id) external nonReentrant returns (uint256 amount) {
        Lock memory l = locks[id];
        if (l.owner != msg.sender) revert GmFlockNotOwner(id, msg.sender);
        if (block.timestamp < l.unlockAt) revert GmFlockStillLocked(id, l.unlockAt);
        delete locks[id];
        _burn(msg.sender, l.gm);
        amount = l.amount;
        flock.safeTransfer(msg.sender, amount);
        emit Unlocked(id, msg.sender, amount, l.gm);
    }

    /// @dev Mint and burn only: gmFLOCK follows its lock, never its holder's wishes.
    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) revert GmFlockNonTransferable();
        super._update(from, to, value);
    }
}
