// $MT tokens and pools from their events: supply, burns, the pool's share and holders from Transfer
// rows; reserves and prices from each pair's Sync rows.
import type { Database } from "@fomo/ledger";
import { mulDiv, type Holder, type MtSupply, type PoolPricePoint, type PoolState } from "@fomo/sdk";
import type { Address } from "viem";
import { DEAD_ADDRESS, ZERO_ADDRESS, checksummed, key, type OnChain } from "./chain.ts";

// The records are the SDK's (@fomo/sdk readmodel.ts): the platform serves the same shapes without importing the engine.
export type { Holder, MtSupply, PoolPricePoint, PoolState };

const WHOLE = 10n ** 18n;

/** Balances of every address that ever held `mt`, from its transfers (mints from 0x0 excluded). */
async function balances(db: Database, chainId: number, mt: Address): Promise<Map<string, bigint>> {
  const rows = await db
    .selectFrom("mt_transfers")
    .select(["sender", "recipient", "value"])
    .where("chain_id", "=", BigInt(chainId))
    .where("token", "=", key(mt))
    .orderBy("block_number")
    .orderBy("log_index")
    .execute();
  const balance = new Map<string, bigint>();
  for (const t of rows) {
    const value = BigInt(t.value);
    balance.set(t.sender, (balance.get(t.sender) ?? 0n) - value);
    balance.set(t.recipient, (balance.get(t.recipient) ?? 0n) + value);
  }
  return balance;
}

/** Supply, burns, pooled $MT and holder count of one $MT. */
export async function mtSupply(db: Database, query: OnChain & { mt: Address }): Promise<MtSupply> {
  const balance = await balances(db, query.chainId, query.mt);
  const pairRow = await mtPair(db, query.chainId, query.mt);
  // 0x0 sends every mint and receives every burn: minus its balance is the supply left.
  const totalSupply = -(balance.get(ZERO_ADDRESS) ?? 0n);
  const sentToZero = await sentTo(db, query.chainId, query.mt, ZERO_ADDRESS);
  return {
    totalSupply,
    burned: sentToZero + (balance.get(DEAD_ADDRESS) ?? 0n),
    lp: pairRow === undefined ? 0n : (balance.get(pairRow) ?? 0n),
    pair: pairRow === undefined ? undefined : checksummed(pairRow),
    holders: holdersOf(balance).length,
  };
}

async function sentTo(db: Database, chainId: number, mt: Address, to: string): Promise<bigint> {
  const rows = await db
    .selectFrom("mt_transfers")
    .select("value")
    .where("chain_id", "=", BigInt(chainId))
    .where("token", "=", key(mt))
    .where("recipient", "=", to)
    .execute();
  return rows.reduce((total, r) => total + BigInt(r.value), 0n);
}

/** The $MT/FLOCK pair of `mt` (lower-case), if the factory created one. */
async function mtPair(db: Database, chainId: number, mt: Address): Promise<string | undefined> {
  const row = await db
    .selectFrom("dex_pairs")
    .select("pair")
    .where("chain_id", "=", BigInt(chainId))
    .where("token", "=", key(mt))
    .executeTakeFirst();
  return row?.pair;
}

/** Holders of `mt` with a positive balance, largest first (0x0 and the dead address left out). */
export async function mtHolders(db: Database, query: OnChain & { mt: Address }): Promise<Holder[]> {
  return holdersOf(await balances(db, query.chainId, query.mt));
}

function holdersOf(balance: Map<string, bigint>): Holder[] {
  return [...balance]
    .filter(([account, b]) => b > 0n && account !== ZERO_ADDRESS && account !== DEAD_ADDRESS)
    .sort(([a, x], [b, y]) => (x === y ? (a < b ? -1 : 1) : x > y ? -1 : 1))
    .map(([account, b]) => ({ account: checksummed(account), balance: b }));
}

/** The pools `pairs` (lower- or mixed-case), keyed by lower-case pair address; unknown pairs are left out. */
export async function poolPrices(db: Database, chainId: number, pairs: readonly string[]): Promise<Map<string, PoolState>> {
  const wanted = pairs.map(key);
  const result = new Map<string, PoolState>();
  if (wanted.length === 0) return result;
  const chain = BigInt(chainId);
  const [pairRows, syncs] = await Promise.all([
    db.selectFrom("dex_pairs").selectAll().where("chain_id", "=", chain).where("pair", "in", wanted).execute(),
    db.selectFrom("pool_syncs").selectAll().where("chain_id", "=", chain).where("pair", "in", wanted)
      .orderBy("block_number").orderBy("log_index").execute(),
  ]);
  for (const p of pairRows) {
    const flockIsZero = p.token === p.token1;
    const history = syncs
      .filter((s) => s.pair === p.pair)
      .map((s) => {
        const [reserve0, reserve1] = [BigInt(s.reserve0), BigInt(s.reserve1)];
        const [flock, other] = flockIsZero ? [reserve0, reserve1] : [reserve1, reserve0];
        return {
          blockNumber: s.block_number, logIndex: Number(s.log_index), reserve0, reserve1,
          price: other === 0n ? 0n : mulDiv(flock, WHOLE, other),
        };
      });
    const last = history[history.length - 1];
    result.set(p.pair, {
      pair: checksummed(p.pair), token0: checksummed(p.token0), token1: checksummed(p.token1),
      reserve0: last?.reserve0 ?? 0n, reserve1: last?.reserve1 ?? 0n, price: last?.price ?? 0n, history,
    });
  }
  return result;
}

/** Every pool the read model follows, with its latest reserves and price. */
export async function listPools(db: Database, query: OnChain): Promise<PoolState[]> {
  const pairs = await db.selectFrom("dex_pairs").select("pair").where("chain_id", "=", BigInt(query.chainId))
    .orderBy("block_number").orderBy("log_index").execute();
  const states = await poolPrices(db, query.chainId, pairs.map((p) => p.pair));
  return pairs.map((p) => states.get(p.pair)!);
}
