// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {StablecoinUnit} from "./StablecoinUnit.sol";

/// @title CreditDeposits
/// @notice Top-ups of inference credits in USDC (product.md §4): any wallet deposits for an API
/// account; the gateway's indexer credits the account from the `Deposited` event. Only the
/// treasury role moves deposited USDC on, and only to the settlement wallet. Amounts are in USDC
/// units as the token defines them (10^decimals per USD, 6 or 18 decimals by chain): the indexer
/// credits a deposit's micro-USD rounded down (packages/sdk/src/units.ts).
contract CreditDeposits is AccessControl {
    using SafeERC20 for IERC20;

    bytes32 public constant TREASURY_ROLE = keccak256("TREASURY_ROLE");

    IERC20 public immutable usdc;
    /// @notice One USD in USDC units (10^decimals), read from the token at deployment.
    uint256 public immutable usdcUnit;
    address public settlementWallet;
    /// @notice Number of deposits so far; each deposit's id is its index (idempotency key for the indexer).
    uint256 public depositCount;

    event Deposited(uint256 indexed depositId, bytes32 indexed accountId, address indexed from, uint256 amount);
    event Swept(address indexed to, uint256 amount);
    event SettlementWalletSet(address indexed wallet);

    error ZeroAmount();
    error InvalidAccount();
    error InvalidParameter(string param);

    constructor(IERC20 usdc_, address settlementWallet_, address admin) {
        usdc = usdc_;
        usdcUnit = StablecoinUnit.unitOf(usdc_);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setSettlementWallet(settlementWallet_);
    }

    /// @notice Deposits `amount` USDC units from the caller as credits of API account `accountId`.
    function deposit(bytes32 accountId, uint256 amount) external returns (uint256 depositId) {
        if (amount == 0) revert ZeroAmount();
        if (accountId == bytes32(0)) revert InvalidAccount();
        depositId = depositCount++;
        usdc.safeTransferFrom(msg.sender, address(this), amount);
        emit Deposited(depositId, accountId, msg.sender, amount);
    }

    /// @notice Moves deposited USDC to the settlement wallet.
    function sweep(uint256 amount) external onlyRole(TREASURY_ROLE) {
        if (amount == 0) revert ZeroAmount();
        usdc.safeTransfer(settlementWallet, amount);
        emit Swept(settlementWallet, amount);
    }

    /// @notice Sets the settlement wallet (governance).
    function setSettlementWallet(address wallet) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setSettlementWallet(wallet);
    }

    function _setSettlementWallet(address wallet) private {
        if (wallet == address(0)) revert InvalidParameter("settlementWallet");
        settlementWallet = wallet;
        emit SettlementWalletSet(wallet);
    }
}
