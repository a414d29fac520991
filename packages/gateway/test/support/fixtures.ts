// Shared test fixtures for the pricing and ledger tests: a template's prices, funded keys, and the
// ledger's bookkeeping invariants checked straight against the tables.
import assert from "node:assert/strict";
import { usdPerMillion, type Pricing } from "@fomo/sdk";
import { sql } from "kysely";
import type { Database } from "../../src/db/index.ts";
import type { ApiKey, Hold, Ledger, ReserveRequest } from "../../src/ledger/index.ts";
import type { TokenCounts } from "../../src/pricing/index.ts";

/** A cpu-small template: $0.20 / $0.80 per 1M tokens, hosting $0.02 / $0.05, min price 1.1 x cost. */
export const TEST_PRICING: Pricing = {
  inputPrice: usdPerMillion("0.20"), // 200,000 micro-USD per 1M tokens
  outputPrice: usdPerMillion("0.80"), // 800,000
  inputCost: usdPerMillion("0.02"), // 20,000
  outputCost: usdPerMillion("0.05"), // 50,000
  inputMinPrice: usdPerMillion("0.022"), // 22,000
  outputMinPrice: usdPerMillion("0.055"), // 55,000
};

export const USD = 1_000_000n; // micro-USD

export const tokens = (inputTokens: bigint, outputTokens: bigint): TokenCounts => ({ inputTokens, outputTokens });

/** Deterministic PRNG (mulberry32): random-looking cases that are the same on every run. */
export function rng(seed: number): (max: bigint) => bigint {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (max) => BigInt(Math.floor(next() * Number(max + 1n)));
}

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
  const account = await ledger.createAccount(options.name ?? `team-${Math.random().toString(36).slice(2)}`);
  if (credits > 0n) await ledger.addCredits({ accountId: account.id, amount: credits, ref: `seed-${account.id}` });
  const { key, secret } = await ledger.createKey({
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
  return ledger.reserve({
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
