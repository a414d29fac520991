// describeError for the token layer and economic engine: the new contracts' errors, the errors
// that once shared a name across contracts (each now prefixed by its contract), and token amounts
// in the unit of the token the called contract moves.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  getAddress,
  type Abi,
} from "viem";
import {
  FomoRejection,
  buybackExecutorAbi,
  contractOf,
  creditDepositsAbi,
  describeError,
  describeRevert,
  emissionScheduleAbi,
  fomoErrorAbi,
  launchpadAbi,
  localTokenAbi,
  mtStakingAbi,
  revenueRouterAbi,
  rewardsDistributorAbi,
  timelockControllerAbi,
  twapOracleAbi,
} from "../src/index.ts";

const A = getAddress("0x00000000000000000000000000000000000000aa");
const B = getAddress("0x00000000000000000000000000000000000000bb");

/** What viem throws when a call to a contract with `abi` reverts with `errorName(args)` (encoded with `errorAbi`). */
function reverted(abi: Abi, errorName: string, args: readonly unknown[], errorAbi: Abi = abi): ContractFunctionExecutionError {
  const data = encodeErrorResult({ abi: errorAbi, errorName, args });
  const cause = new ContractFunctionRevertedError({ abi, data, functionName: "f" });
  return new ContractFunctionExecutionError(cause, { abi, functionName: "f", args: [], contractAddress: A });
}

describe("describeError for the engine", () => {
  it("knows which contract a call went to by its ABI", () => {
    assert.equal(contractOf(reverted(rewardsDistributorAbi, "RewardsDistributorInvalidProof", [])), "RewardsDistributor");
    assert.equal(contractOf(reverted(launchpadAbi, "LaunchpadZeroAmount", [])), "Launchpad");
    assert.equal(contractOf(new Error("x")), undefined);
  });

  it("tells the three NothingToClaim apart", () => {
    // Once one name with two meanings under one selector: Launchpad (mt, account), RewardsDistributor (account, token).
    assert.match(describeError(reverted(launchpadAbi, "LaunchpadNothingToClaim", [A, B])), new RegExp(`${B} has no \\$MT to claim from offering ${A}`));
    assert.match(describeError(reverted(rewardsDistributorAbi, "RewardsDistributorNothingToClaim", [A, B])), new RegExp(`${A} has nothing to claim in token ${B}`));
    assert.match(describeError(reverted(revenueRouterAbi, "RevenueRouterNothingToClaim", [A])), new RegExp(`${A} has no issuer yield to claim`));
  });

  it("tells NothingToWithdraw and Unfunded apart", () => {
    assert.match(describeError(reverted(mtStakingAbi, "MtStakingNothingToWithdraw", [])), /unstake first/);
    assert.match(describeError(reverted(launchpadAbi, "LaunchpadNothingToWithdraw", [A])), /no fees due/);
    const unfunded = reverted(buybackExecutorAbi, "BuybackExecutorUnfunded", [5n * 10n ** 18n, 2n * 10n ** 18n]);
    assert.match(describeError(unfunded, { usdcDecimals: 18 }), /holds 2 USDC of unbudgeted USDC, less than the 5 USDC/);
  });

  it("states token amounts in the unit of the contract's token", () => {
    const allowance = (abi: Abi, usdcDecimals?: number) =>
      describeError(reverted(abi, "ERC20InsufficientAllowance", [A, 0n, 1_500_000n], localTokenAbi), { usdcDecimals });
    assert.match(allowance(revenueRouterAbi, 6), /The USDC allowance of .* is 0 USDC, but 1\.5 USDC is needed: approve first/);
    assert.match(allowance(creditDepositsAbi, 18), /but 0\.0000000000015 USDC is needed/);
    // Without the deployment's decimals, USDC amounts are raw units rather than a guess.
    assert.match(allowance(buybackExecutorAbi), /is 0 USDC units, but 1,500,000 USDC units is needed/);
    assert.match(allowance(mtStakingAbi), /The \$MT allowance .* but 0\.0000000000015 \$MT is needed/);
    assert.match(allowance(launchpadAbi), /The FLOCK allowance/);
  });

  it("explains a stablecoin of unsupported decimals", () => {
    assert.equal(
      describeError(reverted(creditDepositsAbi, "StablecoinUnitUnsupportedDecimals", [A, 24])),
      `The stablecoin ${A} has 24 decimals: the protocol supports settlement stablecoins of 6 to 18 decimals.`,
    );
  });

  it("explains the buyback's price bound, the oracle's window and the cooldowns", () => {
    // Spot 9% under the floor (UQ112x112 prices).
    const floor = 1_000_000n << 112n;
    assert.match(describeError(reverted(buybackExecutorAbi, "BuybackExecutorPriceOutOfBounds", [A, B, (floor * 91n) / 100n, floor])), /prices .* 9\.00% below the floor of its TWAP bound.*sandwich/);
    assert.match(describeError(reverted(twapOracleAbi, "TwapOracleNotReady", [A, 1_800n])), /no observation of pair .* at least 1800 s old yet: call update on the oracle/);
    assert.match(describeError(reverted(twapOracleAbi, "TwapOracleStale", [A, 30_000n, 21_600n])), /observation of pair .* is 30000 s old, over its 21600 s limit.*Call update on the oracle/);
    assert.match(describeError(reverted(twapOracleAbi, "TwapOracleEmptyPair", [A])), /Pair .* has an empty side \(its pool has not opened\)/);
    assert.match(describeError(reverted(buybackExecutorAbi, "BuybackExecutorBelowTwapValue", [97n * 10n ** 18n, 100n * 10n ** 18n])), /would get 3\.00% less than the least it accepts.*sandwich/);
    assert.match(describeError(reverted(mtStakingAbi, "MtStakingCoolingDown", [1_800_000_000])), /withdrawn from 2027-01-15T08:00:00Z/);
    assert.match(describeError(reverted(buybackExecutorAbi, "BuybackExecutorTooSoon", [A, 1_800_000_000n])), /next buyback may run from 2027-01-15T08:00:00Z/);
  });

  it("explains an emission schedule's day length out of bounds", () => {
    assert.equal(
      describeError(reverted(emissionScheduleAbi, "EmissionScheduleDayLengthOutOfBounds", [30n, 60n, 86_400n])),
      "A day of 30 s is outside the 60 s to 86400 s a schedule allows (production runs 86400 s days; a local stack may run days as short as 60 s).",
    );
  });

  it("decodes the timelock's expected-state bitmap", () => {
    const ready = `0x${(1n << 2n).toString(16).padStart(64, "0")}` as const;
    const id = `0x${"11".repeat(32)}` as const;
    assert.match(describeError(reverted(timelockControllerAbi, "TimelockUnexpectedOperationState", [id, ready])), /is not Ready\./);
  });

  it("describes a local refusal with the contract it mirrors", () => {
    const local = new FomoRejection("RewardsDistributorNothingToClaim", [A, B], "claimed already", "RewardsDistributor");
    assert.equal(describeError(local), describeError(reverted(rewardsDistributorAbi, "RewardsDistributorNothingToClaim", [A, B])));
  });

  it("decodes the errors of every contract, the new ones included (errors.test.ts checks each has a sentence)", () => {
    const names = new Set(fomoErrorAbi.flatMap((e) => (e.type === "error" ? [e.name] : [])));
    for (const n of ["RewardsDistributorInvalidProof", "BuybackExecutorPriceOutOfBounds", "RevenueRouterAlreadyReported", "MtStakingInsufficientStake", "EmissionScheduleNotStarted", "EmissionScheduleDayLengthOutOfBounds", "GmFlockNonTransferable", "CreditDepositsInvalidAccount", "TimelockUnexpectedOperationState", "OwnableUnauthorizedAccount"]) {
      assert.ok(names.has(n), `${n} is decodable`);
    }
    assert.equal(describeRevert({ errorName: "RewardsDistributorLengthMismatch", args: [] }), "The tokens and totals lists differ in length.");
  });
});
