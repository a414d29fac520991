// `fomo up`'s stack, started once up.ts has checked the data dir's lock and the ports and built the
// contracts: the chain, the gateway, the indexer, the keeper, the platform API, the API key, the
// demo, and the banner.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { join } from "node:path";
import { ChainStateMismatch, DEV_FUNDING, DEV_MNEMONIC, startLocalChain } from "@fomo/deploy";
import { ReadModelServing } from "@fomo/engine";
import { DEFAULT_MODEL_FILE, findModelFile, modelSearchPath, readEnv, type EnvConfig, type GatewayServer } from "@fomo/gateway";
import { databaseTarget, Ledger, openDatabase } from "@fomo/ledger";
import { FLOCK, formatMicroUsd, getEpochClock, parseUsd, type Deployments } from "@fomo/sdk";
import { LOCAL_CHAIN_ID } from "../args.ts";
import { deploymentsPath, ROOT } from "../paths.ts";
import { DEV_ACCOUNT_ROLES } from "../signer.ts";
import { demoTraffic, seedDemo } from "./demo.ts";
import { startGateway } from "./gateway.ts";
import { readStackFile, say, stackFilePath, type StackFile, type UpOptions } from "./up.ts";

/**
 * The environment, and what the stack needs from it checked before anything starts: the gateway's
 * model file; no --reset with the ledger in DATABASE_URL's database, which up does not own.
 */
export function checkedEnv(opts: UpOptions): EnvConfig {
  const env = readEnv();
  try {
    findModelFile(DEFAULT_MODEL_FILE, modelSearchPath(env.modelsDir));
  } catch (error) {
    throw new Error(`fomo up: the gateway's local model is missing: ${(error as Error).message}`);
  }
  if (opts.reset && env.databaseUrl) {
    throw new Error("fomo up --reset: the ledger is in DATABASE_URL's database, which up does not delete: empty that database yourself, or unset DATABASE_URL");
  }
  return env;
}

export interface StartedStack {
  file: StackFile;
  contracts: Deployments;
  /** The chain's epoch length, seconds. */
  epochSeconds: number;
  restored: boolean;
  wallets: readonly `0x${string}`[];
  /** Settles when a part the stack needs (the chain, the platform API) has stopped on its own. */
  failed: Promise<void>;
}

/** The parts, in order, each registered with `started` so that any failure or stop takes down the rest. */
export async function startStack(
  opts: UpOptions,
  env: EnvConfig,
  started: (name: string, stop: () => Promise<unknown>) => void,
  stopping: () => boolean,
): Promise<StartedStack> {
  const log = (name: string) => join(opts.dataDir, `${name}.log`);
  const deploymentsFile = deploymentsPath(opts.dataDir, LOCAL_CHAIN_ID);
  const persist = { dir: join(opts.dataDir, "chain"), deploymentsFile };

  if (!existsSync(deploymentsFile)) await refuseOrphanLedger(opts.dataDir, env);
  say(`starting the chain on port ${opts.port} (log: ${log("chain")})`);
  // Governance is a real TimelockController, with no delay on the local chain (production: days).
  const chain = await startLocalChain({
    port: opts.port,
    logFile: log("chain"),
    persist,
    deploy: { timelockDelay: 0, epochSeconds: opts.epochSeconds, log: (l) => process.stderr.write(l + "\n") },
  }).catch((error: unknown) => {
    if (error instanceof ChainStateMismatch) throw new Error(`fomo up: ${error.message}: ./fomo up --reset starts over (it deletes the data dir's chain and ledger)`);
    throw error;
  });
  started("chain", chain.stop);
  const d = chain.deployments;
  // The chain's own: a restored chain keeps the length it was deployed with, whatever --epoch-seconds says now.
  const epochSeconds = Number((await getEpochClock(chain.publicClient, d)).length);
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
  const platform = await startPlatformProcess(opts, { rpcUrl: chain.url, gatewayUrl: `${gateway.url}/v1` }, log("platform"), report);
  started("platform API", platform.stop);

  const apiKey = await readyApiKey(opts.dataDir, env);
  say(`API key ready: account ${LOCAL_API_ACCOUNT}, ${apiKey.balance}`);
  const file: StackFile = {
    chainId: d.chainId,
    rpcUrl: chain.url,
    gatewayUrl: `${gateway.url}/v1`,
    apiUrl: `http://127.0.0.1:${opts.platformPort}/api/v1`,
    webUrl: null,
    deployments: deploymentsFile,
    apiKey: apiKey.secret,
  };
  const previous = readStackFile(opts.dataDir);
  if (opts.demo && !chain.restored) {
    file.demo = await seedDemo({ chain, gatewayUrl: file.gatewayUrl, apiKey: apiKey.secret, epochSeconds, say });
  } else if (previous?.demo && chain.restored) {
    file.demo = previous.demo;
  } else if (opts.demo) {
    say("demo: this chain was restored, its offerings are as they were (--reset seeds a new demo)");
  }
  if (opts.demo && file.demo) {
    const traffic = demoTraffic({ gatewayUrl: file.gatewayUrl, apiKey: apiKey.secret, model: file.demo.model, epochSeconds });
    started("demo traffic", traffic.stop);
    say(`demo: a call to ${file.demo.model} every ${epochSeconds / 2} s while the stack runs`);
  }

  const failed = Promise.race([
    chain.exited.then(() => "the chain"),
    platform.exited.then(() => "the platform API"),
  ]).then((what) => {
    if (!stopping()) say(`stopping the stack: ${what} stopped`);
  });
  return { file, contracts: d, epochSeconds, restored: chain.restored, wallets: chain.wallets.map((w) => w.account.address), failed };
}

/**
 * A new chain must not meet a ledger that recorded usage: the new chain's contracts land at the same
 * addresses (the same deployer, the same nonces), so that usage would name offerings it never had.
 */
async function refuseOrphanLedger(dataDir: string, env: EnvConfig): Promise<void> {
  const db = await openDatabase(databaseTarget(env.databaseUrl, dataDir), { sqliteSync: env.sqliteSync });
  try {
    const { records } = await db.selectFrom("usage_records").select((eb) => eb.fn.countAll<number>().as("records")).executeTakeFirstOrThrow();
    if (Number(records) > 0) {
      throw new Error(`fomo up: the ledger (${env.databaseUrl ? "DATABASE_URL" : dataDir}) holds usage of a chain that is gone (no ${deploymentsPath(dataDir, LOCAL_CHAIN_ID)}): ./fomo up --reset starts over`);
    }
  } finally {
    await db.destroy();
  }
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

/** The start banner: every URL, the dev accounts and their roles, the API key, snippets to copy. */
export function banner(opts: UpOptions, stack: StartedStack): string {
  const { file } = stack;
  const c = stack.contracts.contracts;
  const roles: readonly string[] = DEV_ACCOUNT_ROLES;
  const model = file.demo?.model ?? "stories-260k";
  const lines = [
    "",
    `FOMO local stack is up${stack.restored ? " (chain restored)" : ""}`,
    `  chain RPC    ${file.rpcUrl} (chain id ${file.chainId}; state kept in ${join(opts.dataDir, "chain")})`,
    `  gateway      ${file.gatewayUrl} (OpenAI-compatible: stories-260k and every graduated deployment)`,
    `  platform API ${file.apiUrl} (Sign-In with Ethereum, account, keys, usage, public reads; OpenAPI at ${file.apiUrl}/openapi.json)`,
    `  web app      (not part of the stack yet)`,
    `  deployments  ${file.deployments}`,
    `  contracts    Launchpad ${c.launchpad}, FLOCK ${c.flock}, USDC ${c.usdc} (${stack.contracts.usdcDecimals} decimals), Uniswap V2 router ${c.uniswapV2Router}`,
    `  epochs       ${stack.epochSeconds} s each (set by --epoch-seconds when the chain was deployed); the keeper settles each one`,
    `  logs         ${opts.dataDir}/{chain,gateway,indexer,keeper,platform}.log`,
    `  stack.json   ${stackFilePath(opts.dataDir)} (every URL and the API key, for scripts)`,
    "",
    `Dev accounts, ${DEV_FUNDING.flock / FLOCK} FLOCK and ${DEV_FUNDING.usd} USDC each (mnemonic "${DEV_MNEMONIC}"; ./fomo … --from N):`,
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
/** The platform API, which also serves the web app's build and tells it (GET /api/v1/network) where the chain and the gateway are. */
async function startPlatformProcess(
  opts: UpOptions,
  urls: { rpcUrl: string; gatewayUrl: string },
  logFile: string,
  report: (line: string) => void,
): Promise<ChildFomo> {
  const args = ["platform", "--port", String(opts.platformPort), "--data-dir", opts.dataDir, "--rpc-url", urls.rpcUrl, "--gateway-url", urls.gatewayUrl];
  const child = startChildProcess({ name: "platform API", args, logFile, report });
  let gone = false;
  void child.exited.then(() => (gone = true));
  for (let waited = 0; ; waited += 100) {
    if (gone) throw new Error(`the platform API stopped at start: see ${logFile}`);
    if (waited > 30_000) {
      await child.stop();
      throw new Error(`the platform API did not answer on port ${opts.platformPort} within 30 s: see ${logFile}`);
    }
    const answered = await fetch(`http://127.0.0.1:${opts.platformPort}/api/v1/openapi.json`).then(() => true, () => false);
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
