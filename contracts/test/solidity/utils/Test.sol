// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {VM, Vm} from "./Vm.sol";

/// @dev A minimal stand-in for forge-std's Test, the one base of every Solidity test, fixture and handler:
/// `bound`, labelled addresses, assertions that print both sides (a failure reverts, which fails a fuzz
/// test and breaks an invariant), and the `targetContracts`/`targetSelectors` hooks the invariant
/// fuzzer reads from the test contract.
abstract contract Test {
    Vm internal constant vm = VM;

    /// @dev A fresh, labelled address with no code and no balance.
    function makeAddr(string memory name) internal returns (address a) {
        a = address(uint160(uint256(keccak256(bytes(name)))));
        vm.label(a, name);
    }

    /// @dev Maps `x` into [lo, hi]; values already inside are kept, so the fuzzer's edge-case
    /// dictionary values (0, 1, max, ...) still reach the edges of the range.
    function bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        require(lo <= hi, "bound: lo > hi");
        if (x >= lo && x <= hi) return x;
        uint256 size = hi - lo;
        if (size == type(uint256).max) return x;
        return lo + x % (size + 1);
    }

    /// @dev Independent sub-seed `i` of a fuzz seed, for tests that derive many values from one input.
    function pick(uint256 seed, uint256 i, uint256 lo, uint256 hi) internal pure returns (uint256) {
        return bound(uint256(keccak256(abi.encode(seed, i))), lo, hi);
    }

    function assertTrue(bool ok, string memory what) internal pure {
        if (!ok) revert(what);
    }

    function assertEq(uint256 a, uint256 b, string memory what) internal pure {
        if (a != b) revert(string.concat(what, ": ", Strings.toString(a), " != ", Strings.toString(b)));
    }

    function assertEq(address a, address b, string memory what) internal pure {
        if (a != b) {
            revert(string.concat(what, ": ", Strings.toHexString(a), " != ", Strings.toHexString(b)));
        }
    }

    function assertLe(uint256 a, uint256 b, string memory what) internal pure {
        if (a > b) revert(string.concat(what, ": ", Strings.toString(a), " > ", Strings.toString(b)));
    }

    function assertGe(uint256 a, uint256 b, string memory what) internal pure {
        if (a < b) revert(string.concat(what, ": ", Strings.toString(a), " < ", Strings.toString(b)));
    }

    /// @dev |a - b| <= b * maxBps / 10^4.
    function assertApproxRelBps(uint256 a, uint256 b, uint256 maxBps, string memory what) internal pure {
        uint256 diff = a > b ? a - b : b - a;
        if (diff * 10_000 > b * maxBps) {
            revert(
                string.concat(
                    what, ": ", Strings.toString(a), " vs ", Strings.toString(b), " differ by more than ",
                    Strings.toString(maxBps), " bps"
                )
            );
        }
    }
}

/// @dev forge-std's StdInvariant in miniature: what the invariant fuzzer may call.
abstract contract InvariantTest is Test {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targetedContracts;
    FuzzSelector[] private _targetedSelectors;

    function targetContract(address target) internal {
        _targetedContracts.push(target);
    }

    function targetSelector(FuzzSelector memory selector) internal {
        _targetedSelectors.push(selector);
    }

    function targetContracts() public view returns (address[] memory) {
        return _targetedContracts;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetedSelectors;
    }

    /// @dev Fuzzes exactly one handler contract, through the actions it lists.
    function targetHandler(address handler, bytes4[] memory actions) internal {
        targetContract(handler);
        targetSelector(FuzzSelector(handler, actions));
    }
}
