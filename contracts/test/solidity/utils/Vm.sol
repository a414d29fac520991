// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @dev The Hardhat 3 / Foundry cheatcodes the Solidity tests use (forge-std is not available from npm),
/// one interface for every test. Signatures follow Foundry's `Vm.sol`; the runner serves them at `VM`.
interface Vm {
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    function warp(uint256 newTimestamp) external;
    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function etch(address target, bytes calldata newRuntimeBytecode) external;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert(bytes4 revertData) external;
    function assume(bool condition) external pure;
    function label(address account, string calldata newLabel) external;
    function toString(uint256 value) external pure returns (string memory stringifiedValue);
    function toString(address value) external pure returns (string memory stringifiedValue);
    function recordLogs() external;
    function getRecordedLogs() external returns (Log[] memory logs);
    function projectRoot() external view returns (string memory path);
    function readFile(string calldata path) external view returns (string memory data);
    function parseJsonBytes(string calldata json, string calldata key) external pure returns (bytes memory);
}

Vm constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
