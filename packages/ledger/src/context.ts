// What the ledger's repositories share: the database, this process's instance id, the clock, the
// two locks money moves under (the account row; a claimed hold) and the argument checks.
//
// Money moves only inside database transactions that first lock the account row (lockAccount; on
// SQLite the write transaction already holds the database's only write lock, BEGIN IMMEDIATE). Every
// operation that changes an account's money takes that lock first and no other row lock before it,
// so concurrent requests serialise per account and never deadlock. `accounts.held` and
// `api_keys.held` always equal the sum of their active holds: they change in the same transaction
// as the holds themselves.
import type { Transaction } from "kysely";
import type { Database } from "./db/database.ts";
import type { AccountRow, HoldRow, Schema } from "./db/schema.ts";
import { InvalidArgument, UnknownAccount } from "./errors.ts";
import * as hot from "./queries.ts";

export type Trx = Transaction<Schema>;

/** Largest value of a SQL BIGINT. */
const MAX_BIGINT = 2n ** 63n - 1n;

export class LedgerContext {
  readonly db: Database;
  /** Tags this process's holds, so that reconcile() after a crash finds them. */
  readonly instanceId: string;
  readonly #now: () => number;

  constructor(db: Database, instanceId: string, now: () => number) {
    this.db = db;
    this.instanceId = instanceId;
    this.#now = now;
  }

  timestamp(): bigint {
    return BigInt(this.#now());
  }

  /** UnknownAccount unless the account exists (before writing a row that references it). */
  async requireAccount(accountId: string): Promise<void> {
    const row = await this.db.selectFrom("accounts").select("id").where("id", "=", accountId).executeTakeFirst();
    if (!row) throw new UnknownAccount(accountId);
  }

  /** The account row, locked until the transaction ends (the per-account serialisation point). */
  async lockAccount(trx: Trx, accountId: string): Promise<AccountRow> {
    const row = await this.db
      .forUpdate(trx.selectFrom("accounts").selectAll().where("id", "=", accountId))
      .executeTakeFirst();
    if (!row) throw new UnknownAccount(accountId);
    return row;
  }

  /**
   * Run `fn` on a hold claimed (deleted) with its account locked, in the same transaction;
   * undefined when there is no such hold (any more).
   */
  async withLockedHold<T>(requestId: string, fn: (trx: Trx, hold: HoldRow) => Promise<T>): Promise<T | undefined> {
    return this.db.writeTransaction(async (trx) => {
      const hold = await this.#claimHold(trx, requestId);
      return hold ? fn(trx, hold) : undefined;
    });
  }

  /**
   * Take the hold as the first write of settle/release: whoever deletes the row owns it, so a hold
   * can never be consumed twice. Where the write transaction holds the database's only write lock
   * (SQLite, BEGIN IMMEDIATE), the hold is taken at once. Where rows are locked one by one
   * (PostgreSQL), the hold's account is locked first (lock order: account row first); a concurrent
   * settle/release may have consumed the hold meanwhile, and then nothing is deleted.
   */
  async #claimHold(trx: Trx, requestId: string): Promise<HoldRow | undefined> {
    if (this.db.writeLock === "database") return (await hot.claimHold(trx, { requestId })).rows[0];
    const [unlocked] = (await hot.holdById(trx, { requestId })).rows;
    if (!unlocked) return undefined;
    await hot.lockAccount(trx, { accountId: unlocked.account_id });
    return (await hot.claimAccountHold(trx, { requestId, accountId: unlocked.account_id })).rows[0];
  }
}

/** One job of the ledger (accounts, keys, credits…) over the context every job shares. */
export abstract class Repository {
  protected readonly ctx: LedgerContext;

  constructor(ctx: LedgerContext) {
    this.ctx = ctx;
  }
}

export function checkMoney(amount: bigint, what: string): void {
  if (typeof amount !== "bigint" || amount < 0n || amount > MAX_BIGINT) {
    throw new InvalidArgument(`${what} must be a non-negative bigint of micro-USD below 2^63`);
  }
}

export function checkTokens({ inputTokens, outputTokens }: { inputTokens: bigint; outputTokens: bigint }): void {
  for (const n of [inputTokens, outputTokens]) {
    if (typeof n !== "bigint" || n < 0n || n > MAX_BIGINT) throw new InvalidArgument("token counts must be non-negative bigints");
  }
}
