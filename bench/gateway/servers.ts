// The three targets of the benchmark, each server in its own process: the mock upstream (direct),
// our gateway metering into a SQLite ledger and calling the mock, and Portkey's open-source
// gateway routed to the same mock by its config header. Each is checked with one real request
// before any load, so a misrouted target fails loudly instead of benchmarking error pages.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ledger, openDatabase } from "@fomo/ledger";
import { assertBooksBalance } from "@fomo/testkit/books";
import { freePort } from "@fomo/testkit/ports";
import { forkServer, spawnServer, type Child } from "./processes.ts";

export const TARGET_NAMES = ["direct", "fomo", "portkey"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface Target {
  baseUrl: string;
  headers: Record<string, string>;
  /** The server's process, whose CPU time the benchmark reads. */
  pid: number;
}

export interface Servers {
  targets: Record<TargetName, Target>;
  stop(): Promise<void>;
}

/** The key the gateways send upstream; the mock accepts any. */
const UPSTREAM_KEY = "sk-mock-upstream";
const LEDGER_DIR = "ledger";

export async function startServers(options: {
  workDir: string;
  upstreamLatencyMs: number;
  completionTokens: number;
  /** Write a V8 CPU profile of our gateway into the work dir (node --cpu-prof). */
  profile: boolean;
  log: (line: string) => void;
}): Promise<Servers> {
  const { workDir, log } = options;
  const children: Child[] = [];
  const stop = async () => void (await Promise.all(children.map((c) => c.stop())));
  try {
    log(`starting the mock upstream (${options.upstreamLatencyMs} ms, ${options.completionTokens} completion tokens)`);
    const mock = await forkServer(
      "./mock-server.ts",
      ["--latency-ms", String(options.upstreamLatencyMs), "--completion-tokens", String(options.completionTokens)],
      join(workDir, "mock.log"),
    );
    children.push(mock);
    const mockUrl = mock.ready.url as string;

    log("starting our gateway (SQLite ledger, metering on)");
    const fomo = await forkServer(
      "./fomo-server.ts",
      ["--data-dir", join(workDir, LEDGER_DIR), "--upstream", mockUrl],
      join(workDir, "fomo.log"),
      options.profile ? ["--cpu-prof", "--cpu-prof-dir", workDir] : [],
    );
    children.push(fomo);

    log("starting Portkey's gateway");
    const port = await freePort();
    const portkeyScript = fileURLToPath(import.meta.resolve("@portkey-ai/gateway/build/start-server.js"));
    const portkey = await spawnServer(
      process.execPath,
      [portkeyScript, `--port=${port}`, "--headless"],
      { NODE_ENV: "production" },
      `http://127.0.0.1:${port}/`,
      join(workDir, "portkey.log"),
    );
    children.push(portkey);

    const targets: Record<TargetName, Target> = {
      direct: { baseUrl: mockUrl, headers: { authorization: `Bearer ${UPSTREAM_KEY}` }, pid: mock.process.pid! },
      fomo: { baseUrl: fomo.ready.url as string, headers: { authorization: `Bearer ${fomo.ready.apiKey as string}` }, pid: fomo.process.pid! },
      portkey: {
        baseUrl: `http://127.0.0.1:${port}/v1`,
        headers: { "x-portkey-config": JSON.stringify({ provider: "openai", api_key: UPSTREAM_KEY, custom_host: mockUrl }) },
        pid: portkey.process.pid!,
      },
    };
    for (const name of TARGET_NAMES) await checkTarget(name, targets[name], options.completionTokens);
    return { targets, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One request through the target: a 200 with the mock's completion and usage (and our price header). */
async function checkTarget(name: TargetName, target: Target, completionTokens: number): Promise<void> {
  const res = await fetch(`${target.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { ...target.headers, "content-type": "application/json" },
    body: JSON.stringify({ model: "mock-model", messages: [{ role: "user", content: "check" }], max_tokens: completionTokens }),
  });
  const text = await res.text();
  const body = JSON.parse(text) as { usage?: { completion_tokens?: number } };
  const ok =
    res.status === 200 &&
    body.usage?.completion_tokens === completionTokens &&
    (name !== "fomo" || res.headers.get("x-fomo-cost-micro-usd") !== null);
  if (!ok) throw new Error(`${name} did not answer a chat completion as expected: HTTP ${res.status} ${text.slice(0, 300)}`);
}

export interface LedgerCheck {
  /** 2xx answers of our gateway, warm-ups and the readiness check included. */
  answered: number;
  failed: number;
  usageRecords: number;
  holdsLeft: number;
  /** Balances, holds and usage entries agree (the ledger tests' own invariant check). */
  balanced: boolean;
  /** Sum of the prices charged, micro-USD (a string: JSON has no bigint). */
  chargedMicroUsd: string;
  /** All of the above hold: nothing lost, nothing doubled. */
  exact: boolean;
}

/**
 * After the load: every answered request has exactly one usage record, no hold is left, and the
 * books balance. A request the client saw fail (a connection reset under overload) may still have
 * been billed for what the upstream produced, so records may exceed the answered count by at most
 * the failed count.
 */
export async function checkLedger(workDir: string, answeredUnderLoad: number, failed: number): Promise<LedgerCheck> {
  const db = await openDatabase({ dataDir: join(workDir, LEDGER_DIR) }, { migrate: false });
  try {
    const ledger = new Ledger(db);
    const account = await ledger.accounts.findByName("bench");
    if (account === undefined) throw new Error("the bench account is missing from the ledger");
    const records = await db.selectFrom("usage_records").select(["price_charged"]).execute();
    const holds = await db.selectFrom("holds").select("request_id").execute();
    let balanced = true;
    try {
      await assertBooksBalance(db, account.id);
    } catch {
      balanced = false;
    }
    const answered = answeredUnderLoad + 1; // and the readiness check's request
    return {
      answered,
      failed,
      usageRecords: records.length,
      holdsLeft: holds.length,
      balanced,
      exact: balanced && holds.length === 0 && records.length >= answered && records.length <= answered + failed,
      chargedMicroUsd: records.reduce((sum, r) => sum + r.price_charged, 0n).toString(),
    };
  } finally {
    await db.destroy();
  }
}
