// Group commit for SQLite. With `synchronous = FULL` every commit fsyncs the WAL on the event loop's
// thread (better-sqlite3 is synchronous): two commits per request, 0.6 ms median and 7 ms at p90 on
// a VM disk, during which nothing else runs. With `synchronous = NORMAL` a commit only writes the
// WAL (it survives a process crash: the data is in the OS page cache) and the ledger asks for a
// barrier before it answers a client: an fdatasync of the WAL file (as SQLite itself syncs it), run
// on the libuv pool, shared by every commit made before it started.
import { open, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";

/** Makes every commit made before the call durable (on disk) before it resolves. */
export interface DurabilityBarrier {
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL (its commits are durable when they return), SQLite with synchronous = FULL, or in memory. */
export const ALREADY_DURABLE: DurabilityBarrier = {
  sync: async () => {},
  close: async () => {},
};

/**
 * Coalesces barriers: one fsync in flight at a time. A call while one runs waits for the next one,
 * which starts when the running one ends and covers every call made meanwhile: an fsync that started
 * before a commit ended may have missed its WAL frames, one that started after cannot have.
 */
export class GroupSync implements DurabilityBarrier {
  readonly #fsync: () => Promise<void>;
  #running: Promise<void> | undefined;
  #next: Promise<void> | undefined;
  /** fsyncs started so far (tests and metrics: how well commits coalesce). */
  started = 0;

  constructor(fsync: () => Promise<void>) {
    this.#fsync = fsync;
  }

  sync(): Promise<void> {
    if (this.#next !== undefined) return this.#next;
    if (this.#running === undefined) return this.#start();
    const start = () => this.#start();
    this.#next = this.#running.then(start, start);
    return this.#next;
  }

  #start(): Promise<void> {
    this.started++;
    const running: Promise<void> = this.#fsync().finally(() => {
      if (this.#running === running) this.#running = undefined;
    });
    this.#running = running;
    this.#next = undefined;
    return running;
  }

  /** Waits for the fsyncs under way. */
  async close(): Promise<void> {
    await Promise.allSettled([this.#running, this.#next]);
  }
}

/** What a GroupSync over a SQLite WAL file exposes: the barrier, and how many fsyncs it ran. */
export interface WalBarrier extends DurabilityBarrier {
  readonly fsyncs: number;
}

/**
 * The barrier of a SQLite database in WAL mode: fsync its -wal file. SQLite keeps that file (it
 * rewrites it from the start after a checkpoint, and deletes it only when the last connection
 * closes) while our connection is open, so one handle stays valid. The file's directory entry is
 * made durable once, when the handle is opened.
 */
export function walFileSync(databaseFile: string): WalBarrier {
  let handle: Promise<FileHandle> | undefined;
  const openWal = async (): Promise<FileHandle> => {
    const file = await open(`${databaseFile}-wal`, "r");
    const dir = await open(dirname(databaseFile), "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    return file;
  };
  const group = new GroupSync(async () => {
    handle ??= openWal().catch((error: unknown) => {
      handle = undefined; // try again at the next barrier
      throw error;
    });
    // fdatasync: the WAL's data and its size, not its timestamps; SQLite's own WAL syncs do the same.
    // After a checkpoint the WAL is overwritten from its start, and then this is ~3x cheaper than fsync.
    await (await handle).datasync();
  });
  return {
    sync: () => group.sync(),
    get fsyncs() {
      return group.started;
    },
    async close() {
      await group.close();
      const file = await handle?.catch(() => undefined);
      await file?.close();
    },
  };
}
