// The account API under /api/v1, on SQLite and PostgreSQL: sessions (no cookie, a signed-out or
// ended session → 401), the CSRF check (a cross-site request is refused, 403), API keys (the secret
// shown once, limits, revocation, another account's key unknown), credits (balance, holds, deposit
// instructions), usage (logs with cursor pagination, daily sums per key and model, CSV), members,
// every route's bad input (400 with the field named), rate limits, and the OpenAPI document.
import assert from "node:assert/strict";
import { it } from "node:test";
import { Ledger } from "@fomo/ledger";
import { accountIdOf } from "@fomo/sdk";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { USD, reserveOn } from "@fomo/testkit/ledger";
import { openApiChecker } from "@fomo/testkit/openapi";
import { TEST_PRICING, tokens } from "@fomo/testkit/pricing";
import { createPublicClient, http, type Address, type PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { API_PREFIX, CSRF_HEADER, SESSION_COOKIE, buildPlatform } from "../src/index.ts";
import { platformUnderTest } from "./support/platform.ts";

// Nothing here verifies a signature: sessions are opened through the ledger, as /auth/verify would after one.
const unusedChain = () => createPublicClient({ transport: http("http://127.0.0.1:9") }) as PublicClient;
const DEPOSITS = {
  chainId: 31337,
  creditDeposits: "0x00000000000000000000000000000000000000C1" as Address,
  usdc: "0x00000000000000000000000000000000000000C2" as Address,
  usdcDecimals: 6,
};
const DAY = 86_400_000;

describeEachDatabase("platform account API", (suite) => {
  const t = platformUnderTest(suite, () => ({
    publicClient: unusedChain(),
    siwe: { domain: "app.fomo.test", chainId: 31337 },
    session: { secureCookie: true, ttlMs: 3_600_000 },
    deposits: DEPOSITS,
  }));

  /** A new account signed in with a new wallet: its id, wallet and session cookie. */
  const signedIn = async () => {
    const account = await t.ledger.accounts.create(`team-${Math.random().toString(36).slice(2)}`);
    const wallet = privateKeyToAccount(generatePrivateKey()).address.toLowerCase();
    await t.ledger.wallets.bind({ accountId: account.id, wallet, proof: "cli" });
    const { token } = await t.ledger.sessions.create({ accountId: account.id, wallet, ttlMs: 3_600_000 });
    return { id: account.id, wallet, cookie: token, cookies: { [SESSION_COOKIE]: token } };
  };
  const rejected = (response: { statusCode: number; json(): any; body: string }, status: number, code: string, message?: RegExp) => {
    assert.equal(response.statusCode, status, response.body);
    assert.equal(response.json().error.code, code);
    if (message) assert.match(response.json().error.message, message);
  };

  const ACCOUNT_ROUTES: Array<[method: "GET" | "POST" | "PATCH" | "DELETE", url: string]> = [
    ["GET", "/account"], ["GET", "/account/members"], ["GET", "/account/wallets"], ["DELETE", "/account/sessions"],
    ["DELETE", "/account/wallets/0x0000000000000000000000000000000000000001"], ["GET", "/account/keys"], ["POST", "/account/keys"],
    ["GET", "/account/keys/key_x"], ["PATCH", "/account/keys/key_x"], ["DELETE", "/account/keys/key_x"], ["GET", "/account/credits"], ["GET", "/account/credits/entries"],
    ["GET", "/account/credits/deposit"], ["GET", "/account/usage"], ["GET", "/account/usage/daily"], ["GET", "/account/usage.csv"],
  ];

  it("answers 401 on every account route without a session, with a malformed one, and after it ends", async () => {
    for (const [method, url] of ACCOUNT_ROUTES) {
      rejected(await t.api({ method, url, payload: method === "POST" || method === "PATCH" ? {} : undefined }), 401, "unauthenticated");
      rejected(await t.api({ method, url, cookies: { [SESSION_COOKIE]: "fomo_sess_forged" } }), 401, "unauthenticated");
    }
    // Signing out deletes the session row: the same cookie no longer works.
    const me = await signedIn();
    assert.equal((await t.api({ method: "GET", url: "/account", cookies: me.cookies })).statusCode, 200);
    // /auth/session says so with a 200 either way (a signed-out page logs no 401).
    const live = await t.api({ method: "GET", url: "/auth/session", cookies: me.cookies });
    assert.equal(live.statusCode, 200, live.body);
    assert.deepEqual([live.json().signed_in, live.json().account_id, live.json().wallet], [true, me.id, me.wallet]);
    const out = await t.api({ method: "POST", url: "/auth/logout", cookies: me.cookies });
    assert.equal(out.statusCode, 200, out.body);
    rejected(await t.api({ method: "GET", url: "/account", cookies: me.cookies }), 401, "unauthenticated");
    for (const cookies of [me.cookies, undefined, { [SESSION_COOKIE]: "fomo_sess_forged" }]) {
      const ended = await t.api({ method: "GET", url: "/auth/session", cookies });
      assert.equal(ended.statusCode, 200, ended.body);
      assert.deepEqual(ended.json(), { signed_in: false });
    }
    // Ending every session of an account ends them all, on every wallet.
    const other = await signedIn();
    const second = await t.ledger.sessions.create({ accountId: other.id, wallet: other.wallet, ttlMs: 3_600_000 });
    const ended = await t.api({ method: "DELETE", url: "/account/sessions", cookies: other.cookies });
    assert.equal(ended.json().sessions_ended, 2);
    rejected(await t.api({ method: "GET", url: "/account", cookies: other.cookies }), 401, "unauthenticated");
    rejected(await t.api({ method: "GET", url: "/account", cookies: { [SESSION_COOKIE]: second.token } }), 401, "unauthenticated");
    // An expired one too.
    const late = await signedIn();
    t.now += 3_600_000;
    rejected(await t.api({ method: "GET", url: "/account", cookies: late.cookies }), 401, "unauthenticated");
  });

  it("refuses a cross-site state-changing request (403 csrf_refused) and changes nothing", async () => {
    const me = await signedIn();
    const create = (headers: Record<string, string>) =>
      t.app.inject({ method: "POST", url: `${API_PREFIX}/account/keys`, cookies: me.cookies, headers, payload: { name: "x" } });
    // A form another site posts carries no custom header.
    rejected(await create({ origin: "https://evil.example", "sec-fetch-site": "cross-site" }), 403, "csrf_refused", /X-FOMO-CSRF/);
    rejected(await create({}), 403, "csrf_refused", /no x-fomo-csrf header/);
    // Even with the header, a browser that says the page is another site's is refused.
    rejected(await create({ [CSRF_HEADER]: "1", "sec-fetch-site": "cross-site" }), 403, "csrf_refused", /cross-site/);
    // A cross-site sign-out is refused too (the session survives).
    const logout = await t.app.inject({ method: "POST", url: `${API_PREFIX}/auth/logout`, cookies: me.cookies, headers: { "sec-fetch-site": "cross-site" } });
    rejected(logout, 403, "csrf_refused");
    assert.deepEqual(await t.ledger.keys.list(me.id), [], "no key created");
    assert.equal((await t.api({ method: "GET", url: "/account", cookies: me.cookies })).statusCode, 200, "still signed in");
    // The platform's own page: same-origin with the header.
    const own = await create({ [CSRF_HEADER]: "1", "sec-fetch-site": "same-origin" });
    assert.equal(own.statusCode, 201, own.body);
    // Reads need no header.
    assert.equal((await t.app.inject({ method: "GET", url: `${API_PREFIX}/account/keys`, cookies: me.cookies })).statusCode, 200);
  });

  it("creates an API key shown once, lists it without the secret, revokes it; another account's key is unknown", async () => {
    const me = await signedIn();
    const created = await t.api({
      method: "POST", url: "/account/keys", cookies: me.cookies,
      payload: { name: "ci", spend_cap_micro_usd: "25000000", rpm_limit: 60, tpm_limit: 100_000 },
    });
    assert.equal(created.statusCode, 201, created.body);
    const matchesOpenApi = await openApiChecker(t.app, API_PREFIX);
    matchesOpenApi("POST", "/account/keys", created);
    assert.equal(created.headers["cache-control"], "no-store");
    const { key, secret } = created.json();
    assert.match(secret, /^sk-fomo-/);
    // The secret is a working key of this account, with the limits asked for.
    const authenticated = await t.ledger.keys.authenticate(secret);
    assert.deepEqual(
      { account: authenticated.accountId, cap: authenticated.spendCap, rpm: authenticated.rpmLimit, tpm: authenticated.tpmLimit },
      { account: me.id, cap: 25n * USD, rpm: 60, tpm: 100_000 },
    );
    assert.deepEqual(
      { id: key.id, name: key.name, cap: key.spend_cap_micro_usd, spent: key.spent_micro_usd, revoked: key.revoked_at },
      { id: authenticated.id, name: "ci", cap: "25000000", spent: "0", revoked: null },
    );
    const listed = await t.api({ method: "GET", url: "/account/keys", cookies: me.cookies });
    matchesOpenApi("GET", "/account/keys", listed);
    matchesOpenApi("GET", "/account", await t.api({ method: "GET", url: "/account", cookies: me.cookies }));
    assert.deepEqual(listed.json().data.map((k: { id: string }) => k.id), [key.id]);
    assert.ok(!listed.body.includes(secret) && !listed.body.includes(secret.slice(-20)), "never the secret again");
    assert.equal((await t.api({ method: "GET", url: `/account/keys/${key.id}`, cookies: me.cookies })).json().prefix, key.prefix);

    const stranger = await signedIn();
    rejected(await t.api({ method: "DELETE", url: `/account/keys/${key.id}`, cookies: stranger.cookies }), 404, "not_found");
    rejected(await t.api({ method: "GET", url: `/account/keys/${key.id}`, cookies: stranger.cookies }), 404, "not_found");
    assert.equal((await t.ledger.keys.get(key.id)).revokedAt, null, "a stranger cannot revoke it");

    // Limits change on a live key: a field given replaces, null removes, one left out stays.
    const patched = await t.api({ method: "PATCH", url: `/account/keys/${key.id}`, cookies: me.cookies, payload: { spend_cap_micro_usd: "1000000", rpm_limit: null } });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual([patched.json().spend_cap_micro_usd, patched.json().rpm_limit, patched.json().tpm_limit], ["1000000", null, 100_000]);
    // The ledger enforces the new cap: a 3 USD hold no longer fits under 1 USD.
    await t.ledger.credits.add({ accountId: me.id, amount: 10n * USD, ref: `cap-${me.id}` });
    await assert.rejects(reserveOn(t.ledger, key.id, `capped-${me.id}`, 3n * USD), { code: "spend_cap_reached" });
    rejected(await t.api({ method: "PATCH", url: `/account/keys/${key.id}`, cookies: stranger.cookies, payload: { rpm_limit: 1 } }), 404, "not_found");

    const revoked = await t.api({ method: "DELETE", url: `/account/keys/${key.id}`, cookies: me.cookies });
    assert.equal(revoked.statusCode, 200, revoked.body);
    matchesOpenApi("GET", "/account/keys", await t.api({ method: "GET", url: "/account/keys", cookies: me.cookies }));
    assert.equal(revoked.json().revoked_at, new Date(t.now).toISOString());
    await assert.rejects(t.ledger.keys.authenticate(secret), { code: "key_revoked" });
    rejected(await t.api({ method: "PATCH", url: `/account/keys/${key.id}`, cookies: me.cookies, payload: { rpm_limit: 5 } }), 409, "key_revoked");
    const live = await t.api({ method: "GET", url: "/account/keys?include_revoked=false", cookies: me.cookies });
    assert.deepEqual(live.json().data, []);
  });

  it("answers bad input with 400 invalid_request naming the field", async () => {
    const me = await signedIn();
    const { key } = await t.ledger.keys.create({ accountId: me.id });
    const bad: Array<[method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload: unknown, message: RegExp]> = [
      ["PATCH", `/account/keys/${key.id}`, {}, /body must NOT have fewer than 1 properties/],
      ["PATCH", `/account/keys/${key.id}`, { rpm_limit: 0 }, /body\/rpm_limit must be >= 1/],
      ["PATCH", `/account/keys/${key.id}`, { spend_cap_micro_usd: "ten" }, /body\/spend_cap_micro_usd must match pattern/],
      ["POST", "/account/keys", { spend_cap_micro_usd: "1.5" }, /spend_cap_micro_usd must match pattern/],
      ["POST", "/account/keys", { spend_cap_micro_usd: "-5" }, /spend_cap_micro_usd must match pattern/],
      ["POST", "/account/keys", { rpm_limit: 0 }, /rpm_limit must be >= 1/],
      ["POST", "/account/keys", { tpm_limit: 1.5 }, /tpm_limit must be integer/],
      ["POST", "/account/keys", { name: "" }, /name must NOT have fewer than 1 characters/],
      ["POST", "/account/keys", { secret: "mine" }, /must NOT have additional properties/],
      ["GET", "/account/keys/not-a-key", undefined, /params\/id must match pattern/],
      ["DELETE", "/account/wallets/0x123", undefined, /params\/address must match pattern/],
      ["GET", "/account/keys?limit=0", undefined, /querystring\/limit must be >= 1/],
      ["GET", "/account/keys?limit=201", undefined, /querystring\/limit must be <= 200/],
      ["GET", "/account/keys?cursor=not*base64", undefined, /querystring\/cursor must match pattern/],
      ["GET", "/account/keys?cursor=bm9wZQ", undefined, /cursor is not one this API issued/],
      ["GET", "/account/keys?colour=red", undefined, /must NOT have additional properties/],
      ["GET", "/account/credits/entries?limit=x", undefined, /querystring\/limit must be integer/],
      ["GET", "/account/usage?since=yesterday", undefined, /querystring\/since must match format "date-time"/],
      ["GET", "/account/usage?since=2026-12-04T00:00:00Z&until=2026-12-03T00:00:00Z", undefined, /until must not be before since/],
      ["GET", "/account/usage?cursor=eyJvZmZzZXQiOjF9", undefined, /cursor is not one this API issued/],
      ["GET", "/account/usage/daily?model=", undefined, /querystring\/model must NOT have fewer than 1 characters/],
      ["GET", "/account/usage.csv?key_id=", undefined, /querystring\/key_id must NOT have fewer than 1 characters/],
      ["POST", "/account/wallets", { message: "hi" }, /must have required property 'signature'/],
      ["POST", "/auth/verify", { message: "hi", signature: "0xzz" }, /body\/signature must match pattern/],
    ];
    const matchesOpenApi = await openApiChecker(t.app, API_PREFIX);
    for (const [method, url, payload, message] of bad) {
      const response = await t.api({ method, url, cookies: me.cookies, ...(payload === undefined ? {} : { payload: payload as object }) });
      rejected(response, 400, "invalid_request", message);
    }
    matchesOpenApi("POST", "/account/keys", await t.api({ method: "POST", url: "/account/keys", cookies: me.cookies, payload: { rpm_limit: 0 } }));
    assert.deepEqual((await t.ledger.keys.list(me.id)).map((k) => k.id), [key.id], "nothing created by a bad request");
    assert.deepEqual(await t.ledger.keys.get(key.id), key, "nor changed");
  });

  it("shows credits: balance, holds in flight, entries newest first, and how to deposit", async () => {
    const me = await signedIn();
    await t.ledger.credits.add({ accountId: me.id, amount: 40n * USD, ref: `seed-${me.id}` });
    const { key } = await t.ledger.keys.create({ accountId: me.id });
    await reserveOn(t.ledger, key.id, `req-${me.id}`, 3n * USD);
    const credits = (await t.api({ method: "GET", url: "/account/credits", cookies: me.cookies })).json();
    assert.deepEqual(
      { balance: credits.balance_micro_usd, held: credits.held_micro_usd, available: credits.available_micro_usd },
      { balance: "40000000", held: "3000000", available: "37000000" },
    );
    assert.deepEqual(credits.holds.map((h: { request_id: string; amount_micro_usd: string; key_id: string }) => [h.request_id, h.amount_micro_usd, h.key_id]), [
      [`req-${me.id}`, "3000000", key.id],
    ]);
    await t.ledger.metering.settle(`req-${me.id}`, { ...tokens(1_000n, 1_000n), source: "tokenizer" });
    const entries = (await t.api({ method: "GET", url: "/account/credits/entries", cookies: me.cookies })).json();
    assert.deepEqual(entries.data.map((e: { kind: string }) => e.kind), ["usage", "deposit"]);
    const deposit = (await t.api({ method: "GET", url: "/account/credits/deposit", cookies: me.cookies })).json();
    // The bytes32 the indexer credits this account for: accountIdOf(its id).
    assert.equal(deposit.usdc.deposit_key, accountIdOf(me.id));
    assert.equal((await t.ledger.db.selectFrom("accounts").select("deposit_key").where("id", "=", me.id).executeTakeFirstOrThrow()).deposit_key, accountIdOf(me.id));
    assert.deepEqual(
      { contract: deposit.usdc.contract, token: deposit.usdc.token, chain: deposit.usdc.chain_id, card: deposit.card },
      { contract: DEPOSITS.creditDeposits, token: DEPOSITS.usdc, chain: 31337, card: null },
    );
  });

  it("pages usage logs newest first by cursor, every record once; sums per day, key and model; exports CSV", async () => {
    const me = await signedIn();
    const start = Date.UTC(2026, 10, 1);
    await t.ledger.credits.add({ accountId: me.id, amount: 1_000n * USD, ref: `seed-${me.id}` });
    const keys = [(await t.ledger.keys.create({ accountId: me.id, name: "a" })).key, (await t.ledger.keys.create({ accountId: me.id, name: "b" })).key];
    // 11 requests over 3 days, two keys, two models; times from this ledger's own clock.
    const at = { now: start };
    const ledger = new Ledger(t.ledger.db, { now: () => at.now });
    const expected: Array<{ id: string; day: string; key: string; model: string; charged: bigint; input: bigint }> = [];
    for (let i = 0; i < 11; i++) {
      at.now = start + Math.floor(i / 4) * DAY + i * 60_000;
      const key = keys[i % 2]!;
      const model = i % 3 === 0 ? "model-x" : "model-y";
      const id = `use-${me.id}-${i}`;
      await ledger.metering.reserve({ requestId: id, keyId: key.id, amount: 5n * USD, modelId: model, deployment: "platform", pricing: TEST_PRICING });
      const record = await ledger.metering.settle(id, { ...tokens(1_000n * BigInt(i + 1), 100n), source: "tokenizer" });
      expected.push({ id, day: new Date(at.now).toISOString().slice(0, 10), key: key.id, model, charged: record.priceCharged, input: record.inputTokens });
    }
    // Pages of 4: 4 + 4 + 3, newest first, then no cursor.
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = (await t.api({ method: "GET", url: `/account/usage?limit=4${cursor ? `&cursor=${cursor}` : ""}`, cookies: me.cookies })).json();
      seen.push(...page.data.map((r: { request_id: string }) => r.request_id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, expected.map((e) => e.id).reverse());
    // Filters.
    const ofKey = (await t.api({ method: "GET", url: `/account/usage?key_id=${keys[1]!.id}&model=model-y`, cookies: me.cookies })).json();
    assert.deepEqual(ofKey.data.map((r: { request_id: string }) => r.request_id), expected.filter((e) => e.key === keys[1]!.id && e.model === "model-y").map((e) => e.id).reverse());
    const window = `since=${new Date(start + DAY).toISOString()}&until=${new Date(start + 2 * DAY).toISOString()}`;
    const ofDay = (await t.api({ method: "GET", url: `/account/usage?${window}`, cookies: me.cookies })).json();
    assert.deepEqual(ofDay.data.map((r: { request_id: string }) => r.request_id), expected.filter((e) => e.day === "2026-11-02").map((e) => e.id).reverse());

    // Daily sums, worked out here from the records.
    const sums = new Map<string, { requests: number; charged: bigint; input: bigint }>();
    for (const e of expected) {
      const k = `${e.day}|${e.key}|${e.model}`;
      const s = sums.get(k) ?? { requests: 0, charged: 0n, input: 0n };
      sums.set(k, { requests: s.requests + 1, charged: s.charged + e.charged, input: s.input + e.input });
    }
    const daily = (await t.api({ method: "GET", url: "/account/usage/daily?limit=200", cookies: me.cookies })).json();
    assert.deepEqual(
      new Map(daily.data.map((d: any) => [`${d.day}|${d.key_id}|${d.model_id}`, { requests: d.requests, charged: BigInt(d.price_charged_micro_usd), input: BigInt(d.input_tokens) }])),
      sums,
    );
    assert.deepEqual(daily.data.map((d: { day: string }) => d.day), [...daily.data.map((d: { day: string }) => d.day)].sort(), "oldest day first");

    const csv = await t.api({ method: "GET", url: "/account/usage.csv", cookies: me.cookies });
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers["content-type"]), /^text\/csv/);
    const lines = csv.body.trimEnd().split("\r\n");
    assert.equal(lines[0], "created_at,request_id,key_id,model_id,deployment,input_tokens,output_tokens,list_price_micro_usd,discount_bps,price_charged_micro_usd,usage_source,finish_reason,latency_ms");
    assert.deepEqual(lines.slice(1).map((l) => l.split(",")[1]), expected.map((e) => e.id).reverse());
    assert.deepEqual(lines.slice(1).map((l) => BigInt(l.split(",")[9]!)), expected.map((e) => e.charged).reverse());
    // Another account sees none of it.
    const stranger = await signedIn();
    assert.deepEqual((await t.api({ method: "GET", url: "/account/usage", cookies: stranger.cookies })).json(), { data: [], next_cursor: null });
  });

  it("lists members (bound wallets) with their sessions; removes one and ends its sessions, never the caller's own", async () => {
    const me = await signedIn();
    const mate = privateKeyToAccount(generatePrivateKey()).address.toLowerCase();
    t.now += 1_000; // bound after the caller's wallet: members list first bound first
    await t.ledger.wallets.bind({ accountId: me.id, wallet: mate, proof: "siwe:0xabc" });
    const mateSession = await t.ledger.sessions.create({ accountId: me.id, wallet: mate, ttlMs: 3_600_000 });
    const members = (await t.api({ method: "GET", url: "/account/members", cookies: me.cookies })).json();
    assert.deepEqual(
      members.data.map((m: any) => [m.address, m.proved_by, m.live_sessions, m.you]),
      [[me.wallet, "cli", 1, true], [mate, "signature", 1, false]],
    );
    rejected(await t.api({ method: "DELETE", url: `/account/wallets/${me.wallet}`, cookies: me.cookies }), 409, "own_wallet");
    const removed = await t.api({ method: "DELETE", url: `/account/wallets/${mate}`, cookies: me.cookies });
    assert.equal(removed.statusCode, 200, removed.body);
    assert.equal(removed.json().sessions_ended, 1);
    rejected(await t.api({ method: "GET", url: "/account", cookies: { [SESSION_COOKIE]: mateSession.token } }), 401, "unauthenticated");
    assert.equal(await t.ledger.wallets.find(mate), undefined);
    rejected(await t.api({ method: "DELETE", url: `/account/wallets/${mate}`, cookies: me.cookies }), 404, "not_found");
  });

  it("pages the keys list: every key once, in creation order", async () => {
    const me = await signedIn();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      t.now += 1_000;
      made.push((await t.ledger.keys.create({ accountId: me.id, name: `k${i}` })).key.id);
    }
    const first = (await t.api({ method: "GET", url: "/account/keys?limit=2", cookies: me.cookies })).json();
    const second = (await t.api({ method: "GET", url: `/account/keys?limit=2&cursor=${first.next_cursor}`, cookies: me.cookies })).json();
    const third = (await t.api({ method: "GET", url: `/account/keys?limit=2&cursor=${second.next_cursor}`, cookies: me.cookies })).json();
    assert.deepEqual([...first.data, ...second.data, ...third.data].map((k: { id: string }) => k.id), made);
    assert.equal(third.next_cursor, null);
  });

  it("moved every route under /api/v1: the old paths are unknown", async () => {
    const me = await signedIn();
    rejected(await t.app.inject({ method: "GET", url: "/account", cookies: me.cookies }), 404, "not_found");
    rejected(await t.app.inject({ method: "POST", url: "/auth/nonce", headers: { [CSRF_HEADER]: "1" } }), 404, "not_found");
  });

  it("serves an OpenAPI 3.1 document listing every route", async () => {
    const response = await t.app.inject({ method: "GET", url: `${API_PREFIX}/openapi.json` });
    assert.equal(response.statusCode, 200);
    const doc = response.json();
    assert.equal(doc.openapi, "3.1.0");
    const paths = Object.keys(doc.paths);
    for (const [, url] of ACCOUNT_ROUTES) {
      const templated = url.replace(/0x0{39}1$/, "{address}").replace(/key_x$/, "{id}");
      assert.ok(paths.includes(`${API_PREFIX}${templated}`), `${templated} in the OpenAPI document`);
    }
    for (const path of ["/auth/nonce", "/auth/verify", "/offerings", "/offerings/{id}", "/tokens/{mt}", "/portfolios/{address}", "/epochs", "/epochs/{epoch}/input"]) {
      assert.ok(paths.includes(`${API_PREFIX}${path}`), `${path} in the OpenAPI document`);
    }
    assert.deepEqual(doc.paths[`${API_PREFIX}/account/keys`].post.security, [{ session: [] }]);
    assert.equal(doc.components.securitySchemes.session.name, SESSION_COOKIE);
  });

  it("answers the public routes 503 when no read model is plugged in", async () => {
    rejected(await t.api({ method: "GET", url: "/offerings" }), 503, "read_model_unavailable");
  });
});

describeEachDatabase("platform rate limits", (suite) => {
  it("limits public routes per IP and account routes per session (429 rate_limited, Retry-After)", async () => {
    const ledger = new Ledger(await suite.open());
    const app = await buildPlatform({
      ledger, publicClient: unusedChain(), siwe: { domain: "app.fomo.test", chainId: 31337 }, session: { secureCookie: true },
      rateLimit: { publicMax: 2, sessionMax: 3, windowMs: 60_000 }, signInSweep: false,
    });
    try {
      const nonce = (ip: string) => app.inject({ method: "POST", url: `${API_PREFIX}/auth/nonce`, headers: { [CSRF_HEADER]: "1" }, remoteAddress: ip });
      assert.equal((await nonce("10.0.0.1")).statusCode, 200);
      assert.equal((await nonce("10.0.0.1")).statusCode, 200);
      const limited = await nonce("10.0.0.1");
      assert.equal(limited.statusCode, 429, limited.body);
      assert.equal(limited.json().error.code, "rate_limited");
      assert.ok(Number(limited.headers["retry-after"]) > 0);
      assert.equal((await nonce("10.0.0.2")).statusCode, 200, "another IP has its own budget");

      const sessionOf = async (name: string) => {
        const account = await ledger.accounts.create(name);
        return (await ledger.sessions.create({ accountId: account.id, wallet: privateKeyToAccount(generatePrivateKey()).address, ttlMs: 60_000 })).token;
      };
      const [a, b] = [await sessionOf("rl-a"), await sessionOf("rl-b")];
      // Both sessions from the IP whose public budget is spent: the account routes count per session.
      const account = (token: string) => app.inject({ method: "GET", url: `${API_PREFIX}/account`, cookies: { [SESSION_COOKIE]: token }, remoteAddress: "10.0.0.1" });
      for (let i = 0; i < 3; i++) assert.equal((await account(a)).statusCode, 200);
      assert.equal((await account(a)).statusCode, 429);
      assert.equal((await account(b)).statusCode, 200, "another session has its own budget");
    } finally {
      await app.close();
    }
  });
});
