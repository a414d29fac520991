// Stripe top-ups: a Checkout Session created through the real `stripe` client (against a local
// server speaking Stripe's HTTP API), and the webhook: signed payloads (Stripe's own
// generateTestHeaderString) credit a paid session's account exactly once; tampered, stale or unpaid
// ones credit nothing. On SQLite and PostgreSQL.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, it } from "node:test";
import Stripe from "stripe";
import { createPublicClient, http, type PublicClient } from "viem";
import { API_PREFIX, SESSION_COOKIE } from "../src/index.ts";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { platformUnderTest } from "./support/platform.ts";
import { startStripeApi, type StripeApi } from "./support/stripe-api.ts";

const SECRET_KEY = "sk_test_platform_0123456789";
const WEBHOOK_SECRET = `whsec_${randomBytes(24).toString("base64url")}`;
const TOLERANCE_S = 300;
/** Stripe's client only computes signatures here: no key, no network. */
const signer = new Stripe("sk_test_unused");

let stripeApi: StripeApi;
before(async () => {
  stripeApi = await startStripeApi(SECRET_KEY);
});
after(() => stripeApi?.close());

describeEachDatabase("platform billing", (suite) => {
  const t = platformUnderTest(suite, () => ({
    // Billing never touches the chain.
    publicClient: createPublicClient({ transport: http("http://127.0.0.1:9") }) as PublicClient,
    siwe: { domain: "app.fomo.test", chainId: 31_337 },
    session: { secureCookie: false },
    billing: {
      secretKey: SECRET_KEY,
      webhookSecret: WEBHOOK_SECRET,
      successUrl: "https://app.fomo.test/billing/done",
      cancelUrl: "https://app.fomo.test/billing",
      webhookToleranceSeconds: TOLERANCE_S,
      api: stripeApi.api,
    },
  }));

  let accounts = 0;
  const newAccount = async () => {
    const account = await t.ledger.accounts.create(`billing-${++accounts}`);
    const { token } = await t.ledger.sessions.create({ accountId: account.id, wallet: `0x${"1".repeat(39)}${accounts % 10}`, ttlMs: 3_600_000 });
    return { id: account.id, cookie: token };
  };

  /** A Checkout Session event as Stripe sends it (the fields the platform reads, and some it does not). */
  const sessionEvent = (
    type: string,
    session: { id?: string; accountId: string; cents: number; paymentStatus: "paid" | "unpaid" | "no_payment_required"; currency?: string },
  ) => {
    const id = session.id ?? `cs_test_${randomBytes(8).toString("hex")}`;
    return {
      id: `evt_${randomBytes(12).toString("hex")}`,
      object: "event",
      type,
      created: Math.floor(t.now / 1000),
      livemode: false,
      data: {
        object: {
          id,
          object: "checkout.session",
          mode: "payment",
          client_reference_id: session.accountId,
          metadata: { account_id: session.accountId },
          amount_total: session.cents,
          currency: session.currency ?? "usd",
          payment_status: session.paymentStatus,
          status: "complete",
        },
      },
    };
  };

  /** POST the payload with a Stripe-Signature header signed at `signedAt` (epoch s; default now). */
  const deliver = (payload: string, options: { signedAt?: number; header?: string; body?: string } = {}) => {
    const header = options.header ?? signer.webhooks.generateTestHeaderString({
      payload,
      secret: WEBHOOK_SECRET,
      timestamp: options.signedAt ?? Math.floor(t.now / 1000),
    });
    return t.app.inject({
      method: "POST",
      url: `${API_PREFIX}/billing/stripe/webhook`,
      // As Stripe sends it: no session, no CSRF header (the signature authenticates it).
      headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": header },
      payload: options.body ?? payload,
    });
  };

  const balance = async (accountId: string) => (await t.ledger.accounts.get(accountId)).balance;

  it("creates a Checkout Session naming the signed-in account, through Stripe's client", async () => {
    const { id, cookie } = await newAccount();
    const response = await t.api({ method: "POST", url: "/billing/checkout", cookies: { [SESSION_COOKIE]: cookie }, payload: { amount_cents: 2_500 } });
    assert.equal(response.statusCode, 200, response.body);
    const request = stripeApi.requests.at(-1)!;
    assert.equal(request.authorization, `Bearer ${SECRET_KEY}`);
    assert.equal(request.path, "/v1/checkout/sessions");
    assert.deepEqual(
      {
        mode: request.form.mode,
        client_reference_id: request.form.client_reference_id,
        account_metadata: request.form["metadata[account_id]"],
        amount: request.form["line_items[0][price_data][unit_amount]"],
        currency: request.form["line_items[0][price_data][currency]"],
        quantity: request.form["line_items[0][quantity]"],
        success_url: request.form.success_url,
      },
      { mode: "payment", client_reference_id: id, account_metadata: id, amount: "2500", currency: "usd", quantity: "1", success_url: "https://app.fomo.test/billing/done" },
    );
    assert.match(response.json().checkout_session_id, /^cs_test_/);
    assert.equal(response.json().url, `https://checkout.stripe.com/c/pay/${response.json().checkout_session_id}`);

    assert.equal((await t.api({ method: "POST", url: "/billing/checkout", payload: { amount_cents: 2_500 } })).statusCode, 401);
    const tooSmall = await t.api({ method: "POST", url: "/billing/checkout", cookies: { [SESSION_COOKIE]: cookie }, payload: { amount_cents: 499 } });
    assert.equal(tooSmall.statusCode, 400);
    const fractional = await t.api({ method: "POST", url: "/billing/checkout", cookies: { [SESSION_COOKIE]: cookie }, payload: { amount_cents: 1000.5 } });
    assert.equal(fractional.statusCode, 400);
  });

  it("gives a retried checkout POST the same session (Stripe idempotency key from the account and the request)", async () => {
    const a = await newAccount();
    const b = await newAccount();
    const checkout = async (who: { cookie: string }, cents: number, clientKey?: string) => {
      const response = await t.api({
        method: "POST", url: "/billing/checkout", cookies: { [SESSION_COOKIE]: who.cookie }, payload: { amount_cents: cents },
        ...(clientKey === undefined ? {} : { headers: { "idempotency-key": clientKey } }),
      });
      assert.equal(response.statusCode, 200, response.body);
      return { id: response.json().checkout_session_id as string, key: stripeApi.requests.at(-1)!.idempotencyKey };
    };
    // Without a header: the same account and amount within the retry window is one top-up.
    const first = await checkout(a, 2_500);
    const retried = await checkout(a, 2_500);
    assert.ok(first.key, "an idempotency key is sent to Stripe");
    assert.equal(retried.id, first.id, "a retried POST does not create a second session");
    assert.notEqual((await checkout(a, 3_000)).id, first.id, "another amount is another top-up");
    assert.notEqual((await checkout(b, 2_500)).id, first.id, "another account never gets this account's session");
    t.now += 60_000;
    assert.notEqual((await checkout(a, 2_500)).id, first.id, "a top-up a window later is a new one");
    // With the client's own key: one session per key, in any window.
    const keyed = await checkout(a, 2_500, "topup-1");
    t.now += 5 * 60_000;
    assert.equal((await checkout(a, 2_500, "topup-1")).id, keyed.id);
    assert.notEqual((await checkout(a, 2_500, "topup-2")).id, keyed.id);
    assert.notEqual((await checkout(b, 2_500, "topup-1")).id, keyed.id, "the same client key on another account");
    const tooLong = await t.api({
      method: "POST", url: "/billing/checkout", cookies: { [SESSION_COOKIE]: a.cookie }, payload: { amount_cents: 2_500 },
      headers: { "idempotency-key": "k".repeat(256) },
    });
    assert.equal(tooLong.statusCode, 400);
  });

  it("credits a paid session once: cents to micro-USD, one ledger entry with the session as its ref", async () => {
    const { id } = await newAccount();
    const event = sessionEvent("checkout.session.completed", { accountId: id, cents: 1_234, paymentStatus: "paid" });
    const response = await deliver(JSON.stringify(event));
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), { received: true, credited: true });
    assert.equal(await balance(id), 12_340_000n, "$12.34 = 12,340,000 micro-USD");
    const entries = await t.ledger.credits.listEntries(id);
    assert.deepEqual(entries.map((e) => ({ kind: e.kind, amount: e.amount, ref: e.ref, memo: e.memo })), [
      { kind: "deposit", amount: 12_340_000n, ref: `stripe:${event.data.object.id}`, memo: `Stripe checkout.session.completed ${event.id}` },
    ]);
  });

  it("credits a replayed event once", async () => {
    const { id } = await newAccount();
    const payload = JSON.stringify(sessionEvent("checkout.session.completed", { accountId: id, cents: 500, paymentStatus: "paid" }));
    const header = signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp: Math.floor(t.now / 1000) });
    assert.deepEqual((await deliver(payload, { header })).json(), { received: true, credited: true });
    t.now += 10_000;
    assert.deepEqual((await deliver(payload, { header })).json(), { received: true, credited: false }, "same event, same signature");
    assert.deepEqual((await deliver(payload)).json(), { received: true, credited: false }, "same event, signed again (Stripe's retry)");
    assert.equal(await balance(id), 5_000_000n);
    assert.equal((await t.ledger.credits.listEntries(id)).length, 1);
  });

  it("refuses a tampered payload (400) and credits nothing", async () => {
    const { id } = await newAccount();
    const payload = JSON.stringify(sessionEvent("checkout.session.completed", { accountId: id, cents: 500, paymentStatus: "paid" }));
    const tampered = payload.replace('"amount_total":500', '"amount_total":500000');
    assert.notEqual(tampered, payload);
    const response = await deliver(payload, { body: tampered });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(response.json().error.code, "invalid_webhook");
    const wrongSecret = signer.webhooks.generateTestHeaderString({ payload, secret: "whsec_guess", timestamp: Math.floor(t.now / 1000) });
    assert.equal((await deliver(payload, { header: wrongSecret })).statusCode, 400);
    assert.equal((await deliver(payload, { header: "garbage" })).statusCode, 400);
    assert.equal(await balance(id), 0n);
  });

  it("refuses a signature older than the tolerance (400), accepts one just inside it", async () => {
    const { id } = await newAccount();
    const now = Math.floor(t.now / 1000);
    const stale = JSON.stringify(sessionEvent("checkout.session.completed", { accountId: id, cents: 700, paymentStatus: "paid" }));
    const response = await deliver(stale, { signedAt: now - TOLERANCE_S - 1 });
    assert.equal(response.statusCode, 400, response.body);
    assert.match(response.json().error.message, /tolerance/);
    assert.equal(await balance(id), 0n);
    const fresh = JSON.stringify(sessionEvent("checkout.session.completed", { accountId: id, cents: 700, paymentStatus: "paid" }));
    assert.equal((await deliver(fresh, { signedAt: now - TOLERANCE_S })).statusCode, 200);
    assert.equal(await balance(id), 7_000_000n);
  });

  it("credits an unpaid session only when its async payment succeeds", async () => {
    const { id } = await newAccount();
    const session = { id: `cs_test_${randomBytes(8).toString("hex")}`, accountId: id, cents: 10_000 };
    const completed = await deliver(JSON.stringify(sessionEvent("checkout.session.completed", { ...session, paymentStatus: "unpaid" })));
    assert.deepEqual(completed.json(), { received: true, credited: false });
    assert.equal(await balance(id), 0n, "a bank debit still pending credits nothing");
    const failed = await deliver(JSON.stringify(sessionEvent("checkout.session.async_payment_failed", { ...session, paymentStatus: "unpaid" })));
    assert.deepEqual(failed.json(), { received: true, credited: false });
    const succeeded = await deliver(JSON.stringify(sessionEvent("checkout.session.async_payment_succeeded", { ...session, paymentStatus: "paid" })));
    assert.deepEqual(succeeded.json(), { received: true, credited: true });
    assert.equal(await balance(id), 100_000_000n);
    // Another event for the same paid session (a different event id) cannot credit it twice.
    const duplicate = await deliver(JSON.stringify(sessionEvent("checkout.session.completed", { ...session, paymentStatus: "paid" })));
    assert.deepEqual(duplicate.json(), { received: true, credited: false });
    assert.equal(await balance(id), 100_000_000n);
  });

  it("credits nothing for other currencies, other event types or sessions naming no account", async () => {
    const { id } = await newAccount();
    const deliveries = [
      sessionEvent("checkout.session.completed", { accountId: id, cents: 500, paymentStatus: "paid", currency: "eur" }),
      sessionEvent("checkout.session.completed", { accountId: id, cents: 0, paymentStatus: "no_payment_required" }),
      sessionEvent("checkout.session.expired", { accountId: id, cents: 500, paymentStatus: "unpaid" }),
      sessionEvent("checkout.session.completed", { accountId: "acct_nobody", cents: 500, paymentStatus: "paid" }),
    ];
    for (const event of deliveries) {
      const response = await deliver(JSON.stringify(event));
      assert.deepEqual(response.json(), { received: true, credited: false }, event.type);
    }
    assert.equal(await balance(id), 0n);
  });

  it("never echoes the signing secret, even when Stripe's error message would", async () => {
    const payload = JSON.stringify(sessionEvent("checkout.session.completed", { accountId: "acct_x", cents: 500, paymentStatus: "paid" }));
    // A header that claims a masked secret of another length: Stripe's message then quotes our secret's end.
    const header = `t=${Math.floor(t.now / 1000)},v1=${"0".repeat(64)},secret=whsec_****abcd`;
    const suffix = WEBHOOK_SECRET.slice(-4);
    assert.throws(() => signer.webhooks.constructEvent(payload, header, WEBHOOK_SECRET, TOLERANCE_S), (e: Error) => e.message.includes(suffix));
    const response = await deliver(payload, { header });
    assert.equal(response.statusCode, 400);
    assert.ok(!response.body.includes(suffix), response.body);
  });

  it("takes an event larger than the API's 64 KiB body limit", async () => {
    const { id } = await newAccount();
    const event = sessionEvent("checkout.session.completed", { accountId: id, cents: 600, paymentStatus: "paid" });
    const large = { ...event, data: { object: { ...event.data.object, metadata: { account_id: id, notes: "x".repeat(100_000) } } } };
    const response = await deliver(JSON.stringify(large));
    assert.deepEqual(response.json(), { received: true, credited: true });
    assert.equal(await balance(id), 6_000_000n);
  });

  it("keeps other routes on ordinary JSON parsing", async () => {
    const response = await t.api({ method: "POST", url: "/billing/checkout", headers: { "content-type": "application/json" }, payload: "{not json" });
    assert.equal(response.statusCode, 400);
  });
});
