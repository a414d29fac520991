// Typed actions on the Launchpad, viem style: each takes a client (reads) or clients (writes), the
// Launchpad (deployments or address) and one parameters object. Writes simulate first, so a revert
// surfaces as a decodable error (see describeError) instead of a failed transaction, then wait for
// the receipt and return the events that matter.
import {
  erc20Abi,
  type Address,
  type BlockTag,
  type ContractEventName,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
  type Log,
  type PublicClient,
} from "viem";
import {
  chainTime,
  eventsOf,
  launchpadAddress,
  theEventOf,
  write,
  type BlockOptions,
  type EventArgsOf,
  type Clients,
  type LaunchpadRef,
  type Sent,
  type WriteOptions,
} from "./client.ts";
import { feeBpsAt, lockedFirstBuy, quoteBuy as curveQuote, type BuyQuote, type CurveState } from "./curve.ts";
import { BuyFeeTooHigh, FomoRejection } from "./errors.ts";
import { approveToken, ensureAllowance } from "./tokens.ts";
import { launchpadAbi } from "./generated/abis.ts";
import { BPS, FIRST_BUY_VESTING, MAX_PAUSE_EXTENSION, TOTAL_SUPPLY, type SaleTerms } from "./params.ts";
import { getTemplate, getTerms, type Terms } from "./registry.ts";
import { State, stateName, type StateName } from "./state.ts";

/** Slippage a buy accepts when the caller gives neither minMtOut nor slippageBps: 0.5%. */
export const DEFAULT_SLIPPAGE_BPS = 50;
/** How long a transaction stays valid when the caller gives no deadline: 20 minutes of chain time. */
export const DEFAULT_DEADLINE_SECONDS = 20n * 60n;
/**
 * Fee above an offering's base fee that a buy accepts when the caller gives no maxFeeBps: one point,
 * so a script unaware of the anti-snipe surcharge (up to 99% at open) is refused instead of paying it.
 */
export const DEFAULT_FEE_MARGIN_BPS = 100;

type LaunchpadEvent = ContractEventName<typeof launchpadAbi>;
/** Decoded arguments of a Launchpad event. */
export type EventArgs<N extends LaunchpadEvent> = EventArgsOf<typeof launchpadAbi, N>;
export type OfferingView = ContractFunctionReturnType<typeof launchpadAbi, "view", "offering">;
export type Position = ContractFunctionReturnType<typeof launchpadAbi, "view", "positionOf">;

// ------------------------------------------------------------------ addresses

/** What {@link registryOf} returns. */
export type RegistryOfReturnType = Address;

/**
 * The registry the Launchpad reads its terms from.
 *
 * @example
 * const registry = await registryOf(publicClient, deployments);
 */
export async function registryOf(client: PublicClient, ref: LaunchpadRef): Promise<RegistryOfReturnType> {
  if (typeof ref !== "string" && ref.contracts.templateRegistry) return ref.contracts.templateRegistry;
  return client.readContract({ address: launchpadAddress(ref), abi: launchpadAbi, functionName: "registry" });
}

/** What {@link flockOf} returns. */
export type FlockOfReturnType = Address;

/**
 * The FLOCK token the Launchpad raises in.
 *
 * @example
 * const flock = await flockOf(publicClient, launchpadAddress);
 */
export async function flockOf(client: PublicClient, ref: LaunchpadRef): Promise<FlockOfReturnType> {
  if (typeof ref !== "string" && ref.contracts.flock) return ref.contracts.flock;
  return client.readContract({ address: launchpadAddress(ref), abi: launchpadAbi, functionName: "flock" });
}

// ------------------------------------------------------------------ pure helpers

/** The least `amount` accepted after `slippageBps` of slippage, rounded down. */
export function withSlippage(amount: bigint, slippageBps: number): bigint {
  if (!Number.isInteger(slippageBps) || slippageBps < 0 || slippageBps > Number(BPS)) {
    throw new RangeError(`slippage must be an integer number of bps in [0, 10000], got ${slippageBps}`);
  }
  return (amount * (BPS - BigInt(slippageBps))) / BPS;
}

/**
 * What `quoteBuyLocal` needs of an offering: its curve, fee terms and window. `getOffering`
 * returns all of it; a UI can keep it and re-quote for every keystroke without a call.
 */
export interface OfferingSnapshot extends CurveState {
  /** Names the offering in errors. */
  mt?: Address;
  state: number;
  opensAt: number;
  /** The effective close: the planned one plus the time the Launchpad was paused during the raise. */
  closesAt: number;
  /** Seconds the Launchpad was paused since the raise opened (its clock stood still), the ongoing pause included. */
  pausedSeconds: number;
  /** Whether the Launchpad was paused: buys wait, and the raise's clock (window, anti-snipe decay) stands still. */
  paused: boolean;
  raiseMin: bigint;
  snipeFeeBps: number;
  snipeDecayBpsPerMinute: number;
}

/**
 * The offering's state at `timestamp`: the window may have closed since the snapshot. While the
 * Launchpad stays paused, a raise's close moves with the clock, up to MAX_PAUSE_EXTENSION in all.
 */
export function stateAt(o: OfferingSnapshot, timestamp: bigint): number {
  if (o.state !== State.Raising || timestamp < latestClose(o)) return o.state;
  return o.raised >= o.raiseMin ? State.Succeeded : State.Failed;
}

/**
 * The latest the raise can close: while the Launchpad stays paused its close moves with the clock,
 * until the raise's paused time reaches MAX_PAUSE_EXTENSION (Launchpad._pausedInRaise).
 */
function latestClose(o: OfferingSnapshot): bigint {
  const close = BigInt(o.closesAt);
  if (!o.paused) return close;
  const room = MAX_PAUSE_EXTENSION - BigInt(o.pausedSeconds);
  return room > 0n ? close + room : close;
}

/**
 * Total fee rate (bps) a buy pays at `timestamp`, anti-snipe surcharge included. The surcharge
 * decays with the raise's own clock, which stood still for `pausedSeconds`; while paused no buy
 * can be made at any rate (EnforcedPause).
 */
export function feeBpsOf(o: OfferingSnapshot, timestamp: bigint): number {
  if (o.paused) throw new FomoRejection("EnforcedPause", [], "the Launchpad is paused: buys wait until it resumes", "Launchpad");
  const elapsed = timestamp - BigInt(o.opensAt) - BigInt(o.pausedSeconds);
  if (elapsed < 0n) throw new RangeError(`timestamp ${timestamp} is before the offering opened (${o.opensAt}) plus its paused time`);
  return feeBpsAt(o.feeBps, o.snipeFeeBps, o.snipeDecayBpsPerMinute, elapsed);
}

/**
 * The chain time from which a buy pays at most `feeBps` (the base fee or more): the anti-snipe
 * surcharge falls by whole minutes of the raise's own clock, which stands still while paused (a
 * pause not yet over moves this later). The offering's opening when its fee never exceeded `feeBps`.
 */
export function feeFallsAt(o: Pick<OfferingSnapshot, "opensAt" | "pausedSeconds" | "feeBps" | "snipeFeeBps" | "snipeDecayBpsPerMinute">, feeBps: number): bigint {
  const start = BigInt(o.opensAt) + BigInt(o.pausedSeconds);
  const target = Math.max(feeBps, o.feeBps);
  if (o.snipeFeeBps <= target) return start;
  // The registry requires a positive decay with a surcharge (TemplateRegistry's terms check).
  const minutes = (BigInt(o.snipeFeeBps - target) + BigInt(o.snipeDecayBpsPerMinute) - 1n) / BigInt(o.snipeDecayBpsPerMinute);
  return start + minutes * 60n;
}

/**
 * $MT a position may claim at `timestamp` and the part of the issuer's first buy still vesting
 * (Launchpad.claimableOf): nothing is claimable before graduation (`graduatedAt` 0).
 */
export function claimableAt(
  position: { mt: bigint; firstBuyMt: bigint },
  graduatedAt: number,
  timestamp: bigint,
): { claimable: bigint; locked: bigint } {
  const locked = lockedFirstBuy(position.firstBuyMt, graduatedAt, timestamp);
  return { claimable: graduatedAt === 0 ? 0n : position.mt - locked, locked };
}

/**
 * `Launchpad.quoteBuy` without a call: what buying with `flockIn` FLOCK does in a block at
 * `timestamp`, given the offering as it is before the buy. Equal to the contract to the wei;
 * refuses (FomoRejection, with the contract's error name) where the contract reverts.
 */
export function quoteBuyLocal(o: OfferingSnapshot, flockIn: bigint, timestamp: bigint): BuyQuote {
  const state = stateAt(o, timestamp);
  if (state === State.None) throw new FomoRejection("LaunchpadUnknownOffering", [o.mt], "no such offering");
  if (state !== State.Raising) {
    throw new FomoRejection("LaunchpadWrongState", [o.mt, state], `the offering is ${stateName(state)}, not Raising`);
  }
  if (flockIn === 0n) throw new FomoRejection("LaunchpadZeroAmount", [], "flockIn must be positive");
  return curveQuote(o, flockIn, feeBpsOf(o, timestamp));
}

/**
 * Most $MT a launch's bundled first buy may get on these sale terms (Launchpad.launch: a first buy
 * whose `mtOut` is above it reverts with LaunchpadFirstBuyTooLarge): ⌊TOTAL_SUPPLY·firstBuyCapBps/10^4⌋.
 */
export function firstBuyCap(sale: Pick<SaleTerms, "firstBuyCapBps">): bigint {
  return (TOTAL_SUPPLY * BigInt(sale.firstBuyCapBps)) / BPS;
}

/** A first buy's quote: its $MT (`mtOut`) vest linearly over `vestingSeconds` from graduation. */
export interface FirstBuyQuote extends BuyQuote {
  vestingSeconds: bigint;
}

/**
 * The bundled first buy of a launch on `terms`: start of the curve, base fee only (no anti-snipe),
 * its $MT locked at graduation and vesting linearly over FIRST_BUY_VESTING.
 */
export function quoteFirstBuy(terms: Terms, flockIn: bigint): FirstBuyQuote {
  if (flockIn === 0n) throw new FomoRejection("LaunchpadZeroAmount", [], "flockIn must be positive");
  const state: CurveState = { ...terms.curve, ...terms.sale, raised: 0n };
  return { ...curveQuote(state, flockIn, terms.sale.feeBps), vestingSeconds: FIRST_BUY_VESTING };
}

// ------------------------------------------------------------------ reads

/** An offering with its readable state and the fee terms a local quote needs. */
export interface Offering extends OfferingView, OfferingSnapshot {
  mt: Address;
  stateName: StateName | `Unknown(${number})`;
  templateId: number;
}

/** Parameters of {@link getOffering}. */
export type GetOfferingParameters = { mt: Address } & BlockOptions;
/** What {@link getOffering} returns. */
export type GetOfferingReturnType = Offering;

/**
 * The offering behind `mt` (reverts with LaunchpadUnknownOffering if there is none).
 *
 * @example
 * const offering = await getOffering(publicClient, deployments, { mt });
 * const quote = quoteBuyLocal(offering, 1_000n * FLOCK, await chainTime(publicClient));
 */
export async function getOffering(
  client: PublicClient,
  ref: LaunchpadRef,
  { mt, ...block }: GetOfferingParameters,
): Promise<GetOfferingReturnType> {
  const [view, registry] = await Promise.all([
    client.readContract({ address: launchpadAddress(ref), abi: launchpadAbi, functionName: "offering", args: [mt], ...block }),
    registryOf(client, ref),
  ]);
  // Terms are immutable per id: the offering's copy of the fee terms equals the registry's.
  const { templateId, sale } = await getTerms(client, registry, { termsId: view.termsId });
  return {
    ...view,
    mt,
    stateName: stateName(view.state),
    templateId,
    feeBps: sale.feeBps,
    snipeFeeBps: sale.snipeFeeBps,
    snipeDecayBpsPerMinute: sale.snipeDecayBpsPerMinute,
  };
}

/** Parameters of {@link getState}. */
export type GetStateParameters = { mt: Address } & BlockOptions;
/** What {@link getState} returns. */
export type GetStateReturnType = { state: number; name: StateName | `Unknown(${number})` };

/**
 * Lifecycle state of `mt`, as a number and a name (None when there is no such offering).
 *
 * @example
 * const { name } = await getState(publicClient, deployments, { mt }); // "Raising"
 */
export async function getState(
  client: PublicClient,
  ref: LaunchpadRef,
  { mt, ...block }: GetStateParameters,
): Promise<GetStateReturnType> {
  const state = await client.readContract({
    address: launchpadAddress(ref),
    abi: launchpadAbi,
    functionName: "stateOf",
    args: [mt],
    ...block,
  });
  return { state, name: stateName(state) };
}

/** Parameters of {@link getClaimableMt}. */
export type GetClaimableMtParameters = { mt: Address; account: Address } & BlockOptions;
/** What {@link getClaimableMt} returns. */
export type GetClaimableMtReturnType = { claimable: bigint; locked: bigint };

/**
 * What `claim` pays `account` now, and the part of the issuer's first buy still vesting.
 *
 * @example
 * const { claimable, locked } = await getClaimableMt(publicClient, deployments, { mt, account });
 */
export async function getClaimableMt(
  client: PublicClient,
  ref: LaunchpadRef,
  { mt, account, ...block }: GetClaimableMtParameters,
): Promise<GetClaimableMtReturnType> {
  const [claimable, locked] = await client.readContract({
    address: launchpadAddress(ref),
    abi: launchpadAbi,
    functionName: "claimableOf",
    args: [mt, account],
    ...block,
  });
  return { claimable, locked };
}

/** Parameters of {@link getPosition}. */
export type GetPositionParameters = { mt: Address; account: Address } & BlockOptions;
/** What {@link getPosition} returns. */
export type GetPositionReturnType = Position;

/**
 * A supporter's claim: $MT bought and not yet claimed, the FLOCK that entered the curve for it, and
 * the issuer's first-buy $MT (vesting from graduation).
 *
 * @example
 * const { mt: mtBought, flock } = await getPosition(publicClient, deployments, { mt, account });
 */
export function getPosition(
  client: PublicClient,
  ref: LaunchpadRef,
  { mt, account, ...block }: GetPositionParameters,
): Promise<GetPositionReturnType> {
  return client.readContract({
    address: launchpadAddress(ref),
    abi: launchpadAbi,
    functionName: "positionOf",
    args: [mt, account],
    ...block,
  });
}

/** Parameters of {@link quoteBuyOnChain}. */
export type QuoteBuyOnChainParameters = { mt: Address; flockIn: bigint } & BlockOptions;
/** What {@link quoteBuyOnChain} returns. */
export type QuoteBuyOnChainReturnType = BuyQuote;

/**
 * `Launchpad.quoteBuy`: what a buy does in the block read (default latest; "pending" for the next
 * one). Not named `quoteBuy`: that is curve.ts's pure quote, which the SDK already exports.
 *
 * @example
 * const { mtOut, fee } = await quoteBuyOnChain(publicClient, deployments, { mt, flockIn: 1_000n * FLOCK, blockTag: "pending" });
 */
export function quoteBuyOnChain(
  client: PublicClient,
  ref: LaunchpadRef,
  { mt, flockIn, ...block }: QuoteBuyOnChainParameters,
): Promise<QuoteBuyOnChainReturnType> {
  return client.readContract({
    address: launchpadAddress(ref),
    abi: launchpadAbi,
    functionName: "quoteBuy",
    args: [mt, flockIn],
    ...block,
  });
}

/** Parameters of {@link getFlockAllowance}. */
export type GetFlockAllowanceParameters = { owner: Address } & BlockOptions;
/** What {@link getFlockAllowance} returns. */
export type GetFlockAllowanceReturnType = bigint;

/**
 * FLOCK the Launchpad may pull from `owner` (launch fee, buys).
 *
 * @example
 * const allowance = await getFlockAllowance(publicClient, deployments, { owner: walletClient.account.address });
 */
export async function getFlockAllowance(
  client: PublicClient,
  ref: LaunchpadRef,
  { owner, ...block }: GetFlockAllowanceParameters,
): Promise<GetFlockAllowanceReturnType> {
  const flock = await flockOf(client, ref);
  return client.readContract({
    address: flock,
    abi: erc20Abi,
    functionName: "allowance",
    args: [owner, launchpadAddress(ref)],
    ...block,
  });
}

/** An offering as announced by its Launched event. */
export type LaunchedOffering = EventArgs<"Launched"> & { blockNumber: bigint; transactionHash: `0x${string}` };

/** Parameters of {@link listOfferings}. */
export type ListOfferingsParameters = { fromBlock?: bigint; toBlock?: bigint; creator?: Address };
/** What {@link listOfferings} returns. */
export type ListOfferingsReturnType = LaunchedOffering[];

/**
 * Every offering launched, oldest first, from the Launched logs (from the deployments' startBlock
 * unless `fromBlock` says otherwise). One getLogs call: public RPCs that cap the block range need
 * `fromBlock`/`toBlock` windows.
 *
 * @example
 * const mine = await listOfferings(publicClient, deployments, { creator: walletClient.account.address });
 */
export async function listOfferings(
  client: PublicClient,
  ref: LaunchpadRef,
  opts: ListOfferingsParameters = {},
): Promise<ListOfferingsReturnType> {
  const start = typeof ref === "string" ? 0n : BigInt(ref.startBlock ?? "0");
  const logs = await client.getContractEvents({
    address: launchpadAddress(ref),
    abi: launchpadAbi,
    eventName: "Launched",
    args: opts.creator ? { creator: opts.creator } : {},
    fromBlock: opts.fromBlock ?? start,
    toBlock: opts.toBlock ?? "latest",
    strict: true,
  });
  return logs.map((l) => ({ ...l.args, blockNumber: l.blockNumber, transactionHash: l.transactionHash }));
}

// ------------------------------------------------------------------ writes

/** The Launchpad's events of one name in a receipt (other contracts' logs ignored). */
export function launchpadEvents<N extends LaunchpadEvent>(
  ref: LaunchpadRef,
  logs: Log[],
  eventName: N,
): EventArgs<N>[] {
  return eventsOf(launchpadAbi, launchpadAddress(ref), logs, eventName);
}

/** The single event a successful call must emit. */
function theEvent<N extends LaunchpadEvent>(ref: LaunchpadRef, sent: Sent, eventName: N): EventArgs<N> {
  return theEventOf(launchpadAbi, launchpadAddress(ref), sent, eventName);
}

/** Simulates `functionName` on the Launchpad as the signer, sends it and waits for success. */
function send<const F extends ContractFunctionName<typeof launchpadAbi, "nonpayable">>(
  clients: Clients,
  ref: LaunchpadRef,
  functionName: F,
  args: ContractFunctionArgs<typeof launchpadAbi, "nonpayable", F>,
  opts: WriteOptions,
): Promise<Sent> {
  return write(clients, launchpadAddress(ref), launchpadAbi, functionName, args, opts);
}

/** Parameters of {@link approveFlock}. */
export type ApproveFlockParameters = { amount: bigint };
/** What {@link approveFlock} returns. */
export type ApproveFlockReturnType = Sent;

/**
 * Approves the Launchpad to pull `amount` FLOCK (launch fee plus first buy, or buys).
 *
 * @example
 * await approveFlock(clients, deployments, { amount: LAUNCH_FEE + 10_000n * FLOCK });
 */
export async function approveFlock(
  clients: Clients,
  ref: LaunchpadRef,
  { amount }: ApproveFlockParameters,
  opts: WriteOptions = {},
): Promise<ApproveFlockReturnType> {
  const flock = await flockOf(clients.public, ref);
  return approveToken(clients, { token: flock, spender: launchpadAddress(ref), amount }, opts);
}

/** What {@link getLaunchFee} returns. */
export type GetLaunchFeeReturnType = bigint;

/**
 * FLOCK a launch pays the Launchpad (the admin may change it; read it rather than assume LAUNCH_FEE).
 *
 * @example
 * const fee = await getLaunchFee(publicClient, deployments); // 32,768 FLOCK on a default deployment
 */
export function getLaunchFee(client: PublicClient, ref: LaunchpadRef): Promise<GetLaunchFeeReturnType> {
  return client.readContract({ address: launchpadAddress(ref), abi: launchpadAbi, functionName: "launchFee" });
}

/** Parameters of {@link approveLaunch}. */
export type ApproveLaunchParameters = { firstBuy?: bigint };
/** What {@link approveLaunch} returns: the approval sent (none when the allowance already covered it) and its parts. */
export type ApproveLaunchReturnType = { sent: Sent | undefined; launchFee: bigint; amount: bigint };

/**
 * Lets the Launchpad pull what a launch takes in one approval: the launch fee (read from the chain)
 * plus the first buy. Sends nothing when the allowance already covers it.
 *
 * @example
 * await approveLaunch(clients, deployments, { firstBuy: 10_000n * FLOCK });
 * const { mt } = await launch(clients, deployments, { templateId: 0, name: "Good Model", ticker: "GOOD", firstBuy: 10_000n * FLOCK });
 */
export async function approveLaunch(
  clients: Clients,
  ref: LaunchpadRef,
  { firstBuy = 0n }: ApproveLaunchParameters = {},
  opts: WriteOptions = {},
): Promise<ApproveLaunchReturnType> {
  const [launchFee, flock] = await Promise.all([getLaunchFee(clients.public, ref), flockOf(clients.public, ref)]);
  const amount = launchFee + firstBuy;
  const sent = await ensureAllowance(clients, { token: flock, spender: launchpadAddress(ref), amount }, opts);
  return { sent, launchFee, amount };
}

/** Parameters of {@link launch}. */
export interface LaunchParameters {
  templateId: number;
  name: string;
  ticker: string;
  metadataURI?: string;
  /** FLOCK for the bundled first buy (base fee, capped); 0 or absent for none. */
  firstBuy?: bigint;
  /** Least $MT the first buy accepts; by default the local quote less `slippageBps`. */
  minMtOut?: bigint;
  slippageBps?: number;
  /** Unix time (chain time) after which the launch reverts; by default 20 minutes from now. */
  deadline?: bigint;
}

/** What {@link launch} returns: the new $MT, its events and the bounds the launch was sent with. */
export interface LaunchReturnType extends Sent {
  /** The new $MT, which is also the offering's id. */
  mt: Address;
  launched: EventArgs<"Launched">;
  /** The first buy, when there was one. */
  firstBuy: EventArgs<"Bought"> | undefined;
  minMtOut: bigint;
  deadline: bigint;
}

/**
 * Launches an offering (needs FLOCK allowance for the launch fee plus the first buy: {@link approveLaunch}).
 *
 * @example
 * await approveLaunch(clients, deployments, { firstBuy: 10_000n * FLOCK });
 * const { mt } = await launch(clients, deployments, { templateId: 0, name: "Good Model", ticker: "GOOD", firstBuy: 10_000n * FLOCK });
 */
export async function launch(
  clients: Clients,
  ref: LaunchpadRef,
  p: LaunchParameters,
  opts: WriteOptions = {},
): Promise<LaunchReturnType> {
  const firstBuy = p.firstBuy ?? 0n;
  let minMtOut = p.minMtOut;
  if (minMtOut === undefined) {
    minMtOut = 0n;
    if (firstBuy > 0n) {
      const registry = await registryOf(clients.public, ref);
      const { terms } = await getTemplate(clients.public, registry, { templateId: p.templateId });
      minMtOut = withSlippage(quoteFirstBuy(terms, firstBuy).mtOut, p.slippageBps ?? DEFAULT_SLIPPAGE_BPS);
    }
  }
  const deadline = p.deadline ?? (await chainTime(clients.public)) + DEFAULT_DEADLINE_SECONDS;
  const { templateId, name, ticker, metadataURI = "" } = p;
  const sent = await send(clients, ref, "launch", [{ templateId, name, ticker, metadataURI, firstBuy, minMtOut, deadline }], opts);
  const launched = theEvent(ref, sent, "Launched");
  const [bought] = launchpadEvents(ref, sent.receipt.logs, "Bought");
  return { ...sent, mt: launched.mt, launched, firstBuy: bought, minMtOut, deadline };
}

/** Parameters of {@link buy}. */
export interface BuyParameters {
  mt: Address;
  /** FLOCK offered, fees included; only what fills the raise is taken. */
  flockIn: bigint;
  /** Least $MT accepted; by default the on-chain quote less `slippageBps`. */
  minMtOut?: bigint;
  slippageBps?: number;
  /**
   * Highest total fee rate (base fee plus anti-snipe surcharge, bps) the buy accepts; by default the
   * offering's base fee plus DEFAULT_FEE_MARGIN_BPS. A buy whose fee is higher in the block it is
   * simulated in is refused before sending (BuyFeeTooHigh, saying when the fee falls).
   */
  maxFeeBps?: number;
  /** Unix time (chain time) after which the buy reverts; by default 20 minutes from now. */
  deadline?: bigint;
}

/** What {@link buy} returns: its events and the bounds it was sent with. */
export interface BuyReturnType extends Sent {
  bought: EventArgs<"Bought">;
  /** Present when this buy reached raiseMax and graduated the offering. */
  graduated: EventArgs<"Graduated"> | undefined;
  minMtOut: bigint;
  /** The highest fee rate the buy accepted, bps. */
  maxFeeBps: number;
  deadline: bigint;
}

/**
 * Buys $MT on the curve (needs FLOCK allowance). Refuses, before sending, a buy whose fee is above
 * `maxFeeBps` (by default one point over the base fee): in the anti-snipe window pass the fee you
 * accept, e.g. the quote's `feeBps` after showing it.
 *
 * @example
 * await approveFlock(clients, deployments, { amount: 1_000n * FLOCK });
 * const { bought, graduated } = await buy(clients, deployments, { mt, flockIn: 1_000n * FLOCK, slippageBps: 100 });
 */
export async function buy(clients: Clients, ref: LaunchpadRef, p: BuyParameters, opts: WriteOptions = {}): Promise<BuyReturnType> {
  if (p.maxFeeBps !== undefined && (!Number.isInteger(p.maxFeeBps) || p.maxFeeBps < 0 || p.maxFeeBps > Number(BPS))) {
    throw new RangeError(`maxFeeBps must be an integer number of bps in [0, 10000], got ${p.maxFeeBps}`);
  }
  const blockTag = opts.blockTag ?? "pending";
  // The quote is for the block the buy is simulated in; later blocks only lower the anti-snipe
  // fee, so both bounds are conservative unless other buys move the price first.
  const quote = await quoteBuyOnChain(clients.public, ref, { mt: p.mt, flockIn: p.flockIn, blockTag });
  const maxFeeBps = await checkBuyFee(clients.public, ref, p.mt, Number(quote.feeBps), p.maxFeeBps, blockTag);
  const minMtOut = p.minMtOut ?? withSlippage(quote.mtOut, p.slippageBps ?? DEFAULT_SLIPPAGE_BPS);
  const deadline = p.deadline ?? (await chainTime(clients.public)) + DEFAULT_DEADLINE_SECONDS;
  const sent = await send(clients, ref, "buy", [p.mt, p.flockIn, minMtOut, deadline], { blockTag });
  const [graduated] = launchpadEvents(ref, sent.receipt.logs, "Graduated");
  return { ...sent, bought: theEvent(ref, sent, "Bought"), graduated, minMtOut, maxFeeBps, deadline };
}

/**
 * The fee bound a buy paying `feeBps` is held to (`maxFeeBps`, else the base fee plus the margin);
 * throws BuyFeeTooHigh when the fee is above it. The offering (its base fee and anti-snipe terms) is
 * read only when the bound or the refusal needs it.
 */
async function checkBuyFee(
  client: PublicClient,
  ref: LaunchpadRef,
  mt: Address,
  feeBps: number,
  maxFeeBps: number | undefined,
  blockTag: BlockTag,
): Promise<number> {
  if (maxFeeBps !== undefined && feeBps <= maxFeeBps) return maxFeeBps;
  const o = await getOffering(client, ref, { mt, blockTag });
  const max = maxFeeBps ?? Math.min(o.feeBps + DEFAULT_FEE_MARGIN_BPS, Number(BPS));
  if (feeBps > max) {
    throw new BuyFeeTooHigh({ feeBps, maxFeeBps: max, baseFeeBps: o.feeBps, acceptableAt: feeFallsAt(o, max), baseFeeAt: feeFallsAt(o, o.feeBps) });
  }
  return max;
}

/** Parameters of {@link graduate}. */
export type GraduateParameters = { mt: Address };
/** What {@link graduate} returns. */
export type GraduateReturnType = Sent & { graduated: EventArgs<"Graduated"> };

/**
 * Graduates an offering whose window closed with at least raiseMin raised (anyone may).
 *
 * @example
 * const { graduated } = await graduate(clients, deployments, { mt }); // graduated.pair: the $MT/FLOCK pool
 */
export async function graduate(
  clients: Clients,
  ref: LaunchpadRef,
  { mt }: GraduateParameters,
  opts: WriteOptions = {},
): Promise<GraduateReturnType> {
  const sent = await send(clients, ref, "graduate", [mt], opts);
  return { ...sent, graduated: theEvent(ref, sent, "Graduated") };
}

/** Parameters of {@link refund}. */
export type RefundParameters = { mt: Address; account?: Address };
/** What {@link refund} returns. */
export type RefundReturnType = Sent & { amount: bigint };

/**
 * Refunds `account` (default: the signer) from a failed offering; anyone may trigger it.
 *
 * @example
 * const { amount } = await refund(clients, deployments, { mt }); // FLOCK back to the signer
 */
export async function refund(
  clients: Clients,
  ref: LaunchpadRef,
  { mt, account = clients.wallet.account.address }: RefundParameters,
  opts: WriteOptions = {},
): Promise<RefundReturnType> {
  const sent = await send(clients, ref, "refund", [mt, account], opts);
  return { ...sent, amount: theEvent(ref, sent, "Refunded").flockAmount };
}

/** Parameters of {@link claim}. */
export type ClaimParameters = { mt: Address; account?: Address };
/** What {@link claim} returns. */
export type ClaimReturnType = Sent & { amount: bigint };

/**
 * Sends `account` (default: the signer) its claimable $MT from a graduated offering (the issuer's
 * first buy as it vests); anyone may trigger it.
 *
 * @example
 * const { amount } = await claim(clients, deployments, { mt }); // $MT to the signer
 */
export async function claim(
  clients: Clients,
  ref: LaunchpadRef,
  { mt, account = clients.wallet.account.address }: ClaimParameters,
  opts: WriteOptions = {},
): Promise<ClaimReturnType> {
  const sent = await send(clients, ref, "claim", [mt, account], opts);
  return { ...sent, amount: theEvent(ref, sent, "Claimed").mtAmount };
}

/** Parameters of {@link settleFees}. */
export type SettleFeesParameters = { mt: Address };
/** What {@link settleFees} returns. */
export type SettleFeesReturnType = Sent & { creator: Address; creatorAmount: bigint; protocolAmount: bigint; surcharge: bigint };

/**
 * Pays out the fees due: the creator's share to the creator, the rest (and a failed raise's surcharge) to the treasury; anyone may.
 *
 * @example
 * const { creatorAmount, protocolAmount } = await settleFees(clients, deployments, { mt });
 */
export async function settleFees(
  clients: Clients,
  ref: LaunchpadRef,
  { mt }: SettleFeesParameters,
  opts: WriteOptions = {},
): Promise<SettleFeesReturnType> {
  const sent = await send(clients, ref, "settleFees", [mt], opts);
  const ev = theEvent(ref, sent, "FeesSettled");
  return { ...sent, creator: ev.creator, creatorAmount: ev.creatorAmount, protocolAmount: ev.protocolAmount, surcharge: ev.surcharge };
}
