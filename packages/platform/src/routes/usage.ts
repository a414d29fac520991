// The account's usage: its settled requests, newest first (keyset cursor pagination), per UTC day,
// key and model (the database sums: exact integers), and as CSV. Filters: key_id, model, and a
// window [since, until) in ISO-8601.
import { Readable } from "node:stream";
import type { AccountUsageFilter, UsagePosition, UsageRecord } from "@fomo/ledger";
import type { FastifyPluginAsync } from "fastify";
import { badRequest } from "../errors.ts";
import { decodeCursor, encodeCursor, pageOf, pageQueryProperties, type PageQuery } from "../pagination.ts";
import { requireSession } from "../session.ts";
import { iso, sessionRoute } from "./schemas.ts";

interface UsageQuery {
  key_id?: string;
  model?: string;
  since?: string;
  until?: string;
}

const filterProperties = {
  key_id: { type: "string", minLength: 1, maxLength: 100 },
  model: { type: "string", minLength: 1, maxLength: 200, description: "A model id as the gateway serves it." },
  since: { type: "string", format: "date-time", description: "Inclusive start, ISO-8601." },
  until: { type: "string", format: "date-time", description: "Exclusive end, ISO-8601." },
} as const;

/** Rows of one CSV read from the database at a time. */
const CSV_CHUNK = 1_000;
const CSV_COLUMNS = [
  "created_at", "request_id", "key_id", "model_id", "deployment", "input_tokens", "output_tokens", "list_price_micro_usd",
  "discount_bps", "price_charged_micro_usd", "usage_source", "finish_reason", "latency_ms",
] as const;

function recordView(r: UsageRecord) {
  return {
    request_id: r.requestId,
    key_id: r.keyId,
    model_id: r.modelId,
    deployment: r.deployment,
    input_tokens: r.inputTokens.toString(),
    output_tokens: r.outputTokens.toString(),
    list_price_micro_usd: r.listPrice.toString(),
    discount_bps: r.discountBps,
    price_charged_micro_usd: r.priceCharged.toString(),
    usage_source: r.source,
    finish_reason: r.finishReason,
    latency_ms: r.latencyMs,
    created_at: iso(r.createdAt),
  };
}

function filterOf(accountId: string, query: UsageQuery): AccountUsageFilter {
  const fromMs = query.since === undefined ? undefined : Date.parse(query.since);
  const toMs = query.until === undefined ? undefined : Date.parse(query.until);
  if (fromMs !== undefined && fromMs < 0) throw badRequest("since must not be before 1970.");
  if (fromMs !== undefined && toMs !== undefined && toMs < fromMs) throw badRequest("until must not be before since.");
  return {
    accountId,
    ...(query.key_id === undefined ? {} : { keyId: query.key_id }),
    ...(query.model === undefined ? {} : { modelId: query.model }),
    ...(fromMs === undefined ? {} : { fromMs }),
    ...(toMs === undefined ? {} : { toMs: Math.max(toMs, 0) }),
  };
}

const isPosition = (p: unknown): p is UsagePosition =>
  typeof p === "object" && p !== null && Number.isSafeInteger((p as UsagePosition).createdAt) && typeof (p as UsagePosition).requestId === "string";

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
const csvField = (value: string | number | null): string => {
  const text = value === null ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export const usageRoutes: FastifyPluginAsync = async (app) => {
  const { ledger } = app.platform;

  app.get<{ Querystring: UsageQuery & PageQuery }>(
    "/account/usage",
    sessionRoute("usage", "Usage logs: settled requests, newest first", {
      querystring: { type: "object", additionalProperties: false, properties: { ...filterProperties, ...pageQueryProperties } },
    }),
    async (request) => {
      const session = await requireSession(request);
      const { limit, cursor } = request.query;
      const before = cursor === undefined ? undefined : decodeCursor(cursor, isPosition);
      // One more than the page: whether another page follows, without a count query.
      const rows = await ledger.usage.listAccount({ ...filterOf(session.accountId, request.query), limit: limit + 1, ...(before ? { before } : {}) });
      const data = rows.slice(0, limit);
      const last = data[data.length - 1];
      return {
        data: data.map(recordView),
        next_cursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, requestId: last.requestId }) : null,
      };
    },
  );

  app.get<{ Querystring: UsageQuery & PageQuery }>(
    "/account/usage/daily",
    sessionRoute("usage", "Usage per UTC day, API key and model, oldest day first", {
      querystring: { type: "object", additionalProperties: false, properties: { ...filterProperties, ...pageQueryProperties } },
    }),
    async (request) => {
      const session = await requireSession(request);
      const days = await ledger.usage.dailyAccount(filterOf(session.accountId, request.query));
      const page = pageOf(days, request.query);
      return {
        data: page.data.map((d) => ({
          day: new Date(d.day).toISOString().slice(0, 10),
          key_id: d.keyId,
          model_id: d.modelId,
          requests: d.requests,
          input_tokens: d.inputTokens.toString(),
          output_tokens: d.outputTokens.toString(),
          list_price_micro_usd: d.listPrice.toString(),
          price_charged_micro_usd: d.priceCharged.toString(),
        })),
        next_cursor: page.next_cursor,
      };
    },
  );

  app.get<{ Querystring: UsageQuery }>(
    "/account/usage.csv",
    sessionRoute("usage", "Usage logs as CSV (every record matching the filters, newest first)", {
      querystring: { type: "object", additionalProperties: false, properties: filterProperties },
    }),
    async (request, reply) => {
      const session = await requireSession(request);
      const filter = filterOf(session.accountId, request.query);
      // Streamed a chunk of records at a time: an account's whole history is never held in memory.
      async function* csv(): AsyncGenerator<string> {
        yield `${CSV_COLUMNS.join(",")}\r\n`;
        let before: UsagePosition | undefined;
        for (;;) {
          const rows = await ledger.usage.listAccount({ ...filter, limit: CSV_CHUNK, ...(before ? { before } : {}) });
          if (rows.length > 0) yield rows.map((r) => `${CSV_COLUMNS.map((c) => csvField(recordView(r)[c])).join(",")}\r\n`).join("");
          if (rows.length < CSV_CHUNK) return;
          const last = rows[rows.length - 1]!;
          before = { createdAt: last.createdAt, requestId: last.requestId };
        }
      }
      reply.header("content-type", "text/csv; charset=utf-8").header("content-disposition", 'attachment; filename="usage.csv"');
      return reply.send(Readable.from(csv()));
    },
  );
};
