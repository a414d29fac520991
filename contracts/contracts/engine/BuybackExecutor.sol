// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IUniswapV2Factory, IUniswapV2Pair, IUniswapV2Router} from "../interfaces/IUniswapV2.sol";
import {StablecoinUnit} from "./StablecoinUnit.sol";
import {TwapOracle} from "./TwapOracle.sol";

/// @title BuybackExecutor
/// @notice Holds the USDC that revenue routing set aside for buybacks and spends it on the DEX:
/// USDC → FLOCK → $MT (then burns the $MT) per model token, and USDC → FLOCK (then burns the FLOCK).
/// Anyone may trigger a buyback; each is capped per interval, and every pool it trades through must
/// be priced within a maximum deviation of its TWAP, so a sandwich that moves a price further
/// makes it revert instead of overpaying (the Maker Smart Burn Engine pattern: rate limit plus
/// oracle bound). The output must also be worth the spend at the TWAPs less that deviation, so no
/// trade before ours can make the buyback pay more than the tolerance. Each buyback adds at most
/// `maxPoolShareBps` of a pool's reserve, which keeps its own price impact plus fees inside the
/// tolerance, and (well below the pool fee) leaves a sandwich nothing: the price move a buyback
/// causes is then smaller than the fees of a round trip through the pool. At a share equal to the
/// fee a sandwich can profit (fuzzing found it at 30 and 33 bps on a 0.3% pool, none at 28 or
/// below), so the share is bounded under the cheapest V2 fork's fee (PancakeSwap, 0.25%).
contract BuybackExecutor is AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Role of the revenue router, which funds budgets.
    bytes32 public constant FUNDER_ROLE = keccak256("FUNDER_ROLE");
    /// @notice Where FLOCK goes when the FLOCK token has no burn function.
    address public constant DEAD = 0x000000000000000000000000000000000000dEaD;
    uint256 private constant BPS = 10_000;
    uint256 private constant Q112 = 2 ** 112;
    /// @notice Lower bound of the deviation tolerance governance may set (the upper is 10%).
    uint256 public constant MIN_DEVIATION_BPS = 10; // 0.1%
    /// @notice Upper bound of the deviation tolerance.
    uint256 public constant MAX_DEVIATION_BPS = 1_000; // 10%
    /// @notice Lower bound of the interval between two buybacks of one target (the upper is a day).
    uint256 public constant MIN_INTERVAL = 1 minutes;
    /// @notice Hard bound on one buyback's spend, in whole USD (scaled to token units: MAX_SPEND_PER_INTERVAL).
    uint256 public constant MAX_SPEND_USD = 1_000_000;
    /// @notice Upper bound of the interval between two buybacks of one target.
    uint256 public constant MAX_INTERVAL = 1 days;
    /// @notice Most of a pool's reserve one buyback may add: 0.20%, under the lowest V2 fork fee
    /// (0.25%) with a margin, so a sandwich never pays for itself.
    uint256 public constant MAX_POOL_SHARE_BPS = 20;
    /// @notice Most pools a buyback path crosses (USDC → FLOCK → $MT).
    uint256 public constant MAX_HOPS = 2;
    /// @notice The Uniswap V2 swap fee (forks charge at most as much): part of a buyback's cost per hop.
    uint256 public constant POOL_FEE_BPS = 30;

    /// @notice What one buyback may spend, how often, and how far from the TWAPs it may trade.
    struct Limits {
        uint128 maxSpendPerInterval; // USDC units (10^decimals per USD) per buyback
        uint32 interval; // seconds between two buybacks of the same token
        uint16 maxDeviationBps; // worst accepted pool price, and output, below its TWAP value (200 = 2%)
        uint16 maxPoolShareBps; // most of a pool's input reserve one buyback adds (20 = 0.20%)
    }

    /// @notice The settlement stablecoin budgets are held in.
    IERC20 public immutable usdc;
    /// @notice The FLOCK token, bought back itself and the middle hop of every $MT buyback.
    IERC20 public immutable flock;
    /// @notice The Uniswap-V2-compatible factory whose pairs buybacks trade on.
    IUniswapV2Factory public immutable factory;
    /// @notice The router buybacks swap through.
    IUniswapV2Router public immutable router;
    /// @notice The TWAP oracle that bounds every pool's price.
    TwapOracle public immutable oracle;
    /// @notice One USD in USDC units (10^decimals, read from the token at deployment: 6 or 18 decimals
    /// depending on the chain).
    uint256 public immutable usdcUnit;
    /// @notice MAX_SPEND_USD in USDC units: the highest maxSpendPerInterval governance may set.
    uint256 public immutable MAX_SPEND_PER_INTERVAL;

    /// @notice The current limits.
    Limits public limits;
    /// @notice USDC set aside to buy back and burn each $MT.
    mapping(address mt => uint256) public mtBudget;
    /// @notice USDC set aside to buy back and burn FLOCK.
    uint256 public flockBudget;
    /// @notice Sum of all budgets: the USDC this contract owes to buybacks.
    uint256 public budgeted;
    /// @notice When each target (an $MT, or FLOCK) was last bought back.
    mapping(address target => uint256) public lastExecutedAt;

    /// @notice The revenue router added `mtAmount` USDC units to the budget of `mt` and `flockAmount` to FLOCK's.
    event Funded(address indexed mt, uint256 mtAmount, uint256 flockAmount);
    /// @notice A buyback ran: `spent` USDC bought `bought` of `target`, all of it burned.
    event BuybackExecuted(address indexed target, uint256 spent, uint256 bought, uint256 minOut);
    /// @notice The limits changed (`oldLimits` is all zero at deployment).
    event LimitsUpdated(Limits oldLimits, Limits newLimits);

    /// @notice Both budget amounts are zero.
    error BuybackExecutorZeroAmount();
    /// @notice Only `available` USDC units here are not budgeted yet, less than the `needed` to fund.
    error BuybackExecutorUnfunded(uint256 needed, uint256 available);
    /// @notice `target` was bought back less than an interval ago; the next buyback may run from `nextAt`.
    error BuybackExecutorTooSoon(address target, uint256 nextAt);
    /// @notice `target` has no budget, or its pools are too shallow to take any of it.
    error BuybackExecutorNothingToSpend(address target);
    /// @notice A pool's spot price of `tokenIn` is below its TWAP by more than the deviation bound:
    /// the price is being manipulated, or moved too fast. Prices are UQ112x112.
    error BuybackExecutorPriceOutOfBounds(address pair, address tokenIn, uint256 spotPrice, uint256 floorPrice);
    /// @notice The swap would return `out`, less than `minOut`: the spend's value at the TWAPs less
    /// the deviation bound. The pools moved against the buyback, by trades or by its own size.
    error BuybackExecutorBelowTwapValue(uint256 out, uint256 minOut);
    /// @notice No pair exists for `tokenA` and `tokenB` on the factory.
    error BuybackExecutorNoPair(address tokenA, address tokenB);
    /// @notice A limit is outside its hard bounds; `param` names it.
    error BuybackExecutorInvalidParameter(string param);

    /// @param usdc_ The settlement stablecoin (6 to 18 decimals).
    /// @param flock_ The FLOCK token.
    /// @param factory_ Uniswap-V2-compatible factory.
    /// @param router_ Its router.
    /// @param oracle_ TWAP oracle of the pools.
    /// @param limits_ Initial limits.
    /// @param admin Governance.
    constructor(
        IERC20 usdc_,
        IERC20 flock_,
        IUniswapV2Factory factory_,
        IUniswapV2Router router_,
        TwapOracle oracle_,
        Limits memory limits_,
        address admin
    ) {
        usdc = usdc_;
        flock = flock_;
        factory = factory_;
        router = router_;
        oracle = oracle_;
        usdcUnit = StablecoinUnit.unitOf(usdc_);
        MAX_SPEND_PER_INTERVAL = MAX_SPEND_USD * usdcUnit;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setLimits(limits_);
    }

    /// @notice Adds budgets for `mt` and for FLOCK. The USDC must already be here.
    /// @param mt The $MT whose budget grows.
    /// @param mtAmount USDC units for buying back `mt`.
    /// @param flockAmount USDC units for buying back FLOCK.
    function fund(address mt, uint256 mtAmount, uint256 flockAmount) external onlyRole(FUNDER_ROLE) {
        if (mtAmount + flockAmount == 0) revert BuybackExecutorZeroAmount();
        uint256 free = usdc.balanceOf(address(this)) - budgeted;
        if (free < mtAmount + flockAmount) revert BuybackExecutorUnfunded(mtAmount + flockAmount, free);
        mtBudget[mt] += mtAmount;
        flockBudget += flockAmount;
        budgeted += mtAmount + flockAmount;
        emit Funded(mt, mtAmount, flockAmount);
    }

    /// @notice Buys `mt` with up to one interval's cap of its budget (USDC → FLOCK → $MT) and burns it.
    /// @param mt The $MT bought back.
    /// @return spent USDC units spent.
    /// @return burned $MT bought and burned.
    function executeMtBuyback(address mt) external nonReentrant returns (uint256 spent, uint256 burned) {
        address[] memory path = new address[](3);
        (path[0], path[1], path[2]) = (address(usdc), address(flock), mt);
        Hop[] memory hops;
        (spent, hops) = _take(mt, mtBudget[mt], path);
        mtBudget[mt] -= spent;
        burned = _swap(mt, path, hops, spent);
        ERC20Burnable(mt).burn(burned);
    }

    /// @notice Buys FLOCK with up to one interval's cap of the FLOCK budget and burns it.
    /// @return spent USDC units spent.
    /// @return burned FLOCK bought and burned (or sent to DEAD).
    function executeFlockBuyback() external nonReentrant returns (uint256 spent, uint256 burned) {
        address[] memory path = new address[](2);
        (path[0], path[1]) = (address(usdc), address(flock));
        Hop[] memory hops;
        (spent, hops) = _take(address(flock), flockBudget, path);
        flockBudget -= spent;
        burned = _swap(address(flock), path, hops, spent);
        // FLOCK without a working burn() goes to the dead address: out of circulation all the same.
        // The balance check also catches a token whose fallback accepts burn() and does nothing.
        uint256 held = flock.balanceOf(address(this));
        try ERC20Burnable(address(flock)).burn(burned) {} catch {}
        if (flock.balanceOf(address(this)) + burned > held) flock.safeTransfer(DEAD, burned);
    }

    /// @notice What a buyback of `amountIn` USDC along `path` gets now (`out`, the router's exact
    /// quote) and the least it accepts (`minOut`: `amountIn` valued at each pool's TWAP along the
    /// path, less the deviation bound, rounded up). Reverts BuybackExecutorPriceOutOfBounds when a
    /// pool's price is below its TWAP floor, BuybackExecutorBelowTwapValue when `out < minOut`,
    /// TwapOracleNotReady/TwapOracleStale without a usable observation.
    /// @param path Tokens from USDC to the target.
    /// @param amountIn USDC units spent.
    function quote(address[] memory path, uint256 amountIn) public view returns (uint256 out, uint256 minOut) {
        Hop[] memory hops = _hops(path);
        return _quote(path, hops, amountIn);
    }

    /// @notice The most one buyback along `path` spends now: the per-interval cap, or less where a
    /// pool on the path is too shallow for it (each hop's input at most `maxPoolShareBps` of that
    /// pool's input reserve, earlier hops' amounts valued at their TWAPs, rounded down).
    /// @param path Tokens from USDC to the target.
    /// @return The spend limit in USDC units.
    function spendLimit(address[] memory path) external view returns (uint256) {
        return Math.min(limits.maxSpendPerInterval, _depthLimit(_hops(path)));
    }

    /// @notice Sets the spend cap, the interval, the deviation bound and the pool share, within hard
    /// bounds. Emits LimitsUpdated.
    /// @param limits_ The new limits.
    function setLimits(Limits calldata limits_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setLimits(limits_);
    }

    /// @dev One pool of a path, as the checks see it: reserves of the hop's input and output
    /// tokens, and the TWAP of the input token in the output token (UQ112x112).
    struct Hop {
        address pair;
        uint256 reserveIn;
        uint256 reserveOut;
        uint256 averagePrice;
    }

    function _take(address target, uint256 budget, address[] memory path)
        private
        returns (uint256 spend, Hop[] memory hops)
    {
        uint256 next = lastExecutedAt[target] + limits.interval;
        if (lastExecutedAt[target] != 0 && block.timestamp < next) revert BuybackExecutorTooSoon(target, next);
        if (budget == 0) revert BuybackExecutorNothingToSpend(target);
        hops = _hops(path);
        spend = Math.min(Math.min(budget, limits.maxSpendPerInterval), _depthLimit(hops));
        if (spend == 0) revert BuybackExecutorNothingToSpend(target);
        budgeted -= spend;
        lastExecutedAt[target] = block.timestamp;
    }

    function _swap(address target, address[] memory path, Hop[] memory hops, uint256 spend)
        private
        returns (uint256 bought)
    {
        // Checked reserves cannot change before the swap in this transaction: the quote is exact.
        (, uint256 minOut) = _quote(path, hops, spend);
        usdc.forceApprove(address(router), spend);
        uint256[] memory amounts = router.swapExactTokensForTokens(spend, minOut, path, address(this), block.timestamp);
        bought = amounts[amounts.length - 1];
        // Observe the pools after our own trade (a no-op inside a window): the TWAP then follows the
        // price a buyback itself moved, instead of blocking the next buyback until someone updates it.
        for (uint256 i; i + 1 < path.length; ++i) {
            oracle.update(_pair(path[i], path[i + 1]));
        }
        emit BuybackExecuted(target, spend, bought, minOut);
    }

    /// @dev Reads every pool on `path` and checks its spot price against its TWAP floor.
    function _hops(address[] memory path) private view returns (Hop[] memory hops) {
        uint256 keep = BPS - limits.maxDeviationBps;
        hops = new Hop[](path.length - 1);
        for (uint256 i; i < hops.length; ++i) {
            (address tokenIn, address tokenOut) = (path[i], path[i + 1]);
            Hop memory h = hops[i];
            h.pair = _pair(tokenIn, tokenOut);
            (uint112 r0, uint112 r1,) = IUniswapV2Pair(h.pair).getReserves();
            (h.reserveIn, h.reserveOut) = tokenIn < tokenOut ? (r0, r1) : (r1, r0);
            h.averagePrice = oracle.averagePrice(h.pair, tokenIn);
            uint256 spot = (h.reserveOut << 112) / h.reserveIn;
            uint256 floor = h.averagePrice * keep / BPS;
            if (spot < floor) revert BuybackExecutorPriceOutOfBounds(h.pair, tokenIn, spot, floor);
        }
    }

    function _quote(address[] memory path, Hop[] memory hops, uint256 amountIn)
        private
        view
        returns (uint256 out, uint256 minOut)
    {
        // Rounded up at every step: the bound errs on the strict side.
        minOut = amountIn;
        for (uint256 i; i < hops.length; ++i) {
            minOut = Math.mulDiv(minOut, hops[i].averagePrice, Q112, Math.Rounding.Ceil);
        }
        minOut = Math.mulDiv(minOut, BPS - limits.maxDeviationBps, BPS, Math.Rounding.Ceil);
        uint256[] memory amounts = router.getAmountsOut(amountIn, path);
        out = amounts[amounts.length - 1];
        if (out < minOut) revert BuybackExecutorBelowTwapValue(out, minOut);
    }

    /// @dev Largest path input (rounded down) that adds at most `maxPoolShareBps` of its input
    /// reserve to each pool, a later hop's cap carried back to the path's input at the TWAPs.
    function _depthLimit(Hop[] memory hops) private view returns (uint256 limit) {
        uint256 share = limits.maxPoolShareBps;
        limit = type(uint256).max;
        for (uint256 i = hops.length; i > 0; --i) {
            Hop memory h = hops[i - 1];
            limit = Math.min(limit, h.reserveIn * share / BPS);
            if (i > 1) limit = Math.mulDiv(limit, Q112, hops[i - 2].averagePrice);
        }
    }

    function _pair(address a, address b) private view returns (address pair) {
        pair = factory.getPair(a, b);
        if (pair == address(0)) revert BuybackExecutorNoPair(a, b);
    }

    function _setLimits(Limits memory l) private {
        if (l.maxSpendPerInterval == 0 || l.maxSpendPerInterval > MAX_SPEND_PER_INTERVAL) {
            revert BuybackExecutorInvalidParameter("maxSpendPerInterval");
        }
        if (l.interval < MIN_INTERVAL || l.interval > MAX_INTERVAL) revert BuybackExecutorInvalidParameter("interval");
        if (l.maxDeviationBps < MIN_DEVIATION_BPS || l.maxDeviationBps > MAX_DEVIATION_BPS) {
            revert BuybackExecutorInvalidParameter("maxDeviationBps");
        }
        // An honest buyback's fees and own impact (at most its pool share) on every hop must fit
        // inside the tolerance, or the TWAP-valued minimum output would refuse every buyback.
        if (
            l.maxPoolShareBps == 0 || l.maxPoolShareBps > MAX_POOL_SHARE_BPS
                || MAX_HOPS * (POOL_FEE_BPS + l.maxPoolShareBps) > l.maxDeviationBps
        ) revert BuybackExecutorInvalidParameter("maxPoolShareBps");
        emit LimitsUpdated(limits, l);
        limits = l;
    }
}
