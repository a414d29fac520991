// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @dev Merkle trees in the format RewardsDistributor verifies: the @openzeppelin/merkle-tree
/// StandardMerkleTree leaf for types ["address","address","uint256"] (double keccak of the ABI
/// encoding) and sorted-pair keccak nodes. Written independently of OpenZeppelin's MerkleProof,
/// which the distributor uses, so a mismatch in either shows up as a failed claim.
library RewardsTree {
    function leaf(address account, address token, uint256 cumulativeAmount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, token, cumulativeAmount))));
    }

    function _node(bytes32 a, bytes32 b) private pure returns (bytes32) {
        return a < b ? keccak256(abi.encodePacked(a, b)) : keccak256(abi.encodePacked(b, a));
    }

    /// @dev Root of a complete binary tree; `leaves.length` must be a power of two.
    function root(bytes32[] memory leaves) internal pure returns (bytes32) {
        bytes32[] memory level = _copy(leaves);
        for (uint256 n = level.length; n > 1; n /= 2) {
            for (uint256 i; i < n / 2; ++i) {
                level[i] = _node(level[2 * i], level[2 * i + 1]);
            }
        }
        return level[0];
    }

    /// @dev Siblings from leaf `index` up to the root.
    function proof(bytes32[] memory leaves, uint256 index) internal pure returns (bytes32[] memory p) {
        uint256 depth;
        for (uint256 n = leaves.length; n > 1; n /= 2) ++depth;
        p = new bytes32[](depth);
        bytes32[] memory level = _copy(leaves);
        for (uint256 d; d < depth; ++d) {
            p[d] = level[index ^ 1];
            uint256 n = level.length >> d;
            for (uint256 i; i < n / 2; ++i) {
                level[i] = _node(level[2 * i], level[2 * i + 1]);
            }
            index /= 2;
        }
    }

    function _copy(bytes32[] memory a) private pure returns (bytes32[] memory b) {
        b = new bytes32[](a.length);
        for (uint256 i; i < a.length; ++i) b[i] = a[i];
    }
}
