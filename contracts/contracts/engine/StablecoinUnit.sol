// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";

/// @title StablecoinUnit
/// @notice One USD in the settlement stablecoin's own units, read from the token once at deployment.
/// USDC has 6 decimals on Ethereum and Base but 18 on BSC: a USD bound written for one would be off by
/// 10^12 on the other, so every contract that holds a USD amount or bound scales it by this unit.
/// Supported: 6 to 18 decimals. Fewer could not carry the gateway's micro-USD exactly; no stablecoin
/// has more, and 18 keeps every USD bound far inside its uint128 storage (1M USD is 10^24 units).
library StablecoinUnit {
    uint8 internal constant MIN_DECIMALS = 6;
    uint8 internal constant MAX_DECIMALS = 18;

    /// @notice The stablecoin `token` has `decimals` decimals, outside the supported 6 to 18.
    error StablecoinUnitUnsupportedDecimals(address token, uint8 decimals);

    /// @notice 10^decimals of `token`; reverts StablecoinUnitUnsupportedDecimals outside 6 to 18.
    function unitOf(IERC20 token) internal view returns (uint256 unit) {
        uint8 decimals = IERC20Metadata(address(token)).decimals();
        if (decimals < MIN_DECIMALS || decimals > MAX_DECIMALS) revert StablecoinUnitUnsupportedDecimals(address(token), decimals);
        unit = 10 ** decimals;
    }
}
