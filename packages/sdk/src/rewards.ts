// Typed actions on RewardsDistributor and reads of EmissionSchedule (product.md §5.2): the keeper posts
// each epoch's Merkle root (built with merkle.ts) with the epoch's content hash, the cumulative FLOCK
// emission and each token's cumulative allotment; the root is pending for the challenge delay, during
// which the guardian may veto it; then anyone claims for an account with its proof.
// emission.ts computes the schedule without calls.
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
export type PostRootParams = Pick<RewardsTree, "epoch" | "root" | "contentHash" | "totals"> & {
  /** Cumulative FLOCK emitted up to this epoch, at most the schedule's cumulative(epoch). */
  emissionTotal: bigint;
};

/**
 * Posts an epoch's root (keeper role): `postRoot(clients, d, { ...tree, emissionTotal })`. The
 * distributor moves the reserve's FLOCK so it holds `emissionTotal` of emissions and keeps the root
 * pending until `posted.liveAt`; its allotments apply then. A pending root still in its delay is
 * replaced (`superseded`), and its clock restarts: post no earlier than the pending root's liveAt
 * (getPendingRoot) unless replacing it is the point. A pending root past its delay goes live first
 * (`previous`).
 */
export async function postRoot(
  clients: Clients,
  ref: DistributorRef,
  { epoch, root, contentHash, totals, emissionTotal }: PostRootParams,
  opts: WriteOptions = {},
): Promise<Sent & { posted: DistributorEvent<"RootPosted">; superseded?: DistributorEvent<"RootSuperseded">; previous?: Activation }> {
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

/**
 * Vetoes the pending root `root` before its liveAt (guardian role): its emission goes back to the
 * reserve, its allotments never apply, the live root stays. Naming the root keeps a veto sent late
 * (or through a timelock) from hitting a newer root.
 */
export async function vetoRoot(
  clients: Clients,
  ref: DistributorRef,
  { root }: { root: Hex },
  opts: WriteOptions = {},
): Promise<Sent & { vetoed: DistributorEvent<"RootVetoed"> }> {
  const address = distributorAddress(ref);
  const sent = await write(clients, address, rewardsDistributorAbi, "veto", [root], opts);
  return { ...sent, vetoed: theEventOf(rewardsDistributorAbi, address, sent, "RootVetoed") };
}

/**
 * Writes a pending root past its delay to the live slots (anyone), so the next claimer does not pay
 * for it. Returns no `activation` when nothing was due (the transaction then changes nothing).
 */
export async function activateRoot(clients: Clients, ref: DistributorRef, opts: WriteOptions = {}): Promise<Sent & { activation?: Activation }> {
  const address = distributorAddress(ref);
  const sent = await write(clients, address, rewardsDistributorAbi, "activate", [], opts);
  const activation = activationOf(address, sent);
  return { ...sent, ...(activation ? { activation } : {}) };
}

/**
 * Claims `claim.account`'s rewards in `claim.token` up to its cumulative amount (from
 * `tree.claimOf(account, token)`), proven against the live root. Anyone may send it: the tokens go
 * to the account. If a matured root was not yet written live, this claim writes it (`activation`).
 */
export async function claimReward(
  clients: Clients,
  ref: DistributorRef,
  { account, token, cumulativeAmount, proof }: RewardClaim,
  opts: WriteOptions = {},
): Promise<Sent & { amount: bigint; cumulative: bigint; activation?: Activation }> {
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

export async function getDistributorState(client: PublicClient, ref: DistributorRef, block: BlockOptions = {}): Promise<DistributorState> {
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

/** The pending root, or null when none waits (none posted, or it is live already). */
export async function getPendingRoot(client: PublicClient, ref: DistributorRef, block: BlockOptions = {}): Promise<PendingRoot | null> {
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

/** Seconds between a root's posting and its going live (the guardian's window to veto). */
export function getChallengeDelay(client: PublicClient, ref: DistributorRef, block: BlockOptions = {}): Promise<bigint> {
  return client.readContract({ address: distributorAddress(ref), abi: rewardsDistributorAbi, functionName: "challengeDelay", ...block });
}

/** Cumulative amount of `token` paid to `account` by claims. */
export function getClaimed(
  client: PublicClient,
  ref: DistributorRef,
  { account, token, ...block }: { account: Address; token: Address } & BlockOptions,
): Promise<bigint> {
  return client.readContract({ address: distributorAddress(ref), abi: rewardsDistributorAbi, functionName: "claimed", args: [account, token], ...block });
}

/** A token's cumulative allotment under the live root, and what claims have paid of it. */
export async function getAllotment(
  client: PublicClient,
  ref: DistributorRef,
  { token, ...block }: { token: Address } & BlockOptions,
): Promise<{ allotted: bigint; claimed: bigint }> {
  const address = distributorAddress(ref);
  const [allotted, claimed] = await Promise.all([
    client.readContract({ address, abi: rewardsDistributorAbi, functionName: "allotted", args: [token], ...block }),
    client.readContract({ address, abi: rewardsDistributorAbi, functionName: "totalClaimed", args: [token], ...block }),
  ]);
  return { allotted, claimed };
}

/** What `claim` would pay now: its cumulative amount less what the account was already paid (never negative). */
export async function getClaimable(
  client: PublicClient,
  ref: DistributorRef,
  { account, token, cumulativeAmount }: RewardClaim,
  block: BlockOptions = {},
): Promise<bigint> {
  const paid = await getClaimed(client, ref, { account, token, ...block });
  return cumulativeAmount > paid ? cumulativeAmount - paid : 0n;
}

// ------------------------------------------------------------------ emission schedule

/** The schedule's day-0 emission and start time. */
export async function getEmissionSchedule(
  client: PublicClient,
  ref: EmissionScheduleRef,
): Promise<{ initialEmission: bigint; start: bigint }> {
  const address = scheduleAddress(ref);
  const [initialEmission, start] = await Promise.all([
    client.readContract({ address, abi: emissionScheduleAbi, functionName: "initialEmission" }),
    client.readContract({ address, abi: emissionScheduleAbi, functionName: "start" }),
  ]);
  return { initialEmission, start };
}

/** FLOCK emitted on `day` (EmissionSchedule.emission). */
export function getEmission(
  client: PublicClient,
  ref: EmissionScheduleRef,
  { day, ...block }: { day: bigint } & BlockOptions,
): Promise<bigint> {
  return client.readContract({ address: scheduleAddress(ref), abi: emissionScheduleAbi, functionName: "emission", args: [day], ...block });
}

/** FLOCK emitted over days 0..day (EmissionSchedule.cumulative): the cap on a root's emissionTotal. */
export function getCumulativeEmission(
  client: PublicClient,
  ref: EmissionScheduleRef,
  { day, ...block }: { day: bigint } & BlockOptions,
): Promise<bigint> {
  return client.readContract({ address: scheduleAddress(ref), abi: emissionScheduleAbi, functionName: "cumulative", args: [day], ...block });
}

/** The emission day of `timestamp` (EmissionSchedule.dayOf), or of the block read when none is given (today()). */
export function getEmissionDay(
  client: PublicClient,
  ref: EmissionScheduleRef,
  { timestamp, ...block }: { timestamp?: bigint } & BlockOptions = {},
): Promise<bigint> {
  const address = scheduleAddress(ref);
  return timestamp === undefined
    ? client.readContract({ address, abi: emissionScheduleAbi, functionName: "today", ...block })
    : client.readContract({ address, abi: emissionScheduleAbi, functionName: "dayOf", args: [timestamp], ...block });
}
