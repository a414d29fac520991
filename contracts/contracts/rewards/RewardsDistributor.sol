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
/// @notice Pays the daily rewards of product.md §5.2 by cumulative Merkle claims. Each epoch the keeper
/// posts one root over leaves `(account, token, cumulativeAmount)`, a hash of the epoch's public
/// input data (so anyone can recompute the tree), the cumulative FLOCK emission allotted so far,
/// and the cumulative total allotted per token. A claim pays the difference between the leaf's
/// cumulative amount and what the account already received.
///
/// A posted root is first *pending*: it goes live `challengeDelay` seconds later, and until then the
/// guardian (governance) may veto it. Claims always prove against the newest root past its delay,
/// so a leaked keeper key cannot pay itself before the guardian sees the root.
/// @dev Solvency is enforced here, not trusted to the keeper: a root may allot per token at most
/// what the distributor was funded with, cumulative emissions never exceed the schedule, and the
/// claims paid per token never exceed the live allotment.
///
/// What a pending root changes, and when:
/// - Its FLOCK emission is pulled from the reserve when it is posted (so a reserve that cannot pay
///   fails the keeper's transaction, never a later claim), and is pushed back exactly if the root
///   is vetoed or replaced by one with a lower total. `emitted` counts only live roots.
/// - Its per-token allotments are stored with it and applied only when it goes live; a vetoed or
///   replaced root never touched `allotted`, so the next honest root cannot hit RewardsDistributorAllotmentDecreased.
/// - A newer root replaces (supersedes) a pending one and restarts the delay: roots are cumulative,
///   so nothing is lost, claims only wait longer. A pending root past its delay is live already and
///   is promoted before anything replaces it. A keeper that posts every epoch should therefore post
///   no earlier than the pending root's `liveAt`, or its claims never catch up.
/// - Going live is lazy: the first postRoot, claim or activate() after `liveAt` writes the root to
///   the live slots and emits RootActivated and the Allotted events. The views (`root`, `epoch`,
///   `allotted`...) already answer with the matured root before that write.
contract RewardsDistributor is AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Role that posts roots.
    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");
    /// @notice Role that may veto a pending root: governance, on a path faster than the delay.
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @notice Bounds on the challenge delay: never zero (no review at all), never so long that
    /// rewards are frozen for weeks.
    uint256 public constant MIN_CHALLENGE_DELAY = 1 minutes;
    /// @notice Longest challenge delay.
    uint256 public constant MAX_CHALLENGE_DELAY = 7 days;
    /// @notice Most tokens one root may list: activation writes one slot per token and anyone may
    /// trigger it, and replacing a root rewrites its list, so both stay bounded.
    uint256 public constant MAX_ROOT_TOKENS = 64;

    /// @notice The FLOCK token emissions are paid in.
    IERC20 public immutable flock;
    /// @notice The emission schedule that caps cumulative emissions.
    EmissionSchedule public immutable schedule;
    /// @notice Holds the FLOCK for emissions and has approved this contract.
    address public immutable emissionReserve;
    /// @notice Seconds between a root's posting and the moment claims may use it.
    uint256 public immutable challengeDelay;

    /// @notice A posted root. `liveAt == 0` marks an empty slot (a posted root always has
    /// `liveAt >= challengeDelay > 0`).
    struct Root {
        bytes32 root;
        bytes32 contentHash;
        uint64 epoch;
        uint64 liveAt;
        /// Cumulative FLOCK emission up to this root.
        uint256 emissionTotal;
    }

    /// @dev The last root written to the live slots, and the root waiting out its delay. The
    /// pending slots are marked empty rather than deleted so the next post rewrites non-zero slots.
    Root private _live;
    Root private _pending;
    address[] private _pendingTokens;
    uint256[] private _pendingTotals;

    /// @dev Per token, in one slot (a claim reads and writes both): the cumulative amount the
    /// live root hands out, and the cumulative amount paid by claims.
    struct TokenBook {
        uint128 allotted;
        uint128 claimed;
    }

    mapping(address token => TokenBook) private _books;
    /// @notice Cumulative amount per account and token paid by claims.
    mapping(address account => mapping(address token => uint256)) public claimed;

    /// @notice A root was posted; claims may use it from `liveAt` unless it is vetoed or replaced.
    event RootPosted(uint64 indexed epoch, bytes32 root, bytes32 contentHash, uint256 emitted, uint64 liveAt);
    /// @notice A pending root was replaced by a newer one before it went live.
    event RootSuperseded(uint64 indexed epoch, bytes32 root);
    /// @notice The guardian vetoed a pending root; `emissionReturned` FLOCK went back to the reserve.
    event RootVetoed(uint64 indexed epoch, bytes32 root, uint256 emissionReturned);
    /// @notice A root was written to the live slots (it was claimable from its `liveAt` on).
    event RootActivated(uint64 indexed epoch, bytes32 root, bytes32 contentHash, uint256 emitted);
    /// @notice A token's live cumulative allotment was set (on activation).
    event Allotted(uint64 indexed epoch, address indexed token, uint256 cumulative);
    /// @notice A reward was claimed (paid to `account`, whoever sent the transaction).
    event Claimed(address indexed account, address indexed token, uint256 amount, uint256 cumulative);

    /// @notice The challenge delay is outside MIN_CHALLENGE_DELAY to MAX_CHALLENGE_DELAY.
    error RewardsDistributorChallengeDelayOutOfBounds(uint256 delay, uint256 min, uint256 max);
    /// @notice The epoch is not after the live root's epoch `latest`.
    error RewardsDistributorEpochNotAfter(uint64 epoch, uint64 latest);
    /// @notice The epoch has not begun: `today` is the schedule's current day.
    error RewardsDistributorEpochInFuture(uint64 epoch, uint256 today);
    /// @notice The cumulative emission exceeds the schedule's `cap` up to the epoch.
    error RewardsDistributorEmissionAboveSchedule(uint256 emissionTotal, uint256 cap);
    /// @notice The cumulative emission is below the live root's `emitted`.
    error RewardsDistributorEmissionDecreased(uint256 emissionTotal, uint256 emitted);
    /// @notice The cumulative allotment of `token` is below the live one, `allotted`.
    error RewardsDistributorAllotmentDecreased(address token, uint256 total, uint256 allotted);
    /// @notice The cumulative allotment of `token` exceeds what this contract was `funded` with.
    error RewardsDistributorUnderfunded(address token, uint256 total, uint256 funded);
    /// @notice The tokens and totals lists differ in length.
    error RewardsDistributorLengthMismatch();
    /// @notice A root lists more than `max` tokens.
    error RewardsDistributorTooManyTokens(uint256 count, uint256 max);
    /// @notice `root` is not the pending root.
    error RewardsDistributorNotPending(bytes32 root);
    /// @notice `root` is past its challenge delay (live from `liveAt`): too late to veto.
    error RewardsDistributorChallengeOver(bytes32 root, uint256 liveAt);
    /// @notice The Merkle proof does not match the live root.
    error RewardsDistributorInvalidProof();
    /// @notice `account` was already paid this cumulative amount of `token`.
    error RewardsDistributorNothingToClaim(address account, address token);
    /// @notice The claim would pay more of `token` than the live root allots.
    error RewardsDistributorOverAllotment(address token);

    /// @param flock_ The FLOCK token.
    /// @param schedule_ The emission schedule.
    /// @param emissionReserve_ Holds the emission FLOCK and approves this contract.
    /// @param challengeDelay_ Seconds a root waits before it goes live (1 minute to 7 days).
    /// @param admin Governance.
    constructor(IERC20 flock_, EmissionSchedule schedule_, address emissionReserve_, uint256 challengeDelay_, address admin) {
        if (challengeDelay_ < MIN_CHALLENGE_DELAY || challengeDelay_ > MAX_CHALLENGE_DELAY) {
            revert RewardsDistributorChallengeDelayOutOfBounds(challengeDelay_, MIN_CHALLENGE_DELAY, MAX_CHALLENGE_DELAY);
        }
        flock = flock_;
        schedule = schedule_;
        emissionReserve = emissionReserve_;
        challengeDelay = challengeDelay_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ---------------------------------------------------------------- keeper and guardian

    /// @notice Posts the root of `epoch` (a past or current day, after the live root's epoch) as
    /// pending, replacing any pending root still in its delay. Moves the reserve's FLOCK so this
    /// contract holds exactly `emissionTotal` of emissions (cumulative, capped by the schedule, not
    /// below the live root's), and stores each token's cumulative allotment, which must not fall
    /// below the live one and must be covered by what this contract was funded with.
    /// @param epoch_ The day the root covers.
    /// @param root_ Merkle root over `(account, token, cumulativeAmount)` leaves.
    /// @param contentHash_ Hash of the epoch's public input data.
    /// @param emissionTotal Cumulative FLOCK emission up to this root.
    /// @param tokens Tokens whose cumulative allotment this root sets.
    /// @param totals Their cumulative allotments, in the same order.
    function postRoot(
        uint64 epoch_,
        bytes32 root_,
        bytes32 contentHash_,
        uint256 emissionTotal,
        address[] calldata tokens,
        uint256[] calldata totals
    ) external onlyRole(KEEPER_ROLE) {
        _activateIfDue();
        _checkPost(epoch_, emissionTotal, tokens.length, totals.length);
        uint256 held = _live.emissionTotal;
        if (_pending.liveAt != 0) {
            held = _pending.emissionTotal;
            emit RootSuperseded(_pending.epoch, _pending.root);
        }
        uint64 liveAt = uint64(block.timestamp + challengeDelay);
        _pending = Root(root_, contentHash_, epoch_, liveAt, emissionTotal);
        _moveEmission(held, emissionTotal);
        for (uint256 i; i < tokens.length; ++i) {
            _checkAllotment(tokens[i], totals[i]);
        }
        _pendingTokens = tokens;
        _pendingTotals = totals;
        emit RootPosted(epoch_, root_, contentHash_, emissionTotal, liveAt);
    }

    /// @notice Vetoes the pending root `root_` before it goes live (guardian only): its emission
    /// goes back to the reserve and its allotments are dropped; the live root stays as it was.
    /// Naming the root keeps a veto scheduled through a timelock from hitting a later root.
    /// @param root_ The pending root vetoed.
    function veto(bytes32 root_) external onlyRole(GUARDIAN_ROLE) {
        Root memory p = _pending;
        if (p.liveAt == 0 || p.root != root_) {
            // Already written to the live slots: as late as a matured root not yet written.
            if (_live.liveAt != 0 && _live.root == root_) revert RewardsDistributorChallengeOver(root_, _live.liveAt);
            revert RewardsDistributorNotPending(root_);
        }
        if (block.timestamp >= p.liveAt) revert RewardsDistributorChallengeOver(root_, p.liveAt);
        _pending.liveAt = 0;
        uint256 returned = p.emissionTotal - _live.emissionTotal;
        _moveEmission(p.emissionTotal, _live.emissionTotal);
        emit RootVetoed(p.epoch, root_, returned);
    }

    /// @notice Writes the pending root to the live slots if its delay is over (anyone). Claims and
    /// posts do this on their own; this lets the keeper pay for it instead of the next claimer.
    /// @return activated Whether a root was written live.
    function activate() external returns (bool activated) {
        return _activateIfDue();
    }

    /// @dev The root-level rules of postRoot, against the live root.
    function _checkPost(uint64 epoch_, uint256 emissionTotal, uint256 tokenCount, uint256 totalCount) private view {
        Root memory live = _live;
        if (live.liveAt != 0 && epoch_ <= live.epoch) revert RewardsDistributorEpochNotAfter(epoch_, live.epoch);
        uint256 today = schedule.dayOf(block.timestamp);
        if (epoch_ > today) revert RewardsDistributorEpochInFuture(epoch_, today);
        if (tokenCount != totalCount) revert RewardsDistributorLengthMismatch();
        if (tokenCount > MAX_ROOT_TOKENS) revert RewardsDistributorTooManyTokens(tokenCount, MAX_ROOT_TOKENS);
        uint256 cap = schedule.cumulative(epoch_);
        if (emissionTotal > cap) revert RewardsDistributorEmissionAboveSchedule(emissionTotal, cap);
        if (emissionTotal < live.emissionTotal) revert RewardsDistributorEmissionDecreased(emissionTotal, live.emissionTotal);
    }

    /// @dev Reserve ⇄ this contract, so that the emission held goes from `held` to `target`.
    function _moveEmission(uint256 held, uint256 target) private {
        if (target > held) flock.safeTransferFrom(emissionReserve, address(this), target - held);
        else if (held > target) flock.safeTransfer(emissionReserve, held - target);
    }

    /// @dev Funded = held now + already paid out; the allotment may only grow from the live one,
    /// and only into funds. Both only grow until this root goes live, so the check still holds then.
    function _checkAllotment(address token, uint256 total) private view {
        TokenBook memory book = _books[token];
        if (total < book.allotted) revert RewardsDistributorAllotmentDecreased(token, total, book.allotted);
        uint256 funded = IERC20(token).balanceOf(address(this)) + book.claimed;
        if (total > funded) revert RewardsDistributorUnderfunded(token, total, funded);
        SafeCast.toUint128(total); // so activation can store it unchecked
    }

    function _due() private view returns (bool) {
        uint64 liveAt = _pending.liveAt;
        return liveAt != 0 && block.timestamp >= liveAt;
    }

    function _activateIfDue() private returns (bool) {
        if (!_due()) return false;
        Root memory p = _pending;
        _live = p;
        _pending.liveAt = 0;
        uint256 n = _pendingTokens.length;
        for (uint256 i; i < n; ++i) {
            address token = _pendingTokens[i];
            uint256 total = _pendingTotals[i];
            _books[token].allotted = uint128(total); // fits: checked at post
            emit Allotted(p.epoch, token, total);
        }
        emit RootActivated(p.epoch, p.root, p.contentHash, p.emissionTotal);
        return true;
    }

    // ---------------------------------------------------------------- views

    /// @notice The root claims prove against now (a matured pending root counts, written or not).
    function liveRoot() public view returns (Root memory) {
        return _due() ? _pending : _live;
    }

    /// @notice The root waiting out its delay (all zero if none): it goes live at `liveAt`.
    function pendingRoot() external view returns (Root memory p) {
        if (!_due()) p = _pending;
        if (p.liveAt == 0) delete p;
    }

    /// @notice The tokens and cumulative totals the pending root will allot when it goes live.
    function pendingAllotments() external view returns (address[] memory tokens, uint256[] memory totals) {
        if (_pending.liveAt == 0 || _due()) return (tokens, totals);
        return (_pendingTokens, _pendingTotals);
    }

    /// @notice The live root claims prove against.
    function root() external view returns (bytes32) {
        return liveRoot().root;
    }

    /// @notice The epoch of the live root.
    function epoch() external view returns (uint64) {
        return liveRoot().epoch;
    }

    /// @notice The hash of the data the live root was built from.
    function contentHash() external view returns (bytes32) {
        return liveRoot().contentHash;
    }

    /// @notice Whether any root is live (epoch 0 is a real epoch).
    function started() external view returns (bool) {
        return liveRoot().liveAt != 0;
    }

    /// @notice Cumulative FLOCK emission of the live root (a pending root's extra pull is not counted).
    function emitted() external view returns (uint256) {
        return liveRoot().emissionTotal;
    }

    /// @notice Cumulative amount of `token` that the live root hands out.
    /// @param token The token.
    function allotted(address token) external view returns (uint256 total) {
        total = _books[token].allotted;
        if (!_due()) return total;
        uint256 n = _pendingTokens.length;
        for (uint256 i; i < n; ++i) {
            if (_pendingTokens[i] == token) total = _pendingTotals[i]; // the last listing wins, as on activation
        }
    }

    /// @notice Cumulative amount of `token` paid by claims.
    /// @param token The token.
    function totalClaimed(address token) external view returns (uint256) {
        return _books[token].claimed;
    }

    // ---------------------------------------------------------------- claims

    /// @notice Pays `account` its `token` rewards up to `cumulativeAmount`, proven against the
    /// live root. Anyone may send it; the tokens always go to `account`.
    /// @param account The leaf's account, paid.
    /// @param token The leaf's token.
    /// @param cumulativeAmount The leaf's cumulative amount.
    /// @param proof Merkle proof of the leaf against the live root.
    /// @return amount Paid now: `cumulativeAmount` less what `account` already received.
    function claim(address account, address token, uint256 cumulativeAmount, bytes32[] calldata proof)
        external
        nonReentrant
        returns (uint256 amount)
    {
        _activateIfDue();
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, token, cumulativeAmount))));
        if (!MerkleProof.verifyCalldata(proof, _live.root, leaf)) revert RewardsDistributorInvalidProof();
        uint256 already = claimed[account][token];
        if (cumulativeAmount <= already) revert RewardsDistributorNothingToClaim(account, token);
        amount = cumulativeAmount - already;
        TokenBook storage book = _books[token];
        uint256 paid = book.claimed + amount;
        if (paid > book.allotted) revert RewardsDistributorOverAllotment(token);
        claimed[account][token] = cumulativeAmount;
        book.claimed = uint128(paid); // <= allotted, a uint128
        IERC20(token).safeTransfer(account, amount);
        emit Claimed(account, token, amount, cumulativeAmount);
    }
}
