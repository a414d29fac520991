// The queries every request runs (authenticate, reserve, checkpoint, settle, release), prepared once
// (db/prepared.ts). Less frequent ledger operations build theirs on the fly.
import type { Kysely } from "kysely";
import { prepare, placeholderRow } from "./db/prepared.ts";
import type { AccountRow, ApiKeyRow, CreditEntryRow, HoldRow, Schema, UsageRecordRow } from "./db/schema.ts";

const HOLD_COLUMNS: Record<keyof HoldRow, true> = {
  request_id: true,
  account_id: true,
  key_id: true,
  instance_id: true,
  amount: true,
  model_id: true,
  deployment: true,
  input_price: true,
  output_price: true,
  input_min_price: true,
  output_min_price: true,
  input_cost: true,
  output_cost: true,
  discount_bps: true,
  checkpoint_input_tokens: true,
  checkpoint_output_tokens: true,
  checkpointed_at: true,
  created_at: true,
};

const USAGE_COLUMNS: Record<keyof UsageRecordRow, true> = {
  request_id: true,
  account_id: true,
  key_id: true,
  model_id: true,
  deployment: true,
  input_tokens: true,
  output_tokens: true,
  list_price: true,
  discount_bps: true,
  price_charged: true,
  hard_cost: true,
  usage_source: true,
  finish_reason: true,
  latency_ms: true,
  created_at: true,
  receipt_signature: true,
};

export type NewCreditEntry = Omit<CreditEntryRow, "id">;

const CREDIT_ENTRY_COLUMNS: Record<keyof NewCreditEntry, true> = {
  account_id: true,
  kind: true,
  amount: true,
  balance_after: true,
  ref: true,
  memo: true,
  created_at: true,
};

/** A key with its account's balance and holds. */
export type KeyAndAccount = ApiKeyRow & { account_balance: bigint; account_held: bigint; account_locked_reason: string | null };

const keysWithAccounts = (db: Kysely<Schema>) =>
  db
    .selectFrom("api_keys")
    .innerJoin("accounts", "accounts.id", "api_keys.account_id")
    .selectAll("api_keys")
    .select(["accounts.balance as account_balance", "accounts.held as account_held", "accounts.locked_reason as account_locked_reason"]);

/** The key of a hash, with its account's balance and holds (the API's early 402, one query). */
export const keyByHash = prepare<Schema, { hash: string }, KeyAndAccount>((db, p) => keysWithAccounts(db).where("api_keys.hash", "=", p("hash")));

export const keyAndAccount = prepare<Schema, { keyId: string }, KeyAndAccount>((db, p) => keysWithAccounts(db).where("api_keys.id", "=", p("keyId")));

/**
 * PostgreSQL: lock the account of a key (FOR UPDATE). Only that row: a joined read under FOR UPDATE
 * would see the key as of before the wait, so the key is read by a statement of its own after it.
 */
export const lockKeyAccount = prepare<Schema, { keyId: string }, { id: string }>((db, p) =>
  db
    .selectFrom("accounts")
    .select("id")
    .where("id", "=", (eb) => eb.selectFrom("api_keys").select("account_id").where("id", "=", p("keyId")))
    .forUpdate(),
);

/** Whether a request id is taken: held now or settled before. */
export const requestIdTaken = prepare<Schema, { requestId: string }, { request_id: string }>((db, p) =>
  db
    .selectFrom("holds")
    .select("request_id")
    .where("request_id", "=", p("requestId"))
    .unionAll(db.selectFrom("usage_records").select("request_id").where("request_id", "=", p("requestId"))),
);

export const insertHold = prepare<Schema, HoldRow, unknown>((db, p) => db.insertInto("holds").values(placeholderRow(p, HOLD_COLUMNS)));

export const addAccountHeld = prepare<Schema, { accountId: string; amount: bigint }, unknown>((db, p) =>
  db
    .updateTable("accounts")
    .set((eb) => ({ held: eb("held", "+", p("amount")) }))
    .where("id", "=", p("accountId")),
);

export const addKeyHeld = prepare<Schema, { keyId: string; amount: bigint }, unknown>((db, p) =>
  db
    .updateTable("api_keys")
    .set((eb) => ({ held: eb("held", "+", p("amount")) }))
    .where("id", "=", p("keyId")),
);

export const checkpointHold = prepare<
  Schema,
  { requestId: string; inputTokens: bigint; outputTokens: bigint; at: bigint },
  unknown
>((db, p) =>
  db
    .updateTable("holds")
    .set({ checkpoint_input_tokens: p("inputTokens"), checkpoint_output_tokens: p("outputTokens"), checkpointed_at: p("at") })
    .where("request_id", "=", p("requestId")),
);

export const holdById = prepare<Schema, { requestId: string }, HoldRow>((db, p) =>
  db.selectFrom("holds").selectAll().where("request_id", "=", p("requestId")),
);

export const usageById = prepare<Schema, { requestId: string }, UsageRecordRow>((db, p) =>
  db.selectFrom("usage_records").selectAll().where("request_id", "=", p("requestId")),
);

export const lockAccount = prepare<Schema, { accountId: string }, { id: string }>((db, p) =>
  db.selectFrom("accounts").select("id").where("id", "=", p("accountId")).forUpdate(),
);

/** Take a hold: whoever deletes the row owns it (a hold can never be consumed twice). */
export const claimHold = prepare<Schema, { requestId: string }, HoldRow>((db, p) =>
  db.deleteFrom("holds").where("request_id", "=", p("requestId")).returningAll(),
);

/** The same, only if the hold belongs to `accountId` (the account locked beforehand, on PostgreSQL). */
export const claimAccountHold = prepare<Schema, { requestId: string; accountId: string }, HoldRow>((db, p) =>
  db.deleteFrom("holds").where("request_id", "=", p("requestId")).where("account_id", "=", p("accountId")).returningAll(),
);

export const chargeAccount = prepare<Schema, { accountId: string; charged: bigint; held: bigint }, Pick<AccountRow, "balance">>(
  (db, p) =>
    db
      .updateTable("accounts")
      .set((eb) => ({ balance: eb("balance", "-", p("charged")), held: eb("held", "-", p("held")) }))
      .where("id", "=", p("accountId"))
      .returning("balance"),
);

export const chargeKey = prepare<Schema, { keyId: string; charged: bigint; held: bigint }, unknown>((db, p) =>
  db
    .updateTable("api_keys")
    .set((eb) => ({ spent: eb("spent", "+", p("charged")), held: eb("held", "-", p("held")) }))
    .where("id", "=", p("keyId")),
);

export const insertUsage = prepare<Schema, UsageRecordRow, unknown>((db, p) =>
  db.insertInto("usage_records").values(placeholderRow(p, USAGE_COLUMNS)),
);

export const insertCreditEntry = prepare<Schema, NewCreditEntry, unknown>((db, p) =>
  db.insertInto("credit_entries").values(placeholderRow(p, CREDIT_ENTRY_COLUMNS)),
);
