// The keeper's SQL, all of it: keeper_epochs (each epoch's last completed step) and
// keeper_epoch_deployments (the frozen aggregate, the report, the buyback and the pool release per
// deployment), keeper_rewards and keeper_inputs (the rewards step's allotments and input file), on the
// ledger's database (migrations 0008_keeper_epochs, 0009_keeper_rewards). A step's writes are guarded by the step they
// start from, so a step that already passed is never written twice.
import type { KeeperBuybackStatus, KeeperEpochDeploymentsTable, KeeperEpochsTable, KeeperInputsTable, KeeperStep, Schema } from "@fomo/ledger";
import type { RewardAllotment } from "@fomo/sdk";
import type { Kysely, Selectable } from "kysely";
import type { Address } from "viem";

type Db = Kysely<Schema>;

/** Rows per INSERT: well under either database's bound-parameter limit. */
const INSERT_CHUNK = 500;

export type EpochRow = Selectable<KeeperEpochsTable>;
export type EpochDeploymentRow = Selectable<KeeperEpochDeploymentsTable>;

/** When each step completed: the column a step's transition stamps. */
const STEP_AT = {
  closed: "closed_at",
  aggregated: "aggregated_at",
  reported: "reported_at",
  bought_back: "bought_back_at",
  rewarded: "rewarded_at",
  published: "published_at",
} as const satisfies Record<KeeperStep, keyof KeeperEpochsTable>;

export function getEpoch(db: Db, epoch: bigint): Promise<EpochRow | undefined> {
  return db.selectFrom("keeper_epochs").selectAll().where("epoch", "=", epoch).executeTakeFirst();
}

export function listEpochs(db: Db): Promise<EpochRow[]> {
  return db.selectFrom("keeper_epochs").selectAll().orderBy("epoch").execute();
}

export function listEpochDeployments(db: Db, epoch: bigint): Promise<EpochDeploymentRow[]> {
  return db.selectFrom("keeper_epoch_deployments").selectAll().where("epoch", "=", epoch).orderBy("deployment").execute();
}

/** One deployment's rows over every epoch it was settled in (its address in any case), oldest first. */
export function listDeploymentEpochs(db: Db, deployment: string): Promise<EpochDeploymentRow[]> {
  return db
    .selectFrom("keeper_epoch_deployments")
    .selectAll()
    .where((eb) => eb(eb.fn("lower", ["deployment"]), "=", deployment.toLowerCase()))
    .orderBy("epoch")
    .execute();
}

/** The first step: the epoch's window is final. A second close of the same epoch changes nothing. */
export async function insertClosed(db: Db, epoch: bigint, window: { fromMs: number; toMs: number }, at: number): Promise<void> {
  await db
    .insertInto("keeper_epochs")
    .values({ epoch, step: "closed", window_from: BigInt(window.fromMs), window_to: BigInt(window.toMs), closed_at: BigInt(at) })
    .onConflict((oc) => oc.column("epoch").doNothing())
    .execute();
}

/** Moves `epoch` from step `from` to `to` and clears its error; false if it was not at `from` (already moved). */
export async function advance(db: Db, epoch: bigint, from: KeeperStep, to: KeeperStep, at: number): Promise<boolean> {
  const result = await db
    .updateTable("keeper_epochs")
    .set({ step: to, [STEP_AT[to]]: BigInt(at), error: null, error_at: null })
    .where("epoch", "=", epoch)
    .where("step", "=", from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Why the epoch's next step failed (it stays at its last completed step). */
export async function recordError(db: Db, epoch: bigint, error: string, at: number): Promise<void> {
  await db.updateTable("keeper_epochs").set({ error, error_at: BigInt(at) }).where("epoch", "=", epoch).execute();
}

export type NewEpochDeployment = Pick<
  KeeperEpochDeploymentsTable,
  "deployment" | "records" | "gross" | "hard_cost" | "usage_root" | "report_status" | "report_note"
>;

/** The aggregate, frozen: the deployments' rows and the step, in one transaction (or nothing if already aggregated). */
export async function saveAggregate(db: Db, epoch: bigint, rows: readonly NewEpochDeployment[], at: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const moved = await advance(trx, epoch, "closed", "aggregated", at);
    if (!moved) return false;
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      await trx.insertInto("keeper_epoch_deployments").values(chunk.map((r) => ({ ...r, epoch, net: r.gross - r.hard_cost }))).execute();
    }
    return true;
  });
}

/** What became of a deployment's report: sent (or found on chain), or skipped with the reason. */
export interface ReportOutcome {
  status: "reported" | "skipped";
  note?: string;
  gross?: bigint;
  hardCost?: bigint;
  tx?: string;
}

export async function recordReport(db: Db, epoch: bigint, deployment: string, outcome: ReportOutcome, at: number): Promise<void> {
  await db
    .updateTable("keeper_epoch_deployments")
    .set({
      report_status: outcome.status,
      report_note: outcome.note ?? null,
      report_gross: outcome.gross?.toString() ?? null,
      report_hard_cost: outcome.hardCost?.toString() ?? null,
      report_tx: outcome.tx ?? null,
      reported_at: BigInt(at),
    })
    .where("epoch", "=", epoch)
    .where("deployment", "=", deployment)
    .where("report_status", "=", "pending")
    .execute();
}

/** What became of a buyback: it ran (spent, burned, tx), or was refused or not due (note). */
export interface BuybackOutcome {
  status: KeeperBuybackStatus;
  note?: string;
  spent?: bigint;
  burned?: bigint;
  tx?: string;
}

/** The first block the buyback step's executions can be in, set once: a restarted step looks for them from there. */
export function startBuybacks(db: Db, epoch: bigint, block: bigint): Promise<bigint> {
  return setFromBlockOnce(db, epoch, "buyback_from_block", block);
}

/** Sets `column` to `block` unless it is set; returns the value it holds. */
async function setFromBlockOnce(db: Db, epoch: bigint, column: "buyback_from_block" | "release_from_block", block: bigint): Promise<bigint> {
  await db.updateTable("keeper_epochs").set({ [column]: block }).where("epoch", "=", epoch).where(column, "is", null).execute();
  const row = await db.selectFrom("keeper_epochs").select(column).where("epoch", "=", epoch).executeTakeFirstOrThrow();
  return (row as Record<typeof column, bigint | null>)[column]!;
}

export async function recordMtBuyback(db: Db, epoch: bigint, deployment: string, outcome: BuybackOutcome, at: number): Promise<void> {
  await db
    .updateTable("keeper_epoch_deployments")
    .set({
      buyback_status: outcome.status,
      buyback_note: outcome.note ?? null,
      buyback_spent: outcome.spent?.toString() ?? null,
      buyback_burned: outcome.burned?.toString() ?? null,
      buyback_tx: outcome.tx ?? null,
      bought_back_at: BigInt(at),
    })
    .where("epoch", "=", epoch)
    .where("deployment", "=", deployment)
    .where("buyback_status", "is", null)
    .execute();
}

export async function recordFlockBuyback(db: Db, epoch: bigint, outcome: BuybackOutcome): Promise<void> {
  await db
    .updateTable("keeper_epochs")
    .set({
      flock_buyback_status: outcome.status,
      flock_buyback_note: outcome.note ?? null,
      flock_buyback_spent: outcome.spent?.toString() ?? null,
      flock_buyback_burned: outcome.burned?.toString() ?? null,
      flock_buyback_tx: outcome.tx ?? null,
    })
    .where("epoch", "=", epoch)
    .where("flock_buyback_status", "is", null)
    .execute();
}

/** What became of a pool's release: sent (or found on chain) with the Released amounts, or skipped (note). */
export interface ReleaseOutcome {
  status: "released" | "skipped";
  note?: string;
  mt?: bigint;
  flock?: bigint;
  tx?: string;
}

/** The first block the rewards step's releases can be in, set once: a restarted step looks for them from there. */
export function startReleases(db: Db, epoch: bigint, block: bigint): Promise<bigint> {
  return setFromBlockOnce(db, epoch, "release_from_block", block);
}

export async function recordRelease(db: Db, epoch: bigint, deployment: string, outcome: ReleaseOutcome): Promise<void> {
  await db
    .updateTable("keeper_epoch_deployments")
    .set({
      release_status: outcome.status,
      release_note: outcome.note ?? null,
      release_mt: outcome.mt?.toString() ?? null,
      release_flock: outcome.flock?.toString() ?? null,
      release_tx: outcome.tx ?? null,
    })
    .where("epoch", "=", epoch)
    .where("deployment", "=", deployment)
    .where("release_status", "is", null)
    .execute();
}

/** The last epoch before `epoch` each deployment's pool released in (the round-robin's order). */
export async function lastReleases(db: Db, epoch: bigint): Promise<Map<string, bigint>> {
  const rows = await db
    .selectFrom("keeper_epoch_deployments")
    .select("deployment")
    .select((eb) => eb.fn.max("epoch").as("last"))
    .where("release_status", "=", "released")
    .where("epoch", "<", epoch)
    .groupBy("deployment")
    .execute();
  return new Map(rows.map((r) => [r.deployment, BigInt(r.last)]));
}

/** The rewards step's results, with the step, in one transaction (or nothing if already rewarded). */
export async function saveRewards(
  db: Db,
  epoch: bigint,
  r: { allotments: readonly RewardAllotment[]; dust: string; emissionTotal: bigint; body: string; contentHash: string },
  at: number,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const moved = await advance(trx, epoch, "bought_back", "rewarded", at);
    if (!moved) return false;
    const rows = r.allotments.map((a) => ({ epoch, account: a.account, token: a.token.toLowerCase(), wallet: a.wallet?.toLowerCase() ?? null, amount: a.amount.toString() }));
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await trx.insertInto("keeper_rewards").values(rows.slice(i, i + INSERT_CHUNK)).execute();
    await trx.insertInto("keeper_inputs").values({ epoch, content_hash: r.contentHash, body: r.body, created_at: BigInt(at) }).execute();
    await trx
      .updateTable("keeper_epochs")
      .set({ dust: r.dust, emission_total: r.emissionTotal.toString(), input_hash: r.contentHash })
      .where("epoch", "=", epoch)
      .execute();
    return true;
  });
}

/**
 * Back from rewarded to bought_back, its allotments and input file dropped (the releases stay recorded):
 * the root they were built on no longer counts on chain, so the step runs again on the one that does.
 */
export async function undoRewards(db: Db, epoch: bigint, at: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await advance(trx, epoch, "rewarded", "bought_back", at))) return false;
    await trx.deleteFrom("keeper_rewards").where("epoch", "=", epoch).execute();
    await trx.deleteFrom("keeper_inputs").where("epoch", "=", epoch).execute();
    await trx.updateTable("keeper_epochs").set({ dust: null, emission_total: null, input_hash: null, rewarded_at: null }).where("epoch", "=", epoch).execute();
    return true;
  });
}

/** An epoch's allotments, by account then token (code-point order: a database's collation may differ). */
export async function listRewards(db: Db, epoch: bigint): Promise<RewardAllotment[]> {
  const rows = await db.selectFrom("keeper_rewards").selectAll().where("epoch", "=", epoch).execute();
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows
    .map((r) => ({ account: r.account, wallet: r.wallet as Address | null, token: r.token as Address, amount: BigInt(r.amount) }))
    .sort((a, b) => order(a.account, b.account) || order(a.token, b.token));
}

export function getInput(db: Db, epoch: bigint): Promise<Selectable<KeeperInputsTable> | undefined> {
  return db.selectFrom("keeper_inputs").selectAll().where("epoch", "=", epoch).executeTakeFirst();
}

/** The root is on chain: the last step. */
export async function recordPublished(db: Db, epoch: bigint, root: { root: string; tx: string | undefined }, at: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await advance(trx, epoch, "rewarded", "published", at))) return;
    await trx.updateTable("keeper_epochs").set({ rewards_root: root.root, root_tx: root.tx ?? null }).where("epoch", "=", epoch).execute();
  });
}

/**
 * Marks a quiet epoch (docs/protocol.md#quiet-epochs): no usage in its window, so nothing to report, buy
 * back, release or post. Stored as its FLOCK buyback's note (the row's one free-text outcome column).
 */
export const QUIET_NOTE = "quiet: no usage in its window; nothing reported, bought back, released or posted (the next epoch with usage takes what carries)";

export function isQuiet(row: Pick<EpochRow, "flock_buyback_note">): boolean {
  return row.flock_buyback_note === QUIET_NOTE;
}

/**
 * Quiet epochs recorded in one transaction, each at `step` (the keeper's last) with every step's time
 * `at`: no aggregate rows, no input file, no root. An epoch already recorded is left as it is.
 */
export async function recordQuiet(db: Db, epochs: readonly { epoch: bigint; window: { fromMs: number; toMs: number } }[], step: KeeperStep, at: number): Promise<void> {
  const steps = Object.keys(STEP_AT) as KeeperStep[];
  const stamps = Object.fromEntries(steps.slice(0, steps.indexOf(step) + 1).map((s) => [STEP_AT[s], BigInt(at)]));
  const rows = epochs.map(({ epoch, window }) => ({
    epoch, step, window_from: BigInt(window.fromMs), window_to: BigInt(window.toMs), closed_at: BigInt(at), ...stamps,
    flock_buyback_status: "skipped" as const, flock_buyback_note: QUIET_NOTE,
  }));
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await trx.insertInto("keeper_epochs").values(rows.slice(i, i + INSERT_CHUNK)).onConflict((oc) => oc.column("epoch").doNothing()).execute();
    }
  });
}

/** The newest recorded epoch before `epoch`. */
export function previousEpoch(db: Db, epoch: bigint): Promise<EpochRow | undefined> {
  return db.selectFrom("keeper_epochs").selectAll().where("epoch", "<", epoch).orderBy("epoch", "desc").limit(1).executeTakeFirst();
}

/** The oldest recorded epoch at none of `settled` (not settled yet), else the newest recorded one; undefined when none is. */
export async function resumeAt(db: Db, settled: readonly KeeperStep[]): Promise<{ open?: bigint; last?: bigint }> {
  const open = await db.selectFrom("keeper_epochs").select("epoch").where("step", "not in", settled).orderBy("epoch").limit(1).executeTakeFirst();
  if (open) return { open: BigInt(open.epoch) };
  const last = await db.selectFrom("keeper_epochs").select("epoch").orderBy("epoch", "desc").limit(1).executeTakeFirst();
  return { last: last ? BigInt(last.epoch) : undefined };
}

/** Epochs in (after, before) whose roots were recorded (a veto may have dropped them), and their released pools. */
export async function epochsBetween(db: Db, after: bigint, before: bigint): Promise<{ rooted: EpochRow[]; releases: EpochDeploymentRow[] }> {
  const rooted = await db.selectFrom("keeper_epochs").selectAll().where("epoch", ">", after).where("epoch", "<", before).where("rewards_root", "is not", null).orderBy("epoch").execute();
  const releases = await db
    .selectFrom("keeper_epoch_deployments").selectAll()
    .where("epoch", ">", after).where("epoch", "<", before).where("release_status", "=", "released")
    .orderBy("epoch").orderBy("deployment").execute();
  return { rooted, releases };
}
