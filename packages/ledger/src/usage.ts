// Settled usage records: one per request, read back by request id or by an epoch's window (the
// receipts the keeper commits for an epoch), and signed once with their usage receipt.
import { epochWindowMs, UTC_DAYS } from "@fomo/sdk";
import { sql } from "kysely";
import type { UsageSource } from "./db/schema.ts";
import { Repository } from "./context.ts";
import { InvalidArgument } from "./errors.ts";
import { toUsageRecord } from "./rows.ts";

/** What a settled request was charged, and for what: the row its usage receipt signs. */
export interface UsageRecord {
  requestId: string;
  accountId: string;
  keyId: string;
  modelId: string;
  deployment: string;
  inputTokens: bigint;
  outputTokens: bigint;
  listPrice: bigint;
  discountBps: number;
  priceCharged: bigint;
  hardCost: bigint;
  source: UsageSource;
  finishReason: string | null;
  latencyMs: number | null;
  createdAt: number;
  receiptSignature: string | null;
}

function checkWindow(fromMs: number, toMs: number): void {
  if (!Number.isSafeInteger(fromMs) || !Number.isSafeInteger(toMs) || fromMs < 0 || toMs < fromMs) {
    throw new InvalidArgument("a usage window is two non-negative integer times in ms, from <= to");
  }
}

/** What one account paid on one deployment in a window. */
export interface AccountSpend {
  /** As the records spell it (an $MT address in any case, or a base model's deployment name). */
  deployment: string;
  accountId: string;
  /** Σ price_charged, micro-USD. */
  spend: bigint;
}

/** What one account used of one model on one UTC day. */
export interface DailyUsage {
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  modelId: string;
  requests: number;
  inputTokens: bigint;
  outputTokens: bigint;
  /** Σ price charged, micro-USD. */
  charged: bigint;
}

const DAY_MS = 86_400_000;

export class UsageRecords extends Repository {
  async get(requestId: string): Promise<UsageRecord | undefined> {
    const row = await this.ctx.db
      .selectFrom("usage_records")
      .selectAll()
      .where("request_id", "=", requestId)
      .executeTakeFirst();
    return row && toUsageRecord(row);
  }

  /** Attach the signed usage receipt to a record, once. */
  async setReceiptSignature(requestId: string, signature: string): Promise<boolean> {
    const result = await this.ctx.db
      .updateTable("usage_records")
      .set({ receipt_signature: signature })
      .where("request_id", "=", requestId)
      .where("receipt_signature", "is", null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * The usage records settled in [fromMs, toMs) (their created_at), optionally of one deployment:
   * the receipts the keeper commits for an epoch (the SDK's epochWindow, in ms). Ordered by time, then id.
   */
  async listWindow({ fromMs, toMs, deployment }: { fromMs: number; toMs: number; deployment?: string }): Promise<UsageRecord[]> {
    checkWindow(fromMs, toMs);
    const rows = await this.ctx.db
      .selectFrom("usage_records")
      .selectAll()
      .$if(deployment !== undefined, (q) => q.where("deployment", "=", deployment!))
      .where("created_at", ">=", BigInt(fromMs))
      .where("created_at", "<", BigInt(toMs))
      .orderBy("created_at")
      .orderBy("request_id")
      .execute();
    return rows.map(toUsageRecord);
  }

  /**
   * listWindow a page at a time (keyset pagination on created_at, request_id): an epoch of millions
   * of records is read without holding them all.
   */
  async *scanWindow({ fromMs, toMs }: { fromMs: number; toMs: number }, pageSize = 10_000): AsyncGenerator<UsageRecord[]> {
    if (!Number.isSafeInteger(fromMs) || !Number.isSafeInteger(toMs) || fromMs < 0 || toMs < fromMs) {
      throw new InvalidArgument("a usage window is two non-negative integer times in ms, from <= to");
    }
    let after: { at: bigint; id: string } | undefined;
    for (;;) {
      const rows = await this.ctx.db
        .selectFrom("usage_records")
        .selectAll()
        // The page starts at the last one's time, not the window's, so the index's range skips the pages
        // already read (a constant lower bound made each page rescan them all); the tie-break is on request_id.
        .where("created_at", ">=", after?.at ?? BigInt(fromMs))
        .where("created_at", "<", BigInt(toMs))
        .$if(after !== undefined, (q) =>
          q.where((eb) =>
            eb.or([eb("created_at", ">", after!.at), eb.and([eb("created_at", "=", after!.at), eb("request_id", ">", after!.id)])]),
          ),
        )
        .orderBy("created_at")
        .orderBy("request_id")
        .limit(pageSize)
        .execute();
      if (rows.length === 0) return;
      const last = rows[rows.length - 1]!;
      after = { at: BigInt(last.created_at), id: last.request_id };
      yield rows.map(toUsageRecord);
      if (rows.length < pageSize) return;
    }
  }

  /**
   * Σ price charged per (deployment, account) over the records settled in [fromMs, toMs): the
   * rewards' spend, summed by the database (integers: exact) without reading the records out.
   */
  async spendByAccount({ fromMs, toMs }: { fromMs: number; toMs: number }): Promise<AccountSpend[]> {
    checkWindow(fromMs, toMs);
    const rows = await this.ctx.db
      .selectFrom("usage_records")
      .select(["deployment", "account_id"])
      .select((eb) => eb.fn.sum<string | number | bigint>("price_charged").as("spend"))
      .where("created_at", ">=", BigInt(fromMs))
      .where("created_at", "<", BigInt(toMs))
      .groupBy(["deployment", "account_id"])
      .execute();
    return rows.map((r) => ({ deployment: r.deployment, accountId: r.account_id, spend: BigInt(r.spend) }));
  }

  /**
   * An account's usage settled in [fromMs, toMs), summed per UTC day and model (by the database:
   * integer sums, exact), optionally of one model; oldest day first.
   */
  async dailyByModel({ accountId, fromMs, toMs, modelId }: { accountId: string; fromMs: number; toMs: number; modelId?: string }): Promise<DailyUsage[]> {
    checkWindow(fromMs, toMs);
    // created_at is an integer of ms on both databases: integer division gives the UTC day number.
    const dayOf = sql<string | number | bigint>`created_at / ${sql.lit(DAY_MS)}`;
    const rows = await this.ctx.db
      .selectFrom("usage_records")
      .select([dayOf.as("day"), "model_id"])
      .select((eb) => [
        eb.fn.countAll<string | number | bigint>().as("requests"),
        eb.fn.sum<string | number | bigint>("input_tokens").as("input_tokens"),
        eb.fn.sum<string | number | bigint>("output_tokens").as("output_tokens"),
        eb.fn.sum<string | number | bigint>("price_charged").as("charged"),
      ])
      .where("account_id", "=", accountId)
      .where("created_at", ">=", BigInt(fromMs))
      .where("created_at", "<", BigInt(toMs))
      .$if(modelId !== undefined, (q) => q.where("model_id", "=", modelId!))
      .groupBy([dayOf, "model_id"])
      .orderBy(dayOf)
      .orderBy("model_id")
      .execute();
    return rows.map((r) => ({
      day: new Date(Number(r.day) * DAY_MS).toISOString().slice(0, 10),
      modelId: r.model_id,
      requests: Number(r.requests),
      inputTokens: BigInt(r.input_tokens),
      outputTokens: BigInt(r.output_tokens),
      charged: BigInt(r.charged),
    }));
  }

  /** The usage records of a UTC day (`epoch` = day number): listWindow over that day. */
  async listEpoch(epoch: number, deployment?: string): Promise<UsageRecord[]> {
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new InvalidArgument("epoch must be a non-negative integer (UTC day number)");
    return this.listWindow({ ...epochWindowMs(UTC_DAYS, BigInt(epoch)), deployment });
  }
}
