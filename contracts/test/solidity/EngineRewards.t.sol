// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {LocalToken} from "../../contracts/local/LocalToken.sol";
import {EmissionSchedule} from "../../contracts/rewards/EmissionSchedule.sol";
import {RewardsDistributor} from "../../contracts/rewards/RewardsDistributor.sol";

import {Handler} from "./engine/Handler.sol";
import {RewardsTree} from "./engine/RewardsTree.sol";
import {InvariantTest} from "./utils/Test.sol";

/// @dev Drives RewardsDistributor as keeper, guardian, funders, claimers and a thief holding a
/// leaked keeper key, over a fixed set of 4 accounts and 2 tokens (FLOCK, which also receives
/// emissions, and USDC): 8 leaves per tree. Account 3 is the thief: honest roots never give it
/// anything. The handler keeps the keeper's books of the live and the pending root (each leaf's
/// cumulative amount), lets time pass through the challenge delay, sometimes allots less than the
/// leaves promise or tries to emit above the schedule, and tracks every token that reached or left
/// the distributor.
contract RewardsHandler is Handler {
    uint256 public constant ACCOUNTS = 4;
    uint256 public constant TOKENS = 2;
    uint256 public constant LEAVES = ACCOUNTS * TOKENS;
    uint256 public constant THIEF = ACCOUNTS - 1;
    /// @notice FLOCK the emission reserve starts with.
    uint256 public constant RESERVE_TOTAL = 20_000_000e18;

    RewardsDistributor public immutable distributor;
    EmissionSchedule public immutable schedule;
    LocalToken public immutable flock;
    LocalToken public immutable usdc;
    address public immutable reserve;

    /// @dev A root as the keeper (or the thief) built it.
    struct Book {
        uint256[LEAVES] cumulative;
        bytes32 root;
        uint64 epoch;
        uint64 liveAt;
        uint256 emissionTotal;
        bool stolen;
    }

    /// @notice The root claims prove against, and the one waiting out its delay (`liveAt == 0`: none).
    Book private _live;
    Book private _pending;

    /// @notice Ghosts: everything that reached the distributor, and everything claims paid out.
    mapping(address token => uint256) public funded;
    mapping(address token => uint256) public paid;
    /// @notice Roots the guardian vetoed, which must never go live.
    mapping(bytes32 root => bool) public vetoed;
    uint256 public vetoes;
    uint256 public activations;
    /// @notice Last seen `claimed` of each leaf and live allotment of each token, to catch a decrease.
    uint256[LEAVES] private _claimedSeen;
    uint256[TOKENS] private _allottedSeen;

    constructor(RewardsDistributor distributor_, EmissionSchedule schedule_, LocalToken flock_, LocalToken usdc_, address reserve_) {
        distributor = distributor_;
        schedule = schedule_;
        flock = flock_;
        usdc = usdc_;
        reserve = reserve_;
    }

    function account(uint256 i) public pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("rewards account", i)))));
    }

    function tokenAt(uint256 t) public view returns (LocalToken) {
        return t == 0 ? flock : usdc;
    }

    /// @notice Leaf `i` pays account i / TOKENS in token i % TOKENS.
    function leafOwner(uint256 i) public view returns (address, address) {
        return (account(i / TOKENS), address(tokenAt(i % TOKENS)));
    }

    /// @notice Leaf `i`'s cumulative amount in the live root.
    function cumulative(uint256 i) external view returns (uint256) {
        return _live.cumulative[i];
    }

    function live() external view returns (bool started, uint64 epoch, uint256 emissionTotal) {
        return (_live.liveAt != 0, _live.epoch, _live.emissionTotal);
    }

    /// @notice FLOCK the reserve has paid so far: the pending root's emission while there is one.
    function emissionHeld() public view returns (uint256) {
        return _pending.liveAt != 0 ? _pending.emissionTotal : _live.emissionTotal;
    }

    /// @dev Per-token scale: FLOCK has 18 decimals, USDC 6.
    function _unit(uint256 t) private pure returns (uint256) {
        return t == 0 ? 1e18 : 1e6;
    }

    // ---------------------------------------------------------------- actions

    /// @notice Someone (an incentive pool, the treasury) sends tokens to the distributor.
    function fund(uint256 tokenSeed, uint256 amount) external {
        _sync();
        uint256 t = tokenSeed % TOKENS;
        amount = bound(amount, 1, 1_000_000 * _unit(t));
        tokenAt(t).mint(address(distributor), amount);
        funded[address(tokenAt(t))] += amount;
        _observe();
    }

    /// @notice Time passes: often less than the challenge delay, sometimes days. Sometimes someone
    /// writes a matured root to the live slots (activate); the views must answer the same either way.
    function warp(uint256 seconds_, bool activate) external {
        uint256 delay = distributor.challengeDelay();
        vm.warp(block.timestamp + (seconds_ % 2 == 0 ? bound(seconds_, 0, 2 * delay) : bound(seconds_, 0, 3 days)));
        _sync();
        if (activate) _call(address(this), address(distributor), abi.encodeCall(RewardsDistributor.activate, ()), "", "activate");
        _observe();
    }

    /// @notice The keeper posts the next root, built on the newest root that is not a theft (the
    /// pending one when honest, else the live one): every honest leaf's cumulative amount grows by
    /// a random amount (often 0), the allotment is the sum of the leaves less an occasional
    /// shortfall, and the cumulative emission is anywhere up to the schedule (occasionally above it).
    function postRoot(uint256 waitSeed, uint256 growSeed, uint256 emissionSeed, uint256 shortfallSeed) external {
        vm.warp(block.timestamp + bound(waitSeed, 0, waitSeed % 2 == 0 ? distributor.challengeDelay() : 3 days));
        _sync();
        (bool open, uint64 epoch) = _nextEpoch();
        if (!open) return;

        Book storage base = _pending.liveAt != 0 && !_pending.stolen ? _pending : _live;
        uint256[LEAVES] memory next;
        for (uint256 i; i < LEAVES; ++i) {
            uint256 r = uint256(keccak256(abi.encode(growSeed, i)));
            bool grows = r % 3 != 0 && i / TOKENS != THIEF;
            next[i] = base.cumulative[i] + (grows ? (r >> 8) % (50_000 * _unit(i % TOKENS)) : 0);
        }
        uint256[] memory totals = new uint256[](TOKENS);
        for (uint256 i; i < LEAVES; ++i) totals[i % TOKENS] += next[i];
        for (uint256 t; t < TOKENS; ++t) {
            // A keeper may allot less than its leaves promise; claims then stop at the allotment.
            if (shortfallSeed % 4 == 0) totals[t] -= uint256(keccak256(abi.encode(shortfallSeed, t))) % (totals[t] / 4 + 1);
            uint256 previous = distributor.allotted(address(tokenAt(t)));
            if (totals[t] < previous) totals[t] = previous;
        }

        uint256 cap = schedule.cumulative(epoch);
        uint256 emissionTotal;
        bytes memory expected;
        if (emissionSeed % 10 == 0) {
            emissionTotal = cap + 1 + emissionSeed % 1e24;
            expected = abi.encodeWithSelector(RewardsDistributor.RewardsDistributorEmissionAboveSchedule.selector, emissionTotal, cap);
        } else {
            emissionTotal = bound(emissionSeed, _live.emissionTotal, cap);
            expected = _underfunded(totals, emissionTotal);
        }
        _postAndRecord(next, epoch, emissionTotal, totals, expected, false);
        _observe();
    }

    /// @notice The thief, with the keeper's key, posts a root giving it every token the
    /// distributor was ever funded with and the whole emission the schedule allows. It cannot
    /// claim before the delay; unless the guardian vetoes in time, the root goes live like any other.
    function postTheft(uint256 waitSeed) external {
        vm.warp(block.timestamp + bound(waitSeed, 0, 1 hours));
        _sync();
        (bool open, uint64 epoch) = _nextEpoch();
        if (!open) return;
        uint256 emissionTotal = schedule.cumulative(epoch);
        uint256[] memory totals = new uint256[](TOKENS);
        uint256[LEAVES] memory next = _live.cumulative;
        for (uint256 t; t < TOKENS; ++t) {
            address token = address(tokenAt(t));
            totals[t] = LocalToken(token).balanceOf(address(distributor)) + distributor.totalClaimed(token);
            if (t == 0) totals[t] = totals[t] + emissionTotal - emissionHeld();
            next[THIEF * TOKENS + t] = totals[t];
        }
        if (_postAndRecord(next, epoch, emissionTotal, totals, "", true)) {
            // Straight away: the thief's proof is against a root that is not live.
            _claimLeafOf(_pending.cumulative, THIEF * TOKENS, account(THIEF),
                abi.encodeWithSelector(RewardsDistributor.RewardsDistributorInvalidProof.selector), "theft claimed before the delay");
        }
        _observe();
    }

    /// @notice The guardian vetoes the pending root (any: a theft or an honest one), or names a root
    /// that is not pending. A veto moves nothing but the pending root's extra emission, back to the
    /// reserve, and changes no live allotment.
    function veto(bool wrongRoot) external {
        _sync();
        bool none = _pending.liveAt == 0 || wrongRoot;
        bytes32 target = none ? keccak256(abi.encode("not posted", block.timestamp)) : _pending.root;
        bytes memory expected = none ? abi.encodeWithSelector(RewardsDistributor.RewardsDistributorNotPending.selector, target) : bytes("");
        uint256 reserveBefore = flock.balanceOf(reserve);
        uint256[TOKENS] memory allottedBefore;
        for (uint256 t; t < TOKENS; ++t) allottedBefore[t] = distributor.allotted(address(tokenAt(t)));
        (bool ok,) = _call(address(this), address(distributor), abi.encodeCall(RewardsDistributor.veto, (target)), expected, "veto");
        if (ok) {
            uint256 returned = _pending.emissionTotal - _live.emissionTotal;
            _checkEq(flock.balanceOf(reserve), reserveBefore + returned, "veto returns the pending emission");
            funded[address(flock)] -= returned;
            if (target != _live.root) vetoed[target] = true; // a repost of the live tree stays live
            ++vetoes;
            _pending.liveAt = 0;
            for (uint256 t; t < TOKENS; ++t) {
                _checkEq(distributor.allotted(address(tokenAt(t))), allottedBefore[t], "veto changes no allotment");
            }
            _check(distributor.pendingRoot().liveAt == 0, "pending root after veto");
        }
        _observe();
    }

    /// @notice A veto that comes too late: the root is past its delay (live), whether or not a
    /// claim, post or activate() has written it to the live slots yet.
    function vetoLate() external {
        _sync();
        if (_live.liveAt == 0 || _pending.liveAt != 0) return; // nothing live yet, or a newer root waits
        _call(address(this), address(distributor), abi.encodeCall(RewardsDistributor.veto, (_live.root)),
            abi.encodeWithSelector(RewardsDistributor.RewardsDistributorChallengeOver.selector, _live.root, uint256(_live.liveAt)), "late veto");
        _observe();
    }

    /// @notice Anyone claims leaf `leafSeed` of the live root with its proof; then repeats the
    /// very same claim, which must pay nothing.
    function claim(uint256 leafSeed, uint256 senderSeed) external {
        _sync();
        uint256 i = leafSeed % LEAVES;
        _claimLeafOf(_live.cumulative, i, account(senderSeed % (ACCOUNTS + 1)), _claimError(i), "claim"); // by a claimer or a stranger
        _observe();
    }

    /// @notice A claim proven against the pending root, before its delay: never paid.
    function claimPending(uint256 leafSeed) external {
        _sync();
        if (_pending.liveAt == 0 || _pending.root == _live.root) return;
        uint256 i = leafSeed % LEAVES;
        _claimLeafOf(_pending.cumulative, i, account(ACCOUNTS), abi.encodeWithSelector(RewardsDistributor.RewardsDistributorInvalidProof.selector),
            "claim of a pending root");
        _observe();
    }

    /// @notice A claim the tree does not contain: more than the leaf's amount, or another
    /// account's amount with this leaf's proof. Always RewardsDistributorInvalidProof, never a payment.
    function claimForged(uint256 leafSeed, uint256 extra, bool otherAccount) external {
        _sync();
        uint256 i = leafSeed % LEAVES;
        (address to, address token) = leafOwner(i);
        uint256 amount = _live.cumulative[i];
        bytes32[] memory proof = RewardsTree.proof(_leaves(_live.cumulative), i);
        if (otherAccount) {
            (to,) = leafOwner((i + TOKENS) % LEAVES);
        } else {
            amount += bound(extra, 1, 1e30);
        }
        _call(address(this), address(distributor), abi.encodeCall(RewardsDistributor.claim, (to, token, amount, proof)),
            abi.encodeWithSelector(RewardsDistributor.RewardsDistributorInvalidProof.selector), "forged claim");
        _observe();
    }

    // ---------------------------------------------------------------- internals

    /// @dev The model's lazy activation: a pending root past its delay is the live one.
    function _sync() private {
        if (_pending.liveAt == 0 || block.timestamp < _pending.liveAt) return;
        _live = _pending;
        _pending.liveAt = 0;
        ++activations;
    }

    /// @dev Today's epoch if a root may be posted for it (after the live epoch); else checks the refusal.
    function _nextEpoch() private returns (bool, uint64) {
        uint64 today = uint64(schedule.dayOf(block.timestamp));
        if (_live.liveAt != 0 && today <= _live.epoch) {
            _post(today, bytes32(0), 0, new uint256[](TOKENS), abi.encodeWithSelector(
                RewardsDistributor.RewardsDistributorEpochNotAfter.selector, today, _live.epoch
            ));
            _observe();
            return (false, today);
        }
        return (true, today);
    }

    function _postAndRecord(
        uint256[LEAVES] memory next,
        uint64 epoch,
        uint256 emissionTotal,
        uint256[] memory totals,
        bytes memory expected,
        bool stolen
    ) private returns (bool ok) {
        bytes32 root = RewardsTree.root(_leaves(next));
        uint256 held = emissionHeld();
        (ok,) = _post(epoch, root, emissionTotal, totals, expected);
        if (!ok) return false;
        _pending = Book(next, root, epoch, uint64(block.timestamp + distributor.challengeDelay()), emissionTotal, stolen);
        vetoed[root] = false; // posted again (the same tree): a new post, with its own delay
        funded[address(flock)] = funded[address(flock)] + emissionTotal - held;
        _checkEq(flock.balanceOf(reserve), RESERVE_TOTAL - emissionTotal, "reserve after post");
        RewardsDistributor.Root memory p = distributor.pendingRoot();
        _check(p.root == root && p.liveAt == _pending.liveAt && p.emissionTotal == emissionTotal, "pending root after post");
        (address[] memory tokens, uint256[] memory stored) = distributor.pendingAllotments();
        if (tokens.length != TOKENS || stored.length != TOKENS) {
            _violate("pending allotments after post"); // recorded, not reverted: a reverting handler call is ignored
            return true;
        }
        for (uint256 t; t < TOKENS; ++t) {
            _check(tokens[t] == address(tokenAt(t)), "pending token");
            _checkEq(stored[t], totals[t], "pending allotment");
        }
    }

    /// @dev Claims leaf `i` of the tree `amounts` and checks the outcome against `expectedErr`;
    /// a paid claim repeated must pay nothing.
    function _claimLeafOf(uint256[LEAVES] memory amounts, uint256 i, address sender, bytes memory expectedErr, string memory what)
        private
    {
        (address to, address token) = leafOwner(i);
        uint256 already = distributor.claimed(to, token);
        uint256 balanceBefore = LocalToken(token).balanceOf(to);
        bytes memory data = abi.encodeCall(
            RewardsDistributor.claim, (to, token, amounts[i], RewardsTree.proof(_leaves(amounts), i))
        );
        (bool ok, bytes memory ret) = _call(sender, address(distributor), data, expectedErr, what);
        if (!ok) return;
        uint256 got = abi.decode(ret, (uint256));
        _checkEq(got, amounts[i] - already, "claim pays the difference");
        _checkEq(LocalToken(token).balanceOf(to) - balanceBefore, got, "claim balance");
        paid[token] += got;
        // The same cumulative amount again: it was paid once, so nothing more.
        bytes memory nothing = abi.encodeWithSelector(RewardsDistributor.RewardsDistributorNothingToClaim.selector, to, token);
        _call(sender, address(distributor), data, nothing, "repeated claim");
    }

    /// @dev What a claim of live leaf `i` at its cumulative amount must do: pay, or revert with this.
    function _claimError(uint256 i) private view returns (bytes memory) {
        (address to, address token) = leafOwner(i);
        uint256 amount = _live.cumulative[i];
        uint256 already = distributor.claimed(to, token);
        if (_live.liveAt == 0) return abi.encodeWithSelector(RewardsDistributor.RewardsDistributorInvalidProof.selector);
        if (amount <= already) return abi.encodeWithSelector(RewardsDistributor.RewardsDistributorNothingToClaim.selector, to, token);
        if (distributor.totalClaimed(token) + amount - already > distributor.allotted(token)) {
            return abi.encodeWithSelector(RewardsDistributor.RewardsDistributorOverAllotment.selector, token);
        }
        return "";
    }

    function _post(uint64 epoch, bytes32 root, uint256 emissionTotal, uint256[] memory totals, bytes memory expected)
        private
        returns (bool, bytes memory)
    {
        address[] memory tokens = new address[](TOKENS);
        for (uint256 t; t < TOKENS; ++t) tokens[t] = address(tokenAt(t));
        bytes32 contentHash = keccak256(abi.encode(epoch, root));
        return _call(address(this), address(distributor), abi.encodeCall(
            RewardsDistributor.postRoot, (epoch, root, contentHash, emissionTotal, tokens, totals)
        ), expected, "postRoot");
    }

    /// @dev The first token whose allotment would exceed what the distributor was funded with
    /// (its balance once the emission held moves to `emissionTotal`, plus what it already paid), if any.
    function _underfunded(uint256[] memory totals, uint256 emissionTotal) private view returns (bytes memory) {
        for (uint256 t; t < TOKENS; ++t) {
            address token = address(tokenAt(t));
            uint256 available = LocalToken(token).balanceOf(address(distributor)) + distributor.totalClaimed(token);
            if (t == 0) available = available + emissionTotal - emissionHeld();
            if (totals[t] > available) {
                return abi.encodeWithSelector(RewardsDistributor.RewardsDistributorUnderfunded.selector, token, totals[t], available);
            }
        }
        return "";
    }

    function _leaves(uint256[LEAVES] memory amounts) private view returns (bytes32[] memory leaves) {
        leaves = new bytes32[](LEAVES);
        for (uint256 i; i < LEAVES; ++i) {
            (address to, address token) = leafOwner(i);
            leaves[i] = RewardsTree.leaf(to, token, amounts[i]);
        }
    }

    /// @dev The distributor's live root is the model's (never a vetoed one, never one younger than
    /// the delay); claimed amounts and live allotments never decrease.
    function _observe() private {
        bytes32 root = distributor.root();
        if (_live.liveAt != 0 && root != _live.root) _violate("live root differs from the model");
        if (_live.liveAt == 0 && distributor.started()) _violate("a root went live before its delay");
        if (vetoed[root] && distributor.started()) _violate("a vetoed root went live");
        for (uint256 i; i < LEAVES; ++i) {
            (address to, address token) = leafOwner(i);
            uint256 c = distributor.claimed(to, token);
            if (c < _claimedSeen[i]) _violate("claimed decreased");
            _claimedSeen[i] = c;
        }
        for (uint256 t; t < TOKENS; ++t) {
            uint256 a = distributor.allotted(address(tokenAt(t)));
            if (a < _allottedSeen[t]) _violate("allotted decreased");
            _allottedSeen[t] = a;
        }
    }
}

/// @dev Property: the distributor pays per token at most what its live root allotted,
/// allots at most what it was funded with, pays each account exactly up to its live cumulative
/// amount, once, and never emits above the schedule; no root is live before its challenge delay,
/// a vetoed root never goes live, and a veto leaves no emission or allotment behind.
contract EngineRewardsInvariantTest is InvariantTest {
    uint256 private constant INITIAL_EMISSION = 50_000e18;
    uint256 private constant CHALLENGE_DELAY = 6 hours;

    RewardsHandler private handler;
    RewardsDistributor private distributor;
    EmissionSchedule private schedule;
    LocalToken private flock;
    LocalToken private usdc;
    address private reserve = makeAddr("emissionReserve");

    function setUp() public {
        flock = new LocalToken("Flock (test)", "FLOCK", 18);
        usdc = new LocalToken("USD Coin (test)", "USDC", 6);
        schedule = new EmissionSchedule(INITIAL_EMISSION, block.timestamp, 1 days);
        distributor = new RewardsDistributor(flock, schedule, reserve, CHALLENGE_DELAY, address(this));
        vm.prank(reserve);
        flock.approve(address(distributor), type(uint256).max);

        handler = new RewardsHandler(distributor, schedule, flock, usdc, reserve);
        flock.mint(reserve, handler.RESERVE_TOTAL());
        distributor.grantRole(distributor.KEEPER_ROLE(), address(handler));
        distributor.grantRole(distributor.GUARDIAN_ROLE(), address(handler));
        // Some incentives have arrived already, so early roots can allot (through the handler, which counts them).
        handler.fund(0, 250_000e18);
        handler.fund(1, 250_000e6);
        bytes4[] memory actions = new bytes4[](9);
        actions[0] = RewardsHandler.fund.selector;
        actions[1] = RewardsHandler.postRoot.selector;
        actions[2] = RewardsHandler.claim.selector;
        actions[3] = RewardsHandler.claimForged.selector;
        actions[4] = RewardsHandler.postTheft.selector;
        actions[5] = RewardsHandler.veto.selector;
        actions[6] = RewardsHandler.vetoLate.selector;
        actions[7] = RewardsHandler.warp.selector;
        actions[8] = RewardsHandler.claimPending.selector;
        targetHandler(address(handler), actions);
    }

    /// @dev One campaign checks every property after every call (a campaign per property would
    /// repeat the same call sequences four times over).
    function invariant_DistributorPaysAtMostFundedEachAmountOnce() public view {
        string memory v = handler.violation();
        assertTrue(bytes(v).length == 0, v);
        _checkPaidAtMostAllottedAtMostFunded();
        _checkClaimsFollowTheLatestCumulative();
        _checkEmissionsWithinSchedule();
    }

    /// @dev Paid <= allotted <= funded per token, and the balance is exactly funded - paid.
    function _checkPaidAtMostAllottedAtMostFunded() private view {
        for (uint256 t; t < handler.TOKENS(); ++t) {
            address token = address(handler.tokenAt(t));
            uint256 paid = distributor.totalClaimed(token);
            assertEq(paid, handler.paid(token), "totalClaimed vs payments seen");
            assertLe(paid, distributor.allotted(token), "paid above the live allotment");
            assertLe(distributor.allotted(token), handler.funded(token), "allotted above funding");
            assertEq(LocalToken(token).balanceOf(address(distributor)), handler.funded(token) - paid, "distributor balance");
        }
    }

    /// @dev Each account got exactly what `claimed` records (so every unit of a cumulative amount
    /// was paid once), and never more than its cumulative amount in the live root.
    function _checkClaimsFollowTheLatestCumulative() private view {
        for (uint256 i; i < handler.LEAVES(); ++i) {
            (address account, address token) = handler.leafOwner(i);
            uint256 claimed = distributor.claimed(account, token);
            assertLe(claimed, handler.cumulative(i), "claimed above the live cumulative");
            assertEq(LocalToken(token).balanceOf(account), claimed, "account balance vs claimed");
        }
    }

    /// @dev Cumulative emissions of the live root stay within the schedule and match the model; the
    /// reserve paid exactly what the distributor holds of them (the pending root's, while one waits).
    function _checkEmissionsWithinSchedule() private view {
        uint256 emitted = distributor.emitted();
        (bool started, uint64 epoch, uint256 liveEmission) = handler.live();
        assertTrue(distributor.started() == started, "started vs model");
        assertEq(emitted, liveEmission, "emitted vs model");
        if (started) assertLe(emitted, schedule.cumulative(distributor.epoch()), "emitted above schedule");
        else assertEq(emitted, 0, "emitted before the first live root");
        if (started) assertEq(distributor.epoch(), epoch, "live epoch vs model");
        assertEq(handler.RESERVE_TOTAL() - flock.balanceOf(reserve), handler.emissionHeld(), "reserve paid the emissions held");
    }
}
