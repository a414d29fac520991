// The gateway as a process: ledger database (SQLite in the data dir, or DATABASE_URL), reconcile of
// the holds a previous run left behind, the local model, and the HTTP API on a port.
import { defaultCatalog } from "@fomo/sdk";
import type { FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import { buildGateway, type ServedModel } from "./api/index.ts";
import { LocalBackend, routeModels, type Backend } from "./backends/index.ts";
import { databaseTarget, openDatabase, redactUrl, type Database } from "./db/index.ts";
import { Ledger } from "./ledger/index.ts";
import { createReceiptSigner } from "./receipts/index.ts";

export interface GatewayServerOptions {
  port: number;
  host?: string;
  dataDir: string;
  /** postgres:// URL; SQLite in dataDir when absent. */
  databaseUrl?: string;
  /** Stable across restarts so reconcile() finds this instance's holds after a crash. */
  instanceId?: string;
  logger?: Logger;
  /** Receipt-signing key (0x private key); default FOMO_GATEWAY_KEY, else the data dir's own key. */
  gatewayKey?: string;
  /** Deployments file binding receipts to its RevenueRouter; default the one in `<dataDir>/deployments/`. */
  deploymentsFile?: string;
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
  const receipts = createReceiptSigner({
    dataDir: opts.dataDir,
    envKey: opts.gatewayKey ?? process.env.FOMO_GATEWAY_KEY,
    ...(opts.deploymentsFile ? { deploymentsFile: opts.deploymentsFile } : {}),
    logger,
  });
  // Usage settled by reconcile has a receipt too.
  for (const record of reconciled.settled) await receipts.signed(ledger, record);
  const local = await LocalBackend.create();
  const backends = [local];
  const models = platformModels(backends);
  const app = await buildGateway({ ledger, routes: routeModels(backends), models, logger, receipts });
  const url = await app.listen({ port: opts.port, host: opts.host ?? "127.0.0.1" });
  logger.info({ url, models: models.map((m) => m.id) }, "gateway listening");
  return {
    app,
    url,
    async close() {
      await app.close();
      await local.close();
      await db.destroy();
    },
  };
}
