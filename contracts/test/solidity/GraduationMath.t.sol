// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {CurveMath} from "../../contracts/launch/CurveMath.sol";
import {GraduationMath, GraduationResult} from "../../contracts/launch/GraduationMath.sol";
import {Allocation, SaleTerms} from "../../contracts/launch/Terms.sol";
import {CurveSpec, FomoBase} from "./utils/Fomo.sol";

/// @title GraduationMath's invariants under fuzzed terms, raises, surcharges and donations
/// @notice For any terms inside the registry's bounds, any amount raised up to raiseMax, any
/// surcharge and any FLOCK synced into the pair beforehand: the split never underflows, its parts
/// sum to the supply and to the escrow exactly, and every rounding lands on the protocol's side.
contract GraduationMathTest is FomoBase {
    struct Case {
        Allocation a;
        uint256 supply;
        uint256 x0;
        uint256 y0;
        uint256 raised;
        uint256 surcharge;
        uint256 synced;
    }

    function _case(uint256 termsSeed, uint256 supplySeed, uint256 raised, uint256 surcharge, uint256 synced)
        private
        pure
        returns (Case memory c)
    {
        SaleTerms memory sale;
        (sale, c.a) = fuzzTerms(termsSeed);
        // Any supply whose sale tranche is at least 1 wei; the protocol's own is one of them, and the
        // others make the bucket divisions round (10^24 is a multiple of 10^4).
        c.supply = supplySeed % 4 == 0 ? TOTAL_SUPPLY : bound(supplySeed, Math.ceilDiv(BPS, c.a.saleBps), 1e30);
        (c.x0, c.y0) = CurveMath.calibrate(c.supply * c.a.saleBps / BPS, sale.raiseMax, sale.priceRatioBps);
        c.raised = bound(raised, 0, sale.raiseMax);
        c.surcharge = bound(surcharge, 0, uint256(sale.raiseMax) * 99);
        c.synced = bound(synced, 0, uint256(sale.raiseMax) * 4);
    }

    function _allocate(Case memory c) private pure returns (GraduationResult memory) {
        return GraduationMath.allocate(c.a, c.supply, c.x0, c.y0, c.raised, c.surcharge, c.synced);
    }

    /// Every $MT and every FLOCK wei of the escrow is allotted exactly once.
    function testFuzz_partsSumToTheWhole(uint256 termsSeed, uint256 supplySeed, uint256 raised, uint256 surcharge, uint256 synced)
        public
        pure
    {
        Case memory c = _case(termsSeed, supplySeed, raised, surcharge, synced);
        GraduationResult memory r = _allocate(c); // checked arithmetic: nothing negative, or this reverts
        assertEq(r.raised, c.raised, "raised");
        assertEq(
            r.sold + r.mtToPool + r.mtBurned + r.mtToIncentives + r.mtToOperator + r.mtToTreasury,
            c.supply,
            "$MT parts vs supply"
        );
        assertEq(r.flockToPool + r.flockToHosting + r.flockToIncentives, c.raised + c.surcharge, "FLOCK parts vs escrow");
        assertEq(r.operatorVesting, address(0), "the vesting wallet is the caller's to fill in");
    }

    /// Divisions round down and the remainders go to the treasury ($MT) and the hosting reserve
    /// (FLOCK); buyers never get more than the curve sold, and the pool never opens cheaper than the curve.
    function testFuzz_roundingFavoursTheProtocol(
        uint256 termsSeed,
        uint256 supplySeed,
        uint256 raised,
        uint256 surcharge,
        uint256 synced
    ) public pure {
        Case memory c = _case(termsSeed, supplySeed, raised, surcharge, synced);
        GraduationResult memory r = _allocate(c);
        Allocation memory a = c.a;
        uint256 liquidityBucket = c.supply * a.liquidityBps / BPS;

        assertEq(r.mtToIncentives, c.supply * a.incentivesBps / BPS, "incentive bucket");
        assertEq(r.mtToOperator, c.supply * a.operatorBps / BPS, "operator bucket");
        assertGe(r.mtToTreasury, c.supply * a.treasuryBps / BPS, "the treasury takes the $MT dust");
        assertLe(r.mtToTreasury - c.supply * a.treasuryBps / BPS, 4, "at most one wei of dust per other bucket");
        assertGe(r.flockToHosting, c.raised * a.flockHostingBps / BPS, "the hosting reserve takes the FLOCK dust");
        assertEq(r.flockToIncentives, c.raised * a.flockIncentivesBps / BPS + c.surcharge, "FLOCK incentives");

        assertEq(r.sold, CurveSpec.sold(c.x0, c.y0, c.raised), "sold is the spec's, rounded down");
        assertLe(r.sold, c.supply * a.saleBps / BPS, "sold within the sale tranche");
        assertLe(r.mtToPool, liquidityBucket, "pool $MT within the liquidity bucket");

        // The raise adds at least half its planned pool FLOCK (rounded up), never more than planned,
        // and with the synced donation the pool holds at least what was planned.
        uint256 planned = c.raised * a.flockLiquidityBps / BPS;
        assertLe(r.flockToPool, planned, "pool FLOCK above plan");
        assertGe(r.flockToPool, planned - planned / 2, "pool FLOCK below half the plan");
        assertGe(r.flockToPool + c.synced, planned, "pool short of its planned FLOCK");
        // Pool price (FLOCK per $MT) >= the curve's reserve ratio (X0 + f)/(Y0 - s): cross-multiplied.
        uint256 poolFlock = r.flockToPool + c.synced;
        assertLe(r.mtToPool * (c.x0 + c.raised), poolFlock * (c.y0 - r.sold), "pool cheaper than the curve");
        assertEq(
            r.mtToPool,
            Math.min(CurveSpec.mtAtPrice(c.x0, c.y0, c.raised, poolFlock), liquidityBucket),
            "pool $MT is the spec's"
        );
    }

    /// poolFlock is the spec's rule, and equal to the form Launchpad used before the math moved
    /// here: max(planned - min(synced, planned), planned - planned / 2).
    function testFuzz_poolFlock(uint256 planned, uint256 synced) public pure {
        planned = bound(planned, 0, 1e30);
        uint256 used = GraduationMath.poolFlock(planned, synced);
        assertEq(used, CurveSpec.poolFlockUsed(planned, synced), "vs CurveSpec.poolFlockUsed");
        assertEq(
            used, Math.max(planned - Math.min(synced, planned), planned - planned / 2), "vs the escrow's former form"
        );
    }
}
