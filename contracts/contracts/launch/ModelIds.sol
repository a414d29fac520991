// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ModelIds
/// @notice The rules of an offering's name, ticker and API model id (docs/protocol.md#launch):
/// a name is 1-32 bytes of printable ASCII, a ticker 1-10 of A-Z and 0-9, and the model id
/// `<baseModelId>-<ticker in lower case>`.
/// @dev Pure, with internal functions only: inlined into Launchpad, nothing to link or deploy. The
/// checks answer with a flag; the caller reverts with its own error.
library ModelIds {
    /// @notice Whether `name` is 1-32 bytes of printable ASCII: shown in wallets, so no control or
    /// look-alike characters.
    function isValidName(string calldata name) internal pure returns (bool) {
        bytes calldata b = bytes(name);
        if (b.length == 0 || b.length > 32) return false;
        for (uint256 i; i < b.length; ++i) {
            if (b[i] < 0x20 || b[i] > 0x7e) return false;
        }
        return true;
    }

    /// @notice The API model id `<baseModelId>-<ticker in lower case>`, and whether `ticker` is
    /// valid (1-10 of A-Z and 0-9; the id is empty when it is not).
    function modelId(string memory baseModelId, string memory ticker)
        internal
        pure
        returns (bool valid, string memory id)
    {
        bytes memory b = bytes(ticker);
        if (b.length == 0 || b.length > 10) return (false, "");
        bytes memory lower = new bytes(b.length);
        for (uint256 i; i < b.length; ++i) {
            bytes1 c = b[i];
            if (c >= "A" && c <= "Z") lower[i] = bytes1(uint8(c) + 32);
            else if (c >= "0" && c <= "9") lower[i] = c;
            else return (false, "");
        }
        return (true, string.concat(baseModelId, "-", string(lower)));
    }
}
