// `fomo gateway`: the metered OpenAI-compatible API on the local model (and the upstreams of
// --backends), ledger in the data dir (or DATABASE_URL; REDIS_URL shares rate limits between
// instances, FOMO_INSTANCE_ID names this one), deployments and staker discounts from the chain of
// --deployments (by default the local stack's, when `./fomo up` has written it).
// JSON logs on stdout (pino); keys and prompts are never logged.
import { existsSync } from "node:fs";
import {
  operatorNamedVariables,
  readBackendsConfig,
  readEnv,
  startGatewayServer,
  type GatewayServer,
  type GatewayServerOptions,
  type LocalModelMode,
} from "@fomo/gateway";
import { gatewayChain, parseGatewayArgs, withoutSwitch, type GatewayOptions } from "../args.ts";
import { clockOf, WALL_CLOCK } from "../clock.ts";

/** `fomo gateway [--no-local-model] …`: parseGatewayArgs's flags, and the local model's switch. */
export function parseGatewayCommand(args: string[]): GatewayOptions & { localModel: LocalModelMode } {
  const [noLocalModel, rest] = withoutSwitch(args, "--no-local-model");
  const opts = parseGatewayArgs(rest);
  // With upstreams the local model is optional: loaded when its file is there, skipped otherwise.
  const localModel: LocalModelMode = noLocalModel ? "off" : opts.backends ? "if-found" : "required";
  return { ...opts, localModel };
}

export async function gateway(opts: GatewayOptions & { localModel?: LocalModelMode }): Promise<number> {
  const env = readEnv();
  const chain = gatewayChain(opts, existsSync);
  const server = await startGateway({
    port: opts.port,
    dataDir: opts.dataDir,
    env,
    ...(env.databaseUrl ? { databaseUrl: env.databaseUrl } : {}),
    ...(env.redisUrl ? { redisUrl: env.redisUrl } : {}),
    // One id per instance, stable across its restarts (several gateways share one database).
    ...(env.instanceId ? { instanceId: env.instanceId } : {}),
    ...(chain ? { chain: { rpcUrl: chain.rpcUrl, deployments: chain.deploymentsFile } } : {}),
    ...(opts.backends ? { backends: readBackendsConfig(opts.backends, operatorNamedVariables()) } : {}),
    ...(opts.localModel ? { localModel: opts.localModel } : {}),
  });
  const local = server.localModel.served ? `local model ${server.localModel.file}` : `no local model: ${server.localModel.reason}`;
  process.stderr.write(`[fomo] ${local}${opts.backends ? `; upstreams from ${opts.backends}` : ""}\n`);
  const from = chain ? `; deployments from ${chain.deploymentsFile} on ${chain.rpcUrl}` : "";
  process.stderr.write(`[fomo] gateway on ${server.url}/v1${from} (create a key: ./fomo keys create --account NAME --credits USD)\n`);
  await untilStopped();
  await server.close();
  return 0;
}

/** startGatewayServer, with a busy port said plainly; usage dated by the chain's clock (clock.ts). */
export async function startGateway(opts: GatewayServerOptions, portFlag = "--port"): Promise<GatewayServer> {
  const clock = opts.chain && !opts.now ? await clockOf(opts.chain.rpcUrl) : WALL_CLOCK;
  try {
    const server = await startGatewayServer({ ...opts, ...(clock === WALL_CLOCK ? {} : { now: clock.now }) });
    return { ...server, close: () => server.close().finally(() => clock.stop()) };
  } catch (error) {
    clock.stop();
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
