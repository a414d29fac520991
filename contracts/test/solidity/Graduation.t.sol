// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ILaunchpad} from "../../contracts/interfaces/ILaunchpad.sol";
import {Launchpad} from "../../contracts/launch/Launchpad.sol";
import {SaleTerms, Terms} from "../../contracts/launch/Terms.sol";
import {ModelToken} from "../../contracts/token/ModelToken.sol";
import {CurveSpec, FomoBase, Stack} from "./utils/Fomo.sol";

/// @title Property 5: graduation happens at most once, and only when allowed
/// @notice Allowed means: raiseMin reached and the window closed (anyone calls graduate), or
/// raiseMax reached by a buy during the window (the filling buy graduates) — never by the bundled
/// first buy. Expectations come from the terms and the clock,
/// not from the launchpad's own state machine.
contract GraduationTest is FomoBase {
    Stack internal s;
    uint32 internal defaultTemplate;

    function setUp() public {
        s = deployStack(address(0));
        defaultTemplate = addDefaultTemplate(s);
    }

    function testFuzz_graduation_defaultTerms(uint256[4] memory buys, uint256[4] memory waits, uint256 lateBy) public {
        _checkGraduation(defaultTemplate, buys, waits, lateBy);
    }

    function testFuzz_graduation_fuzzedTerms(
        uint256 termsSeed,
        uint256[4] memory buys,
        uint256[4] memory waits,
        uint256 lateBy
    ) public {
        _checkGraduation(addFuzzedTemplate(s, termsSeed), buys, waits, lateBy);
    }

    /// The bundled first buy never fills the raise (so never skips the anti-snipe window): the
    /// registry keeps its cap below the sale tranche. A first buy is refused only if it would get
    /// more than the cap, or no $MT at all.
    function testFuzz_firstBuyNeverGraduates(uint256 termsSeed, uint256 firstBuy) public {
        uint32 templateId = addFuzzedTemplate(s, termsSeed);
        Terms memory t = s.registry.terms(s.registry.template(templateId).termsId);
        firstBuy = buySize(firstBuy, t.sale.raiseMax);
        uint256 cap = bucket(t.sale.firstBuyCapBps);
        uint256 net = Math.min(firstBuy - CurveSpec.feeOnGross(firstBuy, t.sale.feeBps), t.sale.raiseMax);
        uint256 mtOut = CurveSpec.sold(t.curve.virtualFlock, t.curve.virtualMt, net);

        fund(s, CREATOR, LAUNCH_FEE + firstBuy);
        vm.prank(CREATOR);
        try s.launchpad.launch(
            Launchpad.LaunchParams({
                templateId: templateId,
                name: "First Buy",
                ticker: "FIRST",
                metadataURI: "",
                firstBuy: firstBuy,
                minMtOut: 0,
                deadline: block.timestamp
            })
        ) returns (address mt) {
            assertTrue(s.launchpad.stateOf(mt) == ILaunchpad.State.Raising, "a first buy ended the raise");
            assertTrue(!ModelToken(mt).minted(), "a first buy graduated the offering");
            assertEq(s.launchpad.positionOf(mt, CREATOR).mt, mtOut, "first buy's $MT");
            assertLe(mtOut, cap, "first buy above its cap");
        } catch {
            assertTrue(mtOut > cap || mtOut == 0, "a first buy within its cap was refused");
        }
    }

    function _checkGraduation(uint32 templateId, uint256[4] memory buys, uint256[4] memory waits, uint256 lateBy)
        private
    {
        SaleTerms memory t = s.registry.terms(s.registry.template(templateId).termsId).sale;
        address mt = launch(s, templateId, 0);
        uint256 closesAt = block.timestamp + t.duration;

        // During the window: graduate() is refused, even once raiseMin is reached; only filling
        // raiseMax graduates, in the buy itself.
        bool filled;
        for (uint256 i; i < buys.length && !filled; ++i) {
            vm.warp(block.timestamp + bound(waits[i], 0, t.duration / 4));
            if (block.timestamp >= closesAt) break;
            _expectGraduateRefused(mt, ILaunchpad.State.Raising);
            tryBuy(s, supporter(i), mt, buySize(buys[i], t.raiseMax));
            filled = s.launchpad.offering(mt).raised == t.raiseMax;
            assertTrue(filled == ModelToken(mt).minted(), "minted iff raiseMax reached during the window");
        }
        if (!filled) {
            // One second before the window closes, still refused.
            if (block.timestamp < closesAt - 1) vm.warp(closesAt - 1);
            if (block.timestamp < closesAt) _expectGraduateRefused(mt, ILaunchpad.State.Raising);
            vm.warp(closesAt + bound(lateBy, 0, 365 days));
        }

        uint256 raised = s.launchpad.offering(mt).raised;
        if (filled) {
            assertTrue(s.launchpad.stateOf(mt) == ILaunchpad.State.Graduated, "filled raise is graduated");
        } else if (raised >= t.raiseMin) {
            s.launchpad.graduate(mt); // anyone may call it
            assertTrue(s.launchpad.stateOf(mt) == ILaunchpad.State.Graduated, "graduate() graduates");
            assertTrue(ModelToken(mt).minted(), "graduation mints");
        } else {
            _expectGraduateRefused(mt, ILaunchpad.State.Failed);
            assertTrue(!ModelToken(mt).minted(), "a failed raise never mints");
            return;
        }
        // At most once: a second graduation is refused, and the curve takes no more buys.
        _expectGraduateRefused(mt, ILaunchpad.State.Graduated);
        fund(s, supporter(0), 1e18);
        vm.prank(supporter(0));
        vm.expectRevert(abi.encodeWithSelector(Launchpad.LaunchpadWrongState.selector, mt, ILaunchpad.State.Graduated));
        s.launchpad.buy(mt, 1e18, 0, block.timestamp);
    }

    function _expectGraduateRefused(address mt, ILaunchpad.State state) private {
        vm.expectRevert(abi.encodeWithSelector(Launchpad.LaunchpadWrongState.selector, mt, state));
        s.launchpad.graduate(mt);
    }
}
