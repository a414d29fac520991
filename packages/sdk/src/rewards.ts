// Typed actions on RewardsDistributor and reads of EmissionSchedule (FOMO.md §5.2): the keeper posts
// each epoch's Merkle root (built with merkle.ts) with the epoch's content hash, the cumulative FLOCK
// emission and each token's cumulative allotment; anyone claims for an account with its proof.
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

type DistributorEvent<N extends "RootPosted" | "Allotted" | "Claimed"> = EventArgsOf<typeof rewardsDistributorAbi, N>;

// ------------------------------------------------------------------ writes

/** What postRoot takes: a RewardsTree (epoch, root, contentHash, totals) plus the cumulative emission. */
export type PostRootParams = Pick<RewardsTree, "epoch" | "root" | "contentHash" | "totals"> & {
  /** Cumulative FLOCK emitted up to this epoch, at most the schedule's cumulative(epoch). */
  emissionTotal: bigint;
};

/**
 * Posts an epoch's root (keeper role): `postRoot(clients, d, { ...tree, emissionTotal })`. The
 * distributor pulls the new emission from the reserve and raises each token's allotment.
 */
export async function postRoot(
  clients: Clients,
  ref: DistributorRef,
  { epoch, root, contentHash, totals, emissionTotal }: PostRootParams,
  opts: WriteOptions = {},
): Promise<Sent & { posted: DistributorEvent<"RootPosted">; allotted: DistributorEvent<"Allotted">[] }> {
  const address = distributorAddress(ref);
  const tokens = totals.map((t) => t.token);
  const amounts = totals.map((t) => t.total);
  const sent = await write(clients, address, rewardsDistributorAbi, "postRoot", [epoch, root, contentHash, emissionTotal, tokens, amounts], opts);
  return {
    ...sent,
    posted: theEventOf(rewardsDistributorAbi, address, sent, "RootPosted"),
    allotted: eventsOf(rewardsDistributorAbi, address, sent.receipt.logs, "Allotted"),
  };
}

/**
 * Claims `claim.account`'s rewards in `claim.token` up to its cumulative amount (from
 * `tree.claimOf(account, token)`). Anyone may send it: the tokens go to the account.
 */
export async function claimReward(
  clients: Clients,
  ref: DistributorRef,
  { account, token, cumulativeAmount, proof }: RewardClaim,
  opts: WriteOptions = {},
): Promise<Sent & { amount: bigint; cumulative: bigint }> {
  const address = distributorAddress(ref);
  const sent = await write(clients, address, rewardsDistributorAbi, "claim", [account, token, cumulativeAmount, proof], opts);
  const ev = theEventOf(rewardsDistributorAbi, address, sent, "Claimed");
  return { ...sent, amount: ev.amount, cumulative: ev.cumulative };
}

// ------------------------------------------------------------------ reads

/** The latest posted root and what it committed to. */
export interface DistributorState {
  started: boolean;
  epoch: bigint;
  root: Hex;
  contentHash: Hex;
  /** Cumulative FLOCK pulled from the emission reserve. */
  emitted: bigint;
}

export async function getDistributorState(client: PublicClient, ref: DistributorRef, block: BlockOptions = {}): Promise<DistributorState> {
  const address = distributorAddress(ref);
  const read = <F extends "started" | "epoch" | "root" | "contentHash" | "emitted">(functionName: F) =>
    client.readContract({ address, abi: rewardsDistributorAbi, functionName, ...block });
  const [started, epoch, root, contentHash, emitted] = await Promise.all([
    read("started"),
    read("epoch"),
    read("root"),
    read("contentHash"),
    read("emitted"),
  ]);
  return { started, epoch, root, contentHash, emitted };
}

/** Cumulative amount of `token` paid to `account` by claims. */
export function getClaimed(
  client: PublicClient,
  ref: DistributorRef,
  { account, token, ...block }: { account: Address; token: Address } & BlockOptions,
): Promise<bigint> {
  return client.readContract({ address: distributorAddress(ref), abi: rewardsDistributorAbi, functionName: "claimed", args: [account, token], ...block });
}

/** A token's cumulative allotment under the latest root, and what claims have paid of it. */
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
