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

    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");
    uint256 private constant BPS = 10_000;
    /// @notice Hard bounds on the split: buybacks always get at least half of net revenue.
    uint256 public constant MIN_BUYBACK_BPS = 5_000;
    uint256 public constant MAX_ISSUER_YIELD_BPS = 3_000;
    uint256 public constant MAX_TREASURY_BPS = 3_000;

    struct Split {
        uint16 mtBuybackBps; // 5,000
        uint16 issuerYieldBps; // 2,000
        uint16 flockBuybackBps; // 1,500
        uint16 treasuryBps; // 1,500
    }

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

    IERC20 public immutable usdc;
    /// @notice One USD in USDC units (10^decimals), read from the token at deployment.
    uint256 public immutable usdcUnit;
    ILaunchpad public immutable launchpad;
    BuybackExecutor public immutable executor;
    address public treasury;
    address public hostingPayee;
    Split public split;

    mapping(uint64 epoch => mapping(address mt => Report)) private _reports;
    /// @notice Issuer yield of each $MT not yet claimed.
    mapping(address mt => uint256) public yieldOwed;

    /// @notice Revenue of `mt` for `epoch` was reported and routed; `usageRoot` commits to its usage receipts.
    event RevenueReported(
        uint64 indexed epoch, address indexed mt, uint256 gross, bytes32 usageRoot, Routed routed
    );
    event YieldClaimed(address indexed mt, address indexed issuer, uint256 amount);
    event SplitSet(Split split);
    event TreasurySet(address indexed treasury);
    event HostingPayeeSet(address indexed hostingPayee);

    error AlreadyReported(uint64 epoch, address mt);
    error NotModelToken(address mt);
    error ZeroAmount();
    error CostAboveRevenue(uint256 gross, uint256 hardCost);
    error NotIssuer(address mt, address caller);
    error NothingToClaim(address mt);
    error InvalidParameter(string param);

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
    function reportRevenue(uint64 epoch, address mt, uint256 gross, uint256 hardCost, bytes32 usageRoot)
        external
        onlyRole(KEEPER_ROLE)
        nonReentrant
        returns (Routed memory r)
    {
        if (gross == 0) revert ZeroAmount();
        if (hardCost > gross) revert CostAboveRevenue(gross, hardCost);
        Report storage rep = _reports[epoch][mt];
        if (rep.gross != 0) revert AlreadyReported(epoch, mt);
        if (launchpad.stateOf(mt) != ILaunchpad.State.Graduated) revert NotModelToken(mt);
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
    function claimYield(address mt) external nonReentrant returns (uint256 amount) {
        address issuer = launchpad.offering(mt).creator;
        if (msg.sender != issuer) revert NotIssuer(mt, msg.sender);
        amount = yieldOwed[mt];
        if (amount == 0) revert NothingToClaim(mt);
        yieldOwed[mt] = 0;
        usdc.safeTransfer(issuer, amount);
        emit YieldClaimed(mt, issuer, amount);
    }

    /// @notice How `gross` with `hardCost` would be routed under the current split.
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
    function reportOf(uint64 epoch, address mt) external view returns (Report memory) {
        return _reports[epoch][mt];
    }

    function setSplit(Split calldata split_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setSplit(split_);
    }

    function setTreasury(address treasury_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setTreasury(treasury_);
    }

    function setHostingPayee(address hostingPayee_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setHostingPayee(hostingPayee_);
    }

    function _setSplit(Split memory s) private {
        if (uint256(s.mtBuybackBps) + s.issuerYieldBps + s.flockBuybackBps + s.treasuryBps != BPS) {
            revert InvalidParameter("split");
        }
        if (uint256(s.mtBuybackBps) + s.flockBuybackBps < MIN_BUYBACK_BPS) revert InvalidParameter("buybackBps");
        if (s.issuerYieldBps > MAX_ISSUER_YIELD_BPS) revert InvalidParameter("issuerYieldBps");
        if (s.treasuryBps > MAX_TREASURY_BPS) revert InvalidParameter("treasuryBps");
        split = s;
        emit SplitSet(s);
    }

    function _setTreasury(address t) private {
        if (t == address(0)) revert InvalidParameter("treasury");
        treasury = t;
        emit TreasurySet(t);
    }

    function _setHostingPayee(address h) private {
        if (h == address(0)) revert InvalidParameter("hostingPayee");
        hostingPayee = h;
        emit HostingPayeeSet(h);
    }
}
