// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the commit that
// crosses the threshold, on the committing thread: it copies the WAL into the database and fsyncs
// both, milliseconds during which the gateway answers nothing. A worker thread with its own
// connection runs them instead, PASSIVE (never waits for, nor blocks, the gateway's transactions);
// the gateway's own automatic checkpoint only remains as a far-off safety net.
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

/** How often the worker checkpoints (ms): a busy gateway writes a few MB of WAL in that time at most. */
export const CHECKPOINT_INTERVAL_MS = 250;

/** The gateway connection's wal_autocheckpoint (pages) when the worker checkpoints: only if it stops. */
export const SAFETY_AUTOCHECKPOINT_PAGES = 20_000;

/** One PASSIVE checkpoint: frames in the WAL, and how many of them are now in the database. */
export interface CheckpointResult {
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  /** Resolves with the result of the next checkpoint the worker runs. */
  next(): Promise<CheckpointResult>;
  stop(): Promise<void>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
db.pragma("synchronous = NORMAL");
const checkpoint = () => {
  const [row] = db.pragma("wal_checkpoint(PASSIVE)");
  parentPort.postMessage({ log: Number(row.log), checkpointed: Number(row.checkpointed) });
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export function startCheckpointer(file: string, intervalMs = CHECKPOINT_INTERVAL_MS): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, intervalMs, driver: fileURLToPath(import.meta.resolve("better-sqlite3")) },
  });
  worker.unref(); // never what keeps a process alive
  const waiting: Array<(result: CheckpointResult) => void> = [];
  worker.on("message", (result: CheckpointResult) => {
    for (const resolve of waiting.splice(0)) resolve(result);
  });
  // A failed checkpointer leaves checkpoints to SQLite's automatic one: slower, never unsafe.
  worker.on("error", () => {});
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    next: () => new Promise((resolve) => waiting.push(resolve)),
    async stop() {
      worker.ref(); // keep the process alive until the worker has closed its connection
      worker.postMessage("stop");
      await exited;
    },
  };
}
