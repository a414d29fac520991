// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {VM} from "./Vm.sol";

/// @dev Uniswap V2 from its npm builds exactly as shipped (no recompiling: Router02 hard-codes the
/// pair's init-code hash of the v2-core build). hardhat.config.ts grants vm.readFile on these files;
/// paths are relative to the Hardhat project root, where the workspace hoists node_modules one up.
library UniswapV2Builds {
    string internal constant FACTORY = "/../node_modules/@uniswap/v2-core/build/UniswapV2Factory.json";
    string internal constant ROUTER02 = "/../node_modules/@uniswap/v2-periphery/build/UniswapV2Router02.json";
    string internal constant WETH9 = "/../node_modules/@uniswap/v2-periphery/build/WETH9.json";

    /// @dev Deploys the `.bytecode` of the build at `build` with ABI-encoded `constructorArgs`.
    function deploy(string memory build, bytes memory constructorArgs) internal returns (address deployed) {
        string memory json = VM.readFile(string.concat(VM.projectRoot(), build));
        bytes memory initCode = bytes.concat(VM.parseJsonBytes(json, ".bytecode"), constructorArgs);
        assembly ("memory-safe") {
            deployed := create(0, add(initCode, 0x20), mload(initCode))
        }
        require(deployed != address(0) && deployed.code.length > 0, string.concat("deployment failed: ", build));
    }
}
