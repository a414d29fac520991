// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {VestingWalletCliffUpgradeable} from
    "@openzeppelin/contracts-upgradeable/finance/VestingWalletCliffUpgradeable.sol";

/// @title OperatorVesting
/// @notice OpenZeppelin's cliff vesting wallet for an issuer's operator allocation: nothing before
/// the cliff (90 days), then linear from the start to the end (day 365). Not revocable.
/// @dev Deployed once as an implementation; the launchpad clones it (EIP-1167) per graduation,
/// which costs ~130k gas instead of ~600k for a fresh deployment.
contract OperatorVesting is VestingWalletCliffUpgradeable {
    constructor() {
        _disableInitializers();
    }

    /// @notice Sets up a clone. Callable once, by whoever created the clone (the launchpad, in the same transaction).
    /// @param beneficiary Who receives vested tokens (the issuer); it may transfer the wallet.
    /// @param start Vesting start (graduation time).
    /// @param duration Seconds from start until everything has vested.
    /// @param cliff Seconds from start before anything can be released.
    function initialize(address beneficiary, uint64 start, uint64 duration, uint64 cliff) external initializer {
        __VestingWallet_init(beneficiary, start, duration);
        __VestingWalletCliff_init(cliff);
    }
}
