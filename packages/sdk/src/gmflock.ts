// gmFLOCK: lock FLOCK for 1-365 days and hold non-transferable gmFLOCK, the input of the rewards
// multiplier G (product.md §5.2). `gmFor` is the contract's formula in bigint, equal to GmFlock.gmFor
// to the wei; the actions lock, unlock and read locks.
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
import { FomoRejection } from "./errors.ts";
import { gmFlockAbi } from "./generated/abis.ts";
import { ensureAllowance, type Approval } from "./tokens.ts";
import { add256, assertUint256, mul256 } from "./uint256.ts";

export type GmFlockRef = ContractRef<"gmFlock">;
const gmFlockAddress = (ref: GmFlockRef) => addressOf(ref, "gmFlock");

/** Longest lock, and the lock length up to which gmFLOCK equals the FLOCK locked. */
export const GM_MAX_DAYS = 365n;
export const GM_BONUS_FREE_DAYS = 30n;

/**
 * gmFLOCK minted for locking `amount` FLOCK for `days` days: `m = n` for t <= 30, else
 * `n + ⌊n · 219 · (t − 30) / 36,500⌋` (that is n · (1 + 2.19 · (t − 30)/365), rounded down).
 * Refuses 0 or more than 365 days with the contract's GmFlockInvalidDuration.
 */
export function gmFor(amount: bigint, days: bigint): bigint {
  assertUint256(amount, "amount");
  assertUint256(days, "days");
  if (days === 0n || days > GM_MAX_DAYS) throw new FomoRejection("GmFlockInvalidDuration", [days], "a lock lasts 1-365 days");
  if (days <= GM_BONUS_FREE_DAYS) return amount;
  return add256(amount, mul256(mul256(amount, 219n, "amount * 219"), days - GM_BONUS_FREE_DAYS, "gm bonus") / 36_500n, "gm");
}

/** Parameters of {@link gmForOnChain}. */
export type GmForOnChainParameters = { amount: bigint; days: bigint } & BlockOptions;
/** What {@link gmForOnChain} returns. */
export type GmForOnChainReturnType = bigint;

/**
 * GmFlock.gmFor read from the chain (the pure `gmFor` gives the same without a call).
 *
 * @example
 * const gm = await gmForOnChain(publicClient, deployments, { amount: 1_000n * FLOCK, days: 365n }); // equals gmFor(1_000n * FLOCK, 365n)
 */
export function gmForOnChain(
  client: PublicClient,
  ref: GmFlockRef,
  { amount, days, ...block }: GmForOnChainParameters,
): Promise<GmForOnChainReturnType> {
  return client.readContract({ address: gmFlockAddress(ref), abi: gmFlockAbi, functionName: "gmFor", args: [amount, days], ...block });
}

/** A lock as stored: owner, unlock time, FLOCK locked and gmFLOCK minted (owner zero once unlocked). */
export interface GmLock {
  owner: Address;
  unlockAt: bigint;
  amount: bigint;
  gm: bigint;
}

/** Parameters of {@link getLock}. */
export type GetLockParameters = { id: bigint } & BlockOptions;
/** What {@link getLock} returns. */
export type GetLockReturnType = GmLock;

/**
 * Lock `id` as stored (GmFlock.locks).
 *
 * @example
 * const { owner, unlockAt, gm } = await getLock(publicClient, deployments, { id: locked.id });
 */
export async function getLock(
  client: PublicClient,
  ref: GmFlockRef,
  { id, ...block }: GetLockParameters,
): Promise<GetLockReturnType> {
  const [owner, unlockAt, amount, gm] = await client.readContract({
    address: gmFlockAddress(ref),
    abi: gmFlockAbi,
    functionName: "locks",
    args: [id],
    ...block,
  });
  return { owner, unlockAt, amount, gm };
}

/** Parameters of {@link getGmBalance}. */
export type GetGmBalanceParameters = { account: Address } & BlockOptions;
/** What {@link getGmBalance} returns. */
export type GetGmBalanceReturnType = bigint;

/**
 * gmFLOCK held by `account` (what the rewards multiplier G reads).
 *
 * @example
 * const gm = await getGmBalance(publicClient, deployments, { account });
 */
export function getGmBalance(
  client: PublicClient,
  ref: GmFlockRef,
  { account, ...block }: GetGmBalanceParameters,
): Promise<GetGmBalanceReturnType> {
  return client.readContract({ address: gmFlockAddress(ref), abi: gmFlockAbi, functionName: "balanceOf", args: [account], ...block });
}

/** Parameters of {@link lockFlock}. */
export type LockFlockParameters = { amount: bigint; days: bigint; approval?: Approval };
/** What {@link lockFlock} returns. */
export type LockFlockReturnType = Sent & { locked: EventArgsOf<typeof gmFlockAbi, "Locked"> };

/**
 * Locks `amount` FLOCK of the signer for `days` days and mints gmFLOCK. Gets the FLOCK allowance
 * first when it is short (`approval`, default an exact approve).
 *
 * @example
 * const { locked } = await lockFlock(clients, deployments, { amount: 1_000n * FLOCK, days: 90n });
 */
export async function lockFlock(
  clients: Clients,
  ref: GmFlockRef,
  { amount, days, approval }: LockFlockParameters,
  opts: WriteOptions = {},
): Promise<LockFlockReturnType> {
  const address = gmFlockAddress(ref);
  const flock = await clients.public.readContract({ address, abi: gmFlockAbi, functionName: "flock" });
  await ensureAllowance(clients, { token: flock, spender: address, amount, approval }, opts);
  const sent = await write(clients, address, gmFlockAbi, "lock", [amount, days], opts);
  return { ...sent, locked: theEventOf(gmFlockAbi, address, sent, "Locked") };
}

/** Parameters of {@link unlockFlock}. */
export type UnlockFlockParameters = { id: bigint };
/** What {@link unlockFlock} returns. */
export type UnlockFlockReturnType = Sent & { unlocked: EventArgsOf<typeof gmFlockAbi, "Unlocked"> };

/**
 * After expiry, burns lock `id`'s gmFLOCK and returns its FLOCK to the signer (its owner).
 *
 * @example
 * const { unlocked } = await unlockFlock(clients, deployments, { id: locked.id });
 */
export async function unlockFlock(
  clients: Clients,
  ref: GmFlockRef,
  { id }: UnlockFlockParameters,
  opts: WriteOptions = {},
): Promise<UnlockFlockReturnType> {
  const address = gmFlockAddress(ref);
  const sent = await write(clients, address, gmFlockAbi, "unlock", [id], opts);
  return { ...sent, unlocked: theEventOf(gmFlockAbi, address, sent, "Unlocked") };
}
