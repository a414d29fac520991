// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "../utils/Test.sol";

/// @dev Base of invariant handlers. The fuzzer ignores reverting handler calls
/// (failOnRevert: false), so a handler never asserts by reverting: it calls the contract under
/// test, compares the outcome with what its model predicts, and records the first mismatch in
/// `violation`, which an invariant then reports.
abstract contract Handler is Test {
    string public violation;

    function _violate(string memory what) internal {
        if (bytes(violation).length == 0) violation = what;
    }

    function _check(bool ok, string memory what) internal {
        if (!ok) _violate(what);
    }

    function _checkEq(uint256 a, uint256 b, string memory what) internal {
        if (a != b) _violate(string.concat(what, ": ", vm.toString(a), " != ", vm.toString(b)));
    }

    /// @dev Calls `target` as `sender` and checks the outcome: success if `expectedError` is
    /// empty, otherwise a revert with exactly `expectedError` (selector and arguments).
    function _call(address sender, address target, bytes memory data, bytes memory expectedError, string memory what)
        internal
        returns (bool ok, bytes memory ret)
    {
        vm.prank(sender);
        (ok, ret) = target.call(data);
        if (expectedError.length == 0) {
            if (!ok) _violate(string.concat(what, ": unexpected revert ", _hex(ret)));
        } else if (ok) {
            _violate(string.concat(what, ": expected a revert ", _hex(expectedError)));
        } else if (keccak256(ret) != keccak256(expectedError)) {
            _violate(string.concat(what, ": wrong revert ", _hex(ret), " expected ", _hex(expectedError)));
        }
    }

    function _hex(bytes memory b) private pure returns (string memory s) {
        bytes memory digits = "0123456789abcdef";
        bytes memory out = new bytes(2 + 2 * b.length);
        (out[0], out[1]) = ("0", "x");
        for (uint256 i; i < b.length; ++i) {
            out[2 + 2 * i] = digits[uint8(b[i]) >> 4];
            out[3 + 2 * i] = digits[uint8(b[i]) & 15];
        }
        s = string(out);
    }
}
