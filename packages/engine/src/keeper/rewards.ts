// Step 5 of an epoch's settlement, "rewarded" (docs/protocol.md#rewards-and-publication): the pool
// releases of the epoch, then its EpochRewardsInput from the ledger (spend per account, bound wallets)
// and the read model (stakes, gmFLOCK locks, issuers, graduation times), run through the SDK's
// computeEpochRewards, checked for conservation and stored with the input file it came from, in one
// transaction: a crash before it leaves nothing of the step but its journaled releases, which the next
// run finds on chain (Released events from the step's first block) and records instead of resending.
import type { Database, Ledger } from "@fomo/ledger";
import {
  computeEpochRewards,
  cumulativeEmission,
  dailyEmission,
  getEmissionDay,
  epochWindow,
  eventsOf,
  getEmissionSchedule,
  incentivePoolAbi,
  revertOf,
  timeWeighted,
  write,
  EPOCH_INPUT_VERSION,
  type AccruedReward,
  type Clients,
  type Deployments,
  type EpochClock,
  type EpochInputDeployment,
  type EpochInputFile,
  type EpochRewards,
  type EpochUser,
  type Sender,
  type TokenAmount,
} from "@fomo/sdk";
import { getAddress, type Address, type Hex, type PublicClient } from "viem";
import type { IndexerLog } from "../indexer/indexer.ts";
import { indexerStatus } from "../indexer/indexer.ts";
import { getOffering, listGmflockLocks, listStakes, type GmflockLockRecord } from "../readmodel/index.ts";
import { baseStateOf } from "./base.ts";
import { prepareInput } from "./publish.ts";
import {
  lastReleases,
  listEpochDeployments,
  previousEpoch,
  recordRelease,
  saveRewards,
  startReleases,
  type EpochDeploymentRow,
  type EpochRow,
  type ReleaseOutcome,
} from "./store.ts";

/** A root lists at most 64 tokens (RewardsDistributor.MAX_ROOT_TOKENS): FLOCK and 63 $MTs whose pools released. */
export const MAX_RELEASES_PER_EPOCH = 63;

/** What the rewards and publish steps share with the keeper. */
export interface StepContext {
  db: Database;
  ledger: Ledger;
  clients: Clients;
  deployments: Deployments;
  clock: EpochClock;
  log: IndexerLog;
  now: () => number;
  /** Where published input files are (`<dataDir>/epochs/<k>.json`): a root this keeper did not record is rebuilt from its file. */
  dataDir?: string;
  /** Input files from this many bytes on are kept on disk only (default INPUT_IN_DATABASE_BELOW). */
  inputInDatabaseBelow?: number;
  /**
   * Runs `send` with the journal's sender for the action's key (none without a journal); a key whose
   * transaction reverted on chain is spent and the action retried under the next (Keeper.#journaled).
   */
  journaled: <T>(key: string, send: (sender: Sender | undefined) => Promise<T>) => Promise<T>;
}

/** The books of an epoch do not balance, or the emission is not the schedule's: the epoch fails, no root is posted. */
export class ConservationError extends Error {
  override name = "ConservationError";
}

/** Step 5: releases, rewards, the input file; stored with the step in one transaction. */
export async function rewardEpoch(ctx: StepContext, row: EpochRow): Promise<void> {
  const { db, deployments: d } = ctx;
  const epoch = row.epoch;
  const window = epochWindow(ctx.clock, epoch);
  const clockProblem = await clockDifference(ctx.clients.public, d, ctx.clock, epoch);
  if (clockProblem) throw new Error(clockProblem);
  await requireIndexed(ctx, window.to);
  // This keeper settles in order (epoch k after k − 1). Its root builds on the chain's root that counts
  // (base.ts): k − 1's, or the one before a vetoed root, or another keeper's. Both checked before any
  // release, so an epoch that cannot be rewarded moves nothing.
  const previous = await previousEpoch(db, epoch);
  if (previous && previous.epoch !== epoch - 1n) throw new Error(`epoch ${epoch - 1n} was never settled (the last before ${epoch} is ${previous.epoch}): rewards build on it`);
  if (previous && previous.step !== "published") throw new Error(`epoch ${previous.epoch} is not published yet (${previous.step}): rewards build on it`);
  const { base, state: before, carry: carried } = await baseStateOf(ctx, epoch, parseDust);
  const previousEmission = base?.emissionTotal ?? 0n;
  const reported = (await listEpochDeployments(db, epoch)).filter((u) => u.report_status === "reported");
  const released = await releasePools(ctx, row, reported);

  const users = await usersOf(ctx, reported, window);
  const accounts = new Set([...users.values()].flatMap((byAccount) => [...byAccount.keys()]));
  for (const a of before.accrued) accounts.add(a.account);
  const wallets = new Map([...(await ctx.ledger.wallets.firstOf([...accounts]))].map(([account, wallet]) => [account, getAddress(wallet)]));
  const stakes = await stakesOf(ctx, reported, window);
  const gm = await gmOf(ctx, window);

  const deployments: EpochInputDeployment[] = [];
  for (const u of reported) {
    const mt = getAddress(u.deployment);
    const offering = await getOffering(db, { chainId: d.chainId, mt });
    if (!offering || offering.graduatedAt === 0) throw new Error(`the read model has no graduation of ${mt}`);
    const epochUsers: EpochUser[] = [...(users.get(mt.toLowerCase()) ?? new Map<string, bigint>())].map(([account, spend]) => {
      const wallet = wallets.get(account) ?? null;
      const key = wallet?.toLowerCase();
      return {
        account, wallet, spend,
        stake: key ? (stakes.get(`${mt.toLowerCase()}/${key}`) ?? 0n) : 0n,
        gm: key ? (gm.get(key) ?? 0n) : 0n,
      };
    });
    deployments.push({
      mt, issuer: offering.creator, graduatedAt: BigInt(offering.graduatedAt),
      poolRelease: released.get(mt) ?? { flock: 0n, mt: 0n },
      users: epochUsers, gross: u.gross, hardCost: u.hard_cost, usageRoot: u.usage_root as Hex,
    });
  }

  // The carried dust of an $MT whose pool did not release this epoch stays carried: paying it out would
  // put its token in this root, past the 64 a root may list.
  const payable = new Set([d.contracts.flock.toLowerCase(), ...released.keys()].map((a) => a.toLowerCase()));
  const merged = mergeAmounts(carried);
  const carry = merged.filter((c) => payable.has(c.token.toLowerCase()));
  const withheld = merged.filter((c) => !payable.has(c.token.toLowerCase()));

  const { initialEmission } = await getEmissionSchedule(ctx.clients.public, d);
  const emission = dailyEmission(epoch, initialEmission);
  const file: EpochInputFile = {
    version: EPOCH_INPUT_VERSION, chainId: d.chainId, epoch, emissionDay: epoch, clock: ctx.clock, emission,
    flock: d.contracts.flock, carry, deployments,
    cumulative: {
      previous: base ? { epoch: base.epoch, emissionTotal: previousEmission, entries: before.entries } : null,
      accrued: before.accrued.map((a): AccruedReward => ({ ...a, wallet: wallets.get(a.account) ?? null })),
    },
  };
  const rewards = computeEpochRewards(file);
  checkConservation(file, rewards);
  const emissionTotal = previousEmission + emission;
  const cap = cumulativeEmission(epoch, initialEmission);
  if (emissionTotal > cap) throw new ConservationError(`epoch ${epoch}: cumulative emission ${emissionTotal} exceeds the schedule's ${cap}`);

  const dust = mergeAmounts([...rewards.dust, ...withheld]);
  const { body, contentHash } = await prepareInput(file, epoch, ctx.dataDir, ctx.inputInDatabaseBelow);
  await saveRewards(db, epoch, {
    allotments: rewards.allotments, dust: JSON.stringify(dust.map((t) => ({ token: t.token, amount: t.amount.toString() }))),
    emissionTotal, body, contentHash,
  }, ctx.now());
}

/**
 * Per token, Σ allotments + dust = emission (FLOCK) + carry + pool releases; the emission is E(epoch).
 * computeEpochRewards checks the same before returning: this is the keeper's and the verifier's own
 * look at the result, independent of how it was computed.
 */
export function checkConservation(file: EpochInputFile, rewards: EpochRewards): void {
  const flock = file.flock.toLowerCase();
  if (rewards.totals.emitted !== file.emission) {
    throw new ConservationError(`epoch ${file.epoch}: emitted ${rewards.totals.emitted}, the input's emission is ${file.emission}`);
  }
  const funded = new Map<string, bigint>();
  const add = (m: Map<string, bigint>, token: string, amount: bigint) => m.set(token.toLowerCase(), (m.get(token.toLowerCase()) ?? 0n) + amount);
  add(funded, flock, file.emission);
  for (const c of file.carry) add(funded, c.token, c.amount);
  for (const dep of file.deployments) {
    add(funded, flock, dep.poolRelease.flock);
    add(funded, dep.mt, dep.poolRelease.mt);
  }
  const paid = new Map<string, bigint>();
  for (const a of rewards.allotments) add(paid, a.token, a.amount);
  for (const t of rewards.dust) add(paid, t.token, t.amount);
  for (const token of new Set([...funded.keys(), ...paid.keys()])) {
    const [f, p] = [funded.get(token) ?? 0n, paid.get(token) ?? 0n];
    if (f !== p) throw new ConservationError(`epoch ${file.epoch} does not balance in ${token}: allotted + dust ${p} ≠ emission + carry + releases ${f}`);
  }
}

/**
 * Why `clock`'s epoch is not the EmissionSchedule's day of the same number (undefined when it is): an
 * epoch's emission, root epoch and window are one number only on the schedule's own clock.
 */
export async function clockDifference(client: PublicClient, d: Deployments, clock: EpochClock, epoch: bigint): Promise<string | undefined> {
  const { from, to } = epochWindow(clock, epoch);
  try {
    const [first, last] = await Promise.all([getEmissionDay(client, d, { timestamp: from }), getEmissionDay(client, d, { timestamp: to - 1n })]);
    if (first === epoch && last === epoch) return undefined;
    return `clock: epoch ${epoch} spans [${from}, ${to}), EmissionSchedule days ${first} to ${last}: epochs must be the schedule's days`;
  } catch {
    return `clock: epoch ${epoch} starts at ${from}, before the EmissionSchedule starts`;
  }
}

/**
 * The read model holds every block of the window: indexed to the head, or the first block not yet
 * indexed is at or after `to` (blocks mined since the window ended, the keeper's own among them,
 * cannot change it).
 */
async function requireIndexed(ctx: StepContext, to: bigint): Promise<void> {
  const { clients, deployments: d } = ctx;
  const head = await clients.public.getBlockNumber({ cacheTime: 0 });
  const sources = await indexerStatus(ctx.db, d.chainId, head);
  if (sources.length === 0) throw new Error("the read model is empty: run the indexer, `fomo index run` (`fomo up` runs it): stakes and gmFLOCK come from it");
  const indexedTo = sources.reduce((min, s) => (s.indexedTo < min ? s.indexedTo : min), sources[0]!.indexedTo);
  if (indexedTo >= head) return;
  const { timestamp } = await clients.public.getBlock({ blockNumber: indexedTo + 1n });
  if (timestamp < to) {
    throw new Error(
      `the read model is indexed up to block ${indexedTo}; block ${indexedTo + 1n} (time ${timestamp}) is inside the epoch, which ends at ${to}: wait for the indexer (\`fomo index run\`; \`fomo up\` runs it)`,
    );
  }
}

/**
 * IncentivePool.release of at most MAX_RELEASES_PER_EPOCH reported $MTs, those released least
 * recently first (round-robin), each once: one found on chain since the step started is recorded, not
 * repeated. Returns what each released, by checksummed $MT.
 */
async function releasePools(ctx: StepContext, row: EpochRow, reported: readonly EpochDeploymentRow[]): Promise<Map<Address, { flock: bigint; mt: bigint }>> {
  const { db, clients } = ctx;
  const epoch = row.epoch;
  const fromBlock = row.release_from_block ?? (await startReleases(db, epoch, (await clients.public.getBlockNumber({ cacheTime: 0 })) + 1n));
  const chosen = chooseReleases(reported.map((u) => u.deployment), await lastReleases(db, epoch));
  for (const u of reported) {
    if (u.release_status !== null) continue;
    const outcome: ReleaseOutcome = chosen.has(u.deployment)
      ? await releaseOne(ctx, epoch, getAddress(u.deployment), fromBlock)
      : { status: "skipped", note: `round-robin: at most ${MAX_RELEASES_PER_EPOCH} pools release per epoch` };
    await recordRelease(db, epoch, u.deployment, outcome);
  }
  const released = new Map<Address, { flock: bigint; mt: bigint }>();
  for (const u of await listEpochDeployments(db, epoch)) {
    if (u.release_status === "released") released.set(getAddress(u.deployment), { flock: BigInt(u.release_flock!), mt: BigInt(u.release_mt!) });
  }
  return released;
}

/**
 * The round-robin: at most `max` of `candidates`, those never released first, then those released
 * longest ago, ties by address; so every pool releases at least once every ⌈n / max⌉ epochs it is used.
 */
export function chooseReleases(candidates: readonly string[], lastReleased: ReadonlyMap<string, bigint>, max = MAX_RELEASES_PER_EPOCH): Set<string> {
  const last = (c: string) => lastReleased.get(c) ?? -1n;
  const ordered = [...candidates].sort((a, b) => (last(a) < last(b) ? -1 : last(a) > last(b) ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return new Set(ordered.slice(0, max));
}

async function releaseOne(ctx: StepContext, epoch: bigint, mt: Address, fromBlock: bigint): Promise<ReleaseOutcome> {
  const { clients, deployments: d } = ctx;
  const pool = d.contracts.incentivePool;
  // Released since the step started: by a run that crashed before recording it, or by anyone (release is
  // permissionless, and what it moved is in the distributor all the same).
  // Nothing is mined from fromBlock on yet: no query (anvil refuses a range that starts past the head).
  const mined = fromBlock <= (await clients.public.getBlockNumber({ cacheTime: 0 }));
  const [done] = mined ? await clients.public.getContractEvents({ address: pool, abi: incentivePoolAbi, eventName: "Released", args: { mt }, fromBlock }) : [];
  if (done) return { status: "released", note: "found on chain", mt: done.args.mtAmount!, flock: done.args.flockAmount!, tx: done.transactionHash };
  try {
    const sent = await ctx.journaled(`epoch:${epoch}:release:${mt}`, (sender) => write(clients, pool, incentivePoolAbi, "release", [mt], { sender }));
    const [ev] = eventsOf(incentivePoolAbi, pool, sent.receipt.logs, "Released");
    if (!ev) throw new Error(`IncentivePool.release(${mt}) emitted no Released event (tx ${sent.hash})`);
    return { status: "released", mt: ev.mtAmount, flock: ev.flockAmount, tx: sent.hash };
  } catch (error) {
    if (revertOf(error)?.errorName !== "IncentivePoolUnknownStream") throw error;
    return { status: "skipped", note: "no incentive stream for this $MT" };
  }
}

/** Σ price charged per account on each reported $MT in the window, by lower-case $MT; accounts that paid nothing are left out. */
async function usersOf(ctx: StepContext, reported: readonly EpochDeploymentRow[], window: { from: bigint; to: bigint }) {
  const wanted = new Set(reported.map((u) => u.deployment.toLowerCase()));
  const users = new Map<string, Map<string, bigint>>();
  for (const r of await ctx.ledger.usage.spendByAccount({ fromMs: Number(window.from * 1_000n), toMs: Number(window.to * 1_000n) })) {
    const mt = r.deployment.toLowerCase();
    if (!wanted.has(mt) || r.spend === 0n) continue;
    let byAccount = users.get(mt);
    if (!byAccount) users.set(mt, (byAccount = new Map()));
    byAccount.set(r.accountId, (byAccount.get(r.accountId) ?? 0n) + r.spend);
  }
  return users;
}

/** Time-weighted stake (stake·seconds over the window) by `<mt>/<staker>`, lower case, from MtStaking's checkpoints. */
async function stakesOf(ctx: StepContext, reported: readonly EpochDeploymentRow[], window: { from: bigint; to: bigint }) {
  const stakes = new Map<string, bigint>();
  for (const u of reported) {
    for (const p of await listStakes(ctx.db, { chainId: ctx.deployments.chainId, mt: getAddress(u.deployment) })) {
      stakes.set(`${p.mt.toLowerCase()}/${p.account.toLowerCase()}`, timeWeighted(p.checkpoints, window.from, window.to).stakeSeconds);
    }
  }
  return stakes;
}

async function gmOf(ctx: StepContext, window: { from: bigint; to: bigint }) {
  return gmAverages(await listGmflockLocks(ctx.db, { chainId: ctx.deployments.chainId }), window);
}

/**
 * gmFLOCK averaged over the window by lower-case owner: Σ gm · seconds each lock held it within the
 * window (from its lock's block to its unlock's, or on), / the window's length, rounded down.
 */
export function gmAverages(
  locks: readonly Pick<GmflockLockRecord, "owner" | "gm" | "timestamp" | "unlockedAt">[],
  window: { from: bigint; to: bigint },
): Map<string, bigint> {
  const seconds = new Map<string, bigint>();
  for (const lock of locks) {
    const from = lock.timestamp > window.from ? lock.timestamp : window.from;
    const end = lock.unlockedAt ?? window.to;
    const to = end < window.to ? end : window.to;
    if (to <= from) continue;
    const owner = lock.owner.toLowerCase();
    seconds.set(owner, (seconds.get(owner) ?? 0n) + lock.gm * (to - from));
  }
  const length = window.to - window.from;
  return new Map([...seconds].map(([owner, s]) => [owner, s / length]));
}

export function parseDust(json: string): TokenAmount[] {
  return (JSON.parse(json) as { token: Address; amount: string }[]).map((t) => ({ token: t.token, amount: BigInt(t.amount) }));
}

/** Amounts summed per token (lower case), tokens ascending, zeros left out. */
function mergeAmounts(amounts: readonly TokenAmount[]): TokenAmount[] {
  const by = new Map<string, bigint>();
  for (const a of amounts) by.set(a.token.toLowerCase(), (by.get(a.token.toLowerCase()) ?? 0n) + a.amount);
  return [...by].filter(([, amount]) => amount > 0n).sort(([a], [b]) => (a < b ? -1 : 1)).map(([token, amount]) => ({ token: token as Address, amount }));
}
