// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title LocalToken
/// @notice LOCAL CHAIN ONLY: stand-in for FLOCK (18 decimals) and USDC (6 decimals as on Base, or 18
/// as on BSC: deployLocal's usdcDecimals) with an open faucet. On BSC and Base the protocol uses the
/// real tokens; this contract is never deployed there.
contract LocalToken is ERC20, ERC20Burnable, ERC20Permit {
    uint8 private immutable _decimals;

    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) ERC20Permit(name_) {
        _decimals = decimals_;
    }

    /// @notice Faucet: mints `amount` to `to`. Anyone may call; local chain only.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @inheritdoc ERC20
    function decimals() public view override returns (uint8) {
        return _decimals;
    }
}
