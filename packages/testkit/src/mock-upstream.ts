// A mock OpenAI-compatible upstream on loopback, for the backend tests and the gateway benchmark:
// fixed latency and token counts, streaming and not, /v1/chat/completions and /v1/completions, and
// switchable "shapes" covering how real upstreams report usage and how they fail.
//
// Content: the i-th content delta is mockDelta(i) ("Hello", " w1", " w2", ...), one per completion
// token; min(completionTokens, max_tokens) of them are sent, with finish_reason "length" when
// max_tokens cut the answer, else "stop". Usage reports promptTokens / that number of tokens.
// Like OpenAI, streamed usage is sent only when the request has stream_options.include_usage
// (except "cumulative-usage", whose providers always send it).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const USAGE_SHAPES = [
  /** OpenAI: the finish_reason chunk, then a chunk with `choices: []` and the usage. */
  "usage-chunk-after-finish",
  /** As above with `choices: null`. */
  "usage-chunk-null-choices",
  /** As above with `choices: [{index: 0, delta: {}, finish_reason: null}]` (LiteLLM #36168). */
  "usage-chunk-empty-delta",
  /** The usage rides on the finish_reason chunk. */
  "usage-in-finish-chunk",
  /** The usage chunk (`choices: []`) comes before the finish_reason chunk. */
  "usage-before-finish",
  /** Every chunk carries the usage so far (a sum over chunks would overcount). */
  "cumulative-usage",
  /** OpenAI shape with prompt_tokens_details.cached_tokens = cachedTokens (a subset of prompt_tokens). */
  "cached-tokens",
  /** No usage anywhere. */
  "no-usage",
] as const;

export const FAILURE_SHAPES = [
  /** HTTP errorStatus with an OpenAI error body, before any byte of a successful response. */
  "error-before-first-byte",
  /** The connection is destroyed before any response byte. */
  "reset-before-first-byte",
  /** 200, midStreamAfter deltas, then `data: {"error": ...}` and the end (non-streaming: half the body, then a reset). */
  "error-mid-stream",
  /** 200, midStreamAfter deltas, then the connection is destroyed. */
  "reset-mid-stream",
  /** Never answers. */
  "hang",
  /** 200, midStreamAfter deltas (non-streaming: half the body), then silence. */
  "hang-mid-stream",
] as const;

export type UsageShape = (typeof USAGE_SHAPES)[number];
export type FailureShape = (typeof FAILURE_SHAPES)[number];
export type MockShape = UsageShape | FailureShape;

export interface MockUpstreamOptions {
  shape: MockShape;
  /** Before the response headers. */
  latencyMs: number;
  /** Between stream chunks; 0 writes the whole stream at once. */
  chunkDelayMs: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  /** Deltas sent before a mid-stream failure. */
  midStreamAfter: number;
  errorStatus: number;
  /** Sent as `retry-after` with error-before-first-byte (e.g. "7" on a 429); none when undefined. */
  retryAfter: string | undefined;
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401. */
  apiKey: string | undefined;
  /** Keep every request (tests); the benchmark turns it off. */
  record: boolean;
}

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  shape: MockShape;
  /** Set when the connection closed before the response was complete (the client gave up, or a reset shape). */
  closedEarly: boolean;
}

export interface MockUpstream {
  /** Base URL including /v1. */
  url: string;
  port: number;
  options: MockUpstreamOptions;
  requests: RecordedRequest[];
  /** TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
  readonly connections: number;
  /** The next requests take these shapes, in order; later ones the default `options.shape`. */
  enqueue(...shapes: MockShape[]): void;
  /** Back to the options it was started with; forgets queued shapes and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

export function mockDelta(i: number): string {
  return i === 0 ? "Hello" : ` w${i}`;
}

export function mockText(n: number): string {
  let text = "";
  for (let i = 0; i < n; i++) text += mockDelta(i);
  return text;
}

const DEFAULTS: MockUpstreamOptions = {
  shape: "usage-chunk-after-finish",
  latencyMs: 0,
  chunkDelayMs: 0,
  promptTokens: 10,
  completionTokens: 5,
  cachedTokens: 4,
  midStreamAfter: 2,
  errorStatus: 500,
  retryAfter: undefined,
  apiKey: undefined,
  record: true,
};

type Kind = "chat" | "completion";

function usageObject(o: MockUpstreamOptions, completion: number, cached: boolean): Record<string, unknown> {
  const usage: Record<string, unknown> = {
    prompt_tokens: o.promptTokens,
    completion_tokens: completion,
    total_tokens: o.promptTokens + completion,
  };
  if (cached) usage.prompt_tokens_details = { cached_tokens: o.cachedTokens };
  return usage;
}

/** The SSE `data:` payloads of one streamed answer (without failures). */
function streamPayloads(o: MockUpstreamOptions, shape: UsageShape, kind: Kind, model: string, n: number, finish: string, includeUsage: boolean): string[] {
  const created = Math.floor(Date.now() / 1000);
  const base = kind === "chat" ? { id: "chatcmpl-mock", object: "chat.completion.chunk", created, model } : { id: "cmpl-mock", object: "text_completion", created, model };
  const choice = (text: string | undefined, finishReason: string | null) =>
    kind === "chat"
      ? { index: 0, delta: text === undefined ? {} : { content: text }, logprobs: null, finish_reason: finishReason }
      : { index: 0, text: text ?? "", logprobs: null, finish_reason: finishReason };
  const cumulative = shape === "cumulative-usage";
  const sendUsage = includeUsage && shape !== "no-usage" && !cumulative;
  const finalUsage = usageObject(o, n, shape === "cached-tokens");
  const chunks: Record<string, unknown>[] = [];
  if (kind === "chat") chunks.push({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }], ...(cumulative ? { usage: usageObject(o, 0, false) } : {}) });
  for (let i = 0; i < n; i++) chunks.push({ ...base, choices: [choice(mockDelta(i), null)], ...(cumulative ? { usage: usageObject(o, i + 1, false) } : {}) });
  const finishChunk: Record<string, unknown> = { ...base, choices: [choice(undefined, finish)] };
  if (cumulative || (sendUsage && shape === "usage-in-finish-chunk")) finishChunk.usage = finalUsage;
  const usageChunk = (choices: unknown) => ({ ...base, choices, usage: finalUsage });
  if (sendUsage && shape === "usage-before-finish") chunks.push(usageChunk([]));
  chunks.push(finishChunk);
  if (sendUsage) {
    if (shape === "usage-chunk-after-finish" || shape === "cached-tokens") chunks.push(usageChunk([]));
    if (shape === "usage-chunk-null-choices") chunks.push(usageChunk(null));
    if (shape === "usage-chunk-empty-delta") chunks.push(usageChunk([choice(undefined, null)]));
  }
  return chunks.map((c) => JSON.stringify(c));
}

function completionBody(o: MockUpstreamOptions, shape: UsageShape, kind: Kind, model: string, n: number, finish: string): Record<string, unknown> {
  const created = Math.floor(Date.now() / 1000);
  const text = mockText(n);
  const body: Record<string, unknown> =
    kind === "chat"
      ? { id: "chatcmpl-mock", object: "chat.completion", created, model, choices: [{ index: 0, message: { role: "assistant", content: text }, logprobs: null, finish_reason: finish }] }
      : { id: "cmpl-mock", object: "text_completion", created, model, choices: [{ index: 0, text, logprobs: null, finish_reason: finish }] };
  if (shape !== "no-usage") body.usage = usageObject(o, n, shape === "cached-tokens");
  return body;
}

const isFailure = (shape: MockShape): shape is FailureShape => (FAILURE_SHAPES as readonly string[]).includes(shape);

/** Loopback on a free port unless told otherwise (a benchmark may run the mock in its own process). */
export async function startMockUpstream(
  overrides: Partial<MockUpstreamOptions> = {},
  listen: { host?: string; port?: number } = {},
): Promise<MockUpstream> {
  const options: MockUpstreamOptions = { ...DEFAULTS, ...overrides };
  const requests: RecordedRequest[] = [];
  const queue: MockShape[] = [];

  const json = (res: ServerResponse, status: number, body: unknown) => {
    const payload = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
    res.end(payload);
  };

  /** Writes SSE events one by one (chunkDelayMs apart) or all at once; stops if the client left. */
  const writeEvents = (res: ServerResponse, events: string[], then: () => void) => {
    // `then` runs once the bytes are handed to the socket, so a failure that follows really comes after them.
    if (options.chunkDelayMs <= 0) {
      res.write(events.map((e) => `data: ${e}\n\n`).join(""), () => then());
      return;
    }
    let i = 0;
    const next = () => {
      if (res.destroyed) return;
      if (i >= events.length) return then();
      res.write(`data: ${events[i++]}\n\n`, () => setTimeout(next, options.chunkDelayMs));
    };
    next();
  };

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      if (req.method === "GET" && path === "/v1/models") {
        return json(res, 200, { object: "list", data: [{ id: "mock-model", object: "model", created: 0, owned_by: "mock" }] });
      }
      const kind: Kind | undefined = path === "/v1/chat/completions" ? "chat" : path === "/v1/completions" ? "completion" : undefined;
      if (req.method !== "POST" || kind === undefined) return json(res, 404, { error: { message: `no route ${req.method} ${path}`, type: "invalid_request_error" } });
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(parts).toString("utf8")) as Record<string, unknown>;
      } catch {
        return json(res, 400, { error: { message: "invalid JSON body", type: "invalid_request_error" } });
      }
      const shape = queue.shift() ?? options.shape;
      if (options.record) {
        const recorded: RecordedRequest = { path, headers: req.headers, body, shape, closedEarly: false };
        requests.push(recorded);
        res.on("close", () => {
          if (!res.writableFinished) recorded.closedEarly = true;
        });
      }
      if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        return json(res, 401, { error: { message: "invalid api key", type: "invalid_request_error", code: "invalid_api_key" } });
      }
      if (shape === "hang") return;
      setTimeout(() => respond(res, shape, kind, body), options.latencyMs);
    });
  });

  function respond(res: ServerResponse, shape: MockShape, kind: Kind, body: Record<string, unknown>) {
    if (res.destroyed) return;
    const model = typeof body.model === "string" ? body.model : "mock-model";
    const maxTokens = typeof body.max_tokens === "number" ? body.max_tokens : Number.POSITIVE_INFINITY;
    const n = Math.min(options.completionTokens, maxTokens);
    const finish = n < options.completionTokens ? "length" : "stop";
    const stream = body.stream === true;
    const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;

    if (shape === "error-before-first-byte") {
      if (options.retryAfter !== undefined) res.setHeader("retry-after", options.retryAfter);
      return json(res, options.errorStatus, { error: { message: "mock upstream failure", type: "server_error", code: null } });
    }
    if (shape === "reset-before-first-byte") return void res.socket?.destroy();

    const usageShape: UsageShape = isFailure(shape) ? "usage-chunk-after-finish" : shape;
    if (!stream) {
      const payload = JSON.stringify(completionBody(options, usageShape, kind, model, n, finish));
      if (isFailure(shape)) {
        // A body cut in half: then the connection drops, or (hang-mid-stream) nothing more comes.
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
        res.write(payload.slice(0, Math.floor(payload.length / 2)), () => {
          if (shape !== "hang-mid-stream") res.socket?.destroy();
        });
        return;
      }
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
      return void res.end(payload);
    }

    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const events = streamPayloads(options, usageShape, kind, model, n, finish, includeUsage);
    if (isFailure(shape)) {
      // Role chunk (chat) plus midStreamAfter content deltas, then the failure.
      const head = events.slice(0, options.midStreamAfter + (kind === "chat" ? 1 : 0));
      return writeEvents(res, head, () => {
        if (shape === "error-mid-stream") {
          res.end(`data: ${JSON.stringify({ error: { message: "mock failure mid-stream", type: "server_error", code: null } })}\n\n`);
        } else if (shape === "reset-mid-stream") {
          res.socket?.destroy();
        }
        // hang-mid-stream: nothing more, ever.
      });
    }
    writeEvents(res, events, () => res.end("data: [DONE]\n\n"));
  }

  let connections = 0;
  server.on("connection", () => connections++);
  server.keepAliveTimeout = 60_000;
  const host = listen.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/v1`,
    port,
    options,
    requests,
    get connections() {
      return connections;
    },
    enqueue: (...shapes) => void queue.push(...shapes),
    reset: () => {
      Object.assign(options, DEFAULTS, overrides);
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
