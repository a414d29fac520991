// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Allocation, Pricing, SaleTerms} from "../../../contracts/launch/Terms.sol";

/// @dev The default template terms of packages/sdk/src/params.ts, for every Solidity test fixture.
abstract contract DefaultTerms {
    function defaultSale() internal pure returns (SaleTerms memory) {
        return SaleTerms({
            raiseMax: 1_000_000e18,
            feeBps: 150,
            creatorFeeShareBps: 5_000,
            snipeFeeBps: 9_900,
            snipeDecayBpsPerMinute: 100,
            duration: 7 days,
            firstBuyCapBps: 2_500,
            raiseMin: 200_000e18,
            priceRatioBps: 90_000
        });
    }

    function defaultAllocation() internal pure returns (Allocation memory) {
        return Allocation({
            saleBps: 4_000,
            liquidityBps: 2_000,
            incentivesBps: 2_000,
            operatorBps: 1_000,
            treasuryBps: 1_000,
            flockLiquidityBps: 5_000,
            flockHostingBps: 3_000,
            flockIncentivesBps: 2_000,
            operatorCliff: 90 days,
            operatorDuration: 365 days,
            incentiveDuration: 180 days
        });
    }

    /// @dev stories-260k's pricing (min price = 1.1 x cost); pricing plays no part in the launch.
    function defaultPricing() internal pure returns (Pricing memory) {
        return Pricing({
            inputPrice: 200_000,
            outputPrice: 800_000,
            inputMinPrice: 22_000,
            outputMinPrice: 55_000,
            inputCost: 20_000,
            outputCost: 50_000
        });
    }

}
