// The local backend against the real tiny model (stories260K.gguf, found on the model search path).
// Expected outputs come from a reference: the same model sampled directly through node-llama-cpp on
// a context of its own, token by token, then decoded and cut at stop sequences by decoding prefixes
// (no streaming hold-back); token counts come from model.tokenize and from counting sampled tokens.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { LlamaContext, LlamaContextSequence, Token } from "node-llama-cpp";
import { IncrementalDecoder } from "../src/backends/decode.ts";
import { BackendError } from "../src/backends/errors.ts";
import { LocalBackend } from "../src/backends/local.ts";
import type { CompletionResult, InferenceRequest, ModelInfo, StreamEvent } from "../src/backends/types.ts";

const MODEL = "stories-260k";
let backend: LocalBackend;
let referenceContext: LlamaContext;
let reference: LlamaContextSequence;

before(async () => {
  backend = await LocalBackend.create({ parallel: 2 });
  referenceContext = await backend.model.createContext({ contextSize: 512, threads: 1 });
  reference = referenceContext.getSequence();
});

after(async () => {
  await referenceContext.dispose();
  await backend.close();
});

/** End of text: EOS-like tokens, and BOS, which llama2.c models sample between stories. */
const isEnd = (token: Token) => token === backend.model.tokens.bos || backend.model.isEogToken(token);

/** Tokens the model samples for BOS + prompt, straight from node-llama-cpp, until an end token or maxTokens. */
async function sample(
  prompt: string,
  opts: { maxTokens: number; temperature: number; seed?: number; frequencyPenalty?: number; presencePenalty?: number },
): Promise<Token[]> {
  await reference.clearHistory();
  const input = [backend.model.tokens.bos!, ...backend.model.tokenize(prompt)];
  const tokens: Token[] = [];
  const penalties = { frequencyPenalty: opts.frequencyPenalty ?? 0, presencePenalty: opts.presencePenalty ?? 0 };
  const options = {
    temperature: opts.temperature,
    topK: 0,
    topP: 1,
    yieldEogToken: true,
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    // OpenAI semantics: the penalties apply to the tokens generated so far, with no multiplicative repeat penalty.
    ...(opts.frequencyPenalty || opts.presencePenalty ? { repeatPenalty: { punishTokens: () => tokens, penalty: 1, ...penalties } } : {}),
  };
  for await (const token of reference.evaluate(input, options)) {
    tokens.push(token);
    if (isEnd(token) || tokens.length >= opts.maxTokens) break;
  }
  return tokens;
}

/** The text of generated tokens, continuing the prompt (so a leading space is kept). */
function decode(prompt: string, tokens: Token[]): string {
  return backend.model.detokenize(tokens, false, backend.model.tokenize(prompt));
}

/** What a backend must return for these sampled tokens: cut at the earliest stop, every sampled token billed. */
function expected(prompt: string, tokens: Token[], stops: readonly string[]): Omit<CompletionResult, "usage"> & { outputTokens: number } {
  for (let k = 1; k <= tokens.length; k++) {
    if (isEnd(tokens[k - 1]!)) return { text: decode(prompt, tokens.slice(0, k - 1)), finishReason: "stop", outputTokens: k };
    const text = decode(prompt, tokens.slice(0, k));
    const cuts = stops.map((s) => text.indexOf(s)).filter((i) => i >= 0);
    if (cuts.length > 0) return { text: text.slice(0, Math.min(...cuts)), finishReason: "stop", outputTokens: k };
  }
  return { text: decode(prompt, tokens), finishReason: "length", outputTokens: tokens.length };
}

function assertMatches(result: CompletionResult, prompt: string, want: ReturnType<typeof expected>) {
  assert.equal(result.text, want.text);
  assert.equal(result.finishReason, want.finishReason);
  assert.deepEqual(result.usage, { inputTokens: backend.model.tokenize(prompt).length, outputTokens: want.outputTokens, source: "tokenizer" });
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<{ deltas: string[]; result: CompletionResult }> {
  const deltas: string[] = [];
  for await (const event of events) {
    if (event.type === "delta") deltas.push(event.text);
    else return { deltas, result: event.result };
  }
  throw new Error("stream ended without a result");
}

const completion = (prompt: string, extra: Partial<InferenceRequest> = {}): InferenceRequest => ({ kind: "completion", model: MODEL, prompt, ...extra }) as InferenceRequest;

// A bound so a broken abort path fails instead of hanging on a sequence that is never released.
describe("local backend (stories260K)", { timeout: 30_000 }, () => {
  it("serves one model whose context is contextSize minus the BOS slot", () => {
    const [{ maxCharsPerToken, ...limits }] = backend.models as [ModelInfo];
    assert.deepEqual([backend.models.length, limits], [1, { id: MODEL, contextLength: 511, maxOutputTokens: 511 }]);
    // The longest piece of a 512-token vocabulary: a short word with its leading space (soundness: api-hardening.test.ts).
    assert.ok(Number.isInteger(maxCharsPerToken) && maxCharsPerToken! >= 2 && maxCharsPerToken! <= 32, `${maxCharsPerToken}`);
  });

  it("greedy completion is the model's own sampling token for token, deterministic, streamed or not", async () => {
    const prompt = "Once upon a time";
    const want = expected(prompt, await sample(prompt, { maxTokens: 64, temperature: 0 }), []);
    assert.equal(want.finishReason, "length");
    const req = completion(prompt, { maxTokens: 64, temperature: 0 });
    const first = await backend.complete(req);
    assertMatches(first, prompt, want);
    assert.deepEqual(await backend.complete(req), first);
    const streamed = await collect(backend.stream(req));
    assert.deepEqual(streamed.result, first);
    assert.equal(streamed.deltas.join(""), first.text);
    assert.deepEqual(await backend.countPromptTokens(req), { tokens: backend.model.tokenize(prompt).length, exact: true });
  });

  it("chat is rendered by the documented template; input tokens = model.tokenize(rendered prompt)", async () => {
    const req: InferenceRequest = {
      kind: "chat",
      model: MODEL,
      messages: [
        { role: "system", content: "You tell stories." },
        { role: "user", content: "Tell me about a cat." },
      ],
      maxTokens: 40,
      temperature: 0,
    };
    const rendered = "System: You tell stories.\nUser: Tell me about a cat.\nAssistant:";
    assert.deepEqual(await backend.countPromptTokens(req), { tokens: backend.model.tokenize(rendered).length, exact: true });
    const result = await backend.complete(req);
    assertMatches(result, rendered, expected(rendered, await sample(rendered, { maxTokens: 40, temperature: 0 }), ["\nUser:"]));
  });

  it("stop sequences cut the text (even across tokens), bill the tokens sampled up to the stop, never leak", async () => {
    const prompt = "Once upon a time";
    const tokens = await sample(prompt, { maxTokens: 64, temperature: 0 });
    const text = decode(prompt, tokens);
    // A stop taken from inside the reference text, spanning several tokens.
    const stop = text.slice(12, 19);
    const want = expected(prompt, tokens, ["zzzz", stop]);
    assert.equal(want.finishReason, "stop");
    const { deltas, result } = await collect(backend.stream(completion(prompt, { maxTokens: 64, temperature: 0, stop: ["zzzz", stop] })));
    assertMatches(result, prompt, want);
    assert.equal(deltas.join(""), result.text);
    assert.ok(!deltas.join("").includes(stop));
  });

  it("seeded sampling is reproducible and matches the model; a story ending (BOS) is a stop and billed", async () => {
    const prompt = "Once upon a time";
    const finishes: string[] = [];
    const results: CompletionResult[] = [];
    for (const seed of [2, 3]) {
      const want = expected(prompt, await sample(prompt, { maxTokens: 300, temperature: 1, seed }), []);
      const result = await backend.complete(completion(prompt, { maxTokens: 300, temperature: 1, seed }));
      assertMatches(result, prompt, want);
      finishes.push(result.finishReason);
      results.push(result);
    }
    // At temperature 1 stories often end before 300 tokens: the end-of-text path must have run.
    assert.ok(finishes.includes("stop"), `finish reasons ${finishes.join(",")}`);
    assert.deepEqual(await backend.complete(completion(prompt, { maxTokens: 300, temperature: 1, seed: 2 })), results[0]);
  });

  it("characters spelled with byte tokens are streamed whole, never as U+FFFD halves", () => {
    const context = backend.model.tokenize("Once upon a time");
    const text = " Só €5 — 🐱!";
    const tokens = backend.model.tokenize(text);
    // The vocabulary lacks these characters: byte fallback, some tokens end inside a character.
    assert.ok(tokens.some((t) => backend.model.detokenize([t]).endsWith("\uFFFD")));
    const decoder = new IncrementalDecoder((t, special, last) => backend.model.detokenize(t, special, last), context);
    const pieces = tokens.map((t) => decoder.push(t));
    pieces.push(decoder.flush());
    assert.equal(pieces.join(""), text);
    assert.ok(pieces.every((p) => !p.includes("\uFFFD")), JSON.stringify(pieces));
    assert.deepEqual(decoder.tokens, tokens);
    // A character cut off by the end of generation is released as U+FFFD rather than dropped.
    const cut = new IncrementalDecoder((t, special, last) => backend.model.detokenize(t, special, last), context);
    const lead = tokens.find((t) => backend.model.detokenize([t]).endsWith("\uFFFD"))!;
    assert.equal(cut.push(lead), "");
    assert.equal(cut.flush(), "\uFFFD");
  });

  it("byte tokens that split a UTF-8 character are held and decoded with their neighbours", async () => {
    const prompt = "Once upon a time";
    let splitCharacters = 0;
    // At temperature 2 this 512-token vocabulary (256 of them single bytes) samples stray high bytes.
    for (const seed of [1, 10]) {
      const tokens = await sample(prompt, { maxTokens: 200, temperature: 2, seed });
      splitCharacters += tokens.filter((t) => backend.model.detokenize([t]).endsWith("\uFFFD")).length;
      const { deltas, result } = await collect(backend.stream(completion(prompt, { maxTokens: 200, temperature: 2, seed })));
      assertMatches(result, prompt, expected(prompt, tokens, []));
      assert.equal(deltas.join(""), result.text);
    }
    assert.ok(splitCharacters > 0, "no token decoded to an incomplete character: the hold path did not run");
  });

  it("frequency and presence penalties act on the generated tokens", async () => {
    const prompt = "Once upon a time";
    const penalties = { frequencyPenalty: 1.5, presencePenalty: 0.5 };
    const want = expected(prompt, await sample(prompt, { maxTokens: 64, temperature: 0, ...penalties }), []);
    const result = await backend.complete(completion(prompt, { maxTokens: 64, temperature: 0, ...penalties }));
    assertMatches(result, prompt, want);
    // And they change something: without them greedy decoding says otherwise.
    assert.notEqual(result.text, decode(prompt, await sample(prompt, { maxTokens: 64, temperature: 0 })));
  });

  it("rejects what does not fit the context instead of truncating; unknown models are refused", async () => {
    let prompt = "";
    while (backend.model.tokenize(prompt).length < 500) prompt += "Once upon a time, there was a cat. ";
    const promptTokens = backend.model.tokenize(prompt).length;
    const room = 511 - promptTokens;
    const fits = await backend.complete(completion(prompt, { maxTokens: room, temperature: 0 }));
    assert.ok(fits.usage.outputTokens <= room);
    await assert.rejects(backend.complete(completion(prompt, { maxTokens: room + 1 })), (err: BackendError) => err.code === "invalid_request" && err.param === "max_tokens");
    const tooLong = prompt + prompt;
    await assert.rejects(backend.complete(completion(tooLong)), (err: BackendError) => err.code === "invalid_request" && err.param === "prompt");
    await assert.rejects(
      backend.complete({ kind: "chat", model: MODEL, messages: [{ role: "user", content: tooLong }] }),
      (err: BackendError) => err.code === "invalid_request" && err.param === "messages",
    );
    await assert.rejects(backend.complete(completion("x", { model: "other" })), (err: BackendError) => err.code === "model_not_found");
    assert.deepEqual(backend.load, { free: 2, queued: 0 });
  });

  it("abort mid-stream stops at once and reports the tokens generated so far", async () => {
    const prompt = "Once upon a time";
    const controller = new AbortController();
    const events = backend.stream(completion(prompt, { maxTokens: 300, temperature: 0 }), controller.signal)[Symbol.asyncIterator]();
    let seen = "";
    for (let i = 0; i < 5; i++) {
      const step = await events.next();
      assert.ok(!step.done && step.value.type === "delta");
      seen += step.value.text;
    }
    controller.abort();
    const err = await events.next().then(
      () => assert.fail("a read after abort must throw"),
      (e: unknown) => e as BackendError,
    );
    assert.ok(err instanceof BackendError && err.code === "aborted");
    // Five tokens sampled, five delivered: generation stopped before sampling a sixth.
    assert.deepEqual(err.partial, {
      text: seen,
      usage: { inputTokens: backend.model.tokenize(prompt).length, outputTokens: 5, source: "tokenizer" },
    });
    assert.equal(seen, decode(prompt, await sample(prompt, { maxTokens: 5, temperature: 0 })));
    assert.deepEqual(backend.load, { free: 2, queued: 0 });
  });

  it("abort of a non-streaming request reports a consistent partial; an aborted signal costs nothing", async () => {
    const prompt = "Once upon a time";
    const controller = new AbortController();
    const pending = backend.complete(completion(prompt, { maxTokens: 500, temperature: 0 }), controller.signal);
    setTimeout(() => controller.abort(), 30);
    const err = await pending.then(
      () => assert.fail("must be aborted"),
      (e: unknown) => e as BackendError,
    );
    assert.equal(err.code, "aborted");
    const k = err.partial!.usage.outputTokens;
    assert.ok(k < 500);
    assert.equal(err.partial!.text, decode(prompt, await sample(prompt, { maxTokens: k, temperature: 0 })));

    await assert.rejects(backend.complete(completion(prompt), AbortSignal.abort()), (e: BackendError) => {
      assert.equal(e.code, "aborted");
      assert.deepEqual(e.partial, { text: "", usage: { inputTokens: 0, outputTokens: 0, source: "tokenizer" } });
      return true;
    });
    assert.deepEqual(backend.load, { free: 2, queued: 0 });
  });

  it("4 parallel requests on 2 sequences all complete, each as if alone; a queued request can be aborted", async () => {
    const prompts = ["Once upon a time", "Tom had a red ball.", "The sun was hot.", "Lily and Ben went to the park."];
    const wants: ReturnType<typeof expected>[] = [];
    for (const p of prompts) wants.push(expected(p, await sample(p, { maxTokens: 48, temperature: 0 }), []));
    const results = await Promise.all(prompts.map((p) => backend.complete(completion(p, { maxTokens: 48, temperature: 0 }))));
    results.forEach((r, i) => assertMatches(r, prompts[i]!, wants[i]!));

    // Both sequences held by paused streams: the next request queues, and leaves the queue on abort.
    const held = [0, 1].map(() => backend.stream(completion("Once upon a time", { maxTokens: 100, temperature: 0 }))[Symbol.asyncIterator]());
    for (const stream of held) assert.equal((await stream.next()).done, false);
    assert.deepEqual(backend.load, { free: 0, queued: 0 });
    const controller = new AbortController();
    const queued = backend.complete(completion("Once upon a time"), controller.signal);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(backend.load, { free: 0, queued: 1 });
    controller.abort();
    await assert.rejects(queued, (e: BackendError) => {
      assert.equal(e.code, "aborted");
      assert.deepEqual(e.partial?.usage, { inputTokens: 0, outputTokens: 0, source: "tokenizer" });
      return true;
    });
    for (const stream of held) await stream.return?.();
    assert.deepEqual(backend.load, { free: 2, queued: 0 });
  });
});
