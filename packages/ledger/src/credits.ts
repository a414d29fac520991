// Credits: an account's append-only credit entries. A deposit is applied exactly once per external
// ref; usage entries are written by metering.ts when a request settles.
import { isUniqueViolation, type Database } from "./db/database.ts";
import type { CreditEntryRow, CreditKind } from "./db/schema.ts";
import { checkMoney, Repository, type Trx } from "./context.ts";
import { CreditRefConflict, InvalidArgument } from "./errors.ts";
import { toCreditEntry } from "./rows.ts";

export interface CreditEntry {
  id: bigint;
  accountId: string;
  kind: CreditKind;
  amount: bigint;
  balanceAfter: bigint;
  ref: string;
  memo: string | null;
  createdAt: number;
}

export interface AddCreditsRequest {
  accountId: string;
  /** Micro-USD, positive. */
  amount: bigint;
  /** External id making the deposit idempotent: a USDC deposit id, a Stripe event id. */
  ref: string;
  memo?: string;
}

export interface AddCreditsResult {
  entry: CreditEntry;
  /** false when this ref had already been applied (nothing changed). */
  applied: boolean;
}

/** What became of a credited deposit a reorg removed. */
export interface ReorgedDeposit {
  accountId: string;
  amount: bigint;
  ref: string;
  outcome: "reversed" | "locked";
}

export class Credits extends Repository {
  /** Credit an account, exactly once per external ref: replaying a ref changes nothing. */
  async add(request: AddCreditsRequest): Promise<AddCreditsResult> {
    const { db } = this.ctx;
    try {
      const result = await db.transaction().execute((trx) => this.addIn(trx, request));
      if (result.applied) await db.durable(); // a deposit acknowledged is a deposit kept
      return result;
    } catch (error) {
      // The same ref applied concurrently to another account: that one won the unique index.
      if (!isUniqueViolation(error)) throw error;
      const previous = await findDeposit(db, request.ref);
      if (!previous) throw error;
      return replayedDeposit(previous, request.accountId, request.amount);
    }
  }

  /**
   * `add` inside the caller's transaction (the chain indexer's: a USDC deposit is credited in the
   * transaction that advances its cursor). Durable once the caller has committed and awaited db.durable().
   */
  async addIn(trx: Trx, { accountId, amount, ref, memo }: AddCreditsRequest): Promise<AddCreditsResult> {
    checkMoney(amount, "credit amount");
    if (amount === 0n) throw new InvalidArgument("credit amount must be positive");
    if (ref === "") throw new InvalidArgument("credit ref must not be empty");
    const account = await this.ctx.lockAccount(trx, accountId);
    const previous = await findDeposit(trx, ref);
    if (previous) return replayedDeposit(previous, accountId, amount);
    const balanceAfter = account.balance + amount;
    checkMoney(balanceAfter, "balance");
    const entry = await this.#appendEntry(trx, {
      account_id: accountId,
      kind: "deposit",
      amount,
      balance_after: balanceAfter,
      ref,
      memo: memo ?? null,
    });
    await trx.updateTable("accounts").set({ balance: balanceAfter }).where("id", "=", accountId).execute();
    return { entry, applied: true };
  }

  /**
   * A chain reorg removed the deposit credited under `ref`: take it back when the account's available
   * balance (balance - holds) still covers it, otherwise lock the account (no new holds) for an operator,
   * since the no-overdraft guard forbids a negative balance. Either way the case is recorded in
   * reorged_deposits. Undefined when `ref` was never credited.
   */
  async reverseDepositIn(trx: Trx, { ref, depositKey }: { ref: string; depositKey: string }): Promise<ReorgedDeposit | undefined> {
    const deposit = await findDeposit(trx, ref);
    if (!deposit) return undefined;
    const account = await this.ctx.lockAccount(trx, deposit.account_id);
    const covered = account.balance - account.held >= deposit.amount;
    const outcome: ReorgedDeposit["outcome"] = covered ? "reversed" : "locked";
    if (covered) {
      const balanceAfter = account.balance - deposit.amount;
      await this.#appendEntry(trx, {
        account_id: account.id,
        kind: "reversal",
        amount: -deposit.amount,
        balance_after: balanceAfter,
        ref,
        memo: "deposit removed by a chain reorg",
      });
      await trx.updateTable("accounts").set({ balance: balanceAfter }).where("id", "=", account.id).execute();
    } else {
      const reason = `reorged deposit ${ref} (${deposit.amount} micro-USD) was already spent`;
      await trx.updateTable("accounts").set({ locked_reason: reason }).where("id", "=", account.id).execute();
    }
    await trx
      .insertInto("reorged_deposits")
      .values({ deposit_key: depositKey, credit_ref: ref, account_id: account.id, amount: deposit.amount, outcome, created_at: this.ctx.timestamp() })
      .execute();
    return { accountId: account.id, amount: deposit.amount, ref, outcome };
  }

  /** An account's credit entries, oldest first. */
  async listEntries(accountId: string): Promise<CreditEntry[]> {
    const rows = await this.ctx.db
      .selectFrom("credit_entries")
      .selectAll()
      .where("account_id", "=", accountId)
      .orderBy("id")
      .execute();
    return rows.map(toCreditEntry);
  }

  async #appendEntry(trx: Trx, entry: Omit<CreditEntryRow, "id" | "created_at">): Promise<CreditEntry> {
    const row = await trx
      .insertInto("credit_entries")
      .values({ ...entry, created_at: this.ctx.timestamp() })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCreditEntry(row);
  }
}

function findDeposit(db: Database | Trx, ref: string): Promise<CreditEntryRow | undefined> {
  return db
    .selectFrom("credit_entries")
    .selectAll()
    .where("kind", "=", "deposit")
    .where("ref", "=", ref)
    .executeTakeFirst();
}

function replayedDeposit(previous: CreditEntryRow, accountId: string, amount: bigint): AddCreditsResult {
  if (previous.account_id !== accountId || previous.amount !== amount) throw new CreditRefConflict(previous.ref);
  return { entry: toCreditEntry(previous), applied: false };
}
