// SQLite group transactions: the write transactions of one turn of the event loop commit together,
// each in its own savepoint; one that fails rolls back alone, and if the group cannot commit, no
// caller is told its transaction did.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { sql, type Transaction } from "kysely";
import { openDatabase, TransactionGroups, type Database, type Schema } from "../src/db/index.ts";

describe("group transactions (SQLite)", () => {
  const dir = mkdtempSync(join(tmpdir(), "fomo-groups-"));
  let db: Database;
  before(async () => {
    db = await openDatabase({ dataDir: dir });
    await sql`create table things (id integer primary key, name text not null unique)`.execute(db);
  });
  beforeEach(async () => {
    await sql`delete from things`.execute(db);
  });
  after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (trx: Transaction<Schema>, id: number, name: string) => sql`insert into things (id, name) values (${id}, ${name})`.execute(trx);
  const names = async () => (await sql<{ name: string }>`select name from things order by id`.execute(db)).rows.map((r) => r.name);

  it("commits the transactions asked for in one turn of the loop as one group, each with its own result", async () => {
    const groups = new TransactionGroups(db);
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((id) =>
        groups.run(async (trx) => {
          await insert(trx, id, `thing ${id}`);
          return id * 10;
        }),
      ),
    );
    assert.deepEqual(results, [10, 20, 30, 40, 50]);
    assert.deepEqual([groups.groups, groups.grouped], [1, 5]);
    assert.deepEqual(await names(), ["thing 1", "thing 2", "thing 3", "thing 4", "thing 5"]);
  });

  it("runs them in order: a later transaction reads what an earlier one of the group wrote", async () => {
    const groups = new TransactionGroups(db);
    const [, seen] = await Promise.all([
      groups.run((trx) => insert(trx, 1, "first")),
      groups.run(async (trx) => (await sql<{ n: number }>`select count(*) as n from things`.execute(trx)).rows[0]!.n),
    ]);
    assert.equal(seen, 1n);
  });

  it("rolls back a transaction that fails, alone: its own error, its writes gone, the others committed", async () => {
    const groups = new TransactionGroups(db);
    const outcomes = await Promise.allSettled([
      groups.run((trx) => insert(trx, 1, "kept")),
      groups.run(async (trx) => {
        await insert(trx, 2, "undone");
        throw new Error("changed my mind");
      }),
      groups.run((trx) => insert(trx, 3, "kept")), // the unique name: a constraint error of SQLite's own
      groups.run((trx) => insert(trx, 4, "also kept")),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ["fulfilled", "rejected", "rejected", "fulfilled"],
    );
    assert.match(String((outcomes[1] as PromiseRejectedResult).reason), /changed my mind/);
    assert.match(String((outcomes[2] as PromiseRejectedResult).reason), /UNIQUE constraint failed/);
    assert.deepEqual(await names(), ["kept", "also kept"]);
    assert.deepEqual([groups.groups, groups.grouped], [1, 4]);
  });

  it("tells no caller its transaction committed when the group could not commit", async () => {
    const groups = new TransactionGroups(db);
    const outcomes = await Promise.allSettled([
      groups.run((trx) => insert(trx, 1, "written, then lost with the group")),
      // Ends the group's transaction behind its back, as SQLite does itself on an I/O error or a full disk.
      groups.run(async (trx) => {
        await sql`rollback`.execute(trx);
        throw new Error("the disk is full");
      }),
      groups.run((trx) => insert(trx, 3, "never run")),
    ]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ["rejected", "rejected", "rejected"],
    );
    assert.match(String((outcomes[1] as PromiseRejectedResult).reason), /the disk is full/);
    assert.deepEqual(await names(), []);
    assert.equal(groups.groups, 0);
    // The database is still usable afterwards.
    await groups.run((trx) => insert(trx, 5, "after"));
    assert.deepEqual(await names(), ["after"]);
  });

  it("splits more transactions than a group takes into several groups", async () => {
    const groups = new TransactionGroups(db, 3);
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((id) => groups.run((trx) => insert(trx, id, `thing ${id}`))));
    assert.deepEqual([groups.groups, groups.grouped], [3, 7]);
    assert.equal((await names()).length, 7);
  });

  it("is what the database's writeTransaction uses on SQLite", async () => {
    const before = db.groups!.grouped;
    await Promise.all([1, 2].map((id) => db.writeTransaction((trx) => insert(trx, id, `thing ${id}`))));
    assert.equal(db.groups!.grouped - before, 2);
  });
});
