// The ledger's bookkeeping invariants, checked straight against its tables: the ledger's own tests and
// the gateway benchmark's audit after a load both end with them.
import assert from "node:assert/strict";
import type { Database } from "@fomo/ledger";
import { sql } from "kysely";

const total = (column: string) => sql<bigint>`cast(coalesce(sum(${sql.ref(column)}), 0) as bigint)`;

/**
 * The ledger's bookkeeping, recomputed from the rows: the balance is the sum of the account's credit
 * entries (each balance_after the running sum), `held` the sum of its holds, every usage record has
 * exactly one credit entry of minus its charge, and a key's spent/held match its records and holds.
 */
export async function assertBooksBalance(db: Database, accountId: string): Promise<void> {
  const account = await db.selectFrom("accounts").selectAll().where("id", "=", accountId).executeTakeFirstOrThrow();
  const entries = await db
    .selectFrom("credit_entries")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("id")
    .execute();
  let running = 0n;
  for (const entry of entries) {
    running += entry.amount;
    assert.equal(entry.balance_after, running, `balance_after of entry ${entry.id}`);
    assert.ok(entry.balance_after >= 0n, "never negative");
  }
  assert.equal(account.balance, running, "balance = sum of credit entries");

  const holds = await db
    .selectFrom("holds")
    .select(total("amount").as("sum"))
    .where("account_id", "=", accountId)
    .executeTakeFirstOrThrow();
  assert.equal(account.held, holds.sum, "account.held = sum of its holds");
  assert.ok(account.held >= 0n && account.held <= account.balance, "holds fit in the balance");

  const usage = await db.selectFrom("usage_records").selectAll().where("account_id", "=", accountId).execute();
  const usageEntries = new Map(entries.filter((e) => e.kind === "usage").map((e) => [e.ref, e.amount]));
  assert.equal(usageEntries.size, usage.length, "one credit entry per usage record");
  for (const record of usage) assert.equal(usageEntries.get(record.request_id), -record.price_charged);
  const pending = await db.selectFrom("holds").select("request_id").where("account_id", "=", accountId).execute();
  for (const { request_id } of pending) {
    assert.ok(!usageEntries.has(request_id), `request ${request_id} is both held and settled`);
  }

  const keys = await db.selectFrom("api_keys").selectAll().where("account_id", "=", accountId).execute();
  for (const key of keys) {
    const { sum: keyHeld } = await db
      .selectFrom("holds")
      .select(total("amount").as("sum"))
      .where("key_id", "=", key.id)
      .executeTakeFirstOrThrow();
    const { sum: keySpent } = await db
      .selectFrom("usage_records")
      .select(total("price_charged").as("sum"))
      .where("key_id", "=", key.id)
      .executeTakeFirstOrThrow();
    assert.equal(key.held, keyHeld, `key ${key.id} held`);
    assert.equal(key.spent, keySpent, `key ${key.id} spent`);
  }
}
