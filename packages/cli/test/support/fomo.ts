// The CLI as a user runs it, for the tests: `fomo …` in a child process, with no database URL or keeper
// key inherited from the shell running the tests (the data dir's SQLite database, the dev keeper); and
// the chain, data dir and deployments file the commands share.
import assert from "node:assert/strict";
import { execFile as execFileCb } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { databaseTarget, openDatabase, type Database } from "@fomo/ledger";
import { writeDeployments } from "@fomo/sdk/node";
import { startChain, type TestChain, type TestChainOptions } from "@fomo/testkit/chain";

const execFile = promisify(execFileCb);

/** The CLI's entry point. */
export const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

/** The environment CLI processes run with. */
export const CLI_ENV = { ...process.env, DATABASE_URL: "", FOMO_KEEPER_KEY: "" };

/** `fomo …`: exit code, stdout, stderr (a non-zero exit is a result, not an exception). */
export async function fomo(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFile(process.execPath, [MAIN, ...args], { env: CLI_ENV });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A `--json` command that must succeed: its whole stdout is one JSON document. */
export async function fomoJson<T>(...args: string[]): Promise<T> {
  const { code, stdout, stderr } = await fomo(...args, "--json");
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout) as T;
}

/** A local chain with FOMO deployed and what the CLI's commands share on it. */
export interface CliChain {
  chain: TestChain;
  /** The commands' data dir: the CLI's SQLite database, the keeper's epoch input files. */
  dir: string;
  /** The chain's deployments file (--deployments). */
  deploymentsFile: string;
  /** The data dir's database, opened as the commands open it. */
  db: Database;
  /** --data-dir, --rpc-url and --deployments of this chain. */
  args(): string[];
  close(): Promise<void>;
}

export async function startCliChain(dirPrefix: string, opts: TestChainOptions = {}): Promise<CliChain> {
  const chain = await startChain(opts);
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  let db: Database | undefined;
  const close = async () => {
    await db?.destroy();
    await chain.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const deploymentsFile = join(dir, "deployments.json");
    writeDeployments(deploymentsFile, chain.d);
    db = await openDatabase(databaseTarget(undefined, dir));
    return { chain, dir, deploymentsFile, db, args: () => ["--data-dir", dir, "--rpc-url", chain.url, "--deployments", deploymentsFile], close };
  } catch (error) {
    await close();
    throw error;
  }
}
