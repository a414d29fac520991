// The buyback step's TWAP oracle upkeep (docs/protocol.md#epoch-settlement). BuybackExecutor prices
// every pool on a buyback path against TwapOracle.averagePrice, which needs an observation at least a
// window old and at most maxAge old. The executor observes its pools only after its own swaps, so with
// epochs longer than maxAge (a day against 6 h) the newest observation is always the previous
// buyback's, stale: every buyback would be refused TwapOracleStale for ever. Before an epoch's
// buybacks the keeper therefore looks at each pool on their paths:
//   - a mature observation (age ≥ window) no older than maxAge: ready;
//   - the newest observation younger than the window (and no usable older one): it waits for it to mature;
//   - stale or none: it sends TwapOracle.update(pair) (journal key epoch:<k>:observe:<pair>:<newest
//     observation's time>, so a restart finds the same transaction and a pool stale again later gets a
//     new one) and waits one window.
// Waiting is not a failure: the step stops with OracleWaiting, the next poll tries again, and the
// buybacks are never sent against an oracle that would refuse them.
import {
  getObservations,
  twapOracleAbi,
  uniswapV2FactoryAbi,
  updateTwap,
  type Observation,
  type Sent,
} from "@fomo/sdk";
import { zeroAddress, type Address } from "viem";
import type { StepContext } from "./rewards.ts";
import { KeeperWaits } from "./waits.ts";

/** The buyback step waits for the pools' TWAP observations to mature: the next run goes on from `readyAt`. */
export class OracleWaiting extends KeeperWaits {
  override name = "OracleWaiting";
  /** Chain time (unix seconds) from which the buybacks can go. */
  readonly readyAt: bigint;
  constructor(readyAt: bigint, chainNow: bigint, pairs: readonly Address[]) {
    super(
      `waiting: the TWAP observations of ${pairs.join(", ")} mature at ${readyAt} (chain time ${chainNow}); ` +
        "the buybacks go on then",
    );
    this.readyAt = readyAt;
  }
}

/** What the oracle upkeep needs of a step's context. */
export type OracleContext = Pick<StepContext, "clients" | "deployments" | "log" | "journaled">;

/** A pool's TWAP as the executor will find it: usable now, usable from a time, or in need of an observation. */
export type PoolReadiness = { state: "ready" } | { state: "maturing"; readyAt: bigint } | { state: "stale" };

/**
 * TwapOracle._mature's choice, read from the pair's observations at chain time `now`: the newest
 * observation at least `window` old (else the older one), usable while at most `maxAge` old.
 */
export function poolReadiness(o: { older: Observation; newer: Observation }, now: bigint, window: bigint, maxAge: bigint): PoolReadiness {
  const age = (x: Observation) => now - BigInt(x.timestamp);
  const newerMature = o.newer.timestamp !== 0 && age(o.newer) >= window;
  const start = newerMature ? o.newer : o.older.timestamp !== 0 ? o.older : undefined;
  if (start && age(start) <= maxAge) return { state: "ready" };
  // A newer observation still inside its window becomes the start once it is a window old.
  if (o.newer.timestamp !== 0 && !newerMature) return { state: "maturing", readyAt: BigInt(o.newer.timestamp) + window };
  return { state: "stale" };
}

/** The pools a buyback of each of `mts` and of FLOCK (when `flock`) prices against: USDC/FLOCK and FLOCK/$MT. */
async function buybackPairs(ctx: OracleContext, mts: readonly Address[], flock: boolean): Promise<Address[]> {
  const { contracts: c } = ctx.deployments;
  const legs: [Address, Address][] = mts.map((mt) => [c.flock, mt]);
  if (mts.length > 0 || flock) legs.unshift([c.usdc, c.flock]);
  const pairs: Address[] = [];
  for (const [a, b] of legs) {
    const pair = await ctx.clients.public.readContract({ address: c.uniswapV2Factory, abi: uniswapV2FactoryAbi, functionName: "getPair", args: [a, b] });
    // No pool: the executor refuses that buyback itself (BuybackExecutorNoPair), nothing to observe.
    if (pair !== zeroAddress && !pairs.includes(pair)) pairs.push(pair);
  }
  return pairs;
}

/**
 * Makes the TWAP of every pool on the epoch's buyback paths usable, or throws OracleWaiting: sends
 * the observations stale pools need (at most one per pool and stale observation, journaled) and waits
 * for them, and for younger ones, to be a window old. Chain time throughout: the oracle knows no other.
 */
export async function observeBuybackPools(ctx: OracleContext, epoch: bigint, mts: readonly Address[], flock: boolean): Promise<void> {
  const { clients, deployments: d } = ctx;
  const pairs = await buybackPairs(ctx, mts, flock);
  if (pairs.length === 0) return;
  const oracle = d.contracts.twapOracle;
  const [window, maxAge] = await Promise.all(
    (["window", "maxAge"] as const).map((functionName) => clients.public.readContract({ address: oracle, abi: twapOracleAbi, functionName })),
  );
  const chainNow = async () => (await clients.public.getBlock({ blockTag: "latest" })).timestamp;
  const now = await chainNow();
  let readyAt = 0n;
  const waitingFor: Address[] = [];
  for (const pair of pairs) {
    const observations = await getObservations(clients.public, d, { pair });
    const pool = poolReadiness(observations, now, window!, maxAge!);
    if (pool.state === "ready") continue;
    waitingFor.push(pair);
    if (pool.state === "maturing") {
      readyAt = pool.readyAt > readyAt ? pool.readyAt : readyAt;
      continue;
    }
    // Keyed by the stale observation it replaces: a restart finds this transaction, a later staleness sends a new one.
    const key = `epoch:${epoch}:observe:${pair}:${observations.newer.timestamp}`;
    const sent: Sent = await ctx.journaled(key, (sender) => updateTwap(clients, d, { pair }, { sender }));
    const observedAt = (await clients.public.getBlock({ blockNumber: sent.receipt.blockNumber })).timestamp;
    ctx.log.info("keeper: TWAP observation sent for a stale pool", { epoch, pair, tx: sent.hash, gasUsed: sent.receipt.gasUsed });
    const matures = observedAt + window!;
    readyAt = matures > readyAt ? matures : readyAt;
  }
  if (waitingFor.length > 0) throw new OracleWaiting(readyAt, await chainNow(), waitingFor);
}
