// Crash recovery end to end with the real CLI, on SQLite (the data dir) and on PostgreSQL
// (DATABASE_URL): `fomo keys create`, `fomo gateway`, SIGKILL it mid-stream (after 20 deltas, and
// right after the first), start it again on the same database: no hold left, exactly one usage
// record for the request (settled from the stream's checkpoint, or normally if it had already
// finished), and the balance moved by exactly that record's price.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import OpenAI from "openai";
import { REPO_ROOT } from "../src/backends/models.ts";
import { databaseTarget, Ledger, openDatabase } from "@fomo/ledger";
import { freePort } from "@fomo/testkit/ports";
import { describeEachDatabase } from "@fomo/testkit/databases";

const CLI = join(REPO_ROOT, "packages/cli/src/main.ts");
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/** The ledger's location: a data dir (SQLite, DATABASE_URL empty) or a PostgreSQL URL. */
interface Store {
  dir: string;
  env: NodeJS.ProcessEnv;
}

/** Starts `fomo gateway` and resolves once it listens (after its start-up reconcile). */
async function startGateway(port: number, { dir, env }: Store): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, "gateway", "--port", String(port), "--data-dir", dir], { env, stdio: ["ignore", "ignore", "pipe"] });
  children.push(child);
  let stderr = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (data: Buffer) => {
      stderr += data.toString();
      if (stderr.includes("gateway on http")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`gateway exited (${code}): ${stderr}`)));
  });
  return child;
}

describeEachDatabase("gateway crash mid-stream", (suite) => {
  let store: Store;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "fomo-crash-"));
    store = { dir, env: { ...process.env, DATABASE_URL: suite.dialect === "postgres" ? await suite.target() : "" } };
  });
  after(() => store && rmSync(store.dir, { recursive: true, force: true }));

  /** A key of a new account with $1, made by the CLI. */
  const createKey = (account: string): string => {
    const created = spawnSync(process.execPath, [CLI, "keys", "create", "--account", account, "--credits", "1", "--data-dir", store.dir], { env: store.env, encoding: "utf8" });
    assert.equal(created.status, 0, created.stderr);
    const key = created.stdout.trim();
    assert.match(key, /^sk-fomo-/);
    return key;
  };

  /** Streams a story and SIGKILLs the gateway once `killAt` deltas arrived; returns the deltas seen. */
  async function killMidStream(first: ChildProcess, port: number, key: string, requestId: string, killAt: number): Promise<number> {
    const openai = new OpenAI({ apiKey: key, baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
    const stream = await openai.completions.create(
      { model: "stories-260k", prompt: "Once upon a time", max_tokens: 400, temperature: 0, stream: true },
      { headers: { "x-request-id": requestId } },
    );
    let deltas = 0;
    const exited = new Promise((resolve) => first.once("exit", resolve));
    await (async () => {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.text && ++deltas === killAt) {
          first.kill("SIGKILL");
          break;
        }
      }
    })().catch(() => undefined);
    await exited;
    return deltas;
  }

  /** After the restart: no hold, the request's one usage record, the balance moved by its price. */
  async function billedAfterRestart(account: string, requestId: string) {
    const db = await openDatabase(databaseTarget(store.env.DATABASE_URL, store.dir));
    try {
      const ledger = new Ledger(db);
      const { id } = (await ledger.accounts.findByName(account))!;
      assert.deepEqual(await ledger.metering.listHolds(), []);
      const records = await db.selectFrom("usage_records").selectAll().where("account_id", "=", id).execute();
      assert.equal(records.length, 1, "the crashed request is billed, once");
      const record = (await ledger.usage.get(records[0]!.request_id))!;
      assert.ok(record.requestId.endsWith(`:${requestId}`));
      const after = await ledger.accounts.get(id);
      assert.equal(after.balance, 1_000_000n - record.priceCharged);
      assert.equal(after.held, 0n);
      return record;
    } finally {
      await db.destroy();
    }
  }

  it("restart reconciles: no leaked hold, one usage record, balance moved by its price", async () => {
    const key = createKey("crash");
    const port = await freePort();
    const first = await startGateway(port, store);
    // 20 deltas received: the gateway checkpointed after the 16th (its default) before sending them.
    assert.equal(await killMidStream(first, port, key, "crash-1", 20), 20, "the story ended before 20 deltas");
    const second = await startGateway(port, store);
    try {
      const record = await billedAfterRestart("crash", "crash-1");
      assert.ok(record.outputTokens >= 16n, `output ${record.outputTokens}`);
      assert.ok(record.source === "checkpoint" || record.source === "tokenizer");
    } finally {
      second.kill("SIGTERM");
      await new Promise((resolve) => second.once("exit", resolve));
    }
  });

  it("a stream killed right after its first delta bills that delta and the prompt: what the user saw is never free", async () => {
    const key = createKey("crash-first");
    const port = await freePort();
    const first = await startGateway(port, store);
    assert.equal(await killMidStream(first, port, key, "crash-first-1", 1), 1);
    const second = await startGateway(port, store);
    try {
      const record = await billedAfterRestart("crash-first", "crash-first-1");
      assert.ok(record.outputTokens >= 1n, `output ${record.outputTokens}`);
      assert.ok(record.inputTokens >= 1n, `input ${record.inputTokens}`);
      // Settled from the first checkpoint (or, had the kill been late, normally): never more than generated.
      assert.ok(record.source === "checkpoint" || record.source === "tokenizer");
    } finally {
      second.kill("SIGTERM");
      await new Promise((resolve) => second.once("exit", resolve));
    }
  });
});
