// Shared test fixtures for the ledger and the tests built on it (gateway): funded keys, holds on the
// test template (TEST_PRICING, ./pricing.ts), snapshots of the ledger's tables (its bookkeeping
// invariants are ./books.ts', which the benchmark shares).
import assert from "node:assert/strict";
import { Ledger, type ApiKey, type Database, type Hold, type ReserveRequest, type UsageRecord } from "@fomo/ledger";
import { TEST_PRICING, tokens } from "./pricing.ts";

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

/**
 * `n` requests on `deployment` by a new funded key, reserved and settled through the ledger's metering,
 * stamped a second apart from `fromMs` + 1 s (inside an epoch's window): the usage an epoch settles.
 * Request ids are `<requestPrefix>-<i>`.
 */
export async function meteredUsage(db: Database, fromMs: number, deployment: string, n: number, requestPrefix: string): Promise<UsageRecord[]> {
  let at = fromMs;
  const ledger = new Ledger(db, { now: () => at });
  const { key } = await fundedKey(ledger, 100n * USD);
  const records: UsageRecord[] = [];
  for (let i = 0; i < n; i++) {
    at = fromMs + 1_000 * (i + 1);
    const requestId = `${requestPrefix}-${i}`;
    await ledger.metering.reserve({ requestId, keyId: key.id, amount: 5n * USD, modelId: "stories-260k", deployment, pricing: TEST_PRICING });
    records.push(await ledger.metering.settle(requestId, { ...tokens(1_000_000n + BigInt(i), 500_000n), source: "tokenizer" }));
  }
  return records;
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
