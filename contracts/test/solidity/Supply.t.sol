// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ILaunchpad} from "../../contracts/interfaces/ILaunchpad.sol";
import {Launchpad} from "../../contracts/launch/Launchpad.sol";
import {Allocation} from "../../contracts/launch/Terms.sol";
import {ModelToken} from "../../contracts/token/ModelToken.sol";
import {CurveSpec, FomoBase, Stack} from "./utils/Fomo.sol";
import {Vm} from "./utils/Vm.sol";

/// @title Property 1: supply
/// @notice An $MT is minted once, 1,000,000e18, at graduation; afterwards totalSupply + burned
/// == 1,000,000e18 (burns counted from Transfer-to-zero events), nothing is mintable, and a failed
/// raise never has any $MT.
contract SupplyTest is FomoBase {
    bytes32 private constant TRANSFER = keccak256("Transfer(address,address,uint256)");

    Stack internal s;
    uint32 internal defaultTemplate;

    function setUp() public {
        s = deployStack(address(0));
        defaultTemplate = addDefaultTemplate(s);
    }

    function testFuzz_supply_defaultTerms(uint256[4] memory buys, uint256[4] memory waits, uint256 burnSeed) public {
        _checkSupply(launch(s, defaultTemplate, 0), buys, waits, burnSeed);
    }

    function testFuzz_supply_fuzzedTerms(
        uint256 termsSeed,
        uint256[4] memory buys,
        uint256[4] memory waits,
        uint256 burnSeed
    ) public {
        _checkSupply(launch(s, addFuzzedTemplate(s, termsSeed), 0), buys, waits, burnSeed);
    }

    function _checkSupply(address mt, uint256[4] memory buys, uint256[4] memory waits, uint256 burnSeed) private {
        vm.recordLogs();
        buyInWindow(s, mt, buys, waits);
        vm.warp(s.launchpad.offering(mt).closesAt);
        ILaunchpad.State state = s.launchpad.stateOf(mt);
        if (state == ILaunchpad.State.Succeeded) {
            s.launchpad.graduate(mt);
            state = ILaunchpad.State.Graduated;
        }
        if (state == ILaunchpad.State.Graduated) _checkGraduatedSupply(mt, burnSeed);
        else _checkNoSupply(mt);
    }

    function _checkGraduatedSupply(address mt, uint256 burnSeed) private {
        ModelToken token = ModelToken(mt);
        uint256 burnedAtGraduation = _checkAllocation(mt);
        uint256 burnedByHolders = _claimAndBurn(mt, burnSeed);

        (uint256 mints, uint256 minted, uint256 burned) = _transfers(mt);
        assertEq(mints, 1, "number of mints");
        assertEq(minted, TOTAL_SUPPLY, "minted amount");
        assertEq(burned, burnedAtGraduation + burnedByHolders, "burned != graduation burn + holder burns");
        assertEq(token.totalSupply() + burned, TOTAL_SUPPLY, "totalSupply + burned != 1,000,000e18");

        // Nothing is mintable afterwards: not by the launchpad, not by anyone else, not by graduating again.
        vm.prank(address(s.launchpad));
        vm.expectRevert(ModelToken.ModelTokenAlreadyMinted.selector);
        token.mintSupply(address(s.launchpad));
        vm.expectRevert(abi.encodeWithSelector(ModelToken.ModelTokenNotMinter.selector, address(this)));
        token.mintSupply(address(this));
        vm.expectRevert(abi.encodeWithSelector(Launchpad.LaunchpadWrongState.selector, mt, ILaunchpad.State.Graduated));
        s.launchpad.graduate(mt);
    }

    /// @dev Right after graduation the unsold sale tranche and the unused liquidity bucket are
    /// burned and every other bucket sits where the allocation says. Returns the $MT burned.
    function _checkAllocation(address mt) private view returns (uint256 burnedAtGraduation) {
        ModelToken token = ModelToken(mt);
        ILaunchpad.OfferingView memory o = s.launchpad.offering(mt);
        Allocation memory a = termsOf(s, mt).allocation;
        uint256 sold = CurveSpec.sold(o.virtualFlock, o.virtualMt, o.raised);
        uint256 pooled = token.balanceOf(s.factory.getPair(mt, address(s.flock)));
        burnedAtGraduation = (bucket(a.saleBps) - sold) + (bucket(a.liquidityBps) - pooled);

        assertEq(token.balanceOf(address(s.launchpad)), sold, "launchpad holds the sold $MT");
        assertEq(token.balanceOf(s.launchpad.operatorVestingOf(mt)), bucket(a.operatorBps), "operator bucket");
        assertEq(token.balanceOf(address(s.incentivePool)), bucket(a.incentivesBps), "incentives bucket");
        uint256 treasuryBucket =
            TOTAL_SUPPLY - bucket(a.saleBps) - bucket(a.liquidityBps) - bucket(a.incentivesBps) - bucket(a.operatorBps);
        assertEq(token.balanceOf(TREASURY), treasuryBucket, "treasury bucket");
        assertEq(token.totalSupply(), TOTAL_SUPPLY - burnedAtGraduation, "supply after graduation");
    }

    /// @dev Every supporter claims, then burns a fuzzed part of it. Returns the $MT burned.
    function _claimAndBurn(address mt, uint256 burnSeed) private returns (uint256 burnedByHolders) {
        for (uint256 i; i < 4; ++i) {
            if (s.launchpad.positionOf(mt, supporter(i)).mt == 0) continue;
            uint256 claimed = s.launchpad.claim(mt, supporter(i));
            uint256 burn = pick(burnSeed, i, 0, claimed);
            vm.prank(supporter(i));
            ModelToken(mt).burn(burn);
            burnedByHolders += burn;
        }
    }

    function _checkNoSupply(address mt) private {
        ModelToken token = ModelToken(mt);
        assertTrue(s.launchpad.stateOf(mt) == ILaunchpad.State.Failed, "a closed raise that did not graduate failed");
        for (uint256 i; i < 4; ++i) {
            if (s.launchpad.positionOf(mt, supporter(i)).flock > 0) s.launchpad.refund(mt, supporter(i));
        }
        vm.expectRevert(abi.encodeWithSelector(Launchpad.LaunchpadWrongState.selector, mt, ILaunchpad.State.Failed));
        s.launchpad.graduate(mt);
        vm.expectRevert(abi.encodeWithSelector(ModelToken.ModelTokenNotMinter.selector, address(this)));
        token.mintSupply(address(this));

        (uint256 mints,, uint256 burned) = _transfers(mt);
        assertEq(mints, 0, "a failed raise minted $MT");
        assertEq(burned, 0, "a failed raise burned $MT");
        assertEq(token.totalSupply(), 0, "a failed raise has $MT");
        assertTrue(!token.minted(), "a failed raise is marked minted");
    }

    /// @dev Mints (Transfer from 0) and burns (Transfer to 0) of `mt` since recordLogs().
    function _transfers(address mt) private returns (uint256 mints, uint256 minted, uint256 burned) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != mt || logs[i].topics.length != 3 || logs[i].topics[0] != TRANSFER) continue;
            uint256 amount = abi.decode(logs[i].data, (uint256));
            if (logs[i].topics[1] == bytes32(0)) {
                ++mints;
                minted += amount;
            }
            if (logs[i].topics[2] == bytes32(0)) burned += amount;
        }
    }
}
