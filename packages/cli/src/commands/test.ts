// `fomo test`: every test of the repository, in the order a failure is cheapest to find:
// build, import rules (scripts/check-imports.ts), typecheck, package unit tests, then the contract
// suites on an in-process EVM.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { BIN, CONTRACTS, ROOT } from "../paths.ts";
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

export async function test(): Promise<number> {
  const started = Date.now();
  if ((await build()) !== 0) return 1;
  const results: Array<[string, StepResult]> = [];
  results.push(["imports", await step("checking import rules", process.execPath, [join(ROOT, "scripts/check-imports.ts")], { cwd: ROOT })]);
  const typecheck = await step("typechecking", join(BIN, "tsc"), ["-p", join(ROOT, "tsconfig.json")], { cwd: ROOT });
  results.push(["typecheck", typecheck]);

  const unit = packageTests();
  if (unit.length > 0) {
    results.push(["packages", await step("package tests (node:test)", process.execPath, ["--test", "--test-reporter=spec", ...unit], { cwd: ROOT })]);
  }
  results.push(["contracts", await step("contract tests (Solidity fuzz/invariants + node:test with viem)", join(BIN, "hardhat"), ["test"], { cwd: CONTRACTS })]);

  const passed = results.reduce((n, [, r]) => n + r.passed, 0);
  const failed = results.reduce((n, [, r]) => n + r.failed, 0);
  const broken = results.filter(([, r]) => r.code !== 0).map(([name]) => name);
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stderr.write(`\n[fomo] ${broken.length ? `FAILED: ${broken.join(", ")}` : "all green"} in ${seconds}s\n`);
  console.log(`${passed} passed, ${failed} failed`);
  return broken.length > 0 || failed > 0 || passed === 0 ? 1 : 0;
}
