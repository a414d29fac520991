// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title CurveMath
/// @notice Integer math of the virtual-reserve bonding curve `(X0 + f)(Y0 - s) = X0 * Y0` and its
/// fees. `f` is the net FLOCK that entered the curve, `s` the $MT sold. Every rounding favours the
/// curve: fees round up and `sold(f)` rounds down, so the $MT of all buys together never exceeds
/// the exact curve amount (one buy, a difference of two roundings, may be 1 wei above its exact share).
/// @dev `sold` is a pure function of `raised`, so a sale stores only `raised` and can never drift.
library CurveMath {
    uint256 internal constant BPS = 10_000;
    uint256 private constant ONE = 1e18;

    /// @notice Virtual reserves such that selling the whole tranche `sale` raises exactly `raiseMax`
    /// and the price ends `priceRatioBps / 10^4` times where it started:
    /// `Y0 = ⌈S·√r/(√r − 1)⌉` with √r floored to 18 decimals, `X0 = ⌈M·(Y0 − S)/S⌉`.
    /// Every rounding favours the curve. With X0 derived from it, a larger Y0 sells less at every
    /// f < M (d sold/d Y0 ∝ f − M), so √r rounds down and the division up: Y0 is never below the
    /// exact value, and no buyer gets more $MT than the exact curve gives. Rounding X0 up keeps
    /// `sold(M) <= S`. (Rounding Y0 down gave buyers up to 1 wei of Y0 too much whenever √r is
    /// exact, i.e. r a square like 16, and S·√r/(√r − 1) is not whole.)
    function calibrate(uint256 sale, uint256 raiseMax, uint256 priceRatioBps)
        internal
        pure
        returns (uint256 x0, uint256 y0)
    {
        uint256 sqrtR = Math.sqrt(priceRatioBps * (ONE * ONE / BPS)); // √r, 18 decimals
        y0 = Math.mulDiv(sale, sqrtR, sqrtR - ONE, Math.Rounding.Ceil);
        x0 = Math.mulDiv(raiseMax, y0 - sale, sale, Math.Rounding.Ceil);
    }

    /// @notice $MT sold once `raised` net FLOCK has entered: `Y0 − ⌈X0·Y0/(X0 + f)⌉`.
    /// @dev Reserves are uint128 (Terms.Curve), so X0·Y0 < 2^256 needs no 512-bit mulDiv, and a buy
    /// evaluates this three times; checked arithmetic would revert rather than wrap on larger input.
    function sold(uint256 x0, uint256 y0, uint256 raised) internal pure returns (uint256) {
        return y0 - Math.ceilDiv(x0 * y0, x0 + raised);
    }

    /// @notice Marginal price in FLOCK wei per whole $MT (1e18 wei): `(X0 + f)² / (X0·Y0)`.
    function price(uint256 x0, uint256 y0, uint256 raised) internal pure returns (uint256) {
        uint256 reserve = x0 + raised;
        return Math.mulDiv(reserve, reserve * ONE, x0 * y0);
    }

    /// @notice $MT that pairs with `flock` at the curve's price after `raised`: `flock·(Y0 − s)/(X0 + f)`,
    /// rounded down, so a pool opened with it is never cheaper than the curve's reserves ratio
    /// (X0 + f)/(Y0 − s). (`price()` is the unrounded (X0 + f)²/(X0·Y0); the two differ by the
    /// rounding of `sold`, about 1e-23 relative.)
    function mtAtPrice(uint256 x0, uint256 y0, uint256 raised, uint256 flock) internal pure returns (uint256) {
        return Math.mulDiv(flock, y0 - sold(x0, y0, raised), x0 + raised);
    }

    /// @notice Total fee in bps at `elapsed` seconds after the raise opened: `snipeFeeBps` falling
    /// `decay` bps per whole minute, never below the base `feeBps`.
    function feeBpsAt(uint256 feeBps, uint256 snipeFeeBps, uint256 decay, uint256 elapsed)
        internal
        pure
        returns (uint256)
    {
        uint256 fall = (elapsed / 60) * decay;
        return fall >= snipeFeeBps || snipeFeeBps - fall <= feeBps ? feeBps : snipeFeeBps - fall;
    }

    /// @notice Fee on a gross amount, rounded up.
    function feeOnGross(uint256 gross, uint256 totalBps) internal pure returns (uint256) {
        return Math.mulDiv(gross, totalBps, BPS, Math.Rounding.Ceil);
    }

    /// @notice Fee that a buy must add to deliver exactly `net` to the curve, rounded up
    /// (a partial fill at raiseMax charges on what it fills).
    function feeOnNet(uint256 net, uint256 totalBps) internal pure returns (uint256) {
        return Math.mulDiv(net, totalBps, BPS - totalBps, Math.Rounding.Ceil);
    }

    /// @notice Splits a total fee into the base platform fee and the anti-snipe surcharge.
    function splitFee(uint256 gross, uint256 totalFee, uint256 feeBps)
        internal
        pure
        returns (uint256 baseFee, uint256 surcharge)
    {
        baseFee = Math.min(feeOnGross(gross, feeBps), totalFee);
        surcharge = totalFee - baseFee;
    }
}
