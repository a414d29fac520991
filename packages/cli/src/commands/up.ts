// `fomo up`: the whole local stack. A local EVM chain (Hardhat node) with real Uniswap V2 and the
// FOMO protocol deployed, test FLOCK/USDC in the dev accounts, the deployments file the SDK reads,
// the metered gateway on the local model serving that chain's graduated deployments, and the chain
// indexer (in this process, on the gateway's database; no confirmations on the local chain).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { FLOCK } from "@fomo/sdk";
import { writeDeployments } from "@fomo/sdk/node";
import { readEnv } from "@fomo/gateway";
import { DEV_FUNDING, DEV_MNEMONIC, startLocalChain } from "@fomo/deploy";
import { databaseTarget, openDatabase } from "@fomo/ledger";
import type { UpOptions } from "../args.ts";
import { deploymentsPath } from "../paths.ts";
import { startGateway, untilStopped } from "./gateway.ts";
import { startIndexer } from "./indexer.ts";

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
    deploy: { timelockDelay: 0, log: (l) => process.stderr.write(l + "\n") },
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
        chain: { rpcUrl: chain.url, deployments: d },
        logFile: gatewayLog,
      },
      "--gateway-port",
    );
    const indexerDb = await openDatabase(databaseTarget(env.databaseUrl, opts.dataDir), { sqliteSync: env.sqliteSync });
    const indexerLog = join(opts.dataDir, "indexer.log");
    const indexer = startIndexer({ db: indexerDb, client: chain.publicClient, deployments: d, confirmations: 0, logFile: indexerLog });
    process.stderr.write(
      [
        "",
        "FOMO local stack is up",
        `  chain       ${chain.url} (chain id ${d.chainId})`,
        `  gateway     ${gateway.url}/v1 (OpenAI-compatible; serves stories-260k and every graduated deployment)`,
        `  launchpad   ${d.contracts.launchpad}`,
        `  registry    ${d.contracts.templateRegistry}`,
        `  FLOCK       ${d.contracts.flock}`,
        `  USDC        ${d.contracts.usdc} (${d.usdcDecimals} decimals)`,
        `  Uniswap V2  factory ${d.contracts.uniswapV2Factory}, router ${d.contracts.uniswapV2Router}`,
        `  deployments ${file}`,
        `  indexer     every protocol event into the gateway's database (./fomo index status; log: ${indexerLog})`,
        `  dev wallets mnemonic "${DEV_MNEMONIC}" (${chain.wallets.length} accounts, ${DEV_FUNDING.flock / FLOCK} FLOCK and ${DEV_FUNDING.usd} USDC each)`,
        `  API key     ./fomo keys create --account NAME --credits USD [--wallet 0x…]`,
        "Press Ctrl-C to stop.",
        "",
      ].join("\n"),
    );
    await untilStopped(chain.exited);
    await indexer.stop();
    await indexerDb.destroy();
    await gateway.close();
  } finally {
    await chain.stop();
  }
  return 0;
}
