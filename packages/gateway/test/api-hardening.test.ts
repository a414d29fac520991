// The outside reviewer's bad-input findings, each as the request that broke the gateway: paths the
// router decodes but an URL-prefix check did not (sent on a raw socket, since clients normalise
// paths), a prompt that stalled the event loop, messages without content, parameters silently
// ignored, unlimited failed authentication, a replaced x-request-id, 404 for a wrong method, the
// context length the docs state, an open /metrics, and a non-streamed generation lost in a crash.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BadRequestError } from "openai";
import { REPO_ROOT } from "../src/backends/models.ts";
import { Ledger } from "@fomo/ledger";
import { LocalBackend } from "../src/backends/local.ts";
import { GatedBackend, MODEL, startGateway, type TestGateway } from "./support/gateway.ts";
import { fundedKey, USD, type Funded } from "@fomo/testkit/ledger";

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One HTTP/1.1 request with the path written exactly as given (no client normalises it). */
function rawRequest(port: number, method: string, path: string, { body, headers = {} }: { body?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (data) => chunks.push(data));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const [statusLine = "", ...headerLines] = head.split("\r\n");
      const parsed: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(":");
        parsed[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine.split(" ")[1]), headers: parsed, body: rest.join("\r\n\r\n") });
    });
    const lines = [`${method} ${path} HTTP/1.1`, "host: 127.0.0.1", "connection: close"];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    if (body !== undefined) lines.push("content-type: application/json", `content-length: ${Buffer.byteLength(body)}`);
    // Not end(): a half-closed socket makes the server drop a response still being computed.
    socket.write(`${lines.join("\r\n")}\r\n\r\n${body ?? ""}`);
  });
}

/** A concrete path of a route: every parameter filled. */
const concrete = (url: string) => url.replace(/:(\w+)/g, (_, name: string) => (name === "id" ? MODEL : "x"));

/** Spellings of a path that a router may map back onto it: percent-encoding, dot segments, double slashes, case. */
function variants(path: string): string[] {
  const out = new Set<string>([path, `${path}/`, `${path}?a=1`, `/${path}`, path.toUpperCase(), path.replace("/v1", "/V1")]);
  const segments = path.split("/").slice(1);
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === "/") continue;
    const hex = c.charCodeAt(0).toString(16);
    out.add(`${path.slice(0, i)}%${hex}${path.slice(i + 1)}`);
    out.add(`${path.slice(0, i)}%${hex.toUpperCase()}${path.slice(i + 1)}`);
  }
  out.add("/" + segments.map((s) => [...s].map((c) => `%${c.charCodeAt(0).toString(16)}`).join("")).join("/"));
  for (let i = 0; i <= segments.length; i++) {
    const before = segments.slice(0, i).join("/");
    const rest = segments.slice(i).join("/");
    const join2 = (middle: string) => `/${[before, middle, rest].filter((s) => s !== "").join("/")}`;
    out.add(join2("."));
    out.add(join2("x/.."));
    out.add(join2("%2e"));
    out.add(join2("x/%2e%2e"));
    out.add(join2(""));
    out.add(`/${before}${before ? "/" : ""}/${rest}`);
  }
  out.add(path.replace(/\//g, "%2F"));
  out.add(path.replace("/v1/", "/v1%2F"));
  return [...out];
}

describe("API hardening", () => {
  let gw: TestGateway;
  let port: number;
  let funded: Funded;
  let broke: Funded;
  before(async () => {
    gw = await startGateway({ metricsToken: "metrics-secret" });
    port = Number(new URL(gw.baseURL).port);
    funded = await fundedKey(gw.ledger, 10n * USD);
    broke = await fundedKey(gw.ledger, 0n);
  });
  after(() => gw.close());

  const post = (path: string, body: unknown, key?: string, headers: Record<string, string> = {}) =>
    rawRequest(port, "POST", path, { body: JSON.stringify(body), headers: { ...headers, ...(key ? { authorization: `Bearer ${key}` } : {}) } });
  const balance = async (f: Funded) => (await gw.ledger.accounts.get(f.accountId)).balance;
  const errorOf = (response: RawResponse) => (JSON.parse(response.body) as { error: { param: string | null; code: string | null; message: string } }).error;

  describe("authentication by route (finding 1)", () => {
    it("every /v1 route, spelled any way the router accepts, answers 401 without a key", async () => {
      const routes = gw.app.apiRoutes.filter((r) => r.authenticated);
      assert.ok(routes.length >= 6, `routes: ${JSON.stringify(gw.app.apiRoutes)}`);
      const body = { model: MODEL, messages: [{ role: "user", content: "hi" }], prompt: "hi", input: "hi", max_tokens: 1 };
      let reachedThroughAVariant = 0;
      for (const route of routes) {
        const path = concrete(route.url);
        for (const variant of variants(path)) {
          const response = await rawRequest(port, route.method, variant, route.method === "POST" ? { body: JSON.stringify(body) } : {});
          assert.ok([400, 401, 404].includes(response.status), `${route.method} ${variant} (route ${route.url}) answered ${response.status}: ${response.body}`);
          if (response.status === 401 && variant !== path) reachedThroughAVariant++;
        }
        const straight = await rawRequest(port, route.method, path, route.method === "POST" ? { body: JSON.stringify(body) } : {});
        assert.equal(straight.status, 401, `${route.method} ${path}`);
      }
      // The variants do reach the routes (the router decodes them): the 401s above are the auth, not a miss.
      assert.ok(reachedThroughAVariant > routes.length, `only ${reachedThroughAVariant} variants reached a route`);
    });

    it("the reviewer's requests: /%761/models and /v%31/models/stories-260k are 401, chat and receipts never reach a handler", async () => {
      for (const path of ["/%761/models", `/v%31/models/${MODEL}`, "/%761/receipts/x"]) {
        assert.equal((await rawRequest(port, "GET", path)).status, 401, path);
      }
      const chat = await post("/%761/chat/completions", { model: MODEL, messages: [{ role: "user", content: "hi" }] });
      assert.equal(chat.status, 401);
    });
  });

  describe("one request cannot stall the gateway (finding 2)", () => {
    // Just under the 4 MiB body limit once in its JSON body.
    const big = "Once upon a time ".repeat(250_000).slice(0, 4 * 1024 * 1024 - 1024);

    /** Counts calls of the local model's tokenizer while `run` runs. */
    async function tokenizations(run: () => Promise<void>): Promise<number> {
      const original = gw.local.tokenize;
      let calls = 0;
      gw.local.tokenize = function (this: typeof gw.local, text: string) {
        calls++;
        return original.call(this, text);
      };
      try {
        await run();
      } finally {
        gw.local.tokenize = original;
      }
      return calls;
    }

    it("a zero-credit key gets 402 before its prompt is tokenized, whatever its size", async () => {
      const calls = await tokenizations(async () => {
        for (const prompt of ["Once upon a time", big]) {
          const response = await post("/v1/completions", { model: MODEL, prompt, max_tokens: 4 }, broke.secret);
          assert.equal(response.status, 402, response.body);
          assert.equal(errorOf(response).code, "insufficient_credits");
          const chat = await post("/v1/chat/completions", { model: MODEL, messages: [{ role: "user", content: prompt }] }, broke.secret);
          assert.equal(chat.status, 402, chat.body);
        }
      });
      assert.equal(calls, 0, "no tokenization for an account that cannot pay the smallest request");
    });

    it("a prompt longer than the context could hold is a 400 naming it, without tokenizing it", async () => {
      const info = gw.local.models[0]!;
      const before = await balance(funded);
      const calls = await tokenizations(async () => {
        const response = await post("/v1/completions", { model: MODEL, prompt: big, max_tokens: 4 }, funded.secret);
        assert.equal(response.status, 400, response.body);
        assert.deepEqual([errorOf(response).param, errorOf(response).code], ["prompt", "context_length_exceeded"]);
        const chat = await post("/v1/chat/completions", { model: MODEL, messages: [{ role: "user", content: [{ type: "text", text: big }] }] }, funded.secret);
        assert.equal(chat.status, 400, chat.body);
        assert.deepEqual([errorOf(chat).param, errorOf(chat).code], ["messages", "context_length_exceeded"]);
        // Just past the bound is refused unseen too; the bound is the model's, not a constant.
        const past = "a".repeat(info.contextLength * info.maxCharsPerToken! + 1);
        assert.equal((await post("/v1/completions", { model: MODEL, prompt: past }, funded.secret)).status, 400);
      });
      assert.equal(calls, 0);
      assert.equal(await balance(funded), before);
    });

    it("the bound is sound: no prompt has fewer tokens than its characters / maxCharsPerToken", () => {
      const per = gw.local.models[0]!.maxCharsPerToken!;
      const pieces = [" friend", "the", " ", "  ", "€", "你好", "😀", "\n", "\t", "a", "ing", "Once upon a time", "\u0000", "\u200b", "z"];
      let seed = 11;
      const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (let i = 0; i < 2_000; i++) {
        let text = "";
        for (let n = 1 + Math.floor(next() * 80); n > 0; n--) text += pieces[Math.floor(next() * pieces.length)];
        assert.ok(gw.local.tokenize(text).length * per >= text.length, JSON.stringify(text));
      }
      // Every piece of the vocabulary, repeated: the worst case the bound is computed from.
      assert.ok(gw.local.tokenize(" friend".repeat(200)).length * per >= 1_400);
    });
  });

  describe("messages follow OpenAI's rules per role (finding 3)", () => {
    const cases: [string, unknown[], string][] = [
      ["a user message without content", [{ role: "user" }], "messages[0].content"],
      ["a system message with null content", [{ role: "system", content: null }, { role: "user", content: "hi" }], "messages[0].content"],
      ["an assistant message with neither content nor tool calls", [{ role: "user", content: "hi" }, { role: "assistant" }], "messages[1].content"],
      [
        "a tool message without tool_call_id",
        [{ role: "user", content: "hi" }, { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }] }, { role: "tool", content: "42" }],
        "messages[2].tool_call_id",
      ],
      ["a user message with a number as content", [{ role: "user", content: 5 }], "messages[0].content"],
    ];
    for (const [name, messages, param] of cases) {
      it(`400 naming ${param} for ${name}`, async () => {
        const response = await post("/v1/chat/completions", { model: MODEL, messages, max_tokens: 2 }, funded.secret);
        assert.equal(response.status, 400, response.body);
        assert.equal(errorOf(response).param, param);
      });
    }

    it("accepts the tool conversation every OpenAI client sends: an assistant turn with tool_calls and no content", async () => {
      const before = await balance(funded);
      const completion = await gw.client(funded.secret).chat.completions.create({
        model: MODEL,
        max_tokens: 4,
        messages: [
          { role: "user", content: "What is the weather?" },
          { role: "assistant", tool_calls: [{ id: "call_1", type: "function", function: { name: "weather", arguments: "{}" } }] },
          { role: "tool", tool_call_id: "call_1", content: "sunny" },
        ],
      });
      assert.equal(completion.choices.length, 1);
      assert.ok(completion.usage!.prompt_tokens > 0);
      assert.ok(before - (await balance(funded)) > 0n, "served and billed");
    });
  });

  describe("parameters the model cannot honour are refused, never billed (finding 4)", () => {
    const chat = { model: MODEL, messages: [{ role: "user", content: "hi" }], max_tokens: 2 };
    const tool = { type: "function", function: { name: "f", parameters: { type: "object" } } };
    const refused: [string, string, Record<string, unknown>, string][] = [
      ["chat", "tools", { tools: [tool] }, "tools"],
      ["chat", "tools with tool_choice required", { tools: [tool], tool_choice: "required" }, "tools"],
      ["chat", "tool_choice naming a function", { tool_choice: { type: "function", function: { name: "f" } } }, "tool_choice"],
      ["chat", "functions", { functions: [{ name: "f" }] }, "functions"],
      ["chat", "response_format json_object", { response_format: { type: "json_object" } }, "response_format"],
      ["chat", "response_format json_schema", { response_format: { type: "json_schema", json_schema: { name: "x", schema: {} } } }, "response_format"],
      ["chat", "logprobs", { logprobs: true }, "logprobs"],
      ["chat", "top_logprobs", { top_logprobs: 2 }, "top_logprobs"],
      ["chat", "logit_bias", { logit_bias: { "50": 10 } }, "logit_bias"],
      ["chat", "audio output", { modalities: ["text", "audio"] }, "modalities"],
      ["completion", "logprobs", { logprobs: 2 }, "logprobs"],
      ["completion", "echo", { echo: true }, "echo"],
      ["completion", "best_of", { best_of: 3 }, "best_of"],
      ["completion", "suffix", { suffix: " the end" }, "suffix"],
    ];
    for (const [kind, name, extra, param] of refused) {
      it(`${kind}: 400 naming ${param} for ${name}`, async () => {
        const before = await balance(funded);
        const body = kind === "chat" ? { ...chat, ...extra } : { model: MODEL, prompt: "Once", max_tokens: 2, ...extra };
        const response = await post(kind === "chat" ? "/v1/chat/completions" : "/v1/completions", body, funded.secret);
        assert.equal(response.status, 400, response.body);
        assert.deepEqual([errorOf(response).param, errorOf(response).code], [param, "unsupported_parameter"]);
        assert.equal(await balance(funded), before, "nothing charged");
      });
    }

    it("accepts their 'off' values: response_format text, logprobs false, tool_choice none, n 1", async () => {
      const response = await post(
        "/v1/chat/completions",
        { ...chat, response_format: { type: "text" }, logprobs: false, tool_choice: "none", n: 1, logit_bias: {} },
        funded.secret,
      );
      assert.equal(response.status, 200, response.body);
    });

    it("through the official client: tools are a BadRequestError naming them", async () => {
      const error = await gw
        .client(funded.secret)
        .chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }], tools: [{ type: "function", function: { name: "f" } }], tool_choice: "required" })
        .catch((e: unknown) => e);
      assert.ok(error instanceof BadRequestError);
      assert.equal(error.param, "tools");
    });
  });

  describe("smaller findings (5)", () => {
    it("an invalid x-request-id is a 400 naming it, not silently replaced", async () => {
      for (const id of ["has space", "x".repeat(129), "semi;colon"]) {
        const response = await post("/v1/completions", { model: MODEL, prompt: "Once", max_tokens: 1 }, funded.secret, { "x-request-id": id });
        assert.equal(response.status, 400, `${id}: ${response.body}`);
        assert.equal(errorOf(response).param, "x-request-id");
      }
      const ok = await post("/v1/completions", { model: MODEL, prompt: "Once", max_tokens: 1 }, funded.secret, { "x-request-id": "good-id.1:a" });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers["x-request-id"], "good-id.1:a");
    });

    it("a wrong method on a known path is 405 with an allow header, for every route", async () => {
      const byUrl = new Map<string, string[]>();
      for (const r of gw.app.apiRoutes) byUrl.set(r.url, [...(byUrl.get(r.url) ?? []), r.method]);
      for (const [url, methods] of byUrl) {
        const wrong = methods.includes("POST") ? "GET" : "POST";
        const response = await rawRequest(port, wrong, concrete(url), wrong === "POST" ? { body: "{}" } : {});
        assert.equal(response.status, 405, `${wrong} ${url}: ${response.body}`);
        const allow = response.headers.allow!.split(", ");
        for (const m of methods) assert.ok(allow.includes(m), `${url} allow: ${response.headers.allow}`);
        assert.ok(!allow.includes(wrong));
        assert.equal(errorOf(response).code, "method_not_allowed");
      }
      assert.equal((await rawRequest(port, "DELETE", "/v1/nothing-here")).status, 404, "unknown paths stay 404");
    });

    it("failed authentication is limited per client address: 429 with retry-after, a known key still served", async () => {
      const limitedGw = await startGateway({ failedAuthPerMinute: 5 });
      try {
        const limitedPort = Number(new URL(limitedGw.baseURL).port);
        const good = await fundedKey(limitedGw.ledger, USD);
        const models = (key: string) => rawRequest(limitedPort, "GET", "/v1/models", { headers: { authorization: `Bearer ${key}` } });
        // The good key authenticates first: cached, it needs no ledger lookup, so no token of the bucket.
        assert.equal((await models(good.secret)).status, 200);
        const responses: RawResponse[] = [];
        for (let i = 0; i < 12; i++) responses.push(await models(`sk-fomo-${"0".repeat(40)}${i}`));
        const statuses = responses.map((r) => r.status);
        assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
        assert.deepEqual([...new Set(statuses.slice(5))], [429]);
        const limited = responses[5]!;
        assert.ok(Number(limited.headers["retry-after"]) >= 1);
        assert.deepEqual([JSON.parse(limited.body).error.type, errorOf(limited).code], ["rate_limit_error", "auth_rate_limit_exceeded"]);
        assert.equal((await models(good.secret)).status, 200);
      } finally {
        await limitedGw.close();
      }
    });

    it("a burst on a key not yet cached is one ledger lookup, so the failed-auth limit never refuses a good key", async () => {
      const limitedGw = await startGateway({ failedAuthPerMinute: 5 });
      try {
        const limitedPort = Number(new URL(limitedGw.baseURL).port);
        const good = await fundedKey(limitedGw.ledger, USD);
        // A slow ledger (a busy PostgreSQL): every request of the burst arrives while the first lookup runs.
        const keys = limitedGw.ledger.keys;
        const authenticate = keys.authenticate.bind(keys);
        let lookups = 0;
        keys.authenticate = async (raw) => {
          lookups++;
          await new Promise((resolve) => setTimeout(resolve, 200));
          return authenticate(raw);
        };
        const burst = await Promise.all(
          Array.from({ length: 20 }, () => rawRequest(limitedPort, "GET", "/v1/models", { headers: { authorization: `Bearer ${good.secret}` } })),
        );
        assert.deepEqual([...new Set(burst.map((r) => r.status))], [200], burst.map((r) => r.body).find((b) => !b.startsWith("{\"object\"")));
        assert.equal(lookups, 1);
      } finally {
        await limitedGw.close();
      }
    });

    it("the context-length error and docs/api.md state the model's real limit", async () => {
      const { contextLength } = gw.local.models[0]!;
      const response = await post("/v1/completions", { model: MODEL, prompt: "Once upon a time", max_tokens: contextLength }, funded.secret);
      assert.equal(response.status, 400);
      assert.match(errorOf(response).message, new RegExp(`maximum context length is ${contextLength} tokens`));
      const docs = readFileSync(join(REPO_ROOT, "docs/api.md"), "utf8");
      const stated = docs.match(/`stories-260k`[^\n]*?context of (\d+) tokens/);
      assert.ok(stated, "docs/api.md states stories-260k's context");
      assert.equal(Number(stated[1]), contextLength);
    });

    it("/metrics requires its bearer token when one is configured", async () => {
      assert.equal((await rawRequest(port, "GET", "/metrics")).status, 401);
      assert.equal((await rawRequest(port, "GET", "/metrics", { headers: { authorization: "Bearer wrong" } })).status, 401);
      const ok = await rawRequest(port, "GET", "/metrics", { headers: { authorization: "Bearer metrics-secret" } });
      assert.equal(ok.status, 200);
      assert.match(ok.body, /fomo_requests_total/);
    });
  });

  describe("crash policy (finding 6)", () => {
    it("a stream that dies right after its first delta bills that delta and the prompt, never more", async () => {
      const FIRST_ONLY = "stories-260k-first-delta";
      const local = await LocalBackend.create({ parallel: 1 });
      const paused = await startGateway({ routes: new Map([[FIRST_ONLY, new GatedBackend(local, 1, FIRST_ONLY)]]) });
      try {
        const key = await fundedKey(paused.ledger, USD);
        const abort = new AbortController();
        const stream = await paused
          .client(key.secret)
          .completions.create({ model: FIRST_ONLY, prompt: "Once upon a time", max_tokens: 64, stream: true }, { headers: { "x-request-id": "first" }, signal: abort.signal });
        const iterator = stream[Symbol.asyncIterator]();
        let firstText = "";
        while (firstText === "") firstText = (await iterator.next()).value!.choices[0]!.text;
        // The server holds the generation after that delta: the process "dies" here; the restart reconciles.
        const { settled } = await new Ledger(paused.db).metering.reconcile();
        abort.abort();
        await iterator.return?.();
        const record = settled.find((r) => r.requestId === `${key.key.id}:first`);
        assert.ok(record, "billed from a checkpoint, not released");
        assert.equal(record.outputTokens, 1n, "one delta delivered: one token billed (a delta is at least one token)");
        assert.equal(record.inputTokens, BigInt(local.tokenize("Once upon a time").length));
      } finally {
        await paused.close();
        await local.close();
      }
    });

    it("a non-streamed generation is checkpointed as it runs: a crash before the settle bills what was generated, never more", async () => {
      const probe = await fundedKey(gw.ledger, 10n * USD);
      const body = { model: MODEL, prompt: "Once upon a time", max_tokens: 48, temperature: 0 };
      // The same deterministic request, served normally: what the crashed one generated.
      const served = await gw.client(probe.secret).completions.create(body);
      const generated = served.usage!.completion_tokens;
      assert.ok(generated >= 4, `only ${generated} tokens`);

      // "Crash": the process never gets to settle (as if SIGKILLed between generating and settling).
      const settle = gw.ledger.metering.settle;
      gw.ledger.metering.settle = () => new Promise(() => {});
      const abort = new AbortController();
      try {
        const pending = gw.client(funded.secret).completions.create(body, { headers: { "x-request-id": "crash-nonstream" }, signal: abort.signal }).catch(() => undefined);
        const requestId = `${funded.key.id}:crash-nonstream`;
        let hold;
        for (let i = 0; i < 200; i++) {
          hold = (await gw.ledger.metering.listHolds()).find((h) => h.requestId === requestId);
          if (hold?.checkpoint && hold.checkpoint.outputTokens >= BigInt(generated - (generated % 2))) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        abort.abort();
        await pending;
        // The restarted process: reconcile settles the hold from its checkpoint.
        const restarted = new Ledger(gw.db);
        const { settled } = await restarted.metering.reconcile();
        const record = settled.find((r) => r.requestId === requestId);
        assert.ok(record, "the crashed request is billed from its checkpoint, not released");
        assert.equal(record.source, "checkpoint");
        assert.equal(record.inputTokens, BigInt(served.usage!.prompt_tokens));
        assert.ok(record.outputTokens >= 1n && record.outputTokens <= BigInt(generated), `${record.outputTokens} of ${generated}`);
        // Checkpoints every 2 tokens here (the test gateway's setting): at most one step behind.
        assert.ok(record.outputTokens >= BigInt(generated - 2), `${record.outputTokens} of ${generated}`);
      } finally {
        gw.ledger.metering.settle = settle;
      }
    });
  });
});
