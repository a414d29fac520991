// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ILaunchpad} from "../../contracts/interfaces/ILaunchpad.sol";
import {Allocation, SaleTerms, Terms} from "../../contracts/launch/Terms.sol";
import {CurveSpec, FomoBase, IV2Pair, Stack} from "./utils/Fomo.sol";

/// @title Property 6: the pool opens at the final curve price (within 1 bp, never below)
/// @notice Also from adversarial pre-states, with FLOCK as token0 or token1 of the pair: the pair
/// created by someone else; FLOCK donated to it (or to its address before it exists) and left
/// unsynced, in any amount — graduation skims it to the treasury; FLOCK synced into its reserves
/// up to 2x the FLOCK the graduation pairs — it stands in for up to half of the raise's own pool
/// FLOCK, and the registry's 2.5x liquidity headroom still covers the pool at the curve price.
/// A larger synced donation may only open the pool above the curve price, never below.
contract PoolPriceTest is FomoBase {
    /// FLOCK's code runs at one of these so the pair's token order is known: below or above any $MT.
    address internal constant FLOCK_LOW = address(uint160(0xF10C0000));
    address internal constant FLOCK_HIGH = address(type(uint160).max - 0xF10C);
    uint256 internal constant MINIMUM_LIQUIDITY = 1_000; // Uniswap V2 locks it at address(0)

    /// The attacker's pre-state before graduation.
    enum PreState {
        None,
        DonateToAddress, // FLOCK sent to the pair's CREATE2 address; no pair yet (unsynced)
        CreatePair, // pair created empty
        CreateAndDonate, // unsynced donation
        CreateDonateAndSync, // donation made the pair's reserve (up to 2x the pool FLOCK)
        SyncThenDonate, // a synced donation (up to 2x) and an unsynced one on top
        SyncBeyondHeadroom // a synced donation above 2x the pool FLOCK: price may only be higher
    }

    /// FLOCK donated to the pair before graduation.
    struct Donation {
        uint256 synced; // in the pair's reserves
        uint256 unsynced; // in its balance only
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
        _checkPoolPrice(s, defaultTemplate, flockIsToken0, fillUp, raiseSeed, donationSeed, PreState(preState % 7));
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
        _checkPoolPrice(s, templateId, flockIsToken0, fillUp, raiseSeed, donationSeed, PreState(preState % 7));
    }

    /// @notice The registry's headroom at its edge: fuzzed terms whose pool takes the largest FLOCK
    /// share the registry accepts, a raise where the pool needs the most $MT per FLOCK (f = X0, or
    /// the nearest reachable raise), and a synced donation of exactly 2x the pool FLOCK.
    function testFuzz_poolPrice_headroomEdge(uint256 termsSeed, bool flockIsToken0) public {
        Stack memory s = flockIsToken0 ? low : high;
        uint32 templateId = _addTemplateAtHeadroomEdge(s, termsSeed);
        address mt = launch(s, templateId, 0);
        Terms memory t = termsOf(s, mt);
        uint256 target = Math.min(Math.max(t.curve.virtualFlock, t.sale.raiseMin), t.sale.raiseMax);
        uint256 planned = target * t.allocation.flockLiquidityBps / BPS;
        Donation memory d = _donate(s, mt, PreState.CreateDonateAndSync, 2 * planned, planned);
        assertEq(d.synced, 2 * planned, "donation at the edge");
        uint256 treasuryBefore = s.flock.balanceOf(TREASURY);
        _raiseAndGraduate(s, mt, target);
        _checkPool(s, mt, flockIsToken0, d, treasuryBefore);
    }

    /// @notice Default terms, raise = X0 = 500,000 FLOCK (where the pool needs the most $MT per
    /// FLOCK), 500,000 FLOCK donated to the pair's address (2x the 250,000 the graduation pairs) and
    /// never synced: graduation skims it to the treasury and the pool opens with 250,000 FLOCK and
    /// 250,000·(Y0 - s)/(X0 + f) = 250,000·300,000/1,000,000 = 75,000 $MT at 3.33 FLOCK per $MT.
    function test_poolPrice_defaultTerms_unsyncedDoubleDonationAtPeakNeed() public {
        address mt = launch(low, defaultTemplate, 0);
        uint256 x0 = low.launchpad.offering(mt).virtualFlock;
        uint256 planned = x0 * defaultAllocation().flockLiquidityBps / BPS;
        Donation memory d = _donate(low, mt, PreState.DonateToAddress, 2 * planned, planned);
        uint256 treasuryBefore = low.flock.balanceOf(TREASURY);
        _raiseAndGraduate(low, mt, x0);
        _checkPool(low, mt, true, d, treasuryBefore);
        (uint256 flockReserve, uint256 mtReserve) = reservesOf(low, low.factory.getPair(mt, address(low.flock)));
        assertEq(flockReserve, 250_000e18, "pool FLOCK");
        assertEq(mtReserve, 75_000e18, "pool $MT");
    }

    /// @notice As above, but the 500,000 FLOCK are synced into the pair's reserves: they stand in
    /// for half of the raise's 250,000, so the pool gets 125,000 FLOCK from the raise (the other
    /// 125,000 go to the hosting reserve) and 625,000·0.3 = 187,500 $MT, inside the 200,000 bucket.
    function test_poolPrice_defaultTerms_syncedDoubleDonationAtPeakNeed() public {
        address mt = launch(high, defaultTemplate, 0);
        uint256 x0 = high.launchpad.offering(mt).virtualFlock;
        uint256 planned = x0 * defaultAllocation().flockLiquidityBps / BPS;
        Donation memory d = _donate(high, mt, PreState.CreateDonateAndSync, 2 * planned, planned);
        uint256 treasuryBefore = high.flock.balanceOf(TREASURY);
        _raiseAndGraduate(high, mt, x0);
        _checkPool(high, mt, false, d, treasuryBefore);
        (uint256 flockReserve, uint256 mtReserve) = reservesOf(high, high.factory.getPair(mt, address(high.flock)));
        assertEq(flockReserve, 625_000e18, "pool FLOCK");
        assertEq(mtReserve, 187_500e18, "pool $MT");
        // Hosting: 30% of the raise plus the 125,000 the donation stood in for.
        assertEq(high.flock.balanceOf(HOSTING_RESERVE), 150_000e18 + 125_000e18, "hosting reserve");
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
        Donation memory d =
            _donate(s, mt, preState, donationSeed, target * t.allocation.flockLiquidityBps / BPS);
        uint256 treasuryBefore = s.flock.balanceOf(TREASURY);
        _raiseAndGraduate(s, mt, target);
        _checkPool(s, mt, flockIsToken0, d, treasuryBefore);
    }

    /// @dev One buy brings the raise to about `target` (to raiseMax exactly when filling up, which
    /// graduates at once); otherwise the window closes and anyone graduates.
    function _raiseAndGraduate(Stack memory s, address mt, uint256 target) private {
        uint256 gross = target + CurveSpec.feeOnNet(target, s.launchpad.offering(mt).feeBpsNow);
        tryBuy(s, supporter(0), mt, gross);
        if (s.launchpad.stateOf(mt) != ILaunchpad.State.Graduated) {
            vm.warp(s.launchpad.offering(mt).closesAt);
            s.launchpad.graduate(mt);
        }
    }

    /// @dev Checks the opened pool against the spec: the raise's pool FLOCK less what a synced
    /// donation stands in for, the donation itself, the matching $MT at the final curve price; the
    /// unsynced donation at the treasury; the rest of the raise at the hosting reserve; LP burned.
    function _checkPool(Stack memory s, address mt, bool flockIsToken0, Donation memory d, uint256 treasuryBefore)
        private
        view
    {
        address pair = s.factory.getPair(mt, address(s.flock));
        assertEq(pair, predictPair(s, mt), "pair at its CREATE2 address");
        assertTrue((IV2Pair(pair).token0() == address(s.flock)) == flockIsToken0, "token order");
        uint256 used = _checkReserves(s, mt, pair, d.synced);

        // Where the rest of the FLOCK went: unsynced donations skimmed to the treasury; the raise's
        // FLOCK neither in the pool nor in the incentive share to the hosting reserve.
        ILaunchpad.OfferingView memory o = s.launchpad.offering(mt);
        assertEq(s.flock.balanceOf(TREASURY) - treasuryBefore, d.unsynced, "treasury got the unsynced donation");
        uint256 incentives = o.raised * termsOf(s, mt).allocation.flockIncentivesBps / BPS;
        assertEq(s.flock.balanceOf(HOSTING_RESERVE), o.raised - used - incentives, "hosting reserve");

        // The LP is burned: all of it at 0x...dEaD except Uniswap's locked minimum.
        assertEq(IV2Pair(pair).balanceOf(address(0)), MINIMUM_LIQUIDITY, "first mint");
        assertEq(IV2Pair(pair).balanceOf(address(s.launchpad)), 0, "launchpad holds no LP");
        assertEq(IV2Pair(pair).balanceOf(LP_BURN), IV2Pair(pair).totalSupply() - MINIMUM_LIQUIDITY, "LP burned");
    }

    /// @dev The pool's reserves and price. Returns the raise's FLOCK in the pool.
    function _checkReserves(Stack memory s, address mt, address pair, uint256 synced) private view returns (uint256 used) {
        ILaunchpad.OfferingView memory o = s.launchpad.offering(mt);
        Allocation memory a = termsOf(s, mt).allocation;
        used = CurveSpec.poolFlockUsed(o.raised * a.flockLiquidityBps / BPS, synced);
        uint256 need = CurveSpec.mtAtPrice(o.virtualFlock, o.virtualMt, o.raised, used + synced);
        bool withinHeadroom = synced <= 2 * (o.raised * a.flockLiquidityBps / BPS);
        if (withinHeadroom) assertLe(need, bucket(a.liquidityBps), "liquidity bucket short of the pool's need");

        (uint256 flockReserve, uint256 mtReserve) = reservesOf(s, pair);
        assertEq(flockReserve, used + synced, "pool FLOCK != raise's share + synced donation");
        assertEq(mtReserve, Math.min(need, bucket(a.liquidityBps)), "pool $MT");

        // Never cheaper than the curve's last price, i.e. its reserves (X0 + f) FLOCK : (Y0 - s) $MT,
        // compared exactly (cross-multiplied, no rounding).
        uint256 curveMt = o.virtualMt - CurveSpec.sold(o.virtualFlock, o.virtualMt, o.raised);
        assertGe(flockReserve * curveMt, mtReserve * (o.virtualFlock + o.raised), "pool opened below the curve price");
        uint256 curvePrice = CurveSpec.price(o.virtualFlock, o.virtualMt, o.raised);
        if (withinHeadroom) assertApproxRelBps(poolPrice(s, pair), curvePrice, 1, "pool price vs final curve price");
    }

    /// @dev Sets up the attacker's pre-state for a graduation pairing `planned` FLOCK. A synced
    /// donation is 1 wei to 2x `planned` (or above that for SyncBeyondHeadroom), an unsynced one
    /// anything up to 2^128.
    function _donate(Stack memory s, address mt, PreState preState, uint256 seed, uint256 planned)
        private
        returns (Donation memory d)
    {
        if (preState == PreState.None) return d;
        address pair = predictPair(s, mt);
        if (preState == PreState.DonateToAddress) {
            d.unsynced = bound(seed, 1, type(uint128).max);
            s.flock.mint(pair, d.unsynced);
            return d;
        }
        assertEq(s.factory.createPair(mt, address(s.flock)), pair, "pair address");
        if (preState == PreState.CreateAndDonate) d.unsynced = bound(seed, 1, type(uint128).max);
        if (preState == PreState.CreateDonateAndSync || preState == PreState.SyncThenDonate) {
            d.synced = bound(seed, 1, 2 * planned);
        }
        if (preState == PreState.SyncBeyondHeadroom) d.synced = bound(seed, 2 * planned + 1, type(uint112).max / 2);
        if (d.synced > 0) {
            s.flock.mint(pair, d.synced);
            IV2Pair(pair).sync();
        }
        if (preState == PreState.SyncThenDonate) d.unsynced = pick(seed, 0, 1, type(uint128).max);
        s.flock.mint(pair, d.unsynced);
    }

    /// @dev Adds fuzzed terms whose flockLiquidityBps is the largest the registry accepts: from a
    /// few bps above the real-valued bound 8·bucket/(5·Y0), down to the first value it takes.
    function _addTemplateAtHeadroomEdge(Stack memory s, uint256 seed) private returns (uint32 id) {
        (SaleTerms memory sale, Allocation memory a) = fuzzTerms(seed);
        uint256 y0 = CurveSpec.virtualMt(bucket(a.saleBps), sale.priceRatioBps);
        uint256 phi = Math.min(BPS, maxFlockLiquidityBps(y0, a.liquidityBps) + 3);
        bool rejected;
        while (true) {
            (a.flockLiquidityBps, a.flockHostingBps, a.flockIncentivesBps) = (uint16(phi), uint16(BPS - phi), 0);
            try s.registry.addTemplate("stories-260k", "cpu-small", sale, a, defaultPricing()) returns (uint32 added) {
                assertTrue(rejected || phi == BPS, "registry accepts a pool FLOCK share above its 2.5x headroom");
                return added;
            } catch {
                rejected = true;
                --phi;
            }
        }
    }
}
