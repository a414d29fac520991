// Suites that need a server binary installed (PostgreSQL, redis-server): run when it is there; when
// it is missing, skipped with a notice locally, but FAILED under CI (CI=true), which must provide it.
import { describe, it } from "node:test";
import { isCI } from "./postgres.ts";

/** describe() that needs `what`; `missing` says why it is unavailable (undefined: available). */
export function describeRequiring(title: string, what: string, missing: string | undefined, body: () => void): void {
  if (missing === undefined) {
    describe(title, body);
  } else if (isCI()) {
    describe(title, () => {
      it(`needs ${what} (CI must provide it)`, () => {
        throw new Error(`${missing}. CI=true, so the ${what} tests must run.`);
      });
    });
  } else {
    process.stderr.write(`[fomo] notice: skipping the ${what} tests: ${missing}\n`);
    describe(title, { skip: missing }, body);
  }
}
