// The CLI as a user runs it, for the tests: `fomo …` in a child process, with no database URL or keeper
// key inherited from the shell running the tests (the data dir's SQLite database, the dev keeper); and
// the chain, data dir and deployments file the commands share.
import assert from "node:assert/strict";
import { execFile as execFileCb } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Indexer } from "@fomo/engine";
import { databaseTarget, openDatabase, type Database } from "@fomo/ledger";
import { getChallengeDelay } from "@fomo/sdk";
import { writeDeployments } from "@fomo/sdk/node";
import { startChain, type TestChain, type TestChainOptions } from "@fomo/testkit/chain";
import { CLI_ENV, FOMO_CLI as MAIN } from "@fomo/testkit/up";

const execFile = promisify(execFileCb);

/** The CLI's entry point, and the environment CLI processes run with (shared with `startUp`). */
export { CLI_ENV, MAIN };

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

/** Moves the chain's clock on by `seconds` and mines a block at the new time. */
export async function increaseTime(cli: CliChain, seconds: bigint): Promise<void> {
  const rpc = (method: string, params: unknown[] = []) => cli.chain.keeper.public.request({ method: method as never, params: params as never });
  await rpc("evm_increaseTime", [Number(seconds)]);
  await rpc("evm_mine");
}

/** The real indexer (default projections, as `fomo index run` builds it) run on the CLI's database until it reaches the head. */
export async function indexToHead(cli: CliChain): Promise<void> {
  await cli.chain.keeper.public.request({ method: "evm_mine" as never, params: [] as never });
  const indexer = new Indexer({ db: cli.db, client: cli.chain.keeper.public, deployments: cli.chain.d });
  for (let i = 0; i < 10_000; i++) if ((await indexer.syncOnce()).caughtUp) return;
  throw new Error("the indexer did not catch up");
}

/**
 * `fomo epoch run --epoch k --json` until epoch `k` is published. A root waits for the one before it
 * to go live (chain time), so each run that stops there is followed by the challenge delay on chain
 * and the indexer brought to the head; at most `runs` runs. Epoch k alone: the keeper counts in chain
 * time on the local chain, which a test moves on; a run of every due epoch would post more roots over
 * k's, which the claims after it prove against.
 */
export async function runUntilPublished(cli: CliChain, k: bigint, runs: number): Promise<void> {
  const delay = await getChallengeDelay(cli.chain.keeper.public, cli.chain.d);
  const logs: string[] = [];
  for (let attempt = 0; ; attempt++) {
    const ran = await fomo("epoch", "run", "--epoch", String(k), "--json", ...cli.args());
    logs.push(ran.stderr);
    const doc = JSON.parse(ran.stdout || "{}") as { epochs?: { epoch: string; step: string }[] };
    if (ran.code === 0 && doc.epochs?.some((e) => e.epoch === String(k) && e.step === "published")) return;
    // The epoch before k posted its root just now: k's waits until that one is live (chain time).
    assert.ok(attempt < runs - 1, `epoch ${k} not published:\n${logs.join("\n---\n")}`);
    assert.match(ran.stderr, /waiting: the root of epoch \d+ goes live/);
    await increaseTime(cli, delay + 1n);
    await indexToHead(cli);
  }
}
