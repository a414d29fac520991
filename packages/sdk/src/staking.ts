// Typed actions on MtStaking (product.md §5.3): stake a graduated $MT, unstake (the amount stops
// counting at once and cools down for 7 days), withdraw after the cooldown; reads of the stake now,
// at a past timestamp, the totals and the cooldown; and the time-weighted stake over an interval
// computed from the on-chain checkpoints, which is what the daily rewards use against flash staking.
import type { Address, PublicClient } from "viem";
import {
  addressOf,
  theEventOf,
  write,
  type BlockOptions,
  type Clients,
  type ContractRef,
  type EventArgsOf,
  type Sent,
  type WriteOptions,
} from "./client.ts";
import { mtStakingAbi } from "./generated/abis.ts";
import { ensureAllowance, type Approval } from "./tokens.ts";

export type StakingRef = ContractRef<"mtStaking">;
const stakingAddress = (ref: StakingRef) => addressOf(ref, "mtStaking");

type StakingEvent<N extends "Staked" | "Unstaked" | "Withdrawn"> = EventArgsOf<typeof mtStakingAbi, N>;

// ------------------------------------------------------------------ writes

/**
 * Stakes `amount` of `mt` from the signer. When the allowance is short it first approves exactly
 * `amount` (approval "approve", the default) or signs and submits an EIP-2612 permit ("permit").
 */
export async function stake(
  clients: Clients,
  ref: StakingRef,
  { mt, amount, approval }: { mt: Address; amount: bigint; approval?: Approval },
  opts: WriteOptions = {},
): Promise<Sent & { staked: StakingEvent<"Staked"> }> {
  const address = stakingAddress(ref);
  await ensureAllowance(clients, { token: mt, spender: address, amount, approval }, opts);
  const sent = await write(clients, address, mtStakingAbi, "stake", [mt, amount], opts);
  return { ...sent, staked: theEventOf(mtStakingAbi, address, sent, "Staked") };
}

/** Unstakes `amount`: it stops counting now and can be withdrawn after the cooldown (which a further unstake restarts). */
export async function unstake(
  clients: Clients,
  ref: StakingRef,
  { mt, amount }: { mt: Address; amount: bigint },
  opts: WriteOptions = {},
): Promise<Sent & { unstaked: StakingEvent<"Unstaked"> }> {
  const address = stakingAddress(ref);
  const sent = await write(clients, address, mtStakingAbi, "unstake", [mt, amount], opts);
  return { ...sent, unstaked: theEventOf(mtStakingAbi, address, sent, "Unstaked") };
}

/** Sends the signer what finished its cooldown. */
export async function withdrawStake(
  clients: Clients,
  ref: StakingRef,
  { mt }: { mt: Address },
  opts: WriteOptions = {},
): Promise<Sent & { amount: bigint }> {
  const address = stakingAddress(ref);
  const sent = await write(clients, address, mtStakingAbi, "withdraw", [mt], opts);
  return { ...sent, amount: theEventOf(mtStakingAbi, address, sent, "Withdrawn").amount };
}

// ------------------------------------------------------------------ reads

type MtAccount = { mt: Address; account: Address } & BlockOptions;

/** Counted stake of `account` in `mt` now (cooling-down amounts excluded). */
export function getStake(client: PublicClient, ref: StakingRef, { mt, account, ...block }: MtAccount): Promise<bigint> {
  return client.readContract({ address: stakingAddress(ref), abi: mtStakingAbi, functionName: "stakeOf", args: [mt, account], ...block });
}

/** Stake of `account` in `mt` at the end of second `timestamp`. */
export function getStakeAt(
  client: PublicClient,
  ref: StakingRef,
  { mt, account, timestamp, ...block }: MtAccount & { timestamp: bigint },
): Promise<bigint> {
  return client.readContract({
    address: stakingAddress(ref),
    abi: mtStakingAbi,
    functionName: "stakeAt",
    args: [mt, account, Number(timestamp)],
    ...block,
  });
}

/** Total counted stake in `mt`, now or (with `timestamp`) at the end of that second. */
export function getTotalStaked(
  client: PublicClient,
  ref: StakingRef,
  { mt, timestamp, ...block }: { mt: Address; timestamp?: bigint } & BlockOptions,
): Promise<bigint> {
  const address = stakingAddress(ref);
  return timestamp === undefined
    ? client.readContract({ address, abi: mtStakingAbi, functionName: "totalStaked", args: [mt], ...block })
    : client.readContract({ address, abi: mtStakingAbi, functionName: "totalStakedAt", args: [mt, Number(timestamp)], ...block });
}

/** What `account` has cooling down in `mt` and when it can be withdrawn (0 and 0 when nothing). */
export async function getCooldown(
  client: PublicClient,
  ref: StakingRef,
  { mt, account, ...block }: MtAccount,
): Promise<{ amount: bigint; releaseAt: bigint }> {
  const c = await client.readContract({
    address: stakingAddress(ref),
    abi: mtStakingAbi,
    functionName: "cooldownOf",
    args: [mt, account],
    ...block,
  });
  return { amount: c.amount, releaseAt: BigInt(c.releaseAt) };
}

/** The cooldown the contract applies to unstaked amounts, in seconds. */
export function getStakingCooldown(client: PublicClient, ref: StakingRef): Promise<bigint> {
  return client.readContract({ address: stakingAddress(ref), abi: mtStakingAbi, functionName: "cooldown" });
}

// ------------------------------------------------------------------ time-weighted stake

/** A stake checkpoint: from `timestamp` on (inclusive), the stake is `stake`. */
export interface StakeCheckpoint {
  timestamp: bigint;
  stake: bigint;
}

/** Stake integrated over an interval. */
export interface TimeWeightedStake {
  /** Σ stake × seconds over [from, to). */
  stakeSeconds: bigint;
  /** to − from. */
  seconds: bigint;
  /** stakeSeconds / seconds, rounded down: the time-weighted average stake. */
  average: bigint;
}

/**
 * The time-weighted stake over [from, to) from checkpoints sorted by timestamp: during second t
 * the stake is the one of the last checkpoint at or before t (0 before the first), which is what
 * `stakeAt(t)` returns. Any superset of the checkpoints that matter gives the same result.
 */
export function timeWeighted(checkpoints: readonly StakeCheckpoint[], from: bigint, to: bigint): TimeWeightedStake {
  if (to <= from) throw new RangeError(`the interval [${from}, ${to}) is empty`);
  let stakeSeconds = 0n;
  let current = 0n; // stake in force at `cursor`
  let cursor = from;
  for (const c of checkpoints) {
    if (c.timestamp <= from) {
      current = c.stake;
      continue;
    }
    if (c.timestamp >= to) break;
    stakeSeconds += current * (c.timestamp - cursor);
    current = c.stake;
    cursor = c.timestamp;
  }
  stakeSeconds += current * (to - cursor);
  const seconds = to - from;
  return { stakeSeconds, seconds, average: stakeSeconds / seconds };
}

/** The `index`-th stake checkpoint of `account` in `mt`. */
export async function getStakeCheckpoint(
  client: PublicClient,
  ref: StakingRef,
  { mt, account, index, ...block }: MtAccount & { index: number },
): Promise<StakeCheckpoint> {
  const [timestamp, value] = await client.readContract({
    address: stakingAddress(ref),
    abi: mtStakingAbi,
    functionName: "checkpointAt",
    args: [mt, account, index],
    ...block,
  });
  return { timestamp: BigInt(timestamp), stake: value };
}

/**
 * The time-weighted stake of `account` in `mt` over [from, to) (e.g. one emission day), from the
 * contract's checkpoints: a binary search finds the checkpoint in force at `from`, then the ones
 * inside the interval are read. Every read is pinned to one block. A `to` past that block's time
 * assumes the stake stays as it is.
 */
export async function timeWeightedStake(
  client: PublicClient,
  ref: StakingRef,
  { mt, account, from, to, blockNumber }: { mt: Address; account: Address; from: bigint; to: bigint; blockNumber?: bigint },
): Promise<TimeWeightedStake> {
  if (to <= from) throw new RangeError(`the interval [${from}, ${to}) is empty`);
  const block = { blockNumber: blockNumber ?? (await client.getBlockNumber()) };
  const at = (index: number) => getStakeCheckpoint(client, ref, { mt, account, index, ...block });
  const count = Number(
    await client.readContract({
      address: stakingAddress(ref),
      abi: mtStakingAbi,
      functionName: "checkpointCount",
      args: [mt, account],
      ...block,
    }),
  );
  // First checkpoint after `from`: the one before it (if any) is in force at `from`.
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((await at(mid)).timestamp <= from) lo = mid + 1;
    else hi = mid;
  }
  const checkpoints: StakeCheckpoint[] = lo > 0 ? [await at(lo - 1)] : [];
  for (let i = lo; i < count; i++) {
    const c = await at(i);
    if (c.timestamp >= to) break;
    checkpoints.push(c);
  }
  return timeWeighted(checkpoints, from, to);
}
