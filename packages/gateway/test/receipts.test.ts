// Usage receipts through the HTTP API, with the official `openai` client and the real local model:
// every billed request carries a receipt signed by the gateway's key that the SDK verifies and that
// equals its usage record exactly; it is stored with the record (disconnects included); the
// receipts endpoint serves only the caller's account and, once the epoch is final, a proof against
// the epoch's usage root. Also the signing key's persistence and the epoch trees.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  EPOCH_GRACE_MS,
  UTC_DAYS,
  decodeUsageReceipt,
  epochGraceMs,
  usageReceiptFromJson,
  verifyUsageProof,
  verifyUsageReceipt,
  type EpochClock,
  type SignedUsageReceipt,
  type UsageReceiptJson,
} from "@fomo/sdk";
import OpenAI, { APIError } from "openai";
import { getAddress, zeroAddress, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { UsageRecord } from "@fomo/ledger";
import { GATEWAY_KEY_FILE, epochIsFinal, epochUsage, loadGatewayKey, usageReceiptOf } from "../src/receipts/index.ts";
import { BROKEN, GATED, MODEL, PRICING, expectedPrice, startGateway, type TestGateway } from "./support/gateway.ts";
import { fundedKey, USD, type Funded } from "@fomo/testkit/ledger";

const PROMPT = "Once upon a time, there was a little";
/** A UTC day in ms: an epoch of a gateway with no chain (UTC_DAYS). */
const EPOCH_MS = Number(UTC_DAYS.length) * 1_000;
const MESSAGES = [{ role: "user" as const, content: "Tell me about a cat." }];

/** The SDK's verdict on a compact receipt from this gateway, and the receipt itself. */
async function verified(gw: TestGateway, encoded: string | null | undefined): Promise<SignedUsageReceipt> {
  assert.ok(encoded, "a receipt was delivered");
  const signed = decodeUsageReceipt(encoded);
  assert.ok(await verifyUsageReceipt(gw.signer.domain, signed, gw.signer.address), "signed by the gateway's key");
  return signed;
}

/** The receipt says exactly what the usage record says, and is stored with it. */
function assertMatchesRecord(signed: SignedUsageReceipt, record: UsageRecord | undefined): asserts record {
  assert.ok(record, "billed");
  assert.deepEqual(signed.receipt, {
    requestId: record.requestId,
    modelId: record.modelId,
    account: record.accountId,
    deployment: zeroAddress,
    inputTokens: record.inputTokens,
    outputTokens: record.outputTokens,
    costMicroUsd: record.priceCharged,
    timestamp: BigInt(Math.floor(record.createdAt / 1000)),
  });
  assert.equal(record.receiptSignature, signed.signature, "stored signature equals the delivered one");
}

describe("receipts on responses", () => {
  let gw: TestGateway;
  let funded: Funded;
  let openai: OpenAI;
  before(async () => {
    gw = await startGateway();
    funded = await fundedKey(gw.ledger, 10n * USD);
    openai = gw.client(funded.secret);
  });
  after(() => gw.close());
  const usageOf = (requestId: string) => gw.ledger.usage.get(`${funded.key.id}:${requestId}`);

  it("non-streaming: the x-fomo-receipt header verifies and equals the usage record, to the micro-USD", async () => {
    for (const [kind, call] of [
      ["chat", () => openai.chat.completions.create({ model: MODEL, messages: MESSAGES, max_tokens: 12 }, { headers: { "x-request-id": "r-chat" } }).withResponse()],
      ["completion", () => openai.completions.create({ model: MODEL, prompt: PROMPT, max_tokens: 12 }, { headers: { "x-request-id": "r-cmpl" } }).withResponse()],
    ] as const) {
      const { data, response } = await call();
      const signed = await verified(gw, response.headers.get("x-fomo-receipt"));
      const record = await usageOf(kind === "chat" ? "r-chat" : "r-cmpl");
      assertMatchesRecord(signed, record);
      assert.equal(signed.receipt.inputTokens, BigInt(data.usage!.prompt_tokens));
      assert.equal(signed.receipt.outputTokens, BigInt(data.usage!.completion_tokens));
      assert.equal(signed.receipt.costMicroUsd, expectedPrice(PRICING, data.usage!.prompt_tokens, data.usage!.completion_tokens));
      assert.equal(response.headers.get("x-fomo-cost-micro-usd"), signed.receipt.costMicroUsd.toString());
      assert.equal(signed.receipt.account, funded.accountId);
      assert.equal(signed.receipt.modelId, MODEL);
    }
  });

  it("streaming with include_usage: the usage chunk, the last one, carries the receipt", async () => {
    const stream = await openai.chat.completions.create(
      { model: MODEL, messages: MESSAGES, max_tokens: 12, stream: true, stream_options: { include_usage: true } },
      { headers: { "x-request-id": "r-stream-usage" } },
    );
    const chunks: Array<Record<string, unknown>> = [];
    for await (const chunk of stream) chunks.push(chunk as unknown as Record<string, unknown>);
    const last = chunks.at(-1)!;
    assert.ok(last.usage, "the last chunk is the usage chunk");
    assert.ok(chunks.slice(0, -1).every((c) => c.fomo_receipt === undefined), "only the last chunk carries it");
    const signed = await verified(gw, last.fomo_receipt as string);
    const usage = last.usage as { prompt_tokens: number; completion_tokens: number };
    assert.equal(signed.receipt.outputTokens, BigInt(usage.completion_tokens));
    assertMatchesRecord(signed, await usageOf("r-stream-usage"));
  });

  it("streaming without include_usage: the finish chunk, the last one, carries the receipt", async () => {
    const stream = await openai.completions.create(
      { model: MODEL, prompt: PROMPT, max_tokens: 12, stream: true },
      { headers: { "x-request-id": "r-stream" } },
    );
    const chunks: Array<Record<string, unknown> & { choices: Array<{ finish_reason: string | null }> }> = [];
    for await (const chunk of stream) chunks.push(chunk as never);
    const last = chunks.at(-1)!;
    assert.ok(last.choices[0]!.finish_reason, "the last chunk is the finish chunk");
    assert.ok(chunks.slice(0, -1).every((c) => c.fomo_receipt === undefined));
    assertMatchesRecord(await verified(gw, last.fomo_receipt as string), await usageOf("r-stream"));
  });

  it("an error after streaming started: the error event carries the receipt of what was billed", async () => {
    const stream = await openai.chat.completions.create(
      { model: BROKEN, messages: MESSAGES, max_tokens: 50, stream: true },
      { headers: { "x-request-id": "r-broken" } },
    );
    const error = await (async () => {
      for await (const _ of stream);
    })().catch((e: unknown) => e);
    assert.ok(error instanceof APIError);
    const signed = await verified(gw, (error.error as { fomo_receipt?: string }).fomo_receipt);
    const record = await usageOf("r-broken");
    assertMatchesRecord(signed, record);
    assert.equal(signed.receipt.outputTokens, 7n);
  });

  it("a client that disconnects mid-stream is billed with a stored, signed receipt", async () => {
    const stream = await openai.completions.create(
      { model: GATED, prompt: PROMPT, max_tokens: 400, temperature: 0, stream: true },
      { headers: { "x-request-id": "r-gone" } },
    );
    let deltas = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.text && ++deltas === 3) {
        stream.controller.abort();
        break;
      }
    }
    const requestId = `${funded.key.id}:r-gone`;
    // Settlement happens server-side once the abort is noticed: wait until the hold is gone (no timing).
    while (await gw.ledger.metering.getHold(requestId)) await new Promise((resolve) => setImmediate(resolve));
    const record = (await gw.ledger.usage.get(requestId))!;
    assert.equal(record.finishReason, "client_disconnect");
    assert.ok(record.receiptSignature, "signed although nobody was listening");
    const signed = { receipt: usageReceiptOf(record), signature: record.receiptSignature as Hex };
    assert.ok(await verifyUsageReceipt(gw.signer.domain, signed, gw.signer.address));
    // The endpoint hands the same receipt to its owner later.
    const { receipt } = await getReceipt(gw, funded.secret, "r-gone");
    assert.deepEqual(usageReceiptFromJson(receipt), signed);
  });
});

// ------------------------------------------------------------------ the endpoint

interface ReceiptResponse {
  object: string;
  receipt: UsageReceiptJson;
  encoded: string;
  signer: string;
  epoch: number | null;
  final: boolean;
  usage_root: Hex | null;
  proof: Hex[] | null;
}

async function getReceipt(gw: TestGateway, secret: string | null, id: string): Promise<ReceiptResponse>;
async function getReceipt(gw: TestGateway, secret: string | null, id: string, status: number): Promise<{ error: { code: string | null; message: string } }>;
async function getReceipt(gw: TestGateway, secret: string | null, id: string, status = 200): Promise<unknown> {
  const response = await fetch(`${gw.baseURL}/receipts/${encodeURIComponent(id)}`, secret ? { headers: { authorization: `Bearer ${secret}` } } : {});
  assert.equal(response.status, status, `GET /v1/receipts/${id}`);
  return response.json();
}

describe("GET /v1/receipts/{request_id}", () => {
  // Usage is recorded two days ago: its epoch is final and the endpoint proves it.
  const DAYS_AGO = 2 * EPOCH_MS;
  let gw: TestGateway;
  let alice: Funded;
  let bob: Funded;
  before(async () => {
    gw = await startGateway({ ledgerNow: () => Date.now() - DAYS_AGO });
    alice = await fundedKey(gw.ledger, USD);
    bob = await fundedKey(gw.ledger, USD);
  });
  after(() => gw.close());

  const complete = (f: Funded, id: string) =>
    gw.client(f.secret).completions.create({ model: MODEL, prompt: PROMPT, max_tokens: 4 }, { headers: { "x-request-id": id } }).withResponse();

  it("serves the caller's own receipt, by its x-request-id or its full request id, with a proof once the epoch is final", async () => {
    const { response } = await complete(alice, "a-1");
    for (const id of ["b-1", "b-2", "b-3"]) await complete(bob, id);
    const delivered = response.headers.get("x-fomo-receipt")!;
    const byShortId = await getReceipt(gw, alice.secret, "a-1");
    const signed = decodeUsageReceipt(delivered);
    const byFullId = await getReceipt(gw, alice.secret, signed.receipt.requestId);
    assert.deepEqual(byFullId, byShortId);
    assert.equal(byShortId.object, "usage_receipt");
    assert.equal(byShortId.encoded, delivered);
    assert.deepEqual(usageReceiptFromJson(byShortId.receipt), signed);
    assert.equal(byShortId.signer, gw.signer.address);
    assert.ok(byShortId.final);
    assert.equal(byShortId.epoch, Math.floor((await gw.ledger.usage.get(signed.receipt.requestId))!.createdAt / EPOCH_MS));

    // The proof links the receipt to the root of its epoch's tree, which holds all four requests.
    const usage = (await epochUsage(gw.ledger, UTC_DAYS, BigInt(byShortId.epoch!))).get(zeroAddress)!;
    assert.equal(usage.tree.receipts.length, 4);
    assert.equal(byShortId.usage_root, usage.tree.root);
    assert.ok(verifyUsageProof(byShortId.usage_root!, signed.receipt, byShortId.proof!));
    assert.equal(verifyUsageProof(byShortId.usage_root!, { ...signed.receipt, costMicroUsd: signed.receipt.costMicroUsd + 1n }, byShortId.proof!), false);
    assert.equal(usage.gross, usage.tree.receipts.reduce((sum, r) => sum + r.costMicroUsd, 0n));
  });

  it("404s another account's request, whichever id is given; serves another key of the same account", async () => {
    await complete(alice, "a-2");
    const aliceReceipt = await getReceipt(gw, alice.secret, "a-2");
    for (const id of ["a-2", aliceReceipt.receipt.requestId]) {
      const { error } = await getReceipt(gw, bob.secret, id, 404);
      assert.equal(error.code, "receipt_not_found");
    }
    await getReceipt(gw, alice.secret, "never-made", 404);
    await getReceipt(gw, null, "a-2", 401);
    const second = await gw.ledger.keys.create({ accountId: alice.accountId });
    assert.deepEqual(await getReceipt(gw, second.secret, aliceReceipt.receipt.requestId), aliceReceipt);
  });

  it("gives no proof before the epoch is final, and signs (and stores) a receipt settled without one", async () => {
    const today = await startGateway();
    try {
      const f = await fundedKey(today.ledger, USD);
      // Settled by the ledger directly, as reconcile does after a crash: no receipt signed yet.
      const requestId = `${f.key.id}:reconciled`;
      await today.ledger.metering.reserve({ requestId, keyId: f.key.id, amount: 1_000n, modelId: MODEL, deployment: "platform", pricing: PRICING });
      await today.ledger.metering.settle(requestId, { inputTokens: 3n, outputTokens: 2n, source: "checkpoint" });
      assert.equal((await today.ledger.usage.get(requestId))!.receiptSignature, null);
      const body = await getReceipt(today, f.secret, "reconciled");
      assert.equal(body.final, false);
      assert.equal(body.usage_root, null);
      assert.equal(body.proof, null);
      const signed = usageReceiptFromJson(body.receipt);
      assert.ok(await verifyUsageReceipt(today.signer.domain, signed, today.signer.address));
      assert.equal((await today.ledger.usage.get(requestId))!.receiptSignature, signed.signature);
    } finally {
      await today.close();
    }
  });
});

describe("GET /v1/receipts/{request_id} on a chain's epoch clock", () => {
  // 60-s epochs (`fomo up --epoch-seconds 60`), all inside one UTC day: counted in UTC days, every
  // record below would share one epoch and one tree, none of which the keeper reports.
  const clock: EpochClock = { start: 1_700_000_000n, length: 60n };
  const startMs = Number(clock.start) * 1_000;
  const EPOCH = 60_000;

  it("puts a receipt in the chain's epoch, final after its end and its grace, proven against that epoch's records only", async () => {
    let recordedAt = startMs - 1;
    let now = startMs;
    const gw = await startGateway({ epochClock: clock, ledgerNow: () => recordedAt, now: () => now });
    try {
      const f = await fundedKey(gw.ledger, USD);
      const settleAt = async (id: string, ms: number) => {
        recordedAt = ms;
        await gw.client(f.secret).completions.create({ model: MODEL, prompt: PROMPT, max_tokens: 3 }, { headers: { "x-request-id": id } });
      };
      await settleAt("before-start", startMs - 1);
      await settleAt("e1-first", startMs + EPOCH);
      await settleAt("e1-last", startMs + 2 * EPOCH - 1);
      await settleAt("e2", startMs + 2 * EPOCH);

      // A 60-s epoch's grace is the 1-s floor (10 minutes a day of epoch would be 417 ms), as the keeper waits.
      assert.equal(epochGraceMs(clock), 1_000);
      now = startMs + 2 * EPOCH + epochGraceMs(clock) - 1;
      const early = await getReceipt(gw, f.secret, "e1-first");
      assert.deepEqual([early.epoch, early.final, early.usage_root, early.proof], [1, false, null, null]);

      now += 1;
      const body = await getReceipt(gw, f.secret, "e1-first");
      assert.deepEqual([body.epoch, body.final], [1, true]);
      const usage = (await epochUsage(gw.ledger, clock, 1n)).get(zeroAddress)!;
      assert.deepEqual(usage.tree.receipts.map((r) => r.requestId.split(":")[1]).sort(), ["e1-first", "e1-last"]);
      assert.equal(body.usage_root, usage.tree.root);
      const signed = usageReceiptFromJson(body.receipt);
      assert.ok(verifyUsageProof(body.usage_root!, signed.receipt, body.proof!));

      const next = await getReceipt(gw, f.secret, "e2");
      assert.deepEqual([next.epoch, next.final, next.proof], [2, false, null], "the next epoch is not final yet");
      // Settled before the schedule started: in no epoch, so nothing will ever prove it.
      const orphan = await getReceipt(gw, f.secret, "before-start");
      assert.deepEqual([orphan.epoch, orphan.final, orphan.usage_root, orphan.proof], [null, true, null, null]);
    } finally {
      await gw.close();
    }
  });

  it("answers 503 chain_unavailable while the clock cannot be read from chain, and the receipt once it can", async () => {
    let answers = false;
    const gw = await startGateway({
      epochClock: () => (answers ? Promise.resolve(clock) : Promise.reject(new Error("connection refused"))),
      ledgerNow: () => startMs + 3 * EPOCH + 5,
    });
    try {
      const f = await fundedKey(gw.ledger, USD);
      await gw.client(f.secret).completions.create({ model: MODEL, prompt: PROMPT, max_tokens: 3 }, { headers: { "x-request-id": "r" } });
      const { error } = await getReceipt(gw, f.secret, "r", 503);
      assert.equal(error.code, "chain_unavailable");
      answers = true;
      const body = await getReceipt(gw, f.secret, "r");
      assert.deepEqual([body.epoch, body.final], [3, true]);
    } finally {
      await gw.close();
    }
  });
});

// ------------------------------------------------------------------ epochs and keys

describe("epoch usage trees", () => {
  it("group an epoch's records by deployment; other days stay out", async () => {
    const MT = getAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    let clock = 10 * EPOCH_MS + 1_000;
    const gw = await startGateway({ ledgerNow: () => clock, deployment: MT.toLowerCase() });
    try {
      const f = await fundedKey(gw.ledger, USD);
      const openai = gw.client(f.secret);
      for (const id of ["d10-a", "d10-b"]) await openai.completions.create({ model: MODEL, prompt: PROMPT, max_tokens: 3 }, { headers: { "x-request-id": id } });
      clock = 11 * EPOCH_MS; // the next day's first millisecond
      await openai.completions.create({ model: MODEL, prompt: PROMPT, max_tokens: 3 }, { headers: { "x-request-id": "d11" } });

      const day10 = await epochUsage(gw.ledger, UTC_DAYS, 10n);
      assert.deepEqual([...day10.keys()], [MT], "keyed by the checksummed $MT address");
      const usage = day10.get(MT)!;
      const records = await gw.ledger.usage.listEpoch(10);
      assert.deepEqual(records.map((r) => r.requestId.split(":")[1]).sort(), ["d10-a", "d10-b"]);
      assert.equal(usage.gross, records[0]!.priceCharged + records[1]!.priceCharged);
      assert.equal(usage.hardCost, records[0]!.hardCost + records[1]!.hardCost);
      for (const r of records) assert.ok(verifyUsageProof(usage.tree.root, usageReceiptOf(r), usage.tree.proof(r.requestId)!));
      assert.deepEqual((await gw.ledger.usage.listEpoch(11, MT.toLowerCase())).map((r) => r.requestId.split(":")[1]), ["d11"]);
      assert.equal((await epochUsage(gw.ledger, UTC_DAYS, 9n)).size, 0);
    } finally {
      await gw.close();
    }
  });

  it("are final only after the day and its grace period", () => {
    assert.equal(epochIsFinal(UTC_DAYS, 10n, 11 * EPOCH_MS + EPOCH_GRACE_MS - 1), false);
    assert.equal(epochIsFinal(UTC_DAYS, 10n, 11 * EPOCH_MS + EPOCH_GRACE_MS), true);
  });
});

describe("the gateway's signing key", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "fomo-key-"));
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("is generated once into the data dir with mode 0600, then reused", () => {
    const dir = tempDir();
    const first = loadGatewayKey({ dataDir: dir });
    assert.equal(first.source, "generated");
    assert.equal(statSync(join(dir, GATEWAY_KEY_FILE)).mode & 0o777, 0o600);
    const again = loadGatewayKey({ dataDir: dir });
    assert.equal(again.source, "file");
    assert.equal(again.account.address, first.account.address);
  });

  it("comes from FOMO_GATEWAY_KEY when set, and a bad one is refused without echoing it", () => {
    const key = generatePrivateKey();
    const loaded = loadGatewayKey({ dataDir: tempDir(), envKey: key });
    assert.equal(loaded.source, "env");
    assert.equal(loaded.account.address, privateKeyToAccount(key).address);
    const bad = key.slice(0, -1);
    assert.throws(() => loadGatewayKey({ dataDir: tempDir(), envKey: bad }), (e: Error) => /FOMO_GATEWAY_KEY must be/.test(e.message) && !e.message.includes(bad.slice(2)));
  });

  it("refuses a key file other users can read", () => {
    const dir = tempDir();
    writeFileSync(join(dir, GATEWAY_KEY_FILE), generatePrivateKey());
    chmodSync(join(dir, GATEWAY_KEY_FILE), 0o644);
    assert.throws(() => loadGatewayKey({ dataDir: dir }), /readable by other users/);
  });
});
