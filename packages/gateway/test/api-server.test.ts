// The gateway process (startGatewayServer): reconcile of a crashed run's holds at start, the
// platform model served at its catalog price, and logs (one line a request) that never carry keys or prompt text.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { decodeUsageReceipt, defaultCatalog, usageReceiptDomain, verifyUsageReceipt } from "@fomo/sdk";
import OpenAI from "openai";
import pino from "pino";
import type { Address } from "viem";
import { Ledger, openDatabase } from "@fomo/ledger";
import { startGatewayServer, type GatewayServer } from "../src/server.ts";
import { fundedKey, USD, type Funded } from "@fomo/testkit/ledger";
import { expectedPrice } from "./support/gateway.ts";

const PRICING = defaultCatalog[0]!.pricing;
const SECRET_PROMPT = "zebra quokka marmalade";
let dir: string;
let funded: Funded;
let server: GatewayServer;
const logs: string[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "fomo-gw-"));
  // A previous run of the same instance died holding a request with a checkpoint of 10 + 20 tokens.
  const db = await openDatabase({ dataDir: dir });
  const crashed = new Ledger(db, { instanceId: "gateway" });
  funded = await fundedKey(crashed, USD);
  await crashed.metering.reserve({ requestId: "crashed-1", keyId: funded.key.id, amount: 1000n, modelId: "stories-260k", deployment: "platform", pricing: PRICING });
  await crashed.metering.checkpoint("crashed-1", { inputTokens: 10n, outputTokens: 20n });
  await db.destroy();
  const logger = pino({ level: "debug" }, { write: (line: string) => void logs.push(line) });
  server = await startGatewayServer({ port: 0, dataDir: dir, logger });
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("gateway server", () => {
  it("reconciles the crashed run's hold at start from its checkpoint", async () => {
    const db = await openDatabase({ dataDir: dir });
    try {
      const ledger = new Ledger(db);
      assert.deepEqual(await ledger.metering.listHolds(), []);
      const record = (await ledger.usage.get("crashed-1"))!;
      assert.equal(record.source, "checkpoint");
      assert.equal(record.priceCharged, expectedPrice(PRICING, 10, 20));
    } finally {
      await db.destroy();
    }
  });

  it("serves the platform model and logs neither the key nor the prompt", async () => {
    const openai = new OpenAI({ apiKey: funded.secret, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const models = [];
    for await (const m of openai.models.list()) models.push(m.id);
    assert.deepEqual(models, [defaultCatalog[0]!.baseModelId]);
    const res = await openai.chat.completions.create(
      { model: "stories-260k", messages: [{ role: "user", content: SECRET_PROMPT }], max_tokens: 4 },
      { headers: { "x-request-id": "logged-request" } },
    );
    assert.ok(res.usage!.completion_tokens >= 1);
    const text = logs.join("");
    assert.match(text, /logged-request/);
    assert.ok(!text.includes(funded.secret), "the API key was logged");
    assert.ok(!text.includes(SECRET_PROMPT), "the prompt was logged");
  });

  it("logs one line per request, with what it was billed; its receipt, signed off the event loop, verifies", async () => {
    const openai = new OpenAI({ apiKey: funded.secret, baseURL: `${server.url}/v1`, maxRetries: 0 });
    const { data, response } = await openai.chat.completions
      .create({ model: "stories-260k", messages: [{ role: "user", content: SECRET_PROMPT }], max_tokens: 3 }, { headers: { "x-request-id": "one-line" } })
      .withResponse();
    const signed = decodeUsageReceipt(response.headers.get("x-fomo-receipt")!);
    const logged = logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const signer = logged.find((l) => l.msg === "usage receipts")!.signer as Address;
    assert.ok(await verifyUsageReceipt(usageReceiptDomain(), signed, signer));
    const lines = logged.filter((l) => l.reqId === "one-line");
    assert.deepEqual(
      lines.map(({ msg, method, route, status, inputTokens, outputTokens, costMicroUsd }) => ({ msg, method, route, status, inputTokens, outputTokens, costMicroUsd })),
      [
        {
          msg: "request completed",
          method: "POST",
          route: "/v1/chat/completions",
          status: 200,
          inputTokens: data.usage!.prompt_tokens,
          outputTokens: data.usage!.completion_tokens,
          costMicroUsd: response.headers.get("x-fomo-cost-micro-usd"),
        },
      ],
    );
    assert.equal(typeof lines[0]!.ms, "number");
  });
});

describe("FOMO_METRICS_TOKEN", () => {
  it("makes /metrics answer only its bearer token", async () => {
    const metricsDir = mkdtempSync(join(tmpdir(), "fomo-gw-metrics-"));
    process.env.FOMO_METRICS_TOKEN = "scrape-me";
    const guarded = await startGatewayServer({ port: 0, dataDir: metricsDir, logger: pino({ level: "silent" }), staleHoldSweep: false });
    try {
      const metrics = (authorization?: string) => fetch(`${guarded.url}/metrics`, authorization ? { headers: { authorization } } : {});
      assert.equal((await metrics()).status, 401);
      assert.equal((await metrics("Bearer scrape-m")).status, 401);
      const ok = await metrics("Bearer scrape-me");
      assert.equal(ok.status, 200);
      assert.match(await ok.text(), /fomo_requests_total/);
      assert.equal((await fetch(`${guarded.url}/health`)).status, 200, "/health stays open for the load balancer");
    } finally {
      delete process.env.FOMO_METRICS_TOKEN;
      await guarded.close();
      rmSync(metricsDir, { recursive: true, force: true });
    }
  });
});
