// Contract reverts as sentences. Every custom error a FOMO call can surface (every FOMO contract's
// own, the governance timelock's, and the token errors that bubble up through them) has a
// description, and the compiler checks that the list is complete against the generated ABIs.
// Every FOMO error is prefixed by the contract that declares it (LaunchpadNothingToClaim,
// RewardsDistributorNothingToClaim), as OpenZeppelin 5 does, so one name has one meaning and
// one selector; the contract a call went to only picks the unit of bubbled-up token amounts.
import {
  BaseError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  HttpRequestError,
  decodeErrorResult,
  type Abi,
  type ContractErrorArgs,
  type ContractErrorName,
  type Hex,
} from "viem";
import { formatAmount, formatFlock, formatMt, formatUsdc } from "./format.ts";
import {
  buybackExecutorAbi,
  creditDepositsAbi,
  emissionScheduleAbi,
  gmFlockAbi,
  incentivePoolAbi,
  launchpadAbi,
  localTokenAbi,
  modelTokenAbi,
  mtStakingAbi,
  operatorVestingAbi,
  revenueRouterAbi,
  rewardsDistributorAbi,
  templateRegistryAbi,
  timelockControllerAbi,
  twapOracleAbi,
} from "./generated/abis.ts";
import { stateName, type StateName } from "./state.ts";

/** The FOMO contracts by name, with their ABIs: a call's ABI tells which one it went to. */
const CONTRACTS = {
  Launchpad: launchpadAbi,
  TemplateRegistry: templateRegistryAbi,
  ModelToken: modelTokenAbi,
  LocalToken: localTokenAbi,
  IncentivePool: incentivePoolAbi,
  OperatorVesting: operatorVestingAbi,
  MtStaking: mtStakingAbi,
  TwapOracle: twapOracleAbi,
  BuybackExecutor: buybackExecutorAbi,
  RevenueRouter: revenueRouterAbi,
  CreditDeposits: creditDepositsAbi,
  EmissionSchedule: emissionScheduleAbi,
  RewardsDistributor: rewardsDistributorAbi,
  GmFlock: gmFlockAbi,
  TimelockController: timelockControllerAbi,
} as const;
/** Name of a FOMO contract (the one a call went to, when an error knows it). */
export type FomoContract = keyof typeof CONTRACTS;

const allAbis = [
  ...launchpadAbi,
  ...templateRegistryAbi,
  ...modelTokenAbi,
  ...localTokenAbi,
  ...incentivePoolAbi,
  ...operatorVestingAbi,
  ...mtStakingAbi,
  ...twapOracleAbi,
  ...buybackExecutorAbi,
  ...revenueRouterAbi,
  ...creditDepositsAbi,
  ...emissionScheduleAbi,
  ...rewardsDistributorAbi,
  ...gmFlockAbi,
  ...timelockControllerAbi,
] as const;
type FomoAbi = typeof allAbis;
/** Name of any custom error a FOMO contract call can revert with. */
export type FomoErrorName = ContractErrorName<FomoAbi>;

/** The custom errors of every FOMO contract, for decoding raw revert data. */
export const fomoErrorAbi: Abi = allAbis.filter((item) => item.type === "error");

/** A decoded revert: a custom error, or Solidity's built-in Error(string) / Panic(uint256). */
export interface Revert {
  errorName: string;
  args: readonly unknown[];
}

/** A local check that refuses what the contract would refuse, with the same error name. */
export class FomoRejection extends Error {
  override name = "FomoRejection";
  readonly revert: Revert;
  /** The contract whose refusal this mirrors, when the error name alone is ambiguous. */
  readonly contract: FomoContract | undefined;
  constructor(errorName: FomoErrorName, args: readonly unknown[], message: string, contract?: FomoContract) {
    super(message);
    this.revert = { errorName, args };
    this.contract = contract;
  }
}

/**
 * A buy the SDK refused before sending it: its fee now (base fee plus anti-snipe surcharge) is above
 * the `maxFeeBps` the caller accepts. Carries when the fee falls to the base fee, and to the maximum,
 * so a script can wait instead of paying a surcharge it never meant to pay.
 */
export class BuyFeeTooHigh extends Error {
  override name = "BuyFeeTooHigh";
  /** Total fee rate the buy would pay now, bps. */
  readonly feeBps: number;
  /** The most the caller accepts, bps. */
  readonly maxFeeBps: number;
  /** The offering's base fee rate, bps. */
  readonly baseFeeBps: number;
  /** Chain time (unix) from which the fee is at most `maxFeeBps` (the base fee's time if that is below the base fee). */
  readonly acceptableAt: bigint;
  /** Chain time (unix) from which the fee is the base fee alone. */
  readonly baseFeeAt: bigint;
  constructor(fee: { feeBps: number; maxFeeBps: number; baseFeeBps: number; acceptableAt: bigint; baseFeeAt: bigint }) {
    const { feeBps, maxFeeBps, baseFeeBps, acceptableAt, baseFeeAt } = fee;
    super(
      `The fee on this buy is now ${percent(feeBps)} (${percent(baseFeeBps)} base fee + ${percent(feeBps - baseFeeBps)} anti-snipe surcharge), ` +
        `above the ${percent(maxFeeBps)} accepted (maxFeeBps ${maxFeeBps}). ` +
        (maxFeeBps < baseFeeBps
          ? `The base fee alone is ${percent(baseFeeBps)} (the surcharge is gone from ${when(baseFeeAt)}): maxFeeBps must be at least ${baseFeeBps}.`
          : (acceptableAt < baseFeeAt ? `It is at most ${percent(maxFeeBps)} from ${when(acceptableAt)} and ` : "It ") +
            `falls to the base fee of ${percent(baseFeeBps)} at ${when(baseFeeAt)}: wait until then, or raise maxFeeBps to pay the surcharge.`),
    );
    this.feeBps = feeBps;
    this.maxFeeBps = maxFeeBps;
    this.baseFeeBps = baseFeeBps;
    this.acceptableAt = acceptableAt;
    this.baseFeeAt = baseFeeAt;
  }
}

/** Basis points as a percentage with two decimals: 9850 -> "98.50%". */
const percent = (bps: number) => `${Math.trunc(bps / 100)}.${String(bps % 100).padStart(2, "0")}%`;

/** Decodes revert data against every FOMO error (undefined if it matches none). */
export function decodeRevert(data: Hex): Revert | undefined {
  try {
    const { errorName, args } = decodeErrorResult({ abi: fomoErrorAbi, data });
    return { errorName, args: args ?? [] };
  } catch {
    return undefined;
  }
}

/** The revert inside an error thrown by a viem call or an SDK check, if there is one. */
export function revertOf(err: unknown): Revert | undefined {
  if (err instanceof FomoRejection) return err.revert;
  if (!(err instanceof BaseError)) return undefined;
  const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError) {
    if (reverted.data) return { errorName: reverted.data.errorName, args: reverted.data.args ?? [] };
    // The called contract's ABI lacks the error (e.g. a token error bubbling up through the Launchpad).
    if (reverted.raw) return decodeRevert(reverted.raw);
    if (reverted.reason) return { errorName: "Error", args: [reverted.reason] };
  }
  // Raw revert data elsewhere in the chain (e.g. a failed gas estimate of an unsimulated write).
  const raw = err.walk((e) => typeof (e as { data?: unknown }).data === "string");
  const data = (raw as { data?: unknown } | null)?.data;
  return typeof data === "string" && data.startsWith("0x") && data.length >= 10 ? decodeRevert(data as Hex) : undefined;
}

/** The FOMO contract a viem error's call went to, recognised by the ABI object the SDK passed. */
export function contractOf(err: unknown): FomoContract | undefined {
  if (err instanceof FomoRejection) return err.contract;
  if (!(err instanceof BaseError)) return undefined;
  const call = err.walk((e) => e instanceof ContractFunctionExecutionError) as ContractFunctionExecutionError | null;
  if (!call) return undefined;
  const found = Object.entries(CONTRACTS).find(([, abi]) => abi === call.abi);
  return found?.[0] as FomoContract | undefined;
}

/** What a sentence may need beyond the revert: the stablecoin's decimals to write USDC amounts. */
export interface DescribeOptions {
  /** The deployment's usdcDecimals; without it USDC amounts are given in raw token units. */
  usdcDecimals?: number;
}

type Describe = {
  [N in FomoErrorName]: (args: ContractErrorArgs<FomoAbi, N>, contract: FomoContract | undefined, opts: DescribeOptions) => string;
};

/** A unix time as people read it. */
const when = (unix: bigint | number) => {
  const ms = Number(unix) * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? `${new Date(ms).toISOString().replace(".000Z", "Z")} (unix ${unix})` : `unix ${unix}`;
};

/**
 * Token amounts in a bubbled-up ERC-20 error, in the unit of the token the called contract moves:
 * the Launchpad, GmFlock and the distributor's emission pull move FLOCK, staking moves $MT, and
 * the router, deposits and executor move USDC. Unknown: FLOCK, the protocol's main token.
 */
function tokenOf(contract: FomoContract | undefined, opts: DescribeOptions): { unit: string; format: (wei: bigint) => string } {
  switch (contract) {
    case "MtStaking":
    case "ModelToken":
      return { unit: "$MT", format: formatMt };
    case "RevenueRouter":
    case "CreditDeposits":
    case "BuybackExecutor":
      return { unit: "USDC", format: (units) => formatUsdc(units, opts.usdcDecimals) };
    default:
      return { unit: "FLOCK", format: formatFlock };
  }
}

/** TimelockController.OperationState by bit, for TimelockUnexpectedOperationState's bitmap. */
const OPERATION_STATES = ["Unset", "Waiting", "Ready", "Done"] as const;

/** What each state still allows: the second half of a WrongState sentence. */
const STATE_HINTS: Record<StateName, string> = {
  None: "it does not exist",
  Raising: "its raise is still open: it can take buys, but not graduate, refund or pay out $MT yet",
  Succeeded: "its raise closed above the minimum: buys are over and anyone may graduate it",
  Failed: "its raise closed below the minimum: buys are over and supporters can refund",
  Graduated: "it has graduated: buys are over and buyers can claim their $MT",
};

/** Sentences several contracts' errors share word for word. */
const zeroAmount = () => "The amount must be greater than zero.";
const invalidParameter = ([param]: readonly [string]) => `Parameter ${param} is outside its allowed bounds.`;
const notModelToken = ([token]: readonly [`0x${string}`]) =>
  `${token} is not a graduated $MT of this launchpad: only graduated model tokens can be staked or earn revenue.`;

const describers: Describe = {
  // Launchpad
  LaunchpadUnknownOffering: ([mt]) => `No offering exists at ${mt}.`,
  LaunchpadWrongState: ([mt, state]) => {
    const name = stateName(state);
    const hint = (STATE_HINTS as Partial<Record<string, string>>)[name];
    // A local FomoRejection may not know the address.
    return `${mt ? `Offering ${mt}` : "The offering"} is ${name}` + (hint ? `: ${hint}.` : ".");
  },
  LaunchpadZeroAmount: zeroAmount,
  LaunchpadDeadlineExpired: ([deadline, now]) =>
    `The deadline passed: it was ${deadline}, and the chain's time is ${now}. Send again with a later deadline.`,
  LaunchpadInsufficientOutput: ([mtOut, minMtOut]) =>
    mtOut === 0n
      ? "This buy would give no $MT: the amount is too small (or zero)" +
        (minMtOut > 0n ? `, and at least ${formatMt(minMtOut)} was required.` : ".")
      : `This buy would give ${formatMt(mtOut)}, less than the ${formatMt(minMtOut)} accepted: ` +
        "the price or the fee moved since the quote. Quote again or accept more slippage.",
  LaunchpadFirstBuyTooLarge: ([mtOut, cap]) =>
    `The first buy would give ${formatMt(mtOut)}, over the first-buy cap of ${formatMt(cap)}. Buy less at launch.`,
  LaunchpadInvalidName: ([name]) => `Invalid name ${JSON.stringify(name)}: use 1-32 printable ASCII characters.`,
  LaunchpadInvalidTicker: ([ticker]) => `Invalid ticker ${JSON.stringify(ticker)}: use 1-10 characters of A-Z and 0-9.`,
  LaunchpadModelIdTaken: ([modelId, mt]) => `The model id ${modelId} is already served by ${mt}: pick another ticker.`,
  LaunchpadNothingToRefund: ([mt, account]) => `${account} has nothing to refund from offering ${mt}.`,
  LaunchpadNothingToClaim: ([mt, account]) =>
    `${account} has no $MT to claim from offering ${mt} (never bought, already claimed, or the issuer's first buy not yet vested further).`,
  LaunchpadNothingToWithdraw: ([mt]) => `Offering ${mt} has no fees due to settle.`,
  LaunchpadInvalidParameter: invalidParameter,
  EnforcedPause: () =>
    "The Launchpad is paused: launches and buys are stopped (refunds, claims and graduation go on), and open raises' windows are extended by the pause.",
  ExpectedPause: () => "The Launchpad is not paused.",
  ReentrancyGuardReentrantCall: () => "Reentrant call refused.",
  AccessControlUnauthorizedAccount: ([account, role]) => `${account} lacks the role ${role} this call needs.`,
  AccessControlBadConfirmation: () => "An account may only renounce its own roles.",
  SafeERC20FailedOperation: ([token]) => `A transfer of token ${token} failed.`,
  SafeCastOverflowedUintDowncast: ([bits, value]) => `${value} does not fit in ${bits} bits.`,
  FailedDeployment: () => "Deploying the vesting wallet failed.",
  InsufficientBalance: ([balance, needed]) => `Balance ${balance} is below the ${needed} needed.`,
  // TemplateRegistry
  TemplateRegistryInvalidParameter: invalidParameter,
  TemplateRegistryUnknownTemplate: ([id]) => `No template has id ${id}.`,
  TemplateRegistryUnknownTerms: ([id]) => `No terms have id ${id}.`,
  TemplateRegistryTemplateDisabled: ([id]) => `Template ${id} is disabled for new launches.`,
  // Tokens (FLOCK, $MT): these bubble up through the Launchpad's transfers.
  ERC20InsufficientAllowance: ([spender, allowance, needed], contract, opts) => {
    const { unit, format } = tokenOf(contract, opts);
    return `The ${unit} allowance of ${spender} is ${format(allowance)}, but ${format(needed)} is needed: approve first.`;
  },
  ERC20InsufficientBalance: ([sender, balance, needed], contract, opts) => {
    const { format } = tokenOf(contract, opts);
    return `${sender} holds ${format(balance)}, but ${format(needed)} is needed.`;
  },
  ERC20InvalidApprover: ([a]) => `Invalid approver ${a}.`,
  ERC20InvalidReceiver: ([a]) => `Invalid receiver ${a}.`,
  ERC20InvalidSender: ([a]) => `Invalid sender ${a}.`,
  ERC20InvalidSpender: ([a]) => `Invalid spender ${a}.`,
  ERC2612ExpiredSignature: ([deadline]) => `The permit expired at ${deadline}.`,
  ERC2612InvalidSigner: ([signer, owner]) => `The permit was signed by ${signer}, not the owner ${owner}.`,
  ECDSAInvalidSignature: () => "Invalid signature.",
  ECDSAInvalidSignatureLength: ([length]) => `Invalid signature length ${length}.`,
  ECDSAInvalidSignatureS: () => "Invalid signature (malleable s value).",
  InvalidAccountNonce: ([account, nonce]) => `Wrong nonce for ${account}: the current one is ${nonce}.`,
  InvalidShortString: () => "Invalid short string.",
  StringTooLong: ([s]) => `String too long: ${s}.`,
  ModelTokenAlreadyMinted: () => "This $MT's supply was already minted.",
  InvalidInitialization: () => "Already initialized.",
  NotInitializing: () => "Not initializing.",
  ModelTokenNotMinter: ([caller]) => `${caller} is not this $MT's minter.`,
  // IncentivePool
  IncentivePoolAlreadyFunded: ([mt]) => `The incentive pool of ${mt} is already funded.`,
  IncentivePoolNoDistributor: () => "The incentive pool has no distributor set.",
  IncentivePoolUnfunded: ([token, needed, available]) => `Token ${token}: ${needed} needed but only ${available} available.`,
  IncentivePoolInvalidParameter: invalidParameter,
  IncentivePoolUnknownStream: ([mt]) => `The incentive pool has no stream for ${mt}.`,
  // OperatorVesting
  FailedCall: () => "A low-level call failed.",
  InvalidCliffDuration: ([cliff, duration]) => `The vesting cliff (${cliff} s) is longer than its duration (${duration} s).`,
  OwnableInvalidOwner: ([owner]) => `${owner} cannot own the vesting wallet.`,
  OwnableUnauthorizedAccount: ([account]) => `${account} does not own this vesting wallet.`,
  // MtStaking
  MtStakingNotModelToken: notModelToken,
  MtStakingZeroAmount: zeroAmount,
  MtStakingNothingToWithdraw: () => "Nothing is waiting to be withdrawn: unstake first, then wait out the cooldown.",
  MtStakingInvalidParameter: invalidParameter,
  MtStakingInsufficientStake: ([stake, amount]) => `Cannot unstake ${formatMt(amount)}: the counted stake is only ${formatMt(stake)}.`,
  MtStakingCoolingDown: ([releaseAt]) => `The unstaked $MT is still cooling down: it can be withdrawn from ${when(releaseAt)}.`,
  CheckpointUnorderedInsertion: () => "A stake checkpoint would go back in time: the chain's clock moved backwards.",
  // TwapOracle
  TwapOracleNotReady: ([pair, window]) =>
    `The price oracle has no observation of pair ${pair} at least ${window} s old yet: ` +
    `call update on the oracle (anyone may), then wait ${window} s.`,
  TwapOracleStale: ([pair, age, maxAge]) =>
    `The price oracle's observation of pair ${pair} is ${age} s old, over its ${maxAge} s limit: an average that old lags the market. ` +
    "Call update on the oracle (anyone may), then wait one window.",
  TwapOracleEmptyPair: ([pair]) => `Pair ${pair} has an empty side (its pool has not opened): there is no price to observe yet.`,
  TwapOracleNotInPair: ([pair, token]) => `Token ${token} is not in pair ${pair}.`,
  TwapOracleInvalidParameter: invalidParameter,
  // BuybackExecutor
  BuybackExecutorZeroAmount: zeroAmount,
  BuybackExecutorUnfunded: ([needed, available], _, { usdcDecimals }) =>
    `The buyback executor holds ${formatUsdc(available, usdcDecimals)} of unbudgeted USDC, less than the ${formatUsdc(needed, usdcDecimals)} to fund.`,
  BuybackExecutorInvalidParameter: invalidParameter,
  BuybackExecutorTooSoon: ([target, nextAt]) => `${target} was bought back less than an interval ago: the next buyback may run from ${when(nextAt)}.`,
  BuybackExecutorNothingToSpend: ([target]) => `No USDC is budgeted for buying back ${target}, or its pools are too shallow to take any of it.`,
  BuybackExecutorPriceOutOfBounds: ([pair, tokenIn, spot, floor]) =>
    `Pool ${pair} prices ${tokenIn} ${percentBelow(spot, floor)} below the floor of its TWAP bound: ` +
    "the price is being pushed (a sandwich?) or moved too fast, so the buyback refuses to overpay. Try again later.",
  BuybackExecutorBelowTwapValue: ([out, minOut]) =>
    `The buyback would get ${percentBelow(out, minOut)} less than the least it accepts (its spend valued at the pools' TWAPs, less the deviation bound): ` +
    "a trade moved a pool against it (a sandwich?), or the price moved too fast. Try again later.",
  BuybackExecutorNoPair: ([a, b]) => `No Uniswap V2 pair exists for ${a} and ${b}.`,
  // RevenueRouter
  RevenueRouterNotModelToken: notModelToken,
  RevenueRouterZeroAmount: zeroAmount,
  RevenueRouterNothingToClaim: ([mt]) => `${mt} has no issuer yield to claim: nothing was reported since the last claim.`,
  RevenueRouterInvalidParameter: invalidParameter,
  RevenueRouterAlreadyReported: ([epoch, mt]) => `Revenue of ${mt} for epoch ${epoch} was already reported: each (epoch, $MT) is reported once.`,
  RevenueRouterCostAboveRevenue: ([gross, hardCost], _, { usdcDecimals }) =>
    `The hard cost ${formatUsdc(hardCost, usdcDecimals)} is above the gross revenue ${formatUsdc(gross, usdcDecimals)}.`,
  // StablecoinUnit (BuybackExecutor, RevenueRouter, CreditDeposits constructors)
  StablecoinUnitUnsupportedDecimals: ([token, decimals]) =>
    `The stablecoin ${token} has ${decimals} decimals: the protocol supports settlement stablecoins of 6 to 18 decimals.`,
  RevenueRouterNotIssuer: ([mt, caller]) => `${caller} is not the issuer of ${mt}: only the issuer claims its yield.`,
  // CreditDeposits
  CreditDepositsZeroAmount: zeroAmount,
  CreditDepositsInvalidParameter: invalidParameter,
  CreditDepositsInvalidAccount: () => "The API account id is zero: pass the account's id (see accountIdOf).",
  // EmissionSchedule
  EmissionScheduleNotStarted: ([start]) => `The emission schedule starts at ${when(start)}: there is no day before it.`,
  EmissionScheduleDayLengthOutOfBounds: ([dayLength, min, max]) =>
    `A day of ${dayLength} s is outside the ${min} s to ${max} s a schedule allows (production runs ${max} s days; a local stack may run days as short as ${min} s).`,
  // RewardsDistributor
  RewardsDistributorEpochNotAfter: ([epoch, latest]) =>
    `Epoch ${epoch} is not after the live root's epoch ${latest}: roots are posted in increasing epochs (a root still in its challenge delay may be replaced by any later one).`,
  RewardsDistributorEpochInFuture: ([epoch, today]) => `Epoch ${epoch} has not begun: today is day ${today}.`,
  RewardsDistributorEmissionAboveSchedule: ([total, cap]) =>
    `A cumulative emission of ${formatFlock(total)} exceeds the schedule's ${formatFlock(cap)} up to this epoch.`,
  RewardsDistributorEmissionDecreased: ([total, emitted]) =>
    `The cumulative emission ${formatFlock(total)} is below the ${formatFlock(emitted)} already emitted: it can only grow.`,
  RewardsDistributorAllotmentDecreased: ([token, total, allotted]) =>
    `The cumulative allotment of token ${token} would fall from ${formatAmount(allotted)} to ${formatAmount(total)}: it can only grow.`,
  RewardsDistributorUnderfunded: ([token, total, funded]) =>
    `Allotting ${formatAmount(total)} of token ${token} needs more than the ${formatAmount(funded)} the distributor was funded with.`,
  RewardsDistributorLengthMismatch: () => "The tokens and totals lists differ in length.",
  RewardsDistributorTooManyTokens: ([count, max]) => `A root lists ${count} tokens, more than the ${max} allowed: list only the tokens whose allotment changed.`,
  RewardsDistributorChallengeDelayOutOfBounds: ([delay, min, max]) =>
    `A challenge delay of ${delay} s is outside the allowed ${min} s to ${max} s.`,
  RewardsDistributorNotPending: ([root]) =>
    `Root ${root} is not the pending root: it was never posted, was replaced by a newer root, or was vetoed already.`,
  RewardsDistributorChallengeOver: ([root, liveAt]) =>
    `Root ${root} is past its challenge delay (live since ${when(liveAt)}): it can no longer be vetoed. Revoke the keeper and post a correcting root instead.`,
  RewardsDistributorInvalidProof: () =>
    "The Merkle proof does not match the live root: the account, token or amount is wrong, a newer root went live (fetch the proof again), " +
    "or the root it belongs to is still in its challenge delay (wait for its liveAt).",
  RewardsDistributorNothingToClaim: ([account, token]) =>
    `${account} has nothing to claim in token ${token}: this cumulative amount was already paid (wait for a newer root).`,
  RewardsDistributorOverAllotment: ([token]) => `This claim would pay more of token ${token} than the live root allots.`,
  // GmFlock
  GmFlockZeroAmount: zeroAmount,
  GmFlockInvalidDuration: ([days]) => `A lock lasts 1 to 365 days, not ${days}.`,
  GmFlockNotOwner: ([id, caller]) => `${caller} does not own lock ${id}.`,
  GmFlockStillLocked: ([id, unlockAt]) => `Lock ${id} runs until ${when(unlockAt)}.`,
  GmFlockNonTransferable: () => "gmFLOCK cannot be transferred or approved: it stays with its lock.",
  // TimelockController (governance)
  TimelockInsufficientDelay: ([delay, minDelay]) => `A delay of ${delay} s is below the timelock's minimum of ${minDelay} s.`,
  TimelockInvalidOperationLength: ([targets, payloads, values]) =>
    `A batch needs as many targets as payloads and values (got ${targets}, ${payloads}, ${values}).`,
  TimelockUnauthorizedCaller: ([caller]) => `${caller} may not execute timelock operations.`,
  TimelockUnexecutedPredecessor: ([id]) => `The operation's predecessor ${id} has not been executed.`,
  TimelockUnexpectedOperationState: ([id, expected]) => {
    const states = OPERATION_STATES.filter((_, i) => (BigInt(expected) >> BigInt(i)) & 1n);
    return `Timelock operation ${id} is not ${states.join(" or ") || "in the expected state"}.`;
  },
};

/**
 * One sentence for a decoded revert. `contract` (the contract the call went to) picks the meaning
 * of a name several contracts share with the same arguments; describeError finds it itself. Pass
 * the deployment's usdcDecimals in `opts` to have USDC amounts in USDC rather than raw units.
 */
export function describeRevert(r: Revert, contract?: FomoContract, opts: DescribeOptions = {}): string {
  if (r.errorName === "Error") return `The contract reverted: ${String(r.args[0])}.`;
  if (r.errorName === "Panic") return `The contract panicked (code ${String(r.args[0])}).`;
  // Decoded at run time against the same ABIs the describers are typed from, so the args fit.
  const describe = Object.hasOwn(describers, r.errorName)
    ? (describers as unknown as Record<string, (args: readonly unknown[], contract: FomoContract | undefined, opts: DescribeOptions) => string>)[r.errorName]
    : undefined;
  return describe ? describe(r.args, contract, opts) : `The contract reverted with ${r.errorName}(${r.args.map(String).join(", ")}).`;
}

/**
 * A readable message for anything an SDK action throws: a contract revert becomes a sentence
 * (e.g. InsufficientOutput(mtOut, minMtOut) -> "This buy would give 9.5 $MT, less than ..."),
 * a viem error its short message, anything else its message.
 */
export function describeError(err: unknown, opts: DescribeOptions = {}): string {
  const r = revertOf(err);
  if (r) return describeRevert(r, contractOf(err), opts);
  if (err instanceof BaseError) {
    // The two usual local-stack mistakes: a deployments file that does not match the chain, and no chain.
    if (err.walk((e) => e instanceof ContractFunctionZeroDataError)) {
      const call = err.walk((e) => e instanceof ContractFunctionExecutionError) as ContractFunctionExecutionError | null;
      const at = call?.contractAddress ? ` at ${call.contractAddress}` : "";
      return `No contract answered${at}: the deployments file may be from another chain, or the local chain was restarted.`;
    }
    const http = err.walk((e) => e instanceof HttpRequestError) as HttpRequestError | null;
    if (http) return `The RPC at ${http.url} did not answer (${http.details || http.shortMessage}): is the chain running?`;
    return err.shortMessage;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

/** How far `value` is below `floor`, as a percentage with two decimals (both UQ112x112 prices). */
function percentBelow(value: bigint, floor: bigint): string {
  if (floor === 0n || value >= floor) return "0.00%";
  const bp = ((floor - value) * 10_000n) / floor;
  return `${bp / 100n}.${(bp % 100n).toString().padStart(2, "0")}%`;
}
