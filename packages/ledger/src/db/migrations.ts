// Versioned migrations, provided in code (no migration files to ship or find at run time).
// A migration is frozen once released: change the schema by appending a new one, never by editing.
// The schema is the same on SQLite and PostgreSQL; the few spots where the SQL differs (the
// auto-increment key, the append-only triggers) branch on the dialect.
import { sql, type Kysely } from "kysely";
import { Migrator, type Migration, type MigrationResultSet } from "kysely/migration";
import type { DialectName } from "./database.ts";
import { accountDepositKeys } from "./deposit-keys.ts";

type MigrationFactory = (dialect: DialectName) => Migration;

/** Columns of usage_records that no UPDATE may touch (all but receipt_signature), as of 0001. */
const USAGE_RECORD_FROZEN_COLUMNS = [
  "request_id",
  "account_id",
  "key_id",
  "model_id",
  "deployment",
  "input_tokens",
  "output_tokens",
  "list_price",
  "discount_bps",
  "price_charged",
  "hard_cost",
  "usage_source",
  "finish_reason",
  "latency_ms",
  "created_at",
];

const initialLedger: MigrationFactory = (dialect) => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("accounts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull().unique())
      .addColumn("wallet", "text")
      .addColumn("balance", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("held", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      // Defence in depth: the ledger code never overdraws, and the database refuses it too.
      .addCheckConstraint("accounts_held_within_balance", sql`held >= 0 and held <= balance`)
      .execute();

    await db.schema
      .createTable("api_keys")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
      .addColumn("hash", "text", (c) => c.notNull().unique())
      .addColumn("prefix", "text", (c) => c.notNull())
      .addColumn("name", "text")
      .addColumn("spend_cap", "bigint")
      .addColumn("spent", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("held", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("rpm_limit", "bigint")
      .addColumn("tpm_limit", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("revoked_at", "bigint")
      .addCheckConstraint(
        "api_keys_amounts",
        sql`spent >= 0 and held >= 0 and (spend_cap is null or spend_cap >= 0) and (rpm_limit is null or rpm_limit > 0) and (tpm_limit is null or tpm_limit > 0)`,
      )
      .execute();
    await db.schema.createIndex("api_keys_by_account").on("api_keys").column("account_id").execute();

    // A strictly increasing id orders an account's entries (balance_after is the running sum).
    const entries = db.schema.createTable("credit_entries");
    await (dialect === "postgres"
      ? entries.addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
      : entries.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    )
      .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
      .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('deposit', 'usage')`))
      .addColumn("amount", "bigint", (c) => c.notNull())
      .addColumn("balance_after", "bigint", (c) => c.notNull().check(sql`balance_after >= 0`))
      .addColumn("ref", "text", (c) => c.notNull())
      .addColumn("memo", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      // Deposits are idempotent by their external ref; a request is charged at most once.
      .addUniqueConstraint("credit_entries_kind_ref", ["kind", "ref"])
      .addCheckConstraint(
        "credit_entries_sign",
        sql`(kind = 'deposit' and amount > 0) or (kind = 'usage' and amount <= 0)`,
      )
      .execute();
    await db.schema.createIndex("credit_entries_by_account").on("credit_entries").columns(["account_id", "id"]).execute();

    await db.schema
      .createTable("holds")
      .addColumn("request_id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
      .addColumn("key_id", "text", (c) => c.notNull().references("api_keys.id"))
      .addColumn("instance_id", "text", (c) => c.notNull())
      .addColumn("amount", "bigint", (c) => c.notNull().check(sql`amount >= 0`))
      .addColumn("model_id", "text", (c) => c.notNull())
      .addColumn("deployment", "text", (c) => c.notNull())
      .addColumn("input_price", "bigint", (c) => c.notNull())
      .addColumn("output_price", "bigint", (c) => c.notNull())
      .addColumn("input_min_price", "bigint", (c) => c.notNull())
      .addColumn("output_min_price", "bigint", (c) => c.notNull())
      .addColumn("input_cost", "bigint", (c) => c.notNull())
      .addColumn("output_cost", "bigint", (c) => c.notNull())
      .addColumn("discount_bps", "bigint", (c) => c.notNull().check(sql`discount_bps between 0 and 10000`))
      .addColumn("checkpoint_input_tokens", "bigint")
      .addColumn("checkpoint_output_tokens", "bigint")
      .addColumn("checkpointed_at", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("holds_by_instance").on("holds").column("instance_id").execute();
    await db.schema.createIndex("holds_by_created").on("holds").column("created_at").execute();

    await db.schema
      .createTable("usage_records")
      .addColumn("request_id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
      .addColumn("key_id", "text", (c) => c.notNull().references("api_keys.id"))
      .addColumn("model_id", "text", (c) => c.notNull())
      .addColumn("deployment", "text", (c) => c.notNull())
      .addColumn("input_tokens", "bigint", (c) => c.notNull().check(sql`input_tokens >= 0`))
      .addColumn("output_tokens", "bigint", (c) => c.notNull().check(sql`output_tokens >= 0`))
      .addColumn("list_price", "bigint", (c) => c.notNull())
      .addColumn("discount_bps", "bigint", (c) => c.notNull())
      .addColumn("price_charged", "bigint", (c) => c.notNull().check(sql`price_charged >= 0`))
      .addColumn("hard_cost", "bigint", (c) => c.notNull())
      .addColumn("usage_source", "text", (c) =>
        c.notNull().check(sql`usage_source in ('tokenizer', 'upstream', 'estimate', 'checkpoint')`),
      )
      .addColumn("finish_reason", "text")
      .addColumn("latency_ms", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("receipt_signature", "text")
      .execute();
    // Per-account and per-key history, per-deployment revenue, and the per-epoch receipt tree.
    await db.schema.createIndex("usage_by_account").on("usage_records").columns(["account_id", "created_at"]).execute();
    await db.schema.createIndex("usage_by_key").on("usage_records").columns(["key_id", "created_at"]).execute();
    await db.schema.createIndex("usage_by_deployment").on("usage_records").columns(["deployment", "created_at"]).execute();
    await db.schema.createIndex("usage_by_time").on("usage_records").column("created_at").execute();

    await createAppendOnlyTriggers(db, dialect);
  },

  async down(db: Kysely<any>) {
    if (dialect === "postgres") {
      await sql`drop function if exists fomo_append_only() cascade`.execute(db);
      await sql`drop function if exists fomo_usage_receipt_only() cascade`.execute(db);
    }
    for (const table of ["usage_records", "holds", "credit_entries", "api_keys", "accounts"]) {
      await db.schema.dropTable(table).execute(); // SQLite drops a table's triggers with it
    }
  },
});

/**
 * Credit entries and usage records are the audit trail: the database itself refuses to change or
 * delete them, so no code path (or operator typo) can rewrite history. The one allowed update is
 * filling in a usage record's receipt signature while it is still null.
 */
async function createAppendOnlyTriggers(db: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect === "postgres") {
    await sql`
      create function fomo_append_only() returns trigger language plpgsql as $$
      begin
        raise exception '% is append-only', tg_table_name using errcode = 'restrict_violation';
      end $$`.execute(db);
    await sql`
      create function fomo_usage_receipt_only() returns trigger language plpgsql as $$
      begin
        if old.receipt_signature is not null
           or (to_jsonb(new) - 'receipt_signature') is distinct from (to_jsonb(old) - 'receipt_signature') then
          raise exception 'usage_records is append-only (only a missing receipt_signature may be set)'
            using errcode = 'restrict_violation';
        end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger credit_entries_append_only before update or delete on credit_entries
      for each row execute function fomo_append_only()`.execute(db);
    await sql`create trigger usage_records_no_delete before delete on usage_records
      for each row execute function fomo_append_only()`.execute(db);
    await sql`create trigger usage_records_receipt_only before update on usage_records
      for each row execute function fomo_usage_receipt_only()`.execute(db);
    // Row triggers do not see TRUNCATE.
    for (const table of ["credit_entries", "usage_records"]) {
      await sql`create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
        for each statement execute function fomo_append_only()`.execute(db);
    }
    return;
  }
  const abort = (message: string) => sql`begin select raise(abort, ${sql.lit(message)}); end`;
  await sql`create trigger credit_entries_no_update before update on credit_entries
    ${abort("credit_entries is append-only")}`.execute(db);
  await sql`create trigger credit_entries_no_delete before delete on credit_entries
    ${abort("credit_entries is append-only")}`.execute(db);
  await sql`create trigger usage_records_no_delete before delete on usage_records
    ${abort("usage_records is append-only")}`.execute(db);
  await sql`create trigger usage_records_frozen before update of ${sql.join(USAGE_RECORD_FROZEN_COLUMNS.map((c) => sql.id(c)))}
    on usage_records ${abort("usage_records is append-only")}`.execute(db);
  await sql`create trigger usage_records_receipt_once before update of receipt_signature on usage_records
    when old.receipt_signature is not null ${abort("usage_records: receipt_signature is already set")}`.execute(db);
}


/** Column types of the read model's event tables (schema.ts, ReadModelSchema), past the chain position. */
type ReadModelColumn = "text" | "bigint" | "text?" | "bigint?";

const READ_MODEL_TABLES: Record<string, Record<string, ReadModelColumn>> = {
  model_tokens: { token: "text" },
  offering_terms: {
    terms_id: "bigint", template_id: "bigint", virtual_flock: "text", virtual_mt: "text", raise_min: "text",
    raise_max: "text", fee_bps: "bigint", snipe_fee_bps: "bigint", snipe_decay_bps_per_minute: "bigint",
  },
  offering_launches: {
    mt: "text", creator: "text", template_id: "bigint", terms_id: "bigint", name: "text", ticker: "text",
    model_id: "text", metadata_uri: "text", opens_at: "bigint", closes_at: "bigint",
  },
  offering_buys: {
    mt: "text", buyer: "text", flock_in: "text", net: "text", mt_out: "text", base_fee: "text", surcharge: "text",
    raised_after: "text",
  },
  offering_graduations: {
    mt: "text", pair: "text", raised: "text", sold: "text", flock_to_pool: "text", mt_to_pool: "text",
    mt_burned: "text", flock_to_hosting: "text", flock_to_incentives: "text", mt_to_incentives: "text",
    mt_to_operator: "text", mt_to_treasury: "text", operator_vesting: "text",
  },
  offering_refunds: { mt: "text", account: "text", flock_amount: "text" },
  offering_claims: { mt: "text", account: "text", mt_amount: "text" },
  offering_fees: { mt: "text", kind: "text", payee: "text", amount: "text", protocol_amount: "text", surcharge: "text" },
  launchpad_pauses: { kind: "text", account: "text" },
  mt_transfers: { token: "text", sender: "text", recipient: "text", value: "text" },
  dex_pairs: { pair: "text", token0: "text", token1: "text", token: "text" },
  pool_syncs: { pair: "text", reserve0: "text", reserve1: "text" },
  pool_swaps: {
    pair: "text", sender: "text", recipient: "text", amount0_in: "text", amount1_in: "text", amount0_out: "text",
    amount1_out: "text",
  },
  stake_events: { mt: "text", account: "text", kind: "text", amount: "text", stake: "text?", release_at: "bigint?" },
  usdc_deposits: { deposit_id: "text", account_id: "text", depositor: "text", amount: "text" },
  revenue_reports: {
    epoch: "bigint", mt: "text", gross: "text", usage_root: "text", hard_cost: "text", mt_buyback: "text",
    issuer_yield: "text", flock_buyback: "text", treasury: "text",
  },
  buybacks: { kind: "text", target: "text", spent: "text", bought: "text", min_out: "text" },
  reward_roots: { epoch: "bigint", status: "text", root: "text", content_hash: "text?", emitted: "text?", live_at: "bigint?" },
  reward_claims: { kind: "text", account: "text?", epoch: "bigint?", token: "text", amount: "text", cumulative: "text" },
  gmflock_locks: { lock_id: "text", owner: "text", kind: "text", amount: "text", gm: "text", unlock_at: "bigint?" },
};

/** The lookups the read model's queries make, past the (chain, block, log) primary key. */
const READ_MODEL_INDEXES: ReadonlyArray<[table: string, columns: string[]]> = [
  ["offering_launches", ["mt"]],
  ["offering_buys", ["mt"]],
  ["offering_buys", ["buyer"]],
  ["offering_graduations", ["mt"]],
  ["offering_refunds", ["mt"]],
  ["offering_claims", ["mt"]],
  ["offering_fees", ["mt"]],
  ["mt_transfers", ["token"]],
  ["dex_pairs", ["pair"]],
  ["dex_pairs", ["token"]],
  ["pool_syncs", ["pair"]],
  ["pool_swaps", ["pair"]],
  ["stake_events", ["mt", "account"]],
  ["stake_events", ["account"]],
  ["usdc_deposits", ["account_id"]],
  ["revenue_reports", ["epoch"]],
  ["reward_roots", ["epoch"]],
  ["reward_claims", ["account"]],
  ["gmflock_locks", ["owner"]],
];

/** 0002's block_times (superseded by chain_blocks: 0005 drops it, and recreates it on the way down). */
async function createBlockTimes(db: Kysely<any>): Promise<void> {
  await blockTable(db, "block_times").addColumn("timestamp", "bigint", (c) => c.notNull()).execute();
}

/** A new table whose rows each sit in one block of a chain (chain_id, block_number, block_hash first). */
function inBlockTable(db: Kysely<any>, table: string) {
  return db.schema
    .createTable(table)
    .addColumn("chain_id", "bigint", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .addColumn("block_hash", "text", (c) => c.notNull());
}

/** A table of one row per block of a chain, keyed by (chain_id, block_number). */
function blockTable(db: Kysely<any>, table: string) {
  return inBlockTable(db, table).addPrimaryKeyConstraint(`${table}_pk`, ["chain_id", "block_number"]);
}

/** One of 0002's event tables (READ_MODEL_TABLES) with its indexes (READ_MODEL_INDEXES). */
async function createReadModelTable(db: Kysely<any>, table: string): Promise<void> {
  let create = eventTable(db, table);
  for (const [column, type] of Object.entries(READ_MODEL_TABLES[table]!)) {
    const nullable = type.endsWith("?");
    create = create.addColumn(column, nullable ? type.slice(0, -1) as "text" | "bigint" : type as "text" | "bigint", (c) =>
      nullable ? c : c.notNull(),
    );
  }
  await create.execute();
  for (const [indexed, columns] of READ_MODEL_INDEXES) {
    if (indexed !== table) continue;
    await db.schema.createIndex(`${table}_by_${columns.join("_")}`).on(table).columns(["chain_id", ...columns]).execute();
  }
}

/**
 * The engine's read model: one table per kind of protocol event, every row keyed by its place on the
 * chain (chain id, block, log index) and carrying the block hash and tx hash, so a reorg deletes the
 * rows above the common ancestor and replay rebuilds them (schema.ts, ReadModelSchema).
 */
const readModel: MigrationFactory = () => ({
  async up(db: Kysely<any>) {
    await createBlockTimes(db);
    for (const table of Object.keys(READ_MODEL_TABLES)) await createReadModelTable(db, table);
  },

  async down(db: Kysely<any>) {
    for (const table of ["block_times", ...Object.keys(READ_MODEL_TABLES)]) await db.schema.dropTable(table).execute();
  },
});

/**
 * Wallet sign-in (docs/api.md#platform-api-sign-in-and-billing): an account binds any number of wallets, a wallet binds to at most one
 * account (before, one staked wallet could give its discount to many accounts); single-use SIWE nonces;
 * sessions stored by the hash of their token. `accounts.wallet` moves into account_wallets: where
 * several accounts named the same wallet, the oldest account keeps it (the others lose the binding,
 * which is the uniqueness this migration exists to establish).
 */
const walletSignIn: MigrationFactory = () => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("account_wallets")
      // Lower-case 0x address: one spelling per wallet, so the primary key is the uniqueness.
      .addColumn("wallet", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
      .addColumn("bound_at", "bigint", (c) => c.notNull())
      // What proved control of the wallet: `siwe:<hash of the signed message>`, `cli`, or `migrated`.
      .addColumn("proof", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("account_wallets_by_account").on("account_wallets").columns(["account_id", "bound_at"]).execute();
    await sql`
      insert into account_wallets (wallet, account_id, bound_at, proof)
      select a.wallet, a.id, a.created_at, 'migrated' from accounts a
      where a.wallet is not null and not exists (
        select 1 from accounts older where older.wallet = a.wallet
          and (older.created_at < a.created_at or (older.created_at = a.created_at and older.id < a.id)))`.execute(db);
    await db.schema.alterTable("accounts").dropColumn("wallet").execute();

    await db.schema
      .createTable("siwe_nonces")
      .addColumn("nonce", "text", (c) => c.primaryKey())
      .addColumn("issued_at", "bigint", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .addColumn("used_at", "bigint")
      .execute();
    await db.schema.createIndex("siwe_nonces_by_expiry").on("siwe_nonces").column("expires_at").execute();

    await db.schema
      .createTable("sessions")
      // SHA-256 of the session token: a stolen database holds no usable session.
      .addColumn("token_hash", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
      .addColumn("wallet", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("sessions_by_expiry").on("sessions").column("expires_at").execute();
  },

  async down(db: Kysely<any>) {
    await db.schema.alterTable("accounts").addColumn("wallet", "text").execute();
    await sql`update accounts set wallet = (select min(w.wallet) from account_wallets w where w.account_id = accounts.id)`.execute(db);
    for (const table of ["sessions", "siwe_nonces", "account_wallets"]) await db.schema.dropTable(table).execute();
  },
});

/**
 * The chain indexer's tables (packages/engine/src/indexer), USDC deposits, and what a reorg needs of
 * the ledger: a `reversal` credit entry (a reorged deposit taken back) and a lock on an account whose
 * reorged deposit was already spent (it takes no new holds until an operator resolves it).
 */

const chainIndex: MigrationFactory = (dialect) => ({
  async up(db: Kysely<any>) {
    // Blocks holding indexed logs: their hash and parent, to find the common ancestor after a reorg.
    await blockTable(db, "chain_blocks")
      .addColumn("parent_hash", "text", (c) => c.notNull())
      .addColumn("timestamp", "bigint", (c) => c.notNull())
      .execute();
    // One row per source (contract) followed; they advance together, in the transaction that stores the logs.
    await db.schema
      .createTable("chain_cursors")
      .addColumn("chain_id", "bigint", (c) => c.notNull())
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("address", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("discovered_at", "bigint") // block of the event that revealed it; null for a deployment's contract
      .addColumn("next_block", "bigint", (c) => c.notNull())
      .addColumn("tip_hash", "text") // hash of block next_block - 1 when it was indexed
      .addColumn("last_reorg_ancestor", "bigint")
      .addColumn("last_reorg_depth", "bigint")
      .addColumn("last_reorg_at", "bigint")
      .addPrimaryKeyConstraint("chain_cursors_pk", ["chain_id", "source"])
      .execute();
    await eventTable(db, "chain_logs")
      .addColumn("address", "text", (c) => c.notNull())
      .addColumn("event_name", "text", (c) => c.notNull())
      .addColumn("args", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("chain_logs_by_address").on("chain_logs").columns(["chain_id", "address", "event_name"]).execute();
    // CreditDeposits.Deposited as indexed; account_id null = no ledger account matches (unclaimed).
    await eventTable(db, "chain_deposits")
      .addColumn("deposit_id", "text", (c) => c.notNull())
      .addColumn("account_key", "text", (c) => c.notNull())
      .addColumn("depositor", "text", (c) => c.notNull())
      .addColumn("amount", "text", (c) => c.notNull()) // token units (uint256) as a decimal string
      .addColumn("micro_usd", "bigint", (c) => c.notNull())
      .addColumn("account_id", "text")
      .execute();
    // What became of a credited deposit a reorg removed: reversed, or the account locked (for an operator).
    await db.schema
      .createTable("reorged_deposits")
      .addColumn("deposit_key", "text", (c) => c.notNull())
      .addColumn("credit_ref", "text", (c) => c.notNull())
      .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
      .addColumn("amount", "bigint", (c) => c.notNull())
      .addColumn("outcome", "text", (c) => c.notNull().check(sql`outcome in ('reversed', 'locked')`))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("reorged_deposits_by_key").on("reorged_deposits").columns(["deposit_key", "outcome"]).execute();

    await db.schema.alterTable("accounts").addColumn("locked_reason", "text").execute();
    await allowReversalEntries(db, dialect);
  },
  async down(db: Kysely<any>) {
    for (const table of ["reorged_deposits", "chain_deposits", "chain_logs", "chain_cursors", "chain_blocks"]) {
      await db.schema.dropTable(table).execute();
    }
    // credit_entries keeps accepting the kind 'reversal': narrowing it back would fail on such rows.
    await db.schema.alterTable("accounts").dropColumn("locked_reason").execute();
  },
});

/**
 * A table of rows that each come from one event log: where it comes from (chain, block, transaction,
 * log index), keyed by its position, as the indexer's reorg deletion expects (chain_id, block_number).
 */
function eventTable(db: Kysely<any>, table: string) {
  return inBlockTable(db, table)
    .addColumn("tx_hash", "text", (c) => c.notNull())
    .addColumn("log_index", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint(`${table}_pk`, ["chain_id", "block_number", "log_index"]);
}

/**
 * credit_entries gains the kind 'reversal' (negative: a reorged deposit taken back). PostgreSQL
 * swaps the check constraints; SQLite cannot alter one, so the table is rebuilt with its rows, index
 * and append-only triggers (in the migration's transaction).
 */
async function allowReversalEntries(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const kinds = sql`kind in ('deposit', 'usage', 'reversal')`;
  const sign = sql`(kind = 'deposit' and amount > 0) or (kind = 'usage' and amount <= 0) or (kind = 'reversal' and amount < 0)`;
  if (dialect === "postgres") {
    await sql`alter table credit_entries drop constraint credit_entries_kind_check`.execute(db);
    await sql`alter table credit_entries drop constraint credit_entries_sign`.execute(db);
    await sql`alter table credit_entries add constraint credit_entries_kind_check check (${kinds})`.execute(db);
    await sql`alter table credit_entries add constraint credit_entries_sign check (${sign})`.execute(db);
    return;
  }
  await db.schema
    .createTable("credit_entries_next")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(kinds))
    .addColumn("amount", "bigint", (c) => c.notNull())
    .addColumn("balance_after", "bigint", (c) => c.notNull().check(sql`balance_after >= 0`))
    .addColumn("ref", "text", (c) => c.notNull())
    .addColumn("memo", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("credit_entries_kind_ref", ["kind", "ref"])
    .addCheckConstraint("credit_entries_sign", sign)
    .execute();
  await sql`insert into credit_entries_next select * from credit_entries`.execute(db);
  await db.schema.dropTable("credit_entries").execute();
  await sql`alter table credit_entries_next rename to credit_entries`.execute(db);
  await db.schema.createIndex("credit_entries_by_account").on("credit_entries").columns(["account_id", "id"]).execute();
  const abort = sql`begin select raise(abort, 'credit_entries is append-only'); end`;
  await sql`create trigger credit_entries_no_update before update on credit_entries ${abort}`.execute(db);
  await sql`create trigger credit_entries_no_delete before delete on credit_entries ${abort}`.execute(db);
}

/** 0002's tables that the indexer's (0004: chain_blocks, chain_deposits) replace. */
const SUPERSEDED_READ_MODEL_TABLES = ["block_times", "usdc_deposits"];

/**
 * The read model (0002) and the indexer (0004) were written side by side: block_times duplicated
 * chain_blocks (same blocks, same timestamps) and usdc_deposits duplicated chain_deposits. One copy
 * each: the read model reads chain_blocks and chain_deposits, and its two tables go (the indexer
 * fills neither, so nothing is lost; a replay from the start block rebuilds everything).
 */
const readModelOnChainIndex: MigrationFactory = () => ({
  async up(db: Kysely<any>) {
    for (const table of SUPERSEDED_READ_MODEL_TABLES) await db.schema.dropTable(table).execute();
  },
  async down(db: Kysely<any>) {
    await createBlockTimes(db);
    await createReadModelTable(db, "usdc_deposits");
  },
});

const DEPOSIT_KEY_COLUMNS = ["deposit_key", "name_deposit_key"] as const;

/**
 * A USDC deposit names its account by a bytes32 (accountIdOf of the id or of the name): stored on the
 * account and indexed, so the indexer's deposits projection looks it up instead of hashing every
 * account per deposit. Existing accounts are backfilled here, in the migration (ids and names never
 * change, so the keys are computed once); the columns stay nullable in SQL only because SQLite cannot
 * add a NOT NULL column without a default, and Accounts.create always fills them.
 */
const accountDepositKey: MigrationFactory = () => ({
  async up(db: Kysely<any>) {
    for (const column of DEPOSIT_KEY_COLUMNS) await db.schema.alterTable("accounts").addColumn(column, "text").execute();
    const accounts: { id: string; name: string }[] = await db.selectFrom("accounts").select(["id", "name"]).execute();
    for (const account of accounts) {
      await db.updateTable("accounts").set(accountDepositKeys(account)).where("id", "=", account.id).execute();
    }
    for (const column of DEPOSIT_KEY_COLUMNS) {
      await db.schema.createIndex(`accounts_by_${column}`).unique().on("accounts").column(column).execute();
    }
  },
  async down(db: Kysely<any>) {
    for (const column of DEPOSIT_KEY_COLUMNS) {
      await db.schema.dropIndex(`accounts_by_${column}`).execute();
      await db.schema.alterTable("accounts").dropColumn(column).execute();
    }
  },
});

/**
 * The keeper's transaction journal (packages/engine/src/keeper/journal.ts): every transaction the
 * keeper signs, stored with its nonce and raw bytes before it is broadcast, so a restart finds out
 * what became of it and rebroadcasts it instead of signing the same action twice. A key names one
 * action (`epoch:<k>:report:<mt>`…); a nonce belongs to at most one journaled transaction.
 */
const keeperJournal: MigrationFactory = () => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("keeper_transactions")
      .addColumn("key", "text", (c) => c.primaryKey())
      .addColumn("chain_id", "bigint", (c) => c.notNull())
      .addColumn("account", "text", (c) => c.notNull()) // lower-case 0x address of the signer
      .addColumn("nonce", "bigint", (c) => c.notNull())
      .addColumn("contract", "text", (c) => c.notNull())
      .addColumn("function_name", "text", (c) => c.notNull())
      .addColumn("raw", "text", (c) => c.notNull()) // the signed transaction, 0x hex
      .addColumn("hash", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) =>
        c.notNull().check(sql`status in ('signed', 'sent', 'mined', 'reverted', 'replaced')`),
      )
      .addColumn("block_number", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addUniqueConstraint("keeper_transactions_nonce", ["chain_id", "account", "nonce"])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable("keeper_transactions").execute();
  },
});

/** The keeper's steps an epoch moves through (packages/engine/src/keeper), in order, as of 0008 (schema.ts KEEPER_STEPS). */
const KEEPER_STEPS_0008 = ["closed", "aggregated", "reported", "bought_back", "rewarded", "published"];

/**
 * The keeper's per-epoch settlement (packages/engine/src/keeper, docs/protocol.md#epoch-settlement):
 * each epoch's last completed step and its error; per deployment the frozen aggregate (micro-USD),
 * the revenue report and the $MT buyback; and for the rewards steps, the allotments per (epoch,
 * account, token) and the epoch's input file. Token amounts are decimal strings: an 18-decimal
 * stablecoin's units overflow a BIGINT.
 */
const keeperEpochs: MigrationFactory = () => ({
  async up(db: Kysely<any>) {
    const steps = sql.join(KEEPER_STEPS_0008.map((s) => sql.lit(s)));
    await db.schema
      .createTable("keeper_epochs")
      .addColumn("epoch", "bigint", (c) => c.primaryKey())
      .addColumn("step", "text", (c) => c.notNull().check(sql`step in (${steps})`))
      .addColumn("window_from", "bigint", (c) => c.notNull()) // epoch ms
      .addColumn("window_to", "bigint", (c) => c.notNull())
      .addColumn("error", "text")
      .addColumn("error_at", "bigint")
      .addColumn("closed_at", "bigint", (c) => c.notNull())
      .addColumn("aggregated_at", "bigint")
      .addColumn("reported_at", "bigint")
      .addColumn("bought_back_at", "bigint")
      .addColumn("rewarded_at", "bigint")
      .addColumn("published_at", "bigint")
      // The first block the buyback step's executions can be in: a restarted step finds them from there.
      .addColumn("buyback_from_block", "bigint")
      .addColumn("flock_buyback_status", "text", (c) => c.check(sql`flock_buyback_status in ('executed', 'refused', 'skipped')`))
      .addColumn("flock_buyback_spent", "text")
      .addColumn("flock_buyback_burned", "text")
      .addColumn("flock_buyback_tx", "text")
      .addColumn("flock_buyback_note", "text")
      // The rewards steps: the input file's hash and the root posted.
      .addColumn("input_hash", "text")
      .addColumn("rewards_root", "text")
      .addColumn("root_tx", "text")
      .execute();
    await db.schema
      .createTable("keeper_epoch_deployments")
      .addColumn("epoch", "bigint", (c) => c.notNull().references("keeper_epochs.epoch"))
      // Checksummed $MT address; the zero address for the platform's base models.
      .addColumn("deployment", "text", (c) => c.notNull())
      .addColumn("records", "bigint", (c) => c.notNull())
      .addColumn("gross", "bigint", (c) => c.notNull()) // micro-USD
      .addColumn("hard_cost", "bigint", (c) => c.notNull())
      .addColumn("net", "bigint", (c) => c.notNull())
      .addColumn("usage_root", "text", (c) => c.notNull())
      .addColumn("report_status", "text", (c) => c.notNull().check(sql`report_status in ('pending', 'reported', 'skipped')`))
      .addColumn("report_note", "text")
      .addColumn("report_gross", "text") // stablecoin units, as reported
      .addColumn("report_hard_cost", "text")
      .addColumn("report_tx", "text")
      .addColumn("reported_at", "bigint")
      .addColumn("buyback_status", "text", (c) => c.check(sql`buyback_status in ('executed', 'refused', 'skipped')`))
      .addColumn("buyback_spent", "text") // stablecoin units
      .addColumn("buyback_burned", "text") // $MT wei
      .addColumn("buyback_tx", "text")
      .addColumn("buyback_note", "text")
      .addColumn("bought_back_at", "bigint")
      .addPrimaryKeyConstraint("keeper_epoch_deployments_pk", ["epoch", "deployment"])
      .addCheckConstraint("keeper_epoch_deployments_amounts", sql`records >= 0 and gross >= 0 and hard_cost >= 0 and net = gross - hard_cost`)
      .execute();
    await db.schema
      .createTable("keeper_rewards")
      .addColumn("epoch", "bigint", (c) => c.notNull().references("keeper_epochs.epoch"))
      .addColumn("account", "text", (c) => c.notNull()) // ledger account id
      .addColumn("token", "text", (c) => c.notNull())
      .addColumn("wallet", "text") // null: no wallet bound yet, accrued until one is
      .addColumn("amount", "text", (c) => c.notNull()) // token wei
      .addPrimaryKeyConstraint("keeper_rewards_pk", ["epoch", "account", "token"])
      .execute();
    await db.schema.createIndex("keeper_rewards_by_account").on("keeper_rewards").columns(["account", "token"]).execute();
    await db.schema
      .createTable("keeper_inputs")
      .addColumn("epoch", "bigint", (c) => c.primaryKey().references("keeper_epochs.epoch"))
      .addColumn("content_hash", "text", (c) => c.notNull()) // keccak256 of body's bytes
      .addColumn("body", "text", (c) => c.notNull()) // canonical JSON
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    for (const table of ["keeper_inputs", "keeper_rewards", "keeper_epoch_deployments", "keeper_epochs"]) {
      await db.schema.dropTable(table).execute();
    }
  },
});

/**
 * The keeper's rewards step (packages/engine/src/keeper/rewards.ts): per deployment its
 * IncentivePool.release of the epoch (amounts as the Released event says, or why none was sent), and
 * per epoch the first block a restarted release step looks for its releases from, the dust carried to
 * the next epoch (canonical JSON of TokenAmount[]) and the cumulative FLOCK emission of its root.
 */
const keeperRewards: MigrationFactory = () => ({
  async up(db: Kysely<any>) {
    for (const [column, type] of [["release_from_block", "bigint"], ["dust", "text"], ["emission_total", "text"]] as const) {
      await db.schema.alterTable("keeper_epochs").addColumn(column, type).execute();
    }
    await db.schema
      .alterTable("keeper_epoch_deployments")
      .addColumn("release_status", "text", (c) => c.check(sql`release_status in ('released', 'skipped')`))
      .execute();
    for (const column of ["release_mt", "release_flock", "release_tx", "release_note"]) {
      await db.schema.alterTable("keeper_epoch_deployments").addColumn(column, "text").execute();
    }
  },
  async down(db: Kysely<any>) {
    for (const column of ["release_note", "release_tx", "release_flock", "release_mt", "release_status"]) {
      await db.schema.alterTable("keeper_epoch_deployments").dropColumn(column).execute();
    }
    for (const column of ["emission_total", "dust", "release_from_block"]) {
      await db.schema.alterTable("keeper_epochs").dropColumn(column).execute();
    }
  },
});

/** Every migration, in order. Names sort in application order. */
const MIGRATIONS: ReadonlyArray<[name: string, factory: MigrationFactory]> = [
  ["0001_ledger", initialLedger],
  ["0002_read_model", readModel],
  ["0003_wallet_sign_in", walletSignIn],
  ["0004_chain_index", chainIndex],
  ["0005_read_model_on_chain_index", readModelOnChainIndex],
  ["0006_account_deposit_key", accountDepositKey],
  ["0007_keeper_journal", keeperJournal],
  ["0008_keeper_epochs", keeperEpochs],
  ["0009_keeper_rewards", keeperRewards],
];

export const LATEST_MIGRATION = MIGRATIONS[MIGRATIONS.length - 1]![0];

export function migrator(db: Kysely<any>, dialect: DialectName): Migrator {
  return new Migrator({
    db,
    provider: {
      async getMigrations() {
        return Object.fromEntries(MIGRATIONS.map(([name, factory]) => [name, factory(dialect)]));
      },
    },
  });
}

/** Bring the schema to the latest version; concurrent callers are serialised by Kysely's lock table. */
export async function migrateToLatest(db: Kysely<any>, dialect: DialectName): Promise<MigrationResultSet> {
  return throwOnError(await migrator(db, dialect).migrateToLatest());
}

export function throwOnError(result: MigrationResultSet): MigrationResultSet {
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(`database migration ${failed ?? ""} failed: ${String(result.error)}`, { cause: result.error });
  }
  return result;
}
