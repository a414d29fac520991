// The CLI as a user runs it, for tests that need the whole local stack: `fomo up …` in the background
// (the CLI's tests, the web app's browser tests). The CLI is found through its package's declared bin,
// not a path into it; its processes run without a database URL or keeper key inherited from the shell
// running the tests (the data dir's SQLite database, the dev keeper).
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The `fomo` command's entry point: @fomo/cli's bin. */
export const FOMO_CLI: string = (() => {
  const manifest = createRequire(import.meta.url).resolve("@fomo/cli/package.json");
  const { bin } = JSON.parse(readFileSync(manifest, "utf8")) as { bin: { fomo: string } };
  return join(dirname(manifest), bin.fomo);
})();

/** The environment CLI processes run with. */
export const CLI_ENV: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: "", FOMO_KEEPER_KEY: "" };

export const BOOT_TIMEOUT_MS = 240_000;

export interface RunningUp {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `fomo up …` in the background, resolved once its banner says it is up. */
export async function startUp(args: string[]): Promise<RunningUp> {
  const child = spawn(process.execPath, [FOMO_CLI, "up", ...args], { env: CLI_ENV, stdio: ["ignore", "ignore", "pipe"] });
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
