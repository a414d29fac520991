// Request ids and the one log line (and metrics) per request. A client's x-request-id becomes the
// request's id when valid and is refused otherwise (a silent new id would lose its replay protection).
// One line per request instead of fastify's two: logging is a visible part of a request's CPU.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import fp from "fastify-plugin";
import { invalidRequest } from "../errors/index.ts";
import type { UsageRecord } from "@fomo/ledger";

declare module "fastify" {
  interface FastifyRequest {
    /** What the request was billed, once settled (for its log line). */
    billed?: UsageRecord;
  }
}

/** What a client may send as x-request-id. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** fastify's genReqId: a valid x-request-id, else a fresh id. */
export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers["x-request-id"];
  return typeof header === "string" && REQUEST_ID.test(header) ? header : `req-${randomUUID()}`;
}

export const requestLogPlugin = fp(
  async (app) => {
    const { metrics } = app;
    app.addHook("onSend", async (request, reply) => {
      reply.header("x-request-id", request.id);
    });
    // requestIdOf kept a valid x-request-id as the request's id: any other value sent is refused.
    app.addHook("onRequest", (request, _reply, done) => {
      const header = request.headers["x-request-id"];
      if (header === undefined || request.id === header) return done();
      done(invalidRequest("Invalid 'x-request-id': 1-128 characters of [A-Za-z0-9_.:-], sent once.", "x-request-id", "invalid_request_id"));
    });
    // onResponse also runs for hijacked (streamed) replies, once the stream has ended.
    app.addHook("onResponse", async (request, reply) => {
      const route = request.routeOptions.url ?? "unknown";
      metrics.requests.inc({ route, status: String(reply.statusCode) });
      metrics.latency.observe({ route }, reply.elapsedTime / 1000);
      // Never the key nor the prompt: ids, outcome, time and what was billed.
      const billed = request.billed;
      request.log.info(
        {
          method: request.method,
          route,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 100) / 100,
          ...(billed
            ? { inputTokens: Number(billed.inputTokens), outputTokens: Number(billed.outputTokens), costMicroUsd: billed.priceCharged.toString() }
            : {}),
        },
        "request completed",
      );
    });
  },
  { name: "fomo-request-log", dependencies: ["fomo-metrics"] },
);
