// Typed actions on RewardsDistributor and reads of EmissionSchedule (product.md §5.2): the keeper posts
// each epoch's Merkle root (built with merkle.ts) with the epoch's content hash, the cumulative FLOCK
// emission and each token's cumulative allotment; the root is pending for the challenge delay, during
// which the guardian may veto it; then anyone claims for an account with its proof.
// A root's epoch is an epoch of the schedule's clock (getEpochClock, epochs.ts epochOf); emission.ts
// computes the schedule without calls.
import type { Address, Hex, PublicClient } from "viem";
import {
  addressOf,
  eventsOf,
  theEventOf,
  write,
  type BlockOptions,
  type Clients,
  type ContractRef,
  type EventArgsOf,
  type Sent,
  type WriteOptions,
} from "./client.ts";
import { emissionScheduleAbi, rewardsDistributorAbi } from "./generated/abis.ts";
import type { EpochClock } from "./epochs.ts";
import type { RewardClaim, RewardsTree } from "./merkle.ts";

export type DistributorRef = ContractRef<"rewardsDistributor">;
export type EmissionScheduleRef = ContractRef<"emissionSchedule">;
const distributorAddress = (ref: DistributorRef) => addressOf(ref, "rewardsDistributor");
const scheduleAddress = (ref: EmissionScheduleRef) => addressOf(ref, "emissionSchedule");

type DistributorEvent<N extends "RootPosted" | "RootSuperseded" | "RootVetoed" | "RootActivated" | "Allotted" | "Claimed"> =
  EventArgsOf<typeof rewardsDistributorAbi, N>;

/** A root that went live in a transaction (lazily: the first post, claim or activate after its liveAt). */
export interface Activation {
  activated: DistributorEvent<"RootActivated">;
  allotted: DistributorEvent<"Allotted">[];
}

/** The RootActivated and Allotted events of a transaction, if it wrote a matured root to the live slots. */
function activationOf(address: Address, sent: Sent): Activation | undefined {
  const [activated] = eventsOf(rewardsDistributorAbi, address, sent.receipt.logs, "RootActivated");
  return activated && { activated, allotted: eventsOf(rewardsDistributorAbi, address, sent.receipt.logs, "Allotted") };
}

// ------------------------------------------------------------------ writes

/** What postRoot takes: a RewardsTree (epoch, root, contentHash, totals) plus the cumulative emission. */
export type PostRootParameters = Pick<RewardsTree, "epoch" | "root" | "contentHash" | "totals"> & {
  /** Cumulative FLOCK emitted up to this epoch, at most the schedule's cumulative(epoch). */
  emissionTotal: bigint;
};

/** What {@link postRoot} returns. */
export type PostRootReturnType =
  Sent & { posted: DistributorEvent<"RootPosted">; superseded?: DistributorEvent<"RootSuperseded">; previous?: Activation };

/**
 * Posts an epoch's root (keeper role): `postRoot(clients, d, { ...tree, emissionTotal })`. The
 * distributor moves the reserve's FLOCK so it holds `emissionTotal` of emissions and keeps the root
 * pending until `posted.liveAt`; its allotments apply then. A pending root still in its delay is
 * replaced (`superseded`), and its clock restarts: post no earlier than the pending root's liveAt
 * (getPendingRoot) unless replacing it is the point. A pending root past its delay goes live first
 * (`previous`).
 *
 * @example
 * const tree = buildRewardsTree({ epoch: epochOf(clock, now) - 1n, entries });
 * const { posted } = await postRoot(keeperClients, deployments, { ...tree, emissionTotal: cumulativeEmission(tree.epoch) });
 */
export async function postRoot(
  clients: Clients,
  ref: DistributorRef,
  { epoch, root, contentHash, totals, emissionTotal }: PostRootParameters,
  opts: WriteOptions = {},
): Promise<PostRootReturnType> {
  const address = distributorAddress(ref);
  const tokens = totals.map((t) => t.token);
  const amounts = totals.map((t) => t.total);
  const sent = await write(clients, address, rewardsDistributorAbi, "postRoot", [epoch, root, contentHash, emissionTotal, tokens, amounts], opts);
  const [superseded] = eventsOf(rewardsDistributorAbi, address, sent.receipt.logs, "RootSuperseded");
  const previous = activationOf(address, sent);
  return {
    ...sent,
    posted: theEventOf(rewardsDistributorAbi, address, sent, "RootPosted"),
    ...(superseded ? { superseded } : {}),
    ...(previous ? { previous } : {}),
  };
}

/** Parameters of {@link vetoRoot}. */
export type VetoRootParameters = { root: Hex };
/** What {@link vetoRoot} returns. */
export type VetoRootReturnType = Sent & { vetoed: DistributorEvent<"RootVetoed"> };

/**
 * Vetoes the pending root `root` before its liveAt (guardian role): its emission goes back to the
 * reserve, its allotments never apply, the live root stays. Naming the root keeps a veto sent late
 * (or through a timelock) from hitting a newer root.
 *
 * @example
 * const pending = await getPendingRoot(publicClient, deployments);
 * if (pending) await vetoRoot(guardianClients, deployments, { root: pending.root });
 */
export async function vetoRoot(
  clients: Clients,
  ref: DistributorRef,
  { root }: VetoRootParameters,
  opts: WriteOptions = {},
): Promise<VetoRootReturnType> {
  const address = distributorAddress(ref);
  const sent = await write(clients, address, rewardsDistributorAbi, "veto", [root], opts);
  return { ...sent, vetoed: theEventOf(rewardsDistributorAbi, address, sent, "RootVetoed") };
}

/** Parameters of {@link activateRoot}: its write options only (it activates whatever root is due). */
export type ActivateRootParameters = WriteOptions;
/** What {@link activateRoot} returns. */
export type ActivateRootReturnType = Sent & { activation?: Activation };

/**
 * Writes a pending root past its delay to the live slots (anyone), so the next claimer does not pay
 * for it. Returns no `activation` when nothing was due (the transaction then changes nothing).
 *
 * @example
 * const { activation } = await activateRoot(clients, deployments);
 */
export async function activateRoot(
  clients: Clients,
  ref: DistributorRef,
  opts: ActivateRootParameters = {},
): Promise<ActivateRootReturnType> {
  const address = distributorAddress(ref);
  const sent = await write(clients, address, rewardsDistributorAbi, "activate", [], opts);
  const activation = activationOf(address, sent);
  return { ...sent, ...(activation ? { activation } : {}) };
}

/** Parameters of {@link claimReward}. */
export type ClaimRewardParameters = RewardClaim;
/** What {@link claimReward} returns. */
export type ClaimRewardReturnType = Sent & { amount: bigint; cumulative: bigint; activation?: Activation };

/**
 * Claims `claim.account`'s rewards in `claim.token` up to its cumulative amount (from
 * `tree.claimOf(account, token)`), proven against the live root. Anyone may send it: the tokens go
 * to the account. If a matured root was not yet written live, this claim writes it (`activation`).
 *
 * @example
 * const { amount } = await claimReward(clients, deployments, tree.claimOf(account, flock)!);
 */
export async function claimReward(
  clients: Clients,
  ref: DistributorRef,
  { account, token, cumulativeAmount, proof }: ClaimRewardParameters,
  opts: WriteOptions = {},
): Promise<ClaimRewardReturnType> {
  const address = distributorAddress(ref);
  const sent = await write(clients, address, rewardsDistributorAbi, "claim", [account, token, cumulativeAmount, proof], opts);
  const ev = theEventOf(rewardsDistributorAbi, address, sent, "Claimed");
  const activation = activationOf(address, sent);
  return { ...sent, amount: ev.amount, cumulative: ev.cumulative, ...(activation ? { activation } : {}) };
}

// ------------------------------------------------------------------ reads

/** The live root (the newest one past its challenge delay) and what it committed to. */
export interface DistributorState {
  started: boolean;
  epoch: bigint;
  root: Hex;
  contentHash: Hex;
  /** Cumulative FLOCK emission of the live root. */
  emitted: bigint;
  /** When it went live (0 before any root did). */
  liveAt: bigint;
}

/** Parameters of {@link getDistributorState}. */
export type GetDistributorStateParameters = BlockOptions;
/** What {@link getDistributorState} returns. */
export type GetDistributorStateReturnType = DistributorState;

/**
 * The live root: its epoch (an emission day), root, content hash, cumulative emission and when it went live.
 *
 * @example
 * const { started, epoch } = await getDistributorState(publicClient, deployments);
 */
export async function getDistributorState(
  client: PublicClient,
  ref: DistributorRef,
  block: GetDistributorStateParameters = {},
): Promise<GetDistributorStateReturnType> {
  const live = await client.readContract({ address: distributorAddress(ref), abi: rewardsDistributorAbi, functionName: "liveRoot", ...block });
  return { started: live.liveAt !== 0n, epoch: live.epoch, root: live.root, contentHash: live.contentHash, emitted: live.emissionTotal, liveAt: live.liveAt };
}

/** A posted root waiting out its challenge delay, and what it will allot when it goes live. */
export interface PendingRoot {
  epoch: bigint;
  root: Hex;
  contentHash: Hex;
  /** Cumulative FLOCK emission it commits to (already pulled from the reserve; returned on veto). */
  emissionTotal: bigint;
  /** Unix time from which claims use it, unless the guardian vetoes it or the keeper replaces it first. */
  liveAt: bigint;
  /** Cumulative allotments it sets when it goes live. */
  totals: { token: Address; total: bigint }[];
}

/** Parameters of {@link getPendingRoot}. */
export type GetPendingRootParameters = BlockOptions;
/** What {@link getPendingRoot} returns. */
export type GetPendingRootReturnType = PendingRoot | null;

/**
 * The pending root, or null when none waits (none posted, or it is live already).
 *
 * @example
 * const pending = await getPendingRoot(publicClient, deployments); // post no earlier than pending.liveAt
 */
export async function getPendingRoot(
  client: PublicClient,
  ref: DistributorRef,
  block: GetPendingRootParameters = {},
): Promise<GetPendingRootReturnType> {
  const address = distributorAddress(ref);
  const [p, [tokens, totals]] = await Promise.all([
    client.readContract({ address, abi: rewardsDistributorAbi, functionName: "pendingRoot", ...block }),
    client.readContract({ address, abi: rewardsDistributorAbi, functionName: "pendingAllotments", ...block }),
  ]);
  if (p.liveAt === 0n) return null;
  return {
    epoch: p.epoch,
    root: p.root,
    contentHash: p.contentHash,
    emissionTotal: p.emissionTotal,
    liveAt: p.liveAt,
    totals: tokens.map((token, i) => ({ token, total: totals[i]! })),
  };
}

/** Parameters of {@link getChallengeDelay}. */
export type GetChallengeDelayParameters = BlockOptions;
/** What {@link getChallengeDelay} returns. */
export type GetChallengeDelayReturnType = bigint;

/**
 * Seconds between a root's posting and its going live (the guardian's window to veto).
 *
 * @example
 * const delay = await getChallengeDelay(publicClient, deployments); // 86_400n in production
 */
export function getChallengeDelay(
  client: PublicClient,
  ref: DistributorRef,
  block: GetChallengeDelayParameters = {},
): Promise<GetChallengeDelayReturnType> {
  return client.readContract({ address: distributorAddress(ref), abi: rewardsDistributorAbi, functionName: "challengeDelay", ...block });
}

/** Parameters of {@link getClaimed}. */
export type GetClaimedParameters = { account: Address; token: Address } & BlockOptions;
/** What {@link getClaimed} returns. */
export type GetClaimedReturnType = bigint;

/**
 * Cumulative amount of `token` paid to `account` by claims.
 *
 * @example
 * const paid = await getClaimed(publicClient, deployments, { account, token: flock });
 */
export function getClaimed(
  client: PublicClient,
  ref: DistributorRef,
  { account, token, ...block }: GetClaimedParameters,
): Promise<GetClaimedReturnType> {
  return client.readContract({ address: distributorAddress(ref), abi: rewardsDistributorAbi, functionName: "claimed", args: [account, token], ...block });
}

/** Parameters of {@link getAllotment}. */
export type GetAllotmentParameters = { token: Address } & BlockOptions;
/** What {@link getAllotment} returns. */
export type GetAllotmentReturnType = { allotted: bigint; claimed: bigint };

/**
 * A token's cumulative allotment under the live root, and what claims have paid of it.
 *
 * @example
 * const { allotted, claimed } = await getAllotment(publicClient, deployments, { token: flock });
 */
export async function getAllotment(
  client: PublicClient,
  ref: DistributorRef,
  { token, ...block }: GetAllotmentParameters,
): Promise<GetAllotmentReturnType> {
  const address = distributorAddress(ref);
  const [allotted, claimed] = await Promise.all([
    client.readContract({ address, abi: rewardsDistributorAbi, functionName: "allotted", args: [token], ...block }),
    client.readContract({ address, abi: rewardsDistributorAbi, functionName: "totalClaimed", args: [token], ...block }),
  ]);
  return { allotted, claimed };
}

/** Parameters of {@link getClaimable}. */
export type GetClaimableParameters = RewardClaim;
/** What {@link getClaimable} returns. */
export type GetClaimableReturnType = bigint;

/**
 * What `claim` would pay now: its cumulative amount less what the account was already paid (never negative).
 *
 * @example
 * const due = await getClaimable(publicClient, deployments, tree.claimOf(account, flock)!);
 */
export async function getClaimable(
  client: PublicClient,
  ref: DistributorRef,
  { account, token, cumulativeAmount }: GetClaimableParameters,
  block: BlockOptions = {},
): Promise<GetClaimableReturnType> {
  const paid = await getClaimed(client, ref, { account, token, ...block });
  return cumulativeAmount > paid ? cumulativeAmount - paid : 0n;
}

// ------------------------------------------------------------------ emission schedule

/** What {@link getEmissionSchedule} returns. */
export type GetEmissionScheduleReturnType = {
  /** FLOCK (wei) emitted on day 0. */
  initialEmission: bigint;
  /** Unix seconds day 0 starts at. */
  start: bigint;
  /** Seconds per day: 86,400 in production, as short as 60 on a local stack. */
  dayLength: bigint;
};

/**
 * The schedule's day-0 emission, start time and day length (all immutable).
 *
 * @example
 * const { initialEmission, dayLength } = await getEmissionSchedule(publicClient, deployments);
 */
export async function getEmissionSchedule(
  client: PublicClient,
  ref: EmissionScheduleRef,
): Promise<GetEmissionScheduleReturnType> {
  const address = scheduleAddress(ref);
  const read = (functionName: "initialEmission" | "start" | "dayLength") =>
    client.readContract({ address, abi: emissionScheduleAbi, functionName });
  const [initialEmission, start, dayLength] = await Promise.all([read("initialEmission"), read("start"), read("dayLength")]);
  return { initialEmission, start, dayLength };
}

/** What {@link getEpochClock} returns. */
export type GetEpochClockReturnType = EpochClock;

/**
 * The protocol's epoch clock: the EmissionSchedule's start and day length. Epoch k of this clock is
 * the RevenueRouter report epoch, the RewardsDistributor root epoch and the emission day k. Both
 * values are immutable: read the clock once and keep it.
 *
 * @example
 * const clock = await getEpochClock(publicClient, deployments);
 * const today = epochOf(clock, await chainTime(publicClient));
 * const { from, to } = epochWindow(clock, today - 1n); // yesterday's usage, in unix seconds
 */
export async function getEpochClock(client: PublicClient, ref: EmissionScheduleRef): Promise<GetEpochClockReturnType> {
  const { start, dayLength } = await getEmissionSchedule(client, ref);
  return { start, length: dayLength };
}

/** Parameters of {@link getEmission}. */
export type GetEmissionParameters = { day: bigint } & BlockOptions;
/** What {@link getEmission} returns. */
export type GetEmissionReturnType = bigint;

/**
 * FLOCK emitted on `day` (EmissionSchedule.emission).
 *
 * @example
 * const e = await getEmission(publicClient, deployments, { day: 0n }); // equals dailyEmission(0n)
 */
export function getEmission(
  client: PublicClient,
  ref: EmissionScheduleRef,
  { day, ...block }: GetEmissionParameters,
): Promise<GetEmissionReturnType> {
  return client.readContract({ address: scheduleAddress(ref), abi: emissionScheduleAbi, functionName: "emission", args: [day], ...block });
}

/** Parameters of {@link getCumulativeEmission}. */
export type GetCumulativeEmissionParameters = { day: bigint } & BlockOptions;
/** What {@link getCumulativeEmission} returns. */
export type GetCumulativeEmissionReturnType = bigint;

/**
 * FLOCK emitted over days 0..day (EmissionSchedule.cumulative): the cap on a root's emissionTotal.
 *
 * @example
 * const cap = await getCumulativeEmission(publicClient, deployments, { day: tree.epoch });
 */
export function getCumulativeEmission(
  client: PublicClient,
  ref: EmissionScheduleRef,
  { day, ...block }: GetCumulativeEmissionParameters,
): Promise<GetCumulativeEmissionReturnType> {
  return client.readContract({ address: scheduleAddress(ref), abi: emissionScheduleAbi, functionName: "cumulative", args: [day], ...block });
}

/** Parameters of {@link getEmissionDay}. */
export type GetEmissionDayParameters = { timestamp?: bigint } & BlockOptions;
/** What {@link getEmissionDay} returns. */
export type GetEmissionDayReturnType = bigint;

/**
 * The emission day of `timestamp` (EmissionSchedule.dayOf), or of the block read when none is given (today()).
 *
 * @example
 * const today = await getEmissionDay(publicClient, deployments); // epochOf(clock, now), read on chain
 */
export function getEmissionDay(
  client: PublicClient,
  ref: EmissionScheduleRef,
  { timestamp, ...block }: GetEmissionDayParameters = {},
): Promise<GetEmissionDayReturnType> {
  const address = scheduleAddress(ref);
  return timestamp === undefined
    ? client.readContract({ address, abi: emissionScheduleAbi, functionName: "today", ...block })
    : client.readContract({ address, abi: emissionScheduleAbi, functionName: "dayOf", args: [timestamp], ...block });
}
