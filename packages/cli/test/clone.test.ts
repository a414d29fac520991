// A clone runs on its own, as a new user gets it: `git clone` of this repository's HEAD into an
// empty temporary directory (nothing beside it), then `./fomo up` until the stack is up, a key, a
// chat completion through the official openai client, its charge in the ledger, and a stop that
// leaves no process behind. Only committed files count: what is not in HEAD is not in the clone.
//
// The installed dependencies are reused without the network: the clone's node_modules links to
// this checkout's packages (0.3 s; `npm ci --prefer-offline` took 34 s and 1.6 GB of memory), while
// the workspace links point into the clone, so the clone runs its own code. The clone compiles its
// own contracts, as `./fomo up` does for a new user: most of the test's time (about 30 s on an idle
// 2-core machine, 60-90 s on a busy one).
import assert from "node:assert/strict";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import OpenAI from "openai";
import { freePort } from "@fomo/testkit/ports";
import { databaseTarget, Ledger, openDatabase } from "@fomo/ledger";
import { decodeUsageReceipt, defaultCatalog } from "@fomo/sdk";
import { ROOT } from "../src/paths.ts";

const run = promisify(execFile);
const STACK_UP = "FOMO local stack is up";
const CREDITS_USD = "1";
const CREDITS_MICRO_USD = 1_000_000n;
const TOKENS_PER_PRICE_UNIT = 1_000_000n;

/**
 * `to` becomes a node_modules whose packages are those of `from`: directories are linked, files
 * (npm's and ./fomo's lock stamps) copied so nothing written in the clone reaches this checkout,
 * and npm's relative workspace links recreated as they are, so they resolve inside the clone.
 */
function linkNodeModules(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const source = join(from, name);
    const target = join(to, name);
    const entry = lstatSync(source);
    if (entry.isSymbolicLink() && !isAbsolute(readlinkSync(source))) symlinkSync(readlinkSync(source), target);
    else if (name.startsWith("@") && entry.isDirectory()) linkNodeModules(source, target);
    else if (entry.isFile()) copyFileSync(source, target);
    else symlinkSync(source, target);
  }
}

/** The root's node_modules and any a workspace has of its own. */
function linkDependencies(from: string, to: string): void {
  const workspaces: string[] = JSON.parse(readFileSync(join(from, "package.json"), "utf8")).workspaces ?? [];
  for (const dir of ["", ...workspaces]) {
    const modules = join(from, dir, "node_modules");
    if (existsSync(modules)) linkNodeModules(modules, join(to, dir, "node_modules"));
  }
}

/** Whether any process of the group is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw err;
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

describe("a fresh clone with nothing beside it", { timeout: 240_000 }, () => {
  const workDir = mkdtempSync(join(tmpdir(), "fomo-clone-"));
  const repo = join(workDir, "fomo");
  const dataDir = join(workDir, "data");
  // The clone's own Node: this one (>= 22.13), so ./fomo installs none; a new user's ledger: SQLite in the data dir.
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` };
  for (const name of ["DATABASE_URL", "REDIS_URL", "FOMO_MODELS_DIR", "FOMO_GATEWAY_KEY", "FOMO_INSTANCE_ID"]) delete env[name];

  let stack: ChildProcess | undefined;
  let exited: Promise<number | null> | undefined;
  let output = "";
  let gatewayPort = 0;
  const tail = () => output.split("\n").slice(-40).join("\n");

  before(async () => {
    const head = (await run("git", ["rev-parse", "HEAD"], { cwd: ROOT })).stdout.trim();
    await run("git", ["clone", "--quiet", "--no-checkout", ROOT, repo]);
    await run("git", ["checkout", "--quiet", "--detach", head], { cwd: repo });
    assert.ok(!existsSync(join(workDir, "shared")), "nothing beside the clone");
    linkDependencies(ROOT, repo);
  });

  after(async () => {
    if (stack?.pid !== undefined && groupAlive(stack.pid)) {
      process.kill(-stack.pid, "SIGKILL");
      await until(() => !groupAlive(stack!.pid!), 10_000);
    }
    rmSync(workDir, { recursive: true, force: true });
  });

  it("`./fomo up` reaches the stack-is-up line", async () => {
    const chainPort = await freePort();
    gatewayPort = await freePort();
    const platformPort = await freePort();
    const started = Date.now();
    const ports = ["--port", String(chainPort), "--gateway-port", String(gatewayPort), "--platform-port", String(platformPort)];
    const child = spawn("./fomo", ["up", ...ports, "--data-dir", dataDir], {
      cwd: repo,
      env,
      detached: true, // its own process group: the chain node and anything else it starts go with it
      stdio: ["ignore", "pipe", "pipe"],
    });
    stack = child;
    exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    const upOrExit = new Promise<boolean>((resolve) => {
      const scan = (chunk: Buffer) => {
        output += chunk.toString("utf8");
        if (output.includes(STACK_UP)) resolve(true);
      };
      child.stdout!.on("data", scan);
      child.stderr!.on("data", scan);
      void exited!.then(() => resolve(false));
    });
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 180_000).unref());
    const up = await Promise.race([upOrExit, timeout]);
    assert.ok(up, `./fomo up did not come up (exit ${child.exitCode}):\n${tail()}`);
    process.stderr.write(`# fresh clone: stack up ${Math.round((Date.now() - started) / 1000)} s after ./fomo up (contracts compiled in the clone)\n`);
  });

  it("serves a chat completion through the openai client and charges the account", async (t) => {
    if (!output.includes(STACK_UP)) return t.skip("the stack is not up");
    const fomo = (args: string[]) => run("./fomo", args, { cwd: repo, env });
    const apiKey = (await fomo(["keys", "create", "--account", "clone", "--credits", CREDITS_USD, "--data-dir", dataDir])).stdout.trim();

    const client = new OpenAI({ apiKey, baseURL: `http://127.0.0.1:${gatewayPort}/v1`, maxRetries: 0 });
    const { data: completion, response } = await client.chat.completions
      .create({ model: "stories-260k", messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 16, temperature: 0 })
      .withResponse();
    const text = completion.choices[0]?.message.content ?? "";
    assert.match(text, /[a-z]/i, "the model wrote words");
    assert.equal(completion.model, "stories-260k");
    const usage = completion.usage!;
    assert.ok(usage.prompt_tokens > 0 && usage.completion_tokens > 0 && usage.completion_tokens <= 16, JSON.stringify(usage));
    // The charge as the product defines it: tokens × the template's price per 1M, rounded up to the micro-USD.
    const { pricing } = defaultCatalog.find((tpl) => tpl.baseModelId === "stories-260k")!;
    const expected =
      (BigInt(usage.prompt_tokens) * pricing.inputPrice + BigInt(usage.completion_tokens) * pricing.outputPrice + TOKENS_PER_PRICE_UNIT - 1n) /
      TOKENS_PER_PRICE_UNIT;
    const header = response.headers.get("x-fomo-receipt");
    assert.ok(header, "the response carries its usage receipt");
    const { receipt } = decodeUsageReceipt(header);
    assert.equal(receipt.costMicroUsd, expected);

    // And the ledger the stack writes in its data dir recorded it and took it from the account.
    const db = await openDatabase(databaseTarget(undefined, dataDir));
    try {
      const ledger = new Ledger(db);
      const record = await ledger.usage.get(receipt.requestId);
      assert.ok(record, `a usage record for ${receipt.requestId}`);
      assert.equal(record.inputTokens, BigInt(usage.prompt_tokens));
      assert.equal(record.outputTokens, BigInt(usage.completion_tokens));
      assert.equal(record.priceCharged, expected);
      const account = (await ledger.accounts.findByName("clone"))!;
      assert.equal(record.accountId, account.id);
      assert.equal(account.balance, CREDITS_MICRO_USD - expected);
    } finally {
      await db.destroy();
    }
  });

  it("stops on SIGTERM with every process it started", async (t) => {
    if (!stack?.pid || !exited || stack.exitCode !== null) return t.skip("the stack is not running");
    const pgid = stack.pid;
    process.kill(-pgid, "SIGTERM");
    const code = await Promise.race([exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 30_000).unref())]);
    assert.equal(code, 0, `./fomo up exit after SIGTERM:\n${tail()}`);
    assert.ok(await until(() => !groupAlive(pgid), 10_000), "no process of the stack is left");
  });
});
