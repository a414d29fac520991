// `fomo up`'s child processes (indexer, keeper, platform API): one that exits without being stopped
// is named on the terminal with its exit code and log, one stopped by the stack is not.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { startChildProcess } from "../src/commands/up-stack.ts";

const dir = mkdtempSync(join(tmpdir(), "fomo-up-children-"));
after(() => rmSync(dir, { recursive: true, force: true }));

it("a child that exits on its own is reported once: its name, exit code and log file", { timeout: 60_000 }, async () => {
  const logFile = join(dir, "keeper.log");
  const lines: string[] = [];
  // A usage error: `fomo` exits 2 at once, as a keeper with a wrong configuration exits 1.
  const child = startChildProcess({ name: "keeper", args: ["keeper", "run", "--no-such-flag"], logFile, report: (line) => lines.push(line) });
  await child.exited;
  assert.deepEqual(lines, [`[fomo] the keeper exited on its own (exit code 2): see ${logFile}`]);
  assert.match(readFileSync(logFile, "utf8"), /bad option --no-such-flag/, "its own output went to its log");
  await child.stop();
  assert.equal(lines.length, 1);
});

it("a child the stack stops is not reported", { timeout: 60_000 }, async () => {
  const lines: string[] = [];
  const child = startChildProcess({ name: "indexer", args: ["help"], logFile: join(dir, "indexer.log"), report: (line) => lines.push(line) });
  await child.stop();
  assert.deepEqual(lines, []);
});
