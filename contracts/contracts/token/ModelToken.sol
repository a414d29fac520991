// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

/// @title ModelToken ($MT)
/// @notice The fixed-supply token of one model deployment: ERC-20 with EIP-2612 permit and burn,
/// 18 decimals. Exactly 1,000,000 tokens are minted once, by the deployment's launchpad, at
/// graduation; no other mint path exists, so supply can only fall (by burns) afterwards.
/// @dev A full contract, not a proxy: a launch happens once, but every transfer of the token's
/// life (DEX trades, stakes, claims, buybacks) would pay a clone's cold delegatecall (~2,700 gas).
/// Deployed by ModelTokenFactory with CREATE2, so its address is known before the launch.
/// Permit is OpenZeppelin's ERC20Permit with the EIP-712 domain built here: OZ 5.7's EIP712 keeps
/// the domain name as a ShortString (at most 31 bytes), and a token name may be 32. The domain is
/// the same: name = the token's name, version "1", chain id, this address (EIP-5267 reports it).
contract ModelToken is ERC20, ERC20Burnable, IERC20Permit, IERC5267, Nonces {
    /// @notice The whole supply of every $MT: 1,000,000 tokens of 18 decimals.
    uint256 public constant TOTAL_SUPPLY = 1_000_000e18;

    bytes32 private constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant HASHED_VERSION = keccak256("1");

    /// @notice The launchpad that may mint the supply once.
    address public immutable minter;

    bytes32 private immutable _hashedName;
    // The domain separator of the chain and address it was deployed on; rebuilt elsewhere (a fork).
    bytes32 private immutable _cachedDomainSeparator;
    uint256 private immutable _cachedChainId;
    address private immutable _cachedThis;

    /// @notice Whether the supply has been minted.
    bool public minted;

    /// @notice Emitted once, when the whole supply is minted.
    event SupplyMinted(address indexed to, uint256 amount);

    /// @notice The caller is not this token's launchpad.
    error ModelTokenNotMinter(address caller);
    /// @notice The supply was minted already.
    error ModelTokenAlreadyMinted();
    /// @notice The permit's deadline has passed (OpenZeppelin ERC20Permit's error).
    error ERC2612ExpiredSignature(uint256 deadline);
    /// @notice The permit was not signed by the owner (OpenZeppelin ERC20Permit's error).
    error ERC2612InvalidSigner(address signer, address owner);

    /// @param minter_ The launchpad, the only account that may mint the supply.
    /// @param name_ Token name, also the EIP-712 domain name.
    /// @param symbol_ Ticker.
    constructor(address minter_, string memory name_, string memory symbol_) ERC20(name_, symbol_) {
        minter = minter_;
        _hashedName = keccak256(bytes(name_));
        _cachedChainId = block.chainid;
        _cachedThis = address(this);
        _cachedDomainSeparator = _buildDomainSeparator(keccak256(bytes(name_)));
    }

    /// @notice Mints the whole supply to `to`. Callable once, by the launchpad, at graduation.
    /// @param to Receiver of the 1,000,000 tokens (the launchpad, which allocates them).
    function mintSupply(address to) external {
        if (msg.sender != minter) revert ModelTokenNotMinter(msg.sender);
        if (minted) revert ModelTokenAlreadyMinted();
        minted = true;
        _mint(to, TOTAL_SUPPLY);
        emit SupplyMinted(to, TOTAL_SUPPLY);
    }

    /// @inheritdoc IERC20Permit
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
    {
        if (block.timestamp > deadline) revert ERC2612ExpiredSignature(deadline);
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, _useNonce(owner), deadline));
        address signer = ECDSA.recover(MessageHashUtils.toTypedDataHash(_domainSeparator(), structHash), v, r, s);
        if (signer != owner) revert ERC2612InvalidSigner(signer, owner);
        _approve(owner, spender, value);
    }

    /// @inheritdoc IERC20Permit
    function nonces(address owner) public view override(IERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    /// @inheritdoc IERC20Permit
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparator();
    }

    /// @inheritdoc IERC5267
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory name_,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        return (hex"0f", name(), "1", block.chainid, address(this), bytes32(0), new uint256[](0));
    }

    function _domainSeparator() private view returns (bytes32) {
        if (address(this) == _cachedThis && block.chainid == _cachedChainId) return _cachedDomainSeparator;
        return _buildDomainSeparator(_hashedName);
    }

    function _buildDomainSeparator(bytes32 hashedName) private view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, hashedName, HASHED_VERSION, block.chainid, address(this)));
    }
}
