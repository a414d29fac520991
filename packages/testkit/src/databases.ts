// Run a suite on both databases: SQLite (files in a temp dir) and a real PostgreSQL (./postgres.ts).
// Every open() gives a fresh, migrated, empty database; all are closed after the suite.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe } from "node:test";
import { openDatabase, type Database, type DialectName } from "@fomo/ledger";
import { postgresAvailability, startPostgres, type PostgresServer } from "./postgres.ts";
import { describeRequiring } from "./requires.ts";

export interface DatabaseSuite {
  dialect: DialectName;
  /** A fresh migrated database. */
  open(options?: { poolSize?: number }): Promise<Database>;
  /** One migrated database shared by the suite's tests (cheaper; for tests that keep to their own accounts). */
  shared(): Promise<Database>;
  /** Where a fresh, not yet opened database lives (a SQLite path or a postgres URL). */
  target(): Promise<string>;
}

/** PostgreSQL pool size for tests: several connections, so transactions really run in parallel. */
export const PG_POOL_SIZE = 8;

export function describeEachDatabase(title: string, body: (suite: DatabaseSuite) => void): void {
  describe(`${title} [sqlite]`, () => {
    let dir = "";
    let count = 0;
    const opened: Database[] = [];
    before(() => {
      dir = mkdtempSync(join(tmpdir(), "fomo-sqlite-"));
    });
    after(async () => {
      await Promise.all(opened.map((db) => db.destroy()));
      rmSync(dir, { recursive: true, force: true });
    });
    const target = async () => join(dir, `ledger-${++count}.sqlite`);
    const open = async () => {
      const db = await openDatabase(await target());
      opened.push(db);
      return db;
    };
    body({ dialect: "sqlite", target, open, shared: once(open) });
  });
  describePostgres(`${title} [postgres]`, body);
}

/** A suite on a real PostgreSQL only; skipped without one (failed under CI). */
export function describePostgres(title: string, body: (suite: DatabaseSuite) => void): void {
  const availability = postgresAvailability();
  describeRequiring(title, "PostgreSQL", availability.available ? undefined : availability.reason, () => {
    // Skipped: the suite's tests are declared but never run.
    if (!availability.available) return body(unavailable);
    let server: PostgresServer | undefined;
    const opened: Database[] = [];
    before(async () => {
      server = await startPostgres();
    });
    after(async () => {
      await Promise.all(opened.map((db) => db.destroy()));
      await server?.stop();
    });
    const target = async () => {
      if (!server) throw new Error("PostgreSQL did not start");
      return server.createDatabase();
    };
    const open = async (options: { poolSize?: number } = {}) => {
      const db = await openDatabase(await target(), { poolSize: options.poolSize ?? PG_POOL_SIZE });
      opened.push(db);
      return db;
    };
    body({ dialect: "postgres", target, open, shared: once(open) });
  });
}

/** Stand-in for a skipped suite: its tests never run. */
const unavailable: DatabaseSuite = {
  dialect: "postgres",
  open: () => Promise.reject(new Error("PostgreSQL unavailable")),
  shared: () => Promise.reject(new Error("PostgreSQL unavailable")),
  target: () => Promise.reject(new Error("PostgreSQL unavailable")),
};

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= fn());
}
