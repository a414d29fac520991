// One writer per chain: of two indexers on one database, one indexes and the other waits, then
// takes over when the first stops (PostgreSQL: an advisory lock; SQLite: an in-process guard).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openDatabase } from "@fomo/ledger";
import { sql } from "kysely";
import type { LocalChain } from "@fomo/deploy";
import { describeEachDatabase, describePostgres } from "@fomo/testkit/databases";
import { Indexer, type IndexerLog } from "../src/index.ts";
import { startScenarioChain } from "./support/indexer-scenario.ts";

let chain: LocalChain;
before(async () => {
  chain = (await startScenarioChain(1)).chain;
});
after(() => chain?.stop());

function recorder(): IndexerLog & { held: boolean; times: number } {
  const log = {
    held: false,
    /** How many times it took the lock. */
    times: 0,
    info(message: string) {
      if (message.includes("writer lock held")) {
        log.held = true;
        log.times++;
      }
    },
    warn() {},
    error(message: string, details?: Record<string, unknown>) {
      throw new Error(`${message} ${JSON.stringify(details)}`);
    },
  };
  return log;
}

/** Two indexers of the chain, each on a database handle of its own to `target`. */
async function twoIndexers(target: string) {
  const [dbA, dbB] = [await openDatabase(target, { poolSize: 3 }), await openDatabase(target, { poolSize: 3 })];
  const [logA, logB] = [recorder(), recorder()];
  const make = (db: typeof dbA, log: IndexerLog) =>
    new Indexer({ db, client: chain.publicClient, deployments: chain.deployments, pollMs: 50, log });
  const [a, b] = [make(dbA, logA), make(dbB, logB)];
  const close = async () => {
    await a.stop();
    await b.stop();
    await dbA.destroy();
    await dbB.destroy();
  };
  return { a, b, logA, logB, dbB, close };
}

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeEachDatabase("indexer writer lock", (suite) => {
  test("a second indexer of the chain waits for the first, and takes over when it stops", async () => {
    const { a, b, logA, logB, close } = await twoIndexers(await suite.target());
    try {
      a.start();
      await until(() => logA.held, "the first indexer holds the lock");
      b.start();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(logB.held, false, "the second waits while the first holds the lock");
      await a.stop();
      await until(() => logB.held, "the second takes over");
      const head = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
      await chain.publicClient.request({ method: "evm_mine" as never, params: [] as never });
      const status = async () => (await b.status())[0]!.indexedTo;
      const end = Date.now() + 10_000;
      while ((await status()) <= head && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok((await status()) > head, "the new writer indexes the new block");
    } finally {
      await close();
    }
  });
});

describePostgres("indexer writer lock, holder's session killed", (suite) => {
  test("when the holder's database session dies, it notices and stops writing; one instance takes the lock again", async () => {
    const { a, b, logA, logB, dbB, close } = await twoIndexers(await suite.target());
    let lostA = false;
    logA.warn = (message: string) => void (message.includes("lock lost") && (lostA = true));
    logA.error = () => {}; // its connections were cut: its sync fails until it notices
    try {
      a.start();
      await until(() => logA.held, "the first indexer holds the lock");
      b.start();
      // As if the first instance's host vanished: the server ends the session holding the lock.
      await sql`select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and granted and pid <> pg_backend_pid()`.execute(dbB);
      await until(() => lostA, "the first notices it lost the lock");
      // Whichever retries first wins (the first instance is alive here; a dead one would not retry).
      await until(() => logB.held || logA.times === 2, "the lock is taken again");
      const holders = await sql<{ n: string }>`select count(*) as n from pg_locks where locktype = 'advisory' and granted`.execute(dbB);
      assert.equal(Number(holders.rows[0]!.n), 1, "one writer");
    } finally {
      await close();
    }
  });
});
