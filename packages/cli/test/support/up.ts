// `fomo up` in the background for the tests that need the whole local stack as a user starts it.
import { spawn, type ChildProcess } from "node:child_process";
import { CLI_ENV, MAIN } from "./fomo.ts";

export const BOOT_TIMEOUT_MS = 240_000;

export interface RunningUp {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `fomo up …` in the background, resolved once its banner says it is up. */
export async function startUp(args: string[]): Promise<RunningUp> {
  const child = spawn(process.execPath, [MAIN, "up", ...args], { env: CLI_ENV, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const until = Date.now() + BOOT_TIMEOUT_MS;
  while (!stderr.includes("Press Ctrl-C to stop.")) {
    if (child.exitCode !== null) throw new Error(`fomo up exited (${child.exitCode}) before it was up:\n${stderr}`);
    if (Date.now() > until) throw new Error(`fomo up was not up within ${BOOT_TIMEOUT_MS / 1000} s:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { child, stderr: () => stderr, exited };
}

