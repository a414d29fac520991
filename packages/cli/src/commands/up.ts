// `fomo up`: the whole local stack. A local EVM chain (anvil, its state kept in the data dir across
// restarts) with real Uniswap V2 and the FOMO protocol deployed, test FLOCK/USDC in the dev accounts,
// the deployments file the SDK reads, the metered gateway on the local model serving that chain's
// graduated deployments (read from the read model the indexer keeps in the gateway's database), and as
// processes of their own, so that their SQLite connections never wait on the gateway's inside one event
// loop: the chain indexer (`fomo index run`, no confirmations on the local chain), the keeper (`fomo
// keeper run`: settles each epoch, signing as the dev account that holds the keeper role) and the
// platform API (`fomo platform`: sign-in, billing). `--demo` seeds offerings in every state (demo.ts).
//
// Everything a stack writes lives in its data dir, and nothing is written there before the data dir's
// lock is held and every port is known free: a second `up` fails with one line and leaves the running
// stack's files alone.
// This module loads before the contracts are built (a new clone has no SDK ABIs yet): the checks and
// the arguments here; the stack itself in up-stack.ts, loaded after the build.
import { mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { EPOCH_SECONDS, MIN_EPOCH_SECONDS } from "@fomo/sdk/params";
import { DEFAULT_GATEWAY_PORT, DEFAULT_PLATFORM_PORT, parseCount, parseFlags, parsePort, withoutSwitch } from "../args.ts";
import { DEFAULT_DATA_DIR } from "../paths.ts";
import { build } from "./build.ts";
import type { DemoOfferings } from "./demo.ts";

export interface UpOptions {
  /** The chain's JSON-RPC port. */
  port: number;
  gatewayPort: number;
  platformPort: number;
  dataDir: string;
  /**
   * Seconds per epoch (the EmissionSchedule's day length): one number for the revenue reports, the
   * reward roots and the emission days. A day by default, as in production; 60 at least, for a demo.
   */
  epochSeconds: number;
  /** Seed offerings in every state on a new chain (demo.ts). */
  demo: boolean;
  /** Start over: the data dir's chain, deployments, ledger and epoch files are deleted first. */
  reset: boolean;
}

/** A demo's epochs: a minute, so its usage is settled while one watches. */
export const DEMO_EPOCH_SECONDS = 60;
const UP_USAGE = "up [--demo] [--reset] [--port N] [--gateway-port N] [--platform-port N] [--data-dir DIR] [--epoch-seconds N]";

/** `fomo up [--demo] [--reset] [--port N] [--gateway-port N] [--platform-port N] [--data-dir DIR] [--epoch-seconds N]`. */
export function parseUpArgs(args: string[]): UpOptions {
  const [demo, withoutDemo] = withoutSwitch(args, "--demo");
  const [reset, flags] = withoutSwitch(withoutDemo, "--reset");
  const defaults = {
    port: "8545", "gateway-port": DEFAULT_GATEWAY_PORT, "platform-port": DEFAULT_PLATFORM_PORT, "data-dir": DEFAULT_DATA_DIR,
    "epoch-seconds": String(demo ? DEMO_EPOCH_SECONDS : EPOCH_SECONDS),
  };
  return parseFlags(flags, UP_USAGE, defaults, (v) => {
    const opts = {
      port: parsePort(v.port!),
      gatewayPort: parsePort(v["gateway-port"]!, "--gateway-port"),
      platformPort: parsePort(v["platform-port"]!, "--platform-port"),
      dataDir: v["data-dir"]!,
      epochSeconds: parseCount(v["epoch-seconds"]!, "--epoch-seconds", MIN_EPOCH_SECONDS, EPOCH_SECONDS),
      demo,
      reset,
    };
    const named = stackPorts(opts);
    for (const [i, { what, port }] of named.entries()) {
      const clash = named.slice(i + 1).find((other) => other.port === port);
      if (clash) throw new Error(`fomo up: ${what} and ${clash.what} cannot share port ${port}`);
    }
    return opts;
  });
}

/** Every port the stack listens on, with what listens and the flag that moves it. */
function stackPorts(opts: Pick<UpOptions, "port" | "gatewayPort" | "platformPort">): Array<{ what: string; port: number; flag: string }> {
  return [
    { what: "the chain", port: opts.port, flag: "--port" },
    { what: "the gateway", port: opts.gatewayPort, flag: "--gateway-port" },
    { what: "the platform API", port: opts.platformPort, flag: "--platform-port" },
  ];
}

/** What `<data-dir>/stack.json` holds, for scripts: where everything answers and a ready API key. */
export interface StackFile {
  chainId: number;
  rpcUrl: string;
  gatewayUrl: string;
  apiUrl: string;
  /** The web app, which the platform API's server serves beside /api/v1; null in a stack file of an older stack. */
  webUrl: string | null;
  /** The deployments file (the SDK's readDeployments reads it). */
  deployments: string;
  apiKey: string;
  /** What --demo seeded (the $MT address of each offering by state), when it did. */
  demo?: DemoOfferings;
}

export const stackFilePath = (dataDir: string) => join(dataDir, "stack.json");
const lockFilePath = (dataDir: string) => join(dataDir, "up.lock");
export const say = (line: string) => process.stderr.write(`[fomo] ${line}\n`);

/** A start that stopped on Ctrl-C: the stack is taken down as after a normal run. */
class StartInterrupted extends Error {}

/**
 * Starts the stack: the data dir's lock and every port checked first, then the contracts built (a new
 * clone has no SDK ABIs before that: the stack's code loads after), then one line of progress per step.
 */
export async function up(opts: UpOptions): Promise<number> {
  const releaseLock = lockDataDir(opts.dataDir);
  const stop = stopSignal();
  const running: Array<{ name: string; stop: () => Promise<unknown> }> = [];
  const started = (name: string, stopIt: () => Promise<unknown>) => running.push({ name, stop: stopIt });
  const unlessStopped = () => {
    if (stop.requested()) throw new StartInterrupted();
  };
  let interrupted = false;
  let failedOnItsOwn = false;
  let stopping = false;
  try {
    await checkPorts(opts);
    say("building the contracts and the web app");
    if ((await build()) !== 0) throw new Error("fomo up: the contracts or the web app did not build (see above)");
    unlessStopped();
    const { banner, checkedEnv, startStack } = await import("./up-stack.ts");
    const env = checkedEnv(opts);
    if (opts.reset) resetDataDir(opts.dataDir);
    const stack = await startStack(opts, env, started, () => stopping || stop.requested());
    unlessStopped();
    writeFileSync(stackFilePath(opts.dataDir), `${JSON.stringify(stack.file, null, 2)}\n`);
    process.stderr.write(banner(opts, stack));
    failedOnItsOwn = await Promise.race([stop.promise.then(() => false), stack.failed.then(() => true)]);
  } catch (error) {
    if (!(error instanceof StartInterrupted)) throw error;
    interrupted = true;
  } finally {
    stopping = true;
    for (const { stop: stopIt } of running.reverse()) await stopIt().catch(() => {});
    releaseLock();
    stop.dispose();
  }
  say(`stopped${interrupted ? " while starting" : ""}: ${running.map((r) => r.name).join(", ") || "nothing was running"}; state kept in ${opts.dataDir} (./fomo up resumes it, --reset starts over)`);
  return failedOnItsOwn ? 1 : 0;
}

/** Ctrl-C and SIGTERM from the start on: a stop asked for while starting takes down what started. */
function stopSignal(): { promise: Promise<void>; requested(): boolean; dispose(): void } {
  let requested = false;
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  const onSignal = () => {
    requested = true;
    resolve();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    promise,
    requested: () => requested,
    dispose() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

/**
 * One stack per data dir: `<data-dir>/up.lock` holds the pid of the `up` that owns it. A lock whose
 * process is gone (a crash, a kill -9) is stale and taken over. Returns the release.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = lockFilePath(dataDir);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
      const holder = Number(readFileSync(file, "utf8").trim());
      if (Number.isSafeInteger(holder) && holder > 0 && processAlive(holder)) {
        throw new Error(`fomo up: a stack already runs on data dir ${dataDir} (pid ${holder}): stop it (Ctrl-C there) or pass --data-dir DIR`);
      }
      unlinkSync(file); // stale: its process is gone
    }
  }
  return () => {
    try {
      if (readFileSync(file, "utf8").trim() === String(process.pid)) unlinkSync(file);
    } catch {
      // already gone
    }
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, someone else's
  }
}

/** Every port free, before anything starts or is written. */
async function checkPorts(opts: UpOptions): Promise<void> {
  for (const { what, port, flag } of stackPorts(opts)) {
    if (!(await portFree(port))) throw new Error(`fomo up: port ${port} (${what}) is already in use: stop what listens there or pass ${flag} N`);
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** --reset: every file of the data dir but the lock (chain state, deployments, ledger, epochs, logs). */
function resetDataDir(dataDir: string): void {
  for (const entry of readdirSync(dataDir)) {
    if (entry !== "up.lock") rmSync(join(dataDir, entry), { recursive: true, force: true });
  }
  say(`reset: ${dataDir} emptied (chain state, deployments, ledger, epoch files, logs)`);
}

export function readStackFile(dataDir: string): StackFile | undefined {
  try {
    return JSON.parse(readFileSync(stackFilePath(dataDir), "utf8")) as StackFile;
  } catch {
    return undefined;
  }
}
