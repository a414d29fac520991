// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title ModelToken ($MT)
/// @notice The fixed-supply token of one model deployment: ERC-20 with EIP-2612 permit and burn,
/// 18 decimals. Exactly 1,000,000 tokens are minted once, by the deployment's launchpad, at
/// graduation; no other mint path exists, so supply can only fall (by burns) afterwards.
/// @dev A full contract, not a proxy: a launch happens once, but every transfer of the token's
/// life (DEX trades, stakes, claims, buybacks) would pay a clone's cold delegatecall (~2,700 gas).
/// Deployed by ModelTokenFactory with CREATE2, so its address is known before the launch.
contract ModelToken is ERC20, ERC20Burnable, ERC20Permit {
    /// @notice The whole supply of every $MT: 1,000,000 tokens of 18 decimals.
    uint256 public constant TOTAL_SUPPLY = 1_000_000e18;

    /// @notice The launchpad that may mint the supply once.
    address public immutable minter;

    /// @notice Whether the supply has been minted.
    bool public minted;

    /// @notice Emitted once, when the whole supply is minted.
    event SupplyMinted(address indexed to, uint256 amount);

    /// @notice The caller is not this token's launchpad.
    error NotMinter(address caller);
    /// @notice The supply was minted already.
    error AlreadyMinted();

    /// @param minter_ The launchpad, the only account that may mint the supply.
    /// @param name_ Token name, also the EIP-712 domain name.
    /// @param symbol_ Ticker.
    constructor(address minter_, string memory name_, string memory symbol_)
        ERC20(name_, symbol_)
        ERC20Permit(name_)
    {
        minter = minter_;
    }

    /// @notice Mints the whole supply to `to`. Callable once, by the launchpad, at graduation.
    /// @param to Receiver of the 1,000,000 tokens (the launchpad, which allocates them).
    function mintSupply(address to) external {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        if (minted) revert AlreadyMinted();
        minted = true;
        _mint(to, TOTAL_SUPPLY);
        emit SupplyMinted(to, TOTAL_SUPPLY);
    }
}
