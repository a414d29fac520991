// The gateway as a process: ledger database (SQLite in the data dir, or DATABASE_URL), reconcile of
// the holds a previous run left behind, the periodic sweep of holds other instances left, per-key
// rate limits (in this process, or shared through REDIS_URL), the local model and any upstream
// backends, optionally the chain (graduated deployments served, staker discounts), and the HTTP API.
import { defaultCatalog, type EpochClock } from "@fomo/sdk";
import type { FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import { buildGateway } from "./app.ts";
import { StaticCatalog, type ModelCatalog, type ServedModel } from "./catalog/index.ts";
import type { DiscountSource } from "./plugins/discounts.ts";
import { connectLimiterRedis, RedisRateLimiter } from "./ratelimit/index.ts";
import { DEFAULT_MODEL_FILE, LocalBackend, locateModelFile, modelSearchPath, OpenAICompatibleBackend, routeModels, type Backend, type OpenAICompatibleOptions } from "./backends/index.ts";
import { readEnv, type EnvConfig } from "./config/env.ts";
import { ChainMismatch, ChainReader, chainClient, DeploymentCatalog, graduationSignal, type ChainConfig } from "./chain/index.ts";
import {
  databaseTarget,
  Ledger,
  openDatabase,
  redactUrl,
  STALE_HOLD_SWEEP_DEFAULTS,
  startStaleHoldSweep,
  type Database,
  type StaleHoldSweepOptions,
} from "@fomo/ledger";
import { StakeDiscounts } from "./pricing/index.ts";
import { createReceiptSigner } from "./receipts/index.ts";

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
  /** Without a logger: write the JSON logs to this file instead of stdout. */
  logFile?: string;
  /** Serve graduated deployments from this chain and give stakers their discount; base models only when absent. */
  chain?: ChainConfig;
  /** OpenAI-compatible upstreams (config/backends.ts), after the local model in failover order. */
  backends?: readonly OpenAICompatibleOptions[];
  /**
   * The local model (models/stories260K.gguf): "required" (default) refuses to start without its
   * file; "if-found" serves it when the file is on the search path and starts without it otherwise
   * (upstreams serve the models); "off" never loads it. Without it, some backend must remain.
   */
  localModel?: LocalModelMode;
  /** Where the local model's file is looked for; default FOMO_MODELS_DIR, then the repository's models/. */
  modelSearchPath?: readonly string[];
  /** Receipt-signing key (0x private key); default FOMO_GATEWAY_KEY, else the data dir's own key. */
  gatewayKey?: string;
  /** Bearer token GET /metrics requires; default FOMO_METRICS_TOKEN, else /metrics is open. */
  metricsToken?: string;
  /**
   * The process's checked environment (config/env.ts), read at start when absent: the defaults of
   * gatewayKey and metricsToken, SQLite durability, the receipt signing thread, the models dir.
   */
  env?: EnvConfig;
  /**
   * The clock usage and receipts are dated by, epoch ms (default Date.now): on the local stack the
   * chain's time, which `dev advance` moves ahead of the wall clock, so a request counts in the
   * chain's epoch (docs/operations.md#clocks).
   */
  now?: () => number;
}

export type LocalModelMode = "required" | "if-found" | "off";

/** Whether the local model is served: its file, or why not (for the start line). */
export type LocalModelStatus = { served: true; file: string } | { served: false; reason: string };

export interface GatewayServer {
  app: FastifyInstance;
  url: string;
  localModel: LocalModelStatus;
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
  const logger =
    opts.logger ?? pino({ name: "fomo-gateway" }, opts.logFile ? pino.destination({ dest: opts.logFile, mkdir: true, sync: false }) : undefined);
  // Closed in reverse order on close(), or as far as they got when starting fails.
  const opened: (() => Promise<void> | void)[] = [];
  const closeAll = async () => {
    for (const close of opened.reverse()) await close();
  };
  try {
    const env = opts.env ?? readEnv();
    const target = databaseTarget(opts.databaseUrl, opts.dataDir);
    logger.info({ database: typeof target === "string" ? redactUrl(target) : target }, "opening the ledger");
    const db: Database = await openDatabase(target, { sqliteSync: env.sqliteSync });
    opened.push(() => db.destroy());
    const ledger = new Ledger(db, { instanceId: opts.instanceId ?? "gateway", ...(opts.now ? { now: opts.now } : {}) });
    // Whatever a crash left held is settled from its checkpoint or released before serving anything.
    const reconciled = await ledger.metering.reconcile();
    logger.info({ settled: reconciled.settled.length, released: reconciled.released.length }, "reconciled holds");
    const receipts = createReceiptSigner({
      dataDir: opts.dataDir,
      envKey: opts.gatewayKey ?? env.gatewayKey,
      signingThread: env.receiptSigningThread,
      ...(opts.chain ? { deployments: opts.chain.deployments } : {}),
      logger,
    });
    opened.push(() => receipts.close());
    // Usage settled by reconcile has a receipt too (records the sweep settles are signed on demand).
    for (const record of reconciled.settled) await receipts.signed(ledger, record);
    if (opts.staleHoldSweep !== false) {
      const sweep = startStaleHoldSweep(ledger, { ...STALE_HOLD_SWEEP_DEFAULTS, ...opts.staleHoldSweep, logger });
      opened.push(() => sweep.stop());
    }
    const redis = opts.redisUrl ? await connectLimiterRedis(opts.redisUrl, logger) : undefined;
    if (redis) opened.push(() => redis.disconnect());
    logger.info({ rateLimits: redis ? `redis at ${new URL(opts.redisUrl!).host}` : "in-process" }, "rate limits");
    const local = await openLocalModel(opts.localModel ?? "required", opts.modelSearchPath ?? modelSearchPath(env.modelsDir));
    logger.info(local.status, local.status.served ? "serving the local model" : "no local model");
    const backends: Backend[] = [...(local.backend ? [local.backend] : []), ...(opts.backends ?? []).map((o) => new OpenAICompatibleBackend(o))];
    opened.push(() => Promise.all(backends.map((b) => b.close())).then(() => {}));
    if (!local.status.served && backends.length === 0) throw new Error(`nothing to serve: ${local.status.reason}, and no backends file names an upstream`);
    const routes = routeModels(backends);
    const models = platformModels(backends);
    const unpriced = [...routes.keys()].filter((id) => !models.some((m) => m.id === id));
    if (unpriced.length > 0) logger.warn({ models: unpriced }, "no template prices these base models: only their deployments are sold");
    const platform = new StaticCatalog(models, routes);
    const chain = opts.chain ? await connectToChain(opts.chain, db, platform, routes, logger) : undefined;
    if (chain) opened.push(() => chain.catalog.close());
    const catalog = chain?.catalog ?? platform;
    const metricsToken = opts.metricsToken ?? env.metricsToken;
    const app = await buildGateway({
      ledger,
      catalog,
      logger,
      receipts,
      ...(metricsToken ? { metricsToken } : {}),
      ...(opts.now ? { now: opts.now } : {}),
      ...(chain ? { discounts: chain.discounts, epochClock: chain.epochClock } : {}),
      ...(redis ? { rateLimiter: new RedisRateLimiter(redis) } : {}),
    });
    opened.push(() => app.close());
    const url = await app.listen({ port: opts.port, host: opts.host ?? "127.0.0.1" });
    logger.info({ url, models: (await catalog.list()).map((m) => m.served.id) }, "gateway listening");
    return { app, url, localModel: local.status, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The local backend as `mode` asks: loaded, or skipped with the reason (a missing file fails only when required). */
async function openLocalModel(mode: LocalModelMode, searchPath: readonly string[]): Promise<{ backend?: LocalBackend; status: LocalModelStatus }> {
  if (mode === "off") return { status: { served: false, reason: "the local model is off (--no-local-model)" } };
  const file = locateModelFile(DEFAULT_MODEL_FILE, searchPath);
  if (!file && mode === "if-found") {
    return { status: { served: false, reason: `the local model's file ${DEFAULT_MODEL_FILE} is not in ${searchPath.join(", ")}` } };
  }
  // Required and absent: LocalBackend.create fails saying where it looked. Found: a file that is not
  // the shipped bytes still fails (verifiedModelFile), whatever the mode, rather than serve another model.
  const backend = await LocalBackend.create({ searchPath });
  return { backend, status: { served: true, file: file! } };
}

/**
 * The chain's deployments on top of the platform catalog, and stake discounts. An RPC that does not
 * answer yet is not fatal (the base models are served and the refresh keeps trying); an RPC serving
 * another chain than the deployments file is.
 */
async function connectToChain(
  config: ChainConfig,
  db: Database,
  platform: ModelCatalog,
  routes: ReadonlyMap<string, Backend>,
  logger: Logger,
): Promise<{ catalog: DeploymentCatalog; discounts: DiscountSource; epochClock: () => Promise<EpochClock> }> {
  const { client, deployments } = chainClient(config);
  const onChain = new ChainReader(client, deployments);
  const reader = config.source?.({ db, client, deployments }) ?? onChain;
  // The URL's host only: a hosted RPC URL often carries an API key in its path.
  const rpc = new URL(config.rpcUrl).host;
  const from = config.source ? "the read model" : "chain";
  try {
    await onChain.checkChain();
    // Read once here; if the chain does not answer yet, the first receipt asked for reads it.
    const clock = await onChain.epochClock();
    logger.info({ epochStart: Number(clock.start), epochSeconds: Number(clock.length) }, "usage receipts count in the chain's epochs");
  } catch (error) {
    if (error instanceof ChainMismatch) throw error;
    logger.warn({ rpc, err: error }, "the chain does not answer yet: serving base models until it does");
  }
  const graduationPollMs = config.graduationPollMs ?? 1_000;
  const graduations =
    graduationPollMs > 0
      ? graduationSignal(client, deployments, {
          pollMs: graduationPollMs,
          onError: (err) => logger.warn({ rpc, err }, "reading graduations from chain failed"),
        })
      : undefined;
  const catalog = new DeploymentCatalog(platform, reader, routes, {
    ...(config.refreshMs === undefined ? {} : { refreshMs: config.refreshMs }),
    onError: (err) => logger.warn({ rpc, err }, `reading deployments from ${from} failed`),
    ...(graduations
      ? {
          graduations: (onGraduated) =>
            graduations((mt) => {
              logger.info({ mt }, "an offering graduated: reading the deployments again");
              onGraduated(mt);
            }),
        }
      : {}),
  });
  await catalog.start();
  const discounts = new StakeDiscounts(reader, {
    ...(config.stakeTtlMs === undefined ? {} : { ttlMs: config.stakeTtlMs }),
    onError: (err, wallet, deployment) => logger.warn({ rpc, err, wallet, deployment }, "reading a stake failed: last known stake used"),
  });
  logger.info({ rpc }, `serving deployments from ${from}`);
  return { catalog, discounts, epochClock: () => onChain.epochClock() };
}
