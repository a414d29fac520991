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

    /// @notice Role that sweeps deposited USDC to the settlement wallet.
    bytes32 public constant TREASURY_ROLE = keccak256("TREASURY_ROLE");

    /// @notice The settlement stablecoin deposits are made in.
    IERC20 public immutable usdc;
    /// @notice One USD in USDC units (10^decimals), read from the token at deployment.
    uint256 public immutable usdcUnit;
    /// @notice The only destination of swept USDC.
    address public settlementWallet;
    /// @notice Number of deposits so far; each deposit's id is its index (idempotency key for the indexer).
    uint256 public depositCount;

    /// @notice `from` deposited `amount` USDC units as credits of API account `accountId`.
    event Deposited(uint256 indexed depositId, bytes32 indexed accountId, address indexed from, uint256 amount);
    /// @notice `amount` USDC units were moved to the settlement wallet `to`.
    event Swept(address indexed to, uint256 amount);
    /// @notice The settlement wallet changed (`oldWallet` is zero at deployment).
    event SettlementWalletUpdated(address indexed oldWallet, address indexed newWallet);

    /// @notice The amount is zero.
    error CreditDepositsZeroAmount();
    /// @notice The API account id is zero.
    error CreditDepositsInvalidAccount();
    /// @notice An address is zero; `param` names it.
    error CreditDepositsInvalidParameter(string param);

    /// @param usdc_ The settlement stablecoin (6 to 18 decimals).
    /// @param settlementWallet_ Initial settlement wallet.
    /// @param admin Governance.

    constructor(IERC20 usdc_, address settlementWallet_, address admin) {
        usdc = usdc_;
        usdcUnit = StablecoinUnit.unitOf(usdc_);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setSettlementWallet(settlementWallet_);
    }

    /// @notice Deposits `amount` USDC units from the caller as credits of API account `accountId`.
    /// @param accountId The API account credited (not zero).
    /// @param amount USDC units pulled from the caller (needs allowance).
    /// @return depositId The deposit's index, the indexer's idempotency key.
    function deposit(bytes32 accountId, uint256 amount) external returns (uint256 depositId) {
        if (amount == 0) revert CreditDepositsZeroAmount();
        if (accountId == bytes32(0)) revert CreditDepositsInvalidAccount();
        depositId = depositCount++;
        usdc.safeTransferFrom(msg.sender, address(this), amount);
        emit Deposited(depositId, accountId, msg.sender, amount);
    }

    /// @notice Moves deposited USDC to the settlement wallet.
    /// @param amount USDC units moved.
    function sweep(uint256 amount) external onlyRole(TREASURY_ROLE) {
        if (amount == 0) revert CreditDepositsZeroAmount();
        usdc.safeTransfer(settlementWallet, amount);
        emit Swept(settlementWallet, amount);
    }

    /// @notice Sets the settlement wallet (governance, not zero). Emits SettlementWalletUpdated.
    /// @param wallet The new settlement wallet.
    function setSettlementWallet(address wallet) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setSettlementWallet(wallet);
    }

    function _setSettlementWallet(address wallet) private {
        if (wallet == address(0)) revert CreditDepositsInvalidParameter("settlementWallet");
        emit SettlementWalletUpdated(settlementWallet, wallet);
        settlementWallet = wallet;
    }
}
