// The keeper's SQL, all of it: keeper_epochs (each epoch's last completed step) and
// keeper_epoch_deployments (the frozen aggregate, the report and the buyback per deployment), on the
// ledger's database (migration 0008_keeper_epochs). A step's writes are guarded by the step they
// start from, so a step that already passed is never written twice.
import type { KeeperBuybackStatus, KeeperEpochDeploymentsTable, KeeperEpochsTable, KeeperStep, Schema } from "@fomo/ledger";
import type { Kysely, Selectable } from "kysely";

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
export async function startBuybacks(db: Db, epoch: bigint, block: bigint): Promise<bigint> {
  await db.updateTable("keeper_epochs").set({ buyback_from_block: block }).where("epoch", "=", epoch).where("buyback_from_block", "is", null).execute();
  const row = await db.selectFrom("keeper_epochs").select("buyback_from_block").where("epoch", "=", epoch).executeTakeFirstOrThrow();
  return row.buyback_from_block!;
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
