// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {Launchpad} from "../../../contracts/launch/Launchpad.sol";
import {SaleTerms} from "../../../contracts/launch/Terms.sol";
import {CurveSpec, FomoBase, IV2Pair, Stack} from "./Fomo.sol";

/// @notice What the invariant fuzzer calls: supporters buying, time passing, graduations, refunds,
/// claims, fee withdrawals and FLOCK donated to the (future) pair, over a few live offerings.
/// @dev With failOnRevert off, a revert inside a handler call is silently dropped, so the handler
/// never asserts (nor lets a check underflow): it counts violations in public counters and the
/// invariants require them to be 0.
/// It also keeps ghost books (what each supporter put in and may take out) written from the spec.
contract LaunchHandler is FomoBase {
    Stack internal s;
    address[] public offerings;
    /// Supporters; actors[0] is CREATOR, the creator of every offering (it may make a first buy).
    address[] public actors;

    // Ghost books, per offering and supporter: net FLOCK in the curve and $MT bought, until refunded or claimed.
    mapping(address mt => mapping(address account => uint256)) public ghostNet;
    mapping(address mt => mapping(address account => uint256)) public ghostMt;
    mapping(address mt => uint256) public ghostClaimedMt;
    mapping(address mt => uint256) public ghostClaimedNet;
    /// Whether the offering must be graduated by now (raise filled up, or a successful graduate()).
    mapping(address mt => bool) public ghostGraduated;

    // Violations seen inside handler calls (named after the property they break).
    uint256 public priceFell;
    uint256 public mtOutOffCurve;
    uint256 public feeWrong;
    uint256 public buyWhenClosed;
    uint256 public buyRejected;
    uint256 public raiseMaxNotGraduated;
    uint256 public refundWrong;
    uint256 public refundsLeftRaise;
    uint256 public refundWhenNotFailed;
    uint256 public claimWrong;
    uint256 public claimBeforeGraduation;
    uint256 public graduationWrong;
    uint256 public creatorFeesWrong;
    uint256 public protocolFeesWrong;

    /// @param templateIds One offering is launched per template, all by CREATOR.
    /// @param firstBuy FLOCK of the creator's bundled first buy on the first offering (0 for none).
    constructor(Stack memory stack, uint32[] memory templateIds, uint256 firstBuy) {
        s = stack;
        actors = [CREATOR, address(0xA11CE), address(0xB0B), address(0xCA401)];
        for (uint256 i; i < actors.length; ++i) fund(s, actors[i], 0);
        for (uint256 i; i < templateIds.length; ++i) {
            address mt = launch(s, templateIds[i], i == 0 ? firstBuy : 0);
            offerings.push(mt);
            Launchpad.OfferingView memory o = s.launchpad.offering(mt);
            ghostNet[mt][CREATOR] = o.raised;
            ghostMt[mt][CREATOR] = CurveSpec.sold(o.virtualFlock, o.virtualMt, o.raised);
        }
    }

    function offeringCount() external view returns (uint256) {
        return offerings.length;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    // ------------------------------------------------------------ actions

    function buy(uint256 offeringSeed, uint256 actorSeed, uint256 gross) external {
        address mt = _offering(offeringSeed);
        address who = actors[actorSeed % actors.length];
        Launchpad.OfferingView memory o = s.launchpad.offering(mt);
        gross = buySize(gross, o.raiseMax);

        if (o.state != Launchpad.State.Raising) {
            // The curve is closed once the window ends or it graduated: a buy must revert.
            fund(s, who, gross);
            vm.prank(who);
            try s.launchpad.buy(mt, gross, 0, block.timestamp) {
                ++buyWhenClosed;
            } catch {}
            return;
        }
        SaleTerms memory t = termsOf(s, mt).sale;
        uint256 bps = CurveSpec.feeBpsAt(t.feeBps, t.snipeFeeBps, t.snipeDecayBpsPerMinute, block.timestamp - o.opensAt);
        if (bps != o.feeBpsNow) ++feeWrong;

        fund(s, who, gross);
        uint256 balanceBefore = s.flock.balanceOf(who);
        vm.prank(who);
        try s.launchpad.buy(mt, gross, 0, block.timestamp) returns (uint256 mtOut) {
            uint256 paid = _gain(s.flock.balanceOf(who), balanceBefore); // what left the buyer
            _checkBuy(mt, o, who, gross, paid, mtOut, bps);
        } catch {
            // While raising, only a buy too small to get any $MT may fail.
            uint256 net = Math.min(gross - CurveSpec.feeOnGross(gross, bps), o.raiseMax - o.raised);
            if (CurveSpec.exactOut(o.virtualFlock, o.virtualMt, o.raised, net) > 0) ++buyRejected;
        }
    }

    /// Minutes matter for the anti-snipe fee, days for the windows (1, 7 and 30 days here).
    function warp(uint256 secondsForward, uint8 scale) external {
        uint256 max = [uint256(2 hours), 1 days, 8 days, 31 days][scale % 4];
        vm.warp(block.timestamp + bound(secondsForward, 0, max));
    }

    function graduate(uint256 offeringSeed) external {
        address mt = _offeringIn(offeringSeed, Launchpad.State.Succeeded);
        Launchpad.OfferingView memory o = s.launchpad.offering(mt);
        // From the spec: only once, only after the window closed with at least raiseMin.
        bool allowed = !ghostGraduated[mt] && block.timestamp >= o.closesAt && o.raised >= o.raiseMin;
        try s.launchpad.graduate(mt) {
            if (!allowed) ++graduationWrong;
            ghostGraduated[mt] = true;
        } catch {
            if (allowed) ++graduationWrong; // graduation must never be blocked
        }
    }

    function refund(uint256 offeringSeed, uint256 actorSeed) external {
        address mt = _offeringIn(offeringSeed, Launchpad.State.Failed);
        _refund(mt, _supporter(mt, actorSeed));
    }

    /// Refunds every supporter; a failed raise must then hold nothing in its curve.
    function refundAll(uint256 offeringSeed) external {
        address mt = _offeringIn(offeringSeed, Launchpad.State.Failed);
        if (s.launchpad.stateOf(mt) != Launchpad.State.Failed) return;
        for (uint256 i; i < actors.length; ++i) {
            if (ghostNet[mt][actors[i]] > 0) _refund(mt, actors[i]);
        }
        if (s.launchpad.offering(mt).raised != 0) ++refundsLeftRaise;
    }

    function claim(uint256 offeringSeed, uint256 actorSeed) external {
        address mt = _offeringIn(offeringSeed, Launchpad.State.Graduated);
        address who = _supporter(mt, actorSeed);
        uint256 owed = ghostMt[mt][who];
        uint256 balanceBefore = _mtBalance(mt, who);
        try s.launchpad.claim(mt, who) returns (uint256 amount) {
            if (!ghostGraduated[mt]) ++claimBeforeGraduation;
            if (amount != owed || _gain(balanceBefore, _mtBalance(mt, who)) != owed) ++claimWrong;
            ghostClaimedMt[mt] += owed;
            ghostClaimedNet[mt] += ghostNet[mt][who];
            ghostMt[mt][who] = 0;
            ghostNet[mt][who] = 0;
        } catch {
            if (ghostGraduated[mt] && owed > 0) ++claimWrong; // a claim must never be blocked
        }
    }

    function withdrawCreatorFees(uint256 offeringSeed) external {
        address mt = _offering(offeringSeed);
        uint256 owed = s.launchpad.offering(mt).creatorFees;
        uint256 balanceBefore = s.flock.balanceOf(CREATOR);
        vm.prank(CREATOR);
        try s.launchpad.withdrawCreatorFees(mt) returns (uint256 amount) {
            if (amount != owed || _gain(balanceBefore, s.flock.balanceOf(CREATOR)) != owed) ++creatorFeesWrong;
        } catch {
            if (owed > 0) ++creatorFeesWrong;
        }
    }

    function collectProtocolFees(uint256 offeringSeed) external {
        address mt = _offering(offeringSeed);
        Launchpad.OfferingView memory o = s.launchpad.offering(mt);
        // The surcharge goes to the treasury only if the raise failed (else to incentives at graduation).
        uint256 owed = o.protocolFees + (o.state == Launchpad.State.Failed ? o.surcharge : 0);
        uint256 balanceBefore = s.flock.balanceOf(TREASURY);
        try s.launchpad.collectProtocolFees(mt) {
            if (_gain(balanceBefore, s.flock.balanceOf(TREASURY)) != owed) ++protocolFeesWrong;
        } catch {
            if (owed > 0) ++protocolFeesWrong;
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

    function _checkBuy(
        address mt,
        Launchpad.OfferingView memory before,
        address who,
        uint256 gross,
        uint256 paid,
        uint256 mtOut,
        uint256 bps
    ) private {
        Launchpad.OfferingView memory o = s.launchpad.offering(mt);
        if (o.price < before.price || o.raised < before.raised) {
            ++priceFell;
            return;
        }
        uint256 net = o.raised - before.raised;
        ghostNet[mt][who] += net;
        ghostMt[mt][who] += mtOut;

        // The $MT out is the exact curve amount for `net`, rounded either way by at most 1 wei.
        uint256 exact = CurveSpec.exactOut(before.virtualFlock, before.virtualMt, before.raised, net);
        if (mtOut < exact || mtOut > exact + 1) ++mtOutOffCurve;

        // Fees round up; a buy that fills the raise pays only for what fits and graduates at once.
        uint256 room = before.raiseMax - before.raised;
        if (paid < net) {
            ++feeWrong;
        } else if (net < room) {
            if (paid != gross || paid - net != CurveSpec.feeOnGross(gross, bps)) ++feeWrong;
        } else {
            if (net != room || paid - net != CurveSpec.feeOnNet(room, bps)) ++feeWrong;
            ghostGraduated[mt] = true;
            if (s.launchpad.stateOf(mt) != Launchpad.State.Graduated) ++raiseMaxNotGraduated;
        }
    }

    function _refund(address mt, address who) private {
        uint256 owed = ghostNet[mt][who];
        bool failed = s.launchpad.stateOf(mt) == Launchpad.State.Failed;
        uint256 balanceBefore = s.flock.balanceOf(who);
        try s.launchpad.refund(mt, who) returns (uint256 amount) {
            if (!failed) ++refundWhenNotFailed;
            // Exactly the net contribution: what entered the curve, fees kept.
            if (amount != owed || _gain(balanceBefore, s.flock.balanceOf(who)) != owed) ++refundWrong;
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
    function _offeringIn(uint256 seed, Launchpad.State want) private view returns (address) {
        if (seed % 4 != 0) {
            for (uint256 i; i < offerings.length; ++i) {
                address mt = offerings[(seed / 4 + i) % offerings.length];
                if (s.launchpad.stateOf(mt) == want) return mt;
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
