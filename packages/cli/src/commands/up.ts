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
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { startLocalChain } from "@fomo/deploy";
import { ReadModelServing } from "@fomo/engine";
import { DEFAULT_MODEL_FILE, findModelFile, modelSearchPath, readEnv, type EnvConfig, type GatewayServer } from "@fomo/gateway";
import { databaseTarget, Ledger, openDatabase } from "@fomo/ledger";
import { formatMicroUsd, parseUsd } from "@fomo/sdk";
import { EPOCH_SECONDS, MIN_EPOCH_SECONDS } from "@fomo/sdk/params";
import { DEFAULT_GATEWAY_PORT, DEFAULT_PLATFORM_PORT, LOCAL_CHAIN_ID, parseCount, parseFlags, parsePort, withoutSwitch } from "../args.ts";
import { DEFAULT_DATA_DIR, deploymentsPath, ROOT } from "../paths.ts";
import { DEV_ACCOUNT_ROLES } from "../signer.ts";
import { build } from "./build.ts";
import { seedDemo, type DemoOfferings } from "./demo.ts";
import { startGateway } from "./gateway.ts";

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
  /** The web app's URL once it ships with the stack; null until then. */
  webUrl: string | null;
  /** The deployments file (the SDK's readDeployments reads it). */
  deployments: string;
  apiKey: string;
  /** What --demo seeded (the $MT address of each offering by state), when it did. */
  demo?: DemoOfferings;
}

export const stackFilePath = (dataDir: string) => join(dataDir, "stack.json");
const lockFilePath = (dataDir: string) => join(dataDir, "up.lock");
const say = (line: string) => process.stderr.write(`[fomo] ${line}\n`);

/** A start that stopped on Ctrl-C: the stack is taken down as after a normal run. */
class StartInterrupted extends Error {}

/** Starts the stack: checks first, builds the contracts, then one line of progress per step. */
export async function up(opts: UpOptions): Promise<number> {
  const env = readEnv();
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
    await preflight(opts, env);
    if (opts.reset) resetDataDir(opts.dataDir);
    say("building the contracts");
    if ((await build()) !== 0) throw new Error("fomo up: the contracts did not build (see above)");
    unlessStopped();
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

/** Everything checked before anything starts: each port free, the gateway's model file present. */
async function preflight(opts: UpOptions, env: EnvConfig): Promise<void> {
  for (const { what, port, flag } of stackPorts(opts)) {
    if (!(await portFree(port))) throw new Error(`fomo up: port ${port} (${what}) is already in use: stop what listens there or pass ${flag} N`);
  }
  try {
    findModelFile(DEFAULT_MODEL_FILE, modelSearchPath(env.modelsDir));
  } catch (error) {
    throw new Error(`fomo up: the gateway's local model is missing: ${(error as Error).message}`);
  }
  if (opts.reset && env.databaseUrl) {
    throw new Error("fomo up --reset: the ledger is in DATABASE_URL's database, which up does not delete: empty it yourself, then run without DATABASE_URL's data");
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

interface StartedStack {
  file: StackFile;
  deploymentsFile: string;
  restored: boolean;
  wallets: readonly `0x${string}`[];
  /** Settles when a part the stack needs (the chain, the platform API) has stopped on its own. */
  failed: Promise<void>;
}

/** The parts, in order, each registered with `started` so that any failure or stop takes down the rest. */
async function startStack(
  opts: UpOptions,
  env: EnvConfig,
  started: (name: string, stop: () => Promise<unknown>) => void,
  stopping: () => boolean,
): Promise<StartedStack> {
  const log = (name: string) => join(opts.dataDir, `${name}.log`);
  const deploymentsFile = deploymentsPath(opts.dataDir, LOCAL_CHAIN_ID);
  const persist = { dir: join(opts.dataDir, "chain"), deploymentsFile };

  say(`starting the chain on port ${opts.port} (log: ${log("chain")})`);
  // Governance is a real TimelockController, with no delay on the local chain (production: days).
  const chain = await startLocalChain({
    port: opts.port,
    logFile: log("chain"),
    persist,
    deploy: { timelockDelay: 0, epochSeconds: opts.epochSeconds, log: (l) => process.stderr.write(l + "\n") },
  });
  started("chain", chain.stop);
  const d = chain.deployments;
  say(chain.restored ? `chain restored from ${persist.dir} (block ${await chain.publicClient.getBlockNumber()})` : `FOMO deployed; deployments: ${deploymentsFile}`);

  say(`starting the gateway on port ${opts.gatewayPort} (log: ${log("gateway")})`);
  const gateway: GatewayServer = await startGateway(
    {
      port: opts.gatewayPort,
      dataDir: opts.dataDir,
      env,
      ...(env.databaseUrl ? { databaseUrl: env.databaseUrl } : {}),
      // The indexer started below feeds the database the gateway opens: deployments and stakes are read there.
      chain: { rpcUrl: chain.url, deployments: d, source: (context) => new ReadModelServing(context) },
      logFile: log("gateway"),
    },
    "--gateway-port",
  );
  started("gateway", () => gateway.close());

  const chainArgs = ["--data-dir", opts.dataDir, "--rpc-url", chain.url, "--deployments", deploymentsFile];
  // A Ctrl-C on the terminal reaches the children too, which then exit before `up` stops them: no news.
  const report = (line: string) => {
    if (!stopping()) process.stderr.write(`${line}\n`);
  };
  say(`starting the indexer (log: ${log("indexer")})`);
  const indexer = startChildProcess({ name: "indexer", args: ["index", "run", ...chainArgs], logFile: log("indexer"), report });
  started("indexer", indexer.stop);
  // After the indexer: the keeper's rewards read the stakes it indexes.
  say(`starting the keeper (log: ${log("keeper")})`);
  const keeper = startChildProcess({ name: "keeper", args: ["keeper", "run", ...chainArgs], logFile: log("keeper"), report });
  started("keeper", keeper.stop);
  say(`starting the platform API on port ${opts.platformPort} (log: ${log("platform")})`);
  const platform = await startPlatformProcess(opts, chain.url, log("platform"), report);
  started("platform API", platform.stop);

  const apiKey = await readyApiKey(opts.dataDir, env);
  say(`API key ready: account ${LOCAL_API_ACCOUNT}, ${apiKey.balance}`);
  const file: StackFile = {
    chainId: d.chainId,
    rpcUrl: chain.url,
    gatewayUrl: `${gateway.url}/v1`,
    apiUrl: `http://127.0.0.1:${opts.platformPort}`,
    webUrl: null,
    deployments: deploymentsFile,
    apiKey: apiKey.secret,
  };
  const previous = readStackFile(opts.dataDir);
  if (opts.demo && !chain.restored) {
    file.demo = await seedDemo({ chain, gatewayUrl: file.gatewayUrl, apiKey: apiKey.secret, epochSeconds: opts.epochSeconds, say });
  } else if (previous?.demo && chain.restored) {
    file.demo = previous.demo;
  } else if (opts.demo) {
    say("demo: this chain was restored, its offerings are as they were (--reset seeds a new demo)");
  }

  const failed = Promise.race([
    chain.exited.then(() => "the chain"),
    platform.exited.then(() => "the platform API"),
  ]).then((what) => {
    if (!stopping()) say(`stopping the stack: ${what} stopped`);
  });
  return { file, deploymentsFile, restored: chain.restored, wallets: chain.wallets.map((w) => w.account.address), failed };
}

/** Who the stack's API key belongs to. */
const LOCAL_API_ACCOUNT = "local-dev";
/** What a new local API account is credited with, USD. */
const LOCAL_API_CREDITS = "100";

/**
 * The API key of stack.json: the previous run's when it still authenticates (restarts keep it), else a
 * new key on the `local-dev` account, credited with LOCAL_API_CREDITS when the account is new.
 */
async function readyApiKey(dataDir: string, env: EnvConfig): Promise<{ secret: string; balance: string }> {
  const db = await openDatabase(databaseTarget(env.databaseUrl, dataDir), { sqliteSync: env.sqliteSync });
  try {
    const ledger = new Ledger(db);
    const previous = readStackFile(dataDir)?.apiKey;
    let secret: string | undefined;
    let accountId: string;
    const known = previous ? await ledger.keys.authenticate(previous).catch(() => undefined) : undefined;
    if (known) {
      secret = previous;
      accountId = known.accountId;
    } else {
      const existing = await ledger.accounts.findByName(LOCAL_API_ACCOUNT);
      const account = existing ?? (await ledger.accounts.create(LOCAL_API_ACCOUNT));
      if (!existing) await ledger.credits.add({ accountId: account.id, amount: parseUsd(LOCAL_API_CREDITS), ref: `up-${account.id}`, memo: "fomo up" });
      secret = (await ledger.keys.create({ accountId: account.id, name: "fomo up" })).secret;
      accountId = account.id;
    }
    return { secret: secret!, balance: `${formatMicroUsd((await ledger.accounts.get(accountId)).balance)} USD of credits` };
  } finally {
    await db.destroy();
  }
}

export function readStackFile(dataDir: string): StackFile | undefined {
  try {
    return JSON.parse(readFileSync(stackFilePath(dataDir), "utf8")) as StackFile;
  } catch {
    return undefined;
  }
}

/** The start banner: every URL, the dev accounts and their roles, the API key, snippets to copy. */
function banner(opts: UpOptions, stack: StartedStack): string {
  const { file } = stack;
  const roles: readonly string[] = DEV_ACCOUNT_ROLES;
  const model = file.demo?.model ?? "stories-260k";
  const lines = [
    "",
    `FOMO local stack is up${stack.restored ? " (chain restored)" : ""}`,
    `  chain RPC    ${file.rpcUrl} (chain id ${file.chainId}; state kept in ${join(opts.dataDir, "chain")})`,
    `  gateway      ${file.gatewayUrl} (OpenAI-compatible: stories-260k and every graduated deployment)`,
    `  platform API ${file.apiUrl} (Sign-In with Ethereum on localhost:${opts.platformPort}, account, top-ups)`,
    `  web app      (not part of the stack yet)`,
    `  deployments  ${file.deployments}`,
    `  epochs       ${opts.epochSeconds} s each (--epoch-seconds); the keeper settles each one`,
    `  logs         ${opts.dataDir}/{chain,gateway,indexer,keeper,platform}.log`,
    `  stack.json   ${stackFilePath(opts.dataDir)} (every URL and the API key, for scripts)`,
    "",
    "Dev accounts (mnemonic \"test test test test test test test test test test test junk\"; ./fomo … --from N):",
    ...stack.wallets.map((address, i) => `  ${String(i).padStart(2)}  ${address}  ${roles[i] ?? "supporter"}`),
    "",
    ...(file.demo
      ? [
          "Demo offerings ($MT):",
          `  raising    ${file.demo.raising}`,
          `  graduated  ${file.demo.graduated} (model ${file.demo.model})`,
          `  failed     ${file.demo.failed} (refunds pending)`,
          "",
        ]
      : []),
    `API key (account ${LOCAL_API_ACCOUNT}): ${file.apiKey}`,
    "",
    "curl:",
    `  curl ${file.gatewayUrl}/chat/completions -H "Authorization: Bearer ${file.apiKey}" -H "Content-Type: application/json" \\`,
    `    -d '{"model":"${model}","messages":[{"role":"user","content":"Once upon a time"}],"max_tokens":32}'`,
    "",
    "openai (Node):",
    `  import OpenAI from "openai";`,
    `  const client = new OpenAI({ baseURL: "${file.gatewayUrl}", apiKey: "${file.apiKey}" });`,
    `  const reply = await client.chat.completions.create({ model: "${model}", messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 32 });`,
    `  console.log(reply.choices[0].message.content);`,
    "",
    "Press Ctrl-C to stop.",
    "",
  ];
  return `${lines.join("\n")}\n`;
}

/** `fomo platform` on the local chain, logging to `logFile`; resolves once it answers HTTP. */
async function startPlatformProcess(opts: UpOptions, rpcUrl: string, logFile: string, report: (line: string) => void): Promise<ChildFomo> {
  const args = ["platform", "--port", String(opts.platformPort), "--data-dir", opts.dataDir, "--rpc-url", rpcUrl];
  const child = startChildProcess({ name: "platform API", args, logFile, report });
  let gone = false;
  void child.exited.then(() => (gone = true));
  for (let waited = 0; ; waited += 100) {
    if (gone) throw new Error(`the platform API stopped at start: see ${logFile}`);
    if (waited > 30_000) {
      await child.stop();
      throw new Error(`the platform API did not answer on port ${opts.platformPort} within 30 s: see ${logFile}`);
    }
    const answered = await fetch(`http://127.0.0.1:${opts.platformPort}/account`).then(() => true, () => false);
    if (answered) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return child;
}

export interface ChildFomo {
  /** Resolves when the process has exited, for whatever reason. */
  exited: Promise<void>;
  /** Ends it with SIGTERM (the indexer commits, the keeper finishes the step in flight), then waits for it. */
  stop(): Promise<void>;
}

/**
 * `fomo <args>` as a child process of the stack (log in `logFile`). One that exits without being
 * stopped (a wrong FOMO_KEEPER_KEY, a crash) would otherwise vanish silently while the stack runs on:
 * `report` gets one line naming it, its exit code and its log.
 */
export function startChildProcess(
  { name, args, logFile, report = (line) => process.stderr.write(`${line}\n`) }:
    { name: string; args: string[]; logFile: string; report?: (line: string) => void },
): ChildFomo {
  const log = openSync(logFile, "a");
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, "packages/cli/src/main.ts"), ...args], { stdio: ["ignore", log, log] });
  closeSync(log);
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      if (!stopping) report(`[fomo] the ${name} exited on its own (${signal ? `signal ${signal}` : `exit code ${code}`}): see ${logFile}`);
      resolve();
    }),
  );
  return {
    exited,
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
