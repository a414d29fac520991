// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BuybackExecutor} from "../../contracts/engine/BuybackExecutor.sol";
import {CreditDeposits} from "../../contracts/engine/CreditDeposits.sol";
import {RevenueRouter} from "../../contracts/engine/RevenueRouter.sol";
import {StablecoinUnit} from "../../contracts/engine/StablecoinUnit.sol";
import {TwapOracle} from "../../contracts/engine/TwapOracle.sol";
import {IUniswapV2Router} from "../../contracts/interfaces/IUniswapV2.sol";
import {LocalToken} from "../../contracts/local/LocalToken.sol";

import {LaunchFixture} from "./engine/LaunchFixture.sol";

/// @dev Property: for any report and any split inside the governance bounds, the routed
/// parts sum exactly to the gross, each balance moves by exactly its part, and an (epoch, $MT)
/// is routed once. And the stablecoin's decimals: read at deployment, they scale the USD bounds.
contract EngineRevenueRouterTest is LaunchFixture {
    uint256 private constant BPS = 10_000;

    BuybackExecutor private executor;
    RevenueRouter private router;
    address private mt;
    address private keeper = makeAddr("keeper");
    address private hostingPayee = makeAddr("hostingPayee");
    address private revenueTreasury = makeAddr("revenueTreasury");

    /// @dev Balances of everyone a report pays.
    struct Balances {
        uint256 keeper;
        uint256 hostingPayee;
        uint256 executor;
        uint256 treasury;
        uint256 router;
    }

    function setUp() public {
        _deployLaunchLayer();
        mt = _launchAndGraduate("ALPHA");
        // Buybacks are not executed here (the node scenario tests swap on real pools), so the
        // executor's DEX router is a placeholder address: routing only funds the executor's budgets.
        executor = new BuybackExecutor(
            usdc,
            flock,
            dexFactory,
            IUniswapV2Router(makeAddr("dexRouter")),
            new TwapOracle(30 minutes, 6 hours),
            BuybackExecutor.Limits(uint128(10_000 * USDC), 3_600, 200, 20),
            address(this)
        );
        router = new RevenueRouter(
            usdc, launchpad, executor, revenueTreasury, hostingPayee, RevenueRouter.Split(5_000, 2_000, 1_500, 1_500), address(this)
        );
        executor.grantRole(executor.FUNDER_ROLE(), address(router));
        router.grantRole(router.KEEPER_ROLE(), keeper);
        vm.prank(keeper);
        usdc.approve(address(router), type(uint256).max);
    }

    /// @dev Any split the bounds allow: issuer yield <= 30%, treasury <= 30%, buybacks >= 50%, sum 100%.
    function _validSplit(uint256 yieldSeed, uint256 treasurySeed, uint256 mtSeed)
        private
        pure
        returns (RevenueRouter.Split memory s)
    {
        uint256 issuerYield = bound(yieldSeed, 0, 3_000);
        uint256 treasuryShare = bound(treasurySeed, 0, _min(3_000, 5_000 - issuerYield));
        uint256 buybacks = BPS - issuerYield - treasuryShare; // >= 5,000
        uint256 mtBuyback = bound(mtSeed, 0, buybacks);
        s = RevenueRouter.Split(
            uint16(mtBuyback), uint16(issuerYield), uint16(buybacks - mtBuyback), uint16(treasuryShare)
        );
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }

    function _balances() private view returns (Balances memory b) {
        b.keeper = usdc.balanceOf(keeper);
        b.hostingPayee = usdc.balanceOf(hostingPayee);
        b.executor = usdc.balanceOf(address(executor));
        b.treasury = usdc.balanceOf(revenueTreasury);
        b.router = usdc.balanceOf(address(router));
    }

    /// @dev Expected parts from the spec: each share is floor(net * bps / 10,000); the treasury
    /// takes its share plus whatever the three floors left over.
    function _expected(uint256 gross, uint256 hardCost, RevenueRouter.Split memory s)
        private
        pure
        returns (RevenueRouter.Routed memory e)
    {
        uint256 net = gross - hardCost;
        e.hardCost = hardCost;
        e.mtBuyback = net * s.mtBuybackBps / BPS;
        e.issuerYield = net * s.issuerYieldBps / BPS;
        e.flockBuyback = net * s.flockBuybackBps / BPS;
        e.treasury = net - e.mtBuyback - e.issuerYield - e.flockBuyback;
        // Four floors lose less than one unit each and sum to net: the remainder is at most 3.
        assertLe(e.treasury - net * s.treasuryBps / BPS, 3, "rounding remainder to the treasury");
    }

    function testFuzz_RoutedPartsSumToGrossAndMoveBalancesExactly(
        uint64 epoch,
        uint256 gross,
        uint256 hardCost,
        bytes32 usageRoot,
        uint256 yieldSeed,
        uint256 treasurySeed,
        uint256 mtSeed
    ) public {
        RevenueRouter.Split memory s = _validSplit(yieldSeed, treasurySeed, mtSeed);
        router.setSplit(s);
        gross = bound(gross, 1, type(uint128).max); // the report stores gross as a uint128
        hardCost = bound(hardCost, 0, gross);
        usdc.mint(keeper, gross);
        RevenueRouter.Routed memory e = _expected(gross, hardCost, s);

        Balances memory before = _balances();
        vm.prank(keeper);
        RevenueRouter.Routed memory r = router.reportRevenue(epoch, mt, gross, hardCost, usageRoot);
        _checkRouted(r, e, gross, before, _balances());

        RevenueRouter.Report memory rep = router.reportOf(epoch, mt);
        assertEq(rep.gross, gross, "stored gross");
        assertEq(rep.hardCost, hardCost, "stored hard cost");
        assertTrue(rep.usageRoot == usageRoot, "stored usage root");

        // The issuer pulls exactly its yield, once.
        if (e.issuerYield > 0) {
            vm.prank(issuer);
            assertEq(router.claimYield(mt), e.issuerYield, "yield claimed");
            assertEq(usdc.balanceOf(issuer), e.issuerYield, "issuer balance");
            assertEq(usdc.balanceOf(address(router)), 0, "router emptied");
        }
    }

    function _checkRouted(
        RevenueRouter.Routed memory r,
        RevenueRouter.Routed memory e,
        uint256 gross,
        Balances memory before,
        Balances memory afterwards
    ) private view {
        assertEq(r.hardCost + r.mtBuyback + r.issuerYield + r.flockBuyback + r.treasury, gross, "parts sum to gross");
        assertEq(r.hardCost, e.hardCost, "hard cost");
        assertEq(r.mtBuyback, e.mtBuyback, "MT buyback");
        assertEq(r.issuerYield, e.issuerYield, "issuer yield");
        assertEq(r.flockBuyback, e.flockBuyback, "FLOCK buyback");
        assertEq(r.treasury, e.treasury, "treasury");

        assertEq(before.keeper - afterwards.keeper, gross, "keeper paid the gross");
        assertEq(afterwards.hostingPayee - before.hostingPayee, e.hardCost, "hosting payee got the hard cost");
        assertEq(afterwards.executor - before.executor, e.mtBuyback + e.flockBuyback, "executor got both buybacks");
        assertEq(afterwards.treasury - before.treasury, e.treasury, "treasury got its part");
        assertEq(afterwards.router - before.router, e.issuerYield, "router holds the issuer yield");
        assertEq(router.yieldOwed(mt), e.issuerYield, "yield owed");
        assertEq(executor.mtBudget(mt), e.mtBuyback, "MT buyback budget");
        assertEq(executor.flockBudget(), e.flockBuyback, "FLOCK buyback budget");
        assertEq(executor.budgeted(), e.mtBuyback + e.flockBuyback, "executor budgeted");
    }

    function testFuzz_SecondReportOfAnEpochReverts(
        uint64 epoch,
        uint256 gross,
        uint256 hardCost,
        uint256 gross2,
        uint256 hardCost2,
        bytes32 usageRoot2
    ) public {
        gross = bound(gross, 1, type(uint128).max);
        hardCost = bound(hardCost, 0, gross);
        gross2 = bound(gross2, 1, type(uint128).max);
        hardCost2 = bound(hardCost2, 0, gross2);
        usdc.mint(keeper, gross + gross2);

        vm.prank(keeper);
        router.reportRevenue(epoch, mt, gross, hardCost, bytes32(0));
        Balances memory before = _balances();

        vm.expectRevert(abi.encodeWithSelector(RevenueRouter.RevenueRouterAlreadyReported.selector, epoch, mt));
        vm.prank(keeper);
        router.reportRevenue(epoch, mt, gross2, hardCost2, usageRoot2);

        Balances memory afterwards = _balances();
        assertEq(afterwards.keeper, before.keeper, "nothing pulled by the repeat");
        assertEq(router.reportOf(epoch, mt).gross, gross, "first report kept");

        // Another epoch of the same $MT is a new report.
        uint64 next = epoch == type(uint64).max ? epoch - 1 : epoch + 1;
        vm.prank(keeper);
        router.reportRevenue(next, mt, gross2, hardCost2, usageRoot2);
        assertEq(router.reportOf(next, mt).gross, gross2, "next epoch reported");
    }

    /// @dev USDC has 6 decimals on Base and 18 on BSC. Every contract that moves USDC reads the
    /// decimals at deployment: any of 6 to 18 is accepted and scales the buyback bound to 1M USD in
    /// token units (a cap at the bound deploys, one unit more does not); any other value is refused.
    function testFuzz_StablecoinDecimalsScaleTheBoundOrAreRefused(uint8 decimals) public {
        LocalToken coin = new LocalToken("USD Coin (test)", "USDC", decimals);
        TwapOracle oracle = new TwapOracle(30 minutes, 6 hours);
        RevenueRouter.Split memory split = RevenueRouter.Split(5_000, 2_000, 1_500, 1_500);
        if (decimals < 6 || decimals > 18) {
            bytes memory refusal =
                abi.encodeWithSelector(StablecoinUnit.StablecoinUnitUnsupportedDecimals.selector, address(coin), decimals);
            vm.expectRevert(refusal);
            _executorOn(coin, oracle, BuybackExecutor.Limits(1, 3_600, 200, 20));
            vm.expectRevert(refusal);
            new RevenueRouter(coin, launchpad, executor, revenueTreasury, hostingPayee, split, address(this));
            vm.expectRevert(refusal);
            new CreditDeposits(coin, revenueTreasury, address(this));
            return;
        }
        uint256 unit = 10 ** decimals;
        BuybackExecutor.Limits memory limits = BuybackExecutor.Limits(uint128(1_000_000 * unit), 3_600, 200, 20);
        BuybackExecutor atBound = _executorOn(coin, oracle, limits);
        assertEq(atBound.usdcUnit(), unit, "executor unit");
        assertEq(atBound.MAX_SPEND_PER_INTERVAL(), 1_000_000 * unit, "1M USD in token units");
        limits.maxSpendPerInterval += 1;
        vm.expectRevert(abi.encodeWithSelector(BuybackExecutor.BuybackExecutorInvalidParameter.selector, "maxSpendPerInterval"));
        _executorOn(coin, oracle, limits);
        RevenueRouter router_ = new RevenueRouter(coin, launchpad, executor, revenueTreasury, hostingPayee, split, address(this));
        assertEq(router_.usdcUnit(), unit, "router unit");
        assertEq(new CreditDeposits(coin, revenueTreasury, address(this)).usdcUnit(), unit, "deposits unit");
    }

    function _executorOn(LocalToken coin, TwapOracle oracle, BuybackExecutor.Limits memory limits)
        private
        returns (BuybackExecutor)
    {
        return new BuybackExecutor(
            coin, flock, dexFactory, IUniswapV2Router(makeAddr("dexRouter")), oracle, limits, address(this)
        );
    }
}
