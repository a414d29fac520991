// The ledger database on SQLite and PostgreSQL: migrations, bigint columns, and the guarantees the
// schema itself enforces (append-only history, no overdraft), independently of the ledger code.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Sqlite from "better-sqlite3";
import { sql } from "kysely";
import { NO_MIGRATIONS } from "kysely/migration";
import { keccak256, stringToHex } from "viem";
import {
  accountDepositKeys,
  LATEST_MIGRATION,
  SQLITE_FILE,
  SQLITE_PAGE_SIZE,
  databaseTarget,
  isPostgresUrl,
  migrator,
  openDatabase,
  redactUrl,
  type Database,
  type Schema,
} from "../src/db/index.ts";
import { prepare } from "../src/db/prepared.ts";
import { describeEachDatabase } from "@fomo/testkit/databases";

const TABLES = [
  "account_wallets", "accounts", "api_keys", "chain_blocks", "chain_cursors", "chain_deposits", "chain_logs", "credit_entries",
  "holds", "keeper_epoch_deployments", "keeper_epochs", "keeper_inputs", "keeper_rewards", "reorged_deposits", "sessions",
  "siwe_nonces", "usage_records",
];
const NOW = 1_700_000_000_000n;
/** A CHECK constraint violation, as SQLite and PostgreSQL word it. */
const CHECK = /check constraint/i;

async function tableNames(db: Database): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables.map((t) => t.name).filter((name) => TABLES.includes(name)).sort();
}

async function insertAccount(db: Database, id: string, balance: bigint, held = 0n): Promise<void> {
  await db.insertInto("accounts").values({ id, name: id, ...accountDepositKeys({ id, name: id }), balance, held, created_at: NOW }).execute();
}

async function insertKey(db: Database, id: string, accountId: string): Promise<void> {
  await db
    .insertInto("api_keys")
    .values({
      id,
      account_id: accountId,
      hash: `hash-${id}`,
      prefix: "sk-fomo-abcdef",
      name: null,
      spend_cap: null,
      spent: 0n,
      held: 0n,
      rpm_limit: null,
      tpm_limit: null,
      created_at: NOW,
      revoked_at: null,
    })
    .execute();
}

async function insertUsage(db: Database, requestId: string, accountId: string, keyId: string): Promise<void> {
  await db
    .insertInto("usage_records")
    .values({
      request_id: requestId,
      account_id: accountId,
      key_id: keyId,
      model_id: "stories-260k",
      deployment: "platform",
      input_tokens: 10n,
      output_tokens: 20n,
      list_price: 7n,
      discount_bps: 0n,
      price_charged: 7n,
      hard_cost: 2n,
      usage_source: "tokenizer",
      finish_reason: "stop",
      latency_ms: 12n,
      created_at: NOW,
      receipt_signature: null,
    })
    .execute();
}

describeEachDatabase("ledger database", (suite) => {
  it("migrates an empty database to the latest version; opening it again changes nothing", async () => {
    const target = await suite.target();
    const first = await openDatabase(target);
    let firstRun: Array<[string, Date | undefined]> = [];
    try {
      assert.deepEqual(await tableNames(first), TABLES);
      const migrations = await migrator(first, first.dialect).getMigrations();
      const applied = migrations.filter((m) => m.executedAt !== undefined);
      assert.deepEqual(
        applied.map((m) => m.name),
        migrations.map((m) => m.name),
      );
      assert.equal(applied.at(-1)?.name, LATEST_MIGRATION);
      firstRun = migrations.map((m) => [m.name, m.executedAt]);
      await insertAccount(first, "acct_keep", 5n);
    } finally {
      await first.destroy();
    }
    const second = await openDatabase(target);
    try {
      const migrations = await migrator(second, second.dialect).getMigrations();
      assert.deepEqual(
        migrations.map((m) => [m.name, m.executedAt]),
        firstRun,
        "re-opening ran no migration again",
      );
      const row = await second.selectFrom("accounts").select("balance").where("id", "=", "acct_keep").executeTakeFirstOrThrow();
      assert.equal(row.balance, 5n, "re-opening kept the data");
    } finally {
      await second.destroy();
    }
  });

  it("migrates down to nothing and back up", async () => {
    const db = await suite.open();
    await migrator(db, db.dialect).migrateTo(NO_MIGRATIONS).then((r) => assert.equal(r.error, undefined));
    assert.deepEqual(await tableNames(db), []);
    await migrator(db, db.dialect).migrateToLatest().then((r) => assert.equal(r.error, undefined));
    assert.deepEqual(await tableNames(db), TABLES);
    await insertAccount(db, "acct_again", 1n); // the re-created schema works, triggers included
    await db.insertInto("credit_entries").values(deposit("acct_again", 1n, 1n, "r")).execute();
    await assert.rejects(db.deleteFrom("credit_entries").execute());
  });

  it("moves accounts.wallet into account_wallets, one account per wallet (the oldest keeps a shared one)", async () => {
    const db = await suite.open();
    await migrator(db, db.dialect).migrateTo(NO_MIGRATIONS).then((r) => assert.equal(r.error, undefined));
    await migrator(db, db.dialect).migrateTo("0001_ledger").then((r) => assert.equal(r.error, undefined));
    const shared = "0x00000000000000000000000000000000000000aa";
    const own = "0x00000000000000000000000000000000000000bb";
    const legacy = db as unknown as Database & { insertInto(t: "accounts"): any };
    const account = (id: string, wallet: string | null, createdAt: bigint) =>
      legacy.insertInto("accounts").values({ id, name: id, wallet, balance: 0n, held: 0n, created_at: createdAt }).execute();
    await account("acct_late", shared, NOW + 1n); // before 0002, one staked wallet discounted many accounts
    await account("acct_early", shared, NOW);
    await account("acct_own", own, NOW + 2n);
    await account("acct_none", null, NOW);
    await migrator(db, db.dialect).migrateToLatest().then((r) => assert.equal(r.error, undefined));
    const rows = await db.selectFrom("account_wallets").selectAll().orderBy("wallet").execute();
    assert.deepEqual(rows, [
      { wallet: shared, account_id: "acct_early", bound_at: NOW, proof: "migrated" },
      { wallet: own, account_id: "acct_own", bound_at: NOW + 2n, proof: "migrated" },
    ]);
    const columns = (await db.introspection.getTables()).find((t) => t.name === "accounts")!.columns.map((c) => c.name);
    assert.ok(!columns.includes("wallet"), "accounts.wallet is gone: account_wallets is the one place");
  });

  it("0004 keeps the credit history of 0001, allows reversal entries and keeps credit_entries append-only", async () => {
    const db = await openDatabase(await suite.target(), { migrate: false });
    try {
      await migrator(db, db.dialect).migrateTo("0001_ledger").then((r) => assert.equal(r.error, undefined));
      await sql`insert into accounts (id, name, wallet, balance, held, created_at) values ('acct_old', 'acct_old', null, 5, 0, ${NOW})`.execute(db);
      await sql`insert into credit_entries (account_id, kind, amount, balance_after, ref, memo, created_at)
        values ('acct_old', 'deposit', 5, 5, 'old', null, ${NOW})`.execute(db);
      await migrator(db, db.dialect).migrateToLatest().then((r) => assert.equal(r.error, undefined));
      const kept = await db.selectFrom("credit_entries").selectAll().execute();
      assert.deepEqual(kept.map((e) => [e.id, e.ref, e.amount]), [[1n, "old", 5n]]);
      const account = await db.selectFrom("accounts").selectAll().where("id", "=", "acct_old").executeTakeFirstOrThrow();
      assert.equal(account.locked_reason, null);
      await db.insertInto("credit_entries").values({ ...deposit("acct_old", -5n, 0n, "old"), kind: "reversal" }).execute();
      await assert.rejects(db.insertInto("credit_entries").values({ ...deposit("acct_old", 5n, 5n, "r2"), kind: "reversal" }).execute(), CHECK);
      await assert.rejects(db.deleteFrom("credit_entries").execute());
      await assert.rejects(sql`update credit_entries set memo = 'x'`.execute(db));
      const next = await db.insertInto("credit_entries").values(deposit("acct_old", 1n, 1n, "new")).returning("id").executeTakeFirstOrThrow();
      assert.ok(next.id > 2n, "ids keep increasing after the rebuild");
    } finally {
      await db.destroy();
    }
  });

  it("0006 stores the deposit keys of the accounts made before it, unique and looked up by index", async () => {
    const db = await openDatabase(await suite.target(), { migrate: false });
    try {
      await migrator(db, db.dialect).migrateTo("0005_read_model_on_chain_index").then((r) => assert.equal(r.error, undefined));
      await sql`insert into accounts (id, name, balance, held, created_at) values ('acct_old', 'old-team', 0, 0, ${NOW})`.execute(db);
      await migrator(db, db.dialect).migrateToLatest().then((r) => assert.equal(r.error, undefined));
      // What CreditDeposits.deposit is called with: keccak256 of the id's (or the name's) UTF-8 bytes.
      const keys = { deposit_key: keccak256(stringToHex("acct_old")), name_deposit_key: keccak256(stringToHex("old-team")) };
      const row = await db.selectFrom("accounts").select(["deposit_key", "name_deposit_key"]).where("id", "=", "acct_old").executeTakeFirstOrThrow();
      assert.deepEqual(row, keys);
      const other = { id: "acct_other", name: "other", balance: 0n, held: 0n, created_at: NOW };
      await assert.rejects(db.insertInto("accounts").values({ ...other, ...keys, name_deposit_key: keccak256(stringToHex("other")) }).execute());
      await assert.rejects(db.insertInto("accounts").values({ ...other, ...keys, deposit_key: keccak256(stringToHex("acct_other")) }).execute());
      for (const column of ["deposit_key", "name_deposit_key"]) {
        const plan =
          db.dialect === "sqlite"
            ? (await sql<{ detail: string }>`explain query plan select id from accounts where ${sql.ref(column)} = ${keys.deposit_key}`.execute(db)).rows
                .map((r) => r.detail)
                .join("\n")
            : await db.transaction().execute(async (trx) => {
                // A table this small would be scanned whatever the indexes: forbid it, to see whether an index serves.
                await sql`set local enable_seqscan = off`.execute(trx);
                const rows = (await sql<{ "QUERY PLAN": string }>`explain select id from accounts where ${sql.ref(column)} = ${keys.deposit_key}`.execute(trx)).rows;
                return rows.map((r) => r["QUERY PLAN"]).join("\n");
              });
        assert.match(plan, new RegExp(`accounts_by_${column}`), `${column} looked up by its index:\n${plan}`);
      }
      await migrator(db, db.dialect).migrateTo("0005_read_model_on_chain_index").then((r) => assert.equal(r.error, undefined));
      const columns = (await db.introspection.getTables()).find((t) => t.name === "accounts")!.columns.map((c) => c.name);
      assert.ok(!columns.includes("deposit_key") && !columns.includes("name_deposit_key"), "down drops the keys");
    } finally {
      await db.destroy();
    }
  });

  it("stores and returns BIGINT columns as exact bigints beyond 2^53", async () => {
    const db = await suite.open();
    const huge = 2n ** 62n + 12_345n; // not representable as a double
    await insertAccount(db, "acct_big", huge, huge - 1n);
    const row = await db.selectFrom("accounts").selectAll().where("id", "=", "acct_big").executeTakeFirstOrThrow();
    assert.equal(typeof row.balance, "bigint");
    assert.equal(row.balance, huge);
    assert.equal(row.held, huge - 1n);
    assert.equal(row.created_at, NOW);
    const entry = await db
      .insertInto("credit_entries")
      .values(deposit("acct_big", huge, huge, "big"))
      .returningAll()
      .executeTakeFirstOrThrow();
    assert.equal(typeof entry.id, "bigint", "generated ids are bigints too");
    const sum = await db
      .selectFrom("credit_entries")
      .select(sql<bigint>`cast(sum(amount) as bigint)`.as("total"))
      .executeTakeFirstOrThrow();
    assert.equal(sum.total, huge, "a SUM cast to BIGINT is a bigint on both databases");
  });

  it("runs a prepared query with new values each time, constants kept, a missing value refused", async () => {
    const db = await suite.shared();
    await insertAccount(db, "prep-a", 5n);
    await insertAccount(db, "prep-b", 7n);
    const balanceOver = prepare<Schema, { id: string; min: bigint }, { balance: bigint }>((q, p) =>
      q.selectFrom("accounts").select("balance").where("id", "=", p("id")).where("balance", ">", p("min")).where("held", "=", 0n),
    );
    assert.deepEqual((await balanceOver(db, { id: "prep-a", min: 0n })).rows, [{ balance: 5n }]);
    assert.deepEqual((await balanceOver(db, { id: "prep-b", min: 0n })).rows, [{ balance: 7n }]);
    assert.deepEqual((await balanceOver(db, { id: "prep-b", min: 7n })).rows, []);
    await db.transaction().execute(async (trx) => {
      assert.deepEqual((await balanceOver(trx, { id: "prep-a", min: 1n })).rows, [{ balance: 5n }]);
    });
    await assert.rejects(balanceOver(db, { id: "prep-a" } as { id: string; min: bigint }), /no value for parameter min/);
  });

  it("refuses to update, delete or truncate credit entries", async () => {
    const db = await suite.open();
    await insertAccount(db, "acct_a", 100n);
    await db.insertInto("credit_entries").values(deposit("acct_a", 100n, 100n, "dep-1")).execute();
    await assert.rejects(db.updateTable("credit_entries").set({ memo: "rewritten" } as never).execute(), /append-only/);
    await assert.rejects(db.deleteFrom("credit_entries").execute(), /append-only/);
    if (db.dialect === "postgres") {
      await assert.rejects(sql`truncate credit_entries`.execute(db), /append-only/);
    }
    const rows = await db.selectFrom("credit_entries").selectAll().execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.memo, null);
  });

  it("refuses to change a usage record except to set its receipt signature once", async () => {
    const db = await suite.open();
    await insertAccount(db, "acct_u", 100n);
    await insertKey(db, "key_u", "acct_u");
    await insertUsage(db, "req-1", "acct_u", "key_u");
    await assert.rejects(
      db.updateTable("usage_records").set({ price_charged: 0n } as never).execute(),
      /append-only/,
    );
    await assert.rejects(
      db.updateTable("usage_records").set({ receipt_signature: "0x01", output_tokens: 1n } as never).execute(),
      /append-only/,
      "a receipt update cannot smuggle another change",
    );
    await db.updateTable("usage_records").set({ receipt_signature: "0xabc" }).execute();
    await assert.rejects(db.updateTable("usage_records").set({ receipt_signature: "0xdef" }).execute(), /receipt_signature|append-only/);
    await assert.rejects(db.deleteFrom("usage_records").execute(), /append-only/);
    const row = await db.selectFrom("usage_records").selectAll().executeTakeFirstOrThrow();
    assert.equal(row.receipt_signature, "0xabc");
    assert.equal(row.price_charged, 7n);
    assert.equal(row.output_tokens, 20n);
  });

  it("refuses an overdraft, negative holds and wrongly signed entries", async () => {
    const db = await suite.open();
    await insertAccount(db, "acct_c", 10n, 10n);
    await assert.rejects(db.updateTable("accounts").set({ held: 11n }).execute(), CHECK, "held above balance");
    await assert.rejects(db.updateTable("accounts").set({ balance: 9n }).execute(), CHECK, "balance below held");
    await assert.rejects(db.updateTable("accounts").set({ held: -1n }).execute(), CHECK, "negative held");
    await assert.rejects(db.insertInto("credit_entries").values(deposit("acct_c", -5n, 5n, "neg")).execute(), CHECK);
    await assert.rejects(
      db.insertInto("credit_entries").values({ ...deposit("acct_c", 5n, 15n, "use"), kind: "usage" }).execute(),
      CHECK,
      "a usage entry cannot add money",
    );
    await db.insertInto("credit_entries").values(deposit("acct_c", 5n, 15n, "dup")).execute();
    await assert.rejects(db.insertInto("credit_entries").values(deposit("acct_c", 5n, 20n, "dup")).execute(), /unique/i, "same deposit ref twice");
    await assert.rejects(db.insertInto("credit_entries").values(deposit("acct_missing", 5n, 5n, "fk")).execute(), /foreign key/i, "unknown account");
    const account = await db.selectFrom("accounts").selectAll().executeTakeFirstOrThrow();
    assert.equal(account.balance, 10n);
    assert.equal(account.held, 10n);
  });

  if (suite.dialect === "postgres") {
    it("lets several gateways migrate the same database at once", async () => {
      const target = await suite.target();
      const dbs = await Promise.all([openDatabase(target), openDatabase(target), openDatabase(target)]);
      try {
        for (const db of dbs) assert.deepEqual(await tableNames(db), TABLES);
      } finally {
        await Promise.all(dbs.map((db) => db.destroy()));
      }
    });
  }
});

describe("openDatabase targets", () => {
  const dir = mkdtempSync(join(tmpdir(), "fomo-db-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("puts ledger.sqlite in the data dir, creating it, in WAL mode with foreign keys on", async () => {
    const dataDir = join(dir, "nested", "data");
    const db = await openDatabase({ dataDir });
    try {
      assert.ok(existsSync(join(dataDir, SQLITE_FILE)));
      assert.equal(db.dialect, "sqlite");
      const [mode] = (await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db)).rows;
      assert.equal(mode?.journal_mode, "wal");
      const [fk] = (await sql<{ foreign_keys: bigint }>`pragma foreign_keys`.execute(db)).rows;
      assert.equal(fk?.foreign_keys, 1n);
    } finally {
      await db.destroy();
    }
  });

  it("gives a new ledger small pages and leaves an existing file's page size alone", async () => {
    const pageSize = async (db: Database) => (await sql<{ page_size: bigint }>`pragma page_size`.execute(db)).rows[0]?.page_size;
    const fresh = await openDatabase({ dataDir: join(dir, "fresh") });
    try {
      assert.equal(SQLITE_PAGE_SIZE, 2048);
      assert.equal(await pageSize(fresh), BigInt(SQLITE_PAGE_SIZE));
    } finally {
      await fresh.destroy();
    }
    // A ledger made with SQLite's default 4 KiB pages (before this setting) opens, migrates and works as it is.
    const oldDir = join(dir, "old");
    mkdirSync(oldDir);
    const file = new Sqlite(join(oldDir, SQLITE_FILE));
    file.pragma("page_size = 4096");
    file.pragma("journal_mode = WAL");
    file.exec("create table t (x); drop table t");
    file.close();
    const old = await openDatabase({ dataDir: oldDir });
    try {
      assert.equal(await pageSize(old), 4096n);
      assert.equal((await old.selectFrom("accounts").select("id").execute()).length, 0);
    } finally {
      await old.destroy();
    }
  });

  it("recognises postgres URLs and rejects other schemes without echoing passwords", async () => {
    assert.ok(isPostgresUrl("postgres://u@h/db"));
    assert.ok(isPostgresUrl("postgresql://u@h:5432/db"));
    assert.ok(!isPostgresUrl(join(dir, "x.sqlite")));
    assert.equal(redactUrl("postgres://alice:s3cret@db:5432/x"), "postgres://alice:***@db:5432/x");
    assert.deepEqual(databaseTarget(undefined, "/data"), { dataDir: "/data" });
    assert.deepEqual(databaseTarget("", "/data"), { dataDir: "/data" });
    assert.equal(databaseTarget("postgresql://u@h/db", "/data"), "postgresql://u@h/db");
    assert.throws(() => databaseTarget("mysql://alice:s3cret@db/x", "/data"), (error: Error) => !error.message.includes("s3cret"));
    await assert.rejects(openDatabase("mysql://alice:s3cret@db/x"), (error: Error) => {
      assert.match(error.message, /unsupported database URL scheme/);
      assert.doesNotMatch(error.message, /s3cret/);
      return true;
    });
  });
});

function deposit(accountId: string, amount: bigint, balanceAfter: bigint, ref: string) {
  return {
    account_id: accountId,
    kind: "deposit" as const,
    amount,
    balance_after: balanceAfter,
    ref,
    memo: null,
    created_at: NOW,
  };
}
