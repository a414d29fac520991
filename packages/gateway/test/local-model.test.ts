// The local model is optional when upstreams serve the models (issue 17 item 3): a gateway whose
// model file is not on its search path starts on its upstreams alone ("if-found", what `fomo gateway
// --backends FILE` asks) or without it on purpose ("off", --no-local-model), and says which; a
// gateway with nothing to serve, or asked for a model file it cannot find, still refuses to start.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { defaultCatalog } from "@fomo/sdk";
import OpenAI from "openai";
import pino from "pino";
import { fundedKey, USD } from "@fomo/testkit/ledger";
import { startMockUpstream, type MockUpstream } from "@fomo/testkit/upstream";
import { Ledger, openDatabase } from "@fomo/ledger";
import { DEFAULT_MODEL_PATH } from "../src/backends/model-file.ts";
import { startGatewayServer, type GatewayServerOptions } from "../src/server.ts";

const BASE_MODEL = defaultCatalog[0]!.baseModelId;
let upstream: MockUpstream;
let dir: string;
/** A models directory without the model file. */
let emptyModels: string;

before(async () => {
  upstream = await startMockUpstream({ promptTokens: 5, completionTokens: 3 });
  dir = mkdtempSync(join(tmpdir(), "fomo-gw-local-"));
  emptyModels = mkdtempSync(join(tmpdir(), "fomo-no-models-"));
});
after(async () => {
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(emptyModels, { recursive: true, force: true });
});

const start = (opts: Partial<GatewayServerOptions>) =>
  startGatewayServer({ port: 0, dataDir: dir, logger: pino({ level: "silent" }), staleHoldSweep: false, ...opts });
const upstreams = () => [{ baseUrl: upstream.url, models: [BASE_MODEL], maxRetries: 0 }];

async function servedModels(url: string): Promise<string[]> {
  const db = await openDatabase({ dataDir: dir });
  const { secret } = await fundedKey(new Ledger(db), USD);
  await db.destroy();
  const openai = new OpenAI({ apiKey: secret, baseURL: `${url}/v1`, maxRetries: 0 });
  const ids: string[] = [];
  for await (const m of openai.models.list()) ids.push(m.id);
  const answer = await openai.chat.completions.create({ model: BASE_MODEL, messages: [{ role: "user", content: "Hi" }], max_tokens: 3 });
  assert.equal(answer.usage?.prompt_tokens, 5, "the upstream's count: the request went upstream, not to a local model");
  return ids;
}

describe("the local model is optional with upstreams", () => {
  it("if-found: no model file on the search path, the gateway starts on its upstreams and says why", async () => {
    const server = await start({ localModel: "if-found", modelSearchPath: [emptyModels], backends: upstreams() });
    try {
      assert.equal(server.localModel.served, false);
      assert.match((server.localModel as { reason: string }).reason, new RegExp(`stories260K\\.gguf is not in ${emptyModels}`));
      assert.deepEqual(await servedModels(server.url), [BASE_MODEL]);
    } finally {
      await server.close();
    }
  });

  it("if-found: the model file there is loaded", async () => {
    const server = await start({ localModel: "if-found", backends: upstreams() });
    try {
      assert.deepEqual(server.localModel, { served: true, file: DEFAULT_MODEL_PATH });
    } finally {
      await server.close();
    }
  });

  it("off: never loaded, even when its file is there", async () => {
    const server = await start({ localModel: "off", backends: upstreams() });
    try {
      assert.deepEqual(server.localModel, { served: false, reason: "the local model is off (--no-local-model)" });
      assert.deepEqual(await servedModels(server.url), [BASE_MODEL]);
    } finally {
      await server.close();
    }
  });

  it("refuses to start with nothing to serve, or without a required model file", async () => {
    await assert.rejects(start({ localModel: "off" }), /nothing to serve: the local model is off .*no backends file/);
    await assert.rejects(start({ localModel: "if-found", modelSearchPath: [emptyModels] }), /nothing to serve: the local model's file/);
    await assert.rejects(start({ modelSearchPath: [emptyModels], backends: upstreams() }), /model file stories260K\.gguf not found in/);
  });
});
