// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The sale economics of a template: fixed for every offering launched on them.
/// @dev Field order packs the buy-time fields into the first slot.
struct SaleTerms {
    /// FLOCK (wei) at which the sale closes and graduates automatically.
    uint128 raiseMax;
    /// Base platform fee on every buy, in bps (150 = 1.5%).
    uint16 feeBps;
    /// Creator's share of the base fee, in bps (5,000 = half); the protocol gets the rest.
    uint16 creatorFeeShareBps;
    /// Total fee when the raise opens (anti-snipe), in bps (9,900 = 99%).
    uint16 snipeFeeBps;
    /// How much the anti-snipe fee falls per whole minute, in bps (100 = 1 percentage point).
    uint16 snipeDecayBpsPerMinute;
    /// Raise window in seconds (7 days).
    uint32 duration;
    /// Cap of the bundled first buy, in bps of total supply (2,500 = 250,000 $MT).
    uint16 firstBuyCapBps;
    /// FLOCK (wei) the raise must reach by the end of the window to graduate.
    uint128 raiseMin;
    /// End price / start price of the curve, times 10^4 (90,000 = 9x).
    uint32 priceRatioBps;
}

/// @notice Where the 1,000,000 $MT and the raised FLOCK go at graduation.
struct Allocation {
    uint16 saleBps; // sold on the curve; unsold part burned
    uint16 liquidityBps; // DEX pool at the final curve price; unused part burned
    uint16 incentivesBps; // this $MT's incentive pool
    uint16 operatorBps; // issuer, vested
    uint16 treasuryBps; // platform treasury
    uint16 flockLiquidityBps; // share of raised FLOCK paired in the pool
    uint16 flockHostingBps; // share of raised FLOCK for the hosting reserve
    uint16 flockIncentivesBps; // share of raised FLOCK for the incentive pool
    uint32 operatorCliff; // seconds before any operator $MT vests (90 days)
    uint32 operatorDuration; // seconds until all operator $MT has vested (365 days)
    uint32 incentiveDuration; // seconds over which the incentive pool releases (180 days)
}

/// @notice Inference prices and hard costs, in micro-USD per 1,000,000 tokens.
struct Pricing {
    uint64 inputPrice;
    uint64 outputPrice;
    uint64 inputMinPrice;
    uint64 outputMinPrice;
    uint64 inputCost;
    uint64 outputCost;
}

/// @notice Virtual reserves of the bonding curve `(X0 + f)(Y0 - s) = X0 * Y0`, derived from the sale terms.
struct Curve {
    uint128 virtualFlock; // X0
    uint128 virtualMt; // Y0
}

/// @notice One immutable version of a template's economics. Updating a template publishes new
/// terms; offerings keep the terms they launched with.
struct Terms {
    uint32 templateId;
    Curve curve;
    SaleTerms sale;
    Allocation allocation;
    Pricing pricing;
}

/// @notice A model template: the base model and hosting tier an issuer picks, and its current terms.
struct Template {
    string baseModelId;
    string hostingTier;
    uint32 termsId;
    bool enabled;
}
