// Contract reverts as sentences. Every custom error a FOMO call can surface (the Launchpad's own,
// the registry's, and the token errors that bubble up through them) has a description, and the
// compiler checks that the list is complete against the generated ABIs.
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
import { formatFlock, formatMt } from "./format.ts";
import {
  incentivePoolAbi,
  launchpadAbi,
  localTokenAbi,
  modelTokenAbi,
  templateRegistryAbi,
} from "./generated/abis.ts";
import { stateName, type StateName } from "./state.ts";

const allAbis = [
  ...launchpadAbi,
  ...templateRegistryAbi,
  ...modelTokenAbi,
  ...localTokenAbi,
  ...incentivePoolAbi,
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
  constructor(errorName: FomoErrorName, args: readonly unknown[], message: string) {
    super(message);
    this.revert = { errorName, args };
  }
}

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

type Describe = { [N in FomoErrorName]: (args: ContractErrorArgs<FomoAbi, N>) => string };

/** What each state still allows: the second half of a WrongState sentence. */
const STATE_HINTS: Record<StateName, string> = {
  None: "it does not exist",
  Raising: "its raise is still open: it can take buys, but not graduate, refund or pay out $MT yet",
  Succeeded: "its raise closed above the minimum: buys are over and anyone may graduate it",
  Failed: "its raise closed below the minimum: buys are over and supporters can refund",
  Graduated: "it has graduated: buys are over and buyers can claim their $MT",
};

const describers: Describe = {
  // Launchpad
  UnknownOffering: ([mt]) => `No offering exists at ${mt}.`,
  WrongState: ([mt, state]) => {
    const name = stateName(state);
    const hint = (STATE_HINTS as Partial<Record<string, string>>)[name];
    // A local FomoRejection may not know the address.
    return `${mt ? `Offering ${mt}` : "The offering"} is ${name}` + (hint ? `: ${hint}.` : ".");
  },
  ZeroAmount: () => "The amount must be greater than zero.",
  DeadlineExpired: ([deadline, now]) =>
    `The deadline passed: it was ${deadline}, and the chain's time is ${now}. Send again with a later deadline.`,
  InsufficientOutput: ([mtOut, minMtOut]) =>
    mtOut === 0n
      ? "This buy would give no $MT: the amount is too small (or zero)" +
        (minMtOut > 0n ? `, and at least ${formatMt(minMtOut)} was required.` : ".")
      : `This buy would give ${formatMt(mtOut)}, less than the ${formatMt(minMtOut)} accepted: ` +
        "the price or the fee moved since the quote. Quote again or accept more slippage.",
  FirstBuyTooLarge: ([mtOut, cap]) =>
    `The first buy would give ${formatMt(mtOut)}, over the first-buy cap of ${formatMt(cap)}. Buy less at launch.`,
  InvalidName: ([name]) => `Invalid name ${JSON.stringify(name)}: use 1-32 printable ASCII characters.`,
  InvalidTicker: ([ticker]) => `Invalid ticker ${JSON.stringify(ticker)}: use 1-10 characters of A-Z and 0-9.`,
  ModelIdTaken: ([modelId, mt]) => `The model id ${modelId} is already served by ${mt}: pick another ticker.`,
  NothingToRefund: ([mt, account]) => `${account} has nothing to refund from offering ${mt}.`,
  NothingToClaim: ([mt, account]) => `${account} has no $MT to claim from offering ${mt} (never bought, or already claimed).`,
  NothingToWithdraw: ([mt]) => `Offering ${mt} has no fees due to settle.`,
  InvalidParameter: ([param]) => `Parameter ${param} is outside its allowed bounds.`,
  EnforcedPause: () => "The Launchpad is paused: launches and buys are stopped (refunds, claims and graduation go on).",
  ExpectedPause: () => "The Launchpad is not paused.",
  ReentrancyGuardReentrantCall: () => "Reentrant call refused.",
  AccessControlUnauthorizedAccount: ([account, role]) => `${account} lacks the role ${role} this call needs.`,
  AccessControlBadConfirmation: () => "An account may only renounce its own roles.",
  SafeERC20FailedOperation: ([token]) => `A transfer of token ${token} failed.`,
  SafeCastOverflowedUintDowncast: ([bits, value]) => `${value} does not fit in ${bits} bits.`,
  CloneArgumentsTooLong: () => "The token's name and ticker are too long to deploy.",
  FailedDeployment: () => "Deploying the token failed.",
  InsufficientBalance: ([balance, needed]) => `Balance ${balance} is below the ${needed} needed.`,
  // TemplateRegistry
  UnknownTemplate: ([id]) => `No template has id ${id}.`,
  UnknownTerms: ([id]) => `No terms have id ${id}.`,
  TemplateDisabled: ([id]) => `Template ${id} is disabled for new launches.`,
  // Tokens (FLOCK, $MT): these bubble up through the Launchpad's transfers.
  ERC20InsufficientAllowance: ([spender, allowance, needed]) =>
    `The FLOCK allowance of ${spender} is ${formatFlock(allowance)}, but ${formatFlock(needed)} is needed: approve first.`,
  ERC20InsufficientBalance: ([sender, balance, needed]) =>
    `${sender} holds ${formatFlock(balance)}, but ${formatFlock(needed)} is needed.`,
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
  AlreadyMinted: () => "This $MT's supply was already minted.",
  InvalidInitialization: () => "Already initialized.",
  NotInitializing: () => "Not initializing.",
  NotAClone: () => "Not a clone of the $MT implementation.",
  NotMinter: ([caller]) => `${caller} is not this $MT's minter.`,
  // IncentivePool
  AlreadyFunded: ([mt]) => `The incentive pool of ${mt} is already funded.`,
  NoDistributor: () => "The incentive pool has no distributor set.",
  Unfunded: ([token, needed, available]) => `Token ${token}: ${needed} needed but only ${available} available.`,
  UnknownStream: ([mt]) => `The incentive pool has no stream for ${mt}.`,
};

/** One sentence for a decoded revert. */
export function describeRevert(r: Revert): string {
  if (r.errorName === "Error") return `The contract reverted: ${String(r.args[0])}.`;
  if (r.errorName === "Panic") return `The contract panicked (code ${String(r.args[0])}).`;
  // Decoded at run time against the same ABIs the describers are typed from, so the args fit.
  const describe = Object.hasOwn(describers, r.errorName)
    ? (describers as unknown as Record<string, (args: readonly unknown[]) => string>)[r.errorName]
    : undefined;
  return describe ? describe(r.args) : `The contract reverted with ${r.errorName}(${r.args.map(String).join(", ")}).`;
}

/**
 * A readable message for anything an SDK action throws: a contract revert becomes a sentence
 * (e.g. InsufficientOutput(mtOut, minMtOut) -> "This buy would give 9.5 $MT, less than ..."),
 * a viem error its short message, anything else its message.
 */
export function describeError(err: unknown): string {
  const r = revertOf(err);
  if (r) return describeRevert(r);
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
