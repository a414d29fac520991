// Unit tests of the pieces the backends are built from: chat template, stop sequences over a token
// stream, the SSE reader, upstream usage parsing and estimates, the sequence pool, the model search
// path and the retry rule. Expected values come from the documented rules, written out by hand.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { BackendError, isTransient, retryAfterMs } from "../src/backends/errors.ts";
import { findModelFile, modelSearchPath, REPO_ROOT } from "../src/backends/models.ts";
import { AbortedWhileQueued, Pool } from "../src/backends/pool.ts";
import { renderChatPrompt } from "../src/backends/prompt.ts";
import { readSseEvents } from "../src/backends/sse.ts";
import { StopSequenceFilter } from "../src/backends/stop.ts";
import type { InferenceRequest } from "../src/backends/types.ts";
import {
  estimateOutputTokens,
  estimatePromptTokens,
  estimateTextTokens,
  parseUpstreamUsage,
  promptTokensUpperBound,
} from "../src/backends/usage.ts";

describe("chat template", () => {
  it("renders one `Label: text` line per message and ends with the assistant cue", () => {
    const prompt = renderChatPrompt([
      { role: "system", content: "Be kind." },
      { role: "developer", content: "Short answers." },
      { role: "user", content: [{ type: "text", text: "Tell me " }, { type: "text", text: "a story." }] },
      { role: "assistant", content: "Once upon a time." },
      { role: "tool", content: null },
      { role: "user", content: "More." },
    ]);
    assert.equal(
      prompt,
      "System: Be kind.\nSystem: Short answers.\nUser: Tell me a story.\nAssistant: Once upon a time.\nTool: \nUser: More.\nAssistant:",
    );
  });
});

describe("stop sequences", () => {
  /** Feeds pieces, returns the released text and whether a stop fired (flushing otherwise). */
  function run(stops: string[], pieces: string[]): { released: string[]; stopped: boolean } {
    const filter = new StopSequenceFilter(stops);
    const released: string[] = [];
    for (const piece of pieces) {
      const scan = filter.push(piece);
      released.push(scan.text);
      if (scan.stopped) return { released, stopped: true };
    }
    released.push(filter.flush());
    return { released, stopped: false };
  }

  it("cuts at a stop split across pieces and never releases part of it", () => {
    const { released, stopped } = run(["girl na"], [", there", " was a", " little", " gi", "rl", " n", "amed Lily"]);
    assert.equal(stopped, true);
    assert.equal(released.join(""), ", there was a little ");
    // " gi" could start "girl na": held until "rl n" + "a" decided it.
    assert.deepEqual(released, [", there", " was a", " little", " ", "", "", ""]);
  });

  it("releases held text when the stop does not complete, and flushes a held tail at the end", () => {
    const { released, stopped } = run(["\nUser:"], ["Hi", "\n", "Use", "d it.", "\nU"]);
    assert.equal(stopped, false);
    assert.equal(released.join(""), "Hi\nUsed it.\nU");
    assert.deepEqual(released, ["Hi", "", "", "\nUsed it.", "", "\nU"]);
  });

  it("stops at the earliest of several stops, even when a later-listed one matches first", () => {
    const { released, stopped } = run(["world", "lo w"], ["hello world"]);
    assert.equal(stopped, true);
    assert.equal(released.join(""), "hel");
  });

  it("a stop at the very start releases nothing; no stops release everything at once", () => {
    assert.deepEqual(run(["Hi"], ["Hi there"]), { released: [""], stopped: true });
    assert.deepEqual(run([], ["a", "b"]), { released: ["a", "b", ""], stopped: false });
  });
});

describe("SSE reader", () => {
  async function* bytes(...parts: string[]): AsyncGenerator<Uint8Array> {
    for (const p of parts) yield new TextEncoder().encode(p);
  }
  async function collect(...parts: string[]) {
    const events = [];
    for await (const e of readSseEvents(bytes(...parts))) events.push(e);
    return events;
  }

  it("splits on blank lines with \\n, \\r\\n or \\r, across arbitrary chunk boundaries", async () => {
    const events = await collect("data: {\"a\"", ":1}\r", "\n\r\ndata: two\r\rdata: three\n", "\n");
    assert.deepEqual(events, [
      { event: undefined, data: '{"a":1}' },
      { event: undefined, data: "two" },
      { event: undefined, data: "three" },
    ]);
  });

  it("joins multi-line data, skips comments, keeps the event name, ignores other fields", async () => {
    const events = await collect(": keep-alive\n\nid: 7\nevent: error\ndata: line1\ndata:line2\nretry: 10\n\n");
    assert.deepEqual(events, [{ event: "error", data: "line1\nline2" }]);
  });

  it("delivers a last event that lost its blank line, and decodes UTF-8 split across chunks", async () => {
    const euro = new TextEncoder().encode("data: €\n\ndata: end");
    async function* split(): AsyncGenerator<Uint8Array> {
      yield euro.slice(0, 7); // "data: " + first byte of the 3-byte euro sign
      yield euro.slice(7);
    }
    const events = [];
    for await (const e of readSseEvents(split())) events.push(e.data);
    assert.deepEqual(events, ["€", "end"]);
  });

  it("skips one leading byte-order mark, even split across chunks, and only at the start", async () => {
    assert.deepEqual(await collect("\uFEFFdata: a\n\n"), [{ event: undefined, data: "a" }]);
    const bom = new TextEncoder().encode("\uFEFFdata: b\n\ndata: \uFEFFc\n\n");
    async function* split(): AsyncGenerator<Uint8Array> {
      yield bom.slice(0, 1);
      yield bom.slice(1, 2);
      yield bom.slice(2);
    }
    const events = [];
    for await (const e of readSseEvents(split())) events.push(e.data);
    assert.deepEqual(events, ["b", "\uFEFFc"]);
  });

  it("reads a line split over many chunks, a field without a colon, and a \r at the very end", async () => {
    assert.deepEqual(await collect("da", "ta", ": lo", "ng\nda", "ta\n", "event\n\ndata: x\r"), [
      { event: "", data: "long\n" },
      { event: undefined, data: "x" },
    ]);
  });
});

describe("upstream usage", () => {
  it("reads prompt/completion tokens; cached tokens are a subset of the prompt, capped at it", () => {
    assert.deepEqual(parseUpstreamUsage({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }), { inputTokens: 10, outputTokens: 5 });
    assert.deepEqual(parseUpstreamUsage({ prompt_tokens: 10, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 4 } }), {
      inputTokens: 10,
      outputTokens: 5,
      cachedInputTokens: 4,
    });
    assert.deepEqual(parseUpstreamUsage({ prompt_tokens: 10, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 12 } }), {
      inputTokens: 10,
      outputTokens: 5,
      cachedInputTokens: 10,
    });
    assert.deepEqual(parseUpstreamUsage({ prompt_tokens: 9, completion_tokens: 1, prompt_cache_hit_tokens: 3 })?.cachedInputTokens, 3);
  });

  it("reads Responses-API names too, and rejects usage without valid integer counts", () => {
    assert.deepEqual(parseUpstreamUsage({ input_tokens: 7, output_tokens: 2, input_tokens_details: { cached_tokens: 1 } }), {
      inputTokens: 7,
      outputTokens: 2,
      cachedInputTokens: 1,
    });
    for (const bad of [null, undefined, 3, {}, { prompt_tokens: 1 }, { prompt_tokens: -1, completion_tokens: 1 }, { prompt_tokens: 1.5, completion_tokens: 1 }, { prompt_tokens: "1", completion_tokens: 1 }]) {
      assert.equal(parseUpstreamUsage(bad), undefined, JSON.stringify(bad));
    }
  });

  it("estimates: ceil(UTF-8 bytes / 4) per text, +4 per message +3 per chat, output = max(text, deltas)", () => {
    assert.equal(estimateTextTokens(""), 0);
    assert.equal(estimateTextTokens("abcd"), 1);
    assert.equal(estimateTextTokens("abcde"), 2);
    assert.equal(estimateTextTokens("€€"), 2); // 6 bytes
    const chat: InferenceRequest = {
      kind: "chat",
      model: "m",
      messages: [
        { role: "system", content: "Be brief." }, // 9 bytes -> 3
        { role: "user", content: "Hi", name: "bob" }, // "Hibob" 5 bytes -> 2
      ],
    };
    assert.equal(estimatePromptTokens(chat), 3 + 4 + 2 + 4 + 3);
    assert.equal(estimatePromptTokens({ kind: "completion", model: "m", prompt: "Once upon a time" }), 4);
    assert.equal(estimateOutputTokens("Hello w1 w2", 3), 3); // 11 bytes -> 3
    assert.equal(estimateOutputTokens("Hello w1 w2", 7), 7);
  });

  it("the hold's upper bound is UTF-8 bytes plus template allowances (8 per message, 32 per request)", () => {
    const chat: InferenceRequest = { kind: "chat", model: "m", messages: [{ role: "user", content: "héllo" }] }; // 6 bytes
    assert.equal(promptTokensUpperBound(chat), 32 + 6 + 8);
    assert.equal(promptTokensUpperBound({ kind: "completion", model: "m", prompt: "abc" }), 32 + 3);
  });
});

describe("sequence pool", () => {
  it("hands items out first come first served and lets an aborted waiter leave the queue", async () => {
    const pool = new Pool(["a"]);
    const first = await pool.acquire();
    const abort = new AbortController();
    const order: string[] = [];
    const second = pool.acquire(abort.signal);
    const third = pool.acquire().then((item) => order.push(`third:${item}`));
    assert.equal(pool.queued, 2);
    abort.abort();
    await assert.rejects(second, AbortedWhileQueued);
    assert.equal(pool.queued, 1);
    pool.release(first);
    await third;
    assert.deepEqual(order, ["third:a"]);
    assert.equal(pool.available, 0);
    pool.release("a");
    assert.equal(pool.available, 1);
    await assert.rejects(pool.acquire(AbortSignal.abort()), AbortedWhileQueued);
    assert.equal(pool.available, 1);
  });
});

describe("model search path", () => {
  it("is FOMO_MODELS_DIR, then <repo>/models, resolved from the repo root (nothing outside the repository)", () => {
    assert.equal(resolve(REPO_ROOT, "packages/gateway/src/backends/models.ts"), resolve(import.meta.dirname, "../src/backends/models.ts"));
    assert.deepEqual(modelSearchPath(), [join(REPO_ROOT, "models")]);
    assert.deepEqual(modelSearchPath("/opt/models"), ["/opt/models", join(REPO_ROOT, "models")]);
  });

  it("takes the first directory holding the file, and names every directory when none does", () => {
    const a = mkdtempSync(join(tmpdir(), "fomo-models-a-"));
    const b = mkdtempSync(join(tmpdir(), "fomo-models-b-"));
    try {
      writeFileSync(join(b, "x.gguf"), "");
      assert.equal(findModelFile("x.gguf", [a, b]), join(b, "x.gguf"));
      writeFileSync(join(a, "x.gguf"), "");
      assert.equal(findModelFile("x.gguf", [a, b]), join(a, "x.gguf"));
      assert.equal(findModelFile(join(b, "x.gguf"), []), join(b, "x.gguf"));
      assert.throws(() => findModelFile("y.gguf", [a, b]), (err: Error) => err.message.includes(a) && err.message.includes(b));
    } finally {
      rmSync(a, { recursive: true });
      rmSync(b, { recursive: true });
    }
  });
});

describe("retry rule", () => {
  const err = (code: BackendError["code"], beforeFirstByte: boolean, status?: number) =>
    new BackendError(code, "x", { beforeFirstByte, ...(status === undefined ? {} : { status }) });

  it("retries transport failures, timeouts and 408/409/429/5xx, only before the first byte", () => {
    for (const e of [err("connection", true), err("timeout", true), err("upstream", true, 500), err("upstream", true, 503), err("upstream", true, 429), err("upstream", true, 408), err("upstream", true, 409)]) {
      assert.equal(isTransient(e), true, `${e.code} ${e.status}`);
    }
    for (const e of [err("connection", false), err("timeout", false), err("upstream", false, 500), err("upstream", true, 400), err("upstream", true, 401), err("upstream", true, 404), err("aborted", true), err("invalid_request", true), err("protocol", true)]) {
      assert.equal(isTransient(e), false, `${e.code} ${e.status} ${e.beforeFirstByte}`);
    }
    assert.equal(isTransient(new Error("x")), false);
  });

  it("reads an upstream's wait hint: retry-after-ms first, then retry-after in seconds or as a date", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    const wait = (headers: Record<string, string>) => retryAfterMs(new Headers(headers), now);
    assert.equal(wait({ "retry-after-ms": "250", "retry-after": "9" }), 250);
    assert.equal(wait({ "retry-after": "7" }), 7_000);
    assert.equal(wait({ "retry-after": "1.5" }), 1_500);
    assert.equal(wait({ "retry-after": "Wed, 01 Jan 2025 00:00:03 GMT" }), 3_000);
    assert.equal(wait({ "retry-after": "Tue, 31 Dec 2024 23:00:00 GMT" }), 0);
    for (const headers of [{}, { "retry-after": "soon" }, { "retry-after-ms": "-5" }, { "retry-after-ms": "" }, { "retry-after": "" }] as Record<string, string>[]) {
      assert.equal(wait(headers), undefined, JSON.stringify(headers));
    }
  });

  it("reads the wait hint from Node/undici header records too (lower-case names, repeated as arrays)", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    assert.equal(retryAfterMs({ "retry-after-ms": "250", "retry-after": "9" }, now), 250);
    assert.equal(retryAfterMs({ "retry-after": ["4", "9"] }, now), 4_000);
    assert.equal(retryAfterMs({ "retry-after": "Wed, 01 Jan 2025 00:00:03 GMT" }, now), 3_000);
    assert.equal(retryAfterMs({ "retry-after-ms": undefined, "content-type": "text/plain" }, now), undefined);
  });
});
