// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ILaunchpad} from "../../../contracts/interfaces/ILaunchpad.sol";
import {Launchpad} from "../../../contracts/launch/Launchpad.sol";
import {Terms} from "../../../contracts/launch/Terms.sol";
import {ModelToken} from "../../../contracts/token/ModelToken.sol";
import {CurveSpec, FomoBase, Stack} from "./Fomo.sol";
import {LaunchHandler} from "./LaunchHandler.sol";

/// @notice The launch layer's state properties over everything a LaunchHandler did. The invariant
/// test checks them after every handler call; fuzz tests after a handler-driven sequence.
abstract contract LaunchChecks is FomoBase {
    /// Property 2: the launchpad holds the FLOCK it owes, and no more (escrow has no admin exit,
    /// so any excess would be stranded for ever): the raised FLOCK of every raising or succeeded
    /// offering, the open positions of every failed one (refunds leave `raised` as the record),
    /// every offering's unsettled fees and its surcharge. The amounts owed come from the handler's
    /// ghost books; the launchpad's views must agree with them.
    function checkFlockEscrow(Stack memory s, LaunchHandler h) internal view {
        uint256 owed;
        for (uint256 i; i < h.offeringCount(); ++i) {
            address mt = h.offerings(i);
            ILaunchpad.OfferingView memory o = s.launchpad.offering(mt);
            ILaunchpad.State state = h.specState(mt);
            if (state == ILaunchpad.State.Raising || state == ILaunchpad.State.Succeeded) owed += h.ghostRaised(mt);
            if (state == ILaunchpad.State.Failed) {
                for (uint256 j; j < h.actorCount(); ++j) owed += h.ghostNet(mt, h.actors(j));
            }
            uint256 due = h.ghostFeesAccrued(mt) - h.ghostFeesSettled(mt);
            uint256 creatorDue = due * s.registry.terms(o.termsId).sale.creatorFeeShareBps / BPS;
            assertEq(o.creatorFeesDue, creatorDue, "creatorFeesDue != creator's share of unsettled base fees");
            assertEq(o.protocolFeesDue, due - creatorDue, "protocolFeesDue != rest of unsettled base fees");
            assertEq(o.surcharge, h.ghostSurcharge(mt), "surcharge held != surcharges taken");
            owed += due + h.ghostSurcharge(mt);
        }
        uint256 held = s.flock.balanceOf(address(s.launchpad));
        assertGe(held, owed, "launchpad FLOCK < sum owed");
        assertEq(held, owed, "launchpad FLOCK != sum owed (stranded FLOCK)");
    }

    /// Property 2: after graduation the launchpad holds exactly the $MT of unclaimed positions.
    function checkMtEscrow(Stack memory s, LaunchHandler h) internal view {
        for (uint256 i; i < h.offeringCount(); ++i) {
            address mt = h.offerings(i);
            if (s.launchpad.stateOf(mt) != ILaunchpad.State.Graduated) continue;
            (, uint256 unclaimedMt) = _sumPositions(s, h, mt);
            uint256 held = IERC20(mt).balanceOf(address(s.launchpad));
            assertGe(held, unclaimedMt, "launchpad $MT < unclaimed positions");
            assertEq(held, unclaimedMt, "launchpad $MT != unclaimed positions");
        }
    }

    /// Property 3: raised <= raiseMax and equals the net FLOCK of all buys; sold <= the sale tranche
    /// (also at raiseMax); the view's sold/price follow the curve; and positions add up, refunds
    /// and claims included: Σ flock + claimed + refunded == raised and Σ mt + claimed + refunded ==
    /// sold(raised); each position matches the handler's own books.
    function checkCurveAndPositions(Stack memory s, LaunchHandler h) internal view {
        for (uint256 i; i < h.offeringCount(); ++i) {
            address mt = h.offerings(i);
            ILaunchpad.OfferingView memory o = s.launchpad.offering(mt);
            Terms memory t = s.registry.terms(o.termsId);
            uint256 tranche = bucket(t.allocation.saleBps);
            uint256 sold = CurveSpec.sold(o.virtualFlock, o.virtualMt, o.raised);

            assertEq(o.raised, h.ghostRaised(mt), "raised != net FLOCK of all buys");
            assertLe(o.raised, o.raiseMax, "raised > raiseMax");
            assertLe(sold, tranche, "sold > sale tranche");
            assertLe(CurveSpec.sold(o.virtualFlock, o.virtualMt, o.raiseMax), tranche, "sold(raiseMax) > tranche");
            assertEq(o.sold, sold, "offering().sold != curve");
            assertEq(o.price, CurveSpec.price(o.virtualFlock, o.virtualMt, o.raised), "offering().price != curve");

            (uint256 flockIn, uint256 mtOwed) = _sumPositions(s, h, mt);
            assertEq(flockIn + h.ghostClaimedNet(mt) + h.ghostRefundedNet(mt), o.raised, "positions' flock != raised");
            assertEq(mtOwed + h.ghostClaimedMt(mt) + h.ghostRefundedMt(mt), sold, "positions' mt != sold(raised)");
        }
    }

    /// Property 3, per buy (checked inside the handler): price never falls; each buy gets the
    /// exact curve amount within 1 wei; fees follow the schedule; the quote describes the buy;
    /// reaching raiseMax graduates at once; a closed curve takes no buy; an open one never rejects
    /// a buy that gets $MT.
    function checkBuys(LaunchHandler h) internal view {
        assertEq(h.priceFell(), 0, "price fell across a buy");
        assertEq(h.mtOutOffCurve(), 0, "a buy's $MT differs from the curve by more than 1 wei");
        assertEq(h.feeWrong(), 0, "a buy's fee differs from the fee schedule");
        assertEq(h.quoteWrong(), 0, "quoteBuy differs from the buy it quoted");
        assertEq(h.buyWhenClosed(), 0, "a buy went through on a closed curve");
        assertEq(h.buyWhenPaused(), 0, "a buy went through while paused");
        assertEq(h.buyRejected(), 0, "a valid buy reverted");
        assertEq(h.raiseMaxNotGraduated(), 0, "reaching raiseMax did not graduate");
    }

    /// Property 4: on a failed raise each supporter gets back exactly its net contribution (never
    /// blocked), only then; refunds leave `raised` as the record; once all are refunded no
    /// position is left.
    function checkRefunds(LaunchHandler h) internal view {
        assertEq(h.refundWrong(), 0, "a refund was not exactly the net contribution");
        assertEq(h.refundWhenNotFailed(), 0, "a refund went through outside a failed raise");
        assertEq(h.refundMovedRaised(), 0, "a refund changed raised");
        assertEq(h.refundsLeftPositions(), 0, "a position was left after every supporter was refunded");
    }

    /// Graduation, pool, claims and fees in a stateful run: graduate() succeeds exactly when
    /// allowed and opens the pool at the curve price (property 6); claims and fee settlements pay
    /// exactly what is owed; the state follows the spec; $MT exists only once graduated.
    function checkLifecycle(Stack memory s, LaunchHandler h) internal view {
        assertEq(h.graduationWrong(), 0, "graduate() succeeded when not allowed, or failed when allowed");
        assertEq(h.poolWrong(), 0, "a graduation opened the pool off the curve price or with wrong FLOCK");
        assertEq(h.claimWrong(), 0, "a claim paid a wrong amount or was blocked");
        assertEq(h.claimBeforeGraduation(), 0, "a claim went through before graduation");
        assertEq(h.settlementWrong(), 0, "settleFees paid a wrong amount, or was blocked, or paid nothing");
        for (uint256 i; i < h.offeringCount(); ++i) {
            address mt = h.offerings(i);
            bool graduated = h.ghostGraduated(mt);
            assertTrue(s.launchpad.stateOf(mt) == h.specState(mt), "state differs from the spec");
            assertTrue(graduated == ModelToken(mt).minted(), "$MT minted but not graduated, or the reverse");
            if (!graduated) assertEq(IERC20(mt).totalSupply(), 0, "$MT supply before graduation");
        }
    }

    /// Every property above, after any handler call.
    function checkAll(Stack memory s, LaunchHandler h) internal view {
        checkFlockEscrow(s, h);
        checkMtEscrow(s, h);
        checkCurveAndPositions(s, h);
        checkBuys(h);
        checkRefunds(h);
        checkLifecycle(s, h);
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
