// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @dev The part of a Uniswap-V2-compatible factory (Uniswap V2, PancakeSwap V2) that graduation uses.
interface IUniswapV2Factory {
    /// @notice The pair of `tokenA` and `tokenB`, or zero if none exists.
    function getPair(address tokenA, address tokenB) external view returns (address pair);
    /// @notice Creates the pair of `tokenA` and `tokenB` (anyone may).
    function createPair(address tokenA, address tokenB) external returns (address pair);
}

/// @dev The part of a Uniswap-V2-compatible pair that graduation uses.
interface IUniswapV2Pair {
    /// @notice Mints LP tokens to `to` for the balances sent above the reserves.
    function mint(address to) external returns (uint256 liquidity);
    /// @notice Sends `to` the balances above the reserves.
    function skim(address to) external;
    /// @notice The reserves and the time of their last update.
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
}

/// @dev The part of a Uniswap-V2-compatible pair the TWAP oracle reads.
interface IUniswapV2PairOracle {
    /// @notice The lower-addressed token.
    function token0() external view returns (address);
    /// @notice The higher-addressed token.
    function token1() external view returns (address);
    /// @notice Σ price of token0 in token1 (UQ112x112) × seconds, as of the last update.
    function price0CumulativeLast() external view returns (uint256);
    /// @notice Σ price of token1 in token0 (UQ112x112) × seconds, as of the last update.
    function price1CumulativeLast() external view returns (uint256);
    /// @notice The reserves and the time of their last update.
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
}

/// @dev The part of a Uniswap-V2-compatible router the buyback executor uses.
interface IUniswapV2Router {
    /// @notice What swapping `amountIn` along `path` returns at each hop now.
    function getAmountsOut(uint256 amountIn, address[] calldata path) external view returns (uint256[] memory amounts);
    /// @notice Swaps exactly `amountIn` along `path`, reverting below `amountOutMin`.
    function swapExactTokensForTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external returns (uint256[] memory amounts);
}
