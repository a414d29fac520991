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

/** Parameters of {@link stake}. */
export type StakeParameters = { mt: Address; amount: bigint; approval?: Approval };
/** What {@link stake} returns. */
export type StakeReturnType = Sent & { staked: StakingEvent<"Staked"> };

/**
 * Stakes `amount` of `mt` from the signer. When the allowance is short it first approves exactly
 * `amount` (approval "approve", the default) or signs and submits an EIP-2612 permit ("permit").
 *
 * @example
 * const { staked } = await stake(clients, deployments, { mt, amount: 1_000n * MT, approval: "permit" });
 */
export async function stake(
  clients: Clients,
  ref: StakingRef,
  { mt, amount, approval }: StakeParameters,
  opts: WriteOptions = {},
): Promise<StakeReturnType> {
  const address = stakingAddress(ref);
  await ensureAllowance(clients, { token: mt, spender: address, amount, approval }, opts);
  const sent = await write(clients, address, mtStakingAbi, "stake", [mt, amount], opts);
  return { ...sent, staked: theEventOf(mtStakingAbi, address, sent, "Staked") };
}

/** Parameters of {@link unstake}. */
export type UnstakeParameters = { mt: Address; amount: bigint };
/** What {@link unstake} returns. */
export type UnstakeReturnType = Sent & { unstaked: StakingEvent<"Unstaked"> };

/**
 * Unstakes `amount`: it stops counting now and can be withdrawn after the cooldown (which a further unstake restarts).
 *
 * @example
 * const { unstaked } = await unstake(clients, deployments, { mt, amount: 500n * MT });
 * // withdrawStake after unstaked.releaseAt
 */
export async function unstake(
  clients: Clients,
  ref: StakingRef,
  { mt, amount }: UnstakeParameters,
  opts: WriteOptions = {},
): Promise<UnstakeReturnType> {
  const address = stakingAddress(ref);
  const sent = await write(clients, address, mtStakingAbi, "unstake", [mt, amount], opts);
  return { ...sent, unstaked: theEventOf(mtStakingAbi, address, sent, "Unstaked") };
}

/** Parameters of {@link withdrawStake}. */
export type WithdrawStakeParameters = { mt: Address };
/** What {@link withdrawStake} returns. */
export type WithdrawStakeReturnType = Sent & { amount: bigint };

/**
 * Sends the signer what finished its cooldown.
 *
 * @example
 * const { amount } = await withdrawStake(clients, deployments, { mt });
 */
export async function withdrawStake(
  clients: Clients,
  ref: StakingRef,
  { mt }: WithdrawStakeParameters,
  opts: WriteOptions = {},
): Promise<WithdrawStakeReturnType> {
  const address = stakingAddress(ref);
  const sent = await write(clients, address, mtStakingAbi, "withdraw", [mt], opts);
  return { ...sent, amount: theEventOf(mtStakingAbi, address, sent, "Withdrawn").amount };
}

// ------------------------------------------------------------------ reads

type MtAccount = { mt: Address; account: Address } & BlockOptions;

/** Parameters of {@link getStake}. */
export type GetStakeParameters = MtAccount;
/** What {@link getStake} returns. */
export type GetStakeReturnType = bigint;

/**
 * Counted stake of `account` in `mt` now (cooling-down amounts excluded).
 *
 * @example
 * const counted = await getStake(publicClient, deployments, { mt, account });
 */
export function getStake(
  client: PublicClient,
  ref: StakingRef,
  { mt, account, ...block }: GetStakeParameters,
): Promise<GetStakeReturnType> {
  return client.readContract({ address: stakingAddress(ref), abi: mtStakingAbi, functionName: "stakeOf", args: [mt, account], ...block });
}

/** Parameters of {@link getStakeAt}. */
export type GetStakeAtParameters = MtAccount & { timestamp: bigint };
/** What {@link getStakeAt} returns. */
export type GetStakeAtReturnType = bigint;

/**
 * Stake of `account` in `mt` at the end of second `timestamp`.
 *
 * @example
 * const atMidnight = await getStakeAt(publicClient, deployments, { mt, account, timestamp: 1_800_057_600n });
 */
export function getStakeAt(
  client: PublicClient,
  ref: StakingRef,
  { mt, account, timestamp, ...block }: GetStakeAtParameters,
): Promise<GetStakeAtReturnType> {
  return client.readContract({
    address: stakingAddress(ref),
    abi: mtStakingAbi,
    functionName: "stakeAt",
    args: [mt, account, Number(timestamp)],
    ...block,
  });
}

/** Parameters of {@link getTotalStaked}. */
export type GetTotalStakedParameters = { mt: Address; timestamp?: bigint } & BlockOptions;
/** What {@link getTotalStaked} returns. */
export type GetTotalStakedReturnType = bigint;

/**
 * Total counted stake in `mt`, now or (with `timestamp`) at the end of that second.
 *
 * @example
 * const total = await getTotalStaked(publicClient, deployments, { mt });
 */
export function getTotalStaked(
  client: PublicClient,
  ref: StakingRef,
  { mt, timestamp, ...block }: GetTotalStakedParameters,
): Promise<GetTotalStakedReturnType> {
  const address = stakingAddress(ref);
  return timestamp === undefined
    ? client.readContract({ address, abi: mtStakingAbi, functionName: "totalStaked", args: [mt], ...block })
    : client.readContract({ address, abi: mtStakingAbi, functionName: "totalStakedAt", args: [mt, Number(timestamp)], ...block });
}

/** Parameters of {@link getCooldown}. */
export type GetCooldownParameters = MtAccount;
/** What {@link getCooldown} returns. */
export type GetCooldownReturnType = { amount: bigint; releaseAt: bigint };

/**
 * What `account` has cooling down in `mt` and when it can be withdrawn (0 and 0 when nothing).
 *
 * @example
 * const { amount, releaseAt } = await getCooldown(publicClient, deployments, { mt, account });
 */
export async function getCooldown(
  client: PublicClient,
  ref: StakingRef,
  { mt, account, ...block }: GetCooldownParameters,
): Promise<GetCooldownReturnType> {
  const c = await client.readContract({
    address: stakingAddress(ref),
    abi: mtStakingAbi,
    functionName: "cooldownOf",
    args: [mt, account],
    ...block,
  });
  return { amount: c.amount, releaseAt: BigInt(c.releaseAt) };
}

/** What {@link getStakingCooldown} returns. */
export type GetStakingCooldownReturnType = bigint;

/**
 * The cooldown the contract applies to unstaked amounts, in seconds.
 *
 * @example
 * const seconds = await getStakingCooldown(publicClient, deployments); // 604_800n (7 days)
 */
export function getStakingCooldown(client: PublicClient, ref: StakingRef): Promise<GetStakingCooldownReturnType> {
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

/** Parameters of {@link getStakeCheckpoint}. */
export type GetStakeCheckpointParameters = MtAccount & { index: number };
/** What {@link getStakeCheckpoint} returns. */
export type GetStakeCheckpointReturnType = StakeCheckpoint;

/**
 * The `index`-th stake checkpoint of `account` in `mt`.
 *
 * @example
 * const first = await getStakeCheckpoint(publicClient, deployments, { mt, account, index: 0 });
 */
export async function getStakeCheckpoint(
  client: PublicClient,
  ref: StakingRef,
  { mt, account, index, ...block }: GetStakeCheckpointParameters,
): Promise<GetStakeCheckpointReturnType> {
  const [timestamp, value] = await client.readContract({
    address: stakingAddress(ref),
    abi: mtStakingAbi,
    functionName: "checkpointAt",
    args: [mt, account, index],
    ...block,
  });
  return { timestamp: BigInt(timestamp), stake: value };
}

/** Parameters of {@link timeWeightedStake}. */
export type TimeWeightedStakeParameters = { mt: Address; account: Address; from: bigint; to: bigint; blockNumber?: bigint };
/** What {@link timeWeightedStake} returns. */
export type TimeWeightedStakeReturnType = TimeWeightedStake;

/**
 * The time-weighted stake of `account` in `mt` over [from, to) (e.g. one epoch), from the
 * contract's checkpoints: a binary search finds the checkpoint in force at `from`, then the ones
 * inside the interval are read. Every read is pinned to one block. A `to` past that block's time
 * assumes the stake stays as it is.
 *
 * @example
 * const day = await timeWeightedStake(publicClient, deployments, { mt, account, ...epochWindow(clock, epoch) });
 * day.average; // the stake the day's rewards count
 */
export async function timeWeightedStake(
  client: PublicClient,
  ref: StakingRef,
  { mt, account, from, to, blockNumber }: TimeWeightedStakeParameters,
): Promise<TimeWeightedStakeReturnType> {
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
