// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ILaunchpad} from "../../contracts/interfaces/ILaunchpad.sol";
import {Launchpad} from "../../contracts/launch/Launchpad.sol";
import {SaleTerms} from "../../contracts/launch/Terms.sol";
import {CurveSpec, FomoBase, Stack} from "./utils/Fomo.sol";

/// @title A raise can always close (review finding 1)
/// @notice On terms whose end point does not divide exactly, rounding can leave a room of a few wei
/// under raiseMax that no buy turns into $MT. The property, over terms from anywhere inside the
/// registry's bounds (ratio, raiseMax, sale tranche, fees, window all fuzzed): after any sequence of
/// buys, including one aimed a few wei short of raiseMax, the offering either graduated, or its room
/// still holds $MT to sell and the buy that fills it succeeds and graduates; nothing waits for the
/// deadline. The spec side is CurveSpec, written from the curve's definition.
contract RaiseClosesTest is FomoBase {
    Stack internal s;
    address internal constant CLOSER = address(0xC105E);

    function setUp() public {
        s = deployStack(address(0));
    }

    function testFuzz_raiseAlwaysCloses(
        uint256 termsSeed,
        uint256[4] memory buys,
        uint256[4] memory waits,
        uint256 shortBy
    ) public {
        address mt = launch(s, addFuzzedTemplate(s, termsSeed), 0);
        buyInWindow(s, mt, buys, waits);
        _buyShortOfMax(mt, bound(shortBy, 1, 1e9));
        _assertCloses(mt);
    }

    /// The review's reproducing terms with the default allocation: every landing point of the last
    /// wei under raiseMax graduates the raise or leaves room that a fill closes.
    function testFuzz_reviewTemplate(uint256 firstNet, uint256 shortBy) public {
        SaleTerms memory sale = defaultSale();
        (sale.raiseMax, sale.priceRatioBps) = (750_000e18, 100_000);
        address mt = launch(s, addTemplate(s, sale, defaultAllocation()), 0);
        vm.warp(block.timestamp + 2 hours); // past the anti-snipe fee
        tryBuy(s, supporter(0), mt, bound(firstNet, 1e18, 740_000e18));
        _buyShortOfMax(mt, bound(shortBy, 1, 64));
        _assertCloses(mt);
    }

    /// Regression of the review's finding: 750,000 FLOCK raiseMax on a 10x curve leaves a 5-wei
    /// dust room; a buy landing in it used to leave the offering Raising, every later buy reverting
    /// LaunchpadInsufficientOutput(0, 0) and graduate() reverting LaunchpadWrongState(Raising) until the deadline.
    function test_reviewTemplateDustGraduates() public {
        SaleTerms memory sale = defaultSale();
        (sale.raiseMax, sale.priceRatioBps) = (750_000e18, 100_000);
        address mt = launch(s, addTemplate(s, sale, defaultAllocation()), 0);
        vm.warp(block.timestamp + 2 hours);
        ILaunchpad.OfferingView memory o = s.launchpad.offering(mt);
        uint256 soldAll = CurveSpec.sold(o.virtualFlock, o.virtualMt, o.raiseMax);
        assertTrue(CurveSpec.sold(o.virtualFlock, o.virtualMt, o.raiseMax - 5) == soldAll, "a 5-wei room is dust");
        _buyShortOfMax(mt, 3);
        assertTrue(s.launchpad.stateOf(mt) == ILaunchpad.State.Graduated, "the dust-leaving buy graduates");
        assertEq(CurveSpec.sold(o.virtualFlock, o.virtualMt, s.launchpad.offering(mt).raised), soldAll, "all sold");
    }

    /// One buy whose net lands about `shortBy` wei under raiseMax (the fee's rounding moves it by a wei).
    function _buyShortOfMax(address mt, uint256 shortBy) private {
        if (s.launchpad.stateOf(mt) != ILaunchpad.State.Raising) return;
        ILaunchpad.OfferingView memory o = s.launchpad.offering(mt);
        uint256 room = o.raiseMax - o.raised;
        if (room <= shortBy) return;
        uint256 net = room - shortBy;
        uint256 gross = net + CurveSpec.feeOnNet(net, o.feeBpsNow);
        Launchpad.Quote memory q = s.launchpad.quoteBuy(mt, gross);
        fund(s, supporter(1), gross);
        if (q.mtOut == 0 && !q.graduates) {
            vm.expectRevert(abi.encodeWithSelector(Launchpad.LaunchpadInsufficientOutput.selector, 0, 0));
            vm.prank(supporter(1));
            s.launchpad.buy(mt, gross, 0, block.timestamp);
            return;
        }
        vm.prank(supporter(1));
        s.launchpad.buy(mt, gross, 0, block.timestamp);
        // From the spec: the buy closes the raise iff what is left would sell no $MT.
        uint256 soldAll = CurveSpec.sold(o.virtualFlock, o.virtualMt, o.raiseMax);
        bool dust = CurveSpec.sold(o.virtualFlock, o.virtualMt, q.raisedAfter) == soldAll;
        assertTrue(
            (s.launchpad.stateOf(mt) == ILaunchpad.State.Graduated) == (dust || q.raisedAfter == o.raiseMax),
            "graduated exactly when only dust is left"
        );
    }

    /// Whatever happened, the offering is not stuck: graduated, or closable now.
    function _assertCloses(address mt) private {
        ILaunchpad.State state = s.launchpad.stateOf(mt);
        if (state == ILaunchpad.State.Succeeded) {
            s.launchpad.graduate(mt);
            return;
        }
        if (state != ILaunchpad.State.Raising) return; // Graduated, or Failed after its window
        ILaunchpad.OfferingView memory o = s.launchpad.offering(mt);
        uint256 soldAll = CurveSpec.sold(o.virtualFlock, o.virtualMt, o.raiseMax);
        assertTrue(soldAll > CurveSpec.sold(o.virtualFlock, o.virtualMt, o.raised), "a raising offering has $MT left");
        uint256 room = o.raiseMax - o.raised;
        uint256 gross = room + CurveSpec.feeOnNet(room, o.feeBpsNow);
        fund(s, CLOSER, gross);
        vm.prank(CLOSER);
        uint256 mtOut = s.launchpad.buy(mt, gross, 1, block.timestamp);
        assertTrue(s.launchpad.stateOf(mt) == ILaunchpad.State.Graduated, "the filling buy graduates");
        assertEq(mtOut, soldAll - CurveSpec.sold(o.virtualFlock, o.virtualMt, o.raised), "fill gets the rest of the curve");
    }
}
