// `fomo test`: every test of the repository, in the order a failure is cheapest to find:
// build (the web app included), import rules (scripts/check-imports.ts), typecheck (the packages, then
// the web app), package unit tests, the web app's component tests (vitest), the contract suites on an
// in-process EVM, and last the browser tests (apps/web/e2e, Debian's chromium against a `fomo up --demo`
// of their own: skipped with a notice when chromium is missing, failed under CI=true).
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { BIN, CONTRACTS, ROOT, WEB } from "../paths.ts";
import { step, type StepResult } from "../proc.ts";
import { build } from "./build.ts";

/** Test files of the packages (packages/<name>/test/*.test.ts), run by node:test. */
function packageTests(): string[] {
  const dir = join(ROOT, "packages");
  return readdirSync(dir)
    .map((name) => join(dir, name, "test"))
    .filter((testDir) => existsSync(testDir))
    .flatMap((testDir) => readdirSync(testDir).filter((f) => f.endsWith(".test.ts")).map((f) => join(testDir, f)));
}

/** The web app's browser tests (apps/web/e2e/*.test.ts), run by node:test. */
function browserTests(): string[] {
  const dir = join(WEB, "e2e");
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".test.ts")).map((f) => join(dir, f)) : [];
}

export async function test(): Promise<number> {
  const started = Date.now();
  if ((await build()) !== 0) return 1;
  const results: Array<[string, StepResult]> = [];
  results.push(["imports", await step("checking import rules", process.execPath, [join(ROOT, "scripts/check-imports.ts")], { cwd: ROOT })]);
  const typecheck = await step("typechecking", join(BIN, "tsc"), ["-p", join(ROOT, "tsconfig.json")], { cwd: ROOT });
  results.push(["typecheck", typecheck]);
  results.push(["web typecheck", await step("typechecking the web app", join(BIN, "tsc"), ["-p", join(WEB, "tsconfig.json")], { cwd: WEB })]);

  const unit = packageTests();
  if (unit.length > 0) {
    results.push(["packages", await step("package tests (node:test)", process.execPath, ["--test", "--test-reporter=spec", ...unit], { cwd: ROOT })]);
  }
  results.push(["web components", await step("web app component tests (vitest, jsdom)", join(BIN, "vitest"), ["run", "--passWithNoTests"], { cwd: WEB })]);
  results.push(["contracts", await step("contract tests (Solidity fuzz/invariants + node:test with viem)", join(BIN, "hardhat"), ["test"], { cwd: CONTRACTS })]);
  const browser = browserTests();
  if (browser.length > 0) {
    // Their own stack each: one file at a time, so two stacks never share the machine's cores.
    const title = "web app browser tests (node:test, Debian's chromium, against fomo up --demo)";
    results.push(["web browser", await step(title, process.execPath, ["--test", "--test-concurrency=1", "--test-reporter=spec", ...browser], { cwd: ROOT })]);
  }

  const passed = results.reduce((n, [, r]) => n + r.passed, 0);
  const failed = results.reduce((n, [, r]) => n + r.failed, 0);
  const broken = results.filter(([, r]) => r.code !== 0).map(([name]) => name);
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stderr.write(`\n[fomo] ${broken.length ? `FAILED: ${broken.join(", ")}` : "all green"} in ${seconds}s\n`);
  console.log(`${passed} passed, ${failed} failed`);
  return broken.length > 0 || failed > 0 || passed === 0 ? 1 : 0;
}
