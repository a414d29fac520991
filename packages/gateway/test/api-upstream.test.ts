// The HTTP API end to end through the openai-compatible backend, with the official `openai` client in
// front and the mock upstream (@fomo/testkit/upstream) behind: for every way an upstream reports
// usage, what the client sees and what the ledger bills are exact; failover before the first byte,
// never after it; timeouts, upstream 429/5xx, disconnects and client retries cost exactly what was
// served (anchors-inference.md §2.1, §2.3, §2.5).
//
// Expected figures come from the mock's configured counts, or from the documented estimate rule
// (backends/README.md) computed here by hand, and prices from support/gateway.ts's expectedPrice.
import assert from "node:assert/strict";
import type { Pricing } from "@fomo/sdk";
import { after, before, beforeEach, describe, it } from "node:test";
import OpenAI, { APIError, InternalServerError, RateLimitError } from "openai";
import { routeModels } from "../src/backends/failover.ts";
import { OpenAICompatibleBackend } from "../src/backends/openai-compatible.ts";
import { assertBooksBalance } from "@fomo/testkit/books";
import { fundedKey, USD, type Funded } from "@fomo/testkit/ledger";
import { expectedPrice, PRICING, startGateway, type TestGateway } from "./support/gateway.ts";
import { mockText, startMockUpstream, USAGE_SHAPES, type MockUpstream, type UsageShape } from "@fomo/testkit/upstream";

/** One upstream, no retries of its own: every attempt the mock records is one the gateway made. */
const UP = "up-model";
/** Served by `mock` (with a short timeout) first, then `spare`. */
const FAILOVER = "up-failover";
/** `mock` again, with a short timeout. */
const SLOW = "up-slow";
/** `mock` again, priced at zero. */
const FREE = "up-free";
const TIMEOUT_MS = 500;

// Large enough counts that a billing mistake (cached tokens added, a sum of cumulative usage) moves
// the price, and a prompt long enough that its upper bound (the hold) covers the reported 1,000.
const PROMPT_TOKENS = 1_000;
const COMPLETION_TOKENS = 40;
const CACHED_TOKENS = 600;
const SPARE_PROMPT_TOKENS = 900;
const SPARE_COMPLETION_TOKENS = 30;
const CONTENT = "Say hello. ".repeat(400);
const MAX_TOKENS = 64;

type Kind = "chat" | "completion";
const KINDS: Kind[] = ["chat", "completion"];

/** The estimate rule of backends/usage.ts, written out: ceil(UTF-8 bytes / 4); chat +4 per message, +3. */
const estimateText = (text: string) => Math.ceil(Buffer.byteLength(text, "utf8") / 4);
const ESTIMATED_PROMPT: Record<Kind, number> = { chat: estimateText(CONTENT) + 4 + 3, completion: estimateText(CONTENT) };
/** The hold's prompt count (usage.ts promptTokensUpperBound): UTF-8 bytes, +8 per message, +32. */
const UPPER_BOUND_PROMPT: Record<Kind, number> = { chat: Buffer.byteLength(CONTENT) + 8 + 32, completion: Buffer.byteLength(CONTENT) + 32 };

let mock: MockUpstream;
let spare: MockUpstream;
let gw: TestGateway;

before(async () => {
  mock = await startMockUpstream({ promptTokens: PROMPT_TOKENS, completionTokens: COMPLETION_TOKENS, cachedTokens: CACHED_TOKENS });
  spare = await startMockUpstream({ promptTokens: SPARE_PROMPT_TOKENS, completionTokens: SPARE_COMPLETION_TOKENS });
  const primary = new OpenAICompatibleBackend({ baseUrl: mock.url, models: [UP, FREE], maxRetries: 0, name: "primary" });
  const short = new OpenAICompatibleBackend({ baseUrl: mock.url, models: [FAILOVER, SLOW], maxRetries: 0, timeoutMs: TIMEOUT_MS, name: "short" });
  const second = new OpenAICompatibleBackend({ baseUrl: spare.url, models: [FAILOVER], maxRetries: 0, name: "spare" });
  const free: Pricing = { inputPrice: 0n, outputPrice: 0n, inputCost: 0n, outputCost: 0n, inputMinPrice: 0n, outputMinPrice: 0n };
  gw = await startGateway({ routes: routeModels([primary, short, second]), prices: new Map([[FREE, free]]) });
});
after(async () => {
  await gw.close();
  await mock.close();
  await spare.close();
});
beforeEach(() => {
  mock.reset();
  spare.reset();
});

interface Outcome {
  text: string;
  /** The usage the client was shown (the final usage chunk when streamed). */
  usage: OpenAI.CompletionUsage | undefined;
  finish: string | null;
  /** What the stream ended with, when it failed after the 200. */
  error?: unknown;
}

interface Call {
  kind: Kind;
  model: string;
  stream: boolean;
  includeUsage?: boolean;
  requestId: string;
  maxTokens?: number;
}

/** One request through the official client; a failure before the 200 rejects, one after it lands in `error`. */
async function call(openai: OpenAI, c: Call): Promise<Outcome> {
  const common = { model: c.model, max_tokens: c.maxTokens ?? MAX_TOKENS };
  const options = { headers: { "x-request-id": c.requestId } };
  const streamOptions = c.includeUsage ? { stream_options: { include_usage: true } } : {};
  if (c.kind === "chat") {
    const body = { ...common, messages: [{ role: "user" as const, content: CONTENT }] };
    if (!c.stream) {
      const res = await openai.chat.completions.create(body, options);
      return { text: res.choices[0]!.message.content ?? "", usage: res.usage, finish: res.choices[0]!.finish_reason };
    }
    const stream = await openai.chat.completions.create({ ...body, stream: true, ...streamOptions }, options);
    return read(stream, (chunk) => chunk.choices[0]?.delta.content ?? "");
  }
  const body = { ...common, prompt: CONTENT };
  if (!c.stream) {
    const res = await openai.completions.create(body, options);
    return { text: res.choices[0]!.text, usage: res.usage, finish: res.choices[0]!.finish_reason };
  }
  const stream = await openai.completions.create({ ...body, stream: true, ...streamOptions }, options);
  return read(stream, (chunk) => chunk.choices[0]?.text ?? "");
}

async function read<C extends { usage?: OpenAI.CompletionUsage | null; choices: { finish_reason: string | null }[] }>(
  stream: AsyncIterable<C>,
  textOf: (chunk: C) => string,
): Promise<Outcome> {
  const outcome: Outcome = { text: "", usage: undefined, finish: null };
  try {
    for await (const chunk of stream) {
      outcome.text += textOf(chunk);
      outcome.finish = chunk.choices[0]?.finish_reason ?? outcome.finish;
      if (chunk.usage) {
        assert.equal(outcome.usage, undefined, "one usage chunk");
        assert.deepEqual(chunk.choices, [], "the usage chunk has choices []");
        outcome.usage = chunk.usage;
      }
    }
  } catch (error) {
    outcome.error = error;
  }
  return outcome;
}

const balanceOf = async (f: Funded) => (await gw.ledger.accounts.get(f.accountId)).balance;
const recordOf = (f: Funded, requestId: string) => gw.ledger.usage.get(`${f.key.id}:${requestId}`);
const clientUsage = (input: number, output: number, cached?: number): OpenAI.CompletionUsage => ({
  prompt_tokens: input,
  completion_tokens: output,
  total_tokens: input + output,
  ...(cached === undefined ? {} : { prompt_tokens_details: { cached_tokens: cached } }),
});

/** The request's usage record holds these figures, its price is the template's, and the balance moved by it. */
async function assertBilled(
  f: Funded,
  requestId: string,
  expected: { input: number; output: number; source: string; finishReason: string },
): Promise<void> {
  const record = await recordOf(f, requestId);
  assert.ok(record, `no usage record for ${requestId}`);
  const price = expectedPrice(PRICING, expected.input, expected.output);
  assert.deepEqual(
    { input: record.inputTokens, output: record.outputTokens, source: record.source, finishReason: record.finishReason, price: record.priceCharged },
    { input: BigInt(expected.input), output: BigInt(expected.output), source: expected.source, finishReason: expected.finishReason, price },
  );
  assert.equal(10n * USD - (await balanceOf(f)), price);
  assert.equal((await gw.ledger.accounts.get(f.accountId)).held, 0n);
  await assertBooksBalance(gw.db, f.accountId);
}

/** Nothing billed, nothing held. */
async function assertNothingCharged(f: Funded, requestId: string): Promise<void> {
  assert.equal(await recordOf(f, requestId), undefined);
  const account = await gw.ledger.accounts.get(f.accountId);
  assert.deepEqual([account.balance, account.held], [10n * USD, 0n]);
  await assertBooksBalance(gw.db, f.accountId);
}

/** Waits (without a clock) until the server has settled or released the request. */
async function settled(f: Funded, requestId: string): Promise<void> {
  while (await gw.ledger.metering.getHold(`${f.key.id}:${requestId}`)) await new Promise((resolve) => setImmediate(resolve));
}

const fresh = async () => {
  const f = await fundedKey(gw.ledger, 10n * USD);
  return { f, openai: gw.client(f.secret) };
};

describe("usage shapes through the API", () => {
  for (const shape of USAGE_SHAPES) {
    for (const kind of KINDS) {
      for (const stream of [false, true]) {
        it(`${shape}, ${kind}, ${stream ? "streamed" : "not streamed"}: the client's usage and the bill are exact`, async () => {
          mock.options.shape = shape;
          const { f, openai } = await fresh();
          const requestId = `${shape}-${kind}-${stream}`;
          const out = await call(openai, { kind, model: UP, stream, includeUsage: true, requestId });
          assert.equal(out.error, undefined);
          assert.equal(out.text, mockText(COMPLETION_TOKENS));
          assert.equal(out.finish, "stop");
          const expected = expectedUsage(shape, kind, stream, out.text);
          assert.deepEqual(out.usage, clientUsage(expected.input, expected.output, expected.cached));
          await assertBilled(f, requestId, { ...expected, finishReason: "stop" });
          // Upstreams are always asked for streamed usage; one request, nothing retried.
          assert.equal(mock.requests.length, 1);
          assert.deepEqual(mock.requests[0]!.body.stream_options, stream ? { include_usage: true } : undefined);
        });
      }
    }
  }

  /** The mock's counts (cached tokens within the prompt, never added), or the estimate when it reports none. */
  function expectedUsage(shape: UsageShape, kind: Kind, stream: boolean, text: string) {
    if (shape === "no-usage") {
      // Streamed: at least one token per content delta, one delta per token here.
      const output = stream ? Math.max(estimateText(text), COMPLETION_TOKENS) : estimateText(text);
      return { input: ESTIMATED_PROMPT[kind], output, source: "estimate", cached: undefined };
    }
    return { input: PROMPT_TOKENS, output: COMPLETION_TOKENS, source: "upstream", cached: shape === "cached-tokens" ? CACHED_TOKENS : undefined };
  }

  it("a client that does not ask for usage gets no usage chunk, and is still billed the upstream's usage", async () => {
    const { f, openai } = await fresh();
    const out = await call(openai, { kind: "chat", model: UP, stream: true, includeUsage: false, requestId: "no-include" });
    assert.equal(out.usage, undefined);
    assert.equal(out.text, mockText(COMPLETION_TOKENS));
    assert.deepEqual(mock.requests[0]!.body.stream_options, { include_usage: true });
    await assertBilled(f, "no-include", { input: PROMPT_TOKENS, output: COMPLETION_TOKENS, source: "upstream", finishReason: "stop" });
  });

  it("max_tokens reaches the upstream; a cut answer says length and bills what was produced", async () => {
    const { f, openai } = await fresh();
    const out = await call(openai, { kind: "chat", model: UP, stream: true, includeUsage: true, requestId: "cut", maxTokens: 7 });
    assert.equal(mock.requests[0]!.body.max_tokens, 7);
    assert.deepEqual([out.text, out.finish], [mockText(7), "length"]);
    await assertBilled(f, "cut", { input: PROMPT_TOKENS, output: 7, source: "upstream", finishReason: "length" });
  });

  it("a model priced at zero serves an account with no credits, and bills 0 (LiteLLM #10973)", async () => {
    const f = await fundedKey(gw.ledger, 0n);
    const out = await call(gw.client(f.secret), { kind: "chat", model: FREE, stream: true, includeUsage: true, requestId: "free" });
    assert.deepEqual(out.usage, clientUsage(PROMPT_TOKENS, COMPLETION_TOKENS));
    const record = (await recordOf(f, "free"))!;
    assert.deepEqual([record.inputTokens, record.priceCharged, record.source], [BigInt(PROMPT_TOKENS), 0n, "upstream"]);
    const error = await call(gw.client(f.secret), { kind: "chat", model: UP, stream: false, requestId: "not-free" }).catch((e: unknown) => e);
    assert.ok(error instanceof APIError && error.status === 402, String(error));
    await assertBooksBalance(gw.db, f.accountId);
  });

  it("an upstream that reports more than was held is charged the hold, never more", async () => {
    mock.options.promptTokens = 5_000_000;
    const { f, openai } = await fresh();
    await call(openai, { kind: "chat", model: UP, stream: false, requestId: "over-report" });
    const record = (await recordOf(f, "over-report"))!;
    const hold = expectedPrice(PRICING, UPPER_BOUND_PROMPT.chat, MAX_TOKENS);
    assert.equal(record.inputTokens, 5_000_000n);
    assert.equal(record.priceCharged, hold);
    assert.ok(expectedPrice(PRICING, 5_000_000, COMPLETION_TOKENS) > hold);
    assert.equal(10n * USD - (await balanceOf(f)), hold);
    await assertBooksBalance(gw.db, f.accountId);
  });
});

describe("failover and failures through the API", () => {
  for (const kind of KINDS) {
    for (const stream of [false, true]) {
      const mode = `${kind}, ${stream ? "streamed" : "not streamed"}`;

      for (const failure of ["error-before-first-byte", "reset-before-first-byte", "hang"] as const) {
        it(`${mode}: ${failure} on the first backend fails over to the next; only the served answer is billed`, async () => {
          mock.enqueue(failure);
          const { f, openai } = await fresh();
          const requestId = `failover-${failure}-${kind}-${stream}`;
          const out = await call(openai, { kind, model: FAILOVER, stream, includeUsage: true, requestId });
          assert.equal(out.error, undefined);
          assert.equal(out.text, mockText(SPARE_COMPLETION_TOKENS));
          assert.deepEqual(out.usage, clientUsage(SPARE_PROMPT_TOKENS, SPARE_COMPLETION_TOKENS));
          assert.deepEqual([mock.requests.length, spare.requests.length], [1, 1]);
          await assertBilled(f, requestId, { input: SPARE_PROMPT_TOKENS, output: SPARE_COMPLETION_TOKENS, source: "upstream", finishReason: "stop" });
        });
      }

      for (const failure of ["error-mid-stream", "reset-mid-stream"] as const) {
        it(`${mode}: ${failure} after the first byte is not failed over`, async () => {
          mock.enqueue(failure);
          const { f, openai } = await fresh();
          const requestId = `mid-${failure}-${kind}-${stream}`;
          if (!stream) {
            // Half a JSON body reached the gateway, nothing reached the client: a 502, nothing billed.
            const error = await call(openai, { kind, model: FAILOVER, stream, requestId }).catch((e: unknown) => e);
            assert.ok(error instanceof InternalServerError, String(error));
            assert.deepEqual([error.status, error.type], [502, "server_error"]);
            await assertNothingCharged(f, requestId);
          } else {
            // The 200 was sent: the error arrives as an SSE error event, after the two deltas, which are billed.
            const out = await call(openai, { kind, model: FAILOVER, stream, includeUsage: true, requestId });
            assert.ok(out.error instanceof APIError, String(out.error));
            assert.match(out.error.message, /backend failed/);
            assert.equal(out.text, mockText(2));
            assert.equal(out.usage, undefined);
            await assertBilled(f, requestId, {
              input: ESTIMATED_PROMPT[kind],
              output: Math.max(estimateText(mockText(2)), 2),
              source: "estimate",
              finishReason: "error",
            });
          }
          assert.deepEqual([mock.requests.length, spare.requests.length], [1, 0]);
        });
      }

      it(`${mode}: an upstream that fails after its 200 but before any token: 502, nothing billed, no failover`, async () => {
        // The estimate of an empty answer is 0 tokens: a failed request is not billed its prompt (new-api #4199).
        mock.options.midStreamAfter = 0;
        mock.enqueue("error-mid-stream");
        const { f, openai } = await fresh();
        const requestId = `empty-${kind}-${stream}`;
        const error = await call(openai, { kind, model: FAILOVER, stream, includeUsage: true, requestId }).catch((e: unknown) => e);
        assert.ok(error instanceof InternalServerError, String(error));
        assert.equal(error.status, 502);
        await assertNothingCharged(f, requestId);
        assert.deepEqual([mock.requests.length, spare.requests.length], [1, 0]);
      });

      it(`${mode}: an upstream timeout before the first byte is a 504, the hold released`, async () => {
        mock.enqueue("hang");
        const { f, openai } = await fresh();
        const error = await call(openai, { kind, model: SLOW, stream, includeUsage: true, requestId: `timeout-${kind}-${stream}` }).catch((e: unknown) => e);
        assert.ok(error instanceof APIError, String(error));
        assert.deepEqual([error.status, error.type, error.code], [504, "server_error", "backend_timeout"]);
        await assertNothingCharged(f, `timeout-${kind}-${stream}`);
        assert.equal(mock.requests.length, 1);
      });

      it(`${mode}: an upstream timeout after the first byte bills what was delivered`, async () => {
        mock.enqueue("hang-mid-stream");
        const { f, openai } = await fresh();
        const requestId = `timeout-mid-${kind}-${stream}`;
        if (!stream) {
          const error = await call(openai, { kind, model: SLOW, stream, requestId }).catch((e: unknown) => e);
          assert.ok(error instanceof APIError, String(error));
          assert.deepEqual([error.status, error.code], [504, "backend_timeout"]);
          await assertNothingCharged(f, requestId);
          return;
        }
        const out = await call(openai, { kind, model: SLOW, stream, includeUsage: true, requestId });
        assert.ok(out.error instanceof APIError, String(out.error));
        assert.match(out.error.message, /timed out/);
        assert.equal(out.text, mockText(2));
        await assertBilled(f, requestId, { input: ESTIMATED_PROMPT[kind], output: 2, source: "estimate", finishReason: "error" });
      });

      it(`${mode}: upstream 429 is a 429 with the upstream's retry-after, 5xx a 502; nothing billed`, async () => {
        const { f, openai } = await fresh();
        mock.options.shape = "error-before-first-byte";
        mock.options.errorStatus = 429;
        mock.options.retryAfter = "7";
        const limited = await call(openai, { kind, model: UP, stream, requestId: `429-${kind}-${stream}` }).catch((e: unknown) => e);
        assert.ok(limited instanceof RateLimitError, String(limited));
        assert.deepEqual([limited.type, limited.code], ["rate_limit_error", "backend_rate_limited"]);
        assert.equal(limited.headers?.get("retry-after"), "7");
        for (const status of [500, 503]) {
          mock.options.errorStatus = status;
          mock.options.retryAfter = undefined;
          const failed = await call(openai, { kind, model: UP, stream, requestId: `${status}-${kind}-${stream}` }).catch((e: unknown) => e);
          assert.ok(failed instanceof InternalServerError, String(failed));
          assert.deepEqual([failed.status, failed.type, failed.code], [502, "server_error", "backend_error"]);
          await assertNothingCharged(f, `${status}-${kind}-${stream}`);
        }
        await assertNothingCharged(f, `429-${kind}-${stream}`);
        assert.equal(mock.requests.length, 3);
      });
    }
  }

  it("the client's own retry after a 502 is a new attempt: served and billed once", async () => {
    mock.enqueue("error-before-first-byte");
    const { f } = await fresh();
    // The official client retries 5xx by itself, resending the same x-request-id.
    const openai = gw.client(f.secret, { maxRetries: 2 });
    const out = await call(openai, { kind: "chat", model: UP, stream: false, requestId: "client-retry" });
    assert.equal(out.text, mockText(COMPLETION_TOKENS));
    assert.equal(mock.requests.length, 2);
    assert.deepEqual(
      mock.requests.map((r) => r.shape),
      ["error-before-first-byte", "usage-chunk-after-finish"],
    );
    await assertBilled(f, "client-retry", { input: PROMPT_TOKENS, output: COMPLETION_TOKENS, source: "upstream", finishReason: "stop" });
    const records = await gw.db.selectFrom("usage_records").select("request_id").where("account_id", "=", f.accountId).execute();
    assert.equal(records.length, 1);
  });
});

describe("client disconnect through the API", () => {
  it("mid-stream: the upstream request is aborted and the delivered tokens are billed", async () => {
    mock.enqueue("hang-mid-stream");
    const { f, openai } = await fresh();
    const stream = await openai.chat.completions.create(
      { model: UP, messages: [{ role: "user", content: CONTENT }], max_tokens: MAX_TOKENS, stream: true },
      { headers: { "x-request-id": "gone" } },
    );
    let text = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (text === mockText(2)) {
        stream.controller.abort();
        break;
      }
    }
    await settled(f, "gone");
    await assertBilled(f, "gone", { input: ESTIMATED_PROMPT.chat, output: 2, source: "estimate", finishReason: "client_disconnect" });
    while (!mock.requests[0]!.closedEarly) await new Promise((resolve) => setImmediate(resolve));
  });

  it("before the first byte: the upstream request is aborted and nothing is billed", async () => {
    mock.enqueue("hang");
    const { f, openai } = await fresh();
    const controller = new AbortController();
    const pending = openai.chat.completions
      .create({ model: UP, messages: [{ role: "user", content: CONTENT }], max_tokens: MAX_TOKENS }, { headers: { "x-request-id": "early" }, signal: controller.signal })
      .catch((e: unknown) => e);
    while (mock.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    assert.ok((await pending) instanceof APIError);
    await settled(f, "early");
    while (!mock.requests[0]!.closedEarly) await new Promise((resolve) => setImmediate(resolve));
    await assertNothingCharged(f, "early");
  });
});

