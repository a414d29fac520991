// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {ILaunchpad} from "../interfaces/ILaunchpad.sol";
import {BuybackExecutor} from "./BuybackExecutor.sol";
import {StablecoinUnit} from "./StablecoinUnit.sol";

/// @title RevenueRouter
/// @notice Routes each $MT's net inference revenue on-chain (product.md §5.1). Once per (epoch, $MT)
/// the keeper reports gross revenue, hard cost and the root of the epoch's usage receipts, and
/// pays the gross in USDC; the router sends the hard cost to the hosting payee and splits the net
/// by on-chain basis points: $MT buyback & burn, issuer yield (pulled by the issuer), FLOCK
/// buyback & burn, treasury. Rounding remainders go to the treasury, so the parts sum exactly.
/// Amounts are in USDC units as the token defines them (10^decimals per USD, 6 or 18 decimals by
/// chain); the keeper converts the gateway's micro-USD with the SDK (packages/sdk/src/units.ts).
contract RevenueRouter is AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Role that reports revenue (the keeper).
    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");
    uint256 private constant BPS = 10_000;
    /// @notice Hard bounds on the split: buybacks always get at least half of net revenue.
    uint256 public constant MIN_BUYBACK_BPS = 5_000;
    /// @notice Most of net revenue the issuer's yield may get.
    uint256 public constant MAX_ISSUER_YIELD_BPS = 3_000;
    /// @notice Most of net revenue the treasury may get.
    uint256 public constant MAX_TREASURY_BPS = 3_000;

    /// @notice How net revenue is split, in bps summing to 10,000.
    struct Split {
        uint16 mtBuybackBps; // 5,000
        uint16 issuerYieldBps; // 2,000
        uint16 flockBuybackBps; // 1,500
        uint16 treasuryBps; // 1,500
    }

    /// @notice One (epoch, $MT) report.
    struct Report {
        uint128 gross; // USDC units; non-zero once reported
        uint128 hardCost;
        bytes32 usageRoot;
    }

    /// @notice What a report moved.
    struct Routed {
        uint256 hardCost;
        uint256 mtBuyback;
        uint256 issuerYield;
        uint256 flockBuyback;
        uint256 treasury;
    }

    /// @notice The settlement stablecoin revenue is paid in.
    IERC20 public immutable usdc;
    /// @notice One USD in USDC units (10^decimals), read from the token at deployment.
    uint256 public immutable usdcUnit;
    /// @notice The launchpad whose graduated $MTs earn revenue, and which names each one's issuer.
    ILaunchpad public immutable launchpad;
    /// @notice Receives and spends both buyback budgets.
    BuybackExecutor public immutable executor;
    /// @notice Receives the treasury share of net revenue.
    address public treasury;
    /// @notice Receives the hard cost of each report.
    address public hostingPayee;
    /// @notice The current split of net revenue.
    Split public split;

    mapping(uint64 epoch => mapping(address mt => Report)) private _reports;
    /// @notice Issuer yield of each $MT not yet claimed.
    mapping(address mt => uint256) public yieldOwed;

    /// @notice Revenue of `mt` for `epoch` was reported and routed; `usageRoot` commits to its usage receipts.
    event RevenueReported(
        uint64 indexed epoch, address indexed mt, uint256 gross, bytes32 usageRoot, Routed routed
    );
    /// @notice The issuer of `mt` claimed `amount` USDC units of accumulated yield.
    event YieldClaimed(address indexed mt, address indexed issuer, uint256 amount);
    /// @notice The split changed (`oldSplit` is all zero at deployment).
    event SplitUpdated(Split oldSplit, Split newSplit);
    /// @notice The treasury changed (`oldTreasury` is zero at deployment).
    event TreasuryUpdated(address indexed oldTreasury, address indexed newTreasury);
    /// @notice The hosting payee changed (`oldHostingPayee` is zero at deployment).
    event HostingPayeeUpdated(address indexed oldHostingPayee, address indexed newHostingPayee);

    /// @notice Revenue of `mt` for `epoch` was reported already: each (epoch, $MT) is reported once.
    error RevenueRouterAlreadyReported(uint64 epoch, address mt);
    /// @notice `mt` is not a graduated $MT of the launchpad.
    error RevenueRouterNotModelToken(address mt);
    /// @notice The gross revenue is zero.
    error RevenueRouterZeroAmount();
    /// @notice The hard cost exceeds the gross revenue.
    error RevenueRouterCostAboveRevenue(uint256 gross, uint256 hardCost);
    /// @notice `caller` is not the issuer of `mt`.
    error RevenueRouterNotIssuer(address mt, address caller);
    /// @notice `mt` has no issuer yield owed.
    error RevenueRouterNothingToClaim(address mt);
    /// @notice A split or address is outside its bounds; `param` names it.
    error RevenueRouterInvalidParameter(string param);

    /// @param usdc_ The settlement stablecoin (6 to 18 decimals).
    /// @param launchpad_ The launchpad whose graduated $MTs earn revenue.
    /// @param executor_ The buyback executor; must grant this contract FUNDER_ROLE.
    /// @param treasury_ Treasury address.
    /// @param hostingPayee_ Receiver of hard costs.
    /// @param split_ Initial split of net revenue.
    /// @param admin Governance.
    constructor(
        IERC20 usdc_,
        ILaunchpad launchpad_,
        BuybackExecutor executor_,
        address treasury_,
        address hostingPayee_,
        Split memory split_,
        address admin
    ) {
        usdc = usdc_;
        usdcUnit = StablecoinUnit.unitOf(usdc_);
        launchpad = launchpad_;
        executor = executor_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setTreasury(treasury_);
        _setHostingPayee(hostingPayee_);
        _setSplit(split_);
    }

    /// @notice Reports and routes `mt`'s revenue for `epoch`, pulling `gross` USDC from the keeper.
    /// Reverts if this (epoch, $MT) was reported before.
    /// @param epoch The day the revenue was earned.
    /// @param mt The graduated $MT that earned it.
    /// @param gross Gross revenue in USDC units (pulled from the keeper; needs allowance).
    /// @param hardCost Hosting cost in USDC units, at most `gross`.
    /// @param usageRoot Merkle root of the epoch's usage receipts.
    /// @return r Where the gross went.
    function reportRevenue(uint64 epoch, address mt, uint256 gross, uint256 hardCost, bytes32 usageRoot)
        external
        onlyRole(KEEPER_ROLE)
        nonReentrant
        returns (Routed memory r)
    {
        if (gross == 0) revert RevenueRouterZeroAmount();
        if (hardCost > gross) revert RevenueRouterCostAboveRevenue(gross, hardCost);
        Report storage rep = _reports[epoch][mt];
        if (rep.gross != 0) revert RevenueRouterAlreadyReported(epoch, mt);
        if (launchpad.stateOf(mt) != ILaunchpad.State.Graduated) revert RevenueRouterNotModelToken(mt);
        _reports[epoch][mt] = Report(SafeCast.toUint128(gross), uint128(hardCost), usageRoot);

        r = routeOf(gross, hardCost);
        yieldOwed[mt] += r.issuerYield;
        usdc.safeTransferFrom(msg.sender, address(this), gross);
        if (r.hardCost > 0) usdc.safeTransfer(hostingPayee, r.hardCost);
        if (r.mtBuyback + r.flockBuyback > 0) {
            usdc.safeTransfer(address(executor), r.mtBuyback + r.flockBuyback);
            executor.fund(mt, r.mtBuyback, r.flockBuyback);
        }
        if (r.treasury > 0) usdc.safeTransfer(treasury, r.treasury);
        emit RevenueReported(epoch, mt, gross, usageRoot, r);
    }

    /// @notice Pays the issuer of `mt` its accumulated yield. Only the issuer may call.
    /// @param mt The $MT whose yield is claimed.
    /// @return amount USDC units paid.
    function claimYield(address mt) external nonReentrant returns (uint256 amount) {
        address issuer = launchpad.offering(mt).creator;
        if (msg.sender != issuer) revert RevenueRouterNotIssuer(mt, msg.sender);
        amount = yieldOwed[mt];
        if (amount == 0) revert RevenueRouterNothingToClaim(mt);
        yieldOwed[mt] = 0;
        usdc.safeTransfer(issuer, amount);
        emit YieldClaimed(mt, issuer, amount);
    }

    /// @notice How `gross` with `hardCost` would be routed under the current split.
    /// @param gross Gross revenue in USDC units.
    /// @param hardCost Hosting cost in USDC units, at most `gross`.
    /// @return r The parts, which sum to `gross`.
    function routeOf(uint256 gross, uint256 hardCost) public view returns (Routed memory r) {
        Split memory s = split;
        uint256 net = gross - hardCost;
        r.hardCost = hardCost;
        r.mtBuyback = net * s.mtBuybackBps / BPS;
        r.issuerYield = net * s.issuerYieldBps / BPS;
        r.flockBuyback = net * s.flockBuybackBps / BPS;
        r.treasury = net - r.mtBuyback - r.issuerYield - r.flockBuyback;
    }

    /// @notice The report of `mt` for `epoch` (gross 0 if none).
    /// @param epoch The day.
    /// @param mt The $MT.
    function reportOf(uint64 epoch, address mt) external view returns (Report memory) {
        return _reports[epoch][mt];
    }

    /// @notice Sets the split of net revenue, within the hard bounds. Emits SplitUpdated.
    /// @param split_ The new split.
    function setSplit(Split calldata split_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setSplit(split_);
    }

    /// @notice Sets the treasury (not zero). Emits TreasuryUpdated.
    /// @param treasury_ The new treasury.
    function setTreasury(address treasury_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setTreasury(treasury_);
    }

    /// @notice Sets the hosting payee (not zero). Emits HostingPayeeUpdated.
    /// @param hostingPayee_ The new hosting payee.
    function setHostingPayee(address hostingPayee_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setHostingPayee(hostingPayee_);
    }

    function _setSplit(Split memory s) private {
        if (uint256(s.mtBuybackBps) + s.issuerYieldBps + s.flockBuybackBps + s.treasuryBps != BPS) {
            revert RevenueRouterInvalidParameter("split");
        }
        if (uint256(s.mtBuybackBps) + s.flockBuybackBps < MIN_BUYBACK_BPS) revert RevenueRouterInvalidParameter("buybackBps");
        if (s.issuerYieldBps > MAX_ISSUER_YIELD_BPS) revert RevenueRouterInvalidParameter("issuerYieldBps");
        if (s.treasuryBps > MAX_TREASURY_BPS) revert RevenueRouterInvalidParameter("treasuryBps");
        emit SplitUpdated(split, s);
        split = s;
    }

    function _setTreasury(address t) private {
        if (t == address(0)) revert RevenueRouterInvalidParameter("treasury");
        emit TreasuryUpdated(treasury, t);
        treasury = t;
    }

    function _setHostingPayee(address h) private {
        if (h == address(0)) revert RevenueRouterInvalidParameter("hostingPayee");
        emit HostingPayeeUpdated(hostingPayee, h);
        hostingPayee = h;
    }
}
