// The gateway as a process: ledger database (SQLite in the data dir, or DATABASE_URL), reconcile of
// the holds a previous run left behind, the periodic sweep of holds other instances left, per-key
// rate limits (in this process, or shared through REDIS_URL), the local model, and the HTTP API.
import { defaultCatalog } from "@fomo/sdk";
import type { FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import { buildGateway, connectLimiterRedis, RedisRateLimiter, type ServedModel } from "./api/index.ts";
import { LocalBackend, routeModels, type Backend } from "./backends/index.ts";
import { databaseTarget, openDatabase, redactUrl, type Database } from "./db/index.ts";
import { Ledger, STALE_HOLD_SWEEP_DEFAULTS, startStaleHoldSweep, type StaleHoldSweepOptions } from "./ledger/index.ts";

export interface GatewayServerOptions {
  port: number;
  host?: string;
  dataDir: string;
  /** postgres:// URL; SQLite in dataDir when absent. */
  databaseUrl?: string;
  /** Stable across restarts so reconcile() finds this instance's holds after a crash. */
  instanceId?: string;
  /** redis:// URL: per-key RPM/TPM buckets shared by every gateway; in this process when absent. */
  redisUrl?: string;
  /** Sweep of holds older than any live request (instances that never came back); false: none. */
  staleHoldSweep?: Pick<StaleHoldSweepOptions, "everyMs" | "olderThanMs"> | false;
  logger?: Logger;
}

export interface GatewayServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** The base models of the default catalog that a backend here serves, priced from their template. */
export function platformModels(backends: readonly Backend[]): ServedModel[] {
  const served = new Set(backends.flatMap((b) => b.models.map((m) => m.id)));
  return defaultCatalog
    .filter((t) => served.has(t.baseModelId))
    .map((t) => ({ id: t.baseModelId, pricing: t.pricing, ownedBy: "fomo" }));
}

export async function startGatewayServer(opts: GatewayServerOptions): Promise<GatewayServer> {
  const logger = opts.logger ?? pino({ name: "fomo-gateway" });
  const target = databaseTarget(opts.databaseUrl, opts.dataDir);
  logger.info({ database: typeof target === "string" ? redactUrl(target) : target }, "opening the ledger");
  const db: Database = await openDatabase(target);
  const ledger = new Ledger(db, { instanceId: opts.instanceId ?? "gateway" });
  // Whatever a crash left held is settled from its checkpoint or released before serving anything.
  const reconciled = await ledger.reconcile();
  logger.info({ settled: reconciled.settled.length, released: reconciled.released.length }, "reconciled holds");
  const sweep =
    opts.staleHoldSweep === false
      ? undefined
      : startStaleHoldSweep(ledger, { ...STALE_HOLD_SWEEP_DEFAULTS, ...opts.staleHoldSweep, logger });
  const redis = opts.redisUrl ? await connectLimiterRedis(opts.redisUrl, logger) : undefined;
  logger.info({ rateLimits: redis ? `redis at ${new URL(opts.redisUrl!).host}` : "in-process" }, "rate limits");
  const local = await LocalBackend.create();
  const backends = [local];
  const models = platformModels(backends);
  const app = await buildGateway({
    ledger,
    routes: routeModels(backends),
    models,
    logger,
    ...(redis ? { rateLimiter: new RedisRateLimiter(redis) } : {}),
  });
  const url = await app.listen({ port: opts.port, host: opts.host ?? "127.0.0.1" });
  logger.info({ url, models: models.map((m) => m.id) }, "gateway listening");
  return {
    app,
    url,
    async close() {
      await app.close();
      await sweep?.stop();
      redis?.disconnect();
      await local.close();
      await db.destroy();
    },
  };
}
