// API-key authentication of a scope's routes: registered inside the /v1 scope only (fastify-plugin,
// so its onRequest hook applies to the scope that registers it). A route, however its path was
// spelled (percent-encoded, dot segments), is matched first and then authenticated; never a test of
// the raw URL, which the router decodes differently. Auth runs before body validation, as OpenAI's
// does: a bad key is a 401 whatever the body.
import type { FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { KeyCache } from "../auth/key-cache.ts";
import { invalidKey, rateLimited, toApiError } from "../errors/index.ts";
import type { AuthenticatedKey } from "@fomo/ledger";
import { InProcessRateLimiter, type RateLimiter } from "../ratelimit/index.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The request's key, set by the auth plugin on every route of its scope. */
    apiKey?: AuthenticatedKey;
  }
}

/** Failed authentications per client address: one bucket each, taken from before a ledger lookup, given back on success. */
interface FailedAuthLimit {
  limiter: RateLimiter;
  perMinute: number;
}

export const authPlugin = fp(
  async (scope) => {
    const keys = new KeyCache(scope.ledger);
    const failedAuth = { limiter: new InProcessRateLimiter(scope.config.now), perMinute: scope.config.failedAuthPerMinute };
    scope.addHook("onRequest", async (request) => {
      request.apiKey = await authenticate(keys, failedAuth, request);
    });
  },
  { name: "fomo-auth", dependencies: ["fomo-config", "fomo-ledger"] },
);

async function authenticate(keys: KeyCache, failed: FailedAuthLimit, request: FastifyRequest): Promise<AuthenticatedKey> {
  const authorization = request.headers.authorization;
  const litellm = request.headers["x-litellm-api-key"];
  let raw: string | undefined;
  if (typeof authorization === "string" && /^bearer\s+/i.test(authorization)) raw = authorization.replace(/^bearer\s+/i, "").trim();
  else if (typeof litellm === "string") raw = litellm.replace(/^bearer\s+/i, "").trim();
  if (!raw) {
    throw invalidKey("You didn't provide an API key. Send it as `Authorization: Bearer sk-…` or `x-litellm-api-key`.");
  }
  const cached = keys.cached(raw);
  if (cached) return cached;
  // A burst on a key not cached yet (a client's first parallel calls) joins the one lookup under way
  // instead of taking a failed-auth token each: only a lookup of its own can be a failed guess.
  const joined = keys.lookup(raw);
  if (joined) return joined.catch((error: unknown) => Promise.reject(toApiError(error)));
  const bucket = `auth:${request.ip}`;
  const wait = await failed.limiter.take(bucket, failed.perMinute, 1);
  if (wait > 0) {
    throw rateLimited(`Too many failed authentications from this address: at most ${failed.perMinute} a minute.`, wait, "auth_rate_limit_exceeded");
  }
  try {
    const key = await keys.authenticate(raw);
    await failed.limiter.give(bucket, failed.perMinute, 1);
    return key;
  } catch (error) {
    throw toApiError(error);
  }
}
