// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Allocation, SaleTerms} from "../../contracts/launch/Terms.sol";
import {CurveSpec, Stack} from "./utils/Fomo.sol";
import {LaunchChecks} from "./utils/LaunchChecks.sol";
import {LaunchHandler} from "./utils/LaunchHandler.sol";
import {InvariantTest} from "./utils/Test.sol";

/// @notice The handler the invariant fuzzer calls. It is declared here because the runner only
/// knows the ABI of contracts declared in the test files it runs, and it would not fuzz a contract
/// whose ABI it does not know.
contract InvariantLaunchHandler is LaunchHandler {
    constructor(Stack memory stack, uint32[] memory templateIds, uint256 firstBuy)
        LaunchHandler(stack, templateIds, firstBuy)
    {}
}

/// @title Stateful invariants of the launch layer (properties 2, 3, 4 and 6)
/// @notice Three offerings run side by side on one launchpad: the default terms, a tight raise at
/// the registry's low bounds (1.01x curve, 10% fee, 1-day window) and a steep one at the high
/// bounds (100x curve, no fee, 30 days); both non-default ones pair the largest share of FLOCK
/// in the pool the registry's liquidity headroom allows. The handler buys, warps, graduates,
/// refunds, claims, settles fees, donates FLOCK to the pair, pauses and unpauses (a pause stops
/// the open raises' clocks); after every call the LaunchChecks
/// must hold: escrow solvency (property 2), the curve (3), refunds (4), graduation, the pool
/// price (6), claims and fees.
contract LaunchInvariantsTest is InvariantTest, LaunchChecks {
    LaunchHandler internal handler;
    Stack internal s;

    function setUp() public {
        s = deployStack(address(0));
        uint32[] memory templates = new uint32[](3);
        templates[0] = addDefaultTemplate(s);
        templates[1] = addTemplate(s, _tightSale(), _atHeadroomEdge(_tightSale(), _tightAllocation()));
        templates[2] = addTemplate(s, _steepSale(), _atHeadroomEdge(_steepSale(), _steepAllocation()));

        // The default offering opens with a bundled first buy by its creator.
        handler = new InvariantLaunchHandler(s, templates, 10_000e18);

        s.launchpad.grantRole(s.launchpad.PAUSER_ROLE(), address(handler));
        bytes4[] memory actions = new bytes4[](10);
        actions[0] = LaunchHandler.buy.selector;
        actions[1] = LaunchHandler.warp.selector;
        actions[2] = LaunchHandler.graduate.selector;
        actions[3] = LaunchHandler.refund.selector;
        actions[4] = LaunchHandler.refundAll.selector;
        actions[5] = LaunchHandler.claim.selector;
        actions[6] = LaunchHandler.settleFees.selector;
        actions[7] = LaunchHandler.donateToPair.selector;
        actions[8] = LaunchHandler.pause.selector;
        actions[9] = LaunchHandler.unpause.selector;
        targetHandler(address(handler), actions);
    }

    /// One invariant for all properties: each invariant function runs its own campaign.
    function invariant_launchLayer() public view {
        checkAll(s, handler);
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
        // Y0 ≈ 20.1M $MT for a 100k tranche, so the pool may take at most ~2.4% of the FLOCK.
        (a.saleBps, a.liquidityBps, a.incentivesBps, a.operatorBps, a.treasuryBps) = (1_000, 3_000, 3_000, 2_000, 1_000);
        a.flockIncentivesBps = 500;
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
            firstBuyCapBps: 2_500, // the registry's cap
            raiseMin: 10_000_000e18,
            priceRatioBps: 1_000_000
        });
    }

    function _steepAllocation() private pure returns (Allocation memory a) {
        a = defaultAllocation();
        // Y0 = 1M $MT for a 900k tranche, so the pool may take at most 16% of the FLOCK.
        (a.saleBps, a.liquidityBps, a.incentivesBps, a.operatorBps, a.treasuryBps) = (9_000, 1_000, 0, 0, 0);
        a.flockIncentivesBps = 0;
    }

    /// The largest pool share of FLOCK the registry's headroom allows (Y0 with a 10^-6 margin);
    /// the hosting reserve gets what incentives do not.
    function _atHeadroomEdge(SaleTerms memory sale, Allocation memory a) private pure returns (Allocation memory) {
        uint256 y0 = CurveSpec.virtualMt(bucket(a.saleBps), sale.priceRatioBps);
        a.flockLiquidityBps = uint16(maxFlockLiquidityBps(y0 + y0 / 1e6 + 1, a.liquidityBps));
        a.flockHostingBps = uint16(BPS - a.flockLiquidityBps - a.flockIncentivesBps);
        return a;
    }
}
