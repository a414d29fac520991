// Shared test fixtures for the ledger and the tests built on it (gateway): funded keys, holds on the
// test template (TEST_PRICING, the SDK's test support), and the ledger's bookkeeping invariants
// checked straight against the tables.
import assert from "node:assert/strict";
import { sql } from "kysely";
import type { Database } from "../../src/db/index.ts";
import type { ApiKey, Hold, Ledger, ReserveRequest } from "../../src/index.ts";
import { TEST_PRICING } from "../../../sdk/test/support/fixtures.ts";

export const USD = 1_000_000n; // micro-USD

export interface Funded {
  accountId: string;
  key: ApiKey;
  secret: string;
}

/** A new account with `credits` micro-USD and one key. */
export async function fundedKey(
  ledger: Ledger,
  credits: bigint,
  options: { name?: string; spendCap?: bigint } = {},
): Promise<Funded> {
  const account = await ledger.accounts.create(options.name ?? `team-${Math.random().toString(36).slice(2)}`);
  if (credits > 0n) await ledger.credits.add({ accountId: account.id, amount: credits, ref: `seed-${account.id}` });
  const { key, secret } = await ledger.keys.create({
    accountId: account.id,
    ...(options.spendCap === undefined ? {} : { spendCap: options.spendCap }),
  });
  return { accountId: account.id, key, secret };
}

/** reserve() on the test model with defaults for the fields a test does not care about. */
export function reserveOn(
  ledger: Ledger,
  keyId: string,
  requestId: string,
  amount: bigint,
  overrides: Partial<ReserveRequest> = {},
): Promise<Hold> {
  return ledger.metering.reserve({
    requestId,
    keyId,
    amount,
    modelId: "stories-260k",
    deployment: "platform",
    pricing: TEST_PRICING,
    ...overrides,
  });
}

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

/** Everything the ledger holds, to prove an operation changed nothing. */
export async function snapshot(db: Database): Promise<unknown> {
  return {
    accounts: await db.selectFrom("accounts").selectAll().orderBy("id").execute(),
    keys: await db.selectFrom("api_keys").selectAll().orderBy("id").execute(),
    entries: await db.selectFrom("credit_entries").selectAll().orderBy("id").execute(),
    holds: await db.selectFrom("holds").selectAll().orderBy("request_id").execute(),
    usage: await db.selectFrom("usage_records").selectAll().orderBy("request_id").execute(),
  };
}

/** Await a promise that must reject with an instance of `type`; returns the error for more checks. */
export async function rejectsWith<T extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => T,
): Promise<T> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${type.name}, but it resolved`);
}
