// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ModelToken} from "./ModelToken.sol";

/// @title ModelTokenFactory
/// @notice Deploys each $MT as a full contract with CREATE2, its caller as the only minter. It
/// holds the token's creation code so the launchpad, close to the contract size limit, does not.
/// @dev Permissionless on purpose: a token's minter is always the account that asked for it, so a
/// token made by anyone else is not a FOMO offering (the launchpad only knows the tokens it made)
/// and can never be minted by the launchpad.
/// The address is `CREATE2(this, bytes32(nonce), keccak256(creationCode ++ abi.encode(minter, name, symbol)))`,
/// with `nonce` the number of tokens made for that minter before. The salt is a counter, not the
/// model id: when a failed offering's model id is launched again, even with the same name and
/// ticker, the new token gets a new address. Minter and counter together never repeat, so no
/// deployment can collide. Anyone can precompute the next address (and so its Uniswap pair),
/// which the launchpad's graduation already defends against.
contract ModelTokenFactory {
    /// @notice Tokens made so far for each minter: the salt of its next token.
    mapping(address minter => uint256 count) public tokensMadeFor;

    /// @notice A token was deployed.
    event ModelTokenDeployed(address indexed token, address indexed minter, uint256 nonce);

    /// @notice Deploys a $MT whose minter is the caller.
    /// @param name Token name (the launchpad checks it).
    /// @param symbol Ticker (the launchpad checks it).
    /// @return token The new token.
    function deployToken(string calldata name, string calldata symbol) external returns (address token) {
        uint256 nonce = tokensMadeFor[msg.sender]++;
        token = address(new ModelToken{salt: bytes32(nonce)}(msg.sender, name, symbol));
        emit ModelTokenDeployed(token, msg.sender, nonce);
    }
}
