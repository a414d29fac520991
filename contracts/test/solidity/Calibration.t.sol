// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {CurveMath} from "../../contracts/launch/CurveMath.sol";
import {Terms} from "../../contracts/launch/Terms.sol";
import {FomoBase, Stack} from "./utils/Fomo.sol";

/// @title The curve's calibration rounds for the curve (finding 1.9a)
/// @notice With q = ⌊√r·10^18⌋ (exact when r is a square such as 16), the exact curve for q has
/// Y0* = S·q/(q − 10^18), X0* = M·(Y0* − S)/S and sells sold*(f) = S·q·f/(10^18·M + (q − 10^18)·f).
/// The true √r >= q only raises sold* (d sold*/dq ∝ M − f >= 0), so a curve that stays under sold*
/// for q stays under the exact curve. Checked: Y0 is ⌈Y0*⌉, X0 is ⌈M·(Y0 − S)/S⌉, and sold(f) never
/// exceeds sold*(f) anywhere in [0, M]; on the library for any inputs in the registry's ranges
/// (square ratios in half the runs) and on terms the real registry published.
contract CalibrationTest is FomoBase {
    uint256 private constant ONE = 1e18;
    Stack internal s;

    function setUp() public {
        s = deployStack(address(0));
    }

    function testFuzz_calibrate_roundsForTheCurve(uint256 sale, uint256 raiseMax, uint256 ratio, bool square, uint256 f)
        public
        pure
    {
        sale = bound(sale, 1, TOTAL_SUPPLY);
        raiseMax = bound(raiseMax, 1e18, 1_000_000_000e18);
        // Squares k² for k in [101, 1000]: √r = k/100 exactly, so Y0's own rounding decides.
        ratio = square ? bound(ratio, 101, 1_000) ** 2 : bound(ratio, 10_100, 1_000_000);
        (uint256 x0, uint256 y0) = CurveMath.calibrate(sale, raiseMax, ratio);
        _checkRounding(x0, y0, sale, raiseMax, ratio, bound(f, 0, raiseMax));
    }

    function testFuzz_registry_roundsForTheCurve(uint256 termsSeed, uint256 f) public {
        Terms memory t = s.registry.terms(s.registry.template(addFuzzedTemplate(s, termsSeed)).termsId);
        _checkRounding(
            t.curve.virtualFlock,
            t.curve.virtualMt,
            bucket(t.allocation.saleBps),
            t.sale.raiseMax,
            t.sale.priceRatioBps,
            bound(f, 0, t.sale.raiseMax)
        );
    }

    /// The reported case: r = 16, S = 50,000 $MT, M = 850,478.728892537616957842 FLOCK.
    function test_reportedCase_roundsUp() public pure {
        (uint256 x0, uint256 y0) = CurveMath.calibrate(50_000e18, 850_478_728892537616957842, 160_000);
        assertEq(y0, 66_666_666666666666666667, "Y0 = 50,000 * 4/3 rounded up");
        _checkRounding(x0, y0, 50_000e18, 850_478_728892537616957842, 160_000, 1e18);
    }

    function _checkRounding(uint256 x0, uint256 y0, uint256 sale, uint256 raiseMax, uint256 ratio, uint256 f)
        private
        pure
    {
        uint256 q = Math.sqrt(ratio * 1e32);
        assertGe(y0 * (q - ONE), sale * q, "Y0 below S*sqrt(r)/(sqrt(r) - 1)");
        assertTrue((y0 - 1) * (q - ONE) < sale * q, "Y0 more than 1 wei above S*sqrt(r)/(sqrt(r) - 1)");
        assertGe(x0 * sale, raiseMax * (y0 - sale), "X0 below M*(Y0 - S)/S");
        assertTrue((x0 - 1) * sale < raiseMax * (y0 - sale), "X0 more than 1 wei above M*(Y0 - S)/S");
        uint256 sold = CurveMath.sold(x0, y0, f);
        assertLe(sold * (ONE * raiseMax + (q - ONE) * f), sale * q * f, "sold(f) above the exact curve");
        assertLe(CurveMath.sold(x0, y0, raiseMax), sale, "sold(M) above the sale tranche");
    }
}
