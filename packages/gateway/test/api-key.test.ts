// GET /v1/key and GET /v1/me (issue 17 item 8): an API key reads its own account (balance, holds,
// available), its own spend, holds, cap and rate limits, and its usage of the current UTC day; only
// with the key; and a 402 for credits says how to top up. Requests go through the official openai
// client; the expected figures are the ledger's own records and balances, read independently.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { APIError } from "openai";
import { USD } from "@fomo/testkit/ledger";
import { TEST_PRICING } from "@fomo/testkit/pricing";
import { MODEL, startGateway, type TestGateway } from "./support/gateway.ts";

const DAY_MS = 86_400_000;
/** 2026-03-10T12:00:00Z: the gateway's and the ledger's clock, moved by hand. */
let now = Date.UTC(2026, 2, 10, 12);
let gw: TestGateway;

before(async () => {
  gw = await startGateway({ now: () => now, ledgerNow: () => now });
});
after(() => gw.close());

interface KeyView {
  data: {
    label: string;
    usage: string;
    limit: string | null;
    limit_remaining: string | null;
    key: { id: string; spent_micro_usd: string; held_micro_usd: string; spend_cap_micro_usd: string | null; rate_limit: unknown };
    account: { id: string; name: string; balance_micro_usd: string; held_micro_usd: string; available_micro_usd: string };
    usage_today: { date: string; requests: number; prompt_tokens: string; completion_tokens: string; spend_micro_usd: string };
    top_up: string;
  };
}

const get = (path: string, secret?: string) => fetch(`${gw.baseURL}${path}`, secret ? { headers: { authorization: `Bearer ${secret}` } } : {});

describe("GET /v1/key", () => {
  it("shows the key's account, spend, holds, limits and today's usage; /v1/me is the same", async () => {
    const account = await gw.ledger.accounts.create("key-reader");
    await gw.ledger.credits.add({ accountId: account.id, amount: 10n * USD, ref: "seed-key-reader" });
    const { key, secret } = await gw.ledger.keys.create({ accountId: account.id, name: "ci", spendCap: 5n * USD, rpmLimit: 60, tpmLimit: 100_000 });
    const openai = gw.client(secret);
    const complete = (id: string) => openai.completions.create({ model: MODEL, prompt: "Once upon a time", max_tokens: 8 }, { headers: { "x-request-id": id } });
    now -= DAY_MS; // yesterday's request: in the key's spend, not in today's usage
    await complete("yesterday");
    now += DAY_MS;
    await complete("today-1");
    await complete("today-2");
    // A request in flight: its hold.
    await gw.ledger.metering.reserve({ requestId: "in-flight", keyId: key.id, amount: 1_234n, modelId: MODEL, deployment: "platform", pricing: TEST_PRICING });

    const records = await Promise.all(["yesterday", "today-1", "today-2"].map(async (id) => (await gw.ledger.usage.get(`${key.id}:${id}`))!));
    const today = records.slice(1);
    const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
    const spent = sum(records.map((r) => r.priceCharged));
    const balance = 10n * USD - spent;

    const response = await get("/key", secret);
    assert.equal(response.status, 200);
    const { data } = (await response.json()) as KeyView;
    assert.deepEqual(data.account, {
      id: account.id,
      name: "key-reader",
      balance_micro_usd: String(balance),
      held_micro_usd: "1234",
      available_micro_usd: String(balance - 1_234n),
      locked_reason: null,
    });
    assert.equal(data.key.id, key.id);
    assert.equal(data.key.spent_micro_usd, String(spent));
    assert.equal(data.key.held_micro_usd, "1234");
    assert.equal(data.key.spend_cap_micro_usd, String(5n * USD));
    assert.deepEqual(data.key.rate_limit, { requests_per_minute: 60, tokens_per_minute: 100_000 });
    assert.equal(data.label, "ci");
    // OpenRouter's fields, in USD as exact decimal strings.
    const usd = (micro: bigint) => `${micro / USD}.${String(micro % USD).padStart(6, "0")}`;
    assert.equal(data.usage, usd(spent));
    assert.equal(data.limit, "5.000000");
    assert.equal(data.limit_remaining, usd(5n * USD - spent - 1_234n));
    assert.deepEqual(data.usage_today, {
      date: "2026-03-10",
      requests: 2,
      prompt_tokens: String(sum(today.map((r) => r.inputTokens))),
      completion_tokens: String(sum(today.map((r) => r.outputTokens))),
      spend_micro_usd: String(sum(today.map((r) => r.priceCharged))),
    });
    assert.match(data.top_up, /\.\/fomo credits deposit USDC/);

    const me = await get("/me", secret);
    assert.deepEqual(await me.json(), { data });
  });

  it("answers only the key itself: 401 without one or with a wrong one", async () => {
    assert.equal((await get("/key")).status, 401);
    assert.equal((await get("/me", `sk-fomo-${"0".repeat(43)}`)).status, 401);
  });

  it("a 402 for credits says how to top up; a spend cap's does not", async () => {
    const account = await gw.ledger.accounts.create("poor");
    const { secret } = await gw.ledger.keys.create({ accountId: account.id });
    const error = await gw.client(secret).completions.create({ model: MODEL, prompt: "Hi", max_tokens: 4 }).catch((e: unknown) => e);
    assert.ok(error instanceof APIError);
    assert.equal(error.status, 402);
    assert.equal(error.code, "insufficient_credits");
    assert.match(error.message, /Top up the account with `\.\/fomo credits deposit USDC --account NAME`/);
    assert.match(error.message, /GET \/api\/v1\/account\/credits\/deposit/);
    assert.match(error.message, /POST \/api\/v1\/billing\/checkout/);

    await gw.ledger.credits.add({ accountId: account.id, amount: USD, ref: "seed-poor" });
    const capped = await gw.ledger.keys.create({ accountId: account.id, spendCap: 1n });
    const cap = await gw.client(capped.secret).completions.create({ model: MODEL, prompt: "Hi", max_tokens: 4 }).catch((e: unknown) => e);
    assert.ok(cap instanceof APIError);
    assert.equal(cap.code, "spend_cap_reached");
    assert.doesNotMatch(cap.message, /Top up/);
  });
});
