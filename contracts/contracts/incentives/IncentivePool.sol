// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title IncentivePool
/// @notice Holds every graduated $MT's incentive pools (its $MT bucket, and FLOCK from the raise and
/// the anti-snipe surcharge) and releases each linearly over its duration (180 days) to the
/// rewards distributor, which pays users who both use and stake that $MT.
/// @dev One contract for all $MTs keeps graduation cheap. A stream is funded by transferring
/// tokens first; `fund` checks they arrived, so the pool never promises more than it holds.
contract IncentivePool is AccessControl {
    using SafeERC20 for IERC20;

    /// @notice Role of the launchpad, which funds a stream at graduation.
    bytes32 public constant FUNDER_ROLE = keccak256("FUNDER_ROLE");

    /// @notice One $MT's linear release: amounts funded and released, start and duration.
    struct Stream {
        uint128 mtTotal;
        uint128 flockTotal;
        uint128 mtReleased;
        uint128 flockReleased;
        uint64 start;
        uint64 duration;
    }

    /// @notice The FLOCK token.
    IERC20 public immutable flock;
    /// @notice Receiver of released incentives (the rewards distributor).
    address public distributor;
    /// @notice FLOCK promised to streams and not yet released.
    uint256 public flockOwed;

    mapping(address mt => Stream) private _streams;

    /// @notice A stream was funded at graduation.
    event StreamFunded(address indexed mt, uint256 mtAmount, uint256 flockAmount, uint64 start, uint64 duration);
    /// @notice Vested incentives were released to the distributor.
    event Released(address indexed mt, address indexed distributor, uint256 mtAmount, uint256 flockAmount);
    /// @notice The distributor changed (`oldDistributor` is zero the first time).
    event DistributorUpdated(address indexed oldDistributor, address indexed newDistributor);

    /// @notice This $MT already has a stream.
    error IncentivePoolAlreadyFunded(address mt);
    /// @notice The tokens for the stream have not arrived.
    error IncentivePoolUnfunded(address token, uint256 needed, uint256 available);
    /// @notice No distributor is set yet.
    error IncentivePoolNoDistributor();
    /// @notice This $MT has no stream.
    error IncentivePoolUnknownStream(address mt);
    /// @notice Zero address or zero duration.
    error IncentivePoolInvalidParameter(string param);

    /// @param flock_ The FLOCK token.
    /// @param admin Governance.
    constructor(IERC20 flock_, address admin) {
        flock = flock_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Starts a linear stream for `mt` over `duration` seconds from now. The tokens must
    /// already be held by the pool.
    /// @param mt The graduated $MT.
    /// @param mtAmount $MT released over the stream.
    /// @param flockAmount FLOCK released over the stream.
    /// @param duration Seconds of the release.
    function fund(address mt, uint256 mtAmount, uint256 flockAmount, uint64 duration)
        external
        onlyRole(FUNDER_ROLE)
    {
        if (duration == 0) revert IncentivePoolInvalidParameter("duration");
        if (_streams[mt].start != 0) revert IncentivePoolAlreadyFunded(mt);
        uint256 mtHeld = IERC20(mt).balanceOf(address(this));
        if (mtHeld < mtAmount) revert IncentivePoolUnfunded(mt, mtAmount, mtHeld);
        uint256 flockFree = flock.balanceOf(address(this)) - flockOwed;
        if (flockFree < flockAmount) revert IncentivePoolUnfunded(address(flock), flockAmount, flockFree);
        flockOwed += flockAmount;
        _streams[mt] = Stream(
            SafeCast.toUint128(mtAmount), SafeCast.toUint128(flockAmount), 0, 0, uint64(block.timestamp), duration
        );
        emit StreamFunded(mt, mtAmount, flockAmount, uint64(block.timestamp), duration);
    }

    /// @notice Sends what has vested and not yet been released to the distributor. Anyone may call.
    /// @param mt The $MT whose stream releases.
    /// @return mtAmount $MT sent.
    /// @return flockAmount FLOCK sent.
    function release(address mt) external returns (uint256 mtAmount, uint256 flockAmount) {
        address to = distributor;
        if (to == address(0)) revert IncentivePoolNoDistributor();
        Stream storage s = _streams[mt];
        if (s.start == 0) revert IncentivePoolUnknownStream(mt);
        (mtAmount, flockAmount) = releasable(mt);
        s.mtReleased += uint128(mtAmount);
        s.flockReleased += uint128(flockAmount);
        flockOwed -= flockAmount;
        if (mtAmount > 0) IERC20(mt).safeTransfer(to, mtAmount);
        if (flockAmount > 0) flock.safeTransfer(to, flockAmount);
        emit Released(mt, to, mtAmount, flockAmount);
    }

    /// @notice Sets the distributor that receives released incentives (not zero). Emits DistributorUpdated.
    /// @param distributor_ The new distributor.
    function setDistributor(address distributor_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (distributor_ == address(0)) revert IncentivePoolInvalidParameter("distributor");
        emit DistributorUpdated(distributor, distributor_);
        distributor = distributor_;
    }

    /// @notice The stream of `mt`.
    /// @param mt The $MT.
    function stream(address mt) external view returns (Stream memory) {
        return _streams[mt];
    }

    /// @notice Vested and not yet released, now.
    /// @param mt The $MT.
    /// @return mtAmount $MT releasable.
    /// @return flockAmount FLOCK releasable.
    function releasable(address mt) public view returns (uint256 mtAmount, uint256 flockAmount) {
        Stream storage s = _streams[mt];
        if (s.start == 0) return (0, 0);
        mtAmount = _vested(s.mtTotal, s.start, s.duration) - s.mtReleased;
        flockAmount = _vested(s.flockTotal, s.start, s.duration) - s.flockReleased;
    }

    function _vested(uint256 total, uint256 start, uint256 duration) private view returns (uint256) {
        uint256 elapsed = block.timestamp - start;
        return elapsed >= duration ? total : total * elapsed / duration;
    }
}
