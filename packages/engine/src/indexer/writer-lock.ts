// One writer per chain. On PostgreSQL, where several instances may share the database, a session
// advisory lock keyed by the chain id: whoever holds it indexes, the others retry and take over when
// the holder's session ends (a dead process's connection closes and the server releases its lock).
// SQLite is one process's file: an in-process guard keeps two indexers of one chain apart.
import type { Database } from "@fomo/ledger";
import { sql } from "kysely";

export interface WriterLock {
  /** Resolves once held; `stopped` ends the wait (then resolves false). */
  acquire(stopped: () => boolean, retryMs: number): Promise<boolean>;
  /** Whether the lock is still held (a PostgreSQL session can die under it). */
  check(): Promise<boolean>;
  release(): Promise<void>;
}

/** Distinguishes the indexer's advisory locks from anyone else's on the same server (ASCII "FOMOIDX"). */
const LOCK_NAMESPACE = 0x464f4d4f494458n;

const heldInProcess = new Set<string>();

export function writerLock(db: Database, chainId: number): WriterLock {
  return db.dialect === "postgres" ? advisoryLock(db, chainId) : inProcessLock(chainId);
}

function inProcessLock(chainId: number): WriterLock {
  const key = String(chainId);
  let held = false;
  return {
    async acquire(stopped, retryMs) {
      while (heldInProcess.has(key)) {
        if (stopped()) return false;
        await sleep(retryMs);
      }
      heldInProcess.add(key);
      held = true;
      return true;
    },
    async check() {
      return held;
    },
    async release() {
      if (held) heldInProcess.delete(key);
      held = false;
    },
  };
}

function advisoryLock(db: Database, chainId: number): WriterLock {
  const key = BigInt.asIntN(64, (LOCK_NAMESPACE << 8n) ^ BigInt(chainId));
  let releaseConnection: (() => void) | undefined;
  let pinned: Parameters<Parameters<ReturnType<Database["connection"]>["execute"]>[0]>[0] | undefined;
  let finished: Promise<unknown> | undefined;
  return {
    async acquire(stopped, retryMs) {
      while (!stopped()) {
        // The lock belongs to a session: keep one pooled connection for as long as it is held.
        const got = await new Promise<boolean>((resolve, reject) => {
          finished = db
            .connection()
            .execute(async (connection) => {
              const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${key}) as locked`.execute(connection);
              if (!rows[0]?.locked) return resolve(false);
              pinned = connection;
              await new Promise<void>((done) => {
                releaseConnection = () => {
                  // A dead session has released it already.
                  void sql`select pg_advisory_unlock(${key})`.execute(connection).then(() => done(), () => done());
                };
                resolve(true);
              });
            })
            .catch(reject);
        });
        if (got) return true;
        await finished;
        await sleep(retryMs);
      }
      return false;
    },
    async check() {
      if (!pinned) return false;
      // A live session still holds its advisory lock; a dead one fails the query (and the server released the lock).
      return sql`select 1`.execute(pinned).then(() => true, () => false);
    },
    async release() {
      releaseConnection?.();
      releaseConnection = undefined;
      pinned = undefined;
      await finished?.catch(() => {});
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
