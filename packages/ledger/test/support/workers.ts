// Run support/ledger-worker.ts as a separate process (another gateway on the same database) and talk
// to it line by line.
import assert from "node:assert/strict";
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";

const WORKER = fileURLToPath(new URL("./ledger-worker.ts", import.meta.url));

export class Worker {
  readonly #child: ChildProcessByStdio<Writable, Readable, Readable>;
  readonly #lines: AsyncIterator<string>;
  readonly #exited: Promise<[number | null, NodeJS.Signals | null]>;
  #stderr = "";

  constructor(args: string[]) {
    this.#child = spawn(process.execPath, [WORKER, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    this.#child.stderr.setEncoding("utf8").on("data", (chunk: string) => (this.#stderr += chunk));
    this.#lines = createInterface({ input: this.#child.stdout })[Symbol.asyncIterator]();
    this.#exited = once(this.#child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  }

  /** The worker's next output line; fails (with its stderr) if it exits first. */
  async nextLine(): Promise<string> {
    const next = await this.#lines.next();
    assert.ok(!next.done, `the worker exited early:\n${this.#stderr}`);
    return next.value;
  }

  async expectLine(expected: string): Promise<void> {
    assert.equal(await this.nextLine(), expected, this.#stderr);
  }

  send(line: string): void {
    this.#child.stdin.write(`${line}\n`);
  }

  /** SIGKILL: the process dies at whatever instruction it was at, no cleanup. */
  async kill(): Promise<void> {
    this.#child.kill("SIGKILL");
    const [code, signal] = await this.#exited;
    assert.equal(signal, "SIGKILL", `worker ended with code ${code}:\n${this.#stderr}`);
  }

  async exitCode(): Promise<number | null> {
    const [code] = await this.#exited;
    return code;
  }
}
