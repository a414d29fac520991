// GET /health (liveness, no auth) and GET /metrics (Prometheus; behind FOMO_METRICS_TOKEN when set).
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyPluginAsync } from "fastify";
import { ApiError } from "../errors/index.ts";

export const healthRoutes: FastifyPluginAsync = async (app) => {
  const { metrics } = app;
  app.get("/health", async () => ({ status: "ok" }));
  const metricsAuthorized = app.config.metricsToken ? bearerMatcher(app.config.metricsToken) : () => true;
  app.get("/metrics", async (request, reply) => {
    if (!metricsAuthorized(request.headers.authorization)) {
      throw new ApiError(401, "invalid_request_error", "/metrics needs `Authorization: Bearer <FOMO_METRICS_TOKEN>`.", { code: "invalid_metrics_token" });
    }
    reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });
};

/** A constant-time check of an `Authorization: Bearer <token>` header (hashes: equal lengths). */
function bearerMatcher(token: string): (authorization: string | undefined) => boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  const expected = digest(`Bearer ${token}`);
  return (authorization) => authorization !== undefined && timingSafeEqual(digest(authorization), expected);
}
