// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {TwapOracle} from "../engine/TwapOracle.sol";
import {IncentivePool} from "../incentives/IncentivePool.sol";
import {ILaunchpad} from "../interfaces/ILaunchpad.sol";
import {IUniswapV2Factory, IUniswapV2Pair} from "../interfaces/IUniswapV2.sol";
import {ModelToken} from "../token/ModelToken.sol";
import {ModelTokenFactory} from "../token/ModelTokenFactory.sol";
import {CurveMath} from "./CurveMath.sol";
import {GraduationMath, GraduationResult} from "./GraduationMath.sol";
import {ModelIds} from "./ModelIds.sol";
import {OperatorVesting} from "./OperatorVesting.sol";
import {TemplateRegistry} from "./TemplateRegistry.sol";
import {Allocation, Terms} from "./Terms.sol";

/// @title Launchpad
/// @notice The Real Model Asset Offering (product.md §3): an issuer launches a model deployment and
/// its $MT; supporters buy $MT for FLOCK on a bonding curve during the raise; the offering then
/// graduates into a Uniswap-V2-compatible pool with burned LP, or fails and refunds.
/// @dev Escrow has no admin path: FLOCK leaves only as refunds, fees to their fixed
/// recipients, and the graduation split. Pausing stops launches and buys, never refunds, claims
/// or graduation, and it stops every open raise's clock: the window and the anti-snipe decay
/// resume where they were, so a pause can never decide a raise. The clock stands still for at
/// most MAX_PAUSE_EXTENSION per raise, so a pause can never hold a raise's escrow for ever either.
contract Launchpad is ILaunchpad, AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @notice Role that may pause and unpause launches and buys.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Supply of every $MT.
    uint256 public constant TOTAL_SUPPLY = 1_000_000e18;
    /// @notice Upper bound of the launch fee governance may set.
    uint256 public constant MAX_LAUNCH_FEE = 1_000_000e18;
    /// @notice Where graduation sends the pool's LP tokens: nobody holds its key.
    address public constant LP_BURN_ADDRESS = 0x000000000000000000000000000000000000dEaD;
    /// @notice The issuer's bundled first buy vests linearly over this long from graduation, so it
    /// cannot be dumped on supporters at the pool's opening.
    uint256 public constant FIRST_BUY_VESTING = 90 days;
    /// @notice Most a raise's window can be extended by pauses. Without a bound, a pause that never
    /// ends would keep the raise open, and so its supporters' refunds shut, for ever: pausing
    /// must not become an admin path to escrowed FLOCK.
    uint256 public constant MAX_PAUSE_EXTENSION = 7 days;
    uint256 private constant BPS = 10_000;

    /// @notice Stored lifecycle; Succeeded and Failed are derived from time and the amount raised.
    enum Status {
        None,
        Raising,
        Graduated
    }

    struct Offering {
        // Slots 0-1: a copy of the offering's immutable terms that every buy needs, so a buy
        // reads no other contract. FLOCK amounts fit 96 bits: the registry caps raiseMax at 1e27.
        uint128 virtualFlock;
        uint128 virtualMt;
        uint96 raiseMax;
        uint16 feeBps;
        uint16 creatorFeeShareBps;
        uint16 snipeFeeBps;
        uint16 snipeDecayBpsPerMinute;
        uint32 opensAt;
        uint32 closesAt; // before any pause: the window ends at closesAt + (pausedSeconds now - pausedAtOpen)
        uint32 pausedAtOpen; // the global paused-seconds accumulator when the raise opened
        // Slot 2, the only one a buy writes after the anti-snipe window: net FLOCK that entered the
        // curve, and the base fees accrued (creator and protocol shares are split when settled).
        uint96 raised;
        uint96 feesAccrued;
        uint24 termsId;
        Status status;
        uint32 graduatedAt; // start of the first buy's vesting; read by claims with the status
        // Slot 3
        uint128 surcharge;
        uint96 feesSettled;
        // Slot 4
        address creator;
        uint96 raiseMin;
    }

    /// @notice A supporter's non-transferable claim: $MT bought and not yet claimed, the FLOCK that
    /// entered the curve for it, and, for the issuer, the $MT of the bundled first buy, which vests
    /// over FIRST_BUY_VESTING from graduation. One slot: $MT amounts are at most the 1e24 supply
    /// (< 2^80), FLOCK amounts at most raiseMax (<= 1e27 < 2^96).
    struct Position {
        uint80 mt;
        uint96 flock;
        uint80 firstBuyMt;
    }

    /// @dev The pause switch and the clock every raise's window runs on, in one slot that `buy`
    /// reads anyway: seconds paused before the ongoing pause, and when the ongoing pause began.
    struct PauseClock {
        bool paused;
        uint32 pausedSince;
        uint32 pausedSeconds;
    }

    /// @notice Arguments of `launch`.
    struct LaunchParams {
        uint32 templateId;
        string name; // 1-32 printable ASCII bytes
        string ticker; // 1-10 of A-Z, 0-9
        string metadataURI; // description and image, kept in the event only
        uint256 firstBuy; // FLOCK for the bundled first buy, 0 for none
        uint256 minMtOut; // slippage bound of the first buy
        uint256 deadline; // unix time after which the launch reverts
    }

    /// @notice What a buy of `flockIn` FLOCK does now.
    struct Quote {
        uint256 flockIn; // FLOCK taken from the buyer (less than offered if the raise fills up)
        uint256 flockRefunded; // offered but not needed
        uint256 net; // FLOCK that enters the curve
        uint256 mtOut;
        uint256 feeBps; // total fee rate applied
        uint256 fee; // total fee: baseFee + surcharge
        uint256 baseFee; // platform fee, shared by creator and protocol at settlement
        uint256 surcharge; // anti-snipe part of the fee
        uint256 raisedAfter;
        uint256 priceAfter; // FLOCK wei per whole $MT
        bool graduates;
    }

    /// @notice The FLOCK token: the quote asset of every curve.
    IERC20 public immutable flock;
    /// @notice The template catalog launches read their terms from.
    TemplateRegistry public immutable registry;
    /// @notice The Uniswap-V2-compatible factory graduation opens pools on.
    IUniswapV2Factory public immutable dexFactory;
    /// @notice Receives every graduated $MT's incentive buckets.
    IncentivePool public immutable incentivePool;
    /// @notice Records each new pool's first TWAP observation at graduation (the buyback's price guard).
    TwapOracle public immutable oracle;
    /// @notice Deploys every offering's $MT, with this contract as its minter.
    ModelTokenFactory public immutable tokenFactory;
    /// @notice Vesting wallet implementation every graduation clones.
    address public immutable vestingImplementation;

    /// @notice Receives launch fees, protocol fees, the treasury $MT and a failed raise's surcharge.
    address public treasury;
    /// @notice Receives the hosting-reserve share of raised FLOCK (accounted per $MT by event).
    address public hostingReserve;
    /// @notice One-time fee for a launch, in FLOCK wei, never refunded.
    uint256 public launchFee;

    PauseClock private _pauseClock;
    mapping(address mt => Offering) private _offerings;
    mapping(address mt => mapping(address account => Position)) private _positions;
    /// @notice The $MT serving each API model id, by keccak256 of `<baseModelId>-<ticker in lower case>`.
    /// A failed offering's id is released: the next launch of the same id takes it over.
    mapping(bytes32 modelIdHash => address mt) public deploymentOf;
    /// @notice The issuer's vesting wallet of each graduated $MT.
    mapping(address mt => address wallet) public operatorVestingOf;

    /// @notice An offering opened.
    event Launched(
        address indexed mt,
        address indexed creator,
        uint32 indexed templateId,
        uint32 termsId,
        string name,
        string ticker,
        string modelId,
        string metadataURI,
        uint32 opensAt,
        uint32 closesAt
    );
    /// @notice A supporter bought $MT on the curve.
    event Bought(
        address indexed mt,
        address indexed buyer,
        uint256 flockIn,
        uint256 net,
        uint256 mtOut,
        uint256 baseFee,
        uint256 surcharge,
        uint256 raisedAfter
    );
    /// @notice An offering graduated: supply minted and allocated, pool opened at the curve's last price.
    event Graduated(address indexed mt, address indexed pair, GraduationResult result);
    /// @notice A supporter of a failed offering took back the FLOCK that entered the curve.
    event Refunded(address indexed mt, address indexed account, uint256 flockAmount);
    /// @notice A supporter of a graduated offering received the $MT bought.
    event Claimed(address indexed mt, address indexed account, uint256 mtAmount);
    /// @notice Accrued fees were paid out: the creator's share, the protocol's share to the treasury,
    /// and a failed raise's surcharge to the treasury.
    event FeesSettled(
        address indexed mt, address indexed creator, uint256 creatorAmount, uint256 protocolAmount, uint256 surcharge
    );
    /// @notice A launch took over the API model id of a failed offering (whose refunds go on).
    event ModelIdTakenOver(string modelId, address indexed failedMt, address indexed mt);
    /// @notice Launches and buys stopped; every open raise's clock stands still until `Unpaused`.
    event Paused(address account);
    /// @notice Launches and buys resumed; open raises' windows end later by the time paused.
    event Unpaused(address account);
    /// @notice The launch fee was paid.
    event LaunchFeePaid(address indexed mt, address indexed treasury, uint256 amount);
    /// @notice The treasury changed (`oldTreasury` is zero at deployment).
    event TreasuryUpdated(address indexed oldTreasury, address indexed newTreasury);
    /// @notice The hosting reserve changed (`oldHostingReserve` is zero at deployment).
    event HostingReserveUpdated(address indexed oldHostingReserve, address indexed newHostingReserve);
    /// @notice The launch fee changed, in FLOCK wei (`oldLaunchFee` is zero at deployment).
    event LaunchFeeUpdated(uint256 oldLaunchFee, uint256 newLaunchFee);

    /// @notice No offering exists for this address.
    error LaunchpadUnknownOffering(address mt);
    /// @notice The offering is not in a state that allows this call.
    error LaunchpadWrongState(address mt, State state);
    /// @notice An amount that must be positive is zero.
    error LaunchpadZeroAmount();
    /// @notice The deadline has passed.
    error LaunchpadDeadlineExpired(uint256 deadline, uint256 nowTime);
    /// @notice The buy would give less $MT than the caller accepts (or none at all).
    error LaunchpadInsufficientOutput(uint256 mtOut, uint256 minMtOut);
    /// @notice The bundled first buy would exceed its cap.
    error LaunchpadFirstBuyTooLarge(uint256 mtOut, uint256 cap);
    /// @notice The name is not 1-32 bytes of printable ASCII.
    error LaunchpadInvalidName(string name);
    /// @notice The ticker is not 1-10 characters of A-Z and 0-9.
    error LaunchpadInvalidTicker(string ticker);
    /// @notice Another deployment already serves this API model id.
    error LaunchpadModelIdTaken(string modelId, address mt);
    /// @notice `account` has no FLOCK in the failed offering `mt` to refund.
    error LaunchpadNothingToRefund(address mt, address account);
    /// @notice `account` has no $MT of the graduated offering `mt` to claim now.
    error LaunchpadNothingToClaim(address mt, address account);
    /// @notice The offering `mt` has no fees (or failed raise's surcharge) due to settle.
    error LaunchpadNothingToWithdraw(address mt);
    /// @notice A governance parameter is outside its bounds.
    error LaunchpadInvalidParameter(string param);
    /// @notice The Launchpad is paused: launches and buys wait (OpenZeppelin Pausable's error).
    error EnforcedPause();
    /// @notice The Launchpad is not paused, so it cannot be unpaused (OpenZeppelin Pausable's error).
    error ExpectedPause();

    /// @param flock_ The FLOCK token (quote asset of every curve).
    /// @param registry_ Template catalog.
    /// @param dexFactory_ Uniswap-V2-compatible factory the pools open on.
    /// @param incentivePool_ Receives every $MT's incentive buckets; must grant this contract FUNDER_ROLE.
    /// @param oracle_ TWAP oracle that records each pool's first observation at graduation.
    /// @param tokenFactory_ Deploys each $MT (CREATE2, this contract as minter).
    /// @param vestingImplementation_ OperatorVesting implementation to clone.
    /// @param treasury_ Treasury address.
    /// @param hostingReserve_ Hosting reserve address.
    /// @param launchFee_ Launch fee in FLOCK wei (32,768e18 by default).
    /// @param admin Governance.
    constructor(
        IERC20 flock_,
        TemplateRegistry registry_,
        IUniswapV2Factory dexFactory_,
        IncentivePool incentivePool_,
        TwapOracle oracle_,
        ModelTokenFactory tokenFactory_,
        address vestingImplementation_,
        address treasury_,
        address hostingReserve_,
        uint256 launchFee_,
        address admin
    ) {
        flock = flock_;
        registry = registry_;
        dexFactory = dexFactory_;
        incentivePool = incentivePool_;
        oracle = oracle_;
        tokenFactory = tokenFactory_;
        vestingImplementation = vestingImplementation_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setTreasury(treasury_);
        _setHostingReserve(hostingReserve_);
        _setLaunchFee(launchFee_);
    }

    // ---------------------------------------------------------------- lifecycle

    /// @notice Launches a model deployment: pulls the launch fee, deploys its $MT (no supply until
    /// graduation), opens the raise, and optionally makes the issuer's first buy at the start of
    /// the curve (base fee only, capped).
    /// @param p Template, name, ticker, metadata, the optional first buy and its bounds.
    /// @return mt The new $MT, which also identifies the offering.
    function launch(LaunchParams calldata p) external whenNotPaused nonReentrant returns (address mt) {
        _checkDeadline(p.deadline);
        (uint32 termsId, Terms memory t, string memory baseModelId) = registry.launchTerms(p.templateId);
        mt = _open(p, termsId, t, baseModelId);

        uint256 fee = launchFee;
        if (fee > 0) {
            flock.safeTransferFrom(msg.sender, treasury, fee);
            emit LaunchFeePaid(mt, treasury, fee);
        }
        if (p.firstBuy > 0) {
            uint256 cap = TOTAL_SUPPLY * t.sale.firstBuyCapBps / BPS;
            uint256 mtOut = _buy(mt, _offerings[mt], p.firstBuy, p.minMtOut, t.sale.feeBps, cap);
            _positions[mt][msg.sender].firstBuyMt = uint80(mtOut); // <= cap <= 25% of supply
        } else if (p.minMtOut > 0) {
            revert LaunchpadInsufficientOutput(0, p.minMtOut);
        }
    }

    /// @notice Buys $MT on the curve with up to `flockIn` FLOCK. If the raise fills up, only what
    /// fills it is taken and the offering graduates in this transaction.
    /// @param mt The offering.
    /// @param flockIn FLOCK offered, fees included (needs allowance).
    /// @param minMtOut Least $MT accepted.
    /// @param deadline Unix time after which the buy reverts.
    /// @return mtOut $MT bought, claimable after graduation.
    function buy(address mt, uint256 flockIn, uint256 minMtOut, uint256 deadline)
        external
        whenNotPaused
        nonReentrant
        returns (uint256 mtOut)
    {
        _checkDeadline(deadline);
        Offering storage o = _offering(mt);
        return _buy(mt, o, flockIn, minMtOut, _feeBpsNow(o), type(uint256).max);
    }

    /// @notice Graduates an offering whose window closed with at least raiseMin raised. Anyone may call.
    /// @param mt The offering.
    function graduate(address mt) external nonReentrant {
        Offering storage o = _offering(mt);
        State s = _state(o);
        if (s != State.Succeeded) revert LaunchpadWrongState(mt, s);
        _graduate(mt, o);
    }

    /// @notice Returns to `account` the FLOCK it put into a failed offering's curve (fees are kept).
    /// `raised` stays as the record of what was raised; the escrow owed is the open positions.
    /// Anyone may trigger it; the FLOCK always goes to `account`. Never paused, never expires.
    /// @param mt The failed offering.
    /// @param account The supporter refunded.
    /// @return amount FLOCK sent to `account`.
    function refund(address mt, address account) external nonReentrant returns (uint256 amount) {
        Offering storage o = _offering(mt);
        State s = _state(o);
        if (s != State.Failed) revert LaunchpadWrongState(mt, s);
        amount = _positions[mt][account].flock;
        if (amount == 0) revert LaunchpadNothingToRefund(mt, account);
        delete _positions[mt][account];
        flock.safeTransfer(account, amount);
        emit Refunded(mt, account, amount);
    }

    /// @notice Sends `account` the $MT it bought, once the offering graduated: everything except
    /// the part of the issuer's first buy still vesting. Anyone may trigger it.
    /// @param mt The graduated offering.
    /// @param account The supporter paid.
    /// @return amount $MT sent to `account`.
    function claim(address mt, address account) external nonReentrant returns (uint256 amount) {
        Offering storage o = _offering(mt);
        if (o.status != Status.Graduated) revert LaunchpadWrongState(mt, _state(o));
        Position storage pos = _positions[mt][account];
        uint256 locked;
        (amount, locked) = _claimable(pos, o.graduatedAt);
        if (amount == 0) revert LaunchpadNothingToClaim(mt, account);
        if (locked == 0) delete _positions[mt][account];
        else pos.mt = uint80(locked); // locked <= pos.mt
        IERC20(mt).safeTransfer(account, amount);
        emit Claimed(mt, account, amount);
    }

    /// @notice Pays out the fees accrued since the last settlement: the creator's share to the
    /// creator, the rest to the treasury, and, if the raise failed, its anti-snipe surcharge to the
    /// treasury. Anyone may call; the recipients are fixed.
    /// @param mt The offering.
    /// @return creatorAmount FLOCK paid to the creator.
    /// @return protocolAmount FLOCK paid to the treasury as the protocol's share.
    /// @return surcharge A failed raise's anti-snipe surcharge paid to the treasury (0 otherwise).
    function settleFees(address mt)
        external
        nonReentrant
        returns (uint256 creatorAmount, uint256 protocolAmount, uint256 surcharge)
    {
        Offering storage o = _offering(mt);
        (creatorAmount, protocolAmount) = _feesDue(o);
        if (_state(o) == State.Failed) surcharge = o.surcharge;
        if (creatorAmount + protocolAmount + surcharge == 0) revert LaunchpadNothingToWithdraw(mt);
        o.feesSettled = o.feesAccrued;
        o.surcharge -= uint128(surcharge);
        address creator = o.creator;
        if (creatorAmount > 0) flock.safeTransfer(creator, creatorAmount);
        if (protocolAmount + surcharge > 0) flock.safeTransfer(treasury, protocolAmount + surcharge);
        emit FeesSettled(mt, creator, creatorAmount, protocolAmount, surcharge);
    }

    // ---------------------------------------------------------------- governance

    /// @notice Stops new launches and buys, and the clock of every open raise (window and
    /// anti-snipe decay). Refunds, claims and graduation go on.
    function pause() external onlyRole(PAUSER_ROLE) {
        PauseClock storage c = _pauseClock;
        if (c.paused) revert EnforcedPause();
        (c.paused, c.pausedSince) = (true, uint32(block.timestamp));
        emit Paused(msg.sender);
    }

    /// @notice Resumes launches and buys; every raise open during the pause closes that much later.
    function unpause() external onlyRole(PAUSER_ROLE) {
        PauseClock storage c = _pauseClock;
        if (!c.paused) revert ExpectedPause();
        (c.paused, c.pausedSeconds) = (false, uint32(_pausedSecondsNow(c)));
        emit Unpaused(msg.sender);
    }

    /// @notice Sets the treasury (not zero). Emits TreasuryUpdated.
    /// @param treasury_ The new treasury.
    function setTreasury(address treasury_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setTreasury(treasury_);
    }

    /// @notice Sets the hosting reserve (not zero). Emits HostingReserveUpdated.
    /// @param hostingReserve_ The new hosting reserve.
    function setHostingReserve(address hostingReserve_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setHostingReserve(hostingReserve_);
    }

    /// @notice Sets the launch fee, at most MAX_LAUNCH_FEE. Emits LaunchFeeUpdated.
    /// @param launchFee_ The new launch fee, in FLOCK wei.
    function setLaunchFee(uint256 launchFee_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setLaunchFee(launchFee_);
    }

    // ---------------------------------------------------------------- views

    /// @notice Whether launches and buys are paused.
    function paused() external view returns (bool) {
        return _pauseClock.paused;
    }

    /// @notice Seconds the Launchpad has been paused since deployment, the ongoing pause included:
    /// a raise's window ends later by what this grew while it was open.
    function pausedSeconds() external view returns (uint256) {
        return _pausedSecondsNow(_pauseClock);
    }

    /// @notice Lifecycle state of an offering (None if it does not exist).
    /// @param mt The offering.
    function stateOf(address mt) external view returns (State) {
        return _state(_offerings[mt]);
    }

    /// @notice Everything about an offering a UI shows.
    /// @param mt The offering.
    function offering(address mt) external view returns (OfferingView memory v) {
        Offering storage o = _offering(mt);
        uint256 x0 = o.virtualFlock;
        uint256 y0 = o.virtualMt;
        PauseClock storage c = _pauseClock;
        uint256 pausedInRaise = _pausedInRaise(o, c);
        State state = _state(o);
        uint256 closesAt = o.closesAt + pausedInRaise;
        v = OfferingView({
            state: state,
            creator: o.creator,
            termsId: o.termsId,
            opensAt: o.opensAt,
            // A pause after the close no longer moves it (state is final); its exact instant is
            // then unknown, but it is not later than now.
            closesAt: uint32(state == State.Raising ? closesAt : Math.min(closesAt, block.timestamp)),
            pausedSeconds: uint32(pausedInRaise),
            paused: c.paused,
            graduatedAt: o.graduatedAt,
            raised: o.raised,
            raiseMin: o.raiseMin,
            raiseMax: o.raiseMax,
            sold: CurveMath.sold(x0, y0, o.raised),
            price: CurveMath.price(x0, y0, o.raised),
            feeBpsNow: _feeBpsNow(o),
            creatorFeesDue: 0,
            protocolFeesDue: 0,
            surcharge: o.surcharge,
            virtualFlock: x0,
            virtualMt: y0
        });
        (v.creatorFeesDue, v.protocolFeesDue) = _feesDue(o);
    }

    /// @notice A supporter's claim on an offering.
    /// @param mt The offering.
    /// @param account The supporter.
    function positionOf(address mt, address account) external view returns (Position memory) {
        return _positions[mt][account];
    }

    /// @notice What `claim(mt, account)` pays now, and the part of the issuer's first buy still
    /// vesting (all of it until graduation, when `claimable` is 0).
    /// @param mt The offering.
    /// @param account The supporter.
    /// @return claimable $MT `claim` would send now.
    /// @return locked $MT of the issuer's first buy still vesting.
    function claimableOf(address mt, address account) external view returns (uint256 claimable, uint256 locked) {
        Offering storage o = _offering(mt);
        Position storage pos = _positions[mt][account];
        if (o.status != Status.Graduated) return (0, pos.firstBuyMt);
        return _claimable(pos, o.graduatedAt);
    }

    /// @notice What `buy(mt, flockIn, ..)` would do in this block, with the full fee breakdown.
    /// @param mt The offering, which must be raising.
    /// @param flockIn FLOCK offered, fees included.
    function quoteBuy(address mt, uint256 flockIn) external view returns (Quote memory) {
        Offering storage o = _offering(mt);
        State s = _state(o);
        if (s != State.Raising) revert LaunchpadWrongState(mt, s);
        if (flockIn == 0) revert LaunchpadZeroAmount();
        return _quote(o, flockIn, _feeBpsNow(o));
    }

    /// @notice Marginal price now, in FLOCK wei per whole $MT.
    /// @param mt The offering.
    function priceOf(address mt) external view returns (uint256) {
        Offering storage o = _offering(mt);
        return CurveMath.price(o.virtualFlock, o.virtualMt, o.raised);
    }

    /// @notice The API model id an offering launched with: `<baseModelId>-<ticker in lower case>`.
    /// If the offering failed, a later launch may have taken the id over: `deploymentOf` says who serves it.
    /// @param mt The offering.
    function modelIdOf(address mt) external view returns (string memory) {
        Offering storage o = _offering(mt);
        Terms memory t = registry.terms(o.termsId);
        return _modelId(registry.template(t.templateId).baseModelId, ModelToken(mt).symbol());
    }

    // ---------------------------------------------------------------- internals

    /// @dev Deploys the $MT clone, reserves its model id and stores the offering. The id of a
    /// failed offering is free again (a raise that failed serves nothing, and would otherwise squat
    /// its ticker forever): the launch takes it over, and the failed offering's refunds go on
    /// under its own $MT address. Nothing here assumes the new $MT's address differs by model id.
    function _open(LaunchParams calldata p, uint32 termsId, Terms memory t, string memory baseModelId)
        private
        returns (address mt)
    {
        if (!ModelIds.isValidName(p.name)) revert LaunchpadInvalidName(p.name);
        string memory modelId = _modelId(baseModelId, p.ticker);
        bytes32 idHash = keccak256(bytes(modelId));
        address holder = deploymentOf[idHash];
        if (holder != address(0) && _state(_offerings[holder]) != State.Failed) revert LaunchpadModelIdTaken(modelId, holder);

        mt = tokenFactory.deployToken(p.name, p.ticker);
        deploymentOf[idHash] = mt;
        if (holder != address(0)) emit ModelIdTakenOver(modelId, holder, mt);
        Offering storage o = _offerings[mt];
        o.virtualFlock = t.curve.virtualFlock;
        o.virtualMt = t.curve.virtualMt;
        o.raiseMax = uint96(t.sale.raiseMax); // <= the registry's MAX_RAISE (1e27 < 2^96)
        o.feeBps = t.sale.feeBps;
        o.creatorFeeShareBps = t.sale.creatorFeeShareBps;
        o.snipeFeeBps = t.sale.snipeFeeBps;
        o.snipeDecayBpsPerMinute = t.sale.snipeDecayBpsPerMinute;
        o.opensAt = uint32(block.timestamp);
        o.closesAt = uint32(block.timestamp) + t.sale.duration;
        o.pausedAtOpen = _pauseClock.pausedSeconds; // launches are never paused: no ongoing pause
        o.termsId = uint256(termsId).toUint24();
        o.status = Status.Raising;
        o.creator = msg.sender;
        o.raiseMin = uint256(t.sale.raiseMin).toUint96();
        _emitLaunched(mt, p, termsId, modelId, o.closesAt);
    }

    /// @dev Its own frame: the event's three calldata strings take six stack slots.
    function _emitLaunched(address mt, LaunchParams calldata p, uint32 termsId, string memory modelId, uint32 closesAt)
        private
    {
        emit Launched(
            mt, msg.sender, p.templateId, termsId, p.name, p.ticker, modelId, p.metadataURI, uint32(block.timestamp), closesAt
        );
    }

    function _buy(address mt, Offering storage o, uint256 flockIn, uint256 minMtOut, uint256 feeBps, uint256 cap)
        private
        returns (uint256)
    {
        if (flockIn == 0) revert LaunchpadZeroAmount();
        State s = _state(o);
        if (s != State.Raising) revert LaunchpadWrongState(mt, s);
        Quote memory q = _quote(o, flockIn, feeBps);
        // A buy that closes the raise goes through even for 0 $MT: the raise must never wait for
        // its deadline with a room no buy could fill.
        if ((q.mtOut == 0 && !q.graduates) || q.mtOut < minMtOut) revert LaunchpadInsufficientOutput(q.mtOut, minMtOut);
        if (q.mtOut > cap) revert LaunchpadFirstBuyTooLarge(q.mtOut, cap);

        o.raised = uint96(q.raisedAfter); // <= raiseMax, a uint96
        o.feesAccrued += q.baseFee.toUint96();
        if (q.surcharge > 0) o.surcharge += q.surcharge.toUint128();
        Position storage pos = _positions[mt][msg.sender];
        pos.mt += uint80(q.mtOut); // all buys together get at most the sale tranche <= 1e24 < 2^80
        pos.flock += uint96(q.net); // all buys together put in at most raiseMax < 2^96

        flock.safeTransferFrom(msg.sender, address(this), q.flockIn);
        emit Bought(
            mt, msg.sender, q.flockIn, q.net, q.mtOut, q.baseFee, q.surcharge, q.raisedAfter
        );
        if (q.graduates) _graduate(mt, o);
        return q.mtOut;
    }

    function _quote(Offering storage o, uint256 flockIn, uint256 feeBps) private view returns (Quote memory q) {
        uint256 x0 = o.virtualFlock;
        uint256 y0 = o.virtualMt;
        uint256 raised = o.raised;
        uint256 room = o.raiseMax - raised;
        uint256 fee = CurveMath.feeOnGross(flockIn, feeBps);
        uint256 net = flockIn - fee;
        q.flockIn = flockIn;
        if (net >= room) {
            // Fill exactly up to raiseMax and charge the fee on what is filled; the rest stays with the buyer.
            net = room;
            fee = CurveMath.feeOnNet(room, feeBps);
            q.flockIn = room + fee;
            q.flockRefunded = flockIn - q.flockIn;
            q.graduates = true;
        }
        (q.baseFee, q.surcharge) = CurveMath.splitFee(q.flockIn, fee, o.feeBps);
        q.fee = fee;
        q.net = net;
        q.feeBps = feeBps;
        q.raisedAfter = raised + net;
        uint256 soldAfter = CurveMath.sold(x0, y0, q.raisedAfter);
        q.mtOut = soldAfter - CurveMath.sold(x0, y0, raised);
        // A buy that leaves only dust (a room whose fill would yield no $MT: everything the curve
        // can sell is sold) closes the raise too; the dust stays unraised.
        if (!q.graduates) q.graduates = soldAfter == CurveMath.sold(x0, y0, o.raiseMax);
        q.priceAfter = CurveMath.price(x0, y0, q.raisedAfter);
    }

    function _graduate(address mt, Offering storage o) private {
        o.status = Status.Graduated;
        o.graduatedAt = uint32(block.timestamp);
        Allocation memory a = registry.terms(o.termsId).allocation;
        uint256 surcharge = o.surcharge;
        o.surcharge = 0;

        ModelToken(mt).mintSupply(address(this));
        (address pair, uint256 synced) = _pairOf(mt);
        GraduationResult memory r =
            GraduationMath.allocate(a, TOTAL_SUPPLY, o.virtualFlock, o.virtualMt, o.raised, surcharge, synced);
        _openPool(mt, pair, r.flockToPool, r.mtToPool);
        // The pool's first TWAP observation: the buyback's price guard matures one window from now.
        // An oracle that refuses must not hold the escrow hostage: graduation goes on without it
        // (anyone may call `update` later).
        try oracle.update(pair) {} catch {}
        if (r.mtBurned > 0) ModelToken(mt).burn(r.mtBurned);

        r.operatorVesting = Clones.clone(vestingImplementation);
        OperatorVesting(payable(r.operatorVesting)).initialize(
            o.creator, uint64(block.timestamp), a.operatorDuration, a.operatorCliff
        );
        operatorVestingOf[mt] = r.operatorVesting;
        IERC20(mt).safeTransfer(r.operatorVesting, r.mtToOperator);
        IERC20(mt).safeTransfer(treasury, r.mtToTreasury);
        IERC20(mt).safeTransfer(address(incentivePool), r.mtToIncentives);
        flock.safeTransfer(address(incentivePool), r.flockToIncentives);
        incentivePool.fund(mt, r.mtToIncentives, r.flockToIncentives, a.incentiveDuration);
        flock.safeTransfer(hostingReserve, r.flockToHosting);
        emit Graduated(mt, pair, r);
    }

    /// @dev The $MT/FLOCK pair, created if needed, and the FLOCK already synced into its reserves.
    /// The pair may exist already (anyone can create it: its address is predictable) and may hold
    /// donated FLOCK; it cannot hold $MT, which has no supply before this transaction.
    /// - A donation not synced into the reserves is skimmed to the treasury: it never touches the price.
    /// - A donation synced into the reserves cannot be removed, so it stands in for the raise's pool
    ///   FLOCK (GraduationMath.poolFlock), and the donor's FLOCK stays locked.
    function _pairOf(address mt) private returns (address pair, uint256 synced) {
        pair = dexFactory.getPair(mt, address(flock));
        if (pair == address(0)) pair = dexFactory.createPair(mt, address(flock));
        IUniswapV2Pair(pair).skim(treasury);
        (uint112 r0, uint112 r1,) = IUniswapV2Pair(pair).getReserves();
        synced = address(flock) < mt ? r0 : r1;
    }

    /// @dev Opens the pool with the amounts of GraduationMath (at the curve's last price) and burns
    /// the LP. Minting on the pair directly, not through a router, means no reserve state can make
    /// it revert; `flockAmount` is at least half the planned pool FLOCK, never zero.
    function _openPool(address mt, address pair, uint256 flockAmount, uint256 mtAmount) private {
        flock.safeTransfer(pair, flockAmount);
        IERC20(mt).safeTransfer(pair, mtAmount);
        IUniswapV2Pair(pair).mint(LP_BURN_ADDRESS);
    }

    /// @dev Fees accrued since the last settlement, split: the creator's share rounds down.
    function _feesDue(Offering storage o) private view returns (uint256 creatorAmount, uint256 protocolAmount) {
        uint256 due = o.feesAccrued - o.feesSettled;
        creatorAmount = due * o.creatorFeeShareBps / BPS;
        protocolAmount = due - creatorAmount;
    }

    /// @dev The window closes at closesAt plus the time paused since the raise opened (bounded,
    /// see `_pausedInRaise`). Time paused after the close cannot reopen it.
    function _state(Offering storage o) private view returns (State) {
        Status status = o.status;
        if (status == Status.None) return State.None;
        if (status == Status.Graduated) return State.Graduated;
        if (block.timestamp < o.closesAt + _pausedInRaise(o, _pauseClock)) return State.Raising;
        return o.raised >= o.raiseMin ? State.Succeeded : State.Failed;
    }

    /// @dev The anti-snipe fee decays with the raise's own clock, which stands still while paused:
    /// a pause must not turn the opening minutes' fee into the floor for whoever buys at unpause.
    function _feeBpsNow(Offering storage o) private view returns (uint256) {
        uint256 paused_ = _pausedInRaise(o, _pauseClock);
        return CurveMath.feeBpsAt(
            o.feeBps, o.snipeFeeBps, o.snipeDecayBpsPerMinute, block.timestamp - o.opensAt - paused_
        );
    }

    /// @dev Seconds the raise's clock stood still: the time paused since it opened, at most
    /// MAX_PAUSE_EXTENSION. `now - _pausedInRaise` never decreases (the paused time grows no
    /// faster than the clock, and the bound is fixed), so a closed window stays closed.
    function _pausedInRaise(Offering storage o, PauseClock storage c) private view returns (uint256) {
        return Math.min(_pausedSecondsNow(c) - o.pausedAtOpen, MAX_PAUSE_EXTENSION);
    }

    function _pausedSecondsNow(PauseClock storage c) private view returns (uint256) {
        (bool paused_, uint256 since, uint256 total) = (c.paused, c.pausedSince, c.pausedSeconds);
        return paused_ ? total + (block.timestamp - since) : total;
    }

    /// @dev $MT a position may claim now and the first-buy part still vesting: the first buy
    /// vests linearly over FIRST_BUY_VESTING from graduation, the locked part rounded up.
    function _claimable(Position storage pos, uint256 graduatedAt)
        private
        view
        returns (uint256 claimable, uint256 locked)
    {
        uint256 firstBuy = pos.firstBuyMt;
        uint256 end = graduatedAt + FIRST_BUY_VESTING;
        if (firstBuy > 0 && block.timestamp < end) {
            locked = Math.mulDiv(firstBuy, end - block.timestamp, FIRST_BUY_VESTING, Math.Rounding.Ceil);
        }
        claimable = pos.mt - locked;
    }

    /// @dev Launches and buys only; refunds, claims, fees and graduation never pause.
    modifier whenNotPaused() {
        if (_pauseClock.paused) revert EnforcedPause();
        _;
    }

    function _offering(address mt) private view returns (Offering storage o) {
        o = _offerings[mt];
        if (o.status == Status.None) revert LaunchpadUnknownOffering(mt);
    }

    function _checkDeadline(uint256 deadline) private view {
        if (block.timestamp > deadline) revert LaunchpadDeadlineExpired(deadline, block.timestamp);
    }

    /// @dev `<baseModelId>-<ticker in lower case>`; reverts on a ticker ModelIds refuses.
    function _modelId(string memory baseModelId, string memory ticker) private pure returns (string memory id) {
        bool valid;
        (valid, id) = ModelIds.modelId(baseModelId, ticker);
        if (!valid) revert LaunchpadInvalidTicker(ticker);
    }

    function _setTreasury(address treasury_) private {
        if (treasury_ == address(0)) revert LaunchpadInvalidParameter("treasury");
        emit TreasuryUpdated(treasury, treasury_);
        treasury = treasury_;
    }

    function _setHostingReserve(address hostingReserve_) private {
        if (hostingReserve_ == address(0)) revert LaunchpadInvalidParameter("hostingReserve");
        emit HostingReserveUpdated(hostingReserve, hostingReserve_);
        hostingReserve = hostingReserve_;
    }

    function _setLaunchFee(uint256 launchFee_) private {
        if (launchFee_ > MAX_LAUNCH_FEE) revert LaunchpadInvalidParameter("launchFee");
        emit LaunchFeeUpdated(launchFee, launchFee_);
        launchFee = launchFee_;
    }
}
