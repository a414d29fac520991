// The key cache in front of ledger.keys.authenticate: one lookup per key within the TTL, a revocation
// seen once it expires, unknown and revoked keys never cached, and money still guarded by reserve.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeyRevoked, Ledger, openDatabase, UnknownKey } from "@fomo/ledger";
import { KEY_CACHE_TTL_MS, KeyCache } from "../src/auth/key-cache.ts";
import { USD, fundedKey, reserveOn } from "@fomo/testkit/ledger";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

async function setup() {
  const db = await openDatabase({ dataDir: mkdtempSync(join(tmpdir(), "fomo-keycache-")) });
  const ledger = new Ledger(db);
  let lookups = 0;
  const authenticate = ledger.keys.authenticate.bind(ledger.keys);
  ledger.keys.authenticate = (raw) => {
    lookups++;
    return authenticate(raw);
  };
  let clock = 1_000;
  const cache = new KeyCache(ledger, { now: () => clock });
  return { db, ledger, cache, lookups: () => lookups, advance: (ms: number) => void (clock += ms) };
}

describe("KeyCache", () => {
  it("looks a key up once per TTL, and sees its revocation once that has passed", async () => {
    const { db, ledger, cache, lookups, advance } = await setup();
    try {
      const funded = await fundedKey(ledger, USD);
      const { secret } = funded;
      const key = { ...funded.key, accountAvailable: USD };
      const other = await fundedKey(ledger, USD);
      assert.deepEqual(await cache.authenticate(secret), key);
      advance(KEY_CACHE_TTL_MS - 1);
      assert.deepEqual(await cache.authenticate(secret), key);
      assert.equal(lookups(), 1);
      assert.deepEqual(await cache.authenticate(other.secret), { ...other.key, accountAvailable: USD }, "each key is its own entry");
      assert.equal(lookups(), 2);

      await ledger.keys.revoke(key.id);
      // Within the TTL the read-only endpoints may still see the key; a hold may not (reserve re-reads it).
      assert.deepEqual(await cache.authenticate(secret), key);
      await assert.rejects(reserveOn(ledger, key.id, "after-revoke", 1_000n), KeyRevoked);
      advance(1);
      await assert.rejects(cache.authenticate(secret), KeyRevoked);
      await assert.rejects(cache.authenticate(secret), KeyRevoked, "a revoked key is never cached");
      assert.equal(lookups(), 4);
    } finally {
      await db.destroy();
    }
  });

  it("never caches an unknown key", async () => {
    const { db, cache, lookups } = await setup();
    try {
      const unknown = "sk-fomo-" + "A".repeat(43);
      await assert.rejects(cache.authenticate(unknown), UnknownKey);
      await assert.rejects(cache.authenticate(unknown), UnknownKey);
      assert.equal(lookups(), 2);
    } finally {
      await db.destroy();
    }
  });
});
