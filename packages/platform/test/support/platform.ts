// A platform under test on one database of a describeEachDatabase suite: a fresh ledger and app per
// suite, one clock (epoch ms) both read, and the app closed after the suite. `api` sends a request
// as the platform's own pages do: under /api/v1, with the CSRF header.
import { after, before } from "node:test";
import { Ledger } from "@fomo/ledger";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { API_PREFIX, CSRF_HEADER, buildPlatform, type PlatformOptions } from "../../src/index.ts";
import type { DatabaseSuite } from "@fomo/testkit/databases";

export interface PlatformUnderTest {
  app: FastifyInstance;
  ledger: Ledger;
  /** The clock of the ledger and the platform: tests move it. */
  now: number;
  /** A same-site request to `API_PREFIX + url` (the CSRF header set unless `headers` overrides it). */
  api(request: InjectOptions & { url: string }): Promise<LightMyRequestResponse>;
}

/** `options` is read in the suite's `before` (after the file's own `before` hooks, e.g. a chain's). */
export function platformUnderTest(suite: DatabaseSuite, options: () => Omit<PlatformOptions, "ledger" | "now">): PlatformUnderTest {
  const t = { now: Date.UTC(2026, 11, 4, 12) } as PlatformUnderTest;
  t.api = (request) => t.app.inject({ ...request, url: API_PREFIX + request.url, headers: { [CSRF_HEADER]: "1", ...request.headers } });
  before(async () => {
    t.ledger = new Ledger(await suite.open(), { now: () => t.now });
    t.app = await buildPlatform({ rateLimit: false, ...options(), ledger: t.ledger, now: () => t.now });
  });
  after(() => t.app?.close());
  return t;
}
