// Per-key RPM/TPM buckets as the decorated `rateLimiter`: the one given (RedisRateLimiter, shared by
// several gateways) or one in this process. Fail open: a limiter outage admits requests (the ledger
// still guards the money), counted and logged.
import fp from "fastify-plugin";
import { FailOpenRateLimiter, InProcessRateLimiter, type RateLimiter } from "../ratelimit/index.ts";

declare module "fastify" {
  interface FastifyInstance {
    rateLimiter: RateLimiter;
  }
}

export const rateLimiterPlugin = fp<{ rateLimiter?: RateLimiter | undefined }>(
  async (app, { rateLimiter }) => {
    const { metrics, log } = app;
    app.decorate(
      "rateLimiter",
      new FailOpenRateLimiter(rateLimiter ?? new InProcessRateLimiter(app.config.now), {
        onError: () => metrics.rateLimiterErrors.inc(),
        onStateChange: (failing, err) =>
          failing ? log.error({ err }, "rate limiter failing: admitting requests without limits") : log.info("rate limiter back"),
      }),
    );
  },
  { name: "fomo-rate-limiter", dependencies: ["fomo-config", "fomo-metrics"] },
);
