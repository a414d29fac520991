// Prometheus metrics of one gateway (its own registry, so several apps in one process never clash),
// decorated as `metrics`.
import fp from "fastify-plugin";
import { Counter, Gauge, Histogram, Registry } from "prom-client";

declare module "fastify" {
  interface FastifyInstance {
    metrics: GatewayMetrics;
  }
}

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "fomo_requests_total",
    help: "HTTP requests by route and status",
    labelNames: ["route", "status"] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: "fomo_request_duration_seconds",
    help: "HTTP request latency by route (streams: until the last byte)",
    labelNames: ["route"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly tokens = new Counter({
    name: "fomo_tokens_total",
    help: "Tokens billed, by model and direction",
    labelNames: ["model", "direction"] as const,
    registers: [this.registry],
  });
  readonly holds = new Gauge({ name: "fomo_active_holds", help: "Holds this process has open", registers: [this.registry] });
  readonly insufficientCredits = new Counter({
    name: "fomo_insufficient_credits_total",
    help: "Requests refused with 402 (credits or key spend cap)",
    registers: [this.registry],
  });
  readonly backendErrors = new Counter({
    name: "fomo_backend_errors_total",
    help: "Backend failures by error code",
    labelNames: ["code"] as const,
    registers: [this.registry],
  });
  readonly rateLimiterErrors = new Counter({
    name: "fomo_rate_limiter_errors_total",
    help: "Rate-limit checks that failed (Redis unreachable or slow) and let the request through",
    registers: [this.registry],
  });
}

export const metricsPlugin = fp(
  async (app) => {
    app.decorate("metrics", new GatewayMetrics());
  },
  { name: "fomo-metrics" },
);
