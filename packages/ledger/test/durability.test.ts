// SQLite group commit: commits are made durable by a shared fsync of the WAL, run off the event
// loop, that each settle awaits before it returns.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import SqliteDatabase from "better-sqlite3";
import { sql } from "kysely";
import { GroupSync, SAFETY_AUTOCHECKPOINT_PAGES, openDatabase, sqliteSyncMode, type Database, type WalBarrier } from "../src/db/index.ts";
import { Ledger } from "../src/index.ts";
import { TEST_PRICING } from "@fomo/testkit/pricing";

/** An fsync the test finishes by hand, recording the order things happen in. */
function manualFsync() {
  const runs: Array<{ finish: () => void; fail: (error: Error) => void }> = [];
  const fsync = () =>
    new Promise<void>((resolve, reject) => {
      runs.push({ finish: resolve, fail: reject });
    });
  return { runs, fsync };
}

const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe("GroupSync", () => {
  it("starts an fsync at once when none is running", async () => {
    const { runs, fsync } = manualFsync();
    const group = new GroupSync(fsync);
    const first = group.sync();
    assert.equal(runs.length, 1);
    assert.equal(await settled(first), false);
    runs[0]!.finish();
    await first;
  });

  it("makes calls during a running fsync wait for the next one, which they all share", async () => {
    const { runs, fsync } = manualFsync();
    const group = new GroupSync(fsync);
    const first = group.sync();
    const later = [group.sync(), group.sync(), group.sync()];
    assert.equal(runs.length, 1, "no second fsync while one runs");
    runs[0]!.finish();
    await first;
    // The first fsync may have started before these callers' commits: it does not cover them.
    assert.equal(await settled(Promise.any(later)), false);
    assert.equal(runs.length, 2, "the next fsync starts when the running one ends");
    runs[1]!.finish();
    await Promise.all(later);
    assert.equal(group.started, 2);
  });

  it("starts the next fsync even when the running one failed, and reports each failure to its callers", async () => {
    const { runs, fsync } = manualFsync();
    const group = new GroupSync(fsync);
    const first = group.sync();
    const second = group.sync();
    runs[0]!.fail(new Error("EIO"));
    await assert.rejects(first, /EIO/);
    assert.equal(runs.length, 2);
    runs[1]!.finish();
    await second;
    const third = group.sync();
    assert.equal(runs.length, 3, "idle again: a new call starts its own fsync");
    runs[2]!.finish();
    await third;
  });
});

describe("SQLite durability", () => {
  const dir = mkdtempSync(join(tmpdir(), "fomo-durability-"));
  const opened: Database[] = [];
  after(async () => {
    await Promise.all(opened.map((db) => db.destroy()));
    rmSync(dir, { recursive: true, force: true });
  });
  let count = 0;
  const open = async (sqliteSync?: "normal" | "full") => {
    const file = join(dir, `ledger-${++count}.sqlite`);
    const db = await openDatabase(file, sqliteSync && { sqliteSync });
    opened.push(db);
    return { db, file };
  };
  const synchronous = async (db: Database) => (await sql<{ synchronous: bigint }>`pragma synchronous`.execute(db)).rows[0]!.synchronous;

  it("reads FOMO_SQLITE_SYNC: normal by default, full on request, anything else refused", () => {
    assert.equal(sqliteSyncMode(undefined), "normal");
    assert.equal(sqliteSyncMode(""), "normal");
    assert.equal(sqliteSyncMode("FULL"), "full");
    assert.throws(() => sqliteSyncMode("off"), /FOMO_SQLITE_SYNC must be 'normal' or 'full', got 'off'/);
  });

  it("commits with synchronous = NORMAL under group commit, FULL in the old mode", async () => {
    assert.equal(await synchronous((await open()).db), 1n);
    assert.equal(await synchronous((await open("full")).db), 2n);
  });

  it("answers concurrent settles after shared fsyncs of the WAL, each barrier asked for after its commit", async () => {
    const { db, file } = await open("normal");
    const ledger = new Ledger(db);
    const account = await ledger.accounts.create("team");
    await ledger.credits.add({ accountId: account.id, amount: 10_000_000n, ref: "deposit" });
    const { key } = await ledger.keys.create({ accountId: account.id });
    const SETTLES = 24;
    const ids = Array.from({ length: SETTLES }, (_, i) => `req-${i}`);
    for (const requestId of ids) {
      await ledger.metering.reserve({ requestId, keyId: key.id, amount: 100_000n, modelId: "m", deployment: "platform", pricing: TEST_PRICING });
    }

    // Another connection sees only what is committed: a barrier asked for before the settle's
    // commit would not cover it.
    const reader = new SqliteDatabase(file, { readonly: true });
    const committed = reader.prepare("select count(*) as n from usage_records").pluck();
    const barrier = db.barrier as WalBarrier;
    const sync = barrier.sync.bind(barrier);
    const committedAtBarrier: number[] = [];
    (barrier as { sync: () => Promise<void> }).sync = () => {
      committedAtBarrier.push(Number(committed.get()));
      return sync();
    };
    const before = barrier.fsyncs;
    const records = await Promise.all(
      ids.map((requestId) => ledger.metering.settle(requestId, { inputTokens: 10n, outputTokens: 10n, source: "tokenizer" })),
    );
    reader.close();

    assert.equal(records.length, SETTLES);
    assert.equal(committedAtBarrier.length, SETTLES, "every settle waited for a barrier");
    committedAtBarrier.forEach((n, i) => assert.ok(n >= i + 1, `barrier ${i} asked for after ${n} commits`));
    const fsyncs = barrier.fsyncs - before;
    assert.ok(fsyncs >= 1 && fsyncs < SETTLES, `${fsyncs} fsyncs for ${SETTLES} settles`);
    assert.equal((await ledger.accounts.get(account.id)).held, 0n);
  });

  it("checkpoints the WAL from a worker thread, the gateway's own automatic checkpoint pushed far off", async () => {
    const { db } = await open("normal");
    const autocheckpoint = (await sql<{ wal_autocheckpoint: bigint }>`pragma wal_autocheckpoint`.execute(db)).rows[0]!;
    assert.equal(autocheckpoint.wal_autocheckpoint, BigInt(SAFETY_AUTOCHECKPOINT_PAGES));
    const ledger = new Ledger(db);
    await ledger.accounts.create("written"); // frames in the WAL for the worker to copy
    let result = await db.checkpointer!.next();
    while (result.checkpointed === 0) result = await db.checkpointer!.next();
    assert.ok(result.checkpointed > 0 && result.checkpointed <= result.log, JSON.stringify(result));
    assert.equal((await ledger.accounts.findByName("written"))?.name, "written");
  });

  it("runs no checkpoint worker in the old mode", async () => {
    assert.equal((await open("full")).db.checkpointer, undefined);
  });
});

