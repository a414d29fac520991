// FOMO gateway benchmark: `npm run bench:gateway` (or `node bench/gateway/main.ts`) from the repo root.
// See bench/README.md ("Gateway benchmark") for what is measured and the figures.
//
//   --json                 print exactly one JSON object on stdout (progress goes to stderr)
//   --duration S           measured seconds per point (default 10)
//   --warmup S             unmeasured seconds before each point (default 2)
//   --rates A,B,C          fixed rates in requests/s (default 100,500,1000; the headline is 500)
//   --connections N        closed-loop clients for the maximum throughput (default 64)
//   --upstream-latency MS  the mock upstream's fixed latency (default 10)
//   --local-runs N         generations per side for the local-model figure (default 10; 0 skips it)
//   --local-only           measure only the local-model figure (prints its JSON on stdout)
//   --data-dir DIR         where the temporary ledger and logs go (default the OS temp dir)
//   --profile              write a CPU profile of our gateway (node --cpu-prof) into that directory
import { mkdtempSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { closedLoop, openLoop, summarize, type RequestSpec, type RunResult, type Summary } from "./load.ts";
import { measureLocalModel, type LocalModelResult } from "./local-model.ts";
import { processCpuMs } from "./processes.ts";
import { checkLedger, startServers, type Servers, type TargetName, TARGET_NAMES } from "./servers.ts";
import { printTable, targetsMet, type GatewayFigures, type Latencies, type Report } from "./report.ts";

const { values: opts } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    rates: { type: "string", default: "100,500,1000" },
    connections: { type: "string", default: "64" },
    "upstream-latency": { type: "string", default: "10" },
    "local-runs": { type: "string", default: "10" },
    "local-only": { type: "boolean", default: false },
    "data-dir": { type: "string", default: tmpdir() },
    profile: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opts.help) {
  console.log(
    "usage: node bench/gateway/main.ts [--json] [--duration S] [--warmup S] [--rates 100,500,1000] [--connections N]\n" +
      "                                 [--upstream-latency MS] [--local-runs N] [--local-only] [--data-dir DIR]   (see bench/README.md)",
  );
  process.exit(0);
}

function positive(name: string, raw: string, integer = true): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    console.error(`--${name} must be a non-negative ${integer ? "integer" : "number"}, got ${raw}`);
    process.exit(2);
  }
  return n;
}
const durationMs = positive("duration", opts.duration, false) * 1000;
const warmupMs = positive("warmup", opts.warmup, false) * 1000;
const rates = opts.rates.split(",").map((r) => positive("rates", r.trim()));
const connections = positive("connections", opts.connections);
const upstreamLatencyMs = positive("upstream-latency", opts["upstream-latency"]);
const localRuns = positive("local-runs", opts["local-runs"]);
if (opts["local-only"] && localRuns === 0) {
  console.error("--local-only needs --local-runs above 0");
  process.exit(2);
}
if (durationMs === 0 || rates.length === 0 || rates.includes(0) || connections === 0) {
  console.error("--duration, --rates and --connections must be positive");
  process.exit(2);
}
/** The targets are stated at 500 req/s; with other rates the middle one stands in. */
const headlineRate = rates.includes(500) ? 500 : rates[Math.floor(rates.length / 2)]!;

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const workDir = mkdtempSync(join(opts["data-dir"], "fomo-bench-gateway-"));
log(`ledger and logs in ${workDir}`);

/** One non-streaming chat completion of a fixed size, the same through every target. */
const COMPLETION_TOKENS = 16;
const chatBody = (stream: boolean) =>
  JSON.stringify({
    model: "mock-model",
    messages: [{ role: "user", content: "Say hello to the benchmark." }],
    max_tokens: COMPLETION_TOKENS,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });

if (opts["local-only"]) {
  process.stdout.write(`${JSON.stringify(await measureLocalModel({ workDir, runs: localRuns, log }))}\n`);
  process.exit(0);
}

const servers: Servers = await startServers({ workDir, upstreamLatencyMs, completionTokens: COMPLETION_TOKENS, profile: opts.profile, log });
const spec = (target: TargetName, stream: boolean): RequestSpec => ({
  ...servers.targets[target],
  path: "/chat/completions",
  body: chatBody(stream),
});

type PerTarget<T> = Record<TargetName, T>;
/** A run's figures, plus the CPU time its server's process spent per request (every thread; NaN without /proc). */
type Measured = Summary & { cpuMsPerRequest: number };
const byRate = new Map<number, PerTarget<Measured>>();
const fomoAnswered: RunResult[] = [];
let streamAt: PerTarget<Measured> | undefined;
const maxRps = {} as PerTarget<Measured>;
let local: LocalModelResult | undefined;

const describe = (r: Summary) =>
  `p50 ${r.p50Ms.toFixed(3)} p90 ${r.p90Ms.toFixed(3)} p99 ${r.p99Ms.toFixed(3)} ms, ${r.achievedRps.toFixed(0)} req/s` +
  (r.errors > 0 ? `, ${r.errors} errors (${r.errorSamples.join(" | ")})` : "");

async function measure(label: string, target: TargetName, run: () => Promise<RunResult>): Promise<Measured> {
  // CPU time, unlike latency and throughput, barely moves when other processes load the machine.
  const pid = servers.targets[target].pid;
  const cpuBefore = processCpuMs(pid);
  const result = await run();
  const cpuMsPerRequest = (processCpuMs(pid) - cpuBefore) / (result.ok + result.failed);
  if (target === "fomo") fomoAnswered.push(result);
  const summary = { ...summarize(result), cpuMsPerRequest };
  log(`${label} ${target.padEnd(7)} ${describe(summary)}, CPU ${cpuMsPerRequest.toFixed(3)} ms/request`);
  return summary;
}

try {
  // Rates in the outer loop, targets in the inner one: a drift of the machine during the run hits
  // all three alike at each rate.
  for (const rate of rates) {
    const point = {} as PerTarget<Measured>;
    for (const target of TARGET_NAMES) {
      point[target] = await measure(`${rate} req/s`, target, () => openLoop(spec(target, false), rate, durationMs, warmupMs));
    }
    byRate.set(rate, point);
  }
  streamAt = {} as PerTarget<Measured>;
  for (const target of TARGET_NAMES) {
    streamAt[target] = await measure(`${headlineRate} req/s stream`, target, () => openLoop(spec(target, true), headlineRate, durationMs, warmupMs));
  }
  for (const target of TARGET_NAMES) {
    maxRps[target] = await measure(`max (${connections} conn)`, target, () => closedLoop(spec(target, false), connections, durationMs, warmupMs));
  }
} finally {
  await servers.stop();
}
const ledger = await checkLedger(
  workDir,
  fomoAnswered.reduce((n, r) => n + r.ok, 0),
  fomoAnswered.reduce((n, r) => n + r.failed, 0),
);
log(
  `ledger: ${ledger.usageRecords} usage records for ${ledger.answered} answered and ${ledger.failed} failed requests, ` +
    `${ledger.holdsLeft} holds left, books ${ledger.balanced ? "balance" : "DO NOT balance"}`,
);

if (localRuns > 0) local = await measureLocalModel({ workDir, runs: localRuns, log });

// ---------------------------------------------------------------------------- results

const added = (target: "fomo" | "portkey", rate: number) => {
  const point = byRate.get(rate)!;
  return { p50: point[target].p50Ms - point.direct.p50Ms, p90: point[target].p90Ms - point.direct.p90Ms, p99: point[target].p99Ms - point.direct.p99Ms };
};
const round = (ms: number, digits = 3) => Number(ms.toFixed(digits));
const gatewayFigures = (target: "fomo" | "portkey"): GatewayFigures => {
  const headline = added(target, headlineRate);
  return {
    addedP50Ms: round(headline.p50),
    addedP90Ms: round(headline.p90),
    addedP99Ms: round(headline.p99),
    maxRps: Math.round(maxRps[target].achievedRps),
    byRate: Object.fromEntries(
      rates.map((rate) => {
        const a = added(target, rate);
        return [rate, { ...latencies(byRate.get(rate)![target]), addedP50Ms: round(a.p50), addedP90Ms: round(a.p90), addedP99Ms: round(a.p99) }];
      }),
    ),
    stream: {
      ...latencies(streamAt![target]),
      addedP50Ms: round(streamAt![target].p50Ms - streamAt!.direct.p50Ms),
      addedP90Ms: round(streamAt![target].p90Ms - streamAt!.direct.p90Ms),
      addedP99Ms: round(streamAt![target].p99Ms - streamAt!.direct.p99Ms),
    },
    maxRpsP50Ms: round(maxRps[target].p50Ms),
    maxRpsCpuMsPerRequest: latencies(maxRps[target]).cpuMsPerRequest,
  };
};
const latencies = (s: Measured): Latencies => ({
  p50Ms: round(s.p50Ms),
  p90Ms: round(s.p90Ms),
  p99Ms: round(s.p99Ms),
  achievedRps: Math.round(s.achievedRps),
  errors: s.errors,
  sendLagP99Ms: round(s.sendLagP99Ms),
  cpuMsPerRequest: Number.isFinite(s.cpuMsPerRequest) ? round(s.cpuMsPerRequest) : null,
});

const fomo = gatewayFigures("fomo");
const portkey = gatewayFigures("portkey");
const report: Report = {
  fomo,
  portkey,
  direct: {
    maxRps: Math.round(maxRps.direct.achievedRps),
    maxRpsP50Ms: round(maxRps.direct.p50Ms),
    maxRpsCpuMsPerRequest: latencies(maxRps.direct).cpuMsPerRequest,
    byRate: Object.fromEntries(rates.map((rate) => [rate, latencies(byRate.get(rate)!.direct)])),
    stream: latencies(streamAt!.direct),
  },
  localModel: local ?? null,
  ledger,
  targets: targetsMet({ fomo, portkey, localModel: local ?? null, headlineRate }),
  setup: {
    headlineRate,
    rates,
    durationSec: durationMs / 1000,
    warmupSec: warmupMs / 1000,
    connections,
    upstreamLatencyMs,
    completionTokens: COMPLETION_TOKENS,
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    workDir,
  },
};

if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
else printTable(report);
// Metering that lost or doubled a charge makes every figure above meaningless: fail the run.
if (!ledger.exact) process.exitCode = 1;
