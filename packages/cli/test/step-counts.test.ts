// `fomo test` closes with one passed/failed line summed over its steps: each reporter's summary is
// counted (hardhat's mocha, node:test's spec, vitest's), and nothing else that looks like a number.
import assert from "node:assert/strict";
import { it } from "node:test";
import { countTests } from "../src/proc.ts";

const counted = (lines: string[]) => {
  const result = { passed: 0, failed: 0 };
  for (const line of lines) countTests(result, line);
  return result;
};

it("counts vitest's summary, failed and passed, and not its file count", () => {
  assert.deepEqual(counted([" Test Files  1 failed | 3 passed (4)", "      Tests  1 failed | 12 passed (13)"]), { passed: 12, failed: 1 });
  assert.deepEqual(counted([" Test Files  2 passed (2)", "\x1b[2m      Tests \x1b[22m \x1b[1m\x1b[32m7 passed\x1b[39m\x1b[22m\x1b[90m (7)\x1b[39m"]), { passed: 7, failed: 0 });
  assert.deepEqual(counted(["      Tests  2 failed (2)"]), { passed: 0, failed: 2 });
});

it("still counts node:test's and hardhat's", () => {
  assert.deepEqual(counted(["\u2139 pass 5", "\u2139 fail 1", "  40 passing (3s)", "  2 failing"]), { passed: 45, failed: 3 });
});
