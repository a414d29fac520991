// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Launchpad} from "../../contracts/launch/Launchpad.sol";
import {SaleTerms} from "../../contracts/launch/Terms.sol";
import {ModelToken} from "../../contracts/token/ModelToken.sol";
import {FomoBase, Stack} from "./utils/Fomo.sol";

/// @title Property 5: graduation happens at most once, and only when allowed
/// @notice Allowed means: raiseMin reached and the window closed (anyone calls graduate), or
/// raiseMax reached (the filling buy graduates). Expectations come from the terms and the clock,
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
            _expectGraduateRefused(mt, Launchpad.State.Raising);
            tryBuy(s, supporter(i), mt, buySize(buys[i], t.raiseMax));
            filled = s.launchpad.offering(mt).raised == t.raiseMax;
            assertTrue(filled == ModelToken(mt).minted(), "minted iff raiseMax reached during the window");
        }
        if (!filled) {
            // One second before the window closes, still refused.
            if (block.timestamp < closesAt - 1) vm.warp(closesAt - 1);
            if (block.timestamp < closesAt) _expectGraduateRefused(mt, Launchpad.State.Raising);
            vm.warp(closesAt + bound(lateBy, 0, 365 days));
        }

        uint256 raised = s.launchpad.offering(mt).raised;
        if (filled) {
            assertTrue(s.launchpad.stateOf(mt) == Launchpad.State.Graduated, "filled raise is graduated");
        } else if (raised >= t.raiseMin) {
            s.launchpad.graduate(mt); // anyone may call it
            assertTrue(s.launchpad.stateOf(mt) == Launchpad.State.Graduated, "graduate() graduates");
            assertTrue(ModelToken(mt).minted(), "graduation mints");
        } else {
            _expectGraduateRefused(mt, Launchpad.State.Failed);
            assertTrue(!ModelToken(mt).minted(), "a failed raise never mints");
            return;
        }
        // At most once: a second graduation is refused, and the curve takes no more buys.
        _expectGraduateRefused(mt, Launchpad.State.Graduated);
        fund(s, supporter(0), 1e18);
        vm.prank(supporter(0));
        vm.expectRevert(abi.encodeWithSelector(Launchpad.WrongState.selector, mt, Launchpad.State.Graduated));
        s.launchpad.buy(mt, 1e18, 0, block.timestamp);
    }

    function _expectGraduateRefused(address mt, Launchpad.State state) private {
        vm.expectRevert(abi.encodeWithSelector(Launchpad.WrongState.selector, mt, state));
        s.launchpad.graduate(mt);
    }
}
