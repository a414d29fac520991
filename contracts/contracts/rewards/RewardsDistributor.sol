// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {EmissionSchedule} from "./EmissionSchedule.sol";

/// @title RewardsDistributor
/// @notice Pays the daily rewards of FOMO.md §5.2 by cumulative Merkle claims. Each epoch the keeper
/// posts one root over leaves `(account, token, cumulativeAmount)`, a hash of the epoch's public
/// input data (so anyone can recompute the tree), the cumulative FLOCK emission allotted so far,
/// and the cumulative total allotted per token. A claim pays the difference between the leaf's
/// cumulative amount and what the account already received.
/// @dev Solvency is enforced here, not trusted to the keeper: a root may allot per token at most
/// what the distributor was funded with, cumulative emissions never exceed the schedule, and the
/// claims paid per token never exceed the allotment.
contract RewardsDistributor is AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Role that posts roots.
    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");

    IERC20 public immutable flock;
    EmissionSchedule public immutable schedule;
    /// @notice Holds the FLOCK for emissions and has approved this contract.
    address public immutable emissionReserve;

    /// @notice Latest root, its epoch and the hash of the data it was built from.
    bytes32 public root;
    uint64 public epoch;
    bytes32 public contentHash;
    /// @notice Whether any root has been posted (epoch 0 is a real epoch).
    bool public started;
    /// @notice Cumulative FLOCK pulled from the emission reserve.
    uint256 public emitted;
    /// @dev Per token, in one slot (a claim reads and writes both): the cumulative amount the
    /// latest root hands out, and the cumulative amount paid by claims.
    struct TokenBook {
        uint128 allotted;
        uint128 claimed;
    }

    mapping(address token => TokenBook) private _books;
    /// @notice Cumulative amount per account and token paid by claims.
    mapping(address account => mapping(address token => uint256)) public claimed;

    /// @notice A root was posted.
    event RootPosted(uint64 indexed epoch, bytes32 root, bytes32 contentHash, uint256 emitted);
    /// @notice A token's cumulative allotment rose.
    event Allotted(uint64 indexed epoch, address indexed token, uint256 cumulative);
    /// @notice A reward was claimed (paid to `account`, whoever sent the transaction).
    event Claimed(address indexed account, address indexed token, uint256 amount, uint256 cumulative);

    error EpochNotAfter(uint64 epoch, uint64 latest);
    error EpochInFuture(uint64 epoch, uint256 today);
    error EmissionAboveSchedule(uint256 emissionTotal, uint256 cap);
    error EmissionDecreased(uint256 emissionTotal, uint256 emitted);
    error AllotmentDecreased(address token, uint256 total, uint256 allotted);
    error Underfunded(address token, uint256 total, uint256 funded);
    error LengthMismatch();
    error InvalidProof();
    error NothingToClaim(address account, address token);
    error OverAllotment(address token);

    constructor(IERC20 flock_, EmissionSchedule schedule_, address emissionReserve_, address admin) {
        flock = flock_;
        schedule = schedule_;
        emissionReserve = emissionReserve_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Posts the root of `epoch` (a past or current day). Pulls the FLOCK emission up to
    /// `emissionTotal` (cumulative, capped by the schedule) and sets the cumulative allotment of
    /// each token, which must not fall and must be covered by what this contract was funded with.
    function postRoot(
        uint64 epoch_,
        bytes32 root_,
        bytes32 contentHash_,
        uint256 emissionTotal,
        address[] calldata tokens,
        uint256[] calldata totals
    ) external onlyRole(KEEPER_ROLE) {
        if (started && epoch_ <= epoch) revert EpochNotAfter(epoch_, epoch);
        uint256 today = schedule.dayOf(block.timestamp);
        if (epoch_ > today) revert EpochInFuture(epoch_, today);
        if (tokens.length != totals.length) revert LengthMismatch();
        uint256 cap = schedule.cumulative(epoch_);
        if (emissionTotal > cap) revert EmissionAboveSchedule(emissionTotal, cap);
        if (emissionTotal < emitted) revert EmissionDecreased(emissionTotal, emitted);

        uint256 pull = emissionTotal - emitted;
        emitted = emissionTotal;
        (root, epoch, contentHash, started) = (root_, epoch_, contentHash_, true);
        if (pull > 0) flock.safeTransferFrom(emissionReserve, address(this), pull);
        for (uint256 i; i < tokens.length; ++i) {
            _allot(epoch_, tokens[i], totals[i]);
        }
        emit RootPosted(epoch_, root_, contentHash_, emissionTotal);
    }

    /// @dev Funded = held now + already paid out; the allotment may only grow, and only into funds.
    function _allot(uint64 epoch_, address token, uint256 total) private {
        TokenBook storage book = _books[token];
        uint256 previous = book.allotted;
        if (total < previous) revert AllotmentDecreased(token, total, previous);
        uint256 funded = IERC20(token).balanceOf(address(this)) + book.claimed;
        if (total > funded) revert Underfunded(token, total, funded);
        book.allotted = SafeCast.toUint128(total);
        emit Allotted(epoch_, token, total);
    }

    /// @notice Cumulative amount of `token` that the latest root hands out.
    function allotted(address token) external view returns (uint256) {
        return _books[token].allotted;
    }

    /// @notice Cumulative amount of `token` paid by claims.
    function totalClaimed(address token) external view returns (uint256) {
        return _books[token].claimed;
    }

    /// @notice Pays `account` its `token` rewards up to `cumulativeAmount`, proven against the
    /// latest root. Anyone may send it; the tokens always go to `account`.
    function claim(address account, address token, uint256 cumulativeAmount, bytes32[] calldata proof)
        external
        nonReentrant
        returns (uint256 amount)
    {
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, token, cumulativeAmount))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert InvalidProof();
        uint256 already = claimed[account][token];
        if (cumulativeAmount <= already) revert NothingToClaim(account, token);
        amount = cumulativeAmount - already;
        TokenBook storage book = _books[token];
        uint256 paid = book.claimed + amount;
        if (paid > book.allotted) revert OverAllotment(token);
        claimed[account][token] = cumulativeAmount;
        book.claimed = uint128(paid); // <= allotted, a uint128
        IERC20(token).safeTransfer(account, amount);
        emit Claimed(account, token, amount, cumulativeAmount);
    }
}
