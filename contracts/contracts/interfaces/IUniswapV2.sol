// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @dev The part of a Uniswap-V2-compatible factory (Uniswap V2, PancakeSwap V2) that graduation uses.
interface IUniswapV2Factory {
    function getPair(address tokenA, address tokenB) external view returns (address pair);
    function createPair(address tokenA, address tokenB) external returns (address pair);
}

/// @dev The part of a Uniswap-V2-compatible pair that graduation uses.
interface IUniswapV2Pair {
    function mint(address to) external returns (uint256 liquidity);
    function skim(address to) external;
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
}

/// @dev The part of a Uniswap-V2-compatible pair the TWAP oracle reads.
interface IUniswapV2PairOracle {
    function token0() external view returns (address);
    function token1() external view returns (address);
    function price0CumulativeLast() external view returns (uint256);
    function price1CumulativeLast() external view returns (uint256);
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
}

/// @dev The part of a Uniswap-V2-compatible router the buyback executor uses.
interface IUniswapV2Router {
    function getAmountsOut(uint256 amountIn, address[] calldata path) external view returns (uint256[] memory amounts);
    function swapExactTokensForTokens(
        uint256 amountIn,
        uint256 amountOutMin,
        address[] calldata path,
        address to,
        uint256 deadline
    ) external returns (uint256[] memory amounts);
}
