// The HTTP API through the official `openai` client against the real local model, on SQLite and on a
// real PostgreSQL: responses, SSE framing, usage and the exact balance change, and every error status.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import OpenAI, { APIError, AuthenticationError, BadRequestError, InternalServerError, NotFoundError } from "openai";
import { renderChatPrompt } from "../src/backends/prompt.ts";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { BROKEN, expectedPrice, MODEL, PRICING, startGateway, type TestGateway } from "./support/gateway.ts";
import { fundedKey, USD, type Funded } from "@fomo/testkit/ledger";

describeEachDatabase("the API", (suite) => {
  let gw: TestGateway;
  let funded: Funded;
  let openai: OpenAI;

  before(async () => {
    gw = await startGateway({ db: await suite.open() });
    funded = await fundedKey(gw.ledger, 10n * USD);
    openai = gw.client(funded.secret);
  });
  after(() => gw.close());

  const balance = async (f: Funded = funded) => (await gw.ledger.accounts.get(f.accountId)).balance;
  const promptTokens = (text: string) => gw.local.model.tokenize(text).length;
  const PROMPT = "Once upon a time, there was a little";
  const MESSAGES: { role: "system" | "user"; content: string }[] = [
    { role: "system", content: "You tell short stories." },
    { role: "user", content: "Tell me about a cat." },
  ];

  /** The request's usage record (request ids are scoped by key in the ledger). */
  const usageOf = (f: Funded, requestId: string) => gw.ledger.usage.get(`${f.key.id}:${requestId}`);

  describe("models", () => {
    it("lists and retrieves the served models", async () => {
      const ids = [];
      for await (const m of openai.models.list()) ids.push(m.id);
      assert.ok(ids.includes(MODEL));
      const model = await openai.models.retrieve(MODEL);
      assert.equal(model.id, MODEL);
      assert.equal(model.object, "model");
    });

    it("404s an unknown model with a clear message", async () => {
      const error = await openai.models.retrieve("nope-xyz").catch((e: unknown) => e);
      assert.ok(error instanceof NotFoundError);
      assert.equal(error.code, "model_not_found");
      const chat = await openai.chat.completions
        .create({ model: "nope-xyz", messages: MESSAGES, max_tokens: 4 })
        .catch((e: unknown) => e);
      assert.ok(chat instanceof NotFoundError);
      assert.equal(chat.param, "model");
      assert.match(chat.message, /nope-xyz/);
    });
  });

  describe("completions", () => {
    it("non-streaming: text, usage counted by the tokenizer, balance charged exactly", async () => {
      const before = await balance();
      const { data, response } = await openai.completions
        .create({ model: MODEL, prompt: PROMPT, max_tokens: 24, temperature: 0 }, { headers: { "x-request-id": "cmpl-1" } })
        .withResponse();
      assert.equal(response.headers.get("x-request-id"), "cmpl-1");
      assert.equal(data.object, "text_completion");
      assert.equal(data.choices.length, 1);
      const usage = data.usage!;
      assert.equal(usage.prompt_tokens, promptTokens(PROMPT));
      assert.ok(usage.completion_tokens >= 1 && usage.completion_tokens <= 24);
      assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
      const price = expectedPrice(PRICING, usage.prompt_tokens, usage.completion_tokens);
      assert.equal(before - (await balance()), price);
      assert.equal(response.headers.get("x-fomo-cost-micro-usd"), price.toString());
      const record = (await usageOf(funded, "cmpl-1"))!;
      assert.equal(record.priceCharged, price);
      assert.equal(record.inputTokens, BigInt(usage.prompt_tokens));
      assert.equal(record.source, "tokenizer");
      assert.deepEqual(await gw.ledger.metering.listHolds(), []);
    });

    it("streaming: the same text as non-streaming, [DONE], charged exactly, no usage chunk unless asked", async () => {
      const body = { model: MODEL, prompt: PROMPT, max_tokens: 24, temperature: 0 } as const;
      const plain = await openai.completions.create(body);
      const before = await balance();
      const stream = await openai.completions.create({ ...body, stream: true }, { headers: { "x-request-id": "cmpl-s" } });
      let text = "";
      let finish: string | null = null;
      for await (const chunk of stream) {
        assert.equal(chunk.usage, undefined);
        assert.equal(chunk.choices.length, 1);
        text += chunk.choices[0]!.text;
        finish ??= chunk.choices[0]!.finish_reason;
      }
      assert.equal(text, plain.choices[0]!.text);
      assert.equal(finish, plain.choices[0]!.finish_reason);
      const record = (await usageOf(funded, "cmpl-s"))!;
      assert.equal(Number(record.outputTokens), plain.usage!.completion_tokens);
      assert.equal(before - (await balance()), expectedPrice(PRICING, Number(record.inputTokens), Number(record.outputTokens)));
    });
  });

  describe("chat completions", () => {
    it("non-streaming: assistant message, prompt tokens of the rendered chat, exact charge", async () => {
      const before = await balance();
      const res = await openai.chat.completions.create({ model: MODEL, messages: MESSAGES, max_tokens: 20, temperature: 0 });
      assert.equal(res.object, "chat.completion");
      assert.equal(res.choices[0]!.message.role, "assistant");
      assert.equal(typeof res.choices[0]!.message.content, "string");
      assert.equal(res.usage!.prompt_tokens, promptTokens(renderChatPrompt(MESSAGES)));
      assert.equal(before - (await balance()), expectedPrice(PRICING, res.usage!.prompt_tokens, res.usage!.completion_tokens));
    });

    it("streaming with include_usage: role first, usage null on chunks, a final usage chunk with choices []", async () => {
      const body = { model: MODEL, messages: MESSAGES, max_tokens: 20, temperature: 0 } as const;
      const plain = await openai.chat.completions.create(body);
      const before = await balance();
      const stream = await openai.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      const last = chunks.at(-1)!;
      assert.deepEqual(last.choices, []);
      assert.deepEqual(last.usage, plain.usage);
      for (const chunk of chunks.slice(0, -1)) {
        assert.equal(chunk.usage, null);
        assert.equal(chunk.object, "chat.completion.chunk");
      }
      assert.equal(chunks[0]!.choices[0]!.delta.role, "assistant");
      const text = chunks.flatMap((c) => c.choices.map((ch) => ch.delta.content ?? "")).join("");
      assert.equal(text, plain.choices[0]!.message.content);
      assert.equal(chunks.at(-2)!.choices[0]!.finish_reason, plain.choices[0]!.finish_reason);
      assert.equal(before - (await balance()), expectedPrice(PRICING, last.usage!.prompt_tokens, last.usage!.completion_tokens));
    });

    it("accepts the key in x-litellm-api-key", async () => {
      const res = await fetch(`${gw.baseURL}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-litellm-api-key": funded.secret },
        body: JSON.stringify({ model: MODEL, messages: MESSAGES, max_tokens: 2 }),
      });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { object: string }).object, "chat.completion");
    });
  });

  describe("errors", () => {
    const badRequests: [string, Record<string, unknown>, string][] = [
      ["temperature above 2", { temperature: 2.5 }, "temperature"],
      ["temperature below 0", { temperature: -0.1 }, "temperature"],
      ["temperature as a string", { temperature: "1" }, "temperature"],
      ["frequency_penalty below -2", { frequency_penalty: -2.5 }, "frequency_penalty"],
      ["presence_penalty above 2", { presence_penalty: 2.1 }, "presence_penalty"],
      ["five stop sequences", { stop: ["a", "b", "c", "d", "e"] }, "stop"],
      ["n = 2", { n: 2 }, "n"],
      ["max_tokens 0", { max_tokens: 0 }, "max_tokens"],
      ["max_tokens beyond the model", { max_tokens: 100_000 }, "max_tokens"],
      ["a bad role", { messages: [{ role: "wizard", content: "hi" }] }, "messages[0].role"],
      ["no messages", { messages: undefined }, "messages"],
    ];
    for (const [name, patch, param] of badRequests) {
      it(`400 invalid_request_error for ${name}, param ${param}, nothing held or charged`, async () => {
        const before = await balance();
        const body = { model: MODEL, messages: MESSAGES, max_tokens: 4, ...patch } as never;
        const error = await openai.chat.completions.create(body).catch((e: unknown) => e);
        assert.ok(error instanceof BadRequestError, String(error));
        assert.equal(error.status, 400);
        assert.equal(error.type, "invalid_request_error");
        assert.equal(error.param, param);
        assert.equal(await balance(), before);
        assert.deepEqual(await gw.ledger.metering.listHolds(), []);
      });
    }

    it("400 names the prompt when it does not fit the context", async () => {
      const error = await openai.completions
        .create({ model: MODEL, prompt: "once upon a time ".repeat(400), max_tokens: 4 })
        .catch((e: unknown) => e);
      assert.ok(error instanceof BadRequestError);
      assert.equal(error.param, "prompt");
      assert.equal(error.code, "context_length_exceeded");
    });

    it("401 for a wrong, a revoked or a missing key", async () => {
      const wrong = await gw.client("sk-fomo-" + "0".repeat(43)).models.list().catch((e: unknown) => e);
      assert.ok(wrong instanceof AuthenticationError);
      assert.equal(wrong.code, "invalid_api_key");
      const revoked = await fundedKey(gw.ledger, USD);
      await gw.ledger.keys.revoke(revoked.key.id);
      const error = await gw.client(revoked.secret).chat.completions
        .create({ model: MODEL, messages: MESSAGES, max_tokens: 2 })
        .catch((e: unknown) => e);
      assert.ok(error instanceof AuthenticationError);
      const missing = await fetch(`${gw.baseURL}/models`);
      assert.equal(missing.status, 401);
      const body = (await missing.json()) as { error: { type: string } };
      assert.equal(body.error.type, "invalid_request_error");
    });

    it("402 insufficient credits with x-should-retry: false, and the client does not retry it", async () => {
      const poor = await fundedKey(gw.ledger, 1n);
      let hits = 0;
      const counter = (req: { url: string }) => {
        if (req.url === "/v1/chat/completions") hits++;
      };
      gw.app.server.on("request", counter);
      try {
        const error = await gw.client(poor.secret, { maxRetries: 3 }).chat.completions
          .create({ model: MODEL, messages: MESSAGES, max_tokens: 50 })
          .catch((e: unknown) => e);
        assert.ok(error instanceof APIError);
        assert.equal(error.status, 402);
        assert.equal(error.code, "insufficient_credits");
        assert.equal(error.headers?.get("x-should-retry"), "false");
        assert.equal(hits, 1);
        assert.equal(await balance(poor), 1n);
      } finally {
        gw.app.server.off("request", counter);
      }
    });

    it("402 spend_cap_reached when the key's cap cannot cover the hold, though the account can", async () => {
      const capped = await fundedKey(gw.ledger, USD, { spendCap: 1n });
      const error = await gw.client(capped.secret).completions
        .create({ model: MODEL, prompt: PROMPT, max_tokens: 8 })
        .catch((e: unknown) => e);
      assert.ok(error instanceof APIError);
      assert.equal(error.status, 402);
      assert.equal(error.code, "spend_cap_reached");
      assert.equal(await balance(capped), USD);
    });

    it("5xx for a backend failure before any output, released in full", async () => {
      const before = await balance();
      const error = await openai.chat.completions
        .create({ model: BROKEN, messages: MESSAGES, max_tokens: 4 })
        .catch((e: unknown) => e);
      assert.ok(error instanceof InternalServerError);
      assert.equal(error.type, "server_error");
      assert.equal(await balance(), before);
      assert.deepEqual(await gw.ledger.metering.listHolds(), []);
    });

    it("an error after streaming started arrives as an SSE error event; what was produced is billed", async () => {
      const before = await balance();
      const stream = await openai.chat.completions.create(
        { model: BROKEN, messages: MESSAGES, max_tokens: 50, stream: true },
        { headers: { "x-request-id": "broken-stream" } },
      );
      let text = "";
      const error = await (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
      })().catch((e: unknown) => e);
      assert.ok(error instanceof APIError);
      assert.equal(text, "Once upon");
      assert.match(error.message, /backend/);
      const record = (await usageOf(funded, "broken-stream"))!;
      assert.equal(record.outputTokens, 7n);
      assert.equal(record.source, "estimate");
      assert.equal(before - (await balance()), expectedPrice(PRICING, 5, 7));
    });

    it("409 for a replayed request id: never served or charged twice", async () => {
      const opts = { headers: { "x-request-id": "once-only" } };
      await openai.completions.create({ model: MODEL, prompt: PROMPT, max_tokens: 2 }, opts);
      const before = await balance();
      const error = await openai.completions.create({ model: MODEL, prompt: PROMPT, max_tokens: 2 }, opts).catch((e: unknown) => e);
      assert.ok(error instanceof APIError);
      assert.equal(error.status, 409);
      assert.equal(await balance(), before);
    });

    it("embeddings: 400 naming the model (no backend embeds), 404 for an unknown model", async () => {
      const error = await openai.embeddings.create({ model: MODEL, input: "hello" }).catch((e: unknown) => e);
      assert.ok(error instanceof BadRequestError);
      assert.equal(error.param, "model");
      assert.equal(error.code, "embeddings_not_supported");
      const unknown = await openai.embeddings.create({ model: "nope-xyz", input: "hello" }).catch((e: unknown) => e);
      assert.ok(unknown instanceof NotFoundError);
    });

    it("unknown endpoints are OpenAI-shaped 404s", async () => {
      const res = await fetch(`${gw.baseURL}/nothing-here`, { headers: { authorization: `Bearer ${funded.secret}` } });
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { error: { type: string } }).error.type, "invalid_request_error");
    });
  });

  describe("metrics", () => {
    it("GET /metrics: tokens billed match the usage records, 402s counted, no hold left open", async () => {
      const text = await (await fetch(gw.baseURL.replace(/\/v1$/, "/metrics"))).text();
      const value = (pattern: string) => {
        const line = text.split("\n").find((l) => l.startsWith(pattern));
        assert.ok(line, `no ${pattern} in /metrics`);
        return Number(line.slice(line.lastIndexOf(" ") + 1));
      };
      const records = await gw.db.selectFrom("usage_records").select(["output_tokens", "input_tokens"]).where("model_id", "=", MODEL).execute();
      const sum = (k: "output_tokens" | "input_tokens") => records.reduce((s, r) => s + Number(r[k]), 0);
      assert.equal(value(`fomo_tokens_total{model="${MODEL}",direction="output"}`), sum("output_tokens"));
      assert.equal(value(`fomo_tokens_total{model="${MODEL}",direction="input"}`), sum("input_tokens"));
      assert.ok(value("fomo_insufficient_credits_total") >= 2);
      assert.equal(value("fomo_active_holds"), 0);
      assert.ok(value('fomo_requests_total{route="/v1/chat/completions",status="200"}') >= 1);
      assert.ok(value('fomo_backend_errors_total{code="internal"}') >= 1);
    });
  });
});
