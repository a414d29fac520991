// buildGateway: the OpenAI-compatible HTTP API, laid out as fastify's reference app: the plugins
// first (config, metrics, request log, route table, errors, then the services routes use, each a
// decorator: ledger, catalog, discounts, rate limiter, receipt signer), then the routes (health and
// metrics, the authenticated /v1 scope), then the 405 answers of every known path.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { ModelCatalog } from "./catalog/index.ts";
import type { Ledger } from "@fomo/ledger";
import type { EpochClock } from "@fomo/sdk";
import { apiRoutesPlugin, methodNotAllowedPlugin } from "./plugins/api-routes.ts";
import { catalogPlugin } from "./plugins/catalog.ts";
import { configPlugin } from "./plugins/config.ts";
import { discountsPlugin, type DiscountSource } from "./plugins/discounts.ts";
import { errorsPlugin } from "./plugins/errors.ts";
import { ledgerPlugin } from "./plugins/ledger.ts";
import { metricsPlugin } from "./plugins/metrics.ts";
import { rateLimiterPlugin } from "./plugins/rate-limiter.ts";
import { requestIdOf, requestLogPlugin } from "./plugins/request-log.ts";
import { signerPlugin } from "./plugins/signer.ts";
import type { RateLimiter } from "./ratelimit/index.ts";
import type { ReceiptSigner } from "./receipts/index.ts";
import { healthRoutes } from "./routes/health.ts";
import { v1Routes } from "./routes/v1.ts";

export interface GatewayOptions {
  ledger: Ledger;
  /** What is sold and which backend runs it (StaticCatalog, chain/DeploymentCatalog). */
  catalog: ModelCatalog;
  /** Staker discounts on deployments; none when absent (every request at list price). */
  discounts?: DiscountSource;
  /** A pino logger; none by default. */
  logger?: FastifyBaseLogger;
  now?: () => number;
  /**
   * Record a checkpoint of a stream's usage every this many deltas (default 16): what reconcile()
   * charges if the process dies mid-stream. Each delta is at least one token, so it never overcharges.
   */
  checkpointEvery?: number;
  /** Per-key RPM/TPM buckets shared by several gateways (RedisRateLimiter); in this process by default. */
  rateLimiter?: RateLimiter;
  /** Signs every billed request's usage receipt and serves GET /v1/receipts/{id}; no receipts without it. */
  receipts?: ReceiptSigner;
  /** The chain's epoch clock (ChainReader.epochClock) that receipts' epochs follow; UTC days when absent. */
  epochClock?: () => Promise<EpochClock>;
  /** When set, GET /metrics answers only `Authorization: Bearer <metricsToken>` (FOMO_METRICS_TOKEN). */
  metricsToken?: string;
  /**
   * Failed authentications allowed per client address and minute (default 30), so unknown keys
   * cannot be tried (each one a ledger query) as fast as a client can send them.
   */
  failedAuthPerMinute?: number;
}

export async function buildGateway(options: GatewayOptions): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // OpenAI does not coerce types: "1" is not a number.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    genReqId: requestIdOf,
    bodyLimit: 4 * 1024 * 1024,
    // One line per request (plugins/request-log.ts) instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  });

  await app.register(configPlugin, {
    now: options.now,
    checkpointEvery: options.checkpointEvery,
    metricsToken: options.metricsToken,
    failedAuthPerMinute: options.failedAuthPerMinute,
    epochClock: options.epochClock,
  });
  await app.register(metricsPlugin);
  await app.register(requestLogPlugin);
  await app.register(apiRoutesPlugin);
  await app.register(errorsPlugin);
  await app.register(ledgerPlugin, { ledger: options.ledger });
  await app.register(catalogPlugin, { catalog: options.catalog });
  await app.register(discountsPlugin, { discounts: options.discounts });
  await app.register(rateLimiterPlugin, { rateLimiter: options.rateLimiter });
  await app.register(signerPlugin, { signer: options.receipts });

  await app.register(healthRoutes);
  await app.register(v1Routes);
  await app.register(methodNotAllowedPlugin);
  return app;
}
