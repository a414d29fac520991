// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IUniswapV2PairOracle} from "../interfaces/IUniswapV2.sol";

/// @title TwapOracle
/// @notice Time-weighted average prices of Uniswap-V2-compatible pairs from their cumulative price
/// accumulators, averaged over at least `window` (>= 30 minutes), which a manipulation inside one
/// block cannot move.
/// @dev Two observations per pair. `update` rotates only once the newer one is `window` old, so
/// calling it (anyone may) can never reset the oracle: there is always an observation at least
/// `window` old once two updates a window apart have happened, and the average runs from the
/// newest such observation to now.
contract TwapOracle {
    struct Observation {
        uint256 price0Cumulative;
        uint256 price1Cumulative;
        uint32 timestamp;
    }

    struct Observations {
        Observation older;
        Observation newer;
    }

    /// @notice Shortest averaging window (>= 30 minutes).
    uint256 public immutable window;
    uint256 public constant MIN_WINDOW = 30 minutes;

    mapping(address pair => Observations) private _observations;

    /// @notice A new observation was recorded.
    event Updated(address indexed pair, uint256 price0Cumulative, uint256 price1Cumulative, uint32 timestamp);

    /// @notice No observation is `window` old yet: call `update`, wait a window.
    error TwapNotReady(address pair, uint256 window);
    /// @notice The token is not in the pair.
    error NotInPair(address pair, address token);
    /// @notice Window below the floor.
    error InvalidParameter(string param);

    constructor(uint256 window_) {
        if (window_ < MIN_WINDOW) revert InvalidParameter("window");
        window = window_;
    }

    /// @notice Records the pair's accumulators now, unless the newest observation is younger than
    /// the window (then it does nothing and returns false). Permissionless.
    function update(address pair) external returns (bool recorded) {
        Observations storage o = _observations[pair];
        if (o.newer.timestamp != 0 && _age(o.newer.timestamp) < window) return false;
        (uint256 p0, uint256 p1, uint32 t) = currentCumulativePrices(pair);
        o.older = o.newer;
        o.newer = Observation(p0, p1, t);
        emit Updated(pair, p0, p1, t);
        return true;
    }

    /// @notice Average price of `tokenIn` in the pair's other token since the newest observation
    /// that is at least `window` old, as a UQ112x112 fixed-point number.
    function averagePrice(address pair, address tokenIn) public view returns (uint256 priceX112) {
        Observation memory from = _mature(pair);
        (uint256 p0, uint256 p1, uint32 t) = currentCumulativePrices(pair);
        uint256 elapsed = _elapsed(from.timestamp, t);
        IUniswapV2PairOracle p = IUniswapV2PairOracle(pair);
        unchecked {
            // Accumulators overflow by design; differences stay right modulo 2^256.
            if (tokenIn == p.token0()) return (p0 - from.price0Cumulative) / elapsed;
            if (tokenIn == p.token1()) return (p1 - from.price1Cumulative) / elapsed;
        }
        revert NotInPair(pair, tokenIn);
    }

    /// @notice How much of the other token `amountIn` of `tokenIn` is worth at the average price.
    function consult(address pair, address tokenIn, uint256 amountIn) external view returns (uint256) {
        return (averagePrice(pair, tokenIn) * amountIn) >> 112;
    }

    /// @notice The pair's two observations.
    function observations(address pair) external view returns (Observations memory) {
        return _observations[pair];
    }

    /// @notice The pair's accumulators as they would be if it synced now (adds the time since its last trade).
    function currentCumulativePrices(address pair) public view returns (uint256 p0, uint256 p1, uint32 t) {
        IUniswapV2PairOracle p = IUniswapV2PairOracle(pair);
        t = uint32(block.timestamp);
        p0 = p.price0CumulativeLast();
        p1 = p.price1CumulativeLast();
        (uint112 r0, uint112 r1, uint32 last) = p.getReserves();
        if (last != t && r0 != 0 && r1 != 0) {
            unchecked {
                uint256 dt = uint32(t - last);
                p0 += ((uint256(r1) << 112) / r0) * dt;
                p1 += ((uint256(r0) << 112) / r1) * dt;
            }
        }
    }

    function _mature(address pair) private view returns (Observation memory) {
        Observations storage o = _observations[pair];
        if (o.newer.timestamp != 0 && _age(o.newer.timestamp) >= window) return o.newer;
        // The older one is at least a window older than the newer one, hence at least a window old.
        if (o.older.timestamp != 0) return o.older;
        revert TwapNotReady(pair, window);
    }

    function _age(uint32 timestamp) private view returns (uint256) {
        return _elapsed(timestamp, uint32(block.timestamp));
    }

    function _elapsed(uint32 from, uint32 to) private pure returns (uint256) {
        unchecked {
            return uint32(to - from); // wraps like the pair's own 32-bit timestamps
        }
    }
}
