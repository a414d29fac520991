// Local-model throughput: tokens/s of the same greedy generation (same prompt, same max_tokens,
// threads 1) through our gateway's HTTP API (`./fomo gateway`'s setup: local model, SQLite ledger,
// metering) and from node-llama-cpp called directly, each in its own process. Runs alternate
// between the two so that a slower moment of the machine hits both alike; the figure is the sum of
// the tokens over the sum of the wall-clock times of each side's requests.
import { join } from "node:path";
import { forkServer } from "./processes.ts";

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
}

const PROMPT = "Once upon a time, there was a little";
const MAX_TOKENS = 256;
const WARMUP_RUNS = 2;

interface Generation {
  tokens: number;
  ms: number;
  text: string;
}

export async function measureLocalModel(options: { workDir: string; runs: number; log: (line: string) => void }): Promise<LocalModelResult> {
  const { workDir, runs, log } = options;
  log("local model: starting node-llama-cpp directly and our gateway on the local model");
  const direct = await forkServer("./llama-direct.ts", [], join(workDir, "llama-direct.log"));
  const gateway = await forkServer("./fomo-server.ts", ["--data-dir", join(workDir, "ledger-local"), "--local"], join(workDir, "fomo-local.log"));
  try {
    const viaDirect = () =>
      new Promise<Generation>((resolve) => {
        direct.process.once("message", (m) => resolve(m as Generation));
        direct.process.send({ prompt: PROMPT, maxTokens: MAX_TOKENS });
      });
    const viaGateway = async (): Promise<Generation> => {
      const started = performance.now();
      const res = await fetch(`${gateway.ready.url as string}/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${gateway.ready.apiKey as string}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "stories-260k", prompt: PROMPT, max_tokens: MAX_TOKENS, temperature: 0 }),
      });
      const body = (await res.json()) as { choices?: { text: string }[]; usage?: { completion_tokens: number } };
      const ms = performance.now() - started;
      if (res.status !== 200 || body.usage === undefined || body.choices?.[0] === undefined) {
        throw new Error(`the gateway did not complete on the local model: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      }
      return { tokens: body.usage.completion_tokens, ms, text: body.choices[0].text };
    };

    const totals = { direct: { tokens: 0, ms: 0 }, gateway: { tokens: 0, ms: 0 } };
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
      totals.gateway.tokens += g.tokens;
      totals.gateway.ms += g.ms;
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
    };
    log(`local model: direct ${result.directTokensPerSec} tokens/s, gateway ${result.gatewayTokensPerSec} tokens/s (${result.completionTokens} tokens per run)`);
    return result;
  } finally {
    await Promise.all([direct.stop(), gateway.stop()]);
  }
}
