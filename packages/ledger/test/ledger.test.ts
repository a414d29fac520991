// The ledger on SQLite and PostgreSQL: accounts, idempotent credits, API keys, and reserve / settle /
// release with balances exact to the micro-USD. Expected amounts are worked out by hand from the
// template prices of TEST_PRICING, @fomo/testkit/pricing (micro-USD per 1M tokens,
// rounded up).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { it } from "node:test";
import { worstCaseCost, priceRequest } from "@fomo/sdk";
import {
  AccountExists,
  CreditRefConflict,
  DuplicateRequest,
  InsufficientCredits,
  InvalidArgument,
  KeyRevoked,
  Ledger,
  SpendCapReached,
  UnknownAccount,
  UnknownHold,
  UnknownKey,
  WalletBoundElsewhere,
} from "../src/index.ts";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { startSignInSweep } from "../src/sweep.ts";
import { rng } from "@fomo/testkit";
import { assertBooksBalance } from "@fomo/testkit/books";
import { TEST_PRICING } from "@fomo/testkit/pricing";
import { USD, fundedKey, rejectsWith, reserveOn, snapshot } from "@fomo/testkit/ledger";

const MT_ADDRESS = "0x00000000000000000000000000000000000000b0";

describeEachDatabase("ledger", (suite) => {
  let clock = 1_700_000_000_000;
  // The tests share one database and keep to accounts of their own (snapshot() comparisons are safe:
  // tests of a suite run one at a time).
  const open = async () => new Ledger(await suite.shared(), { instanceId: "gw-test", now: () => clock });

  // ---------------------------------------------------------------- accounts and credits

  it("creates accounts with unique names", async () => {
    const ledger = await open();
    const account = await ledger.accounts.create("acme");
    assert.match(account.id, /^acct_/);
    assert.deepEqual(
      { balance: account.balance, held: account.held, available: account.available },
      { balance: 0n, held: 0n, available: 0n },
    );
    assert.deepEqual(await ledger.accounts.get(account.id), account);
    assert.deepEqual(await ledger.accounts.findByName("acme"), account);
    assert.equal(await ledger.accounts.findByName("nobody"), undefined);
    await rejectsWith(ledger.accounts.create("acme"), AccountExists);
    await rejectsWith(ledger.accounts.get("acct_missing"), UnknownAccount);
  });

  it("binds several wallets to an account, and each wallet to one account only", async () => {
    const ledger = await open();
    const account = await ledger.accounts.create("wallets-a");
    const other = await ledger.accounts.create("wallets-b");
    const first = await ledger.wallets.bind({ accountId: account.id, wallet: "0x00000000000000000000000000000000000000AB", proof: "cli" });
    assert.equal(first.wallet, "0x00000000000000000000000000000000000000ab", "stored lower-case");
    assert.deepEqual(first, { wallet: first.wallet, accountId: account.id, boundAt: clock, proof: "cli" });
    clock += 1;
    await ledger.wallets.bind({ accountId: account.id, wallet: "0x00000000000000000000000000000000000000cd", proof: "siwe:0x01" });
    assert.deepEqual((await ledger.wallets.list(account.id)).map((w) => w.wallet), [
      "0x00000000000000000000000000000000000000ab",
      "0x00000000000000000000000000000000000000cd",
    ]);
    assert.deepEqual(
      await ledger.wallets.bind({ accountId: account.id, wallet: "0x00000000000000000000000000000000000000ab", proof: "again" }),
      first,
      "binding again to the same account keeps the first binding",
    );
    // Any spelling of the address is the same wallet.
    await rejectsWith(
      ledger.wallets.bind({ accountId: other.id, wallet: "0x00000000000000000000000000000000000000Ab", proof: "cli" }),
      WalletBoundElsewhere,
    );
    assert.deepEqual(await ledger.wallets.list(other.id), []);
    assert.equal((await ledger.wallets.find("0x00000000000000000000000000000000000000AB"))?.accountId, account.id);
    await rejectsWith(ledger.wallets.bind({ accountId: account.id, wallet: "0x1234", proof: "cli" }), InvalidArgument);
    await rejectsWith(ledger.wallets.bind({ accountId: "acct_missing", wallet: "0x00000000000000000000000000000000000000ef", proof: "cli" }), UnknownAccount);

    assert.equal(await ledger.wallets.unbind(other.id, "0x00000000000000000000000000000000000000ab"), false, "not its wallet");
    assert.equal(await ledger.wallets.unbind(account.id, "0x00000000000000000000000000000000000000ab"), true);
    const moved = await ledger.wallets.bind({ accountId: other.id, wallet: "0x00000000000000000000000000000000000000ab", proof: "cli" });
    assert.equal(moved.accountId, other.id, "an unbound wallet may bind elsewhere");
  });

  it("accepts a SIWE nonce once, before it expires, and only one it issued", async () => {
    const ledger = await open();
    const issued = await ledger.siweNonces.issue(60_000);
    assert.match(issued.nonce, /^[0-9a-f]{32}$/);
    assert.equal(issued.expiresAt - issued.issuedAt, 60_000);
    const [a, b] = await Promise.all([ledger.siweNonces.consume(issued.nonce), ledger.siweNonces.consume(issued.nonce)]);
    assert.deepEqual([a, b].sort(), [false, true], "two concurrent uses: exactly one wins");
    assert.equal(await ledger.siweNonces.consume("0123456789abcdef0123456789abcdef"), false, "never issued");
    const late = await ledger.siweNonces.issue(1_000);
    clock += 1_000;
    assert.equal(await ledger.siweNonces.consume(late.nonce), false, "expired");
    assert.equal(await ledger.siweNonces.prune(), 1, "only the expired nonce goes");
  });

  it("sweeps expired SIWE nonces (used or not) and expired sessions, and keeps the live ones", async () => {
    // A database of its own: the counts are this test's rows only.
    const db = await suite.open();
    const ledger = new Ledger(db, { now: () => clock });
    const account = await ledger.accounts.create("swept");
    const session = (ttlMs: number) => ledger.sessions.create({ accountId: account.id, wallet: "0x00000000000000000000000000000000000000cd", ttlMs });
    const usedShort = await ledger.siweNonces.issue(1_000);
    assert.equal(await ledger.siweNonces.consume(usedShort.nonce), true);
    await ledger.siweNonces.issue(1_000);
    const liveNonce = await ledger.siweNonces.issue(60_000);
    await session(1_000);
    const live = await session(60_000);
    clock += 1_000;
    const sweep = startSignInSweep(ledger, { everyMs: 3_600_000 });
    try {
      await sweep.runOnce(); // may join the sweep it ran at start
      const nonces = await db.selectFrom("siwe_nonces").select("nonce").execute();
      assert.deepEqual(nonces.map((n) => n.nonce), [liveNonce.nonce], "the expired nonces went, the used one too");
      assert.equal(await db.selectFrom("sessions").select("token_hash").execute().then((r) => r.length), 1);
      assert.equal((await ledger.sessions.authenticate(live.token))?.accountId, account.id, "the live session stays");
      assert.equal(await ledger.siweNonces.consume(liveNonce.nonce), true, "the live nonce stays usable");
      assert.equal(await sweep.runOnce(), 0, "nothing more to sweep");
    } finally {
      await sweep.stop();
    }
  });

  it("keeps sessions by the hash of their token until they expire or are revoked", async () => {
    const ledger = await open();
    const account = await ledger.accounts.create("session-holder");
    const { token, session } = await ledger.sessions.create({ accountId: account.id, wallet: "0x00000000000000000000000000000000000000AB", ttlMs: 1_000 });
    assert.deepEqual(await ledger.sessions.authenticate(token), session);
    assert.equal(session.wallet, "0x00000000000000000000000000000000000000ab");
    const stored = await ledger.db.selectFrom("sessions").selectAll().where("account_id", "=", account.id).execute();
    assert.deepEqual(stored.map((r) => r.token_hash), [createHash("sha256").update(token).digest("hex")], "only the hash is stored");
    // One character changed (always a different one: a token may end in "A" already).
    const tampered = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    assert.equal(await ledger.sessions.authenticate(tampered), undefined);
    clock += 1_000;
    assert.equal(await ledger.sessions.authenticate(token), undefined, "expired");
    const second = await ledger.sessions.create({ accountId: account.id, wallet: "0x00000000000000000000000000000000000000ab", ttlMs: 1_000 });
    await ledger.sessions.revoke(second.token);
    assert.equal(await ledger.sessions.authenticate(second.token), undefined, "revoked");
  });

  it("adds credits exactly once per external ref", async () => {
    const ledger = await open();
    const { id } = await ledger.accounts.create("payer");
    const first = await ledger.credits.add({ accountId: id, amount: 25n * USD, ref: "usdc:0xabc:1", memo: "USDC deposit" });
    assert.equal(first.applied, true);
    assert.equal(first.entry.amount, 25n * USD);
    assert.equal(first.entry.balanceAfter, 25n * USD);
    assert.equal(first.entry.memo, "USDC deposit");

    const replay = await ledger.credits.add({ accountId: id, amount: 25n * USD, ref: "usdc:0xabc:1" });
    assert.equal(replay.applied, false, "a replayed deposit changes nothing");
    assert.deepEqual(replay.entry, first.entry);
    await ledger.credits.add({ accountId: id, amount: 1n, ref: "stripe:evt_1" });
    assert.equal((await ledger.accounts.get(id)).balance, 25n * USD + 1n);

    await rejectsWith(ledger.credits.add({ accountId: id, amount: 26n * USD, ref: "usdc:0xabc:1" }), CreditRefConflict);
    const other = await ledger.accounts.create("other");
    await rejectsWith(ledger.credits.add({ accountId: other.id, amount: 25n * USD, ref: "usdc:0xabc:1" }), CreditRefConflict);
    await rejectsWith(ledger.credits.add({ accountId: id, amount: 0n, ref: "zero" }), InvalidArgument);
    await rejectsWith(ledger.credits.add({ accountId: id, amount: -5n, ref: "negative" }), InvalidArgument);
    await rejectsWith(ledger.credits.add({ accountId: "acct_missing", amount: 5n, ref: "nobody" }), UnknownAccount);

    assert.equal((await ledger.accounts.get(id)).balance, 25n * USD + 1n);
    assert.equal((await ledger.accounts.get(other.id)).balance, 0n);
    assert.equal((await ledger.credits.listEntries(id)).length, 2);
    await assertBooksBalance(ledger.db, id);
  });

  it("applies a deposit delivered many times at once exactly once", async () => {
    const ledger = await open();
    const { id } = await ledger.accounts.create("webhook-storm");
    const results = await Promise.all(
      Array.from({ length: 20 }, () => ledger.credits.add({ accountId: id, amount: 7n * USD, ref: "stripe:evt_dup" })),
    );
    assert.equal(results.filter((r) => r.applied).length, 1);
    assert.equal((await ledger.accounts.get(id)).balance, 7n * USD);
    await assertBooksBalance(ledger.db, id);
  });

  // ---------------------------------------------------------------- API keys

  it("issues 256-bit sk-fomo- keys, stores only their SHA-256, lists them by prefix", async () => {
    const ledger = await open();
    const { id } = await ledger.accounts.create("keys");
    const { key, secret } = await ledger.keys.create({ accountId: id, name: "ci", spendCap: 5n * USD, rpmLimit: 60, tpmLimit: 10_000 });
    assert.match(secret, /^sk-fomo-[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(secret.slice("sk-fomo-".length), "base64url").length, 32);
    assert.equal(key.prefix, secret.slice(0, 14));
    assert.deepEqual(
      { name: key.name, spendCap: key.spendCap, rpm: key.rpmLimit, tpm: key.tpmLimit, revokedAt: key.revokedAt },
      { name: "ci", spendCap: 5n * USD, rpm: 60, tpm: 10_000, revokedAt: null },
    );

    const row = await ledger.db.selectFrom("api_keys").selectAll().where("id", "=", key.id).executeTakeFirstOrThrow();
    assert.equal(row.hash, createHash("sha256").update(secret).digest("hex"));
    const stored = JSON.stringify(row, (_, v) => (typeof v === "bigint" ? v.toString() : v));
    assert.ok(!stored.includes(secret.slice(14)), "the secret part of the key is stored nowhere");

    const second = await ledger.keys.create({ accountId: id });
    assert.notEqual(second.secret, secret);
    const listed = await ledger.keys.list(id);
    assert.deepEqual(listed.map((k) => k.id).sort(), [key.id, second.key.id].sort());
    for (const listedKey of listed) assert.ok(!("hash" in listedKey) && !("secret" in listedKey));

    // With what the account could spend when it was looked up (balance less holds).
    const account = await ledger.accounts.get(id);
    assert.deepEqual(await ledger.keys.authenticate(secret), { ...key, accountAvailable: account.balance - account.held });
    await rejectsWith(ledger.keys.create({ accountId: "acct_missing" }), UnknownAccount);
    await rejectsWith(ledger.keys.create({ accountId: id, rpmLimit: 0 }), InvalidArgument);
  });

  it("rejects unknown, malformed and revoked keys without echoing them", async () => {
    const ledger = await open();
    const { key, secret } = await fundedKey(ledger, USD);
    const forged = `sk-fomo-${"A".repeat(43)}`;
    for (const raw of [forged, "sk-fomo-short", `${secret}x`, "", `Bearer ${secret}`]) {
      const error = await rejectsWith(ledger.keys.authenticate(raw), UnknownKey);
      assert.ok(raw === "" || !error.message.includes(raw), "the key is not in the message");
    }
    clock += 1_000;
    const revoked = await ledger.keys.revoke(key.id);
    assert.equal(revoked.revokedAt, clock);
    clock += 1_000;
    assert.equal((await ledger.keys.revoke(key.id)).revokedAt, revoked.revokedAt, "revoking again keeps the first time");
    const error = await rejectsWith(ledger.keys.authenticate(secret), KeyRevoked);
    assert.ok(!error.message.includes(secret));
    await rejectsWith(reserveOn(ledger, key.id, "after-revoke", 1n), KeyRevoked);
    await rejectsWith(ledger.keys.revoke("key_missing"), UnknownKey);
    await rejectsWith(reserveOn(ledger, "key_missing", "no-key", 1n), UnknownKey);
  });

  it("lets a request admitted before its key was revoked settle", async () => {
    const ledger = await open();
    const { accountId, key } = await fundedKey(ledger, USD);
    await reserveOn(ledger, key.id, "in-flight", 405n);
    await ledger.keys.revoke(key.id);
    const record = await ledger.metering.settle("in-flight", { inputTokens: 1_000n, outputTokens: 100n, source: "tokenizer" });
    assert.equal(record.priceCharged, 280n);
    assert.equal((await ledger.accounts.get(accountId)).balance, USD - 280n);
  });

  // ---------------------------------------------------------------- reserve / settle / release

  it("reserves the worst case, then settles the real cost to the micro-USD in one step", async () => {
    const ledger = await open();
    const { accountId, key } = await fundedKey(ledger, USD);
    // Hold: 1,000 prompt tokens x 0.20 + 256 max tokens x 0.80 per 1M = 404.8 -> 405 micro-USD.
    const amount = worstCaseCost(TEST_PRICING, 1_000n, 256n);
    assert.equal(amount, 405n);
    clock += 1;
    const hold = await reserveOn(ledger, key.id, "req-1", amount, { modelId: "stories-260k-ABC", deployment: MT_ADDRESS });
    assert.equal(hold.accountId, accountId);
    assert.equal(hold.instanceId, "gw-test");
    assert.deepEqual(hold.terms, { pricing: TEST_PRICING, discountBps: 0 });
    let account = await ledger.accounts.get(accountId);
    assert.deepEqual([account.balance, account.held, account.available], [USD, 405n, USD - 405n]);
    assert.equal((await ledger.keys.get(key.id)).held, 405n);

    // Real use: 1,000 in + 100 out = (200,000,000 + 80,000,000) / 1M = 280 micro-USD;
    // hard cost (20,000,000 + 5,000,000) / 1M = 25.
    clock += 1;
    const record = await ledger.metering.settle("req-1", {
      inputTokens: 1_000n,
      outputTokens: 100n,
      source: "tokenizer",
      latencyMs: 42,
      finishReason: "stop",
    });
    assert.deepEqual(record, {
      requestId: "req-1",
      accountId,
      keyId: key.id,
      modelId: "stories-260k-ABC",
      deployment: MT_ADDRESS,
      inputTokens: 1_000n,
      outputTokens: 100n,
      listPrice: 280n,
      discountBps: 0,
      priceCharged: 280n,
      hardCost: 25n,
      source: "tokenizer",
      finishReason: "stop",
      latencyMs: 42,
      createdAt: clock,
      receiptSignature: null,
    });
    account = await ledger.accounts.get(accountId);
    assert.deepEqual([account.balance, account.held, account.available], [USD - 280n, 0n, USD - 280n]);
    const keyAfter = await ledger.keys.get(key.id);
    assert.deepEqual([keyAfter.spent, keyAfter.held], [280n, 0n]);
    assert.equal(await ledger.metering.getHold("req-1"), undefined);
    const entries = await ledger.credits.listEntries(accountId);
    assert.deepEqual(
      entries.map((e) => [e.kind, e.amount, e.balanceAfter, e.ref]),
      [
        ["deposit", USD, USD, `seed-${accountId}`],
        ["usage", -280n, USD - 280n, "req-1"],
      ],
    );
    assert.deepEqual(await ledger.usage.get("req-1"), record);
    await assertBooksBalance(ledger.db, accountId);
  });

  it("charges the staker-discounted price, recording list price and discount", async () => {
    const ledger = await open();
    const { accountId, key } = await fundedKey(ledger, USD);
    await reserveOn(ledger, key.id, "disc", 405n, { discountBps: 1_000, deployment: MT_ADDRESS });
    const record = await ledger.metering.settle("disc", { inputTokens: 1_000n, outputTokens: 100n, source: "upstream" });
    // 280 less 10% = 252.
    assert.deepEqual([record.listPrice, record.discountBps, record.priceCharged, record.hardCost], [280n, 1_000, 252n, 25n]);
    assert.equal((await ledger.accounts.get(accountId)).balance, USD - 252n);
  });

  it("settles idempotently: a retried or concurrent settle changes nothing", async () => {
    const ledger = await open();
    const { accountId, key } = await fundedKey(ledger, USD);
    await reserveOn(ledger, key.id, "once", 405n);
    const usage = { inputTokens: 1_000n, outputTokens: 100n, source: "tokenizer" as const };
    const records = await Promise.all(Array.from({ length: 10 }, () => ledger.metering.settle("once", usage)));
    for (const record of records) assert.deepEqual(record, records[0]);
    const before = await snapshot(ledger.db);
    const retried = await ledger.metering.settle("once", { ...usage, outputTokens: 256n });
    assert.deepEqual(retried, records[0], "a retry with other numbers returns the original record");
    assert.deepEqual(await snapshot(ledger.db), before);
    assert.equal(await ledger.metering.release("once"), false, "nothing left to release");
    assert.deepEqual(await snapshot(ledger.db), before);
    assert.equal((await ledger.accounts.get(accountId)).balance, USD - 280n);
    await assertBooksBalance(ledger.db, accountId);
  });

  it("releases a hold in full, once", async () => {
    const ledger = await open();
    const { accountId, key } = await fundedKey(ledger, 1_000n);
    await reserveOn(ledger, key.id, "failed-upstream", 600n);
    assert.equal((await ledger.accounts.get(accountId)).available, 400n);
    assert.equal(await ledger.metering.release("failed-upstream"), true);
    assert.equal(await ledger.metering.release("failed-upstream"), false);
    const account = await ledger.accounts.get(accountId);
    assert.deepEqual([account.balance, account.held, account.available], [1_000n, 0n, 1_000n]);
    await rejectsWith(ledger.metering.settle("failed-upstream", { inputTokens: 1n, outputTokens: 1n, source: "estimate" }), UnknownHold);
    await rejectsWith(ledger.metering.settle("never-reserved", { inputTokens: 1n, outputTokens: 1n, source: "estimate" }), UnknownHold);
    assert.equal(await ledger.metering.checkpoint("never-reserved", { inputTokens: 1n, outputTokens: 1n }), false);
    await assertBooksBalance(ledger.db, accountId);
  });

  it("refuses a hold larger than balance minus active holds, saying how much is available", async () => {
    const ledger = await open();
    const { accountId, key } = await fundedKey(ledger, 1_000n);
    await reserveOn(ledger, key.id, "a", 700n);
    const error = await rejectsWith(reserveOn(ledger, key.id, "b", 301n), InsufficientCredits);
    assert.deepEqual([error.available, error.needed, error.code], [300n, 301n, "insufficient_credits"]);
    await reserveOn(ledger, key.id, "c", 300n); // exactly what is left
    await rejectsWith(reserveOn(ledger, key.id, "d", 1n), InsufficientCredits);
    await reserveOn(ledger, key.id, "free", 0n); // a free model's zero hold always fits
    const account = await ledger.accounts.get(accountId);
    assert.deepEqual([account.balance, account.held, account.available], [1_000n, 1_000n, 0n]);
    await assertBooksBalance(ledger.db, accountId);
  });

  it("never charges more than the hold, even if the backend used more than admitted", async () => {
    const ledger = await open();
    const { accountId, key } = await fundedKey(ledger, USD);
    await reserveOn(ledger, key.id, "over", 405n);
    // 1,000 in + 1,000 out would be 200 + 800 = 1,000 micro-USD: capped at the 405 admitted.
    const record = await ledger.metering.settle("over", { inputTokens: 1_000n, outputTokens: 1_000n, source: "upstream" });
    assert.deepEqual([record.listPrice, record.priceCharged, record.hardCost], [1_000n, 405n, 70n]);
    assert.equal((await ledger.accounts.get(accountId)).balance, USD - 405n);
    await assertBooksBalance(ledger.db, accountId);
  });

  it("writes a zero charge for a free request, keeping one credit entry per usage record", async () => {
    const ledger = await open();
    const { accountId, key } = await fundedKey(ledger, 10n);
    const free = { ...TEST_PRICING, inputPrice: 0n, outputPrice: 0n, inputMinPrice: 0n, outputMinPrice: 0n };
    await reserveOn(ledger, key.id, "free-model", 0n, { pricing: free });
    const record = await ledger.metering.settle("free-model", { inputTokens: 50n, outputTokens: 50n, source: "tokenizer" });
    assert.equal(record.priceCharged, 0n);
    assert.equal(record.hardCost, 4n, "(50 x 20,000 + 50 x 50,000) / 1M = 3.5 -> 4: serving it still cost us");
    assert.equal((await ledger.accounts.get(accountId)).balance, 10n);
    await assertBooksBalance(ledger.db, accountId);
  });

  it("refuses a request id that is held or already settled", async () => {
    const ledger = await open();
    const { key } = await fundedKey(ledger, USD);
    await reserveOn(ledger, key.id, "dup", 10n);
    await rejectsWith(reserveOn(ledger, key.id, "dup", 10n), DuplicateRequest);
    await ledger.metering.settle("dup", { inputTokens: 1n, outputTokens: 1n, source: "tokenizer" });
    await rejectsWith(reserveOn(ledger, key.id, "dup", 10n), DuplicateRequest);
    const other = await fundedKey(ledger, USD);
    await rejectsWith(reserveOn(ledger, other.key.id, "dup", 10n), DuplicateRequest);
    await rejectsWith(reserveOn(ledger, key.id, "", 10n), InvalidArgument);
    await rejectsWith(reserveOn(ledger, key.id, "neg", -1n), InvalidArgument);
    await rejectsWith(reserveOn(ledger, key.id, "bps", 1n, { discountBps: 10_001 }), InvalidArgument);
    await rejectsWith(reserveOn(ledger, key.id, "price", 1n, { pricing: { ...TEST_PRICING, outputPrice: -1n } }), InvalidArgument);
  });

  it("enforces a key's spend cap over settled and held amounts", async () => {
    const ledger = await open();
    const { accountId, key } = await fundedKey(ledger, USD, { spendCap: 1_000n });
    const sibling = await ledger.keys.create({ accountId });
    await reserveOn(ledger, key.id, "cap-1", 600n);
    const error = await rejectsWith(reserveOn(ledger, key.id, "cap-2", 500n), SpendCapReached);
    assert.deepEqual([error.cap, error.remaining, error.needed], [1_000n, 400n, 500n]);
    await reserveOn(ledger, sibling.key.id, "sibling", 500n); // the cap is per key, not per account
    // cap-1 settles at 1,000 in + 500 out = 200 + 400 = 600 micro-USD spent: 400 of the cap left.
    await ledger.metering.settle("cap-1", { inputTokens: 1_000n, outputTokens: 500n, source: "tokenizer" });
    await reserveOn(ledger, key.id, "cap-3", 400n);
    await rejectsWith(reserveOn(ledger, key.id, "cap-4", 1n), SpendCapReached);
    await ledger.metering.release("cap-3");
    await reserveOn(ledger, key.id, "cap-4", 400n);
    const capped = await ledger.keys.get(key.id);
    assert.deepEqual([capped.spent, capped.held], [600n, 400n]);
    await assertBooksBalance(ledger.db, accountId);
  });

  it("stores a receipt signature once", async () => {
    const ledger = await open();
    const { key } = await fundedKey(ledger, USD);
    await reserveOn(ledger, key.id, "signed", 10n);
    await ledger.metering.settle("signed", { inputTokens: 1n, outputTokens: 1n, source: "tokenizer" });
    assert.equal(await ledger.usage.setReceiptSignature("signed", "0xaa"), true);
    assert.equal(await ledger.usage.setReceiptSignature("signed", "0xbb"), false);
    assert.equal((await ledger.usage.get("signed"))?.receiptSignature, "0xaa");
  });

  it("keeps the books exact through a long random sequence of operations", async () => {
    const ledger = await open();
    const { accountId, key } = await fundedKey(ledger, 50_000n);
    const random = rng(11).upTo;
    let expectedBalance = 50_000n;
    const open_: Array<{ id: string; amount: bigint; prompt: bigint; max: bigint; discountBps: number }> = [];
    for (let i = 0; i < 150; i++) {
      const op = random(9n);
      if (op <= 4n) {
        const prompt = random(2_000n);
        const max = random(500n);
        const discountBps = [0, 500, 1_000, 2_000][Number(random(3n))]!;
        const amount = worstCaseCost(TEST_PRICING, prompt, max);
        try {
          await reserveOn(ledger, key.id, `r${i}`, amount, { discountBps });
          open_.push({ id: `r${i}`, amount, prompt, max, discountBps });
        } catch (error) {
          assert.ok(error instanceof InsufficientCredits);
        }
      } else if (op <= 7n && open_.length > 0) {
        const req = open_.splice(Number(random(BigInt(open_.length - 1))), 1)[0]!;
        const used = { inputTokens: req.prompt, outputTokens: random(req.max) };
        const record = await ledger.metering.settle(req.id, { ...used, source: "tokenizer" });
        // Independent expectation: the priced usage (never above the hold, as the max bounds it).
        const expected = priceRequest(TEST_PRICING, used, req.discountBps).price;
        assert.ok(expected <= req.amount);
        assert.equal(record.priceCharged, expected);
        expectedBalance -= expected;
      } else if (op === 8n && open_.length > 0) {
        const req = open_.splice(Number(random(BigInt(open_.length - 1))), 1)[0]!;
        assert.equal(await ledger.metering.release(req.id), true);
      } else {
        const amount = random(5_000n) + 1n;
        await ledger.credits.add({ accountId, amount, ref: `top-up-${i}` });
        expectedBalance += amount;
      }
      const account = await ledger.accounts.get(accountId);
      assert.equal(account.balance, expectedBalance, `balance after step ${i}`);
      assert.equal(account.held, open_.reduce((s, r) => s + r.amount, 0n), `held after step ${i}`);
    }
    await assertBooksBalance(ledger.db, accountId);
  });
});
