// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Launchpad} from "../../contracts/launch/Launchpad.sol";
import {Terms} from "../../contracts/launch/Terms.sol";
import {CurveSpec, FomoBase, IV2Pair, Stack} from "./utils/Fomo.sol";

/// @title Property 6: the pool opens at the final curve price (within 1 bp)
/// @notice Also from adversarial pre-states: the pair created by someone else, FLOCK donated to
/// it (or to its address before it exists) up to 2x the FLOCK the graduation pairs, synced or not,
/// with FLOCK as token0 or token1 of the pair.
contract PoolPriceTest is FomoBase {
    /// FLOCK's code runs at one of these so the pair's token order is known: below or above any $MT.
    address internal constant FLOCK_LOW = address(uint160(0xF10C0000));
    address internal constant FLOCK_HIGH = address(type(uint160).max - 0xF10C);
    uint256 internal constant MINIMUM_LIQUIDITY = 1_000; // Uniswap V2 locks it at address(0)

    /// The attacker's pre-state before graduation.
    enum PreState {
        None,
        DonateToAddress, // FLOCK sent to the pair's CREATE2 address; no pair yet
        CreatePair, // pair created empty
        CreateAndDonate,
        CreateDonateAndSync // donation made the pair's reserve
    }

    Stack internal low;
    Stack internal high;
    uint32 internal defaultTemplate; // same id on both stacks

    function setUp() public {
        low = deployStack(FLOCK_LOW);
        high = deployStack(FLOCK_HIGH);
        defaultTemplate = addDefaultTemplate(low);
        assertEq(addDefaultTemplate(high), defaultTemplate, "template ids");
    }

    function testFuzz_poolPrice_defaultTerms(
        bool flockIsToken0,
        bool fillUp,
        uint256 raiseSeed,
        uint256 donationSeed,
        uint8 preState
    ) public {
        Stack memory s = flockIsToken0 ? low : high;
        _checkPoolPrice(s, defaultTemplate, flockIsToken0, fillUp, raiseSeed, donationSeed, PreState(preState % 5));
    }

    function testFuzz_poolPrice_fuzzedTerms(
        uint256 termsSeed,
        bool flockIsToken0,
        bool fillUp,
        uint256 raiseSeed,
        uint256 donationSeed,
        uint8 preState
    ) public {
        Stack memory s = flockIsToken0 ? low : high;
        uint32 templateId = addFuzzedTemplate(s, termsSeed);
        _checkPoolPrice(s, templateId, flockIsToken0, fillUp, raiseSeed, donationSeed, PreState(preState % 5));
    }

    /// @notice The fuzzers' finding as a fixed case. Default terms, raise = X0 = 500,000 FLOCK (where
    /// the pool needs the most $MT per FLOCK), and 500,000 FLOCK donated to the pair's address (2x
    /// the 250,000 the graduation pairs). At the final curve price, (X0 + X0)²/(X0·Y0) = 3.33 FLOCK
    /// per $MT, the 750,000 FLOCK in the pool need 225,000 $MT, but the liquidity bucket holds
    /// 200,000: the pool would open at 3.75 FLOCK per $MT, 12.5% above the curve.
    function test_poolPrice_defaultTerms_doubleDonationAtPeakNeed() public {
        address mt = launch(low, defaultTemplate, 0);
        uint256 x0 = low.launchpad.offering(mt).virtualFlock;
        uint256 poolFlock = x0 * defaultAllocation().flockLiquidityBps / BPS;
        uint256 donation = _prepare(low, mt, PreState.DonateToAddress, 2 * poolFlock, poolFlock);
        _raiseAndGraduate(low, mt, x0);
        _checkPool(low, mt, true, donation);
    }

    function _checkPoolPrice(
        Stack memory s,
        uint32 templateId,
        bool flockIsToken0,
        bool fillUp,
        uint256 raiseSeed,
        uint256 donationSeed,
        PreState preState
    ) private {
        address mt = launch(s, templateId, 0);
        Terms memory t = termsOf(s, mt);
        uint256 target = fillUp || t.sale.raiseMin == t.sale.raiseMax
            ? t.sale.raiseMax
            : bound(raiseSeed, t.sale.raiseMin, t.sale.raiseMax - 1);
        uint256 donation = _prepare(s, mt, preState, donationSeed, target * t.allocation.flockLiquidityBps / BPS);
        _raiseAndGraduate(s, mt, target);
        _checkPool(s, mt, flockIsToken0, donation);
    }

    /// @dev One buy brings the raise to about `target` (to raiseMax exactly when filling up, which
    /// graduates at once); otherwise the window closes and anyone graduates.
    function _raiseAndGraduate(Stack memory s, address mt, uint256 target) private {
        uint256 gross = target + CurveSpec.feeOnNet(target, s.launchpad.offering(mt).feeBpsNow);
        tryBuy(s, supporter(0), mt, gross);
        if (s.launchpad.stateOf(mt) != Launchpad.State.Graduated) {
            vm.warp(s.launchpad.offering(mt).closesAt);
            s.launchpad.graduate(mt);
        }
    }

    function _checkPool(Stack memory s, address mt, bool flockIsToken0, uint256 donation) private view {
        Launchpad.OfferingView memory o = s.launchpad.offering(mt);
        address pair = s.factory.getPair(mt, address(s.flock));
        assertEq(pair, predictPair(s, mt), "pair at its CREATE2 address");
        assertTrue((IV2Pair(pair).token0() == address(s.flock)) == flockIsToken0, "token order");

        // The pool holds the graduation's FLOCK plus every donated wei, at the final curve price.
        (uint256 flockReserve,) = reservesOf(s, pair);
        uint256 flockLiquidityBps = termsOf(s, mt).allocation.flockLiquidityBps;
        assertEq(flockReserve, o.raised * flockLiquidityBps / BPS + donation, "pool FLOCK");
        uint256 curvePrice = CurveSpec.price(o.virtualFlock, o.virtualMt, o.raised);
        assertApproxRelBps(poolPrice(s, pair), curvePrice, 1, "pool price vs final curve price");

        // The LP is burned: all of it at 0x...dEaD except Uniswap's locked minimum.
        assertEq(IV2Pair(pair).balanceOf(address(s.launchpad)), 0, "launchpad holds no LP");
        assertEq(IV2Pair(pair).balanceOf(LP_BURN), IV2Pair(pair).totalSupply() - MINIMUM_LIQUIDITY, "LP burned");
    }

    /// @dev Sets up the attacker's pre-state; donates up to 2x `poolFlock`. Returns the donation.
    function _prepare(Stack memory s, address mt, PreState preState, uint256 donationSeed, uint256 poolFlock)
        private
        returns (uint256 donation)
    {
        if (preState == PreState.None) return 0;
        address pair = predictPair(s, mt);
        if (preState != PreState.DonateToAddress) {
            assertEq(s.factory.createPair(mt, address(s.flock)), pair, "pair address");
        }
        if (preState == PreState.CreatePair) return 0;
        donation = bound(donationSeed, 1, 2 * poolFlock);
        s.flock.mint(pair, donation);
        if (preState == PreState.CreateDonateAndSync) IV2Pair(pair).sync();
    }
}
