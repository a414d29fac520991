// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {ERC20BurnableUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20BurnableUpgradeable.sol";
import {ERC20PermitUpgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC20PermitUpgradeable.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

/// @title ModelToken ($MT)
/// @notice The fixed-supply token of one model deployment: ERC-20 with EIP-2612 permit and burn,
/// 18 decimals. Exactly 1,000,000 tokens are minted once, by the deployment's launchpad, at
/// graduation; no other mint path exists, so supply can only fall (by burns) afterwards.
/// @dev Every $MT is an EIP-1167 clone of one implementation. The clone's immutable args carry
/// `abi.encode(minter, name, symbol)`, so a launch writes no storage for them (a full ERC-20
/// deployment would cost ~870k gas). The upgradeable OZ bases are used only for their
/// storage-slot layout; there is no initializer and nothing is upgradeable.
contract ModelToken is ERC20Upgradeable, ERC20BurnableUpgradeable, ERC20PermitUpgradeable {
    /// @notice The whole supply of every $MT: 1,000,000 tokens of 18 decimals.
    uint256 public constant TOTAL_SUPPLY = 1_000_000e18;

    /// @dev The implementation itself is not a token; only its clones are.
    address private immutable _implementation = address(this);

    /// @dev Set by the one mint. (The OZ bases keep their state in ERC-7201 namespaced slots.)
    bool private _isMinted;

    /// @notice Emitted once, when the whole supply is minted.
    event SupplyMinted(address indexed to, uint256 amount);

    /// @notice The caller is not this token's launchpad.
    error NotMinter(address caller);
    /// @notice The supply was minted already.
    error AlreadyMinted();
    /// @notice Called on the implementation, which is not a token.
    error NotAClone();

    /// @notice Mints the whole supply to `to`. Callable once, by the launchpad, at graduation.
    /// @param to Receiver of the 1,000,000 tokens (the launchpad, which allocates them).
    function mintSupply(address to) external {
        if (address(this) == _implementation) revert NotAClone();
        (address minter_,,) = _args();
        if (msg.sender != minter_) revert NotMinter(msg.sender);
        if (_isMinted) revert AlreadyMinted();
        _isMinted = true;
        _mint(to, TOTAL_SUPPLY);
        emit SupplyMinted(to, TOTAL_SUPPLY);
    }

    /// @notice The launchpad that may mint the supply once.
    function minter() external view returns (address) {
        (address m,,) = _args();
        return m;
    }

    /// @notice Whether the supply has been minted.
    function minted() external view returns (bool) {
        return _isMinted;
    }

    /// @inheritdoc ERC20Upgradeable
    function name() public view override returns (string memory n) {
        (, n,) = _args();
    }

    /// @inheritdoc ERC20Upgradeable
    function symbol() public view override returns (string memory s) {
        (,, s) = _args();
    }

    function _EIP712Name() internal view override returns (string memory) {
        return name();
    }

    function _EIP712Version() internal pure override returns (string memory) {
        return "1";
    }

    function _args() private view returns (address m, string memory n, string memory s) {
        return abi.decode(Clones.fetchCloneArgs(address(this)), (address, string, string));
    }
}
