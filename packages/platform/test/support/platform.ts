// A platform under test on one database of a describeEachDatabase suite: a fresh ledger and app per
// suite, one clock (epoch ms) both read, and the app closed after the suite.
import { after, before } from "node:test";
import { Ledger } from "@fomo/ledger";
import type { FastifyInstance } from "fastify";
import { buildPlatform, type PlatformOptions } from "../../src/index.ts";
import type { DatabaseSuite } from "@fomo/testkit/databases";

export interface PlatformUnderTest {
  app: FastifyInstance;
  ledger: Ledger;
  /** The clock of the ledger and the platform: tests move it. */
  now: number;
}

/** `options` is read in the suite's `before` (after the file's own `before` hooks, e.g. a chain's). */
export function platformUnderTest(suite: DatabaseSuite, options: () => Omit<PlatformOptions, "ledger" | "now">): PlatformUnderTest {
  const t = { now: Date.UTC(2026, 11, 4, 12) } as PlatformUnderTest;
  before(async () => {
    t.ledger = new Ledger(await suite.open(), { now: () => t.now });
    t.app = await buildPlatform({ ...options(), ledger: t.ledger, now: () => t.now });
  });
  after(() => t.app?.close());
  return t;
}
