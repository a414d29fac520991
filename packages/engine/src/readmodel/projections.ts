// The read model's projections: each turns one source's decoded events into event-level rows of the
// tables in @fomo/ledger's ReadModelSchema (one row per log, keyed by chain id, block and log index).
// Nothing here keeps a total: the queries (offerings.ts, tokens.ts, stakes.ts, flows.ts) aggregate at
// read time, so a reorg is undone by deleting the rows above the common ancestor.
import type { ReadModelSchema, Schema } from "@fomo/ledger";
import type { Deployments } from "@fomo/sdk";
import type { Transaction } from "kysely";
import type { Hex } from "viem";
import type { IndexedLog, Projection } from "../indexer/projection.ts";

/** The protocol contracts whose events the read model projects (a deployments file's `contracts`). */
export type ReadModelContracts = Pick<
  Deployments["contracts"],
  | "flock" | "usdc" | "uniswapV2Factory" | "templateRegistry" | "launchpad" | "modelTokenFactory" | "mtStaking"
  | "buybackExecutor" | "revenueRouter" | "creditDeposits" | "rewardsDistributor" | "gmFlock"
>;

type Trx = Transaction<Schema>;
type EventTable = Exclude<keyof ReadModelSchema, "block_times">;

/** The block a projected event's timestamp comes from (the indexer has it from the block header). */
export interface BlockTime {
  chainId: number;
  blockNumber: bigint;
  blockHash: Hex;
  /** Unix seconds. */
  timestamp: bigint;
}

/** The table of block timestamps: the indexer records the time of every block it projects a log of. */
export const BLOCK_TIMES_TABLE = "block_times";

/** Records a block's timestamp once (the queries date events by it); a reorg deletes it with the events. */
export async function recordBlockTime(trx: Trx, block: BlockTime): Promise<void> {
  await trx
    .insertInto("block_times")
    .values({
      chain_id: BigInt(block.chainId),
      block_number: block.blockNumber,
      block_hash: block.blockHash.toLowerCase(),
      timestamp: block.timestamp,
    })
    .onConflict((c) => c.columns(["chain_id", "block_number"]).doNothing())
    .execute();
}

const lower = (value: unknown): string => String(value).toLowerCase();
const digits = (value: unknown): string => (value as bigint).toString();
const optionalDigits = (value: unknown): string | null => (value === undefined ? null : digits(value));

function position(log: IndexedLog) {
  return {
    chain_id: BigInt(log.chainId),
    block_number: log.blockNumber,
    block_hash: log.blockHash.toLowerCase(),
    tx_hash: log.txHash.toLowerCase(),
    log_index: BigInt(log.logIndex),
  };
}

/** Inserts the event's row: its chain position plus `columns`. */
async function insert<T extends EventTable>(trx: Trx, table: T, log: IndexedLog, columns: Record<string, unknown>) {
  await trx
    .insertInto(table)
    .values({ ...position(log), ...columns } as never)
    .execute();
}

/** An event handler: the row(s) one kind of event writes. */
type Handler = (trx: Trx, log: IndexedLog, args: Record<string, any>) => Promise<void>;

/** A projection of one contract's events, matched by address and event name. */
function contractProjection(name: string, address: string, tables: EventTable[], handlers: Record<string, Handler>): Projection {
  const mine = address.toLowerCase();
  return {
    name,
    tables,
    async apply(trx, log) {
      if (log.address.toLowerCase() !== mine) return;
      await handlers[log.eventName]?.(trx, log, log.args);
    },
  };
}

async function exists(trx: Trx, table: "model_tokens" | "dex_pairs", column: "token" | "pair", log: IndexedLog, address: string) {
  const row = await trx
    .selectFrom(table)
    .select("block_number")
    .where("chain_id", "=", BigInt(log.chainId))
    .where(column as never, "=", address.toLowerCase() as never)
    .executeTakeFirst();
  return row !== undefined;
}

function launchpadProjection(c: ReadModelContracts): Projection {
  return contractProjection(
    "launchpad",
    c.launchpad,
    ["offering_launches", "offering_buys", "offering_graduations", "offering_refunds", "offering_claims", "offering_fees", "launchpad_pauses"],
    {
      Launched: (trx, log, a) =>
        insert(trx, "offering_launches", log, {
          mt: lower(a.mt), creator: lower(a.creator), template_id: BigInt(a.templateId), terms_id: BigInt(a.termsId),
          name: a.name, ticker: a.ticker, model_id: a.modelId, metadata_uri: a.metadataURI,
          opens_at: BigInt(a.opensAt), closes_at: BigInt(a.closesAt),
        }),
      Bought: (trx, log, a) =>
        insert(trx, "offering_buys", log, {
          mt: lower(a.mt), buyer: lower(a.buyer), flock_in: digits(a.flockIn), net: digits(a.net), mt_out: digits(a.mtOut),
          base_fee: digits(a.baseFee), surcharge: digits(a.surcharge), raised_after: digits(a.raisedAfter),
        }),
      Graduated: (trx, log, a) => {
        const r = a.result;
        return insert(trx, "offering_graduations", log, {
          mt: lower(a.mt), pair: lower(a.pair), raised: digits(r.raised), sold: digits(r.sold),
          flock_to_pool: digits(r.flockToPool), mt_to_pool: digits(r.mtToPool), mt_burned: digits(r.mtBurned),
          flock_to_hosting: digits(r.flockToHosting), flock_to_incentives: digits(r.flockToIncentives),
          mt_to_incentives: digits(r.mtToIncentives), mt_to_operator: digits(r.mtToOperator),
          mt_to_treasury: digits(r.mtToTreasury), operator_vesting: lower(r.operatorVesting),
        });
      },
      Refunded: (trx, log, a) =>
        insert(trx, "offering_refunds", log, { mt: lower(a.mt), account: lower(a.account), flock_amount: digits(a.flockAmount) }),
      Claimed: (trx, log, a) =>
        insert(trx, "offering_claims", log, { mt: lower(a.mt), account: lower(a.account), mt_amount: digits(a.mtAmount) }),
      FeesSettled: (trx, log, a) =>
        insert(trx, "offering_fees", log, {
          mt: lower(a.mt), kind: "settled", payee: lower(a.creator), amount: digits(a.creatorAmount),
          protocol_amount: digits(a.protocolAmount), surcharge: digits(a.surcharge),
        }),
      LaunchFeePaid: (trx, log, a) =>
        insert(trx, "offering_fees", log, {
          mt: lower(a.mt), kind: "launch", payee: lower(a.treasury), amount: digits(a.amount), protocol_amount: "0", surcharge: "0",
        }),
      Paused: (trx, log, a) => insert(trx, "launchpad_pauses", log, { kind: "paused", account: lower(a.account) }),
      Unpaused: (trx, log, a) => insert(trx, "launchpad_pauses", log, { kind: "unpaused", account: lower(a.account) }),
    },
  );
}

function registryProjection(c: ReadModelContracts): Projection {
  return contractProjection("template-registry", c.templateRegistry, ["offering_terms"], {
    TermsPublished: (trx, log, a) => {
      const { curve, sale } = a.terms;
      return insert(trx, "offering_terms", log, {
        terms_id: BigInt(a.termsId), template_id: BigInt(a.templateId),
        virtual_flock: digits(curve.virtualFlock), virtual_mt: digits(curve.virtualMt),
        raise_min: digits(sale.raiseMin), raise_max: digits(sale.raiseMax), fee_bps: BigInt(sale.feeBps),
        snipe_fee_bps: BigInt(sale.snipeFeeBps), snipe_decay_bps_per_minute: BigInt(sale.snipeDecayBpsPerMinute),
      });
    },
  });
}

/** $MT tokens: the factory names them (before their first Transfer, the mint), then their transfers. */
function modelTokensProjection(c: ReadModelContracts): Projection {
  const factory = c.modelTokenFactory.toLowerCase();
  return {
    name: "model-tokens",
    tables: ["model_tokens", "mt_transfers"],
    async apply(trx, log) {
      const a = log.args as Record<string, any>;
      if (log.address.toLowerCase() === factory) {
        if (log.eventName === "ModelTokenDeployed") await insert(trx, "model_tokens", log, { token: lower(a.token) });
        return;
      }
      if (log.eventName !== "Transfer" || !(await exists(trx, "model_tokens", "token", log, log.address))) return;
      await insert(trx, "mt_transfers", log, {
        token: lower(log.address), sender: lower(a.from), recipient: lower(a.to), value: digits(a.value),
      });
    },
  };
}

/** Pools: $MT/FLOCK and USDC/FLOCK pairs as the factory creates them, then their Sync and Swap events. */
function poolsProjection(c: ReadModelContracts): Projection {
  const factory = c.uniswapV2Factory.toLowerCase();
  const flock = c.flock.toLowerCase();
  const usdc = c.usdc.toLowerCase();
  return {
    name: "pools",
    tables: ["dex_pairs", "pool_syncs", "pool_swaps"],
    async apply(trx, log) {
      const a = log.args as Record<string, any>;
      if (log.address.toLowerCase() === factory) {
        if (log.eventName !== "PairCreated") return;
        // PairCreated's last parameter has no name, so ABI decoders (viem) give its arguments as a list.
        const [t0, t1, created] = Array.isArray(a) ? a : [a.token0, a.token1, a.pair];
        const [token0, token1] = [lower(t0), lower(t1)];
        const other = token0 === flock ? token1 : token1 === flock ? token0 : undefined;
        if (other === undefined) return;
        if (other !== usdc && !(await exists(trx, "model_tokens", "token", log, other))) return;
        await insert(trx, "dex_pairs", log, { pair: lower(created), token0, token1, token: other });
        return;
      }
      if (log.eventName !== "Sync" && log.eventName !== "Swap") return;
      if (!(await exists(trx, "dex_pairs", "pair", log, log.address))) return;
      const pair = lower(log.address);
      if (log.eventName === "Sync") {
        await insert(trx, "pool_syncs", log, { pair, reserve0: digits(a.reserve0), reserve1: digits(a.reserve1) });
      } else {
        await insert(trx, "pool_swaps", log, {
          pair, sender: lower(a.sender), recipient: lower(a.to), amount0_in: digits(a.amount0In),
          amount1_in: digits(a.amount1In), amount0_out: digits(a.amount0Out), amount1_out: digits(a.amount1Out),
        });
      }
    },
  };
}

function stakingProjection(c: ReadModelContracts): Projection {
  const row = (kind: string, a: Record<string, any>) => ({
    mt: lower(a.mt), account: lower(a.account), kind, amount: digits(a.amount), stake: optionalDigits(a.stake),
    release_at: a.releaseAt === undefined ? null : BigInt(a.releaseAt),
  });
  return contractProjection("staking", c.mtStaking, ["stake_events"], {
    Staked: (trx, log, a) => insert(trx, "stake_events", log, row("staked", a)),
    Unstaked: (trx, log, a) => insert(trx, "stake_events", log, row("unstaked", a)),
    Withdrawn: (trx, log, a) => insert(trx, "stake_events", log, row("withdrawn", a)),
  });
}

function depositsProjection(c: ReadModelContracts): Projection {
  return contractProjection("credit-deposits", c.creditDeposits, ["usdc_deposits"], {
    Deposited: (trx, log, a) =>
      insert(trx, "usdc_deposits", log, {
        deposit_id: digits(a.depositId), account_id: lower(a.accountId), depositor: lower(a.from), amount: digits(a.amount),
      }),
  });
}

function revenueProjection(c: ReadModelContracts): Projection {
  return contractProjection("revenue-router", c.revenueRouter, ["revenue_reports"], {
    RevenueReported: (trx, log, a) => {
      const r = a.routed;
      return insert(trx, "revenue_reports", log, {
        epoch: BigInt(a.epoch), mt: lower(a.mt), gross: digits(a.gross), usage_root: lower(a.usageRoot),
        hard_cost: digits(r.hardCost), mt_buyback: digits(r.mtBuyback), issuer_yield: digits(r.issuerYield),
        flock_buyback: digits(r.flockBuyback), treasury: digits(r.treasury),
      });
    },
  });
}

function buybackProjection(c: ReadModelContracts): Projection {
  return contractProjection("buyback-executor", c.buybackExecutor, ["buybacks"], {
    Funded: (trx, log, a) =>
      insert(trx, "buybacks", log, {
        kind: "funded", target: lower(a.mt), spent: digits(a.mtAmount), bought: digits(a.flockAmount), min_out: "0",
      }),
    BuybackExecuted: (trx, log, a) =>
      insert(trx, "buybacks", log, {
        kind: "executed", target: lower(a.target), spent: digits(a.spent), bought: digits(a.bought), min_out: digits(a.minOut),
      }),
  });
}

function rewardsProjection(c: ReadModelContracts): Projection {
  const root = (status: string, a: Record<string, any>) => ({
    epoch: BigInt(a.epoch), status, root: lower(a.root),
    content_hash: a.contentHash === undefined ? null : lower(a.contentHash),
    emitted: optionalDigits(a.emitted ?? a.emissionReturned),
    live_at: a.liveAt === undefined ? null : BigInt(a.liveAt),
  });
  return contractProjection("rewards-distributor", c.rewardsDistributor, ["reward_roots", "reward_claims"], {
    RootPosted: (trx, log, a) => insert(trx, "reward_roots", log, root("posted", a)),
    RootActivated: (trx, log, a) => insert(trx, "reward_roots", log, root("activated", a)),
    RootSuperseded: (trx, log, a) => insert(trx, "reward_roots", log, root("superseded", a)),
    RootVetoed: (trx, log, a) => insert(trx, "reward_roots", log, root("vetoed", a)),
    Claimed: (trx, log, a) =>
      insert(trx, "reward_claims", log, {
        kind: "claimed", account: lower(a.account), epoch: null, token: lower(a.token), amount: digits(a.amount),
        cumulative: digits(a.cumulative),
      }),
    Allotted: (trx, log, a) =>
      insert(trx, "reward_claims", log, {
        kind: "allotted", account: null, epoch: BigInt(a.epoch), token: lower(a.token), amount: "0", cumulative: digits(a.cumulative),
      }),
  });
}

function gmFlockProjection(c: ReadModelContracts): Projection {
  const row = (kind: string, a: Record<string, any>) => ({
    lock_id: digits(a.id), owner: lower(a.owner), kind, amount: digits(a.amount), gm: digits(a.gm),
    unlock_at: a.unlockAt === undefined ? null : BigInt(a.unlockAt),
  });
  return contractProjection("gmflock", c.gmFlock, ["gmflock_locks"], {
    Locked: (trx, log, a) => insert(trx, "gmflock_locks", log, row("locked", a)),
    Unlocked: (trx, log, a) => insert(trx, "gmflock_locks", log, row("unlocked", a)),
  });
}

/**
 * Every projection of the read model, in the order the indexer applies them to one log. The model
 * tokens come before the pools (a PairCreated names a pair of a known $MT), and both read only rows of
 * earlier logs, so applying logs in (block, logIndex) order gives the same tables on every replay.
 */
export function readModelProjections(contracts: ReadModelContracts): Projection[] {
  return [
    registryProjection(contracts),
    launchpadProjection(contracts),
    modelTokensProjection(contracts),
    poolsProjection(contracts),
    stakingProjection(contracts),
    depositsProjection(contracts),
    revenueProjection(contracts),
    buybackProjection(contracts),
    rewardsProjection(contracts),
    gmFlockProjection(contracts),
  ];
}

/** Every table the read model writes (the event tables of each projection, and block_times). */
export function readModelTables(projections: readonly Projection[]): string[] {
  return [BLOCK_TIMES_TABLE, ...projections.flatMap((p) => p.tables)];
}
