// The gateway benchmark's figures: their shape, the targets, and the readable table.
import type { LocalModelResult } from "./local-model.ts";
import type { LedgerCheck } from "./servers.ts";

export interface Latencies {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  achievedRps: number;
  errors: number;
  sendLagP99Ms: number;
  /** CPU time of the server's process (all its threads) per request, ms; null without /proc. */
  cpuMsPerRequest: number | null;
}

export interface Added {
  addedP50Ms: number;
  addedP90Ms: number;
  addedP99Ms: number;
}

/** A gateway's figures; the top-level added latencies are those at the headline rate. */
export interface GatewayFigures extends Added {
  maxRps: number;
  byRate: Record<string, Latencies & Added>;
  stream: Latencies & Added;
  /** Median latency under the closed-loop maximum-throughput load. */
  maxRpsP50Ms: number;
  /** CPU time of the server's process per request under that load, ms. */
  maxRpsCpuMsPerRequest: number | null;
}

export interface TargetCheck {
  name: string;
  target: string;
  value: string;
  met: boolean;
}

export interface Report {
  fomo: GatewayFigures;
  portkey: GatewayFigures;
  direct: { maxRps: number; maxRpsP50Ms: number; maxRpsCpuMsPerRequest: number | null; byRate: Record<string, Latencies>; stream: Latencies };
  localModel: LocalModelResult | null;
  ledger: LedgerCheck;
  targets: TargetCheck[];
  setup: {
    headlineRate: number;
    rates: number[];
    durationSec: number;
    warmupSec: number;
    connections: number;
    upstreamLatencyMs: number;
    completionTokens: number;
    node: string;
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    workDir: string;
  };
}

const ms = (n: number) => `${n.toFixed(3)} ms`;
const cpuText = (v: number | null) => (v === null ? "n/a" : ms(v));

/** The targets, each with the measured value and whether it is met. */
export function targetsMet(r: { fomo: GatewayFigures; portkey: GatewayFigures; localModel: LocalModelResult | null; headlineRate: number }): TargetCheck[] {
  const { fomo, portkey, headlineRate } = r;
  const at = `at ${headlineRate} req/s`;
  const checks: TargetCheck[] = [
    { name: `added p50 ${at}`, target: "<= 1 ms", value: ms(fomo.addedP50Ms), met: fomo.addedP50Ms <= 1 },
    { name: `added p99 ${at}`, target: "<= 3 ms", value: ms(fomo.addedP99Ms), met: fomo.addedP99Ms <= 3 },
    {
      name: `added p50 vs Portkey ${at}`,
      target: "<= 1/2 Portkey's",
      value: `${ms(fomo.addedP50Ms)} vs ${ms(portkey.addedP50Ms)}`,
      met: fomo.addedP50Ms <= portkey.addedP50Ms / 2,
    },
    {
      name: `added p99 vs Portkey ${at}`,
      target: "<= 1/2 Portkey's",
      value: `${ms(fomo.addedP99Ms)} vs ${ms(portkey.addedP99Ms)}`,
      met: fomo.addedP99Ms <= portkey.addedP99Ms / 2,
    },
    { name: "max throughput vs Portkey", target: "> Portkey's", value: `${fomo.maxRps} vs ${portkey.maxRps} req/s`, met: fomo.maxRps > portkey.maxRps },
  ];
  if (r.localModel) {
    checks.push({ name: "local model overhead", target: "<= 5%", value: `${r.localModel.overheadPct.toFixed(2)}%`, met: r.localModel.overheadPct <= 5 });
  }
  return checks;
}

const cell = (v: number) => v.toFixed(3).padStart(9);
const cpu = (v: number | null) => (v === null ? "n/a" : v.toFixed(3)).padStart(9);
const pad = (s: string, n: number) => s.padEnd(n);

export function printTable(r: Report): void {
  const s = r.setup;
  const out: string[] = [];
  out.push(
    `Gateway benchmark: ${s.cpus} × ${s.cpuModel}, ${s.memoryGiB} GiB, Node ${s.node}; every server in its own process, load generator in another.`,
    `Mock upstream: ${s.upstreamLatencyMs} ms fixed latency, ${s.completionTokens} completion tokens. ${s.durationSec} s measured per point after ${s.warmupSec} s warm-up.`,
    "",
    "Non-streaming chat completions, open loop at fixed rates (latency in ms, write to end of body; added = through the gateway minus direct;",
    "cpu/req = CPU time of the server's process, every thread, per request, ms):",
    `${pad("rate", 10)}${pad("target", 9)}${"p50".padStart(9)}${"p90".padStart(9)}${"p99".padStart(9)}${"+p50".padStart(9)}${"+p90".padStart(9)}${"+p99".padStart(9)}${"req/s".padStart(8)}${"errors".padStart(8)}${"cpu/req".padStart(9)}`,
  );
  const row = (label: string, target: string, l: Latencies, a?: Added) =>
    out.push(
      `${pad(label, 10)}${pad(target, 9)}${cell(l.p50Ms)}${cell(l.p90Ms)}${cell(l.p99Ms)}` +
        (a ? `${cell(a.addedP50Ms)}${cell(a.addedP90Ms)}${cell(a.addedP99Ms)}` : " ".repeat(27)) +
        `${String(l.achievedRps).padStart(8)}${String(l.errors).padStart(8)}${cpu(l.cpuMsPerRequest)}`,
    );
  for (const rate of s.rates) {
    row(`${rate}/s`, "direct", r.direct.byRate[rate]!);
    row("", "fomo", r.fomo.byRate[rate]!, r.fomo.byRate[rate]!);
    row("", "portkey", r.portkey.byRate[rate]!, r.portkey.byRate[rate]!);
  }
  out.push("", `Streaming (stream_options.include_usage) at ${s.headlineRate} req/s, to the last byte:`);
  row(`${s.headlineRate}/s`, "direct", r.direct.stream);
  row("", "fomo", r.fomo.stream, { ...r.fomo.stream, addedP90Ms: r.fomo.stream.p90Ms - r.direct.stream.p90Ms });
  row("", "portkey", r.portkey.stream, { ...r.portkey.stream, addedP90Ms: r.portkey.stream.p90Ms - r.direct.stream.p90Ms });
  out.push(
    "",
    `Maximum throughput (closed loop, ${s.connections} connections): direct ${r.direct.maxRps} req/s (p50 ${ms(r.direct.maxRpsP50Ms)}), ` +
      `fomo ${r.fomo.maxRps} req/s (p50 ${ms(r.fomo.maxRpsP50Ms)}), portkey ${r.portkey.maxRps} req/s (p50 ${ms(r.portkey.maxRpsP50Ms)})`,
    `CPU per request at maximum throughput: direct ${cpuText(r.direct.maxRpsCpuMsPerRequest)}, fomo ${cpuText(r.fomo.maxRpsCpuMsPerRequest)}, portkey ${cpuText(r.portkey.maxRpsCpuMsPerRequest)}`,
    `Ledger after the load: ${r.ledger.usageRecords} usage records for ${r.ledger.answered} answered (${r.ledger.failed} failed) requests, ` +
      `${r.ledger.holdsLeft} holds left, books ${r.ledger.balanced ? "balance" : "DO NOT balance"}, ${r.ledger.chargedMicroUsd} micro-USD charged` +
      (r.ledger.exact ? ": exact." : ": NOT EXACT."),
    `Failed requests' first errors are in the target's log under ${s.workDir}.`,
  );
  if (r.localModel) {
    const l = r.localModel;
    out.push(
      `Local model (stories260K, greedy, ${l.completionTokens} tokens per run, ${l.runs} runs each): node-llama-cpp direct ${l.directTokensPerSec} tokens/s, ` +
        `through the gateway ${l.gatewayTokensPerSec} tokens/s (${l.overheadPct.toFixed(2)}% overhead).`,
    );
  }
  out.push("", "Targets:");
  for (const t of r.targets) out.push(`  ${t.met ? "MET " : "MISS"}  ${pad(t.name, 34)} ${pad(t.target, 18)} ${t.value}`);
  console.log(out.join("\n"));
}
