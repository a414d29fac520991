// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ILaunchpad} from "../../../contracts/interfaces/ILaunchpad.sol";
import {Launchpad} from "../../../contracts/launch/Launchpad.sol";
import {SaleTerms, Terms} from "../../../contracts/launch/Terms.sol";
import {CurveSpec, FomoBase, IV2Pair, Stack} from "./Fomo.sol";

/// @notice What the launch-layer fuzzers call: supporters buying, time passing, graduations,
/// refunds, claims, fee settlements and FLOCK donated to the (future) pair, over a few live
/// offerings. The invariant test fuzzes a subclass declared in its own .t.sol file (the runner
/// only knows the ABI of contracts declared in the files it runs); fuzz tests call it directly.
/// @dev With failOnRevert off, a revert inside a handler call is silently dropped, so the handler
/// never asserts (nor lets a check underflow): it counts violations in public counters and the
/// invariants require them to be 0.
/// It keeps ghost books written from the spec — what each supporter put in and may take out, what
/// each raise took in, the fees it owes — which LaunchChecks compares with the launchpad.
contract LaunchHandler is FomoBase {
    /// What a buy must do according to the spec (fees round up; a buy that would pass raiseMax
    /// takes only what fills it, charged on what it fills; the base fee is feeBps of what is
    /// paid, capped at the total fee, and the rest of the fee is the anti-snipe surcharge).
    struct BuySpec {
        uint256 paid;
        uint256 net;
        uint256 fee;
        uint256 baseFee;
        uint256 surcharge;
        bool fills; // closes the raise: reaches raiseMax, or leaves only dust
    }

    Stack internal s;
    address[] public offerings;
    /// Supporters; actors[0] is CREATOR, the creator of every offering (it may make a first buy).
    address[] public actors;

    // Ghost books, per offering and supporter: net FLOCK in the curve and $MT bought, until refunded or claimed.
    mapping(address mt => mapping(address account => uint256)) public ghostNet;
    mapping(address mt => mapping(address account => uint256)) public ghostMt;
    // Per offering: what left the positions by claims and by refunds.
    mapping(address mt => uint256) public ghostClaimedMt;
    mapping(address mt => uint256) public ghostClaimedNet;
    mapping(address mt => uint256) public ghostRefundedMt;
    mapping(address mt => uint256) public ghostRefundedNet;
    /// Net FLOCK that entered the curve: the record of the raise (refunds do not lower it).
    mapping(address mt => uint256) public ghostRaised;
    /// Base fees taken by buys, and the part already paid out by settleFees.
    mapping(address mt => uint256) public ghostFeesAccrued;
    mapping(address mt => uint256) public ghostFeesSettled;
    /// Anti-snipe surcharge held: it goes to incentives at graduation, to the treasury when a
    /// failed raise settles its fees.
    mapping(address mt => uint256) public ghostSurcharge;
    mapping(address mt => uint256) public ghostClosesAt;
    /// Whether the offering must be graduated by now (raise filled up, or a successful graduate()).
    mapping(address mt => bool) public ghostGraduated;
    /// The creator's bundled first buy, which vests linearly over 90 days from graduation.
    mapping(address mt => uint256) public ghostFirstBuyMt;
    mapping(address mt => uint256) public ghostGraduatedAt;
    /// The pause spec: a raise's close moves by the time paused while it was open (the ongoing
    /// pause included), by MAX_PAUSE_EXTENSION at most; the anti-snipe fee decays only over
    /// unpaused time. `ghostClosesAt` is the planned close, before any pause.
    bool public ghostPaused;
    uint256 public ghostPausedSince;
    mapping(address mt => bool) public ghostRaisingAtPause;
    mapping(address mt => uint256) public ghostPausedInRaise;

    // Violations seen inside handler calls (named after the property they break).
    uint256 public priceFell;
    uint256 public mtOutOffCurve;
    uint256 public feeWrong;
    uint256 public quoteWrong;
    uint256 public buyWhenClosed;
    uint256 public buyWhenPaused;
    uint256 public buyRejected;
    uint256 public raiseMaxNotGraduated;
    uint256 public refundWrong;
    uint256 public refundMovedRaised;
    uint256 public refundsLeftPositions;
    uint256 public refundWhenNotFailed;
    uint256 public claimWrong;
    uint256 public claimBeforeGraduation;
    uint256 public graduationWrong;
    uint256 public poolWrong;
    uint256 public settlementWrong;

    /// @param templateIds One offering is launched per template, all by CREATOR.
    /// @param firstBuy FLOCK of the creator's bundled first buy on the first offering (0 for none).
    constructor(Stack memory stack, uint32[] memory templateIds, uint256 firstBuy) {
        s = stack;
        actors = [CREATOR, address(0xA11CE), address(0xB0B), address(0xCA401)];
        for (uint256 i; i < actors.length; ++i) fund(s, actors[i], 0);
        for (uint256 i; i < templateIds.length; ++i) {
            uint256 gross = i == 0 ? firstBuy : 0;
            address mt = launch(s, templateIds[i], gross);
            offerings.push(mt);
            Terms memory t = termsOf(s, mt);
            ghostClosesAt[mt] = block.timestamp + t.sale.duration;
            if (gross == 0) continue;
            // The first buy pays the base fee only, at the start of the curve (its cap keeps it
            // below raiseMax).
            uint256 fee = CurveSpec.feeOnGross(gross, t.sale.feeBps);
            ghostRaised[mt] = gross - fee;
            ghostNet[mt][CREATOR] = gross - fee;
            ghostMt[mt][CREATOR] = CurveSpec.sold(t.curve.virtualFlock, t.curve.virtualMt, gross - fee);
            ghostFirstBuyMt[mt] = ghostMt[mt][CREATOR];
            ghostFeesAccrued[mt] = fee;
        }
    }

    function offeringCount() external view returns (uint256) {
        return offerings.length;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    /// Lifecycle state from the spec: graduated once filled or graduated; raising until the window
    /// closes; then succeeded with at least raiseMin raised, else failed.
    function specState(address mt) public view returns (ILaunchpad.State) {
        if (ghostGraduated[mt]) return ILaunchpad.State.Graduated;
        if (block.timestamp < specClose(mt)) return ILaunchpad.State.Raising;
        return ghostRaised[mt] >= termsOf(s, mt).sale.raiseMin ? ILaunchpad.State.Succeeded : ILaunchpad.State.Failed;
    }

    /// The close from the spec: planned close plus the raise's paused time, bounded.
    function specClose(address mt) public view returns (uint256) {
        uint256 ongoing = ghostPaused && ghostRaisingAtPause[mt] ? block.timestamp - ghostPausedSince : 0;
        return ghostClosesAt[mt] + _bounded(ghostPausedInRaise[mt] + ongoing);
    }

    function _bounded(uint256 pausedSeconds) private view returns (uint256) {
        uint256 cap = s.launchpad.MAX_PAUSE_EXTENSION();
        return pausedSeconds < cap ? pausedSeconds : cap;
    }

    // ------------------------------------------------------------ actions

    function buy(uint256 offeringSeed, uint256 actorSeed, uint256 gross) external {
        address mt = _offering(offeringSeed);
        address who = actors[actorSeed % actors.length];
        ILaunchpad.OfferingView memory o = s.launchpad.offering(mt);
        gross = buySize(gross, o.raiseMax);

        // Paused, no buy goes through whatever the state; the curve is closed once the window ends
        // or it graduated: either way a buy must revert.
        if (ghostPaused) {
            if (_buyWentThrough(mt, who, gross)) ++buyWhenPaused;
            return;
        }
        if (specState(mt) != ILaunchpad.State.Raising) {
            if (_buyWentThrough(mt, who, gross)) ++buyWhenClosed;
            return;
        }
        SaleTerms memory t = termsOf(s, mt).sale;
        uint256 bps = CurveSpec.feeBpsAt(t.feeBps, t.snipeFeeBps, t.snipeDecayBpsPerMinute, block.timestamp - o.opensAt - _bounded(ghostPausedInRaise[mt]));
        if (bps != o.feeBpsNow) ++feeWrong;
        BuySpec memory spec = _buySpec(o, gross, bps, t.feeBps);
        Launchpad.Quote memory q;
        try s.launchpad.quoteBuy(mt, gross) returns (Launchpad.Quote memory quote) {
            q = quote;
        } catch {
            ++quoteWrong; // an open curve always quotes
        }

        uint256 synced = _syncedFlock(mt);
        fund(s, who, gross);
        uint256 balanceBefore = s.flock.balanceOf(who);
        vm.prank(who);
        try s.launchpad.buy(mt, gross, 0, block.timestamp) returns (uint256 mtOut) {
            uint256 paid = _gain(s.flock.balanceOf(who), balanceBefore); // what left the buyer
            _checkBuy(mt, o, who, spec, paid, mtOut);
            _checkQuote(q, spec, gross, bps, mtOut, o);
            if (spec.fills) _checkPool(mt, synced);
        } catch {
            // While raising, only a buy too small to get any $MT may fail.
            if (CurveSpec.exactOut(o.virtualFlock, o.virtualMt, o.raised, spec.net) > 0) ++buyRejected;
        }
    }

    /// The pauser stops launches and buys (needs PAUSER_ROLE; without it nothing happens).
    function pause() external {
        if (ghostPaused) return;
        try s.launchpad.pause() {
            ghostPaused = true;
            ghostPausedSince = block.timestamp;
            for (uint256 i; i < offerings.length; ++i) {
                address mt = offerings[i];
                ghostRaisingAtPause[mt] = !ghostGraduated[mt] && block.timestamp < specClose(mt);
            }
        } catch {}
    }

    /// Resumes: every raise open when the pause began closes later by the pause (bounded).
    function unpause() external {
        if (!ghostPaused) return;
        s.launchpad.unpause();
        uint256 paused = block.timestamp - ghostPausedSince;
        ghostPaused = false;
        for (uint256 i; i < offerings.length; ++i) {
            address mt = offerings[i];
            if (!ghostRaisingAtPause[mt]) continue;
            ghostPausedInRaise[mt] += paused;
        }
    }

    /// Minutes matter for the anti-snipe fee, days for the windows (1, 7 and 30 days here).
    function warp(uint256 secondsForward, uint8 scale) external {
        uint256 max = [uint256(2 hours), 1 days, 8 days, 31 days][scale % 4];
        vm.warp(block.timestamp + bound(secondsForward, 0, max));
    }

    function graduate(uint256 offeringSeed) external {
        address mt = _offeringIn(offeringSeed, ILaunchpad.State.Succeeded);
        // From the spec: only once, only after the window closed with at least raiseMin.
        bool allowed = specState(mt) == ILaunchpad.State.Succeeded;
        uint256 synced = _syncedFlock(mt);
        try s.launchpad.graduate(mt) {
            if (!allowed) ++graduationWrong;
            _graduated(mt);
            _checkPool(mt, synced);
        } catch {
            if (allowed) ++graduationWrong; // graduation must never be blocked
        }
    }

    function refund(uint256 offeringSeed, uint256 actorSeed) external {
        address mt = _offeringIn(offeringSeed, ILaunchpad.State.Failed);
        _refund(mt, _supporter(mt, actorSeed));
    }

    /// Refunds every supporter; a failed raise then owes nothing from its curve.
    function refundAll(uint256 offeringSeed) external {
        address mt = _offeringIn(offeringSeed, ILaunchpad.State.Failed);
        if (specState(mt) != ILaunchpad.State.Failed) return;
        for (uint256 i; i < actors.length; ++i) {
            if (ghostNet[mt][actors[i]] > 0) _refund(mt, actors[i]);
        }
        for (uint256 i; i < actors.length; ++i) {
            if (s.launchpad.positionOf(mt, actors[i]).flock != 0) ++refundsLeftPositions;
        }
    }

    function claim(uint256 offeringSeed, uint256 actorSeed) external {
        address mt = _offeringIn(offeringSeed, ILaunchpad.State.Graduated);
        address who = _supporter(mt, actorSeed);
        uint256 locked = who == CREATOR ? _firstBuyLocked(mt) : 0;
        uint256 owed = ghostMt[mt][who] - locked;
        uint256 balanceBefore = _mtBalance(mt, who);
        try s.launchpad.claim(mt, who) returns (uint256 amount) {
            if (!ghostGraduated[mt]) ++claimBeforeGraduation;
            if (amount != owed || _gain(balanceBefore, _mtBalance(mt, who)) != owed) ++claimWrong;
            ghostClaimedMt[mt] += owed;
            ghostMt[mt][who] = locked;
            // The position (and its FLOCK record) closes with the last of the first buy.
            if (locked == 0) {
                ghostClaimedNet[mt] += ghostNet[mt][who];
                ghostNet[mt][who] = 0;
            }
        } catch {
            if (ghostGraduated[mt] && owed > 0) ++claimWrong; // a claim must never be blocked
        }
    }

    /// Anyone settles an offering's fees: the creator gets ⌊due·creatorFeeShareBps/10⁴⌋ of the base
    /// fees accrued since the last settlement, the treasury the rest, plus a failed raise's surcharge.
    function settleFees(uint256 offeringSeed, uint256 callerSeed) external {
        address mt = _offering(offeringSeed);
        uint256 due = ghostFeesAccrued[mt] - ghostFeesSettled[mt];
        uint256 creatorShare = due * termsOf(s, mt).sale.creatorFeeShareBps / BPS;
        uint256 surcharge = specState(mt) == ILaunchpad.State.Failed ? ghostSurcharge[mt] : 0;
        uint256 creatorBefore = s.flock.balanceOf(CREATOR);
        uint256 treasuryBefore = s.flock.balanceOf(TREASURY);
        vm.prank(actors[callerSeed % actors.length]);
        try s.launchpad.settleFees(mt) returns (uint256 toCreator, uint256 toProtocol, uint256 surchargePaid) {
            if (due + surcharge == 0) ++settlementWrong; // nothing to settle must revert
            if (toCreator != creatorShare || toProtocol != due - creatorShare || surchargePaid != surcharge) {
                ++settlementWrong;
            }
            if (_gain(creatorBefore, s.flock.balanceOf(CREATOR)) != creatorShare) ++settlementWrong;
            if (_gain(treasuryBefore, s.flock.balanceOf(TREASURY)) != due - creatorShare + surcharge) {
                ++settlementWrong;
            }
            ghostFeesSettled[mt] = ghostFeesAccrued[mt];
            ghostSurcharge[mt] -= surcharge;
        } catch {
            if (due + surcharge > 0) ++settlementWrong; // a settlement must never be blocked
        }
    }

    /// Adversarial pre-state: FLOCK sent to the pair's address before graduation, the pair
    /// created by someone else or not, synced or not. Bounded to raiseMax per donation.
    function donateToPair(uint256 offeringSeed, uint256 amount, bool createPair, bool sync) external {
        address mt = _offering(offeringSeed);
        if (ghostGraduated[mt]) return;
        address pair = s.factory.getPair(mt, address(s.flock));
        if (pair == address(0) && (createPair || sync)) pair = s.factory.createPair(mt, address(s.flock));
        if (pair == address(0)) pair = predictPair(s, mt);
        s.flock.mint(pair, bound(amount, 0, s.launchpad.offering(mt).raiseMax));
        if (sync) IV2Pair(pair).sync();
    }

    // ------------------------------------------------------------ checks and helpers

    function _buySpec(ILaunchpad.OfferingView memory o, uint256 gross, uint256 bps, uint256 baseBps)
        private
        pure
        returns (BuySpec memory b)
    {
        uint256 room = o.raiseMax - o.raised;
        b.paid = gross;
        b.fee = CurveSpec.feeOnGross(gross, bps);
        b.net = gross - b.fee;
        if (b.net >= room) {
            b.fills = true;
            b.net = room;
            b.fee = CurveSpec.feeOnNet(room, bps);
            b.paid = room + b.fee;
        } else {
            // The spec: a buy that leaves only dust (a room whose fill would yield no $MT) closes
            // the raise as well, so a raise never waits for its deadline with nothing left to sell.
            uint256 soldAll = CurveSpec.sold(o.virtualFlock, o.virtualMt, o.raiseMax);
            b.fills = CurveSpec.sold(o.virtualFlock, o.virtualMt, o.raised + b.net) == soldAll;
        }
        b.baseFee = Math.min(CurveSpec.feeOnGross(b.paid, baseBps), b.fee);
        b.surcharge = b.fee - b.baseFee;
    }

    function _checkBuy(
        address mt,
        ILaunchpad.OfferingView memory before,
        address who,
        BuySpec memory spec,
        uint256 paid,
        uint256 mtOut
    ) private {
        ILaunchpad.OfferingView memory o = s.launchpad.offering(mt);
        if (o.price < before.price || o.raised < before.raised) {
            ++priceFell;
            return;
        }
        // What the buyer paid and what entered the curve follow the fee schedule.
        if (paid != spec.paid || o.raised - before.raised != spec.net) ++feeWrong;
        ghostRaised[mt] += spec.net;
        ghostNet[mt][who] += spec.net;
        ghostMt[mt][who] += mtOut;
        ghostFeesAccrued[mt] += spec.baseFee;
        ghostSurcharge[mt] += spec.surcharge;

        // The $MT out is the exact curve amount for `net`, rounded either way by at most 1 wei.
        uint256 exact = CurveSpec.exactOut(before.virtualFlock, before.virtualMt, before.raised, spec.net);
        if (mtOut < exact || mtOut > exact + 1) ++mtOutOffCurve;

        // Reaching raiseMax graduates at once.
        if (spec.fills) {
            _graduated(mt);
            if (s.launchpad.stateOf(mt) != ILaunchpad.State.Graduated) ++raiseMaxNotGraduated;
        }
    }

    /// The quote taken just before the buy, in the same block, describes it exactly.
    function _checkQuote(
        Launchpad.Quote memory q,
        BuySpec memory spec,
        uint256 gross,
        uint256 bps,
        uint256 mtOut,
        ILaunchpad.OfferingView memory before
    ) private {
        uint256 raisedAfter = before.raised + spec.net;
        bool ok = q.flockIn == spec.paid && q.flockRefunded == gross - spec.paid && q.net == spec.net
            && q.mtOut == mtOut && q.feeBps == bps && q.fee == spec.fee && q.baseFee == spec.baseFee
            && q.surcharge == spec.surcharge && q.raisedAfter == raisedAfter && q.graduates == spec.fills
            && q.priceAfter == CurveSpec.price(before.virtualFlock, before.virtualMt, raisedAfter);
        if (!ok) ++quoteWrong;
    }

    /// A funded buy that the spec says must revert: did it go through?
    function _buyWentThrough(address mt, address who, uint256 gross) private returns (bool) {
        fund(s, who, gross);
        vm.prank(who);
        try s.launchpad.buy(mt, gross, 0, block.timestamp) {
            return true;
        } catch {
            return false;
        }
    }

    /// Graduation moved the surcharge to the incentive pool.
    function _graduated(address mt) private {
        ghostGraduated[mt] = true;
        ghostGraduatedAt[mt] = block.timestamp;
        ghostSurcharge[mt] = 0;
    }

    /// The part of the creator's first buy still locked (the spec: 90-day linear vesting from
    /// graduation, the locked part rounded up; all of it before graduation).
    function _firstBuyLocked(address mt) private view returns (uint256) {
        uint256 firstBuy = ghostFirstBuyMt[mt];
        if (!ghostGraduated[mt]) return firstBuy;
        uint256 end = ghostGraduatedAt[mt] + 90 days;
        if (block.timestamp >= end) return 0;
        return Math.mulDiv(firstBuy, end - block.timestamp, 90 days, Math.Rounding.Ceil);
    }

    /// FLOCK in the pair's reserves (synced), 0 if there is no pair yet.
    function _syncedFlock(address mt) private view returns (uint256 flockReserve) {
        address pair = s.factory.getPair(mt, address(s.flock));
        if (pair != address(0)) (flockReserve,) = reservesOf(s, pair);
    }

    /// Property 6 in a stateful run, whatever was donated before: the pool holds the raise's share
    /// of FLOCK (less what a synced donation stands in for, down to half) plus the synced FLOCK,
    /// never opens below the curve's last price, and within 1 bp of it if the synced FLOCK is at
    /// most twice the planned pool FLOCK.
    function _checkPool(address mt, uint256 synced) private {
        ILaunchpad.OfferingView memory o = s.launchpad.offering(mt);
        address pair = s.factory.getPair(mt, address(s.flock));
        if (pair == address(0)) {
            ++poolWrong;
            return;
        }
        uint256 planned = o.raised * termsOf(s, mt).allocation.flockLiquidityBps / BPS;
        (uint256 flockReserve, uint256 mtReserve) = reservesOf(s, pair);
        if (flockReserve != CurveSpec.poolFlockUsed(planned, synced) + synced || mtReserve == 0) ++poolWrong;
        // Never cheaper than the curve's reserves (X0 + f) : (Y0 - s), compared exactly.
        uint256 curveMt = o.virtualMt - CurveSpec.sold(o.virtualFlock, o.virtualMt, o.raised);
        if (flockReserve * curveMt < mtReserve * (o.virtualFlock + o.raised)) ++poolWrong;
        // Within 1 bp of the marginal price if the synced FLOCK is within the registry's headroom.
        uint256 curvePrice = CurveSpec.price(o.virtualFlock, o.virtualMt, o.raised);
        uint256 pool = mtReserve == 0 ? 0 : Math.mulDiv(flockReserve, 1e18, mtReserve);
        uint256 diff = pool > curvePrice ? pool - curvePrice : curvePrice - pool;
        if (synced <= 2 * planned && diff * BPS > curvePrice) ++poolWrong;
        if (IV2Pair(pair).balanceOf(LP_BURN) + 1_000 != IV2Pair(pair).totalSupply()) ++poolWrong; // LP burned
    }

    function _refund(address mt, address who) private {
        uint256 owed = ghostNet[mt][who];
        bool failed = specState(mt) == ILaunchpad.State.Failed;
        uint256 balanceBefore = s.flock.balanceOf(who);
        uint256 raisedBefore = s.launchpad.offering(mt).raised;
        try s.launchpad.refund(mt, who) returns (uint256 amount) {
            if (!failed) ++refundWhenNotFailed;
            // Exactly the net contribution: what entered the curve, fees kept.
            if (amount != owed || _gain(balanceBefore, s.flock.balanceOf(who)) != owed) ++refundWrong;
            // `raised` stays as the record of the raise.
            if (s.launchpad.offering(mt).raised != raisedBefore) ++refundMovedRaised;
            ghostRefundedNet[mt] += owed;
            ghostRefundedMt[mt] += ghostMt[mt][who];
            ghostNet[mt][who] = 0;
            ghostMt[mt][who] = 0;
        } catch {
            if (failed && owed > 0) ++refundWrong; // a refund must never be blocked
        }
    }

    function _offering(uint256 seed) private view returns (address) {
        return offerings[seed % offerings.length];
    }

    /// @dev Random walks rarely line up "this offering is in state X" with "act on it", so three
    /// times in four an action goes to an offering where it applies, if any (else, and the fourth
    /// time, to a random one, which checks that the action is refused there).
    function _offeringIn(uint256 seed, ILaunchpad.State want) private view returns (address) {
        if (seed % 4 != 0) {
            for (uint256 i; i < offerings.length; ++i) {
                address mt = offerings[(seed / 4 + i) % offerings.length];
                if (specState(mt) == want) return mt;
            }
        }
        return _offering(seed / 4);
    }

    /// @dev Likewise, three times in four, a supporter holding a position in `mt`, if any.
    function _supporter(address mt, uint256 seed) private view returns (address) {
        if (seed % 4 != 0) {
            for (uint256 i; i < actors.length; ++i) {
                address who = actors[(seed / 4 + i) % actors.length];
                if (ghostNet[mt][who] > 0 || ghostMt[mt][who] > 0) return who;
            }
        }
        return actors[seed / 4 % actors.length];
    }

    /// @dev `to - from`, or type(uint256).max if it fell: never equal to an amount owed, never a revert.
    function _gain(uint256 from, uint256 to) private pure returns (uint256) {
        return to >= from ? to - from : type(uint256).max;
    }

    function _mtBalance(address mt, address who) private view returns (uint256) {
        return ghostGraduated[mt] ? IERC20(mt).balanceOf(who) : 0;
    }
}
