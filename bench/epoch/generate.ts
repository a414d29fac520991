// Fills a ledger database with one epoch of usage at scale for bench/epoch: `accounts` API accounts
// (one key each), `records` usage records spread over `deployments` $MTs inside one epoch window.
// Popularity is skewed the way real traffic is (a few deployments and heavy users take most calls),
// from a seeded PRNG so every run settles the same epoch. Rows go in with multi-row inserts in
// transactions, the fastest path both dialects share through Kysely.
import { rng } from "@fomo/testkit";
import { accountDepositKeys, type Database } from "@fomo/ledger";
import type { Address } from "viem";

export interface EpochData {
  deployments: Address[];
  accounts: string[];
  records: number;
}

export interface GenerateOptions {
  deployments: number;
  accounts: number;
  records: number;
  /** The epoch window, ms. */
  fromMs: number;
  toMs: number;
  seed: number;
  progress?: (done: number, total: number) => void;
}

/** 17 columns a row: batches stay under SQLite's and PostgreSQL's bound-parameter limits. */
const BATCH = 1_000;

const addressOf = (i: number): Address => `0x${(0xf0000000 + i).toString(16).padStart(40, "0")}` as Address;

/** Index in [0, n) with a Zipf-like skew (s ≈ 1): index i is drawn about 1/(i+1) as often as 0. */
function skewed(next: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(Math.exp(next() * Math.log(n + 1))) - 1);
}

/** The epoch's $MTs and accounts. */
export function epochParties(o: Pick<GenerateOptions, "deployments" | "accounts">): { deployments: Address[]; accounts: string[] } {
  return {
    deployments: Array.from({ length: o.deployments }, (_, i) => addressOf(i)),
    accounts: Array.from({ length: o.accounts }, (_, i) => `acct_${i.toString(36).padStart(6, "0")}`),
  };
}

/** The epoch's usage records, in order: the same seed gives the same records. */
export function* usageRows(o: GenerateOptions, deployments: readonly Address[], accounts: readonly string[]) {
  const r = rng(o.seed);
  const span = o.toMs - o.fromMs;
  for (let i = 0; i < o.records; i++) {
    const account = accounts[skewed(r.next, accounts.length)]!;
    const input = BigInt(r.int(10, 4_000));
    const output = BigInt(r.int(1, 1_000));
    const price = input * 2n + output * 6n; // micro-USD: a small model's prices
    yield {
      request_id: `req_${i.toString(36)}`,
      account_id: account,
      key_id: `key_${account}`,
      model_id: "bench-model",
      deployment: deployments[skewed(r.next, deployments.length)]!.toLowerCase(),
      input_tokens: input,
      output_tokens: output,
      list_price: price,
      discount_bps: 0n,
      price_charged: price,
      hard_cost: price / 2n,
      usage_source: "tokenizer" as const,
      finish_reason: "stop",
      latency_ms: 100n,
      created_at: BigInt(o.fromMs + Math.floor((i / o.records) * span)),
      receipt_signature: null,
    };
  }
}

export async function generateEpoch(db: Database, o: GenerateOptions): Promise<EpochData> {
  const { deployments, accounts } = epochParties(o);
  for (let i = 0; i < accounts.length; i += BATCH) {
    const ids = accounts.slice(i, i + BATCH);
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto("accounts")
        .values(ids.map((id) => ({ id, name: id, ...accountDepositKeys({ id, name: id }), balance: 1_000_000_000n, held: 0n, created_at: BigInt(o.fromMs) })))
        .execute();
      await tx
        .insertInto("api_keys")
        .values(ids.map((id) => ({ id: `key_${id}`, account_id: id, hash: `hash_${id}`, prefix: "fomo-bench", spent: 0n, held: 0n, created_at: BigInt(o.fromMs) })))
        .execute();
    });
  }
  const rows = usageRows(o, deployments, accounts);
  for (let done = 0; done < o.records; ) {
    const n = Math.min(BATCH * 10, o.records - done);
    await db.transaction().execute(async (tx) => {
      for (let b = 0; b < n; b += BATCH) {
        const batch = Array.from({ length: Math.min(BATCH, n - b) }, () => rows.next().value!);
        await tx.insertInto("usage_records").values(batch).execute();
      }
    });
    done += n;
    o.progress?.(done, o.records);
  }
  return { deployments, accounts, records: o.records };
}
