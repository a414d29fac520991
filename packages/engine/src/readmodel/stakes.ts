// Stakes from MtStaking's events: each Staked/Unstaked carries the stake it checkpointed, so the
// checkpoints (with their block times) feed the SDK's timeWeighted, the contract's own rule.
import type { Database } from "@fomo/ledger";
import { EMISSION_DAY, timeWeighted, type DailyStake, type StakePosition } from "@fomo/sdk";
import type { Address } from "viem";
import { checksummed, key, withPositions, type OnChain } from "./chain.ts";

// The records are the SDK's (@fomo/sdk readmodel.ts): the platform serves the same shapes without importing the engine.
export type { DailyStake, StakePosition };

async function stakeRows(db: Database, chainId: number, filter: { mt?: Address; account?: Address }) {
  let q = db.selectFrom("stake_events").selectAll().where("chain_id", "=", BigInt(chainId));
  if (filter.mt !== undefined) q = q.where("mt", "=", key(filter.mt));
  if (filter.account !== undefined) q = q.where("account", "=", key(filter.account));
  return withPositions(db, chainId, await q.orderBy("block_number").orderBy("log_index").execute());
}

/** Stake positions, one per ($MT, account), of an account, of an $MT, or both. */
export async function listStakes(db: Database, query: OnChain & { mt?: Address; account?: Address }): Promise<StakePosition[]> {
  const positions = new Map<string, StakePosition>();
  for (const row of await stakeRows(db, query.chainId, query)) {
    const id = `${row.mt}/${row.account}`;
    let p = positions.get(id);
    if (p === undefined) {
      p = { mt: checksummed(row.mt), account: checksummed(row.account), stake: 0n, cooling: 0n, releaseAt: 0n, checkpoints: [] };
      positions.set(id, p);
    }
    if (row.kind === "withdrawn") {
      // MtStaking.withdraw pays the whole cooldown and clears it.
      p.cooling = 0n;
      p.releaseAt = 0n;
      continue;
    }
    p.stake = BigInt(row.stake!);
    p.checkpoints.push({ timestamp: row.position.timestamp, stake: p.stake });
    if (row.kind === "unstaked") {
      p.cooling += BigInt(row.amount);
      p.releaseAt = row.release_at!;
    }
  }
  return [...positions.values()];
}

/** Total staked in `mt` now: the sum of every account's stake. */
export async function totalStaked(db: Database, query: OnChain & { mt: Address }): Promise<bigint> {
  return (await listStakes(db, query)).reduce((total, p) => total + p.stake, 0n);
}

/**
 * `account`'s time-weighted stake in `mt` for each of `days` days from `from` (EMISSION_DAY long),
 * by the SDK's timeWeighted over the checkpoints the events carry: what MtStaking.stakeAt integrates.
 */
export async function dailyStake(
  db: Database,
  query: OnChain & { mt: Address; account: Address; from: bigint; days: number; daySeconds?: bigint },
): Promise<DailyStake[]> {
  const day = query.daySeconds ?? EMISSION_DAY;
  const [position] = await listStakes(db, query);
  const checkpoints = position?.checkpoints ?? [];
  return Array.from({ length: query.days }, (_, i) => {
    const from = query.from + BigInt(i) * day;
    return { from, ...timeWeighted(checkpoints, from, from + day) };
  });
}
