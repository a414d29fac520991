// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {BuybackExecutor} from "../../../contracts/engine/BuybackExecutor.sol";
import {TwapOracle} from "../../../contracts/engine/TwapOracle.sol";
import {LocalToken} from "../../../contracts/local/LocalToken.sol";

import {Test} from "../utils/Test.sol";
import {IUniswapV2Router} from "../../../contracts/interfaces/IUniswapV2.sol";
import {IPair, BuybackSpec} from "./BuybackFixture.sol";

/// @dev What the budget invariant lets the fuzzer do to a live executor, between buybacks: fund
/// either budget, send it stray USDC, trade any pool either way, donate and sync, observe, wait,
/// change the limits, and execute buybacks. Keeps what was funded and spent per target (spent:
/// the USDC that left the executor in that target's buyback). Abstract: the fuzzer identifies a
/// handler by its artifact, which Hardhat writes for contracts of test files only.
abstract contract BuybackHandler is Test {
    uint256 private constant USDC = 1e6;

    BuybackExecutor private executor;
    TwapOracle private oracle;
    IUniswapV2Router private router;
    LocalToken private usdc;
    LocalToken private flock;
    LocalToken[2] private mts;

    mapping(address target => uint256) public funded;
    mapping(address target => uint256) public spent;
    /// @dev Buybacks that spent more than their budget or the cap (must stay 0).
    uint256 public overspends;

    /// @dev Trades through the executor's own factory and `router_`, on the pools of `mtBelow` and `mtAbove`.
    constructor(BuybackExecutor executor_, IUniswapV2Router router_, LocalToken mtBelow, LocalToken mtAbove) {
        (executor, oracle, router) = (executor_, executor_.oracle(), router_);
        (usdc, flock) = (LocalToken(address(executor_.usdc())), LocalToken(address(executor_.flock())));
        mts = [mtBelow, mtAbove];
    }

    /// @dev The selectors the invariant fuzzer calls.
    function actions() external pure returns (bytes4[] memory a) {
        a = new bytes4[](9);
        a[0] = this.fund.selector;
        a[1] = this.sendStray.selector;
        a[2] = this.executeMt.selector;
        a[3] = this.executeFlock.selector;
        a[4] = this.trade.selector;
        a[5] = this.donateAndSync.selector;
        a[6] = this.observe.selector;
        a[7] = this.wait.selector;
        a[8] = this.setLimits.selector;
    }

    /// @dev Opens the pools (the test's pools, two model tokens) and observes them; call once, a window before use.
    function openPools() external {
        _open(usdc, flock, 200_000 * USDC, 400_000e18);
        _open(flock, mts[0], 500_000e18, 1_000_000e18);
        _open(flock, mts[1], 300_000e18, 3_000_000e18);
    }

    function _open(LocalToken a, LocalToken b, uint256 amountA, uint256 amountB) private {
        address pair = _pairOf(address(a), address(b));
        a.mint(pair, amountA);
        b.mint(pair, amountB);
        IPair(pair).mint(address(this));
        oracle.update(pair);
    }

    function fund(uint256 mtSeed, uint256 mtAmount, uint256 flockAmount) external {
        address mt = address(mts[mtSeed % 2]);
        mtAmount = bound(mtAmount, 0, 50_000 * USDC);
        flockAmount = bound(flockAmount, 0, 50_000 * USDC);
        usdc.mint(address(executor), mtAmount + flockAmount);
        executor.fund(mt, mtAmount, flockAmount);
        funded[mt] += mtAmount;
        funded[address(flock)] += flockAmount;
    }

    /// @dev USDC sent to the executor without funding a budget: it must stay out of the budgets.
    function sendStray(uint256 amount) external {
        usdc.mint(address(executor), bound(amount, 1, 10_000 * USDC));
    }

    function executeMt(uint256 mtSeed) external {
        address mt = address(mts[mtSeed % 2]);
        uint256 budget = executor.mtBudget(mt);
        uint256 held = usdc.balanceOf(address(executor));
        executor.executeMtBuyback(mt);
        _spent(mt, budget, held);
    }

    function executeFlock() external {
        uint256 budget = executor.flockBudget();
        uint256 held = usdc.balanceOf(address(executor));
        executor.executeFlockBuyback();
        _spent(address(flock), budget, held);
    }

    function _spent(address target, uint256 budget, uint256 held) private {
        uint256 out = held - usdc.balanceOf(address(executor));
        (uint128 cap,,,) = executor.limits();
        if (out > budget || out > cap) ++overspends;
        spent[target] += out;
    }

    /// @dev A trader swaps up to 5% of a pool's input reserve through it, either way (pool and direction from `seed`).
    function trade(uint256 seed, uint256 amount) external {
        address[] memory path = new address[](2);
        LocalToken other = seed % 3 == 0 ? usdc : mts[seed % 3 - 1];
        (path[0], path[1]) = (seed >> 2) % 2 == 0 ? (address(other), address(flock)) : (address(flock), address(other));
        uint256 reserveIn = LocalToken(path[0]).balanceOf(_pairOf(path[0], path[1]));
        amount = bound(amount, 1, reserveIn / 20 + 1);
        LocalToken(path[0]).mint(address(this), amount);
        LocalToken(path[0]).approve(address(router), amount);
        router.swapExactTokensForTokens(amount, 0, path, address(this), block.timestamp);
    }

    /// @dev Up to 5% of one side of a pool donated and synced.
    function donateAndSync(uint256 seed, uint256 amount) external {
        LocalToken other = seed % 3 == 0 ? usdc : mts[seed % 3 - 1];
        address pair = _pairOf(address(other), address(flock));
        LocalToken token = (seed >> 2) % 2 == 0 ? other : flock;
        token.mint(pair, bound(amount, 1, token.balanceOf(pair) / 20 + 1));
        IPair(pair).sync();
    }

    function observe(uint256 seed) external {
        LocalToken other = seed % 3 == 0 ? usdc : mts[seed % 3 - 1];
        oracle.update(_pairOf(address(other), address(flock)));
    }

    function wait(uint256 dt) external {
        vm.warp(block.timestamp + bound(dt, 1, 3 hours));
    }

    /// @dev Any limits setLimits accepts.
    function setLimits(uint256 seed) external {
        uint256 deviation = pick(seed, 0, 62, 1_000);
        uint256 share = pick(seed, 1, 1, Math.min(BuybackSpec.MAX_SHARE_BPS, deviation / 2 - BuybackSpec.POOL_FEE_BPS));
        executor.setLimits(
            BuybackExecutor.Limits(
                uint128(pick(seed, 2, 1, 100_000 * USDC)), uint32(pick(seed, 3, 1 minutes, 2 hours)), uint16(deviation), uint16(share)
            )
        );
    }

    function _pairOf(address a, address b) private view returns (address) {
        return executor.factory().getPair(a, b);
    }
}
