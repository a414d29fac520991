// Oversized prompts: does a request the gateway refuses still stall everyone else? `/health`
// latency (sequential GETs) of our gateway on the local model, in three phases side by side: idle
// (the baseline), while two senders loop POSTing 4 MiB prompts (the largest body the gateway reads),
// and while they POST prompts exactly at the model's character bound (the largest prompts the
// gateway tokenizes). One sender uses a key with no credits (402 before the prompt is looked at),
// the other a funded key (400 context_length_exceeded: from the character bound without
// tokenizing for 4 MiB, after tokenizing at the bound). An outside review saw two such senders push
// /health to 3–10 s when 4 MB prompts were tokenized on the event loop before any check.
//
// The gateway (`./fomo gateway`'s setup: local model, SQLite ledger in a temp dir) and the senders
// each run in a child process, the /health client here, so none shares an event loop; all loopback.
// See bench/README.md ("Oversized prompts").
//
//   --json            one JSON object on stdout (progress on stderr)
//   --duration S      measured seconds per phase (default 5)
//   --warmup S        unmeasured seconds before each phase, senders already sending (default 1)
//   --data-dir DIR    where the temporary ledger and logs go (default the OS temp dir; removed at the end)
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Backend } from "@fomo/gateway";
import { Ledger, openDatabase } from "@fomo/ledger";
import { closedLoop, percentile, type RequestSpec, type RunResult } from "./load.ts";
import { forkServer, processCpuMs, stopProcess, type Child } from "./processes.ts";

/**
 * The gateway's bodyLimit (buildGateway in packages/gateway/src/app.ts): the largest body it reads.
 * Were it lowered, the checks below would get a 413 and fail the run. (A body over it is not checked:
 * the gateway answers 413 and closes while the client still writes, which the client sees as EPIPE.)
 */
const BODY_LIMIT_BYTES = 4 * 1024 * 1024;
const MODEL = "stories-260k";
const TEXT = "Once upon a time, there was a little girl named Lily. She loved to play outside in the sun. ";

type Kind = "completion" | "chat";
const PATHS: Record<Kind, string> = { completion: "/completions", chat: "/chat/completions" };

function requestBody(kind: Kind, promptChars: number): string {
  const prompt = TEXT.repeat(Math.ceil(promptChars / TEXT.length)).slice(0, promptChars);
  // max_tokens 1: should a prompt ever fit the context, the sender still costs one token, not a story.
  const common = { model: MODEL, max_tokens: 1, temperature: 0 };
  return JSON.stringify(kind === "chat" ? { ...common, messages: [{ role: "user", content: prompt }] } : { ...common, prompt });
}

/** A body of exactly `bytes` bytes (the prompt is ASCII without characters JSON escapes). */
function bodyOfBytes(kind: Kind, bytes: number): string {
  return requestBody(kind, bytes - requestBody(kind, 0).length);
}

/** What a phase's senders post: by prompt size, since 4 MiB bodies do not fit a command line. */
interface SenderPlan {
  name: string;
  kind: Kind;
  apiKey: string;
  /** The prompt's characters, or "max-body" for a body of BODY_LIMIT_BYTES. */
  prompt: number | "max-body";
}

interface SendersArgs {
  baseUrl: string;
  senders: SenderPlan[];
  durationMs: number;
  warmupMs: number;
}

interface SenderFigures {
  name: string;
  path: string;
  bodyBytes: number;
  /** Requests sent in the measured window. */
  sent: number;
  /** Answers in the measured window by HTTP status. */
  statusCounts: Record<string, number>;
  errorSamples: string[];
}

const senderSpec = (baseUrl: string, s: SenderPlan): RequestSpec => ({
  baseUrl,
  path: PATHS[s.kind],
  headers: { authorization: `Bearer ${s.apiKey}` },
  body: s.prompt === "max-body" ? bodyOfBytes(s.kind, BODY_LIMIT_BYTES) : requestBody(s.kind, s.prompt),
});

/** Child process: each sender posts its body in a loop, one request at a time, for warm-up + duration. */
async function runSenders(args: SendersArgs): Promise<void> {
  // A parent gone before it knew of this process (stopped while it started) cannot stop it: go with it.
  process.once("disconnect", () => process.exit(0));
  const specs = args.senders.map((s) => senderSpec(args.baseUrl, s));
  process.send!({ ready: true });
  const runs = await Promise.all(specs.map((spec) => closedLoop(spec, 1, args.durationMs, args.warmupMs)));
  const figures: SenderFigures[] = runs.map((run, i) => ({
    name: args.senders[i]!.name,
    path: `/v1${specs[i]!.path}`,
    bodyBytes: Buffer.byteLength(specs[i]!.body),
    sent: run.sent,
    statusCounts: run.statusCounts,
    errorSamples: run.errorSamples,
  }));
  process.send!(figures);
}

const { values: opts } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    duration: { type: "string", default: "5" },
    warmup: { type: "string", default: "1" },
    "data-dir": { type: "string", default: tmpdir() },
    help: { type: "boolean", short: "h", default: false },
    // Internal: the senders' child process (this same module).
    senders: { type: "string" },
  },
});


interface HealthFigures {
  requests: number;
  errors: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

interface PhaseFigures {
  name: string;
  health: HealthFigures;
  /** Each percentile over the idle phase's. */
  ratioToIdle: { p50: number; p90: number; p99: number; max: number };
  /** The gateway process's CPU time (every thread) over the phase, warm-up included, per second of it, ms. */
  gatewayCpuMsPerSec: number | null;
  senders: SenderFigures[];
}

async function main(): Promise<void> {
  const seconds = (name: string, raw: string) => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0 || n > 60) {
      console.error(`--${name} must be a number of seconds in (0, 60], got ${raw}`);
      process.exit(2);
    }
    return n * 1000;
  };
  const durationMs = seconds("duration", opts.duration);
  const warmupMs = seconds("warmup", opts.warmup);
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const workDir = mkdtempSync(join(opts["data-dir"], "fomo-bench-stall-"));
  // Every process forked, from the moment it is: one still starting when a signal comes is stopped too.
  const forked: ChildProcess[] = [];
  const start = (module: string, args: string[], logName: string) => forkServer(module, args, join(workDir, logName), [], (p) => forked.push(p));
  const cleanUp = async () => {
    await Promise.all(forked.map(stopProcess));
    rmSync(workDir, { recursive: true, force: true });
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  }

  try {
    log(`starting our gateway on the local model (ledger and logs in ${workDir})`);
    const ledgerDir = join(workDir, "ledger");
    const gateway = await start("./fomo-server.ts", ["--data-dir", ledgerDir, "--local"], "fomo-local.log");
    const bound = promptCharsBound(gateway.ready.localModel as Backend["models"][number] | undefined);
    log(`the model's prompt bound: ${bound.contextLength} tokens × ${bound.maxCharsPerToken} characters = ${bound.chars} characters`);
    const baseUrl = gateway.ready.url as string;
    const keys = { funded: gateway.ready.apiKey as string, unfunded: await createUnfundedKey(ledgerDir) };

    const sendersOf = (prompt: SenderPlan["prompt"]): SenderPlan[] => [
      { name: "no credits", kind: "completion", apiKey: keys.unfunded, prompt },
      { name: "funded", kind: "chat", apiKey: keys.funded, prompt },
    ];
    await checkAnswers(baseUrl, keys, bound.chars);

    const phases: { name: string; senders: SenderPlan[] }[] = [
      { name: "idle", senders: [] },
      { name: "4 MiB prompts", senders: sendersOf("max-body") },
      { name: `prompts at the bound (${bound.chars} chars)`, senders: sendersOf(bound.chars) },
    ];
    const measured: Omit<PhaseFigures, "ratioToIdle">[] = [];
    for (const phase of phases) {
      log(`phase "${phase.name}": ${(warmupMs + durationMs) / 1000} s`);
      measured.push(await measurePhase(gateway, phase.name, phase.senders));
    }
    const idle = measured[0]!.health;
    const ratio = (value: number, base: number) => round(value / base, 1);
    const report = {
      phases: measured.map(
        (p): PhaseFigures => ({
          ...p,
          ratioToIdle: {
            p50: ratio(p.health.p50Ms, idle.p50Ms),
            p90: ratio(p.health.p90Ms, idle.p90Ms),
            p99: ratio(p.health.p99Ms, idle.p99Ms),
            max: ratio(p.health.maxMs, idle.maxMs),
          },
        }),
      ),
      setup: {
        model: MODEL,
        promptBoundChars: bound.chars,
        contextLength: bound.contextLength,
        maxCharsPerToken: bound.maxCharsPerToken,
        bodyLimitBytes: BODY_LIMIT_BYTES,
        durationSec: durationMs / 1000,
        warmupSec: warmupMs / 1000,
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? "unknown",
      },
    };
    if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else printTable(report.phases, report.setup);
  } finally {
    await cleanUp();
  }

  async function measurePhase(gateway: Child, name: string, plans: SenderPlan[]): Promise<Omit<PhaseFigures, "ratioToIdle">> {
    const pid = gateway.process.pid!;
    const baseUrl = gateway.ready.url as string;
    const cpuBefore = processCpuMs(pid);
    const started = performance.now();
    let senders: Child | undefined;
    let figures: Promise<SenderFigures[]> = Promise.resolve([]);
    if (plans.length > 0) {
      const args: SendersArgs = { baseUrl, senders: plans, durationMs, warmupMs };
      senders = await start("./stall.ts", ["--senders", JSON.stringify(args)], "senders.log");
      figures = new Promise((resolve) => senders!.process.once("message", (m) => resolve(m as SenderFigures[])));
    }
    // Sequential GETs on one keep-alive connection, started as the senders start.
    const health = healthFigures(
      await closedLoop({ baseUrl: baseUrl.replace(/\/v1$/, ""), path: "/health", headers: {}, body: "", method: "GET" }, 1, durationMs, warmupMs),
    );
    const sent = await figures;
    await senders?.stop();
    const cpuMs = processCpuMs(pid) - cpuBefore;
    const elapsedSec = (performance.now() - started) / 1000;
    return { name, health, gatewayCpuMsPerSec: Number.isNaN(cpuMs) ? null : Math.round(cpuMs / elapsedSec), senders: sent };
  }
}

function healthFigures(run: RunResult): HealthFigures {
  const sorted = run.latenciesMs;
  return {
    requests: sorted.length,
    errors: run.errors,
    p50Ms: round(percentile(sorted, 50), 3),
    p90Ms: round(percentile(sorted, 90), 3),
    p99Ms: round(percentile(sorted, 99), 3),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN, 3),
  };
}

/**
 * The gateway refuses a prompt longer than contextLength × maxCharsPerToken characters without
 * tokenizing it (admitPromptSize in packages/gateway/src/generation/admission.ts; checkAnswers checks both sides).
 * Read from the gateway's process: node-llama-cpp loaded here would exit on Ctrl-C before the clean-up.
 */
function promptCharsBound(info: Backend["models"][number] | undefined): { contextLength: number; maxCharsPerToken: number; chars: number } {
  if (info?.id !== MODEL || info.maxCharsPerToken === undefined) throw new Error(`the local backend does not serve ${MODEL} with a character bound`);
  return { contextLength: info.contextLength, maxCharsPerToken: info.maxCharsPerToken, chars: info.contextLength * info.maxCharsPerToken };
}

/** A second key whose account has no credits, as `./fomo keys create` makes one (a second connection to the ledger). */
async function createUnfundedKey(dataDir: string): Promise<string> {
  const db = await openDatabase({ dataDir });
  try {
    const ledger = new Ledger(db);
    const account = await ledger.accounts.create("no-credits");
    return (await ledger.keys.create({ accountId: account.id, name: "no-credits" })).secret;
  } finally {
    await db.destroy();
  }
}

/**
 * One request of every kind the senders send, and one just over the bound, answered as the phases
 * assume: so a moved body limit or bound, or a gateway that answers 200, fails the run instead of
 * benchmarking something else.
 */
async function checkAnswers(baseUrl: string, keys: { funded: string; unfunded: string }, boundChars: number): Promise<void> {
  const cases: { what: string; kind: Kind; apiKey: string; body: string; status: number; tokenized?: boolean }[] = [
    { what: "4 MiB, no credits", kind: "completion", apiKey: keys.unfunded, body: bodyOfBytes("completion", BODY_LIMIT_BYTES), status: 402 },
    { what: "4 MiB, funded", kind: "chat", apiKey: keys.funded, body: bodyOfBytes("chat", BODY_LIMIT_BYTES), status: 400, tokenized: false },
    { what: "at the bound, no credits", kind: "completion", apiKey: keys.unfunded, body: requestBody("completion", boundChars), status: 402 },
    { what: "at the bound, funded", kind: "chat", apiKey: keys.funded, body: requestBody("chat", boundChars), status: 400, tokenized: true },
    { what: "one character over the bound, funded", kind: "chat", apiKey: keys.funded, body: requestBody("chat", boundChars + 1), status: 400, tokenized: false },
  ];
  for (const c of cases) {
    const res = await fetch(baseUrl + PATHS[c.kind], {
      method: "POST",
      headers: { authorization: `Bearer ${c.apiKey}`, "content-type": "application/json" },
      body: c.body,
    });
    const text = await res.text();
    const error = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
    // The character bound's refusal counts characters; the tokenizer's counts tokens.
    const refusedByChars = error?.message?.includes("characters") ?? false;
    const ok =
      res.status === c.status &&
      (c.tokenized === undefined || (error?.code === "context_length_exceeded" && refusedByChars === !c.tokenized));
    if (!ok) throw new Error(`${c.what}: expected HTTP ${c.status}${c.tokenized === undefined ? "" : c.tokenized ? " after tokenizing" : " without tokenizing"}, got ${res.status} ${text.slice(0, 300)}`);
  }
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

function printTable(phases: PhaseFigures[], setup: { durationSec: number; warmupSec: number; promptBoundChars: number; cpus: number; cpuModel: string; node: string }): void {
  const ms = (n: number) => n.toFixed(2);
  const rows = [
    ["phase", "GETs", "p50 ms", "p90 ms", "p99 ms", "max ms", "× idle p50/p90/p99/max", "gateway CPU ms/s", "senders' answers (measured window)"],
    ...phases.map((p) => [
      p.name,
      String(p.health.requests) + (p.health.errors > 0 ? ` (${p.health.errors} failed)` : ""),
      ms(p.health.p50Ms),
      ms(p.health.p90Ms),
      ms(p.health.p99Ms),
      ms(p.health.maxMs),
      [p.ratioToIdle.p50, p.ratioToIdle.p90, p.ratioToIdle.p99, p.ratioToIdle.max].map((r) => r.toFixed(1)).join(" / "),
      String(p.gatewayCpuMsPerSec ?? "?"),
      p.senders
        .map((s) => `${s.name} ${s.path}: ${Object.entries(s.statusCounts).map(([status, n]) => `${n}× ${status}`).join(", ") || "none"}`)
        .join("; ") || "-",
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(
    `/health of our gateway on ${MODEL} (sequential GETs, ${setup.durationSec} s per phase after ${setup.warmupSec} s of warm-up); ` +
      `prompt bound ${setup.promptBoundChars} characters; ${setup.cpus} CPUs (${setup.cpuModel}), Node ${setup.node}`,
  );
  for (const row of rows) console.log(row.map((cell, i) => (i === 0 || i === rows[0]!.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ").trimEnd());
}

// Last: every declaration above is initialized before the top-level await runs.
if (opts.senders !== undefined) {
  await runSenders(JSON.parse(opts.senders) as SendersArgs);
} else if (opts.help) {
  console.log(
    "usage: node bench/gateway/stall.ts [--json] [--duration S] [--warmup S] [--data-dir DIR]   (see bench/README.md, \"Oversized prompts\")\n" +
      "  /health latency of the gateway on the local model: idle, under two senders of 4 MiB prompts, and of prompts at the model's bound",
  );
} else {
  await main();
}
