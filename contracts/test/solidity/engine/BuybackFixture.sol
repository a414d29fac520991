// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {BuybackExecutor} from "../../../contracts/engine/BuybackExecutor.sol";
import {TwapOracle} from "../../../contracts/engine/TwapOracle.sol";
import {IUniswapV2Factory, IUniswapV2Router} from "../../../contracts/interfaces/IUniswapV2.sol";
import {LocalToken} from "../../../contracts/local/LocalToken.sol";

import {UniswapV2Builds} from "../utils/UniswapV2Builds.sol";
import {VM} from "../utils/Vm.sol";

/// @dev The Uniswap V2 pair functions the buyback tests call.
interface IPair {
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
    function mint(address to) external returns (uint256 liquidity);
    function sync() external;
}

/// @dev The buyback rules as docs/contracts.md ("Buyback price protection") states them, written
/// from the pools' reserves: what a buyback may spend and the least it must get.
library BuybackSpec {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant Q112 = 2 ** 112;
    uint256 internal constant POOL_FEE_BPS = 30;
    /// @dev Most of a pool one buyback may add: under the cheapest V2 fork's 0.25% fee, since a
    /// share equal to the fee lets a sandwich profit (found by testFuzz_SandwichNeverProfits).
    uint256 internal constant MAX_SHARE_BPS = 20;
    uint256 internal constant MAX_HOPS = 2;

    /// @dev A pool's price of its input token in its output token, UQ112x112 (what a TWAP over a
    /// period of constant reserves equals: the pair accrues exactly this per second).
    function priceX112(uint256 reserveIn, uint256 reserveOut) internal pure returns (uint256) {
        return (reserveOut << 112) / reserveIn;
    }

    /// @dev Least accepted output: `spend` valued at each hop's TWAP, less the tolerance, rounded up at each step.
    function minOut(uint256 spend, uint256[] memory twaps, uint256 deviationBps) internal pure returns (uint256 m) {
        m = spend;
        for (uint256 i; i < twaps.length; ++i) {
            m = Math.mulDiv(m, twaps[i], Q112, Math.Rounding.Ceil);
        }
        m = Math.mulDiv(m, BPS - deviationBps, BPS, Math.Rounding.Ceil);
    }

    /// @dev Largest path input that adds at most `shareBps` of each pool's input reserve, a later
    /// hop's share carried back to the path's input at the earlier hops' TWAPs (rounded down).
    function depthLimit(uint256[] memory reservesIn, uint256[] memory twaps, uint256 shareBps)
        internal
        pure
        returns (uint256 limit)
    {
        limit = type(uint256).max;
        for (uint256 i = reservesIn.length; i > 0; --i) {
            limit = Math.min(limit, reservesIn[i - 1] * shareBps / BPS);
            if (i > 1) limit = Math.mulDiv(limit, Q112, twaps[i - 2]);
        }
    }

    /// @dev The accepted combinations of tolerance and pool share: two hops' fees and own impact fit the tolerance.
    function shareFits(uint256 shareBps, uint256 deviationBps) internal pure returns (bool) {
        return shareBps >= 1 && shareBps <= MAX_SHARE_BPS && MAX_HOPS * (POOL_FEE_BPS + shareBps) <= deviationBps;
    }
}

/// @dev Real Uniswap V2 (factory, Router02 and WETH9 from the npm builds, as deploy/local.ts deploys
/// them), test USDC (6 decimals) and FLOCK, two model tokens on either side of FLOCK's address (both
/// pair token orders), their three pairs created empty, and a TwapOracle and BuybackExecutor wired as
/// the deployment wires them (30-minute window, 6-hour maxAge). Tests open the pools at fuzzed depths.
abstract contract BuybackFixture {
    uint256 internal constant USDC = 1e6;
    uint256 internal constant TOKEN = 1e18;
    uint256 internal constant WINDOW = 30 minutes;
    uint256 internal constant MAX_AGE = 6 hours;
    uint256 internal constant START = 1_000_000_000; // a realistic clock: observations of 0 mean "none"

    LocalToken internal usdc;
    LocalToken internal flock;
    /// @dev Model tokens whose address sorts below / above FLOCK's.
    LocalToken internal mtBelow;
    LocalToken internal mtAbove;
    IUniswapV2Factory internal dexFactory;
    IUniswapV2Router internal dexRouter;
    address internal usdcFlockPair;
    TwapOracle internal oracle;
    BuybackExecutor internal executor;
    address internal lpHolder = address(0x1A);

    function _deployBuybackWorld() internal {
        VM.warp(START);
        usdc = new LocalToken("USD Coin (test)", "USDC", 6);
        flock = new LocalToken("Flock (test)", "FLOCK", 18);
        while (address(mtBelow) == address(0) || address(mtAbove) == address(0)) {
            LocalToken mt = new LocalToken("Model (test)", "MT", 18);
            if (address(mt) < address(flock)) mtBelow = address(mtBelow) == address(0) ? mt : mtBelow;
            else mtAbove = address(mtAbove) == address(0) ? mt : mtAbove;
        }
        dexFactory = IUniswapV2Factory(UniswapV2Builds.deploy(UniswapV2Builds.FACTORY, abi.encode(address(this))));
        address weth = UniswapV2Builds.deploy(UniswapV2Builds.WETH9, "");
        dexRouter = IUniswapV2Router(UniswapV2Builds.deploy(UniswapV2Builds.ROUTER02, abi.encode(dexFactory, weth)));
        usdcFlockPair = dexFactory.createPair(address(usdc), address(flock));
        dexFactory.createPair(address(mtBelow), address(flock));
        dexFactory.createPair(address(mtAbove), address(flock));
        oracle = new TwapOracle(WINDOW, MAX_AGE);
        executor = new BuybackExecutor(
            usdc,
            flock,
            dexFactory,
            dexRouter,
            oracle,
            BuybackExecutor.Limits(uint128(10_000 * USDC), 3_600, 200, 20),
            address(this)
        );
        executor.grantRole(executor.FUNDER_ROLE(), address(this));
    }

    // ------------------------------------------------------------ pools

    /// @dev Adds `amountA` of `a` and `amountB` of `b` to their pair as liquidity (minted fresh).
    function _addLiquidity(address a, address b, uint256 amountA, uint256 amountB) internal {
        address pair = dexFactory.getPair(a, b);
        LocalToken(a).mint(pair, amountA);
        LocalToken(b).mint(pair, amountB);
        IPair(pair).mint(lpHolder);
    }

    /// @dev `token` sent to the pair unasked and synced into its reserves (a donation moves the price too).
    function _donateAndSync(address pair, address token, uint256 amount) internal {
        LocalToken(token).mint(pair, amount);
        IPair(pair).sync();
    }

    /// @dev Reserves of `pair` as (input, output) for a swap of `tokenIn` into `tokenOut`.
    function _reserves(address tokenIn, address tokenOut) internal view returns (uint256 reserveIn, uint256 reserveOut) {
        (uint112 r0, uint112 r1,) = IPair(dexFactory.getPair(tokenIn, tokenOut)).getReserves();
        (reserveIn, reserveOut) = tokenIn < tokenOut ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
    }

    /// @dev Each hop's input reserve and its price (input in output, UQ112x112) along `path`.
    function _hops(address[] memory path) internal view returns (uint256[] memory reservesIn, uint256[] memory prices) {
        reservesIn = new uint256[](path.length - 1);
        prices = new uint256[](path.length - 1);
        for (uint256 i; i < reservesIn.length; ++i) {
            (uint256 rIn, uint256 rOut) = _reserves(path[i], path[i + 1]);
            (reservesIn[i], prices[i]) = (rIn, BuybackSpec.priceX112(rIn, rOut));
        }
    }

    /// @dev `who` swaps `amountIn` of `path[0]` (minted to it) along `path` through Router02; returns the output.
    function _swap(address who, address[] memory path, uint256 amountIn) internal returns (uint256 out) {
        LocalToken(path[0]).mint(who, amountIn);
        out = _swapHeld(who, path, amountIn);
    }

    /// @dev Like `_swap`, with `who`'s own tokens (nothing minted).
    function _swapHeld(address who, address[] memory path, uint256 amountIn) internal returns (uint256 out) {
        VM.prank(who);
        LocalToken(path[0]).approve(address(dexRouter), amountIn);
        VM.prank(who);
        uint256[] memory amounts = dexRouter.swapExactTokensForTokens(amountIn, 0, path, who, block.timestamp);
        out = amounts[amounts.length - 1];
    }

    // ------------------------------------------------------------ paths

    function _mtPath(address mt) internal view returns (address[] memory path) {
        path = new address[](3);
        (path[0], path[1], path[2]) = (address(usdc), address(flock), mt);
    }

    function _flockPath() internal view returns (address[] memory path) {
        path = new address[](2);
        (path[0], path[1]) = (address(usdc), address(flock));
    }

    /// @dev `path` backwards.
    function _reversed(address[] memory path) internal pure returns (address[] memory back) {
        back = new address[](path.length);
        for (uint256 i; i < path.length; ++i) {
            back[i] = path[path.length - 1 - i];
        }
    }

    /// @dev Hops `from` to `to` (inclusive) of `path`, as a path of their own.
    function _slice(address[] memory path, uint256 from, uint256 to) internal pure returns (address[] memory part) {
        part = new address[](to - from + 2);
        for (uint256 i; i < part.length; ++i) {
            part[i] = path[from + i];
        }
    }
}
