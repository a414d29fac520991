// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TwapOracle} from "../../../contracts/engine/TwapOracle.sol";
import {IncentivePool} from "../../../contracts/incentives/IncentivePool.sol";
import {IUniswapV2Factory} from "../../../contracts/interfaces/IUniswapV2.sol";
import {ILaunchpad} from "../../../contracts/interfaces/ILaunchpad.sol";
import {Launchpad} from "../../../contracts/launch/Launchpad.sol";
import {OperatorVesting} from "../../../contracts/launch/OperatorVesting.sol";
import {TemplateRegistry} from "../../../contracts/launch/TemplateRegistry.sol";
import {Allocation, SaleTerms} from "../../../contracts/launch/Terms.sol";
import {LocalToken} from "../../../contracts/local/LocalToken.sol";
import {ModelTokenFactory} from "../../../contracts/token/ModelTokenFactory.sol";

import {DefaultTerms} from "../utils/DefaultTerms.sol";
import {Test} from "../utils/Test.sol";

/// @dev The launch layer as deployLocal builds it (real Launchpad, registry with the default
/// template, Uniswap V2 factory from its npm build), and a helper that takes an offering through a
/// real graduation, so the engine is tested against genuine graduated $MTs.
abstract contract LaunchFixture is Test, DefaultTerms {
    uint256 internal constant FLOCK = 1e18;
    uint256 internal constant USDC = 1e6;
    uint256 internal constant TOTAL_SUPPLY = 1_000_000e18;
    uint256 internal constant LAUNCH_FEE = 32_768 * FLOCK;
    uint256 internal constant DAY = 1 days;
    string internal constant UNISWAP_V2_FACTORY_JSON = "../node_modules/@uniswap/v2-core/build/UniswapV2Factory.json";

    LocalToken internal flock;
    LocalToken internal usdc;
    IUniswapV2Factory internal dexFactory;
    TemplateRegistry internal registry;
    IncentivePool internal incentivePool;
    TwapOracle internal launchOracle;
    Launchpad internal launchpad;

    address internal treasury = makeAddr("treasury");
    address internal hostingReserve = makeAddr("hostingReserve");
    address internal issuer = makeAddr("issuer");
    address internal supporter = makeAddr("supporter");

    /// @dev The default template of packages/sdk/src/params.ts (stories-260k).
    function _deployLaunchLayer() internal {
        flock = new LocalToken("Flock (test)", "FLOCK", 18);
        usdc = new LocalToken("USD Coin (test)", "USDC", 6);
        dexFactory = IUniswapV2Factory(_deployUniswapV2Factory());
        registry = new TemplateRegistry(address(this));
        registry.grantRole(registry.CATALOG_ROLE(), address(this));
        // Micro-USD per 1M tokens: costs 0.02/0.05, minimum prices 1.1x cost, list prices 0.20/0.80.
        registry.addTemplate(
            "stories-260k", "cpu-small", defaultSale(), defaultAllocation(), defaultPricing()
        );
        incentivePool = new IncentivePool(flock, address(this));
        launchOracle = new TwapOracle(30 minutes, 6 hours);
        launchpad = new Launchpad(
            flock,
            registry,
            dexFactory,
            incentivePool,
            launchOracle,
            new ModelTokenFactory(),
            address(new OperatorVesting()),
            treasury,
            hostingReserve,
            LAUNCH_FEE,
            address(this)
        );
        incentivePool.grantRole(incentivePool.FUNDER_ROLE(), address(launchpad));
    }

    /// @dev The factory bytecode exactly as shipped on npm (pairs' init-code hash included).
    function _deployUniswapV2Factory() private returns (address factory) {
        bytes memory initCode = bytes.concat(
            vm.parseJsonBytes(vm.readFile(UNISWAP_V2_FACTORY_JSON), ".bytecode"), abi.encode(address(this))
        );
        assembly ("memory-safe") {
            factory := create(0, add(initCode, 0x20), mload(initCode))
        }
        assertTrue(factory != address(0), "UniswapV2Factory deployment failed");
    }

    /// @dev `issuer` launches `ticker` on template 0; once the anti-snipe fee has decayed to the
    /// base fee, `supporter` fills the raise to raiseMax, which graduates it in the same
    /// transaction; `supporter` then claims its 400,000 $MT.
    function _launchAndGraduate(string memory ticker) internal returns (address mt) {
        flock.mint(issuer, LAUNCH_FEE);
        vm.startPrank(issuer);
        flock.approve(address(launchpad), LAUNCH_FEE);
        mt = launchpad.launch(Launchpad.LaunchParams(0, ticker, ticker, "", 0, 0, block.timestamp));
        vm.stopPrank();

        vm.warp(block.timestamp + 99 minutes); // 99% - 1 point a minute: floored at the 1.5% base fee
        uint256 offer = 2 * defaultSale().raiseMax; // more than needed: only what fills the raise is taken
        flock.mint(supporter, offer);
        vm.startPrank(supporter);
        flock.approve(address(launchpad), offer);
        launchpad.buy(mt, offer, 1, block.timestamp);
        vm.stopPrank();
        assertEq(uint256(launchpad.stateOf(mt)), uint256(ILaunchpad.State.Graduated), "state after filling the raise");
        launchpad.claim(mt, supporter);
    }
}
