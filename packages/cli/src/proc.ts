// Child processes for the CLI: run a step with its output passed through, and count the tests
// it reports so `fomo test` can close with one summary line.
import { spawn, type SpawnOptions } from "node:child_process";

export interface StepResult {
  code: number;
  passed: number;
  failed: number;
}

// Hardhat's reporter ends with "N passing" / "N failing"; node:test's spec reporter with "ℹ pass N" / "ℹ fail N".
const COUNTERS: Array<[RegExp, "passed" | "failed"]> = [
  [/^\s*(\d+) passing\b/, "passed"],
  [/^\s*(\d+) failing\b/, "failed"],
  [/^\s*ℹ pass (\d+)\s*$/, "passed"],
  [/^\s*ℹ fail (\d+)\s*$/, "failed"],
];

export function step(title: string, cmd: string, args: string[], opts: SpawnOptions = {}): Promise<StepResult> {
  process.stderr.write(`\n[fomo] ${title}\n`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    const result: StepResult = { code: 0, passed: 0, failed: 0 };
    let pending = "";
    const scan = (chunk: Buffer, sink: NodeJS.WriteStream) => {
      sink.write(chunk);
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const plain = line.replace(/\x1b\[[0-9;]*m/g, "");
        for (const [re, key] of COUNTERS) {
          const m = re.exec(plain);
          if (m) result[key] += Number(m[1]);
        }
      }
    };
    child.stdout!.on("data", (c: Buffer) => scan(c, process.stdout));
    child.stderr!.on("data", (c: Buffer) => scan(c, process.stderr));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      result.code = code ?? (signal ? 1 : 0);
      resolvePromise(result);
    });
  });
}
