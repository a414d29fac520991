// Local-model throughput: tokens/s of the same greedy generation (same prompt, same max_tokens,
// threads 1) through our gateway's HTTP API (`./fomo gateway`'s setup: local model, SQLite ledger,
// metering) and from node-llama-cpp called directly, each in its own process. Runs alternate
// between the two so that a slower moment of the machine hits both alike; the figure is the sum of
// the tokens over the sum of the wall-clock times of each side's requests, both timed here in the
// parent around the request (HTTP for the gateway, IPC for the direct side). Each side's CPU time
// (its process's, every thread, from /proc) is reported too: unlike wall-clock time it barely moves
// when other processes load the machine.
//
// Alone: `node bench/gateway/local-model.ts [--runs N] [--data-dir DIR]` (or main.ts --local-only).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { forkServer, processCpuMs } from "./processes.ts";

export interface LocalModelResult {
  directTokensPerSec: number;
  gatewayTokensPerSec: number;
  /** (direct - gateway) / direct, percent. */
  overheadPct: number;
  runs: number;
  prompt: string;
  maxTokens: number;
  /** Tokens sampled per generation (the same on both sides: greedy is deterministic). */
  completionTokens: number;
  /** CPU time of each side's process per generation, ms (null where /proc is missing). */
  directCpuMsPerRun: number | null;
  gatewayCpuMsPerRun: number | null;
}

const PROMPT = "Once upon a time, there was a little";
const MAX_TOKENS = 256;
const WARMUP_RUNS = 2;

interface Generation {
  tokens: number;
  ms: number;
  /** CPU time the side's process spent on it, ms; NaN where unknown. */
  cpuMs: number;
  text: string;
}


/** Wall-clock and CPU time of one request to a child process, both taken here. */
async function timed(pid: number, run: () => Promise<{ tokens: number; text: string }>): Promise<Generation> {
  const cpuBefore = processCpuMs(pid);
  const started = performance.now();
  const { tokens, text } = await run();
  const ms = performance.now() - started;
  return { tokens, text, ms, cpuMs: processCpuMs(pid) - cpuBefore };
}

export async function measureLocalModel(options: { workDir: string; runs: number; log: (line: string) => void }): Promise<LocalModelResult> {
  const { workDir, runs, log } = options;
  log("local model: starting node-llama-cpp directly and our gateway on the local model");
  const direct = await forkServer("./llama-direct.ts", [], join(workDir, "llama-direct.log"));
  const gateway = await forkServer("./fomo-server.ts", ["--data-dir", join(workDir, "ledger-local"), "--local"], join(workDir, "fomo-local.log"));
  try {
    const viaDirect = () =>
      timed(
        direct.process.pid!,
        () =>
          new Promise<{ tokens: number; text: string }>((resolve) => {
            direct.process.once("message", (m) => resolve(m as { tokens: number; text: string }));
            direct.process.send({ prompt: PROMPT, maxTokens: MAX_TOKENS });
          }),
      );
    const viaGateway = () => timed(gateway.process.pid!, generateViaGateway);
    const generateViaGateway = async () => {
      const res = await fetch(`${gateway.ready.url as string}/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${gateway.ready.apiKey as string}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "stories-260k", prompt: PROMPT, max_tokens: MAX_TOKENS, temperature: 0 }),
      });
      const body = (await res.json()) as { choices?: { text: string }[]; usage?: { completion_tokens: number } };
      if (res.status !== 200 || body.usage === undefined || body.choices?.[0] === undefined) {
        throw new Error(`the gateway did not complete on the local model: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      }
      return { tokens: body.usage.completion_tokens, text: body.choices[0].text };
    };

    const totals = { direct: { tokens: 0, ms: 0, cpuMs: 0 }, gateway: { tokens: 0, ms: 0, cpuMs: 0 } };
    let reference: Generation | undefined;
    for (let i = 0; i < WARMUP_RUNS + runs; i++) {
      const d = await viaDirect();
      const g = await viaGateway();
      // Same prompt, greedy, same limit: the two must produce the same tokens, or the comparison is void.
      if (d.tokens !== g.tokens || d.text !== g.text) {
        throw new Error(`direct and gateway generations differ: ${d.tokens} tokens ${JSON.stringify(d.text)} vs ${g.tokens} tokens ${JSON.stringify(g.text)}`);
      }
      reference = d;
      if (i < WARMUP_RUNS) continue;
      totals.direct.tokens += d.tokens;
      totals.direct.ms += d.ms;
      totals.direct.cpuMs += d.cpuMs;
      totals.gateway.tokens += g.tokens;
      totals.gateway.ms += g.ms;
      totals.gateway.cpuMs += g.cpuMs;
    }
    const directTokensPerSec = (totals.direct.tokens * 1000) / totals.direct.ms;
    const gatewayTokensPerSec = (totals.gateway.tokens * 1000) / totals.gateway.ms;
    const result = {
      directTokensPerSec: Math.round(directTokensPerSec),
      gatewayTokensPerSec: Math.round(gatewayTokensPerSec),
      overheadPct: Number((((directTokensPerSec - gatewayTokensPerSec) / directTokensPerSec) * 100).toFixed(2)),
      runs,
      prompt: PROMPT,
      maxTokens: MAX_TOKENS,
      completionTokens: reference!.tokens,
      directCpuMsPerRun: perRun(totals.direct.cpuMs, runs),
      gatewayCpuMsPerRun: perRun(totals.gateway.cpuMs, runs),
    };
    log(
      `local model: direct ${result.directTokensPerSec} tokens/s, gateway ${result.gatewayTokensPerSec} tokens/s (${result.completionTokens} tokens per run); ` +
        `CPU per run: direct ${result.directCpuMsPerRun ?? "?"} ms, gateway ${result.gatewayCpuMsPerRun ?? "?"} ms`,
    );
    return result;
  } finally {
    await Promise.all([direct.stop(), gateway.stop()]);
  }
}

const perRun = (totalMs: number, runs: number) => (Number.isNaN(totalMs) ? null : Number((totalMs / runs).toFixed(1)));

if (import.meta.main) {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "10" }, "data-dir": { type: "string", default: tmpdir() } } });
  const runs = Number(values.runs);
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
  const workDir = mkdtempSync(join(values["data-dir"], "fomo-bench-local-"));
  const result = await measureLocalModel({ workDir, runs, log: (line) => process.stderr.write(`[bench] ${line}\n`) });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
