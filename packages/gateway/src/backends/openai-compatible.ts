// The `openai-compatible` backend: any upstream speaking OpenAI's /chat/completions and /completions
// (vLLM, llama.cpp server, Ollama, OpenAI itself) by base URL and key.
//
// - Streaming requests always carry stream_options.include_usage, so the upstream reports usage
//   whether or not our client asked for it (the API decides what to show the client).
// - Usage is read from whichever chunk carries it: a final chunk with `choices: []` (OpenAI), one
//   with `choices: null` or `[{delta: {}}]`, usage inside the finish_reason chunk, before or after
//   it, or cumulative usage on every chunk; the last usage seen wins, never a sum. See usage.ts for
//   cached tokens and for the estimate used when no usage arrives (usage source "estimate").
// - `timeoutMs` bounds each attempt, from sending the request to the end of the response.
// - Requests go through one keep-alive undici Pool per backend (undici's `request`, not fetch: no
//   WHATWG streams or Response objects per request); the body is read as a Node stream and SSE is
//   parsed from its bytes (sse.ts).
// - Retries (maxRetries, default 1) happen only before the first byte of a successful response, on
//   connection errors, timeouts and 408/409/429/5xx (errors.ts isTransient); after it, a failure is
//   reported with what was received so far (BackendError.partial). Note that a non-streaming
//   upstream sends its headers only once it has generated everything, so a timeout there may retry
//   work the upstream did (its cost, never billed to our client twice: we bill what we deliver).
// - Without max_tokens in the request, max_tokens = the model's maxOutputTokens is sent, so the
//   upstream can never generate more than the API held for.
import { setTimeout as sleep } from "node:timers/promises";
import { Pool, type Dispatcher } from "undici";
import { BackendError, isTransient, retryAfterMs, type PartialResult } from "./errors.ts";
import { readSseBatches, type SseEvent } from "./sse.ts";
import type {
  Backend,
  Capability,
  CompletionResult,
  FinishReason,
  InferenceRequest,
  ModelInfo,
  StreamEvent,
  TokenCount,
  Usage,
} from "./types.ts";
import {
  estimateOutputTokens,
  estimatePromptTokens,
  estimateTextTokens,
  parseUpstreamUsage,
  promptTokensUpperBound,
  type UpstreamUsage,
} from "./usage.ts";

export interface UpstreamModelConfig {
  /** Model id we serve. */
  id: string;
  /** Model name the upstream knows it by, default `id`. */
  upstreamId?: string;
  /** Default 32,768. */
  contextLength?: number;
  /** Default 4,096. */
  maxOutputTokens?: number;
}

export interface OpenAICompatibleOptions {
  /** Base URL up to and including /v1, e.g. http://127.0.0.1:8000/v1. */
  baseUrl: string;
  apiKey?: string;
  models: readonly (string | UpstreamModelConfig)[];
  /** Per attempt, default 300,000 ms. */
  timeoutMs?: number;
  /** Extra attempts before the first byte, default 1. */
  maxRetries?: number;
  /** Open connections to the upstream at most (one request each, kept alive), default 512; more requests wait for one. */
  maxConnections?: number;
  /** Delay before retry n (0-based) is retryDelayMs × 2^n, default 100 ms. */
  retryDelayMs?: number;
  /** Token counter for estimates, default ceil(UTF-8 bytes / 4) (usage.ts). */
  estimateTextTokens?: (text: string) => number;
  name?: string;
}

interface UpstreamModel extends ModelInfo {
  upstreamId: string;
}

/** undici's connect timeout: a refused or unreachable upstream fails fast (as "connection") and is retried. */
const CONNECT_TIMEOUT_MS = 10_000;
/** Below the usual 5 s of servers (Node, uvicorn), so we never reuse a connection the server is closing. */
const KEEP_ALIVE_TIMEOUT_MS = 4_000;
/** undici's own timeouts: the attempt's timer answers first; these only name the error if they do. */
const UNDICI_TIMEOUTS = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

type Body = Dispatcher.ResponseData["body"];

/** One HTTP attempt whose response headers arrived with a 2xx status. */
interface Attempt {
  body: Body;
  /** Converts a failure while reading the body into a BackendError carrying `partial`. */
  fail(err: unknown, partial: PartialResult): BackendError;
  /** Stops the timer and the connection (a no-op once the body was read to the end). */
  end(): void;
}

/**
 * Reads what is left of a finished stream (normally just the end of the chunked body) so the
 * connection goes back to the keep-alive pool; the attempt's timeout still bounds it.
 */
async function drain(attempt: Attempt): Promise<void> {
  try {
    await attempt.body.dump();
  } catch {
    // The connection is gone either way.
  } finally {
    attempt.end();
  }
}

function ignore(): void {}

const zeroUsage = (): Usage => ({ inputTokens: 0, outputTokens: 0, source: "estimate" });

function field(obj: unknown, key: string): unknown {
  return typeof obj === "object" && obj !== null ? (obj as Record<string, unknown>)[key] : undefined;
}

function finishReasonOf(reason: unknown): FinishReason {
  return reason === "length" ? "length" : "stop";
}

/** The message of an OpenAI error object, or a short excerpt of whatever the upstream sent. */
function upstreamMessage(body: unknown, raw: string): string {
  const message = field(field(body, "error"), "message") ?? field(body, "message");
  if (typeof message === "string") return message;
  return raw.slice(0, 200);
}

/** The JSON chunk an event carries; throws the upstream's mid-stream error, or a protocol error. */
function parseChunk(event: SseEvent, partial: () => PartialResult): unknown {
  let chunk: unknown;
  try {
    chunk = JSON.parse(event.data);
  } catch {
    // An `event: error` may carry plain text; anything else must be JSON.
    chunk = undefined;
    if (event.event !== "error") {
      throw new BackendError("protocol", `upstream sent an invalid chunk: ${event.data.slice(0, 200)}`, {
        beforeFirstByte: false,
        partial: partial(),
      });
    }
  }
  if (event.event === "error" || field(chunk, "error") !== undefined) {
    throw new BackendError("upstream", `upstream error mid-stream: ${upstreamMessage(chunk, event.data)}`, {
      beforeFirstByte: false,
      partial: partial(),
    });
  }
  return chunk;
}

/** Accumulates a stream: text, number of deltas, finish reason, and the last usage the upstream sent. */
class StreamState {
  text = "";
  deltas = 0;
  finish: unknown = undefined;
  usage: UpstreamUsage | undefined;
  private readonly kind: InferenceRequest["kind"];

  constructor(kind: InferenceRequest["kind"]) {
    this.kind = kind;
  }

  /** Takes one parsed chunk; returns its content delta ("" when none). */
  add(chunk: unknown): string {
    const usage = parseUpstreamUsage(field(chunk, "usage"));
    if (usage !== undefined) this.usage = usage;
    const choices = field(chunk, "choices");
    if (!Array.isArray(choices)) return "";
    // n = 1: the API only asks upstreams for one choice.
    const choice: unknown = choices.find((c) => (field(c, "index") ?? 0) === 0);
    const reason = field(choice, "finish_reason");
    if (reason !== undefined && reason !== null) this.finish = reason;
    const delta = this.kind === "chat" ? field(field(choice, "delta"), "content") : field(choice, "text");
    if (typeof delta !== "string" || delta === "") return "";
    this.text += delta;
    this.deltas++;
    return delta;
  }
}

export class OpenAICompatibleBackend implements Backend {
  readonly name: string;
  readonly models: readonly ModelInfo[];
  /**
   * None yet: only the text of a choice is read back (no tool calls, no logprobs), so forwarding
   * tools, response_format or logprobs would bill for an answer the client cannot get.
   */
  readonly capabilities: ReadonlySet<Capability> = new Set();
  private readonly byId: Map<string, UpstreamModel>;
  private readonly baseUrl: string;
  /** Path of baseUrl (e.g. /v1), to which the endpoint's path is appended. */
  private readonly basePath: string;
  private readonly pool: Pool;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryDelayMs: number;
  private readonly countText: (text: string) => number;

  constructor(opts: OpenAICompatibleOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.apiKey = opts.apiKey;
    this.timeoutMs = opts.timeoutMs ?? 300_000;
    this.maxRetries = opts.maxRetries ?? 1;
    this.retryDelayMs = opts.retryDelayMs ?? 100;
    this.countText = opts.estimateTextTokens ?? estimateTextTokens;
    this.name = opts.name ?? `openai:${this.baseUrl}`;
    const base = new URL(this.baseUrl);
    this.basePath = base.pathname.replace(/\/+$/, "");
    this.pool = new Pool(base.origin, {
      connections: opts.maxConnections ?? 512,
      pipelining: 1,
      connectTimeout: CONNECT_TIMEOUT_MS,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    });
    const models = opts.models.map((m): UpstreamModel => {
      const c = typeof m === "string" ? { id: m } : m;
      return {
        id: c.id,
        upstreamId: c.upstreamId ?? c.id,
        contextLength: c.contextLength ?? 32_768,
        maxOutputTokens: c.maxOutputTokens ?? 4_096,
      };
    });
    this.byId = new Map(models.map((m) => [m.id, m]));
    this.models = models.map(({ id, contextLength, maxOutputTokens }) => ({ id, contextLength, maxOutputTokens }));
  }

  /** No tokenizer here: an upper bound (usage.ts), so the hold covers whatever the upstream counts. */
  async countPromptTokens(req: InferenceRequest): Promise<TokenCount> {
    this.model(req);
    return { tokens: promptTokensUpperBound(req), exact: false };
  }

  async complete(req: InferenceRequest, signal?: AbortSignal): Promise<CompletionResult> {
    const attempt = await this.send(req, false, signal);
    try {
      let raw: string;
      try {
        raw = await attempt.body.text();
      } catch (err) {
        throw attempt.fail(err, { text: "", usage: zeroUsage() });
      }
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        throw new BackendError("protocol", `upstream sent invalid JSON: ${raw.slice(0, 200)}`, { beforeFirstByte: false });
      }
      if (field(body, "error") !== undefined) {
        throw new BackendError("upstream", `upstream error: ${upstreamMessage(body, raw)}`, { beforeFirstByte: false });
      }
      const choices = field(body, "choices");
      const choice: unknown = Array.isArray(choices) ? choices[0] : undefined;
      const text = req.kind === "chat" ? field(field(choice, "message"), "content") : field(choice, "text");
      if (typeof text !== "string" && !(req.kind === "chat" && text === null)) {
        throw new BackendError("protocol", "upstream response has no completion text", { beforeFirstByte: false });
      }
      const content = text ?? "";
      const upstream = parseUpstreamUsage(field(body, "usage"));
      return {
        text: content,
        usage: upstream ? { ...upstream, source: "upstream" } : this.estimate(req, content, 0),
        finishReason: finishReasonOf(field(choice, "finish_reason")),
      };
    } finally {
      attempt.end();
    }
  }

  async *stream(req: InferenceRequest, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
    const attempt = await this.send(req, true, signal);
    const state = new StreamState(req.kind);
    const partial = (): PartialResult => ({ text: state.text, usage: this.partialUsage(req, state) });
    let done = false;
    try {
      // destroyOnReturn false: leaving the loop at [DONE] must not destroy the body (that would close
      // a keep-alive connection whose last bytes are still in flight); `finally` drains it instead.
      read: for await (const events of readSseBatches(attempt.body.iterator({ destroyOnReturn: false }))) {
        for (const event of events) {
          if (signal?.aborted) throw attempt.fail(signal.reason, partial());
          if (event.data === "[DONE]") {
            done = true;
            break read;
          }
          const delta = state.add(parseChunk(event, partial));
          if (delta !== "") {
            yield { type: "delta", text: delta };
            if (signal?.aborted) throw attempt.fail(signal.reason, partial());
          }
        }
      }
      if (!done && state.finish === undefined) {
        throw new BackendError("connection", "upstream stream ended before it finished", { beforeFirstByte: false, partial: partial() });
      }
      const usage: Usage = state.usage ? { ...state.usage, source: "upstream" } : this.estimate(req, state.text, state.deltas);
      yield { type: "done", result: { text: state.text, usage, finishReason: finishReasonOf(state.finish) } };
    } catch (err) {
      if (err instanceof BackendError) throw err;
      throw attempt.fail(err, partial());
    } finally {
      if (done) void drain(attempt);
      else attempt.end();
    }
  }

  /** Closes the connections; a request still running fails with a "connection" error. */
  async close(): Promise<void> {
    await this.pool.destroy();
  }

  private model(req: InferenceRequest): UpstreamModel {
    const model = this.byId.get(req.model);
    if (model === undefined) {
      throw new BackendError("model_not_found", `model ${req.model} is not served by ${this.name}`, { beforeFirstByte: true });
    }
    return model;
  }

  private estimate(req: InferenceRequest, text: string, deltas: number): Usage {
    return {
      inputTokens: estimatePromptTokens(req, this.countText),
      outputTokens: estimateOutputTokens(text, deltas, this.countText),
      source: "estimate",
    };
  }

  /**
   * Usage of a stream that ended early (abort, timeout, upstream error): the upstream's prompt count
   * if it sent one, and the larger of its last completion count and our estimate of what arrived.
   */
  private partialUsage(req: InferenceRequest, state: StreamState): Usage {
    const estimate = this.estimate(req, state.text, state.deltas);
    if (state.usage === undefined) return estimate;
    return {
      inputTokens: state.usage.inputTokens,
      outputTokens: Math.max(state.usage.outputTokens, estimate.outputTokens),
      ...(state.usage.cachedInputTokens === undefined ? {} : { cachedInputTokens: state.usage.cachedInputTokens }),
      source: "estimate",
    };
  }

  private body(req: InferenceRequest, model: UpstreamModel, stream: boolean): string {
    return JSON.stringify({
      model: model.upstreamId,
      ...(req.kind === "chat" ? { messages: req.messages } : { prompt: req.prompt }),
      max_tokens: req.maxTokens ?? model.maxOutputTokens,
      temperature: req.temperature,
      top_p: req.topP,
      stop: req.stop !== undefined && req.stop.length > 0 ? req.stop : undefined,
      seed: req.seed,
      frequency_penalty: req.frequencyPenalty,
      presence_penalty: req.presencePenalty,
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    });
  }

  /** Sends the request, retrying transient failures before the first byte; returns a 2xx attempt. */
  private async send(req: InferenceRequest, stream: boolean, signal: AbortSignal | undefined): Promise<Attempt> {
    const model = this.model(req);
    const path = `${this.basePath}/${req.kind === "chat" ? "chat/completions" : "completions"}`;
    const body = this.body(req, model, stream);
    for (let retry = 0; ; retry++) {
      try {
        return await this.attempt(path, body, stream, signal);
      } catch (err) {
        if (retry >= this.maxRetries || !isTransient(err)) throw err;
        try {
          await sleep(this.retryDelayMs * 2 ** retry, undefined, { signal });
        } catch {
          throw new BackendError("aborted", "request aborted", { beforeFirstByte: true, partial: { text: "", usage: zeroUsage() } });
        }
      }
    }
  }

  private async attempt(path: string, body: string, stream: boolean, signal: AbortSignal | undefined): Promise<Attempt> {
    if (signal?.aborted) {
      throw new BackendError("aborted", "request aborted", { beforeFirstByte: true, partial: { text: "", usage: zeroUsage() } });
    }
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    let response: Dispatcher.ResponseData | undefined;
    const end = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      // A body read to its end leaves the connection in the pool; one left unread closes it (undici
      // then emits a RequestAbortedError on it, which nobody is left to read).
      if (response !== undefined && !response.body.readableEnded) response.body.on("error", ignore).destroy();
    };
    const fail = (err: unknown, beforeFirstByte: boolean, partial: PartialResult | undefined): BackendError => {
      if (signal?.aborted) {
        return new BackendError("aborted", "request aborted", { beforeFirstByte, partial: partial ?? { text: "", usage: zeroUsage() }, cause: err });
      }
      const code = field(err, "code");
      if (timedOut || UNDICI_TIMEOUTS.has(code as string)) {
        return new BackendError("timeout", `upstream did not finish within ${this.timeoutMs} ms`, { beforeFirstByte, ...(partial ? { partial } : {}), cause: err });
      }
      const detail = code ?? field(field(err, "cause"), "code") ?? (err as Error).message;
      return new BackendError("connection", `upstream connection failed: ${String(detail)}`, { beforeFirstByte, ...(partial ? { partial } : {}), cause: err });
    };

    const headers: Record<string, string> = { "content-type": "application/json", accept: stream ? "text/event-stream" : "application/json" };
    if (this.apiKey !== undefined) headers.authorization = `Bearer ${this.apiKey}`;
    try {
      response = await this.pool.request({ method: "POST", path, headers, body, signal: controller.signal });
    } catch (err) {
      end();
      throw fail(err, true, undefined);
    }
    const { statusCode } = response;
    if (statusCode < 200 || statusCode > 299) {
      let raw = "";
      try {
        raw = await response.body.text();
      } catch (err) {
        end();
        throw fail(err, true, undefined);
      }
      end();
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = undefined;
      }
      const wait = retryAfterMs(response.headers);
      throw new BackendError("upstream", `upstream answered ${statusCode}: ${upstreamMessage(parsed, raw)}`, {
        beforeFirstByte: true,
        status: statusCode,
        ...(wait === undefined ? {} : { retryAfterMs: wait }),
      });
    }
    return { body: response.body, end, fail: (err, partial) => fail(err, false, partial) };
  }
}
