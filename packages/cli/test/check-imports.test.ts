// The import rules' checker (scripts/check-imports.ts), which `./fomo test` runs before the package
// tests: on a throwaway tree with one forbidden import of each kind it names every one (file:line,
// the import, the rule) and exits 1; on this repository it passes.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import { promisify } from "node:util";
import { checkImports, importsOf, type Report } from "../../../scripts/check-imports.ts";
import { ROOT } from "../src/paths.ts";

const run = promisify(execFile);
const SCRIPT = join(ROOT, "scripts/check-imports.ts");

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "fomo-imports-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const manifest = (name: string) => JSON.stringify({ name });
const found = (report: Report) => report.violations.map((v) => `${v.file}:${v.line} ${v.import}`).sort();

describe("import rules", () => {
  const roots: string[] = [];
  after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  // Every import here is allowed except the lines marked FORBIDDEN.
  const fixture = {
    "packages/sdk/package.json": manifest("@fomo/sdk"),
    "packages/sdk/src/index.ts": [
      'import { parseAbi } from "viem";', // third party: not ours to judge
      'import {\n  type Ledger,\n} from "@fomo/ledger";', // FORBIDDEN (line 4): the SDK imports nothing of ours
      '// import { serve } from "@fomo/gateway";', // a comment, not an import
      'const help = "import x from \'@fomo/gateway\'";',
      "const shape = `${help} from \"@fomo/gateway\"`;",
      "export const r = /from \"@fomo\\/cli\"/;",
    ].join("\n"),
    "packages/sdk/src/node.ts": 'import { readFileSync } from "node:fs";\nimport "./index.ts";\nimport fs from "fs";',
    "packages/ledger/package.json": manifest("@fomo/ledger"),
    "packages/ledger/src/index.ts": 'export { parseAbi } from "@fomo/sdk";\nexport * from "@fomo/gateway";', // FORBIDDEN (line 2)
    "packages/gateway/package.json": manifest("@fomo/gateway"),
    "packages/gateway/src/app.ts": [
      'import { Ledger } from "@fomo/ledger";',
      'import { curve } from "../../sdk/src/index.ts";', // FORBIDDEN (line 2): a path into another package
      'const support = await import("../test/support.ts");', // FORBIDDEN (line 3): src imports a test file
      'const db = await import("./db.ts");',
      'import { chain } from "@fomo/testkit";', // FORBIDDEN (line 5): test support in src
    ].join("\n"),
    "packages/gateway/test/app.test.ts": [
      'import { chain } from "@fomo/testkit";',
      'import "../../sdk/src/index.ts";', // FORBIDDEN (line 2): a test's path into another package's src
      'import { fundedKey } from "../../ledger/test/support/fixtures.ts";', // FORBIDDEN (line 3): … or its tests
      'import { buildGateway } from "../src/app.ts";', // its own src,
      'import { startGateway } from "./support/gateway.ts";', // its own test support,
      'import { Ledger } from "@fomo/ledger";\nimport { main } from "@fomo/cli";', // any package of ours by name,
      'import { describeEachDatabase } from "@fomo/testkit/databases";',
      'import { checkImports } from "../../../scripts/check-imports.ts";', // and the repository's tools
    ].join("\n"),
    "packages/cli/package.json": manifest("@fomo/cli"),
    "packages/cli/src/main.ts": 'import { serve } from "@fomo/gateway";\nimport { deployLocal } from "@fomo/deploy";\nconst m = require("@fomo/mystery");', // FORBIDDEN (line 3)
    "packages/testkit/package.json": manifest("@fomo/testkit"),
    "packages/testkit/src/index.ts": 'export { deployLocal } from "@fomo/deploy";\nexport { Ledger } from "@fomo/ledger";',
    "packages/newcomer/package.json": manifest("@fomo/newcomer"), // FORBIDDEN: a package the rules do not know
    "packages/newcomer/src/index.ts": 'export const x = 1;',
    "apps/web/package.json": manifest("@fomo/web"),
    "apps/web/src/page.tsx": 'import { quote } from "@fomo/sdk";\nimport { Ledger } from "@fomo/ledger";\nconst t = <p>don\'t</p>;', // FORBIDDEN (line 2)
    "apps/web/src/steps.ts": 'import { startUp } from "@fomo/testkit/up";', // FORBIDDEN (line 1): test support in the app
    "apps/web/e2e/journey.test.ts": [
      'import { startUp } from "@fomo/testkit/up";', // the browser tests: test support by name,
      'import { Ledger } from "@fomo/ledger";\nimport { openBrowser } from "./browser.ts";',
      'import { startUp as s } from "../../../packages/cli/test/support/up.ts";', // FORBIDDEN (line 4): never by a path
    ].join("\n"),
    "apps/web/e2e/steps/launch.ts": 'import { quote } from "@fomo/sdk";\nimport { chain } from "@fomo/testkit";',
    "apps/web/vite.config.ts": 'import { serve } from "@fomo/gateway";', // FORBIDDEN (line 1)
    "contracts/package.json": manifest("@fomo/contracts"),
    "contracts/scripts/export-abis.ts": 'import { launchpadAbi } from "@fomo/sdk";', // FORBIDDEN (line 1): contracts → sdk is the cycle
    "contracts/test/nodejs/fixtures.ts": 'import { deployLocal } from "@fomo/deploy";\nimport { quote } from "@fomo/sdk";\nimport { x } from "./random.ts";',
    "bench/package.json": manifest("@fomo/bench"),
    "bench/scenario.ts": [
      'import { deployLocal } from "@fomo/deploy";',
      'import { startMockUpstream } from "@fomo/testkit";',
      'import config from "@fomo/contracts/hardhat.config";',
      'import { readEnv } from "../packages/gateway/src/config/env.ts";', // FORBIDDEN (line 4)
      'import { freePort } from "../packages/gateway/test/support/ports.ts";', // FORBIDDEN (line 5)
    ].join("\n"),
  };

  it("names every forbidden import by file and line, and nothing else", () => {
    const root = tree(fixture);
    roots.push(root);
    const report = checkImports(root, undefined, []);
    assert.deepEqual(found(report), [
      "apps/web/e2e/journey.test.ts:4 ../../../packages/cli/test/support/up.ts",
      "apps/web/src/page.tsx:2 @fomo/ledger",
      "apps/web/src/steps.ts:1 @fomo/testkit/up",
      "apps/web/vite.config.ts:1 @fomo/gateway",
      "bench/scenario.ts:4 ../packages/gateway/src/config/env.ts",
      "bench/scenario.ts:5 ../packages/gateway/test/support/ports.ts",
      "contracts/scripts/export-abis.ts:1 @fomo/sdk",
      "packages/cli/src/main.ts:3 @fomo/mystery",
      "packages/gateway/src/app.ts:2 ../../sdk/src/index.ts",
      "packages/gateway/src/app.ts:3 ../test/support.ts",
      "packages/gateway/src/app.ts:5 @fomo/testkit",
      "packages/gateway/test/app.test.ts:2 ../../sdk/src/index.ts",
      "packages/gateway/test/app.test.ts:3 ../../ledger/test/support/fixtures.ts",
      "packages/ledger/src/index.ts:2 @fomo/gateway",
      "packages/newcomer/:0 ",
      "packages/sdk/src/index.ts:4 @fomo/ledger",
    ]);
    const rule = (file: string, line: number) => report.violations.find((v) => v.file === file && v.line === line)!.rule;
    assert.match(rule("packages/sdk/src/index.ts", 4), /@fomo\/sdk may import no package of ours/);
    assert.match(rule("packages/ledger/src/index.ts", 2), /@fomo\/ledger may import only @fomo\/sdk/);
    assert.match(rule("packages/gateway/src/app.ts", 2), /relative path out of packages\/gateway\/.*import @fomo\/sdk by its package name/);
    assert.match(rule("packages/gateway/src/app.ts", 3), /imports a test file/);
    assert.match(rule("packages/gateway/src/app.ts", 5), /@fomo\/testkit is test support/);
    assert.match(rule("packages/gateway/test/app.test.ts", 2), /relative path out of packages\/gateway\/.*import @fomo\/sdk by its package name/);
    assert.match(rule("packages/gateway/test/app.test.ts", 3), /relative path out of packages\/gateway\/.*shared test support belongs in @fomo\/testkit/);
    assert.match(rule("packages/cli/src/main.ts", 3), /@fomo\/mystery is not in the import rules/);
    assert.match(rule("packages/newcomer/", 0), /packages\/newcomer is not in the import rules/);
    assert.match(rule("apps/web/src/page.tsx", 2), /@fomo\/web may import only @fomo\/sdk/);
    assert.match(rule("apps/web/src/steps.ts", 1), /@fomo\/testkit is test support/);
    assert.match(rule("apps/web/e2e/journey.test.ts", 4), /relative path out of apps\/web\/.*shared test support belongs in @fomo\/testkit/);
    assert.match(rule("bench/scenario.ts", 5), /test support belongs in @fomo\/testkit/);
  });

  it("tolerates a known violation, and fails on a known entry that no longer matches", () => {
    const root = tree({
      "bench/package.json": manifest("@fomo/bench"),
      "bench/servers.ts": 'import { freePort } from "../packages/gateway/test/support/ports.ts";',
    });
    roots.push(root);
    const entry = { file: "bench/servers.ts", import: "../packages/gateway/test/support/ports.ts", why: "moves to @fomo/testkit" };
    const tolerated = checkImports(root, undefined, [entry]);
    assert.deepEqual([tolerated.violations.length, tolerated.known.length, tolerated.stale.length], [0, 1, 0]);
    const stale = checkImports(root, undefined, [entry, { ...entry, file: "bench/gone.ts" }]);
    assert.deepEqual(stale.stale.map((k) => k.file), ["bench/gone.ts"]);
  });

  it("reads imports spread over lines, export-from, import() and require(), not strings or comments", () => {
    const source = 'import {\n  a,\n  b,\n} from "x";\nexport * from "y";\n/* import "no" */\nawait import("z");\nrequire("w");\nobj.import("no");\nconst s = `${"no"}`;';
    assert.deepEqual(importsOf(source), [
      { specifier: "x", line: 4 },
      { specifier: "y", line: 5 },
      { specifier: "z", line: 7 },
      { specifier: "w", line: 8 },
    ]);
  });

  it("the script exits 1 with file:line on a forbidden import, and passes on this repository", async () => {
    const root = tree({
      "packages/sdk/package.json": manifest("@fomo/sdk"),
      "packages/sdk/src/index.ts": 'export const a = 1;\nimport { serve } from "@fomo/gateway";',
    });
    roots.push(root);
    const failed = await run(process.execPath, [SCRIPT, root]).then(() => null, (err: { code: number; stdout: string }) => err);
    assert.equal(failed?.code, 1);
    assert.match(failed.stdout, /^packages\/sdk\/src\/index\.ts:2: import "@fomo\/gateway": @fomo\/sdk may import no package of ours$/m);

    const { stdout } = await run(process.execPath, [SCRIPT], { cwd: tmpdir() });
    assert.match(stdout, /\bok\b/);
  });
});
