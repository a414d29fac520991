// The openai-compatible backend and failover against the mock upstream (@fomo/testkit/upstream):
// every usage shape streamed and not, the estimate when no usage comes, timeouts, retries only
// before the first byte, and failover to the next backend of the same model. Expected usage comes
// from the mock's configured counts or from the documented estimate rule, computed by hand.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { BackendError } from "../src/backends/errors.ts";
import { FailoverBackend, routeModels } from "../src/backends/failover.ts";
import { OpenAICompatibleBackend, type OpenAICompatibleOptions } from "../src/backends/openai-compatible.ts";
import type { Backend, CompletionResult, InferenceRequest, StreamEvent } from "../src/backends/types.ts";
import { mockText, startMockUpstream, USAGE_SHAPES, type MockUpstream, type MockUpstreamOptions } from "@fomo/testkit/upstream";

const PROMPT_TOKENS = 17;
const COMPLETION_TOKENS = 8;
const CACHED_TOKENS = 6;
const MOCK_DEFAULTS: Partial<MockUpstreamOptions> = {
  shape: "usage-chunk-after-finish",
  promptTokens: PROMPT_TOKENS,
  completionTokens: COMPLETION_TOKENS,
  cachedTokens: CACHED_TOKENS,
  midStreamAfter: 2,
  errorStatus: 500,
  apiKey: "sk-upstream",
  latencyMs: 0,
  chunkDelayMs: 0,
};

const chat: InferenceRequest = { kind: "chat", model: "m", messages: [{ role: "user", content: "Say hello" }] };
const plain: InferenceRequest = { kind: "completion", model: "m", prompt: "Say hello" };
const KINDS = [chat, plain] as const;
// Estimate rule (usage.ts): ceil(UTF-8 bytes / 4); chat adds 4 per message and 3 for the reply cue.
// "Say hello" is 9 bytes -> 3 tokens.
const ESTIMATED_PROMPT = { chat: 3 + 4 + 3, completion: 3 };

let mock: MockUpstream;
let spare: MockUpstream;

before(async () => {
  mock = await startMockUpstream(MOCK_DEFAULTS);
  spare = await startMockUpstream({ ...MOCK_DEFAULTS, promptTokens: 23 });
});
after(async () => {
  await mock.close();
  await spare.close();
});
beforeEach(() => {
  mock.reset();
  spare.reset();
});

function upstream(m: MockUpstream, opts: Partial<OpenAICompatibleOptions> = {}): OpenAICompatibleBackend {
  return new OpenAICompatibleBackend({
    baseUrl: m.url,
    apiKey: "sk-upstream",
    models: [{ id: "m", upstreamId: "up-model" }],
    retryDelayMs: 1,
    ...opts,
  });
}

async function drain(events: AsyncIterable<StreamEvent>): Promise<{ deltas: string[]; result?: CompletionResult; error?: BackendError }> {
  const deltas: string[] = [];
  try {
    for await (const event of events) {
      if (event.type === "delta") deltas.push(event.text);
      else return { deltas, result: event.result };
    }
    throw new Error("stream ended without a result");
  } catch (err) {
    if (!(err instanceof BackendError)) throw err;
    return { deltas, error: err };
  }
}

async function failure(promise: Promise<unknown>): Promise<BackendError> {
  return promise.then(
    () => assert.fail("expected a BackendError"),
    (err: unknown) => {
      assert.ok(err instanceof BackendError, String(err));
      return err;
    },
  );
}

const upstreamUsage = (cached: boolean) => ({
  inputTokens: PROMPT_TOKENS,
  outputTokens: COMPLETION_TOKENS,
  ...(cached ? { cachedInputTokens: CACHED_TOKENS } : {}),
  source: "upstream",
});

describe("openai-compatible backend: usage shapes", () => {
  for (const shape of USAGE_SHAPES.filter((s) => s !== "no-usage")) {
    for (const req of KINDS) {
      it(`${shape}, ${req.kind}, streamed: the upstream's final usage, once`, async () => {
        mock.options.shape = shape;
        const { deltas, result, error } = await drain(upstream(mock).stream(req));
        assert.equal(error, undefined);
        assert.deepEqual(result, { text: mockText(COMPLETION_TOKENS), usage: upstreamUsage(shape === "cached-tokens"), finishReason: "stop" });
        assert.equal(deltas.join(""), mockText(COMPLETION_TOKENS));
        const [sent] = mock.requests;
        assert.equal(mock.requests.length, 1);
        assert.deepEqual(sent!.body.stream_options, { include_usage: true });
        assert.equal(sent!.body.stream, true);
        assert.equal(sent!.body.model, "up-model");
        assert.equal(sent!.headers.authorization, "Bearer sk-upstream");
      });

      it(`${shape}, ${req.kind}, not streamed`, async () => {
        mock.options.shape = shape;
        const result = await upstream(mock).complete(req);
        assert.deepEqual(result, { text: mockText(COMPLETION_TOKENS), usage: upstreamUsage(shape === "cached-tokens"), finishReason: "stop" });
        assert.equal(mock.requests[0]!.body.stream, undefined);
        assert.equal(mock.requests[0]!.body.stream_options, undefined);
      });
    }
  }

  for (const req of KINDS) {
    it(`no usage, ${req.kind}: an estimate, marked as such`, async () => {
      mock.options.shape = "no-usage";
      const text = mockText(COMPLETION_TOKENS); // "Hello w1 ... w7": 5 + 7 × 3 = 26 bytes -> 7 tokens
      assert.equal(Buffer.byteLength(text), 26);
      const streamed = await drain(upstream(mock).stream(req));
      // Streamed: max(7, 8 deltas) = 8.
      assert.deepEqual(streamed.result?.usage, { inputTokens: ESTIMATED_PROMPT[req.kind], outputTokens: 8, source: "estimate" });
      const whole = await upstream(mock).complete(req);
      // Not streamed: no deltas to count, so the text estimate, 7.
      assert.deepEqual(whole, { text, usage: { inputTokens: ESTIMATED_PROMPT[req.kind], outputTokens: 7, source: "estimate" }, finishReason: "stop" });
    });
  }

  it("sends the sampling options in OpenAI's names; max_tokens defaults to the model's output cap", async () => {
    const req: InferenceRequest = { ...chat, maxTokens: 3, temperature: 0.5, topP: 0.9, stop: ["\n", "END"], seed: 7, frequencyPenalty: 0.1, presencePenalty: -0.2 };
    const { result } = await drain(upstream(mock).stream(req));
    // The mock stops at max_tokens and says so.
    assert.deepEqual(result, { text: mockText(3), usage: { inputTokens: PROMPT_TOKENS, outputTokens: 3, source: "upstream" }, finishReason: "length" });
    const body = mock.requests[0]!.body;
    assert.deepEqual(
      { max_tokens: body.max_tokens, temperature: body.temperature, top_p: body.top_p, stop: body.stop, seed: body.seed, frequency_penalty: body.frequency_penalty, presence_penalty: body.presence_penalty },
      { max_tokens: 3, temperature: 0.5, top_p: 0.9, stop: ["\n", "END"], seed: 7, frequency_penalty: 0.1, presence_penalty: -0.2 },
    );
    assert.deepEqual(body.messages, chat.messages);
    await upstream(mock, { models: [{ id: "m", maxOutputTokens: 1234 }] }).complete(plain);
    assert.equal(mock.requests[1]!.body.max_tokens, 1234);
    assert.equal(mock.requests[1]!.body.prompt, "Say hello");
    assert.equal(mock.requests[1]!.body.model, "m");
  });

  it("counts prompt tokens as an upper bound (UTF-8 bytes + template allowance) and refuses unknown models", async () => {
    const backend = upstream(mock);
    assert.deepEqual(await backend.countPromptTokens(chat), { tokens: 32 + 9 + 8, exact: false });
    assert.deepEqual(backend.models, [{ id: "m", contextLength: 32_768, maxOutputTokens: 4_096 }]);
    const err = await failure(backend.complete({ ...chat, model: "other" }));
    assert.equal(err.code, "model_not_found");
    assert.equal(mock.requests.length, 0);
  });
});

describe("openai-compatible backend: aborts, errors, timeouts, retries", () => {
  it("abort mid-stream: stops reading and reports what arrived (estimate, upstream prompt count when known)", async () => {
    for (const shape of ["usage-chunk-after-finish", "cumulative-usage"] as const) {
      mock.options.shape = shape;
      const controller = new AbortController();
      const events = upstream(mock).stream(chat, controller.signal)[Symbol.asyncIterator]();
      let seen = "";
      for (let i = 0; i < 2; i++) {
        const step = await events.next();
        assert.ok(!step.done && step.value.type === "delta");
        seen += step.value.text;
      }
      controller.abort();
      const err = await failure(events.next());
      assert.equal(err.code, "aborted");
      // "Hello w1" is 8 bytes -> 2 tokens, 2 deltas; the cumulative upstream had said 17 prompt tokens.
      const input = shape === "cumulative-usage" ? PROMPT_TOKENS : ESTIMATED_PROMPT.chat;
      assert.deepEqual(err.partial, { text: mockText(2), usage: { inputTokens: input, outputTokens: 2, source: "estimate" } });
      assert.equal(seen, mockText(2));
    }
  });

  it("an error event mid-stream is not retried and carries the partial text", async () => {
    mock.options.shape = "error-mid-stream";
    const { deltas, error } = await drain(upstream(mock, { maxRetries: 3 }).stream(chat));
    assert.equal(error?.code, "upstream");
    assert.equal(error?.beforeFirstByte, false);
    assert.deepEqual(deltas, ["Hello", " w1"]);
    assert.equal(error?.partial?.text, mockText(2));
    assert.equal(mock.requests.length, 1);
  });

  it("a connection cut mid-stream or mid-body is not retried", async () => {
    mock.options.shape = "reset-mid-stream";
    const streamed = await drain(upstream(mock, { maxRetries: 3 }).stream(plain));
    assert.equal(streamed.error?.code, "connection");
    assert.equal(streamed.error?.beforeFirstByte, false);
    assert.equal(streamed.error?.partial?.text, mockText(2));
    const whole = await failure(upstream(mock, { maxRetries: 3 }).complete(plain));
    assert.equal(whole.code, "connection");
    assert.equal(whole.beforeFirstByte, false);
    assert.equal(mock.requests.length, 2);
  });

  it("retries a 5xx or a reset before the first byte, then succeeds", async () => {
    for (const failureShape of ["error-before-first-byte", "reset-before-first-byte"] as const) {
      for (const streamed of [true, false]) {
        mock.requests.length = 0;
        mock.enqueue(failureShape);
        const backend = upstream(mock, { maxRetries: 1 });
        const result: CompletionResult | undefined = streamed ? (await drain(backend.stream(chat))).result : await backend.complete(chat);
        assert.deepEqual(result?.usage, upstreamUsage(false), `${failureShape} streamed=${streamed}`);
        assert.equal(mock.requests.length, 2);
      }
    }
  });

  it("gives up after maxRetries, and never retries a 4xx", async () => {
    mock.options.shape = "error-before-first-byte";
    let err = await failure(upstream(mock, { maxRetries: 2 }).complete(chat));
    assert.deepEqual([err.code, err.status, err.beforeFirstByte], ["upstream", 500, true]);
    assert.equal(mock.requests.length, 3);

    mock.requests.length = 0;
    err = await failure(upstream(mock, { maxRetries: 0 }).complete(chat));
    assert.equal(mock.requests.length, 1);

    mock.requests.length = 0;
    mock.options.errorStatus = 400;
    err = (await drain(upstream(mock, { maxRetries: 2 }).stream(chat))).error!;
    assert.deepEqual([err.code, err.status], ["upstream", 400]);
    assert.match(err.message, /mock upstream failure/);
    assert.equal(mock.requests.length, 1);

    mock.requests.length = 0;
    mock.options.shape = "usage-chunk-after-finish";
    err = await failure(upstream(mock, { apiKey: "sk-wrong", maxRetries: 2 }).complete(chat));
    assert.deepEqual([err.code, err.status], ["upstream", 401]);
    assert.equal(mock.requests.length, 1);
  });

  it("times out: before the first byte it retries, after it reports the partial without retrying", async () => {
    mock.options.shape = "hang";
    let err = await failure(upstream(mock, { timeoutMs: 150, maxRetries: 1 }).complete(chat));
    assert.deepEqual([err.code, err.beforeFirstByte], ["timeout", true]);
    assert.equal(mock.requests.length, 2);

    mock.requests.length = 0;
    mock.options.shape = "hang-mid-stream";
    const { deltas, error } = await drain(upstream(mock, { timeoutMs: 150, maxRetries: 1 }).stream(chat));
    assert.deepEqual([error?.code, error?.beforeFirstByte], ["timeout", false]);
    assert.deepEqual(deltas, ["Hello", " w1"]);
    assert.equal(error?.partial?.text, mockText(2));
    assert.equal(mock.requests.length, 1);
  });

  it("an aborted signal sends nothing", async () => {
    const err = await failure(upstream(mock).complete(chat, AbortSignal.abort()));
    assert.deepEqual([err.code, err.partial?.usage.outputTokens], ["aborted", 0]);
    assert.equal((await drain(upstream(mock).stream(chat, AbortSignal.abort()))).error?.code, "aborted");
    assert.equal(mock.requests.length, 0);
  });

  it("abort before the first byte costs nothing", async () => {
    mock.options.shape = "hang";
    const controller = new AbortController();
    const pending = upstream(mock).complete(chat, controller.signal);
    while (mock.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const err = await failure(pending);
    assert.equal(err.code, "aborted");
    assert.deepEqual(err.partial, { text: "", usage: { inputTokens: 0, outputTokens: 0, source: "estimate" } });
  });
});

describe("openai-compatible backend: connections", () => {
  // A server of their own: undici may still be opening a connection for an earlier test's backend
  // (it reconnects after an aborted request), which would show up in its `connections`.
  let own: MockUpstream;
  before(async () => {
    own = await startMockUpstream(MOCK_DEFAULTS);
  });
  after(() => own.close());
  beforeEach(() => own.reset());

  it("keeps connections alive across sequential requests, streamed and not", async () => {
    // One connection at most: requests wait for it to come back to the pool rather than open
    // another, so a connection closed after any request would show as a second one.
    const backend = upstream(own, { maxConnections: 1 });
    const opened = own.connections;
    for (let round = 0; round < 2; round++) {
      for (const req of KINDS) {
        assert.deepEqual((await backend.complete(req)).usage, upstreamUsage(false));
        assert.deepEqual((await drain(backend.stream(req))).result?.usage, upstreamUsage(false));
      }
    }
    assert.equal(own.requests.length, 8);
    assert.equal(own.connections - opened, 1);
    await backend.close();
  });

  it("closes the connection of a stream aborted midway; the next request opens a new one", async () => {
    own.options.chunkDelayMs = 20;
    const backend = upstream(own);
    const opened = own.connections;
    const controller = new AbortController();
    const events = backend.stream(chat, controller.signal)[Symbol.asyncIterator]();
    assert.equal((await events.next()).done, false);
    controller.abort();
    assert.equal((await failure(events.next())).code, "aborted");
    while (!own.requests[0]!.closedEarly) await new Promise((resolve) => setImmediate(resolve));
    own.options.chunkDelayMs = 0;
    assert.deepEqual((await backend.complete(chat)).usage, upstreamUsage(false));
    assert.equal(own.connections - opened, 2);
    await backend.close();
  });

  it("queues requests beyond maxConnections on the open connections", async () => {
    own.options.latencyMs = 20;
    const backend = upstream(own, { maxConnections: 1 });
    const opened = own.connections;
    const results = await Promise.all([backend.complete(chat), drain(backend.stream(plain)), backend.complete(plain)]);
    assert.deepEqual(results[0].usage, upstreamUsage(false));
    assert.deepEqual(results[1].result?.usage, upstreamUsage(false));
    assert.deepEqual(results[2].usage, upstreamUsage(false));
    assert.equal(own.connections - opened, 1);
    await backend.close();
  });

  it("after close(), a request fails with a connection error instead of hanging", async () => {
    const backend = upstream(own, { maxRetries: 0 });
    await backend.complete(chat);
    await backend.close();
    const err = await failure(backend.complete(chat));
    assert.deepEqual([err.code, err.beforeFirstByte], ["connection", true]);
  });
});

describe("failover", () => {
  /** Two upstreams of model m: `mock` first, then `spare` (which reports 23 prompt tokens). */
  const pair = (opts: Partial<OpenAICompatibleOptions> = {}) => new FailoverBackend("m", [upstream(mock, { maxRetries: 1, ...opts }), upstream(spare)]);

  it("moves to the next backend on 5xx, reset, timeout or refused connection before the first byte", async () => {
    const cases: Array<[string, () => Backend]> = [
      ["error-before-first-byte", () => pair()],
      ["reset-before-first-byte", () => pair()],
      ["hang", () => pair({ timeoutMs: 150 })],
    ];
    for (const [shape, make] of cases) {
      for (const streamed of [false, true]) {
        mock.requests.length = 0;
        spare.requests.length = 0;
        mock.options.shape = shape as MockUpstreamOptions["shape"];
        const backend = make();
        const result: CompletionResult | undefined = streamed ? (await drain(backend.stream(chat))).result : await backend.complete(chat);
        assert.equal(result?.usage.inputTokens, 23, `${shape} streamed=${streamed}`);
        assert.equal(mock.requests.length, 2); // the first upstream's own retry, then failover
        assert.equal(spare.requests.length, 1);
      }
    }
    const closed = await startMockUpstream();
    const deadUrl = closed.url;
    await closed.close();
    const refused = new FailoverBackend("m", [upstream(mock, { baseUrl: deadUrl }), upstream(spare)]);
    assert.equal((await refused.complete(chat)).usage.inputTokens, 23);
  });

  it("never fails over after the first byte, on a 4xx, or on abort", async () => {
    mock.options.shape = "error-mid-stream";
    const { deltas, error } = await drain(pair().stream(chat));
    assert.equal(error?.code, "upstream");
    assert.deepEqual(deltas, ["Hello", " w1"]);
    assert.equal(spare.requests.length, 0);

    mock.options.shape = "error-before-first-byte";
    mock.options.errorStatus = 400;
    assert.equal((await failure(pair().complete(chat))).status, 400);
    assert.equal(spare.requests.length, 0);

    mock.options.shape = "hang";
    const controller = new AbortController();
    const pending = pair().complete(chat, controller.signal);
    while (mock.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    assert.equal((await failure(pending)).code, "aborted");
    assert.equal(spare.requests.length, 0);
  });

  it("reports the last error when every backend fails", async () => {
    mock.options.shape = "error-before-first-byte";
    spare.options.shape = "error-before-first-byte";
    spare.options.errorStatus = 503;
    const err = await failure(pair().complete(chat));
    assert.deepEqual([err.code, err.status], ["upstream", 503]);
  });

  it("routes each model to its backend, or to a failover over all that serve it", async () => {
    const a = upstream(mock, { models: [{ id: "m", contextLength: 8_000, maxOutputTokens: 1_000 }] });
    const b = upstream(spare, { models: [{ id: "m", contextLength: 4_000, maxOutputTokens: 2_000 }, "n"] });
    const routes = routeModels([a, b]);
    assert.deepEqual([...routes.keys()].sort(), ["m", "n"]);
    assert.equal(routes.get("n"), b);
    const m = routes.get("m");
    assert.ok(m instanceof FailoverBackend);
    assert.deepEqual(m.backends, [a, b]);
    assert.deepEqual(m.models, [{ id: "m", contextLength: 4_000, maxOutputTokens: 1_000 }]);
    // The hold must cover whichever backend serves: the larger count.
    const exact: Backend = {
      name: "exact",
      models: b.models,
      countPromptTokens: async () => ({ tokens: 500, exact: true }),
      complete: (req, signal) => b.complete(req, signal),
      stream: (req, signal) => b.stream(req, signal),
      close: async () => {},
    };
    assert.deepEqual(await new FailoverBackend("m", [a, exact]).countPromptTokens(chat), { tokens: 500, exact: false });
    assert.deepEqual(await new FailoverBackend("m", [exact]).countPromptTokens(chat), { tokens: 500, exact: true });
    assert.deepEqual(await m.countPromptTokens(chat), { tokens: 32 + 9 + 8, exact: false });
  });
});
