// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title LocalSmartWallet
/// @notice A minimal smart-contract wallet for local tests of smart-wallet sign-in (ERC-1271): a
///         signature is the wallet's when its owner key signed the hash. It holds and moves nothing.
contract LocalSmartWallet is IERC1271 {
    /// @notice The key whose signatures the wallet accepts.
    address public immutable owner;

    /// @param owner_ The key whose signatures the wallet accepts.
    constructor(address owner_) {
        owner = owner_;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4 magicValue) {
        (address signer, ECDSA.RecoverError error,) = ECDSA.tryRecover(hash, signature);
        // 0xffffffff: "not valid" without reverting, as ERC-1271 suggests.
        return error == ECDSA.RecoverError.NoError && signer == owner ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}

/// @title LocalSmartWalletFactory
/// @notice Deploys LocalSmartWallets with CREATE2, so a wallet's address is known (and it can sign,
///         ERC-6492) before it is deployed.
contract LocalSmartWalletFactory {
    /// @notice A wallet was deployed for `owner` at `wallet`.
    event WalletDeployed(address indexed wallet, address indexed owner, bytes32 salt);

    /// @notice Deploys the wallet of `owner` for `salt` (reverts if it already exists).
    /// @return wallet The new wallet's address.
    function deploy(address owner, bytes32 salt) external returns (address wallet) {
        wallet = address(new LocalSmartWallet{salt: salt}(owner));
        emit WalletDeployed(wallet, owner, salt);
    }
}
