// openDatabase(): one Kysely instance over SQLite (the default: a file in the data dir) or
// PostgreSQL (a postgres:// URL), with the schema migrated to the latest version.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import SqliteDatabase from "better-sqlite3";
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
  type Transaction,
} from "kysely";
import pg from "pg";
import { SAFETY_AUTOCHECKPOINT_PAGES, startCheckpointer, type Checkpointer } from "./checkpointer.ts";
import { ALREADY_DURABLE, walFileSync, type DurabilityBarrier } from "./durability.ts";
import { TransactionGroups } from "./group-transactions.ts";
import { migrateToLatest } from "./migrations.ts";
import type { Schema } from "./schema.ts";

export type DialectName = "sqlite" | "postgres";

/**
 * How a write transaction keeps others off the rows it changes: "database" where it holds the
 * database's only write lock from its start (SQLite, BEGIN IMMEDIATE), "row" where it locks rows one
 * by one with SELECT … FOR UPDATE (PostgreSQL, transactions side by side on a pool).
 */
export type WriteLock = "database" | "row";

/** A Kysely instance that knows which SQL dialect it speaks (a few queries differ, e.g. FOR UPDATE). */
export interface DatabaseParts {
  /** Run once every connection is closed. */
  afterDestroy?: () => Promise<void>;
  barrier?: DurabilityBarrier;
  checkpointer?: Checkpointer;
}

export class Database extends Kysely<Schema> {
  readonly dialect: DialectName;
  readonly writeLock: WriteLock;
  /** Makes commits durable (see durable()). */
  readonly barrier: DurabilityBarrier;
  /** SQLite under group commit: the worker running WAL checkpoints. */
  readonly checkpointer: Checkpointer | undefined;
  /** SQLite: write transactions of one turn of the event loop commit together (group-transactions.ts). */
  readonly groups: TransactionGroups<Schema> | undefined;
  readonly #afterDestroy: () => Promise<void>;

  constructor(dialect: DialectName, kyselyDialect: SqliteDialect | PostgresDialect, parts: DatabaseParts = {}) {
    super({ dialect: kyselyDialect });
    this.dialect = dialect;
    this.writeLock = dialect === "sqlite" ? "database" : "row";
    this.groups = dialect === "sqlite" ? new TransactionGroups<Schema>(this) : undefined;
    this.barrier = parts.barrier ?? ALREADY_DURABLE;
    this.checkpointer = parts.checkpointer;
    this.#afterDestroy = parts.afterDestroy ?? (async () => {});
  }

  /**
   * Runs `fn` in a write transaction and resolves with its result once it has committed. The hot
   * ledger operations use it: on SQLite they commit in groups (group-transactions.ts), on
   * PostgreSQL, where transactions run side by side on a pool, each is a transaction of its own.
   */
  writeTransaction<T>(fn: (trx: Transaction<Schema>) => Promise<T>): Promise<T> {
    return this.groups ? this.groups.run(fn) : this.transaction().execute(fn);
  }

  /**
   * `query` locking the rows it reads until its transaction ends: FOR UPDATE where rows are locked
   * one by one, as it is where the write transaction already holds the whole database.
   */
  forUpdate<Q extends { forUpdate(): Q }>(query: Q): Q {
    return this.writeLock === "row" ? query.forUpdate() : query;
  }

  /**
   * Resolves once every commit made before the call is on disk (survives a power cut). Await it
   * before telling a client that money moved; every commit already survives a process crash.
   */
  durable(): Promise<void> {
    return this.barrier.sync();
  }

  /** Close the database; resolves once every connection is really closed. */
  override async destroy(): Promise<void> {
    await this.checkpointer?.stop();
    await this.barrier.close();
    await super.destroy();
    await this.#afterDestroy();
  }
}

/**
 * How SQLite makes commits durable. 'normal' (default): group commit, see durability.ts. 'full':
 * each commit fsyncs on its own, on the event loop's thread (the slower behaviour before group commit).
 */
export type SqliteSync = "normal" | "full";

/** FOMO_SQLITE_SYNC, checked: unset means 'normal'. */
export function sqliteSyncMode(value: string | undefined): SqliteSync {
  if (value === undefined || value === "") return "normal";
  const mode = value.toLowerCase();
  if (mode === "normal" || mode === "full") return mode;
  throw new Error(`FOMO_SQLITE_SYNC must be 'normal' or 'full', got '${value}'`);
}

/** A postgres:// URL, a SQLite file path (or ":memory:"), or a data dir holding ledger.sqlite. */
export type DatabaseTarget = string | { url: string } | { dataDir: string };

export interface OpenOptions {
  /** Run pending migrations (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** SQLite durability (default 'normal'; the processes pass FOMO_SQLITE_SYNC, config/env.ts). */
  sqliteSync?: SqliteSync;
}

export const SQLITE_FILE = "ledger.sqlite";

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

export function isPostgresUrl(target: string): boolean {
  return POSTGRES_URL.test(target);
}

/**
 * The gateway's choice: PostgreSQL when DATABASE_URL is a postgres URL, otherwise SQLite in the data
 * dir (any other DATABASE_URL is refused rather than silently ignored).
 */
export function databaseTarget(databaseUrl: string | undefined, dataDir: string): DatabaseTarget {
  if (databaseUrl === undefined || databaseUrl === "") return { dataDir };
  if (!isPostgresUrl(databaseUrl)) throw new Error(`DATABASE_URL must be a postgres:// URL, got ${redactUrl(databaseUrl)}`);
  return databaseUrl;
}

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  const db = createDatabase(target, options);
  if (options.migrate ?? true) {
    try {
      await migrateToLatest(db, db.dialect);
    } catch (error) {
      await db.destroy();
      throw error;
    }
  }
  return db;
}

function createDatabase(target: DatabaseTarget, options: OpenOptions): Database {
  if (typeof target === "object" && "dataDir" in target) {
    mkdirSync(target.dataDir, { recursive: true });
    return openSqlite(join(target.dataDir, SQLITE_FILE), options.sqliteSync ?? "normal");
  }
  const url = typeof target === "string" ? target : target.url;
  if (isPostgresUrl(url)) return openPostgres(url, options.poolSize ?? 10);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new Error(`unsupported database URL scheme in ${redactUrl(url)}: use postgres://… or a SQLite file path`);
  }
  return openSqlite(url, options.sqliteSync ?? "normal");
}

function openSqlite(file: string, sync: SqliteSync): Database {
  const sqlite = new SqliteDatabase(file, { timeout: 5_000 }); // wait up to 5 s for another process's write lock
  sqlite.defaultSafeIntegers(true); // INTEGER columns come back as bigint, never a lossy number
  // Only a new file takes it (an existing one keeps its own). Ledger rows are small and their
  // indexes keyed by random ids, so each commit dirties many pages: 2 KiB pages halve the SQLite time
  // of a reserve + settle under load against the default 4 KiB (bench/gateway, SQLITE_PAGE_SIZE).
  sqlite.pragma(`page_size = ${SQLITE_PAGE_SIZE}`);
  const wal = sqlite.pragma("journal_mode = WAL", { simple: true }) === "wal"; // not for ":memory:"
  const groupCommit = wal && sync === "normal";
  // NORMAL: a commit survives a process crash; the barrier (durable()) makes it survive a power cut.
  // FULL: every commit is fsynced before it returns.
  sqlite.pragma(groupCommit ? "synchronous = NORMAL" : "synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  const dialect = new ImmediateSqliteDialect({ database: reusingStatements(sqlite) });
  if (!groupCommit) return new Database("sqlite", dialect);
  sqlite.pragma(`wal_autocheckpoint = ${SAFETY_AUTOCHECKPOINT_PAGES}`);
  const path = resolve(sqlite.name);
  return new Database("sqlite", dialect, { barrier: walFileSync(path), checkpointer: startCheckpointer(path) });
}

/** Bytes per page of a new SQLite ledger (see openSqlite). */
export const SQLITE_PAGE_SIZE = 2048;

/** More distinct SQL texts than the ledger has queries: a bound that only a runaway caller reaches. */
const MAX_CACHED_STATEMENTS = 256;

/**
 * Kysely's SQLite driver prepares every query anew. A gateway request runs about twenty small
 * ledger queries, and compiling their SQL took a quarter of the ledger's CPU time (bench/gateway),
 * so statements are reused by SQL text: values are bound parameters, so there are few texts. Kysely
 * runs one query at a time on its one connection; a statement still being iterated (a stream) is
 * not handed out again all the same.
 */
function reusingStatements(sqlite: SqliteDatabase.Database): SqliteDialectConfig["database"] {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => void sqlite.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement === undefined || statement.busy) {
        statement = sqlite.prepare(sql);
        if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * Kysely already runs one SQLite transaction at a time per process. BEGIN IMMEDIATE also takes the
 * write lock at the start, so two processes sharing the file serialise instead of failing with
 * SQLITE_BUSY when a read-then-write transaction tries to upgrade its lock.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];

  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

function openPostgres(url: string, poolSize: number): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // BIGINT (int8) as bigint: the default parser returns a string, and Number() would lose precision.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === pg.types.builtins.INT8 ? BigInt : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection that breaks (server restart, network) is dropped by the pool and replaced on
  // the next query; without a listener the 'error' event would crash the process. Errors during a
  // query still reach that query's caller.
  pool.on("error", () => {});
  // pool.end() resolves before its clients' sockets are closed: wait for them, so that a closed
  // Database has no server session left (a DROP DATABASE or a shutdown right after finds none).
  const open = new Set<Promise<void>>();
  pool.on("connect", (client) => {
    // A checked-out client whose session ends between queries (server restart, an operator's
    // pg_terminate_backend) emits 'error' on itself, which the pool does not listen to: without a
    // listener the process would crash. Its next query fails and reaches that query's caller.
    client.on("error", () => {});
    const ended = new Promise<void>((resolve) => client.once("end", () => resolve()));
    open.add(ended);
    void ended.then(() => open.delete(ended));
  });
  return new Database("postgres", new PostgresDialect({ pool }), {
    afterDestroy: async () => {
      await Promise.all(open);
    },
  });
}

/** A UNIQUE / PRIMARY KEY violation, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/** A URL safe to print: no password (Redis URLs often have one without a user: redis://:pw@host). */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, "//$1:***@");
}
