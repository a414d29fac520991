// The gateway's settings as one decorated `config`, resolved with their defaults once: what the
// plugins and routes read instead of closing over buildGateway's arguments.
import { UTC_DAYS, type EpochClock } from "@fomo/sdk";
import fp from "fastify-plugin";

export interface GatewayConfig {
  now: () => number;
  /**
   * Record a checkpoint of a stream's usage every this many deltas: what reconcile() charges if the
   * process dies mid-stream. Each delta is at least one token, so it never overcharges.
   */
  checkpointEvery: number;
  /** When set, GET /metrics answers only `Authorization: Bearer <metricsToken>`. */
  metricsToken: string | undefined;
  /** Failed authentications allowed per client address and minute. */
  failedAuthPerMinute: number;
  /**
   * The epochs receipts count in: the chain's EpochClock (read once, when the chain first answers)
   * when the gateway serves a chain, so a receipt's epoch is the one the keeper reports; UTC days otherwise.
   */
  epochClock: () => Promise<EpochClock>;
}

export type ConfigPluginOptions = Partial<GatewayConfig>;

declare module "fastify" {
  interface FastifyInstance {
    config: GatewayConfig;
  }
}

export const configPlugin = fp<ConfigPluginOptions>(
  async (app, options) => {
    app.decorate("config", {
      now: options.now ?? Date.now,
      checkpointEvery: options.checkpointEvery ?? 16,
      metricsToken: options.metricsToken,
      // So unknown keys cannot be tried (each one a ledger query) as fast as a client can send them.
      failedAuthPerMinute: options.failedAuthPerMinute ?? 30,
      epochClock: options.epochClock ?? (() => Promise.resolve(UTC_DAYS)),
    } satisfies GatewayConfig);
  },
  { name: "fomo-config" },
);
