// The account's API keys: create (the raw key is in that one answer and stored nowhere), list
// (prefix, limits, spend and cap, never the secret), revoke. A key's limits are set when it is
// created: requests and tokens per minute (the gateway enforces them) and a spend cap in micro-USD
// (settled + held never passes it).
import type { ApiKey } from "@fomo/ledger";
import type { FastifyPluginAsync } from "fastify";
import { notFound } from "../errors.ts";
import { pageOf, pageQueryProperties, type PageQuery } from "../pagination.ts";
import { createdKeyResponse, keyResponse, pageResponse } from "../responses.ts";
import { requireSession } from "../session.ts";
import { amountSchema, iso, sessionRoute } from "./schemas.ts";

interface LimitsBody {
  spend_cap_micro_usd?: string | null;
  rpm_limit?: number | null;
  tpm_limit?: number | null;
}

interface CreateKeyBody {
  name?: string;
  spend_cap_micro_usd?: string;
  rpm_limit?: number;
  tpm_limit?: number;
}

const LIMIT_SCHEMA = {
  rpm: { type: "integer", minimum: 1, maximum: 1_000_000, description: "Requests per minute." },
  tpm: { type: "integer", minimum: 1, maximum: 1_000_000_000, description: "Tokens per minute." },
} as const;

/** The schema, or null (null removes a limit). */
const orNull = <S extends { type: string }>(schema: S) => ({ ...schema, type: [schema.type, "null"] });

const KEY_ID = { type: "object", required: ["id"], properties: { id: { type: "string", pattern: "^key_[A-Za-z0-9_-]{1,64}$" } } } as const;

export function keyView(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    spend_cap_micro_usd: key.spendCap?.toString() ?? null,
    spent_micro_usd: key.spent.toString(),
    held_micro_usd: key.held.toString(),
    rpm_limit: key.rpmLimit,
    tpm_limit: key.tpmLimit,
    created_at: iso(key.createdAt),
    revoked_at: iso(key.revokedAt),
  };
}

export const keyRoutes: FastifyPluginAsync = async (app) => {
  const { ledger } = app.platform;

  /** The key, if it is the signed-in account's (another account's key is as unknown as a missing one). */
  const ownKey = async (accountId: string, keyId: string): Promise<ApiKey> => {
    const key = await ledger.keys.get(keyId).catch(() => undefined);
    if (key?.accountId !== accountId) throw notFound(`API key ${keyId}`);
    return key;
  };

  app.get<{ Querystring: PageQuery & { include_revoked?: boolean } }>(
    "/account/keys",
    sessionRoute("keys", "The account's API keys, oldest first (never their secret)", {
      querystring: {
        type: "object",
        additionalProperties: false,
        properties: { ...pageQueryProperties, include_revoked: { type: "boolean", default: true } },
      },
      response: { 200: pageResponse(keyResponse) },
    }),
    async (request) => {
      const session = await requireSession(request);
      const keys = await ledger.keys.list(session.accountId);
      const shown = request.query.include_revoked === false ? keys.filter((k) => k.revokedAt === null) : keys;
      const page = pageOf(shown, request.query);
      return { data: page.data.map(keyView), next_cursor: page.next_cursor };
    },
  );

  app.post<{ Body: CreateKeyBody }>(
    "/account/keys",
    sessionRoute("keys", "Create an API key: the answer holds the full key, shown this once", {
      body: {
        type: "object",
        additionalProperties: false,
        properties: {
          name: { type: "string", minLength: 1, maxLength: 100 },
          spend_cap_micro_usd: { ...amountSchema, description: "Most the key may ever spend, micro-USD (decimal digits)." },
          rpm_limit: LIMIT_SCHEMA.rpm,
          tpm_limit: LIMIT_SCHEMA.tpm,
        },
      },
      response: { 201: createdKeyResponse },
    }),
    async (request, reply) => {
      const session = await requireSession(request);
      const { name, spend_cap_micro_usd, rpm_limit, tpm_limit } = request.body ?? {};
      const created = await ledger.keys.create({
        accountId: session.accountId,
        ...(name === undefined ? {} : { name }),
        ...(spend_cap_micro_usd === undefined ? {} : { spendCap: BigInt(spend_cap_micro_usd) }),
        ...(rpm_limit === undefined ? {} : { rpmLimit: rpm_limit }),
        ...(tpm_limit === undefined ? {} : { tpmLimit: tpm_limit }),
      });
      reply.code(201).header("cache-control", "no-store");
      return { key: keyView(created.key), secret: created.secret };
    },
  );

  app.get<{ Params: { id: string } }>("/account/keys/:id", sessionRoute("keys", "One API key", { params: KEY_ID }), async (request) => {
    const session = await requireSession(request);
    return keyView(await ownKey(session.accountId, request.params.id));
  });

  app.patch<{ Params: { id: string }; Body: LimitsBody }>(
    "/account/keys/:id",
    sessionRoute("keys", "Change a live key's limits: a field given replaces the limit (null removes it), one left out keeps it", {
      params: KEY_ID,
      body: {
        type: "object",
        additionalProperties: false,
        minProperties: 1,
        properties: {
          // One schema with a type list, not anyOf with {type: "null"}: the validator's type coercion would read a 0 as null.
          spend_cap_micro_usd: orNull(amountSchema),
          rpm_limit: orNull(LIMIT_SCHEMA.rpm),
          tpm_limit: orNull(LIMIT_SCHEMA.tpm),
        },
      },
    }),
    async (request) => {
      const session = await requireSession(request);
      await ownKey(session.accountId, request.params.id);
      const { spend_cap_micro_usd, rpm_limit, tpm_limit } = request.body;
      // A revoked key → 409 key_revoked: its limits no longer mean anything.
      const key = await ledger.keys.setLimits(request.params.id, {
        ...(spend_cap_micro_usd === undefined ? {} : { spendCap: spend_cap_micro_usd === null ? null : BigInt(spend_cap_micro_usd) }),
        ...(rpm_limit === undefined ? {} : { rpmLimit: rpm_limit }),
        ...(tpm_limit === undefined ? {} : { tpmLimit: tpm_limit }),
      });
      return keyView(key);
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/account/keys/:id",
    sessionRoute("keys", "Revoke an API key for good (requests in flight still settle)", { params: KEY_ID }),
    async (request) => {
      const session = await requireSession(request);
      await ownKey(session.accountId, request.params.id);
      return keyView(await ledger.keys.revoke(request.params.id));
    },
  );
};
