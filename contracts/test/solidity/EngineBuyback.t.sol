// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {BuybackExecutor} from "../../contracts/engine/BuybackExecutor.sol";
import {TwapOracle} from "../../contracts/engine/TwapOracle.sol";
import {LocalToken} from "../../contracts/local/LocalToken.sol";

import {IUniswapV2Router} from "../../contracts/interfaces/IUniswapV2.sol";
import {BuybackFixture, BuybackSpec, IPair} from "./engine/BuybackFixture.sol";
import {BuybackHandler} from "./engine/BuybackHandler.sol";
import {InvariantTest, Test} from "./utils/Test.sol";

/// @dev The buyback price protection (docs/contracts.md) on real Uniswap V2 (factory, Router02 and
/// pairs from the npm builds), over fuzzed pool depths and prices, limits anywhere setLimits accepts,
/// budgets, observation ages and adversarial pool moves:
/// - an executed buyback gets at least its spend's TWAP value less the tolerance, and spends at most
///   min(budget, cap, every pool's depth share);
/// - on unmoved pools it always executes, spending exactly that minimum, at the router's quote;
/// - a front-run / buyback / back-run sandwich never profits (pool shares below the pool fee);
/// - budgets are conserved (also as an invariant under random funding, trades, donations and buybacks);
/// - the oracle refuses empty pairs and stale starts and never averages over less than its window.
contract EngineBuybackTest is BuybackFixture, Test {
    uint256 private constant BPS = 10_000;

    address private trader = address(0x7EAD);

    /// @dev One buyback scenario: pools opened, observed and matured, limits set, budgets funded.
    struct Case {
        address target;
        address[] path;
        uint256[] twaps; // each hop's average price over the observation's age (the pools' unmoved prices)
        BuybackExecutor.Limits limits;
        uint256 budget;
    }

    /// @dev The fuzzed inputs of a scenario (see _openCase).
    struct CaseSeeds {
        uint256 pools;
        uint256 limits;
        uint256 budget;
        uint256 age;
        bool mtBuyback;
        bool mtBelowFlock;
    }

    /// @dev What an executed buyback did, measured from balances and state.
    struct Outcome {
        uint256 spent;
        uint256 bought;
        uint256[] reservesIn; // each hop's input reserve right before the buyback
    }

    function setUp() public {
        _deployBuybackWorld();
    }

    // ------------------------------------------------------------ the buyback properties

    /// @dev Whatever a trader did to a pool on the path right before (a swap either way, along one
    /// hop or the whole path; a donation of either token, synced), an executed buyback got at least
    /// the TWAP value of its spend less the tolerance, spent at most min(budget, cap, depth limit of
    /// every pool at the reserves it met), and met every pool's spot within the tolerance of its
    /// TWAP; otherwise it reverted BuybackExecutorPriceOutOfBounds (a spot below its floor) or BuybackExecutorBelowTwapValue.
    function testFuzz_ExecutedBuybackGetsItsTwapValueAndStaysInsideItsLimits(CaseSeeds memory seeds, uint256 moveSeed, uint256 moveSize) public {
        Case memory c = _openCase(seeds);
        if (c.path.length == 0) return; // limits outside the accepted bounds (refused, as they must be)
        _move(c, moveSeed, moveSize);
        bool spotsWithinTolerance = _spotsWithinTolerance(c);
        (bool executed, Outcome memory o, bytes memory err) = _execute(c);
        if (!executed) {
            bytes4 reason = bytes4(err);
            if (spotsWithinTolerance) assertTrue(reason == BuybackExecutor.BuybackExecutorBelowTwapValue.selector, "refused: below the TWAP value");
            else assertTrue(reason == BuybackExecutor.BuybackExecutorPriceOutOfBounds.selector, "refused: a spot price below its floor");
            return;
        }
        assertTrue(spotsWithinTolerance, "executed only with every pool's spot within the tolerance of its TWAP");
        assertGe(o.bought, BuybackSpec.minOut(o.spent, c.twaps, c.limits.maxDeviationBps), "bought >= TWAP value less tolerance");
        assertLe(o.spent, _spendLimit(c, o.reservesIn), "spent <= min(budget, cap, depth limit)");
    }

    /// @dev No false refusal: with no trade since the observations matured, a buyback executes for
    /// every limits combination setLimits accepts, any depth and any budget, and spends exactly
    /// min(budget, cap, depth limit) at the router's exact quote; the next is BuybackExecutorTooSoon until the
    /// interval has passed.
    function testFuzz_UnmovedPoolsNeverRefuseABuyback(CaseSeeds memory seeds) public {
        Case memory c = _openCase(seeds);
        if (c.path.length == 0) return;
        (uint256[] memory reservesIn,) = _hops(c.path);
        uint256 spend = _spendLimit(c, reservesIn);
        uint256[] memory quote = dexRouter.getAmountsOut(spend, c.path);
        (bool executed, Outcome memory o, bytes memory err) = _execute(c);
        if (!executed) {
            assembly ("memory-safe") {
                revert(add(err, 0x20), mload(err)) // a false refusal: fail with the executor's own error
            }
        }
        assertEq(o.spent, spend, "spent min(budget, cap, depth limit)");
        assertEq(o.bought, quote[quote.length - 1], "bought the router's quote");
        assertGe(o.bought, BuybackSpec.minOut(o.spent, c.twaps, c.limits.maxDeviationBps), "bought >= TWAP value less tolerance");
        // One buyback per target per interval: a second a second before the interval ends is too soon.
        uint256 next = block.timestamp + c.limits.interval;
        vm.warp(next - 1);
        vm.expectRevert(abi.encodeWithSelector(BuybackExecutor.BuybackExecutorTooSoon.selector, c.target, next));
        if (c.target == address(flock)) executor.executeFlockBuyback();
        else executor.executeMtBuyback(c.target);
    }

    /// @dev A sandwich: the attacker front-runs along the buyback's first hop, its last hop or the
    /// whole path with a fuzzed amount, the buyback runs (or reverts), the attacker sells everything
    /// it bought back. Net of the pools' fees, it never ends with more than it started with, for
    /// every accepted limits combination.
    function testFuzz_SandwichNeverProfits(CaseSeeds memory seeds, uint256 attackSeed, uint256 attackSize) public {
        Case memory c = _openCase(seeds);
        if (c.path.length == 0) return;
        // Every share setLimits accepts (at most MAX_POOL_SHARE_BPS, 20) is well below the 0.3% fee.
        // At a share equal to the fee a sandwich did profit, found here before the bound: at 30 bps,
        // 1.26 USDC to a 24,537 USDC front-run of a 2,841 USDC buyback; at 33 bps, 0.81 USDC on a
        // 1,493 USDC one.
        uint256 hops = c.path.length - 1;
        uint256 kind = attackSeed % (2 * hops - 1); // one hop (any), or the whole path
        address[] memory front = kind < hops ? _slice(c.path, kind, kind) : c.path;
        (uint256 reserveIn,) = _reserves(front[0], front[1]);
        uint256 amountIn = reserveIn * bound(attackSize, 1, 3 * c.limits.maxDeviationBps) / BPS + 1;
        address attacker = address(0xA77AC4);
        uint256 got = _swap(attacker, front, amountIn);
        (bool executed,,) = _execute(c);
        uint256 back = _swapHeld(attacker, _reversed(front), got);
        if (executed) assertLe(back, amountIn, "the attacker gets back at most what it put in");
    }

    // ------------------------------------------------------------ budget conservation

    /// @dev Budgets in one executed buyback: spent + remaining = funded, for both budgets and the total.
    function testFuzz_BuybackMovesExactlyItsSpendOutOfTheBudgets(CaseSeeds memory seeds) public {
        Case memory c = _openCase(seeds);
        if (c.path.length == 0) return;
        address mt = address(seeds.mtBelowFlock ? mtBelow : mtAbove);
        bool mtBuyback = seeds.mtBuyback;
        (bool executed, Outcome memory o,) = _execute(c);
        assertTrue(executed, "unmoved pools execute");
        uint256 mtLeft = executor.mtBudget(mt);
        uint256 flockLeft = executor.flockBudget();
        assertEq((mtBuyback ? o.spent : 0) + mtLeft, c.budget, "MT budget: spent + left = funded");
        assertEq((mtBuyback ? 0 : o.spent) + flockLeft, c.budget, "FLOCK budget: spent + left = funded");
        assertEq(executor.budgeted(), mtLeft + flockLeft, "budgeted = sum of budgets");
        assertEq(usdc.balanceOf(address(executor)), executor.budgeted(), "USDC held = budgeted (nothing stray)");
    }

    // ------------------------------------------------------------ the oracle

    /// @dev `update` refuses a pair with an empty side, whichever side and whatever the other holds.
    function testFuzz_UpdateRefusesAPairWithAnEmptySide(uint8 side, uint256 amount) public {
        address pair = dexFactory.getPair(address(mtAbove), address(flock));
        amount = bound(amount, 1, type(uint112).max);
        if (side % 3 == 0) _donateAndSync(pair, address(mtAbove), amount);
        else if (side % 3 == 1) _donateAndSync(pair, address(flock), amount);
        else IPair(pair).sync();
        vm.expectRevert(abi.encodeWithSelector(TwapOracle.TwapOracleEmptyPair.selector, pair));
        oracle.update(pair);
    }

    /// @dev Observations of a model: an observation's accumulators and time.
    struct Obs {
        uint256 c0;
        uint256 c1;
        uint256 t;
    }

    /// @dev The two-observation rule against a model kept from the pool's own reserves: over fuzzed
    /// windows and maxAges, waits (spam inside a window, near its end, up to and past maxAge),
    /// trades and updates by anyone, `update` records exactly when the newest observation is a
    /// window old, and `averagePrice` is the average since the newest observation at least a window
    /// old: never over less than `window`, `TwapOracleNotReady` without one, `TwapOracleStale` past maxAge.
    function testFuzz_TwapAveragesOverAtLeastTheWindowAndRefusesStaleStarts(
        uint256 windowSeed,
        uint256 maxAgeSeed,
        uint256 depthSeed,
        uint256[8] memory steps
    ) public {
        uint256 window = bound(windowSeed, 30 minutes, 1 days);
        TwapOracle twap = new TwapOracle(window, bound(maxAgeSeed, 2 * window, 48 * window));
        uint256 usdcReserve = _spread(depthSeed, 0, 1_000 * USDC, 1e9 * USDC);
        _addLiquidity(address(usdc), address(flock), usdcReserve, usdcReserve * 1e12 * _spread(depthSeed, 1, 1, 1e8) / 1e4);
        Obs memory acc; // the pool's accumulators as this test accrues them from the reserves it sees
        acc.t = block.timestamp;
        Obs[2] memory model; // [older, newer]
        for (uint256 i; i < steps.length; ++i) {
            _accrue(acc, _gap(steps[i], window, twap.maxAge()));
            if ((steps[i] >> 64) % 4 != 0) {
                bool due = model[1].t == 0 || acc.t - model[1].t >= window;
                assertTrue(twap.update(usdcFlockPair) == due, "update records exactly when the newest observation is a window old");
                if (due) (model[0], model[1]) = (model[1], Obs(acc.c0, acc.c1, acc.t));
            }
            if ((steps[i] >> 66) % 2 != 0) _tradeEitherWay(steps[i] >> 67);
            _checkAverage(twap, model, acc);
        }
    }

    /// @dev A wait spread over the interesting ranges: update spam inside a window, around the
    /// window's end, up to maxAge, and past it.
    function _gap(uint256 seed, uint256 window, uint256 maxAge) private pure returns (uint256) {
        uint256 range = seed % 4;
        if (range == 0) return bound(seed >> 2, 0, window / 4);
        if (range == 1) return bound(seed >> 2, window / 2, window * 3 / 2);
        if (range == 2) return bound(seed >> 2, window, maxAge);
        return bound(seed >> 2, maxAge / 2, 2 * maxAge);
    }

    /// @dev Waits `dt` while the pool holds its current reserves: each second accrues its price.
    function _accrue(Obs memory acc, uint256 dt) private {
        (uint112 r0, uint112 r1,) = IPair(usdcFlockPair).getReserves();
        acc.c0 += ((uint256(r1) << 112) / r0) * dt;
        acc.c1 += ((uint256(r0) << 112) / r1) * dt;
        acc.t += dt;
        vm.warp(acc.t);
    }

    /// @dev A trader swaps up to half the input reserve, either way, through the USDC/FLOCK pool.
    function _tradeEitherWay(uint256 seed) private {
        address[] memory path = seed % 2 == 0 ? _flockPath() : _reversed(_flockPath());
        (uint256 reserveIn,) = _reserves(path[0], path[1]);
        _swap(trader, path, bound(seed >> 1, reserveIn / 10_000, reserveIn / 2));
    }

    /// @dev averagePrice, both ways, against the model: the newest observation at least a window
    /// old is the start; none → TwapOracleNotReady; older than maxAge → TwapOracleStale; else the exact average.
    function _checkAverage(TwapOracle twap, Obs[2] memory model, Obs memory acc) private {
        uint256 window = twap.window();
        Obs memory start = model[1].t != 0 && acc.t - model[1].t >= window ? model[1] : model[0];
        address token0 = address(usdc) < address(flock) ? address(usdc) : address(flock);
        address token1 = token0 == address(usdc) ? address(flock) : address(usdc);
        if (start.t == 0) {
            vm.expectRevert(abi.encodeWithSelector(TwapOracle.TwapOracleNotReady.selector, usdcFlockPair, window));
            twap.averagePrice(usdcFlockPair, token0);
            return;
        }
        uint256 age = acc.t - start.t;
        assertGe(age, window, "the average runs over at least the window");
        if (age > twap.maxAge()) {
            vm.expectRevert(abi.encodeWithSelector(TwapOracle.TwapOracleStale.selector, usdcFlockPair, age, twap.maxAge()));
            twap.averagePrice(usdcFlockPair, token1);
            return;
        }
        assertEq(twap.averagePrice(usdcFlockPair, token0), (acc.c0 - start.c0) / age, "average of token0");
        assertEq(twap.averagePrice(usdcFlockPair, token1), (acc.c1 - start.c1) / age, "average of token1");
    }

    // ------------------------------------------------------------ scenario helpers

    /// @dev Pools at fuzzed depths and prices (spread over orders of magnitude), observed, then
    /// `age` later (between the window and maxAge) a buyback funded with `budget` for the target and
    /// as much for the other budget. Returns an empty path when the fuzzed limits are refused (and
    /// checks they are refused exactly outside the documented bounds).
    function _openCase(CaseSeeds memory seeds) private returns (Case memory c) {
        LocalToken mt = seeds.mtBelowFlock ? mtBelow : mtAbove;
        uint256 usdcReserve = _spread(seeds.pools, 0, 10_000 * USDC, 1e9 * USDC);
        _addLiquidity(address(usdc), address(flock), usdcReserve, usdcReserve * 1e12 * _spread(seeds.pools, 1, 1, 1e8) / 1e4);
        uint256 mtPoolFlock = _spread(seeds.pools, 2, 10_000 * TOKEN, 1e10 * TOKEN);
        _addLiquidity(address(flock), address(mt), mtPoolFlock, mtPoolFlock * _spread(seeds.pools, 3, 1, 1e8) / 1e4);
        oracle.update(usdcFlockPair);
        oracle.update(dexFactory.getPair(address(flock), address(mt)));

        c.limits = _fuzzLimits(seeds.limits);
        bool fits = BuybackSpec.shareFits(c.limits.maxPoolShareBps, c.limits.maxDeviationBps);
        try executor.setLimits(c.limits) {
            assertTrue(fits, "setLimits accepts only shares whose fees and impact fit the tolerance");
        } catch {
            assertTrue(!fits, "setLimits accepts every share whose fees and impact fit the tolerance");
            return c;
        }
        c.budget = _spread(seeds.budget, 0, 1, 1e8 * USDC);
        usdc.mint(address(executor), 2 * c.budget);
        executor.fund(address(mt), c.budget, c.budget);
        vm.warp(block.timestamp + bound(seeds.age, WINDOW, MAX_AGE));
        (c.target, c.path) = seeds.mtBuyback ? (address(mt), _mtPath(address(mt))) : (address(flock), _flockPath());
        (, c.twaps) = _hops(c.path);
    }

    /// @dev Limits around the documented bounds: tolerance 0.1% to 10%, pool share up to one bps
    /// past what the tolerance allows (those must be refused; below a 0.62% tolerance no share
    /// fits), cap 1 unit to the 1M USD bound, any interval.
    function _fuzzLimits(uint256 seed) private view returns (BuybackExecutor.Limits memory l) {
        l.maxDeviationBps = uint16(pick(seed, 0, 10, 1_000));
        uint256 fitting = l.maxDeviationBps / 2 > BuybackSpec.POOL_FEE_BPS ? l.maxDeviationBps / 2 - BuybackSpec.POOL_FEE_BPS : 0;
        l.maxPoolShareBps = uint16(pick(seed, 1, 1, Math.min(BuybackSpec.MAX_SHARE_BPS, fitting) + 1));
        l.maxSpendPerInterval = uint128(_spread(seed, 2, 1, executor.MAX_SPEND_PER_INTERVAL()));
        l.interval = uint32(pick(seed, 3, 1 minutes, 1 days));
    }

    /// @dev The trader's move right before the buyback: on a fuzzed hop, a swap either way or a
    /// donation of either token (synced), of up to 3x the tolerance of that pool's reserve; or a
    /// swap along the whole path. Kind 0 leaves the pools alone.
    function _move(Case memory c, uint256 seed, uint256 size) private {
        uint256 hop = (seed / 8) % (c.path.length - 1);
        (address tokenIn, address tokenOut) = (c.path[hop], c.path[hop + 1]);
        address pair = dexFactory.getPair(tokenIn, tokenOut);
        (uint256 reserveIn, uint256 reserveOut) = _reserves(tokenIn, tokenOut);
        uint256 fractionBps = bound(size, 1, 3 * c.limits.maxDeviationBps);
        uint256 kind = seed % 6;
        if (kind == 1) _swap(trader, _slice(c.path, hop, hop), reserveIn * fractionBps / BPS + 1);
        else if (kind == 2) _swap(trader, _reversed(_slice(c.path, hop, hop)), reserveOut * fractionBps / BPS + 1);
        else if (kind == 3) _donateAndSync(pair, tokenIn, reserveIn * fractionBps / BPS + 1);
        else if (kind == 4) _donateAndSync(pair, tokenOut, reserveOut * fractionBps / BPS + 1);
        else if (kind == 5) _swap(trader, c.path, _usdcReserve() * fractionBps / BPS + 1);
    }

    function _usdcReserve() private view returns (uint256 reserve) {
        (reserve,) = _reserves(address(usdc), address(flock));
    }

    /// @dev Whether every pool on the path prices its input token at least its TWAP less the tolerance.
    function _spotsWithinTolerance(Case memory c) private view returns (bool) {
        for (uint256 i; i + 1 < c.path.length; ++i) {
            (uint256 reserveIn, uint256 reserveOut) = _reserves(c.path[i], c.path[i + 1]);
            uint256 floor = c.twaps[i] * (BPS - c.limits.maxDeviationBps) / BPS;
            if (BuybackSpec.priceX112(reserveIn, reserveOut) < floor) return false;
        }
        return true;
    }

    /// @dev Runs the case's buyback; on success, what it spent (the executor's USDC), bought (the
    /// target's supply burned) and the input reserves it met. Checks the budgets moved by the spend.
    function _execute(Case memory c) private returns (bool executed, Outcome memory o, bytes memory err) {
        (o.reservesIn,) = _hops(c.path);
        uint256 held = usdc.balanceOf(address(executor));
        uint256 budgeted = executor.budgeted();
        uint256 supply = LocalToken(c.target).totalSupply();
        bool mtBuyback = c.target != address(flock);
        uint256 budget = mtBuyback ? executor.mtBudget(c.target) : executor.flockBudget();
        uint256 spent;
        uint256 burned;
        if (mtBuyback) {
            try executor.executeMtBuyback(c.target) returns (uint256 s, uint256 b) {
                (spent, burned) = (s, b);
            } catch (bytes memory reason) {
                return (false, o, reason);
            }
        } else {
            try executor.executeFlockBuyback() returns (uint256 s, uint256 b) {
                (spent, burned) = (s, b);
            } catch (bytes memory reason) {
                return (false, o, reason);
            }
        }
        executed = true;
        o.spent = held - usdc.balanceOf(address(executor));
        o.bought = supply - LocalToken(c.target).totalSupply();
        assertEq(spent, o.spent, "reported spend = USDC that left");
        assertEq(burned, o.bought, "reported burn = supply that went");
        assertEq(budget - (mtBuyback ? executor.mtBudget(c.target) : executor.flockBudget()), o.spent, "budget fell by the spend");
        assertEq(budgeted - executor.budgeted(), o.spent, "budgeted fell by the spend");
        assertEq(LocalToken(c.target).balanceOf(address(executor)), 0, "everything bought was burned");
    }

    /// @dev min(budget at funding, cap, depth limit at `reservesIn` and the TWAPs).
    function _spendLimit(Case memory c, uint256[] memory reservesIn) private pure returns (uint256) {
        return Math.min(
            Math.min(c.budget, c.limits.maxSpendPerInterval),
            BuybackSpec.depthLimit(reservesIn, c.twaps, c.limits.maxPoolShareBps)
        );
    }

    /// @dev A value in [lo, hi] whose order of magnitude is uniform (sub-seed `i` of `seed`).
    function _spread(uint256 seed, uint256 i, uint256 lo, uint256 hi) private pure returns (uint256) {
        uint256 orders;
        for (uint256 x = hi / lo; x >= 10; x /= 10) ++orders;
        uint256 from = lo * 10 ** pick(seed, i, 0, orders);
        return pick(seed, i + 100, from, Math.min(hi, from * 10));
    }
}

contract InvariantBuybackHandler is BuybackHandler {
    constructor(BuybackExecutor executor_, IUniswapV2Router router_, LocalToken mtBelow, LocalToken mtAbove)
        BuybackHandler(executor_, router_, mtBelow, mtAbove)
    {}
}

/// @dev Budget conservation on a live executor (handler: engine/BuybackHandler.sol) over three
/// observed pools, under random funding, stray USDC, trades, donations, observations, waits, limit
/// changes and buybacks.
contract EngineBuybackInvariantTest is BuybackFixture, InvariantTest {
    InvariantBuybackHandler private handler;

    function setUp() public {
        _deployBuybackWorld();
        handler = new InvariantBuybackHandler(executor, dexRouter, mtBelow, mtAbove);
        executor.grantRole(executor.DEFAULT_ADMIN_ROLE(), address(handler));
        executor.grantRole(executor.FUNDER_ROLE(), address(handler));
        handler.openPools();
        vm.warp(block.timestamp + WINDOW);
        targetHandler(address(handler), handler.actions());
    }

    /// @dev Budgets under random funding, stray transfers, trades, donations, observations, waits,
    /// limit changes and buybacks: `budgeted` is the sum of the budgets, the executor's USDC covers
    /// it, and per target, what was funded is what was spent plus what is left.
    function invariant_BudgetsAreConserved() public view {
        uint256 mtBelowBudget = executor.mtBudget(address(mtBelow));
        uint256 mtAboveBudget = executor.mtBudget(address(mtAbove));
        uint256 flockBudget = executor.flockBudget();
        assertEq(executor.budgeted(), mtBelowBudget + mtAboveBudget + flockBudget, "budgeted = sum of budgets");
        assertGe(usdc.balanceOf(address(executor)), executor.budgeted(), "USDC held >= budgeted");
        assertEq(handler.funded(address(mtBelow)), handler.spent(address(mtBelow)) + mtBelowBudget, "funded = spent + budget (MT below)");
        assertEq(handler.funded(address(mtAbove)), handler.spent(address(mtAbove)) + mtAboveBudget, "funded = spent + budget (MT above)");
        assertEq(handler.funded(address(flock)), handler.spent(address(flock)) + flockBudget, "funded = spent + budget (FLOCK)");
        assertEq(handler.overspends(), 0, "no buyback spent more than its budget or the cap");
    }

}
