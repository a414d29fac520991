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
/// Two rules keep that average about prices the pool really had:
/// - `update` refuses a pair with an empty side. An empty pair accrues no price, so an observation
///   taken before the pool opened (a graduation's pair is predictable, anyone can create it during
///   the raise) would average the whole wait in at a price of 0 and void any bound built on it.
///   The launchpad records the first observation when it opens the pool.
/// - An average from an observation older than `maxAge` is refused (`TwapOracleStale`): it would lag the
///   market by up to that long. Recovery is the usual one: anyone calls `update` (it always
///   records once the newest observation is a window old), and a window later that observation is
///   the fresh starting point; `update` never moves the start closer than `window` to now.
contract TwapOracle {
    /// @notice A pair's cumulative price accumulators at `timestamp`.
    struct Observation {
        uint256 price0Cumulative;
        uint256 price1Cumulative;
        uint32 timestamp;
    }

    /// @notice A pair's two observations, the newer at least a window after the older.
    struct Observations {
        Observation older;
        Observation newer;
    }

    /// @notice Shortest averaging window (>= 30 minutes).
    uint256 public immutable window;
    /// @notice Oldest starting observation an average may use (2 to 48 windows).
    uint256 public immutable maxAge;
    /// @notice Floor of `window`.
    uint256 public constant MIN_WINDOW = 30 minutes;
    /// @notice `maxAge` is at least two windows: a pair observed once a window always has a mature
    /// observation younger than that, so updates as often as allowed never go stale.
    uint256 public constant MIN_MAX_AGE_WINDOWS = 2;
    /// @notice `maxAge` is at most 48 windows (a day for 30 minutes): beyond, the average lags too far.
    uint256 public constant MAX_MAX_AGE_WINDOWS = 48;

    mapping(address pair => Observations) private _observations;

    /// @notice A new observation was recorded.
    event Updated(address indexed pair, uint256 price0Cumulative, uint256 price1Cumulative, uint32 timestamp);

    /// @notice No observation is `window` old yet: call `update`, wait a window.
    error TwapOracleNotReady(address pair, uint256 window);
    /// @notice The average would start from an observation `age` seconds old, over `maxAge`:
    /// call `update`, wait a window.
    error TwapOracleStale(address pair, uint256 age, uint256 maxAge);
    /// @notice The pair has an empty side (no pool yet): it has no price to observe.
    error TwapOracleEmptyPair(address pair);
    /// @notice The token is not in the pair.
    error TwapOracleNotInPair(address pair, address token);
    /// @notice Window below the floor, or maxAge outside 2 to 48 windows.
    error TwapOracleInvalidParameter(string param);

    /// @param window_ Shortest averaging window, at least MIN_WINDOW.
    /// @param maxAge_ Oldest starting observation an average may use, 2 to 48 windows.
    constructor(uint256 window_, uint256 maxAge_) {
        if (window_ < MIN_WINDOW) revert TwapOracleInvalidParameter("window");
        if (maxAge_ < window_ * MIN_MAX_AGE_WINDOWS || maxAge_ > window_ * MAX_MAX_AGE_WINDOWS) {
            revert TwapOracleInvalidParameter("maxAge");
        }
        window = window_;
        maxAge = maxAge_;
    }

    /// @notice Records the pair's accumulators now, unless the newest observation is younger than
    /// the window (then it does nothing and returns false). Reverts `TwapOracleEmptyPair` while either
    /// reserve is zero. Permissionless.
    /// @param pair The Uniswap-V2-compatible pair.
    /// @return recorded Whether an observation was recorded.
    function update(address pair) external returns (bool recorded) {
        Observations storage o = _observations[pair];
        if (o.newer.timestamp != 0 && _age(o.newer.timestamp) < window) return false;
        (uint256 p0, uint256 p1, uint32 t, bool empty) = _current(pair);
        if (empty) revert TwapOracleEmptyPair(pair);
        // The first observation (at graduation, for a $MT pool) has nothing to rotate: skipping the
        // copy of an empty observation keeps ~6,500 gas off every graduation.
        if (o.newer.timestamp != 0) o.older = o.newer;
        o.newer = Observation(p0, p1, t);
        emit Updated(pair, p0, p1, t);
        return true;
    }

    /// @notice Average price of `tokenIn` in the pair's other token since the newest observation
    /// that is at least `window` old, as a UQ112x112 fixed-point number. Reverts `TwapOracleNotReady`
    /// without such an observation, `TwapOracleStale` when it is older than `maxAge`.
    /// @param pair The pair.
    /// @param tokenIn One of its tokens.
    /// @return priceX112 The average price.
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
        revert TwapOracleNotInPair(pair, tokenIn);
    }

    /// @notice How much of the other token `amountIn` of `tokenIn` is worth at the average price.
    /// @param pair The pair.
    /// @param tokenIn One of its tokens.
    /// @param amountIn Amount of `tokenIn`.
    function consult(address pair, address tokenIn, uint256 amountIn) external view returns (uint256) {
        return (averagePrice(pair, tokenIn) * amountIn) >> 112;
    }

    /// @notice The pair's two observations.
    /// @param pair The pair.
    function observations(address pair) external view returns (Observations memory) {
        return _observations[pair];
    }

    /// @notice The pair's accumulators as they would be if it synced now (adds the time since its last trade).
    /// @param pair The pair.
    /// @return p0 price0CumulativeLast as of now.
    /// @return p1 price1CumulativeLast as of now.
    /// @return t The current block timestamp, truncated to 32 bits as the pair does.
    function currentCumulativePrices(address pair) public view returns (uint256 p0, uint256 p1, uint32 t) {
        (p0, p1, t,) = _current(pair);
    }

    /// @dev The accumulators as of now, and whether a reserve is zero (then they do not grow).
    function _current(address pair) private view returns (uint256 p0, uint256 p1, uint32 t, bool empty) {
        IUniswapV2PairOracle p = IUniswapV2PairOracle(pair);
        t = uint32(block.timestamp);
        p0 = p.price0CumulativeLast();
        p1 = p.price1CumulativeLast();
        (uint112 r0, uint112 r1, uint32 last) = p.getReserves();
        empty = r0 == 0 || r1 == 0;
        if (last != t && !empty) {
            unchecked {
                uint256 dt = uint32(t - last);
                p0 += ((uint256(r1) << 112) / r0) * dt;
                p1 += ((uint256(r0) << 112) / r1) * dt;
            }
        }
    }

    function _mature(address pair) private view returns (Observation memory from) {
        Observations storage o = _observations[pair];
        if (o.newer.timestamp != 0 && _age(o.newer.timestamp) >= window) {
            from = o.newer;
        } else if (o.older.timestamp != 0) {
            // The older one is at least a window older than the newer one, hence at least a window old.
            from = o.older;
        } else {
            revert TwapOracleNotReady(pair, window);
        }
        uint256 age = _age(from.timestamp);
        if (age > maxAge) revert TwapOracleStale(pair, age, maxAge);
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
