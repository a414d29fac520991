// `fomo up`: the whole local stack. A local EVM chain (Hardhat node) with real Uniswap V2 and the
// FOMO protocol deployed, test FLOCK/USDC in the dev accounts, the deployments file the SDK reads,
// the metered gateway on the local model serving that chain's graduated deployments (read from the
// read model the indexer keeps in the gateway's database), and as processes of their own, so that
// their SQLite connections never wait on the gateway's inside one event loop: the chain indexer
// (`fomo index run`, no confirmations on the local chain), the keeper (`fomo keeper run`: settles each
// epoch, signing as the dev account that holds the keeper role) and the platform API (`fomo platform`:
// sign-in, billing).
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { FLOCK } from "@fomo/sdk";
import { writeDeployments } from "@fomo/sdk/node";
import { readEnv } from "@fomo/gateway";
import { ReadModelServing } from "@fomo/engine";
import { DEV_FUNDING, DEV_MNEMONIC, LOCAL_SETTLEMENT_FUNDING, startLocalChain } from "@fomo/deploy";
import type { UpOptions } from "../args.ts";
import { deploymentsPath, ROOT } from "../paths.ts";
import { startGateway, untilStopped } from "./gateway.ts";

/** Starts the stack; the contracts must be built (main.ts builds first). */
export async function up(opts: UpOptions): Promise<number> {
  const env = readEnv();
  mkdirSync(opts.dataDir, { recursive: true });
  const chainLog = join(opts.dataDir, "chain.log");
  const gatewayLog = join(opts.dataDir, "gateway.log");
  process.stderr.write(`[fomo] starting the local chain on port ${opts.port} (log: ${chainLog})\n`);
  // Governance is a real TimelockController, with no delay on the local chain (production: days).
  const chain = await startLocalChain({
    port: opts.port,
    logFile: chainLog,
    deploy: { timelockDelay: 0, epochSeconds: opts.epochSeconds, log: (l) => process.stderr.write(l + "\n") },
  });
  try {
    const d = chain.deployments;
    const file = deploymentsPath(opts.dataDir, d.chainId);
    writeDeployments(file, d);
    process.stderr.write(`[fomo] starting the gateway on port ${opts.gatewayPort} (log: ${gatewayLog})\n`);
    const gateway = await startGateway(
      {
        port: opts.gatewayPort,
        dataDir: opts.dataDir,
        env,
        ...(env.databaseUrl ? { databaseUrl: env.databaseUrl } : {}),
        // The indexer started below feeds the database the gateway opens: deployments and stakes are read there.
        chain: { rpcUrl: chain.url, deployments: d, source: (context) => new ReadModelServing(context) },
        logFile: gatewayLog,
      },
      "--gateway-port",
    );
    const indexerLog = join(opts.dataDir, "indexer.log");
    const chainArgs = ["--data-dir", opts.dataDir, "--rpc-url", chain.url, "--deployments", file];
    const indexer = startChildProcess({ name: "indexer", args: ["index", "run", ...chainArgs], logFile: indexerLog });
    // After the indexer: the keeper's rewards read the stakes it indexes.
    const keeperLog = join(opts.dataDir, "keeper.log");
    const keeper = startChildProcess({ name: "keeper", args: ["keeper", "run", ...chainArgs], logFile: keeperLog });
    const platformLog = join(opts.dataDir, "platform.log");
    process.stderr.write(`[fomo] starting the platform API on port ${opts.platformPort} (log: ${platformLog})\n`);
    const platform = await startPlatformProcess(opts, chain.url, platformLog).catch(async (error: unknown) => {
      await gateway.close();
      throw error;
    });
    process.stderr.write(
      [
        "",
        "FOMO local stack is up",
        `  chain       ${chain.url} (chain id ${d.chainId})`,
        `  gateway     ${gateway.url}/v1 (OpenAI-compatible; serves stories-260k and every graduated deployment)`,
        `  platform    http://127.0.0.1:${opts.platformPort} (Sign-In with Ethereum on domain localhost:${opts.platformPort}, account, Stripe top-ups)`,
        `  launchpad   ${d.contracts.launchpad}`,
        `  registry    ${d.contracts.templateRegistry}`,
        `  FLOCK       ${d.contracts.flock}`,
        `  USDC        ${d.contracts.usdc} (${d.usdcDecimals} decimals)`,
        `  Uniswap V2  factory ${d.contracts.uniswapV2Factory}, router ${d.contracts.uniswapV2Router}`,
        `  deployments ${file}`,
        `  epochs      ${opts.epochSeconds} s each (reports, reward roots and emission days; --epoch-seconds)`,
        `  indexer     every protocol event into the gateway's database (./fomo index status; log: ${indexerLog})`,
        `  keeper      settles each epoch: reports, buybacks (./fomo epoch status; log: ${keeperLog}); signs as ${d.roles.keeper}, dev account 0 and settlement wallet (+${LOCAL_SETTLEMENT_FUNDING} USDC)`,
        `  dev wallets mnemonic "${DEV_MNEMONIC}" (${chain.wallets.length} accounts, ${DEV_FUNDING.flock / FLOCK} FLOCK and ${DEV_FUNDING.usd} USDC each)`,
        `  API key     ./fomo keys create --account NAME --credits USD [--wallet 0x…]`,
        "Press Ctrl-C to stop.",
        "",
      ].join("\n"),
    );
    let stopping = false;
    void platform.exited.then(() => {
      if (!stopping) process.stderr.write("[fomo] stopping the stack: it needs the platform API\n");
    });
    await untilStopped(Promise.race([chain.exited, platform.exited]));
    stopping = true;
    await platform.stop();
    await keeper.stop();
    await indexer.stop();
    await gateway.close();
  } finally {
    await chain.stop();
  }
  return 0;
}

/** `fomo platform` on the local chain, logging to `logFile`; resolves once it answers HTTP. */
async function startPlatformProcess(opts: UpOptions, rpcUrl: string, logFile: string): Promise<ChildFomo> {
  const args = ["platform", "--port", String(opts.platformPort), "--data-dir", opts.dataDir, "--rpc-url", rpcUrl];
  const child = startChildProcess({ name: "platform API", args, logFile });
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
