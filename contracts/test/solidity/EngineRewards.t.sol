// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {LocalToken} from "../../contracts/local/LocalToken.sol";
import {EmissionSchedule} from "../../contracts/rewards/EmissionSchedule.sol";
import {RewardsDistributor} from "../../contracts/rewards/RewardsDistributor.sol";

import {HandlerInvariantTest} from "./engine/EngineTest.sol";
import {Handler} from "./engine/Handler.sol";
import {RewardsTree} from "./engine/RewardsTree.sol";

/// @dev Drives RewardsDistributor as keeper, funders and claimers over a fixed set of 4 accounts
/// and 2 tokens (FLOCK, which also receives emissions, and USDC): 8 leaves per tree. It keeps the
/// keeper's books (each leaf's cumulative amount, which only grows), sometimes allots less than the
/// leaves promise or tries to emit above the schedule, and tracks every token that reached or left
/// the distributor.
contract RewardsHandler is Handler {
    uint256 public constant ACCOUNTS = 4;
    uint256 public constant TOKENS = 2;
    uint256 public constant LEAVES = ACCOUNTS * TOKENS;

    RewardsDistributor public immutable distributor;
    EmissionSchedule public immutable schedule;
    LocalToken public immutable flock;
    LocalToken public immutable usdc;

    /// @notice The keeper's books: each leaf's cumulative amount in the latest posted root.
    uint256[LEAVES] public cumulative;
    bool public posted;
    uint64 public lastEpoch;

    /// @notice Ghosts: everything that reached the distributor, and everything claims paid out.
    mapping(address token => uint256) public funded;
    mapping(address token => uint256) public paid;
    /// @notice Last seen `claimed` of each leaf, to catch a decrease.
    uint256[LEAVES] private _claimedSeen;

    constructor(RewardsDistributor distributor_, EmissionSchedule schedule_, LocalToken flock_, LocalToken usdc_) {
        distributor = distributor_;
        schedule = schedule_;
        flock = flock_;
        usdc = usdc_;
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

    /// @dev Per-token scale: FLOCK has 18 decimals, USDC 6.
    function _unit(uint256 t) private pure returns (uint256) {
        return t == 0 ? 1e18 : 1e6;
    }

    // ---------------------------------------------------------------- actions

    /// @notice Someone (an incentive pool, the treasury) sends tokens to the distributor.
    function fund(uint256 tokenSeed, uint256 amount) external {
        uint256 t = tokenSeed % TOKENS;
        amount = bound(amount, 1, 1_000_000 * _unit(t));
        tokenAt(t).mint(address(distributor), amount);
        funded[address(tokenAt(t))] += amount;
        _observe();
    }

    /// @notice The keeper posts the next root: every leaf's cumulative amount grows by a random
    /// amount (often 0), the allotment is the sum of the leaves less an occasional shortfall, and
    /// the cumulative emission is anywhere up to the schedule (occasionally above it).
    function postRoot(uint256 waitSeed, uint256 growSeed, uint256 emissionSeed, uint256 shortfallSeed) external {
        vm.warp(block.timestamp + bound(waitSeed, 0, 3 days));
        uint256 today = schedule.dayOf(block.timestamp);
        if (posted && today <= lastEpoch) {
            _post(uint64(today), bytes32(0), 0, new uint256[](TOKENS), abi.encodeWithSelector(
                RewardsDistributor.EpochNotAfter.selector, uint64(today), lastEpoch
            ));
            _observe();
            return;
        }
        uint64 epoch = uint64(today);

        uint256[LEAVES] memory next;
        for (uint256 i; i < LEAVES; ++i) {
            uint256 r = uint256(keccak256(abi.encode(growSeed, i)));
            next[i] = cumulative[i] + (r % 3 == 0 ? 0 : (r >> 8) % (50_000 * _unit(i % TOKENS)));
        }
        uint256[] memory totals = new uint256[](TOKENS);
        for (uint256 i; i < LEAVES; ++i) totals[i % TOKENS] += next[i];
        for (uint256 t; t < TOKENS; ++t) {
            // A keeper may allot less than its leaves promise; claims then stop at the allotment.
            if (shortfallSeed % 4 == 0) totals[t] -= uint256(keccak256(abi.encode(shortfallSeed, t))) % (totals[t] / 4 + 1);
            uint256 previous = distributor.allotted(address(tokenAt(t)));
            if (totals[t] < previous) totals[t] = previous;
        }

        uint256 emitted = distributor.emitted();
        uint256 cap = schedule.cumulative(epoch);
        uint256 emissionTotal;
        bytes memory expected;
        if (emissionSeed % 10 == 0) {
            emissionTotal = cap + 1 + emissionSeed % 1e24;
            expected = abi.encodeWithSelector(RewardsDistributor.EmissionAboveSchedule.selector, emissionTotal, cap);
        } else {
            emissionTotal = bound(emissionSeed, emitted, cap);
            expected = _underfunded(totals, emissionTotal - emitted);
        }

        bytes32 root = RewardsTree.root(_leaves(next));
        (bool ok,) = _post(epoch, root, emissionTotal, totals, expected);
        if (ok) {
            cumulative = next;
            (posted, lastEpoch) = (true, epoch);
            funded[address(flock)] += emissionTotal - emitted;
            _checkEq(distributor.emitted(), emissionTotal, "emitted after post");
            _check(distributor.root() == root, "root after post");
        }
        _observe();
    }

    /// @notice Anyone claims leaf `leafSeed` of the latest root with its proof; then repeats the
    /// very same claim, which must pay nothing.
    function claim(uint256 leafSeed, uint256 senderSeed) external {
        _claimLeaf(leafSeed % LEAVES, account(senderSeed % (ACCOUNTS + 1))); // by a claimer or a stranger
        _observe();
    }

    /// @notice A claim the tree does not contain: more than the leaf's amount, or another
    /// account's amount with this leaf's proof. Always InvalidProof, never a payment.
    function claimForged(uint256 leafSeed, uint256 extra, bool otherAccount) external {
        uint256 i = leafSeed % LEAVES;
        (address to, address token) = leafOwner(i);
        uint256 amount = cumulative[i];
        bytes32[] memory proof = RewardsTree.proof(_leaves(cumulative), i);
        if (otherAccount) {
            (to,) = leafOwner((i + TOKENS) % LEAVES);
        } else {
            amount += bound(extra, 1, 1e30);
        }
        _call(address(this), address(distributor), abi.encodeCall(RewardsDistributor.claim, (to, token, amount, proof)),
            abi.encodeWithSelector(RewardsDistributor.InvalidProof.selector), "forged claim");
        _observe();
    }

    // ---------------------------------------------------------------- internals

    function _claimLeaf(uint256 i, address sender) private {
        (address to, address token) = leafOwner(i);
        uint256 already = distributor.claimed(to, token);
        uint256 balanceBefore = LocalToken(token).balanceOf(to);
        bytes memory data = abi.encodeCall(
            RewardsDistributor.claim, (to, token, cumulative[i], RewardsTree.proof(_leaves(cumulative), i))
        );
        bytes memory expectedErr = _claimError(i, already);
        (bool ok, bytes memory ret) = _call(sender, address(distributor), data, expectedErr, "claim");
        if (!ok) return;
        uint256 got = abi.decode(ret, (uint256));
        _checkEq(got, cumulative[i] - already, "claim pays the difference");
        _checkEq(LocalToken(token).balanceOf(to) - balanceBefore, got, "claim balance");
        paid[token] += got;
        // The same cumulative amount again: it was paid once, so nothing more.
        bytes memory nothing = abi.encodeWithSelector(RewardsDistributor.NothingToClaim.selector, to, token);
        _call(sender, address(distributor), data, nothing, "repeated claim");
    }

    /// @dev What a claim of leaf `i` at its latest cumulative amount must do: pay, or revert with this.
    function _claimError(uint256 i, uint256 already) private view returns (bytes memory) {
        (address to, address token) = leafOwner(i);
        uint256 amount = cumulative[i];
        if (!posted) return abi.encodeWithSelector(RewardsDistributor.InvalidProof.selector);
        if (amount <= already) return abi.encodeWithSelector(RewardsDistributor.NothingToClaim.selector, to, token);
        if (distributor.totalClaimed(token) + amount - already > distributor.allotted(token)) {
            return abi.encodeWithSelector(RewardsDistributor.OverAllotment.selector, token);
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
    /// (its balance after pulling the emission, plus what it already paid), if any.
    function _underfunded(uint256[] memory totals, uint256 pull) private view returns (bytes memory) {
        for (uint256 t; t < TOKENS; ++t) {
            address token = address(tokenAt(t));
            uint256 available = LocalToken(token).balanceOf(address(distributor)) + distributor.totalClaimed(token);
            if (t == 0) available += pull;
            if (totals[t] > available) {
                return abi.encodeWithSelector(RewardsDistributor.Underfunded.selector, token, totals[t], available);
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

    /// @dev Claimed amounts never decrease.
    function _observe() private {
        for (uint256 i; i < LEAVES; ++i) {
            (address to, address token) = leafOwner(i);
            uint256 c = distributor.claimed(to, token);
            if (c < _claimedSeen[i]) _violate("claimed decreased");
            _claimedSeen[i] = c;
        }
    }
}

/// @dev Issue 3 property: the distributor pays per token at most what it allotted, allots at most
/// what it was funded with, pays each account exactly up to its latest cumulative amount, once,
/// and never emits above the schedule.
contract EngineRewardsInvariantTest is HandlerInvariantTest {
    uint256 private constant INITIAL_EMISSION = 50_000e18;
    uint256 private constant RESERVE = 20_000_000e18;

    RewardsHandler private handler;
    RewardsDistributor private distributor;
    EmissionSchedule private schedule;
    LocalToken private flock;
    LocalToken private usdc;
    address private reserve = makeAddr("emissionReserve");

    function setUp() public {
        flock = new LocalToken("Flock (test)", "FLOCK", 18);
        usdc = new LocalToken("USD Coin (test)", "USDC", 6);
        schedule = new EmissionSchedule(INITIAL_EMISSION, block.timestamp);
        distributor = new RewardsDistributor(flock, schedule, reserve, address(this));
        flock.mint(reserve, RESERVE);
        vm.prank(reserve);
        flock.approve(address(distributor), type(uint256).max);

        handler = new RewardsHandler(distributor, schedule, flock, usdc);
        distributor.grantRole(distributor.KEEPER_ROLE(), address(handler));
        // Some incentives have arrived already, so early roots can allot (through the handler, which counts them).
        handler.fund(0, 250_000e18);
        handler.fund(1, 250_000e6);
        bytes4[] memory actions = new bytes4[](4);
        actions[0] = RewardsHandler.fund.selector;
        actions[1] = RewardsHandler.postRoot.selector;
        actions[2] = RewardsHandler.claim.selector;
        actions[3] = RewardsHandler.claimForged.selector;
        _target(address(handler), actions);
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
            assertLe(paid, distributor.allotted(token), "paid above allotment");
            assertLe(distributor.allotted(token), handler.funded(token), "allotted above funding");
            assertEq(LocalToken(token).balanceOf(address(distributor)), handler.funded(token) - paid, "distributor balance");
        }
    }

    /// @dev Each account got exactly what `claimed` records (so every unit of a cumulative amount
    /// was paid once), and never more than its latest cumulative amount.
    function _checkClaimsFollowTheLatestCumulative() private view {
        for (uint256 i; i < handler.LEAVES(); ++i) {
            (address account, address token) = handler.leafOwner(i);
            uint256 claimed = distributor.claimed(account, token);
            assertLe(claimed, handler.cumulative(i), "claimed above the latest cumulative");
            assertEq(LocalToken(token).balanceOf(account), claimed, "account balance vs claimed");
        }
    }

    /// @dev Cumulative emissions stay within the schedule, and the reserve paid exactly them.
    function _checkEmissionsWithinSchedule() private view {
        uint256 emitted = distributor.emitted();
        if (distributor.started()) assertLe(emitted, schedule.cumulative(distributor.epoch()), "emitted above schedule");
        else assertEq(emitted, 0, "emitted before the first root");
        assertEq(RESERVE - flock.balanceOf(reserve), emitted, "reserve paid the emissions");
    }
}
