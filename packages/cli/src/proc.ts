// Child processes for the CLI: run a step with its output passed through, and count the tests
// it reports so `fomo test` can close with one summary line.
import { spawn, type SpawnOptions } from "node:child_process";

export interface StepResult {
  code: number;
  passed: number;
  failed: number;
}

// Hardhat's reporter ends with "N passing" / "N failing"; node:test's spec reporter with "ℹ pass N" / "ℹ fail N";
// vitest's with "Tests  F failed | P passed (N)" (either part alone when the other is nought).
const COUNTERS: Array<[RegExp, "passed" | "failed"]> = [
  [/^\s*(\d+) passing\b/, "passed"],
  [/^\s*(\d+) failing\b/, "failed"],
  [/^\s*ℹ pass (\d+)\s*$/, "passed"],
  [/^\s*ℹ fail (\d+)\s*$/, "failed"],
  [/^\s*Tests\s+(?:.*\|\s*)?(\d+) passed\b/, "passed"],
  [/^\s*Tests\s+(\d+) failed\b/, "failed"],
];

export interface StepOptions extends SpawnOptions {
  /** Drops lines from the step's output (both streams), e.g. dropWarnings; the output then goes out line by line. */
  filter?: LineFilter;
}

/** Takes each line of output (without its newline), returns the lines to print in its place. */
export type LineFilter = (line: string) => string[];

const plainText = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, "");

/** Adds the tests a reporter's summary line counts (colours ignored) to `result`. */
export function countTests(result: Pick<StepResult, "passed" | "failed">, line: string): void {
  for (const [re, key] of COUNTERS) {
    const m = re.exec(plainText(line));
    if (m) result[key] += Number(m[1]);
  }
}

export function step(title: string, cmd: string, args: string[], { filter, ...opts }: StepOptions = {}): Promise<StepResult> {
  process.stderr.write(`\n[fomo] ${title}\n`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    const result: StepResult = { code: 0, passed: 0, failed: 0 };
    const count = (line: string) => countTests(result, line);
    const stream = (source: NodeJS.ReadableStream, sink: NodeJS.WriteStream) => {
      let pending = "";
      source.on("data", (chunk: Buffer) => {
        if (!filter) sink.write(chunk);
        pending += chunk.toString("utf8");
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) {
          count(line);
          if (filter) for (const kept of filter(line)) sink.write(`${kept}\n`);
        }
      });
      source.on("end", () => {
        if (filter && pending) for (const kept of filter(pending)) sink.write(kept);
      });
    };
    stream(child.stdout!, process.stdout);
    stream(child.stderr!, process.stderr);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      result.code = code ?? (signal ? 1 : 0);
      resolvePromise(result);
    });
  });
}

/**
 * A filter that drops each compiler warning whose first line matches `warning` and whose next line
 * (solc's `--> file:line:col`) matches `source` (ANSI colours ignored), with its source frame: the
 * lines after it up to the blank line that ends the block, and the blank line before it (blocks are
 * separated by one blank line). Every other
 * line, other warnings included, passes unchanged. `dropped` hears of each warning dropped.
 */
export function dropWarnings(warning: RegExp, source: RegExp, dropped: () => void = () => {}): LineFilter {
  let state: "passing" | "judging" | "dropping" = "passing";
  let held: string[] = [];
  let blankHeld = false;
  return (line) => {
    const plain = plainText(line);
    const blank = plain.trim() === "";
    if (state === "dropping") {
      // The blank line that ends a block may start the next one: it is held, not dropped.
      if (blank) {
        state = "passing";
        blankHeld = true;
      }
      return [];
    }
    if (state === "judging") {
      if (source.test(plain)) {
        state = "dropping";
        held = [];
        dropped();
        return [];
      }
      state = "passing";
      const out = [...held];
      held = [];
      if (blank) {
        blankHeld = true;
        return out;
      }
      return [...out, line];
    }
    if (warning.test(plain)) {
      state = "judging";
      held = [...(blankHeld ? [""] : []), line];
      blankHeld = false;
      return [];
    }
    const out = blankHeld ? [""] : [];
    blankHeld = blank;
    return blank ? out : [...out, line];
  };
}
