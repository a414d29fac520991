// Group transactions for SQLite. A ledger operation (reserve, settle) is a few small statements,
// and its COMMIT costs more than all of them: every page it touched (the hold, the usage record and
// their index pages, the account and key rows) goes to the WAL again. SQLite has one writer anyway,
// so the write transactions asked for in the same turn of the event loop run as one BEGIN IMMEDIATE
// … COMMIT, each in a savepoint of its own: the shared pages are written once, and a transaction
// that fails rolls back alone while the others commit. Each caller's promise settles only after the
// COMMIT, exactly as with a transaction of its own.
import { CompiledQuery, type Kysely, type Transaction } from "kysely";

/** More would hold the write lock, and every caller of the group, for too long. */
export const MAX_GROUP = 64;

const SAVEPOINT = CompiledQuery.raw("savepoint grouped");
const RELEASE = CompiledQuery.raw("release grouped");
const ROLLBACK_TO = CompiledQuery.raw("rollback to grouped");

interface Queued<DB> {
  fn: (trx: Transaction<DB>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class TransactionGroups<DB> {
  readonly #db: Kysely<DB>;
  readonly #maxGroup: number;
  #queue: Queued<DB>[] = [];
  #scheduled = false;
  /** Groups committed so far, and the transactions in them (tests and metrics: how well they group). */
  groups = 0;
  grouped = 0;

  constructor(db: Kysely<DB>, maxGroup = MAX_GROUP) {
    this.#db = db;
    this.#maxGroup = maxGroup;
  }

  /** Runs `fn` in a write transaction; resolves with its result once that transaction has committed. */
  run<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // After the current turn of the loop: every request whose data arrived in it joins the group.
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const group = this.#queue.splice(0, this.#maxGroup);
    if (this.#queue.length > 0) this.#schedule();
    if (group.length === 1) {
      // Alone: no savepoint needed.
      const [only] = group as [Queued<DB>];
      await this.#db
        .transaction()
        .execute(only.fn)
        .then((value) => {
          this.#count(1);
          only.resolve(value);
        }, only.reject);
      return;
    }
    const outcomes: Outcome[] = [];
    try {
      await this.#db.transaction().execute(async (trx) => {
        for (const { fn } of group) {
          await trx.executeQuery(SAVEPOINT);
          try {
            const value = await fn(trx);
            await trx.executeQuery(RELEASE);
            outcomes.push({ ok: true, value });
          } catch (error) {
            outcomes.push({ ok: false, error });
            // If SQLite rolled the whole transaction back (an I/O error, a full disk), this fails
            // too and the group fails as a whole: nothing of it was committed.
            await trx.executeQuery(ROLLBACK_TO);
            await trx.executeQuery(RELEASE);
          }
        }
      });
    } catch (error) {
      group.forEach((queued, i) => {
        const outcome = outcomes[i];
        // A transaction that failed on its own keeps its own error; the rest get the group's.
        queued.reject(outcome?.ok === false ? outcome.error : error);
      });
      return;
    }
    this.#count(group.length);
    group.forEach((queued, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) queued.resolve(outcome.value);
      else queued.reject(outcome.error);
    });
  }

  #count(transactions: number): void {
    this.groups++;
    this.grouped += transactions;
  }
}
