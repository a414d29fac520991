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

/** Which of an account's usage records: optionally one key, one model, a window [fromMs, toMs). */
export interface AccountUsageFilter {
  accountId: string;
  keyId?: string;
  modelId?: string;
  fromMs?: number;
  toMs?: number;
}

/** Where a page of newest-first records ends: the next page starts strictly before it. */
export interface UsagePosition {
  createdAt: number;
  requestId: string;
}

/** One UTC day of an account's usage on one key and model: exact integer sums. */
export interface DailyUsage {
  /** Epoch ms of the UTC day's start. */
  day: number;
  keyId: string;
  modelId: string;
  requests: number;
  inputTokens: bigint;
  outputTokens: bigint;
  /** Σ list price and Σ price charged, micro-USD. */
  listPrice: bigint;
  priceCharged: bigint;
}

const DAY_MS = 86_400_000;

export class UsageRecords extends Repository {
  /**
   * An account's usage records, newest first, `limit` at a time: keyset pagination on
   * (created_at, request_id) over the usage_by_account index, so a deep page costs what the first does.
   */
  async listAccount(filter: AccountUsageFilter & { before?: UsagePosition; limit: number }): Promise<UsageRecord[]> {
    if (!Number.isSafeInteger(filter.limit) || filter.limit <= 0) throw new InvalidArgument("limit must be a positive integer");
    const before = filter.before;
    const rows = await this.#accountRecords(filter)
      .selectAll()
      .$if(before !== undefined, (q) =>
        q.where((eb) =>
          eb.or([
            eb("created_at", "<", BigInt(before!.createdAt)),
            eb.and([eb("created_at", "=", BigInt(before!.createdAt)), eb("request_id", "<", before!.requestId)]),
          ]),
        ),
      )
      .orderBy("created_at", "desc")
      .orderBy("request_id", "desc")
      .limit(filter.limit)
      .execute();
    return rows.map(toUsageRecord);
  }

  /** An account's usage per UTC day, key and model, summed by the database (integers: exact); oldest day first. */
  async dailyAccount(filter: AccountUsageFilter): Promise<DailyUsage[]> {
    const day = sql<bigint>`(created_at / ${sql.lit(DAY_MS)})`;
    const rows = await this.#accountRecords(filter)
      .select([day.as("day"), "key_id", "model_id"])
      .select((eb) => [
        eb.fn.countAll<string | number | bigint>().as("requests"),
        eb.fn.sum<string | number | bigint>("input_tokens").as("input_tokens"),
        eb.fn.sum<string | number | bigint>("output_tokens").as("output_tokens"),
        eb.fn.sum<string | number | bigint>("list_price").as("list_price"),
        eb.fn.sum<string | number | bigint>("price_charged").as("price_charged"),
      ])
      .groupBy([day, "key_id", "model_id"])
      .orderBy(day)
      .orderBy("key_id")
      .orderBy("model_id")
      .execute();
    return rows.map((r) => ({
      day: Number(r.day) * DAY_MS,
      keyId: r.key_id,
      modelId: r.model_id,
      requests: Number(r.requests),
      inputTokens: BigInt(r.input_tokens),
      outputTokens: BigInt(r.output_tokens),
      listPrice: BigInt(r.list_price),
      priceCharged: BigInt(r.price_charged),
    }));
  }

  #accountRecords({ accountId, keyId, modelId, fromMs, toMs }: AccountUsageFilter) {
    if (fromMs !== undefined || toMs !== undefined) checkWindow(fromMs ?? 0, toMs ?? Number.MAX_SAFE_INTEGER);
    return this.ctx.db
      .selectFrom("usage_records")
      .where("account_id", "=", accountId)
      .$if(keyId !== undefined, (q) => q.where("key_id", "=", keyId!))
      .$if(modelId !== undefined, (q) => q.where("model_id", "=", modelId!))
      .$if(fromMs !== undefined, (q) => q.where("created_at", ">=", BigInt(fromMs!)))
      .$if(toMs !== undefined, (q) => q.where("created_at", "<", BigInt(toMs!)));
  }

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

  /** The usage records of a UTC day (`epoch` = day number): listWindow over that day. */
  async listEpoch(epoch: number, deployment?: string): Promise<UsageRecord[]> {
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new InvalidArgument("epoch must be a non-negative integer (UTC day number)");
    return this.listWindow({ ...epochWindowMs(UTC_DAYS, BigInt(epoch)), deployment });
  }
}
