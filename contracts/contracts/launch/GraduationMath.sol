// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {CurveMath} from "./CurveMath.sol";
import {Allocation} from "./Terms.sol";

/// @notice Outcome of a graduation: where the supply and the raised FLOCK went.
struct GraduationResult {
    uint256 raised;
    uint256 sold;
    uint256 flockToPool;
    uint256 mtToPool;
    uint256 mtBurned;
    uint256 flockToHosting;
    uint256 flockToIncentives;
    uint256 mtToIncentives;
    uint256 mtToOperator;
    uint256 mtToTreasury;
    address operatorVesting;
}

/// @title GraduationMath
/// @notice How a graduating offering's supply and escrow are split (docs/protocol.md#graduation):
/// the supply into the sale, liquidity, incentives, operator and treasury buckets, the raised FLOCK
/// into pool, hosting and incentive shares, and the pool's opening amounts at the curve's last price.
/// Every rounding favours the protocol: bucket and share divisions round down and the remainder
/// goes to the treasury ($MT) or the hosting reserve (FLOCK), so the parts always sum to the whole;
/// the pool's $MT rounds down, so the pool never opens cheaper than the curve.
/// @dev Pure, with internal functions only: inlined into Launchpad, nothing to link or deploy.
library GraduationMath {
    uint256 internal constant BPS = 10_000;

    /// @notice The whole graduation split of an offering that raised `raised` net FLOCK on the curve
    /// (X0, Y0) under allocation `a`, with `surcharge` anti-snipe FLOCK held for it and `synced` FLOCK
    /// already in the pair's reserves. `operatorVesting` is left for the caller to fill in.
    /// @dev Buckets are ⌊supply·bps/10^4⌋; the treasury's bucket is the rest of the supply, so it
    /// takes the rounding dust. Unsold sale $MT and unused liquidity $MT are burned. The hosting
    /// reserve takes the raised FLOCK the pool and the incentives do not: its own share, the
    /// rounding dust, and any pool FLOCK a synced donation stood in for.
    function allocate(
        Allocation memory a,
        uint256 supply,
        uint256 x0,
        uint256 y0,
        uint256 raised,
        uint256 surcharge,
        uint256 synced
    ) internal pure returns (GraduationResult memory r) {
        r.raised = raised;
        r.sold = CurveMath.sold(x0, y0, raised);
        uint256 saleBucket = supply * a.saleBps / BPS;
        uint256 liquidityBucket = supply * a.liquidityBps / BPS;
        r.mtToIncentives = supply * a.incentivesBps / BPS;
        r.mtToOperator = supply * a.operatorBps / BPS;
        r.mtToTreasury = supply - saleBucket - liquidityBucket - r.mtToIncentives - r.mtToOperator;
        uint256 flockIncentives = raised * a.flockIncentivesBps / BPS;
        r.flockToPool = poolFlock(raised * a.flockLiquidityBps / BPS, synced);
        r.mtToPool = poolMt(x0, y0, raised, r.flockToPool + synced, liquidityBucket);
        r.flockToIncentives = flockIncentives + surcharge;
        r.flockToHosting = raised - r.flockToPool - flockIncentives;
        r.mtBurned = (saleBucket - r.sold) + (liquidityBucket - r.mtToPool);
    }

    /// @notice FLOCK of the raise that goes into the pool when `synced` FLOCK (a donation synced into
    /// the pair's reserves, which nobody can take out) already sits there: the donation stands in for
    /// the `planned` pool FLOCK, but the raise always adds at least half of it (rounded up), so the
    /// first mint has both sides (Uniswap's mint would underflow on a zero side).
    function poolFlock(uint256 planned, uint256 synced) internal pure returns (uint256) {
        return planned - Math.min(synced, planned / 2);
    }

    /// @notice $MT that opens the pool holding `poolFlockTotal` FLOCK at the curve's price after
    /// `raised`, rounded down, and at most the liquidity bucket `mtAvailable`. The registry's 2.5x
    /// headroom covers a synced donation up to twice the planned pool FLOCK; only a larger one hits
    /// the bucket, opening the pool above the curve price, never below.
    function poolMt(uint256 x0, uint256 y0, uint256 raised, uint256 poolFlockTotal, uint256 mtAvailable)
        internal
        pure
        returns (uint256)
    {
        return Math.min(CurveMath.mtAtPrice(x0, y0, raised, poolFlockTotal), mtAvailable);
    }
}
