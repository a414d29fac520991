// Every error answered in OpenAI's shape: schema validation (with OpenAI's `param` path), fastify's
// own 4xx, ApiError and whatever toApiError maps (ledger, backends), and unknown endpoints.
import type { FastifySchemaValidationError } from "fastify";
import fp from "fastify-plugin";
import { ApiError, invalidRequest, toApiError } from "../errors/index.ts";

export const errorsPlugin = fp(
  async (app) => {
    const { metrics } = app;
    app.setErrorHandler((error, request, reply) => {
      let api: ApiError;
      const e = error as { validation?: unknown; statusCode?: number; message: string };
      if (Array.isArray(e.validation) && e.validation.length > 0) {
        const first = e.validation[0];
        const param = paramOf(first);
        api = invalidRequest(`Invalid ${param === null ? "request body" : `'${param}'`}: ${first.message ?? "invalid value"}.`, param);
      } else if (!(error instanceof ApiError) && typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) {
        // fastify's own 4xx: malformed JSON, unsupported content type, body too large.
        api = new ApiError(e.statusCode, "invalid_request_error", e.message);
      } else {
        api = toApiError(error);
        if (api.status === 402) metrics.insufficientCredits.inc();
        if (api.status >= 500) request.log.error({ err: error }, "request failed");
      }
      reply.code(api.status).headers(api.headers).send(api.body());
    });

    app.setNotFoundHandler((request, reply) => {
      const api = new ApiError(404, "invalid_request_error", `Unknown endpoint ${request.method} ${request.url.split("?")[0]}.`);
      reply.code(404).send(api.body());
    });
  },
  { name: "fomo-errors", dependencies: ["fomo-metrics"] },
);

/** OpenAI's param path: `/messages/0/role` -> `messages[0].role`; a missing property names itself. */
export function paramOf(error: FastifySchemaValidationError): string | null {
  const segments = error.instancePath.split("/").filter((s) => s !== "");
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  if (typeof missing === "string") segments.push(missing);
  if (segments.length === 0) return null;
  return segments.reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path === "" ? s : `${path}.${s}`), "");
}
