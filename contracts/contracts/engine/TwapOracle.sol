// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IUniswapV2PairOracle} from "../interfaces/IUniswapV2.sol";

/// @title TwapOracle
/// @notice Time-weighted average prices of Uniswap-V2-compatible pairs from their cumulative price
/// accumulators. Anyone records an observation with `update`; `consult` then prices against the
/// average since that observation, which a single-block manipulation cannot move.
/// @dev One observation per pair: the average runs from it to now and must span at least `window`.
contract TwapOracle {
    struct Observation {
        uint256 price0Cumulative;
        uint256 price1Cumulative;
        uint32 timestamp;
    }

    /// @notice Shortest averaging window `consult` accepts (>= 30 minutes).
    uint256 public immutable window;
    uint256 public constant MIN_WINDOW = 30 minutes;

    mapping(address pair => Observation) public observations;

    /// @notice A new observation was recorded.
    event Updated(address indexed pair, uint256 price0Cumulative, uint256 price1Cumulative, uint32 timestamp);

    /// @notice The observation is younger than the window (or missing): wait, or call `update` first.
    error TwapNotReady(address pair, uint256 elapsed, uint256 window);
    /// @notice The token is not in the pair.
    error NotInPair(address pair, address token);
    /// @notice Window below the floor.
    error InvalidParameter(string param);

    constructor(uint256 window_) {
        if (window_ < MIN_WINDOW) revert InvalidParameter("window");
        window = window_;
    }

    /// @notice Records the pair's accumulators now. Permissionless.
    function update(address pair) public {
        (uint256 p0, uint256 p1, uint32 t) = currentCumulativePrices(pair);
        observations[pair] = Observation(p0, p1, t);
        emit Updated(pair, p0, p1, t);
    }

    /// @notice How much `tokenOut` `amountIn` of `tokenIn` buys at the average price since the last observation.
    function consult(address pair, address tokenIn, uint256 amountIn) external view returns (uint256 amountOut) {
        Observation memory o = observations[pair];
        (uint256 p0, uint256 p1, uint32 t) = currentCumulativePrices(pair);
        uint256 elapsed;
        unchecked {
            elapsed = uint32(t - o.timestamp); // wraps like the pair's own timestamps
        }
        if (o.timestamp == 0 || elapsed < window) revert TwapNotReady(pair, o.timestamp == 0 ? 0 : elapsed, window);
        IUniswapV2PairOracle p = IUniswapV2PairOracle(pair);
        uint256 average; // UQ112x112: price of tokenIn in tokenOut
        unchecked {
            // Accumulators overflow by design; differences stay right modulo 2^256.
            if (tokenIn == p.token0()) average = (p0 - o.price0Cumulative) / elapsed;
            else if (tokenIn == p.token1()) average = (p1 - o.price1Cumulative) / elapsed;
            else revert NotInPair(pair, tokenIn);
        }
        amountOut = (average * amountIn) >> 112;
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
}
