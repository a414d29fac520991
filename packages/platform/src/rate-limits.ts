// Rate limits (@fastify/rate-limit, in memory: one platform process per database): per client IP on
// public routes and sign-in, per session on the account's routes (a team behind one NAT shares no
// budget, and one session cannot exhaust another's). Over the limit: 429 rate_limited with
// Retry-After and the x-ratelimit-* headers.
import rateLimit from "@fastify/rate-limit";
import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { PlatformError } from "./errors.ts";
import { SESSION_COOKIE, sessionOf } from "./session.ts";

export interface RateLimitOptions {
  /** Requests per window per IP on public and sign-in routes (default 300). */
  publicMax?: number;
  /** Requests per window per session on account routes (default 600). */
  sessionMax?: number;
  /** Window length in ms (default 60,000). */
  windowMs?: number;
}

export const RATE_LIMIT_DEFAULTS: Required<RateLimitOptions> = { publicMax: 300, sessionMax: 600, windowMs: 60_000 };

const SESSION_KEY = "session:";

async function limitKey(request: FastifyRequest): Promise<string> {
  if (request.routeOptions.config?.session && (await sessionOf(request))) {
    // The token's hash, never the token: the limiter's keys may be logged or inspected.
    return SESSION_KEY + createHash("sha256").update(request.cookies[SESSION_COOKIE]!).digest("hex");
  }
  return `ip:${request.ip}`;
}

export async function registerRateLimits(app: FastifyInstance, options: RateLimitOptions | false | undefined): Promise<void> {
  if (options === false) return;
  const limits = { ...RATE_LIMIT_DEFAULTS, ...options };
  await app.register(rateLimit, {
    global: true,
    // The API only: the web app's own files (index.html, its chunks, its routes) are static and
    // cheap, and a page load asks for a dozen of them; counted, a few tabs would lock a user out of both.
    allowList: (request) => !request.url.startsWith("/api/"),
    timeWindow: limits.windowMs,
    keyGenerator: limitKey,
    max: (_request, key) => (key.startsWith(SESSION_KEY) ? limits.sessionMax : limits.publicMax),
    errorResponseBuilder: (_request, context) =>
      new PlatformError(429, "rate_limited", `Too many requests: at most ${context.max} per window. Retry in ${context.after} (the Retry-After header, in seconds).`),
  });
}
