// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {Launchpad} from "../../../contracts/launch/Launchpad.sol";
import {Terms} from "../../../contracts/launch/Terms.sol";
import {ModelToken} from "../../../contracts/token/ModelToken.sol";
import {CurveSpec, FomoBase, Stack} from "./Fomo.sol";
import {LaunchHandler} from "./LaunchHandler.sol";

/// @notice The launch layer's state properties over everything a LaunchHandler did. The invariant
/// test checks them after every handler call; fuzz tests after a handler-driven sequence.
abstract contract LaunchChecks is FomoBase {
    /// Property 2: the launchpad holds the FLOCK it owes — every non-graduated raise, every
    /// unwithdrawn creator fee, protocol fee and surcharge — and no more (escrow has no admin exit,
    /// so any excess would be stranded for ever).
    function checkFlockEscrow(Stack memory s, LaunchHandler h) internal view {
        uint256 owed;
        for (uint256 i; i < h.offeringCount(); ++i) {
            Launchpad.OfferingView memory o = s.launchpad.offering(h.offerings(i));
            if (o.state != Launchpad.State.Graduated) owed += o.raised;
            owed += o.creatorFees + o.protocolFees + o.surcharge;
        }
        uint256 held = s.flock.balanceOf(address(s.launchpad));
        assertGe(held, owed, "launchpad FLOCK < sum owed");
        assertEq(held, owed, "launchpad FLOCK != sum owed (stranded FLOCK)");
    }

    /// Property 2: after graduation the launchpad holds exactly the $MT of unclaimed positions.
    function checkMtEscrow(Stack memory s, LaunchHandler h) internal view {
        for (uint256 i; i < h.offeringCount(); ++i) {
            address mt = h.offerings(i);
            if (s.launchpad.stateOf(mt) != Launchpad.State.Graduated) continue;
            (, uint256 unclaimedMt) = _sumPositions(s, h, mt);
            uint256 held = IERC20(mt).balanceOf(address(s.launchpad));
            assertGe(held, unclaimedMt, "launchpad $MT < unclaimed positions");
            assertEq(held, unclaimedMt, "launchpad $MT != unclaimed positions");
        }
    }

    /// Property 3: raised <= raiseMax, sold <= the sale tranche (also at raiseMax), the view's
    /// sold/price follow the curve, and positions add up: Σ flock (+ claimed) == raised and
    /// Σ mt (+ claimed) == sold(raised); each position matches the handler's own books.
    function checkCurveAndPositions(Stack memory s, LaunchHandler h) internal view {
        for (uint256 i; i < h.offeringCount(); ++i) {
            address mt = h.offerings(i);
            Launchpad.OfferingView memory o = s.launchpad.offering(mt);
            Terms memory t = s.registry.terms(o.termsId);
            uint256 tranche = bucket(t.allocation.saleBps);
            uint256 sold = CurveSpec.sold(o.virtualFlock, o.virtualMt, o.raised);

            assertLe(o.raised, o.raiseMax, "raised > raiseMax");
            assertLe(sold, tranche, "sold > sale tranche");
            assertLe(CurveSpec.sold(o.virtualFlock, o.virtualMt, o.raiseMax), tranche, "sold(raiseMax) > tranche");
            assertEq(o.sold, sold, "offering().sold != curve");
            assertEq(o.price, CurveSpec.price(o.virtualFlock, o.virtualMt, o.raised), "offering().price != curve");

            (uint256 flockIn, uint256 mtOwed) = _sumPositions(s, h, mt);
            assertEq(flockIn + h.ghostClaimedNet(mt), o.raised, "sum of positions' flock != raised");
            // Refunds shrink raised and delete whole positions, so sold(raised) is path-dependent after them.
            if (o.state != Launchpad.State.Failed) {
                assertEq(mtOwed + h.ghostClaimedMt(mt), sold, "sum of positions' mt != sold(raised)");
            }
        }
    }

    /// Property 3, per buy (checked inside the handler): price never falls; each buy gets the
    /// exact curve amount within 1 wei; fees follow the schedule; reaching raiseMax graduates at
    /// once; a closed curve takes no buy; an open one never rejects a buy that gets $MT.
    function checkBuys(LaunchHandler h) internal view {
        assertEq(h.priceFell(), 0, "price fell across a buy");
        assertEq(h.mtOutOffCurve(), 0, "a buy's $MT differs from the curve by more than 1 wei");
        assertEq(h.feeWrong(), 0, "a buy's fee differs from the fee schedule");
        assertEq(h.buyWhenClosed(), 0, "a buy went through on a closed curve");
        assertEq(h.buyRejected(), 0, "a valid buy reverted");
        assertEq(h.raiseMaxNotGraduated(), 0, "reaching raiseMax did not graduate");
    }

    /// Property 4: on a failed raise each supporter gets back exactly its net contribution (never
    /// blocked), only then, and once all are refunded the offering's raised is 0.
    function checkRefunds(LaunchHandler h) internal view {
        assertEq(h.refundWrong(), 0, "a refund was not exactly the net contribution");
        assertEq(h.refundWhenNotFailed(), 0, "a refund went through outside a failed raise");
        assertEq(h.refundsLeftRaise(), 0, "raised != 0 after every supporter was refunded");
    }

    /// Graduation, claims and fees in a stateful run: graduate() succeeds exactly when allowed,
    /// claims and fee withdrawals pay exactly what is owed, and $MT exists only once graduated.
    function checkLifecycle(Stack memory s, LaunchHandler h) internal view {
        assertEq(h.graduationWrong(), 0, "graduate() succeeded when not allowed, or failed when allowed");
        assertEq(h.claimWrong(), 0, "a claim paid a wrong amount or was blocked");
        assertEq(h.claimBeforeGraduation(), 0, "a claim went through before graduation");
        assertEq(h.creatorFeesWrong(), 0, "creator fee withdrawal paid a wrong amount");
        assertEq(h.protocolFeesWrong(), 0, "protocol fee collection paid a wrong amount");
        for (uint256 i; i < h.offeringCount(); ++i) {
            address mt = h.offerings(i);
            bool graduated = h.ghostGraduated(mt);
            assertTrue(graduated == (s.launchpad.stateOf(mt) == Launchpad.State.Graduated), "graduated state drifted");
            assertTrue(graduated == ModelToken(mt).minted(), "$MT minted but not graduated, or the reverse");
            if (!graduated) assertEq(IERC20(mt).totalSupply(), 0, "$MT supply before graduation");
        }
    }

    function _sumPositions(Stack memory s, LaunchHandler h, address mt)
        private
        view
        returns (uint256 flockIn, uint256 mtOwed)
    {
        for (uint256 j; j < h.actorCount(); ++j) {
            address who = h.actors(j);
            Launchpad.Position memory p = s.launchpad.positionOf(mt, who);
            assertEq(p.flock, h.ghostNet(mt, who), "position flock != supporter's net contributions");
            assertEq(p.mt, h.ghostMt(mt, who), "position mt != supporter's $MT bought");
            flockIn += p.flock;
            mtOwed += p.mt;
        }
    }
}
