// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {TwapOracle} from "../../../contracts/engine/TwapOracle.sol";
import {IncentivePool} from "../../../contracts/incentives/IncentivePool.sol";
import {IUniswapV2Factory} from "../../../contracts/interfaces/IUniswapV2.sol";
import {ILaunchpad} from "../../../contracts/interfaces/ILaunchpad.sol";
import {Launchpad} from "../../../contracts/launch/Launchpad.sol";
import {OperatorVesting} from "../../../contracts/launch/OperatorVesting.sol";
import {TemplateRegistry} from "../../../contracts/launch/TemplateRegistry.sol";
import {Allocation, Pricing, SaleTerms, Terms} from "../../../contracts/launch/Terms.sol";
import {LocalToken} from "../../../contracts/local/LocalToken.sol";
import {ModelTokenFactory} from "../../../contracts/token/ModelTokenFactory.sol";
import {DefaultTerms} from "./DefaultTerms.sol";
import {Test} from "./Test.sol";

/// @dev The Uniswap V2 factory and pair functions the tests use (the deployed code is the npm build).
interface IV2Factory {
    function getPair(address tokenA, address tokenB) external view returns (address);
    function createPair(address tokenA, address tokenB) external returns (address);
}

interface IV2Pair {
    function token0() external view returns (address);
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
    function sync() external;
    function balanceOf(address owner) external view returns (uint256);
    function totalSupply() external view returns (uint256);
}

/// @dev The launch layer as the local deployment wires it (deploy/local.ts), with FLOCK = LocalToken.
struct Stack {
    LocalToken flock;
    IV2Factory factory;
    TemplateRegistry registry;
    IncentivePool incentivePool;
    TwapOracle oracle;
    Launchpad launchpad;
}

/// @notice The curve written from the spec (product.md §3, brief): `(X0 + f)(Y0 - s) = X0·Y0`, rounded
/// in the curve's favour, and the anti-snipe fee schedule. Tests compare the contracts against it.
library CurveSpec {
    uint256 internal constant BPS = 10_000;

    /// $MT sold once `f` net FLOCK entered: Y0 - ⌈X0·Y0 / (X0 + f)⌉.
    function sold(uint256 x0, uint256 y0, uint256 f) internal pure returns (uint256) {
        return y0 - Math.mulDiv(x0, y0, x0 + f, Math.Rounding.Ceil);
    }

    /// Marginal price, FLOCK wei per whole $MT: (X0 + f)² / (X0·Y0).
    function price(uint256 x0, uint256 y0, uint256 f) internal pure returns (uint256) {
        return Math.mulDiv((x0 + f) * (x0 + f), 1e18, x0 * y0);
    }

    /// Exact (real-valued, floored) $MT a buy of `net` gets at `f`: X0·Y0·net / ((X0 + f)(X0 + f + net)).
    function exactOut(uint256 x0, uint256 y0, uint256 f, uint256 net) internal pure returns (uint256) {
        return Math.mulDiv(x0 * y0, net, (x0 + f) * (x0 + f + net));
    }

    /// $MT that pairs with `flock` at the price after `f`: flock·(Y0 - s)/(X0 + f), rounded down,
    /// so a pool opened with it is never cheaper than the curve's reserves (X0 + f) : (Y0 - s).
    function mtAtPrice(uint256 x0, uint256 y0, uint256 f, uint256 flock) internal pure returns (uint256) {
        return Math.mulDiv(flock, y0 - sold(x0, y0, f), x0 + f);
    }

    /// FLOCK of the raise that graduation pairs in the pool when `synced` FLOCK already sits in the
    /// pair's reserves: the synced donation stands in for the raise's own
    /// `planned` FLOCK, but the raise always adds at least half of it (rounded up).
    function poolFlockUsed(uint256 planned, uint256 synced) internal pure returns (uint256) {
        return planned - Math.min(synced, planned / 2);
    }

    /// Total fee rate `elapsed` seconds after opening: snipe - decay per whole minute, floored at the base fee.
    function feeBpsAt(uint256 feeBps, uint256 snipeBps, uint256 decay, uint256 elapsed) internal pure returns (uint256) {
        uint256 fall = (elapsed / 60) * decay;
        if (fall >= snipeBps) return feeBps;
        return Math.max(feeBps, snipeBps - fall);
    }

    /// Fee on a gross buy, rounded up.
    function feeOnGross(uint256 gross, uint256 bps) internal pure returns (uint256) {
        return Math.mulDiv(gross, bps, BPS, Math.Rounding.Ceil);
    }

    /// Fee a buy must add so that exactly `net` enters the curve (`net + fee` at rate `bps`), rounded up.
    function feeOnNet(uint256 net, uint256 bps) internal pure returns (uint256) {
        return Math.mulDiv(net, bps, BPS - bps, Math.Rounding.Ceil);
    }

    /// Y0 of the calibration `Y0 = S·√r / (√r - 1)` with √r in 18 decimals (used only to pick valid terms).
    function virtualMt(uint256 sale, uint256 priceRatioBps) internal pure returns (uint256) {
        uint256 sqrtR = Math.sqrt(priceRatioBps * 1e32);
        return Math.mulDiv(sale, sqrtR, sqrtR - 1e18);
    }
}

/// @notice Deploys the real launch layer and offers the helpers every FOMO Solidity test shares.
abstract contract FomoBase is Test, DefaultTerms {
    uint256 internal constant TOTAL_SUPPLY = 1_000_000e18;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant LAUNCH_FEE = 32_768e18;
    uint256 internal constant MAX_FIRST_BUY_BPS = 2_500; // 25% of supply (product.md §3.1)
    address internal constant TREASURY = address(0x7EA5);
    address internal constant HOSTING_RESERVE = address(0x4057);
    address internal constant CREATOR = address(0xC4EA7);
    address internal constant LP_BURN = 0x000000000000000000000000000000000000dEaD;
    // keccak256 of UniswapV2Pair's creation code in the npm v2-core 1.0.1 build (what Router02 hard-codes).
    bytes32 internal constant PAIR_INIT_CODE_HASH = 0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f;
    /// Relative to the Hardhat project root; hardhat.config.ts grants read access to the resolved file.
    string internal constant UNISWAP_V2_FACTORY_JSON = "/../node_modules/@uniswap/v2-core/build/UniswapV2Factory.json";

    uint256 private _launches; // makes every ticker (and so every model id) unique

    // ------------------------------------------------------------ deployment

    /// @dev Deploys FLOCK, Uniswap V2 (npm build) and the protocol, as deploy/local.ts does. With a
    /// non-zero `flockAt`, FLOCK's code runs at that address instead (to choose the pair's token order).
    function deployStack(address flockAt) internal returns (Stack memory s) {
        s.flock = new LocalToken("Flock (test)", "FLOCK", 18);
        if (flockAt != address(0)) {
            vm.etch(flockAt, address(s.flock).code);
            s.flock = LocalToken(flockAt);
        }
        s.factory = IV2Factory(_deployUniswapFactory());
        s.registry = new TemplateRegistry(address(this));
        s.registry.grantRole(s.registry.CATALOG_ROLE(), address(this));
        s.incentivePool = new IncentivePool(s.flock, address(this));
        s.oracle = new TwapOracle(30 minutes, 6 hours);
        s.launchpad = new Launchpad(
            s.flock,
            s.registry,
            IUniswapV2Factory(address(s.factory)),
            s.incentivePool,
            s.oracle,
            new ModelTokenFactory(),
            address(new OperatorVesting()),
            TREASURY,
            HOSTING_RESERVE,
            LAUNCH_FEE,
            address(this)
        );
        s.incentivePool.grantRole(s.incentivePool.FUNDER_ROLE(), address(s.launchpad));
    }

    function _deployUniswapFactory() private returns (address factory) {
        string memory json = vm.readFile(string.concat(vm.projectRoot(), UNISWAP_V2_FACTORY_JSON));
        bytes memory initCode = abi.encodePacked(vm.parseJsonBytes(json, ".bytecode"), abi.encode(address(this)));
        assembly {
            factory := create(0, add(initCode, 0x20), mload(initCode))
        }
        assertTrue(factory != address(0) && factory.code.length > 0, "Uniswap V2 factory deployment failed");
    }

    // ------------------------------------------------------------ terms

    /// @dev Terms anywhere inside the registry's hard bounds, derived from one seed. Amounts are
    /// spread over orders of magnitude so small and large raises are both common.
    function fuzzTerms(uint256 seed) internal pure returns (SaleTerms memory sale, Allocation memory a) {
        uint256 magnitude = 10 ** pick(seed, 0, 18, 26); // raiseMax from 1e18 to 1e27 wei (MAX_RAISE)
        sale.raiseMax = uint128(pick(seed, 1, magnitude, magnitude * 10));
        sale.raiseMin = uint128(pick(seed, 2, 1e18, sale.raiseMax));
        sale.feeBps = uint16(pick(seed, 3, 0, 1_000));
        sale.creatorFeeShareBps = uint16(pick(seed, 4, 0, BPS));
        sale.snipeFeeBps = uint16(pick(seed, 5, sale.feeBps, 9_900));
        sale.snipeDecayBpsPerMinute = uint16(pick(seed, 6, 1, type(uint16).max));
        sale.duration = uint32(pick(seed, 7, 1 days, 30 days));
        sale.priceRatioBps = uint32(pick(seed, 8, 10_100, 1_000_000));

        a.saleBps = uint16(pick(seed, 9, 1, 9_000));
        // The registry caps the first buy at 25% of supply and below the sale tranche.
        sale.firstBuyCapBps = uint16(pick(seed, 10, 0, Math.min(MAX_FIRST_BUY_BPS, a.saleBps - 1)));
        // The registry requires the liquidity bucket to hold 2.5x Y0·φ/4 $MT (the pool's peak need,
        // with headroom for a synced donation of twice the pool FLOCK). Y0 gets a 10^-6 margin so
        // rounding in √r never decides validity.
        uint256 y0 = CurveSpec.virtualMt(TOTAL_SUPPLY * a.saleBps / BPS, sale.priceRatioBps);
        y0 += y0 / 1e6 + 1;
        uint256 minLiquidityBps = Math.ceilDiv(5 * y0, 8 * TOTAL_SUPPLY); // φ = 1 bps
        a.liquidityBps = uint16(pick(seed, 11, minLiquidityBps, BPS - a.saleBps));
        uint256 rest = BPS - a.saleBps - a.liquidityBps;
        a.incentivesBps = uint16(pick(seed, 12, 0, rest));
        a.operatorBps = uint16(pick(seed, 13, 0, rest - a.incentivesBps));
        a.treasuryBps = uint16(rest - a.incentivesBps - a.operatorBps);
        a.flockLiquidityBps = uint16(pick(seed, 14, 1, maxFlockLiquidityBps(y0, a.liquidityBps)));
        a.flockHostingBps = uint16(pick(seed, 15, 0, BPS - a.flockLiquidityBps));
        a.flockIncentivesBps = uint16(BPS - a.flockLiquidityBps - a.flockHostingBps);
        a.operatorDuration = uint32(pick(seed, 16, 0, 4 * 365 days));
        a.operatorCliff = uint32(pick(seed, 17, 0, a.operatorDuration));
        a.incentiveDuration = uint32(pick(seed, 18, 1, 4 * 365 days));
    }

    /// @dev The largest share of raised FLOCK the pool may pair for a curve with virtual $MT `y0`
    /// (pass it with a margin) and a liquidity bucket of `liquidityBps`: the bucket must hold
    /// 2.5 × Y0·φ/4, i.e. φ <= 8·bucket/(5·Y0).
    function maxFlockLiquidityBps(uint256 y0, uint256 liquidityBps) internal pure returns (uint256) {
        return Math.min(BPS, Math.mulDiv(8 * BPS, bucket(liquidityBps), 5 * y0));
    }

    function addTemplate(Stack memory s, SaleTerms memory sale, Allocation memory a) internal returns (uint32) {
        return s.registry.addTemplate("stories-260k", "cpu-small", sale, a, defaultPricing());
    }

    function addDefaultTemplate(Stack memory s) internal returns (uint32) {
        return addTemplate(s, defaultSale(), defaultAllocation());
    }

    function addFuzzedTemplate(Stack memory s, uint256 seed) internal returns (uint32) {
        (SaleTerms memory sale, Allocation memory a) = fuzzTerms(seed);
        return addTemplate(s, sale, a);
    }

    // ------------------------------------------------------------ actions

    /// @dev Mints `amount` FLOCK to `who` and approves the launchpad for everything.
    function fund(Stack memory s, address who, uint256 amount) internal {
        s.flock.mint(who, amount);
        vm.prank(who);
        s.flock.approve(address(s.launchpad), type(uint256).max);
    }

    /// @dev Launches an offering of `templateId` as CREATOR, with an optional bundled first buy.
    function launch(Stack memory s, uint32 templateId, uint256 firstBuy) internal returns (address mt) {
        fund(s, CREATOR, LAUNCH_FEE + firstBuy);
        string memory ticker = string.concat("T", Strings.toString(++_launches));
        vm.prank(CREATOR);
        mt = s.launchpad.launch(
            Launchpad.LaunchParams({
                templateId: templateId,
                name: "Fuzz Model",
                ticker: ticker,
                metadataURI: "ipfs://fuzz",
                firstBuy: firstBuy,
                minMtOut: 0,
                deadline: block.timestamp
            })
        );
    }

    /// @dev Buys with `gross` FLOCK as `who` if the offering is raising and the buy gets any $MT
    /// (the launchpad rejects buys that would get none). Returns whether it bought.
    function tryBuy(Stack memory s, address who, address mt, uint256 gross) internal returns (bool, uint256) {
        if (gross == 0 || s.launchpad.stateOf(mt) != ILaunchpad.State.Raising) return (false, 0);
        Launchpad.Quote memory q = s.launchpad.quoteBuy(mt, gross);
        if (q.mtOut == 0) return (false, 0);
        fund(s, who, q.flockIn);
        vm.prank(who);
        uint256 mtOut = s.launchpad.buy(mt, gross, q.mtOut, block.timestamp);
        return (true, mtOut);
    }

    /// @dev The i-th of the fuzz tests' supporters.
    function supporter(uint256 i) internal pure returns (address) {
        return address(uint160(0x5B0000 + i));
    }

    /// @dev The fuzz tests' raise: supporter i buys `buySize(buys[i])` after waiting up to a quarter
    /// of the window; buys the curve refuses (closed, filled, or too small for any $MT) are skipped.
    function buyInWindow(Stack memory s, address mt, uint256[4] memory buys, uint256[4] memory waits) internal {
        ILaunchpad.OfferingView memory o = s.launchpad.offering(mt);
        for (uint256 i; i < buys.length; ++i) {
            vm.warp(block.timestamp + bound(waits[i], 0, (o.closesAt - o.opensAt) / 4));
            tryBuy(s, supporter(i), mt, buySize(buys[i], o.raiseMax));
        }
    }

    /// @dev A buy size spread over orders of magnitude: up to 2·raiseMax >> (seed % 4), so raises
    /// fill up, succeed and fail in comparable proportions.
    function buySize(uint256 seed, uint256 raiseMax) internal pure returns (uint256) {
        return bound(seed, 1, (2 * raiseMax >> (seed % 4)) + 1);
    }

    // ------------------------------------------------------------ views

    function termsOf(Stack memory s, address mt) internal view returns (Terms memory) {
        return s.registry.terms(s.launchpad.offering(mt).termsId);
    }

    /// @dev Size of an allocation bucket, the way the spec defines buckets (bps of the total supply).
    function bucket(uint256 bps) internal pure returns (uint256) {
        return TOTAL_SUPPLY * bps / BPS;
    }

    /// @dev The pair's CREATE2 address: known (and fundable) before anyone creates it.
    function predictPair(Stack memory s, address mt) internal pure returns (address) {
        (address t0, address t1) = mt < address(s.flock) ? (mt, address(s.flock)) : (address(s.flock), mt);
        bytes32 salt = keccak256(abi.encodePacked(t0, t1));
        return address(uint160(uint256(keccak256(abi.encodePacked(hex"ff", address(s.factory), salt, PAIR_INIT_CODE_HASH)))));
    }

    /// @dev The pool's reserves as (FLOCK, $MT).
    function reservesOf(Stack memory s, address pair) internal view returns (uint256 flockReserve, uint256 mtReserve) {
        (uint112 r0, uint112 r1,) = IV2Pair(pair).getReserves();
        (flockReserve, mtReserve) = IV2Pair(pair).token0() == address(s.flock) ? (r0, r1) : (r1, r0);
    }

    /// @dev Pool price in FLOCK wei per whole $MT, the unit of `Launchpad.priceOf`.
    function poolPrice(Stack memory s, address pair) internal view returns (uint256) {
        (uint256 flockReserve, uint256 mtReserve) = reservesOf(s, pair);
        return Math.mulDiv(flockReserve, 1e18, mtReserve);
    }
}
