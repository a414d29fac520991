// The load generator of the gateway benchmark: one HTTP request shape sent to a target either at a
// fixed rate (open loop) or as fast as N connections allow (closed loop). Latencies are taken with
// process.hrtime from the moment the request is written to the end of the response body, kept
// whole (no histogram buckets) and sorted, so percentiles have microsecond resolution.
//
// Why not autocannon: its histogram records whole milliseconds, too coarse for targets of 1 ms, and
// its fixed-rate mode is closed loop per connection. Open loop means requests leave on schedule
// whether or not earlier ones have answered, so a slow server cannot slow the load down.
import http from "node:http";

/** What to send: the same body and headers every time. */
export interface RequestSpec {
  /** Base URL up to and including /v1. */
  baseUrl: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** POST unless said; a GET sends no body. */
  method?: "GET" | "POST";
}

export interface RunResult {
  /** Latencies of the successful (2xx) responses, ms, ascending. */
  latenciesMs: Float64Array;
  sent: number;
  errors: number;
  /** 2xx answers including the warm-up's. */
  ok: number;
  /** Failed requests including the warm-up's. */
  failed: number;
  /** A few distinct failures, to print. */
  errorSamples: string[];
  /** Measured answers by HTTP status ("error" when none came: reset, timeout). */
  statusCounts: Record<string, number>;
  /** Successful responses per second over the measured window. */
  achievedRps: number;
  /** Open loop: how late requests left versus their schedule, p99 (ms); shows whether the generator kept up. */
  sendLagP99Ms: number;
}

const ANSWER_TIMEOUT_MS = 30_000;

type Done = (error: string | null, ms: number, status?: number) => void;

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

/** Sends one request on `agent`; calls `done` once with the latency of a 2xx response or an error. */
function fire(agent: http.Agent, target: URL, spec: RequestSpec, done: Done): void {
  const started = nowMs();
  let settled = false;
  const finish = (error: string | null, status?: number) => {
    if (settled) return;
    settled = true;
    done(error, nowMs() - started, status);
  };
  const method = spec.method ?? "POST";
  const req = http.request(
    {
      agent,
      hostname: target.hostname,
      port: target.port,
      path: target.pathname,
      method,
      headers:
        method === "GET"
          ? spec.headers
          : { ...spec.headers, "content-type": "application/json", "content-length": Buffer.byteLength(spec.body) },
    },
    (res) => {
      const status = res.statusCode ?? 0;
      const parts: Buffer[] = [];
      res.on("data", (chunk: Buffer) => {
        if (status >= 300) parts.push(chunk);
      });
      res.on("end", () =>
        finish(status >= 200 && status < 300 ? null : `HTTP ${status}: ${Buffer.concat(parts).toString("utf8").slice(0, 200)}`, status),
      );
      res.on("error", (err) => finish(err.message));
    },
  );
  req.on("error", (err) => finish(err.message));
  req.end(method === "GET" ? undefined : spec.body);
}

class Recorder {
  readonly #latencies: number[] = [];
  readonly #errorSamples = new Set<string>();
  readonly #statusCounts: Record<string, number> = {};
  errors = 0;
  sent = 0;
  /** Every 2xx answer, warm-up included: what the gateway must have billed. */
  ok = 0;
  /** Every failure, warm-up included: the gateway may have billed these too (tokens it delivered). */
  failed = 0;

  record(error: string | null, ms: number, measured: boolean, status?: number): void {
    if (error === null) this.ok++;
    else this.failed++;
    if (!measured) return;
    const answer = status === undefined ? "error" : String(status);
    this.#statusCounts[answer] = (this.#statusCounts[answer] ?? 0) + 1;
    if (error === null) {
      this.#latencies.push(ms);
      return;
    }
    this.errors++;
    if (this.#errorSamples.size < 3) this.#errorSamples.add(error);
  }

  fail(count: number, why: string): void {
    this.errors += count;
    this.failed += count;
    this.#statusCounts.error = (this.#statusCounts.error ?? 0) + count;
    this.#errorSamples.add(why);
  }

  result(windowMs: number, sendLags: number[]): RunResult {
    const latenciesMs = Float64Array.from(this.#latencies).sort();
    const lags = Float64Array.from(sendLags).sort();
    return {
      latenciesMs,
      sent: this.sent,
      errors: this.errors,
      errorSamples: [...this.#errorSamples],
      statusCounts: this.#statusCounts,
      ok: this.ok,
      failed: this.failed,
      achievedRps: (latenciesMs.length * 1000) / windowMs,
      sendLagP99Ms: lags.length === 0 ? 0 : percentile(lags, 99),
    };
  }
}

const newAgent = () => new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 4096 });

/**
 * Open loop at `rate` requests/s: a warm-up of `warmupMs` (sockets opened, JIT warm, not recorded),
 * then `durationMs` measured. Resolves when every measured request has answered or timed out.
 */
export async function openLoop(spec: RequestSpec, rate: number, durationMs: number, warmupMs: number): Promise<RunResult> {
  const agent = newAgent();
  const target = new URL(spec.baseUrl + spec.path);
  const recorder = new Recorder();
  const lags: number[] = [];
  const warmupCount = Math.round((rate * warmupMs) / 1000);
  const total = warmupCount + Math.round((rate * durationMs) / 1000);
  const interval = 1000 / rate;
  let sent = 0;
  let answered = 0;
  const start = nowMs();
  await new Promise<void>((resolve) => {
    const answer = (measured: boolean): Done => (error, ms, status) => {
      recorder.record(error, ms, measured, status);
      if (++answered === total) resolve();
    };
    const tick = () => {
      const now = nowMs();
      // Everything whose time has come, including any a late timer made us miss.
      while (sent < total && start + sent * interval <= now) {
        const measured = sent >= warmupCount;
        if (measured) {
          lags.push(now - (start + sent * interval));
          recorder.sent++;
        }
        fire(agent, target, spec, answer(measured));
        sent++;
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - nowMs()));
      else setTimeout(resolve, ANSWER_TIMEOUT_MS).unref();
    };
    tick();
  });
  // A request still unanswered this long after the last one left counts as failed.
  const unanswered = total - answered;
  if (unanswered > 0) recorder.fail(unanswered, `${unanswered} requests unanswered after ${ANSWER_TIMEOUT_MS / 1000} s`);
  agent.destroy();
  return recorder.result(durationMs, lags);
}

/** Closed loop: `connections` clients each send the next request as soon as the previous one answered. */
export async function closedLoop(spec: RequestSpec, connections: number, durationMs: number, warmupMs: number): Promise<RunResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(spec.baseUrl + spec.path);
  const recorder = new Recorder();
  const start = nowMs();
  const end = start + warmupMs + durationMs;
  const measuredFrom = start + warmupMs;
  const client = () =>
    new Promise<void>((resolve) => {
      const next = () => {
        if (nowMs() >= end) return resolve();
        const sentAt = nowMs();
        if (sentAt >= measuredFrom) recorder.sent++;
        // Measured: sent after the warm-up and answered within the window.
        fire(agent, target, spec, (error, ms, status) => {
          recorder.record(error, ms, sentAt >= measuredFrom && nowMs() <= end, status);
          next();
        });
      };
      next();
    });
  await Promise.all(Array.from({ length: connections }, client));
  agent.destroy();
  return recorder.result(durationMs, []);
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** The figures of one run. */
export interface Summary {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  achievedRps: number;
  errors: number;
  errorSamples: string[];
  sendLagP99Ms: number;
}

export function summarize(run: RunResult): Summary {
  return {
    p50Ms: percentile(run.latenciesMs, 50),
    p90Ms: percentile(run.latenciesMs, 90),
    p99Ms: percentile(run.latenciesMs, 99),
    achievedRps: run.achievedRps,
    errors: run.errors,
    errorSamples: run.errorSamples,
    sendLagP99Ms: run.sendLagP99Ms,
  };
}
