// `fomo gateway`: the metered OpenAI-compatible API on the local model (and the upstreams of
// --backends), ledger in the data dir (or DATABASE_URL; REDIS_URL shares rate limits between
// instances, FOMO_INSTANCE_ID names this one), deployments and staker discounts from the chain of
// --deployments (by default the local stack's, when `./fomo up` has written it).
// JSON logs on stdout (pino); keys and prompts are never logged.
import { existsSync } from "node:fs";
import { readBackendsConfig, startGatewayServer, type GatewayServer, type GatewayServerOptions } from "@fomo/gateway";
import { gatewayChain, type GatewayOptions } from "../args.ts";

export async function gateway(opts: GatewayOptions): Promise<number> {
  const chain = gatewayChain(opts, existsSync);
  const server = await startGateway({
    port: opts.port,
    dataDir: opts.dataDir,
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
    ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
    // One id per instance, stable across its restarts (several gateways share one database).
    ...(process.env.FOMO_INSTANCE_ID ? { instanceId: process.env.FOMO_INSTANCE_ID } : {}),
    ...(chain ? { chain: { rpcUrl: chain.rpcUrl, deployments: chain.deploymentsFile } } : {}),
    ...(opts.backends ? { backends: readBackendsConfig(opts.backends) } : {}),
  });
  const from = chain ? `; deployments from ${chain.deploymentsFile} on ${chain.rpcUrl}` : "";
  process.stderr.write(`[fomo] gateway on ${server.url}/v1${from} (create a key: ./fomo keys create --account NAME --credits USD)\n`);
  await untilStopped();
  await server.close();
  return 0;
}

/** startGatewayServer, with a busy port said plainly. */
export async function startGateway(opts: GatewayServerOptions, portFlag = "--port"): Promise<GatewayServer> {
  try {
    return await startGatewayServer(opts);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new Error(`port ${opts.port} is already in use: stop what listens there or pass ${portFlag} N`);
    }
    throw error;
  }
}

/** Resolves on Ctrl-C or SIGTERM (or when `also` settles). */
export function untilStopped(also?: Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    void also?.then(stop, stop);
  });
}
