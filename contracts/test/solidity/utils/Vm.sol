// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @dev The few Hardhat 3 / Foundry cheatcodes these tests use (forge-std is not available from npm).
/// Signatures follow Foundry's `Vm.sol`; the runner serves them at `VM_ADDRESS`.
interface Vm {
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    function warp(uint256 newTimestamp) external;
    function prank(address msgSender) external;
    function etch(address target, bytes calldata newRuntimeBytecode) external;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert(bytes4 revertData) external;
    function recordLogs() external;
    function getRecordedLogs() external returns (Log[] memory logs);
    function projectRoot() external view returns (string memory path);
    function readFile(string calldata path) external view returns (string memory data);
    function parseJsonBytes(string calldata json, string calldata key) external pure returns (bytes memory);
}

Vm constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
