// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ILaunchpad
/// @notice What other FOMO contracts read from the Launchpad: an offering's lifecycle state and its
/// view. They depend on this interface, not on the concrete escrow (docs/contracts.md).
interface ILaunchpad {
    /// @notice Lifecycle as callers see it.
    enum State {
        None, // no such offering
        Raising, // window open, buys accepted
        Succeeded, // window closed with raised >= raiseMin: anyone may graduate
        Failed, // window closed with raised < raiseMin: supporters refund
        Graduated // $MT minted, pool open, claims open
    }

    /// @notice Everything a UI needs to show an offering.
    struct OfferingView {
        State state;
        address creator;
        uint32 termsId;
        uint32 opensAt;
        uint32 closesAt; // while raising, the close with the pauses so far (it moves while paused)
        uint32 pausedSeconds; // of this raise's window so far, the ongoing pause included
        bool paused; // the Launchpad is paused: buys wait, the raise's clock stands still
        uint32 graduatedAt; // 0 until graduation; the first buy vests from here
        uint256 raised;
        uint256 raiseMin;
        uint256 raiseMax;
        uint256 sold;
        uint256 price;
        uint256 feeBpsNow;
        uint256 creatorFeesDue; // owed to the creator now
        uint256 protocolFeesDue; // owed to the treasury now
        uint256 surcharge;
        uint256 virtualFlock;
        uint256 virtualMt;
    }

    /// @notice Lifecycle state of an offering (None if it does not exist).
    function stateOf(address mt) external view returns (State);

    /// @notice Everything about an offering a UI shows; reverts for an unknown offering.
    function offering(address mt) external view returns (OfferingView memory);
}
