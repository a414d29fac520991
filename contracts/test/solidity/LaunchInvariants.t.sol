// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Allocation, SaleTerms} from "../../contracts/launch/Terms.sol";
import {Stack} from "./utils/Fomo.sol";
import {LaunchChecks} from "./utils/LaunchChecks.sol";
import {LaunchHandler} from "./utils/LaunchHandler.sol";
import {InvariantTest} from "./utils/Test.sol";

/// @title Stateful invariants of the launch layer (properties 2, 3 and 4)
/// @notice Three offerings run side by side on one launchpad: the default terms, a tight raise at
/// the registry's low bounds (1.01x curve, 10% fee, 1-day window) and a steep one at the high
/// bounds (100x curve, no fee, 30 days). The handler buys, warps, graduates, refunds, claims,
/// withdraws fees and donates FLOCK to the pair; after every call the LaunchChecks must hold:
/// escrow solvency (property 2), the curve (3), refunds (4), graduation and claims.
contract LaunchInvariantsTest is InvariantTest, LaunchChecks {
    LaunchHandler internal handler;
    Stack internal s;

    function setUp() public {
        s = deployStack(address(0));
        uint32[] memory templates = new uint32[](3);
        templates[0] = addDefaultTemplate(s);
        templates[1] = addTemplate(s, _tightSale(), _tightAllocation());
        templates[2] = addTemplate(s, _steepSale(), _steepAllocation());

        // The default offering opens with a bundled first buy by its creator.
        handler = new LaunchHandler(s, templates, 10_000e18);

        targetContract(address(handler));
        bytes4[] memory actions = new bytes4[](9);
        actions[0] = LaunchHandler.buy.selector;
        actions[1] = LaunchHandler.warp.selector;
        actions[2] = LaunchHandler.graduate.selector;
        actions[3] = LaunchHandler.refund.selector;
        actions[4] = LaunchHandler.refundAll.selector;
        actions[5] = LaunchHandler.claim.selector;
        actions[6] = LaunchHandler.withdrawCreatorFees.selector;
        actions[7] = LaunchHandler.collectProtocolFees.selector;
        actions[8] = LaunchHandler.donateToPair.selector;
        targetSelector(FuzzSelector(address(handler), actions));
    }

    function invariant_flockEscrowSolvent() public view {
        checkFlockEscrow(s, handler);
    }

    function invariant_mtEscrowCoversClaims() public view {
        checkMtEscrow(s, handler);
    }

    function invariant_curveAndPositions() public view {
        checkCurveAndPositions(s, handler);
    }

    function invariant_buysFollowCurve() public view {
        checkBuys(handler);
    }

    function invariant_refundsComplete() public view {
        checkRefunds(handler);
    }

    function invariant_lifecycle() public view {
        checkLifecycle(s, handler);
    }

    // ------------------------------------------------------------ the two non-default templates

    /// The registry's low corner: 1.01x curve (Y0 ≈ 200x the tranche), 10% fee, 1-day window.
    function _tightSale() private pure returns (SaleTerms memory t) {
        t = SaleTerms({
            raiseMax: 5_000e18,
            feeBps: 1_000,
            creatorFeeShareBps: 3_333,
            snipeFeeBps: 9_900,
            snipeDecayBpsPerMinute: 7,
            duration: 1 days,
            firstBuyCapBps: 100,
            raiseMin: 1e18,
            priceRatioBps: 10_100
        });
    }

    function _tightAllocation() private pure returns (Allocation memory a) {
        a = defaultAllocation();
        // Y0 ≈ 20.1M $MT for a 100k tranche, so the pool may take at most ~5.9% of the FLOCK.
        (a.saleBps, a.liquidityBps, a.incentivesBps, a.operatorBps, a.treasuryBps) = (1_000, 3_000, 3_000, 2_000, 1_000);
        (a.flockLiquidityBps, a.flockHostingBps, a.flockIncentivesBps) = (500, 9_000, 500);
    }

    /// The high corner: 100x curve, no fee at all, 30 days, 90% of the supply on sale, nothing vested.
    function _steepSale() private pure returns (SaleTerms memory t) {
        t = SaleTerms({
            raiseMax: 50_000_000e18,
            feeBps: 0,
            creatorFeeShareBps: 10_000,
            snipeFeeBps: 0,
            snipeDecayBpsPerMinute: type(uint16).max,
            duration: 30 days,
            firstBuyCapBps: 9_000,
            raiseMin: 10_000_000e18,
            priceRatioBps: 1_000_000
        });
    }

    function _steepAllocation() private pure returns (Allocation memory a) {
        a = defaultAllocation();
        (a.saleBps, a.liquidityBps, a.incentivesBps, a.operatorBps, a.treasuryBps) = (9_000, 1_000, 0, 0, 0);
        (a.flockLiquidityBps, a.flockHostingBps, a.flockIncentivesBps) = (4_000, 6_000, 0);
    }
}
