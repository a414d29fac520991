// `fomo gateway`: the metered OpenAI-compatible API on the local model, ledger in the data dir
// (or DATABASE_URL; REDIS_URL shares rate limits between instances, FOMO_INSTANCE_ID names this
// one). JSON logs on stdout (pino); keys and prompts are never logged.
import { startGatewayServer } from "@fomo/gateway";
import type { GatewayOptions } from "../args.ts";

export async function gateway(opts: GatewayOptions): Promise<number> {
  const server = await startGatewayServer({
    port: opts.port,
    dataDir: opts.dataDir,
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
    ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
    // One id per instance, stable across its restarts (several gateways share one database).
    ...(process.env.FOMO_INSTANCE_ID ? { instanceId: process.env.FOMO_INSTANCE_ID } : {}),
  });
  process.stderr.write(`[fomo] gateway on ${server.url}/v1 (create a key: ./fomo keys create --account NAME --credits USD)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await server.close();
  return 0;
}
