// The benchmark's servers each run in a child process of their own, so that none shares an event
// loop with the load generator or with another server. A child's stdout/stderr (request logs
// included) go to a log file, as a production process's would go to a file or a journal.
import { fork, spawn, type ChildProcess } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

export interface Child {
  process: ChildProcess;
  /** What the child reported when it was ready (servers: their URL and anything else). */
  ready: Record<string, unknown>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

/** user + system CPU time of a process so far, ms (Linux /proc; NaN elsewhere). */
export function processCpuMs(pid: number): number {
  try {
    // After the command name (which may hold spaces): state, the line's 3rd field, at 0; utime (14th) and stime (15th).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SEC;
  } catch {
    return Number.NaN;
  }
}
/** USER_HZ, 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SEC = 100;

/** SIGTERM, SIGKILL after 5 s; resolves once the process has exited (at once if it has). */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** `ready`, unless the child exits or READY_TIMEOUT_MS pass first. */
async function untilReady<T>(child: ChildProcess, ready: Promise<T>, what: string, logFile: string): Promise<T> {
  let onExit: (code: number | null, signal: string | null) => void = () => {};
  let timer: NodeJS.Timeout | undefined;
  const failure = new Promise<never>((_, reject) => {
    onExit = (code, signal) => reject(new Error(`${what} exited (${signal ?? code}) before it was ready; see ${logFile}`));
    child.once("exit", onExit);
    timer = setTimeout(() => reject(new Error(`${what} was not ready within ${READY_TIMEOUT_MS / 1000} s; see ${logFile}`)), READY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([ready, failure]);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  } finally {
    child.off("exit", onExit);
    clearTimeout(timer);
  }
}

/**
 * Forks a TypeScript module of this directory that calls process.send(info) once it listens.
 * `onFork` gets the process at once, for a caller that may have to stop it before it is ready.
 */
export async function forkServer(
  module: string,
  args: string[],
  logFile: string,
  execArgv: string[] = [],
  onFork?: (child: ChildProcess) => void,
): Promise<Child> {
  const log = openSync(logFile, "a");
  const child = fork(new URL(module, import.meta.url), args, { stdio: ["ignore", log, log, "ipc"], execArgv: [...process.execArgv, ...execArgv] });
  onFork?.(child);
  const ready = new Promise<Record<string, unknown>>((resolve) => child.once("message", (m) => resolve(m as Record<string, unknown>)));
  const info = await untilReady(child, ready, module, logFile);
  return { process: child, ready: info, stop: () => stopProcess(child) };
}

/** Spawns a server that has no IPC (Portkey) and waits until GET `probeUrl` answers. */
export async function spawnServer(command: string, args: string[], env: NodeJS.ProcessEnv, probeUrl: string, logFile: string): Promise<Child> {
  const log = openSync(logFile, "a");
  const child = spawn(command, args, { stdio: ["ignore", log, log], env: { ...process.env, ...env } });
  let probing = true;
  const probe = async () => {
    while (probing) {
      try {
        const res = await fetch(probeUrl);
        await res.arrayBuffer();
        return {};
      } catch {
        await sleep(100);
      }
    }
  };
  try {
    await untilReady(child, probe(), `${command} ${args.join(" ")}`, logFile);
  } finally {
    probing = false;
  }
  return { process: child, ready: {}, stop: () => stopProcess(child) };
}
