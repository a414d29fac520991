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

    uint256 public constant MAX_DAYS = 365;
    uint256 public constant BONUS_FREE_DAYS = 30;

    struct Lock {
        address owner;
        uint64 unlockAt;
        uint128 amount; // FLOCK locked
        uint128 gm; // gmFLOCK minted for it
    }

    IERC20 public immutable flock;
    uint256 public nextLockId;
    mapping(uint256 id => Lock) public locks;

    event Locked(uint256 indexed id, address indexed owner, uint256 amount, uint256 gm, uint64 unlockAt);
    event Unlocked(uint256 indexed id, address indexed owner, uint256 amount, uint256 gm);

    error ZeroAmount();
    error InvalidDuration(uint256 daysLocked);
    error NotOwner(uint256 id, address caller);
    error StillLocked(uint256 id, uint64 unlockAt);
    error NonTransferable();

    constructor(IERC20 flock_) ERC20("Governance-multiplier FLOCK", "gmFLOCK") {
        flock = flock_;
    }

    /// @notice gmFLOCK for locking `amount` FLOCK for `daysLocked` days.
    function gmFor(uint256 amount, uint256 daysLocked) public pure returns (uint256) {
        if (daysLocked == 0 || daysLocked > MAX_DAYS) revert InvalidDuration(daysLocked);
        if (daysLocked <= BONUS_FREE_DAYS) return amount;
        return amount + amount * 219 * (daysLocked - BONUS_FREE_DAYS) / 36_500;
    }

    /// @notice Locks `amount` FLOCK of the caller for `daysLocked` days (1-365) and mints gmFLOCK.
    function lock(uint256 amount, uint256 daysLocked) external nonReentrant returns (uint256 id) {
        if (amount == 0) revert ZeroAmount();
        uint256 gm = gmFor(amount, daysLocked);
        uint64 unlockAt = SafeCast.toUint64(block.timestamp + daysLocked * 1 days);
        id = nextLockId++;
        locks[id] = Lock(msg.sender, unlockAt, SafeCast.toUint128(amount), SafeCast.toUint128(gm));
        flock.safeTransferFrom(msg.sender, address(this), amount);
        _mint(msg.sender, gm);
        emit Locked(id, msg.sender, amount, gm, unlockAt);
    }

    /// @notice After expiry, burns the lock's gmFLOCK and returns its FLOCK to the owner.
    function unlock(uint256 id) external nonReentrant returns (uint256 amount) {
        Lock memory l = locks[id];
        if (l.owner != msg.sender) revert NotOwner(id, msg.sender);
        if (block.timestamp < l.unlockAt) revert StillLocked(id, l.unlockAt);
        delete locks[id];
        _burn(msg.sender, l.gm);
        amount = l.amount;
        flock.safeTransfer(msg.sender, amount);
        emit Unlocked(id, msg.sender, amount, l.gm);
    }

    /// @dev Mint and burn only: gmFLOCK follows its lock, never its holder's wishes.
    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) revert NonTransferable();
        super._update(from, to, value);
    }
}
