// Money flows from the engine's contracts: USDC credit deposits, revenue reports and the buybacks
// they fund (per usage epoch), reward roots and claims, gmFLOCK locks.
import type { Database } from "@fomo/ledger";
import {
  epochOf, type BuybackRecord, type DepositRecord, type EpochClock, type EpochFlows, type GmflockLockRecord, type RevenueReportRecord,
  type RewardClaimRecord, type RewardRootRecord,
} from "@fomo/sdk";
import type { Address, Hex } from "viem";
import { checksummed, key, withPositions, type OnChain } from "./chain.ts";

// The records are the SDK's (@fomo/sdk readmodel.ts): the platform serves the same shapes without importing the engine.
export type {
  BuybackRecord, DepositRecord, EpochFlows, GmflockLockRecord, RevenueReportRecord, RewardClaimRecord, RewardRootRecord,
};

/**
 * Credit deposits of one account (its bytes32 id, accountIdOf) or of all, in chain order: the rows
 * the indexer's deposits projection writes as it credits the ledger (chain_deposits).
 */
export async function listDeposits(db: Database, query: OnChain & { accountId?: Hex }): Promise<DepositRecord[]> {
  let q = db
    .selectFrom("chain_deposits")
    .select(["block_number", "log_index", "tx_hash", "deposit_id", "account_key", "depositor", "amount"])
    .where("chain_id", "=", BigInt(query.chainId));
  if (query.accountId !== undefined) q = q.where("account_key", "=", key(query.accountId));
  const rows = await withPositions(db, query.chainId, await q.orderBy("block_number").orderBy("log_index").execute());
  return rows.map((r) => ({
    ...r.position,
    depositId: BigInt(r.deposit_id),
    accountId: r.account_key as Hex,
    depositor: checksummed(r.depositor),
    amount: BigInt(r.amount),
  }));
}

/**
 * Revenue reports (by their epoch) and executed buybacks (by the epoch they ran in), per epoch of the
 * chain's clock (getEpochClock: the keeper reports epoch k, and its buybacks run once k has closed), oldest first.
 */
export async function epochFlows(db: Database, query: OnChain & { clock: EpochClock; epoch?: bigint }): Promise<EpochFlows[]> {
  const chain = BigInt(query.chainId);
  let reportQuery = db.selectFrom("revenue_reports").selectAll().where("chain_id", "=", chain);
  if (query.epoch !== undefined) reportQuery = reportQuery.where("epoch", "=", query.epoch);
  const [reports, buybacks] = await Promise.all([
    reportQuery.orderBy("block_number").orderBy("log_index").execute(),
    db.selectFrom("buybacks").selectAll().where("chain_id", "=", chain).where("kind", "=", "executed")
      .orderBy("block_number").orderBy("log_index").execute(),
  ]);
  const epochs = new Map<bigint, EpochFlows>();
  const of = (epoch: bigint) => {
    let e = epochs.get(epoch);
    if (e === undefined) epochs.set(epoch, (e = { epoch, reports: [], buybacks: [] }));
    return e;
  };
  for (const r of await withPositions(db, query.chainId, reports)) {
    of(r.epoch).reports.push({
      ...r.position, epoch: r.epoch, mt: checksummed(r.mt), gross: BigInt(r.gross), usageRoot: r.usage_root as Hex,
      hardCost: BigInt(r.hard_cost), mtBuyback: BigInt(r.mt_buyback), issuerYield: BigInt(r.issuer_yield),
      flockBuyback: BigInt(r.flock_buyback), treasury: BigInt(r.treasury),
    });
  }
  for (const b of await withPositions(db, query.chainId, buybacks)) {
    const epoch = b.position.timestamp < query.clock.start ? 0n : epochOf(query.clock, b.position.timestamp);
    if (query.epoch !== undefined && epoch !== query.epoch) continue;
    of(epoch).buybacks.push({
      ...b.position, epoch, target: checksummed(b.target), spent: BigInt(b.spent), burned: BigInt(b.bought), minOut: BigInt(b.min_out),
    });
  }
  return [...epochs.values()].sort((a, b) => (a.epoch < b.epoch ? -1 : 1));
}

/** Reward roots per epoch and root, with each one's status history, oldest first. */
export async function listRewardRoots(db: Database, query: OnChain & { epoch?: bigint }): Promise<RewardRootRecord[]> {
  let q = db.selectFrom("reward_roots").selectAll().where("chain_id", "=", BigInt(query.chainId));
  if (query.epoch !== undefined) q = q.where("epoch", "=", query.epoch);
  const roots = new Map<string, RewardRootRecord>();
  for (const r of await withPositions(db, query.chainId, await q.orderBy("block_number").orderBy("log_index").execute())) {
    const id = `${r.epoch}/${r.root}`;
    let root = roots.get(id);
    if (root === undefined) {
      root = { epoch: r.epoch, root: r.root as Hex, contentHash: undefined, emitted: undefined, liveAt: undefined, status: r.status, history: [] };
      roots.set(id, root);
    }
    root.status = r.status;
    root.contentHash ??= (r.content_hash ?? undefined) as Hex | undefined;
    if (r.status === "posted" || r.status === "activated") root.emitted ??= r.emitted === null ? undefined : BigInt(r.emitted);
    root.liveAt ??= r.live_at ?? undefined;
    root.history.push({ ...r.position, status: r.status });
  }
  return [...roots.values()];
}

/** Reward claims of one account (or all), in chain order. */
export async function listRewardClaims(db: Database, query: OnChain & { account?: Address }): Promise<RewardClaimRecord[]> {
  let q = db.selectFrom("reward_claims").selectAll().where("chain_id", "=", BigInt(query.chainId)).where("kind", "=", "claimed");
  if (query.account !== undefined) q = q.where("account", "=", key(query.account));
  const rows = await withPositions(db, query.chainId, await q.orderBy("block_number").orderBy("log_index").execute());
  return rows.map((r) => ({
    ...r.position, account: checksummed(r.account!), token: checksummed(r.token), amount: BigInt(r.amount), cumulative: BigInt(r.cumulative),
  }));
}

/** gmFLOCK locks of an owner (or all), with whether each was unlocked since. */
export async function listGmflockLocks(db: Database, query: OnChain & { owner?: Address }): Promise<GmflockLockRecord[]> {
  let q = db.selectFrom("gmflock_locks").selectAll().where("chain_id", "=", BigInt(query.chainId));
  if (query.owner !== undefined) q = q.where("owner", "=", key(query.owner));
  const rows = await withPositions(db, query.chainId, await q.orderBy("block_number").orderBy("log_index").execute());
  const locks = new Map<string, GmflockLockRecord>();
  for (const r of rows) {
    if (r.kind === "unlocked") {
      const lock = locks.get(r.lock_id);
      if (lock !== undefined) {
        lock.unlocked = true;
        lock.unlockedAt = r.position.timestamp;
      }
      continue;
    }
    locks.set(r.lock_id, {
      ...r.position, lockId: BigInt(r.lock_id), owner: checksummed(r.owner), amount: BigInt(r.amount), gm: BigInt(r.gm),
      unlockAt: r.unlock_at ?? 0n, unlocked: false, unlockedAt: null,
    });
  }
  return [...locks.values()];
}
