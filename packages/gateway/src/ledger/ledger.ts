// The credit ledger: accounts, API keys, append-only credit entries, holds and usage records.
//
// Money moves only inside database transactions that first lock the account row (SELECT … FOR
// UPDATE on PostgreSQL; SQLite runs one write transaction at a time, BEGIN IMMEDIATE). Every
// operation that changes an account's money takes that lock first and no other row lock before it,
// so concurrent requests serialise per account and never deadlock. `accounts.held` and
// `api_keys.held` always equal the sum of their active holds: they change in the same transaction
// as the holds themselves.
import { USAGE_EPOCH_SECONDS, type Pricing } from "@fomo/sdk";
import type { Transaction } from "kysely";
import type { Database } from "../db/database.ts";
import type {
  AccountRow,
  ApiKeyRow,
  CreditEntryRow,
  CreditKind,
  HoldRow,
  Schema,
  UsageRecordRow,
  UsageSource,
} from "../db/schema.ts";
import { checkDiscountBps, priceRequest, type PriceTerms, type TokenCounts } from "../pricing/pricing.ts";
import {
  AccountExists,
  CreditRefConflict,
  DuplicateRequest,
  InsufficientCredits,
  InvalidArgument,
  KeyRevoked,
  SpendCapReached,
  UnknownAccount,
  UnknownHold,
  UnknownKey,
} from "./errors.ts";
import { displayPrefix, generateKey, hashKey, isWellFormedKey, newId } from "./keys.ts";
import * as hot from "./queries.ts";

export interface Account {
  id: string;
  name: string;
  wallet: string | null;
  balance: bigint;
  /** Sum of the account's active holds. */
  held: bigint;
  /** balance - held: what a new request may reserve. */
  available: bigint;
  createdAt: number;
}

/** A key as listed: never the secret, never its hash. */
export interface ApiKey {
  id: string;
  accountId: string;
  prefix: string;
  name: string | null;
  spendCap: bigint | null;
  spent: bigint;
  held: bigint;
  rpmLimit: number | null;
  tpmLimit: number | null;
  createdAt: number;
  revokedAt: number | null;
}

/** A key as authenticated: with what its account could spend when it was looked up. */
export interface AuthenticatedKey extends ApiKey {
  /** The account's balance minus its holds at lookup time: a snapshot, Ledger.reserve decides. */
  accountAvailable: bigint;
}

export interface CreatedKey {
  key: ApiKey;
  /** The raw key: shown to the user once, stored nowhere. */
  secret: string;
}

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

export interface Hold {
  requestId: string;
  accountId: string;
  keyId: string;
  instanceId: string;
  amount: bigint;
  modelId: string;
  deployment: string;
  terms: PriceTerms;
  checkpoint: TokenCounts | null;
  createdAt: number;
}

export interface UsageRecord {
  requestId: string;
  accountId: string;
  keyId: string;
  modelId: string;
  deployment: string;
  inputTokens: bigint;
  outputTokens: bigint;
  listPrice: bigint;
  discountBps: number;
  priceCharged: bigint;
  hardCost: bigint;
  source: UsageSource;
  finishReason: string | null;
  latencyMs: number | null;
  createdAt: number;
  receiptSignature: string | null;
}

export interface ReserveRequest {
  requestId: string;
  keyId: string;
  /** The worst-case cost to set aside (pricing.worstCaseCost). */
  amount: bigint;
  modelId: string;
  /** $MT address of the deployment, or 'platform'. */
  deployment: string;
  /** Price terms the request is admitted at: settle and reconcile charge with these. */
  pricing: Pricing;
  discountBps?: number;
}

export interface Usage extends TokenCounts {
  source: UsageSource;
  latencyMs?: number;
  /** e.g. 'stop', 'length', 'client_disconnect'. */
  finishReason?: string;
}

/** Signs a usage record about to be written (its usage receipt); returns the signature stored with it (null: none). */
export type Seal = (record: UsageRecord) => Promise<string | null>;

export interface SettleOptions {
  seal?: Seal;
}

export interface ReconcileResult {
  settled: UsageRecord[];
  released: string[];
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

export interface CreateKeyRequest {
  accountId: string;
  name?: string;
  spendCap?: bigint;
  rpmLimit?: number;
  tpmLimit?: number;
}

export interface LedgerOptions {
  /**
   * Stable id of this gateway process (same id across restarts): its holds are tagged with it so
   * that reconcile() at the next start finds what a crash left behind. Default 'default'.
   */
  instanceId?: string;
  /** Clock, epoch ms (tests inject one). */
  now?: () => number;
}

/** The finish reason recorded for a request settled by reconcile() after a crash. */
export const INTERRUPTED = "interrupted";

/** One usage epoch (a UTC day) in ms, from the SDK. */
const DAY_MS = USAGE_EPOCH_SECONDS * 1_000n;

/** Largest value of a SQL BIGINT. */
const MAX_BIGINT = 2n ** 63n - 1n;

type Trx = Transaction<Schema>;

export class Ledger {
  readonly db: Database;
  readonly instanceId: string;
  readonly #now: () => number;

  constructor(db: Database, options: LedgerOptions = {}) {
    this.db = db;
    this.instanceId = options.instanceId ?? "default";
    this.#now = options.now ?? Date.now;
  }

  // ------------------------------------------------------------------ accounts

  async createAccount(name: string, options: { wallet?: string } = {}): Promise<Account> {
    if (name.trim() === "") throw new InvalidArgument("account name must not be empty");
    const row = {
      id: newId("acct"),
      name,
      wallet: options.wallet === undefined ? null : normaliseWallet(options.wallet),
      balance: 0n,
      held: 0n,
      created_at: this.#timestamp(),
    };
    try {
      await this.db.insertInto("accounts").values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new AccountExists(name);
      throw error;
    }
    return toAccount(row);
  }

  async getAccount(accountId: string): Promise<Account> {
    const row = await this.db.selectFrom("accounts").selectAll().where("id", "=", accountId).executeTakeFirst();
    if (!row) throw new UnknownAccount(accountId);
    return toAccount(row);
  }

  async findAccountByName(name: string): Promise<Account | undefined> {
    const row = await this.db.selectFrom("accounts").selectAll().where("name", "=", name).executeTakeFirst();
    return row && toAccount(row);
  }

  /** Bind (or unbind, with null) the wallet whose stake earns the account its staker discount. */
  async bindWallet(accountId: string, wallet: string | null): Promise<Account> {
    const row = await this.db
      .updateTable("accounts")
      .set({ wallet: wallet === null ? null : normaliseWallet(wallet) })
      .where("id", "=", accountId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new UnknownAccount(accountId);
    return toAccount(row);
  }

  /** Credit an account, exactly once per external ref: replaying a ref changes nothing. */
  async addCredits({ accountId, amount, ref, memo }: AddCreditsRequest): Promise<AddCreditsResult> {
    checkMoney(amount, "credit amount");
    if (amount === 0n) throw new InvalidArgument("credit amount must be positive");
    if (ref === "") throw new InvalidArgument("credit ref must not be empty");
    try {
      const result = await this.db.transaction().execute(async (trx) => {
        const account = await this.#lockAccount(trx, accountId);
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
      });
      if (result.applied) await this.db.durable(); // a deposit acknowledged is a deposit kept
      return result;
    } catch (error) {
      // The same ref applied concurrently to another account: that one won the unique index.
      if (!isUniqueViolation(error)) throw error;
      const previous = await findDeposit(this.db, ref);
      if (!previous) throw error;
      return replayedDeposit(previous, accountId, amount);
    }
  }

  /** An account's credit entries, oldest first. */
  async listCreditEntries(accountId: string): Promise<CreditEntry[]> {
    const rows = await this.db
      .selectFrom("credit_entries")
      .selectAll()
      .where("account_id", "=", accountId)
      .orderBy("id")
      .execute();
    return rows.map(toCreditEntry);
  }

  // ------------------------------------------------------------------ API keys

  async createKey({ accountId, name, spendCap, rpmLimit, tpmLimit }: CreateKeyRequest): Promise<CreatedKey> {
    if (spendCap !== undefined) checkMoney(spendCap, "spend cap");
    const account = await this.db.selectFrom("accounts").select("id").where("id", "=", accountId).executeTakeFirst();
    if (!account) throw new UnknownAccount(accountId);
    const secret = generateKey();
    const row: ApiKeyRow = {
      id: newId("key"),
      account_id: accountId,
      hash: hashKey(secret),
      prefix: displayPrefix(secret),
      name: name ?? null,
      spend_cap: spendCap ?? null,
      spent: 0n,
      held: 0n,
      rpm_limit: limit(rpmLimit, "rpm limit"),
      tpm_limit: limit(tpmLimit, "tpm limit"),
      created_at: this.#timestamp(),
      revoked_at: null,
    };
    await this.db.insertInto("api_keys").values(row).execute();
    return { key: toApiKey(row), secret };
  }

  /** Revoke a key for good (revoking twice keeps the first time). Holds in flight still settle. */
  async revokeKey(keyId: string): Promise<ApiKey> {
    const current = await this.#keyRow(this.db, keyId);
    if (current.revoked_at !== null) return toApiKey(current);
    const row = await this.db
      .updateTable("api_keys")
      .set({ revoked_at: this.#timestamp() })
      .where("id", "=", keyId)
      .where("revoked_at", "is", null)
      .returningAll()
      .executeTakeFirst();
    return toApiKey(row ?? (await this.#keyRow(this.db, keyId)));
  }

  async listKeys(accountId: string): Promise<ApiKey[]> {
    const rows = await this.db
      .selectFrom("api_keys")
      .selectAll()
      .where("account_id", "=", accountId)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(toApiKey);
  }

  async getKey(keyId: string): Promise<ApiKey> {
    return toApiKey(await this.#keyRow(this.db, keyId));
  }

  /** The key a raw `sk-fomo-…` string stands for: UnknownKey or KeyRevoked otherwise. */
  async authenticate(rawKey: string): Promise<AuthenticatedKey> {
    if (!isWellFormedKey(rawKey)) throw new UnknownKey();
    const [row] = (await hot.keyByHash(this.db, { hash: hashKey(rawKey) })).rows;
    if (!row) throw new UnknownKey();
    if (row.revoked_at !== null) throw new KeyRevoked(row.id);
    return { ...toApiKey(row), accountAvailable: row.account_balance - row.account_held };
  }

  // ------------------------------------------------------------------ holds and usage

  /**
   * Set aside `amount` for a request before calling the model. Fails with InsufficientCredits when
   * the account's available balance (balance - active holds) does not cover it, SpendCapReached
   * when the key's cap does not, KeyRevoked, UnknownKey, or DuplicateRequest.
   */
  async reserve(request: ReserveRequest): Promise<Hold> {
    const { requestId, keyId, amount, modelId, deployment, pricing } = request;
    const discountBps = request.discountBps ?? 0;
    checkMoney(amount, "hold amount");
    try {
      checkDiscountBps(discountBps);
    } catch (error) {
      throw new InvalidArgument((error as Error).message);
    }
    if (requestId === "") throw new InvalidArgument("request id must not be empty");
    for (const [field, value] of Object.entries(pricing)) checkMoney(value as bigint, `pricing.${field}`);
    const hold: HoldRow = {
      request_id: requestId,
      account_id: "", // the key's, read under the lock
      key_id: keyId,
      instance_id: this.instanceId,
      amount,
      model_id: modelId,
      deployment,
      input_price: pricing.inputPrice,
      output_price: pricing.outputPrice,
      input_min_price: pricing.inputMinPrice,
      output_min_price: pricing.outputMinPrice,
      input_cost: pricing.inputCost,
      output_cost: pricing.outputCost,
      discount_bps: BigInt(discountBps),
      checkpoint_input_tokens: null,
      checkpoint_output_tokens: null,
      checkpointed_at: null,
      created_at: this.#timestamp(),
    };
    try {
      await this.db.writeTransaction(async (trx) => {
        // The key and its account read under the account's lock (on SQLite, BEGIN IMMEDIATE's write
        // lock): the account's balance/held and the key's spent/held only change under that lock.
        if (this.db.dialect === "postgres") await hot.lockKeyAccount(trx, { keyId });
        const [key] = (await hot.keyAndAccount(trx, { keyId })).rows;
        if (!key) throw new UnknownKey();
        if (key.revoked_at !== null) throw new KeyRevoked(keyId);
        if ((await hot.requestIdTaken(trx, { requestId })).rows.length > 0) throw new DuplicateRequest(requestId);
        const available = key.account_balance - key.account_held;
        if (amount > available) throw new InsufficientCredits(available, amount);
        if (key.spend_cap !== null) {
          const remaining = key.spend_cap - key.spent - key.held;
          if (amount > remaining) throw new SpendCapReached(key.spend_cap, remaining > 0n ? remaining : 0n, amount);
        }
        hold.account_id = key.account_id;
        await hot.insertHold(trx, hold);
        await hot.addAccountHeld(trx, { accountId: key.account_id, amount });
        await hot.addKeyHeld(trx, { keyId, amount });
      });
    } catch (error) {
      // The same request id reserved concurrently on another account's lock.
      if (isUniqueViolation(error)) throw new DuplicateRequest(requestId);
      throw error;
    }
    return toHold(hold);
  }

  /** Record the tokens a request has used so far: what reconcile() charges if this process dies. */
  async checkpoint(requestId: string, tokens: TokenCounts): Promise<boolean> {
    checkTokens(tokens);
    const result = await hot.checkpointHold(this.db, {
      requestId,
      inputTokens: tokens.inputTokens,
      outputTokens: tokens.outputTokens,
      at: this.#timestamp(),
    });
    return result.numAffectedRows! > 0n;
  }

  /**
   * Charge a request its real cost, in ONE transaction: delete the hold, write the usage record,
   * append the credit entry, update the balance. The price comes from the terms snapshotted at
   * reserve time; it never exceeds the hold (the most the request was admitted for). Idempotent:
   * settling a settled request returns its record and changes nothing.
   *
   * With `seal`, the record is computed from the hold first and `seal` signs it (the usage receipt)
   * outside the transaction, so no lock waits on the signature; the record is then written with its
   * signature in the same transaction.
   */
  async settle(requestId: string, usage: Usage, options: SettleOptions = {}): Promise<UsageRecord> {
    checkTokens(usage);
    if (usage.latencyMs !== undefined && (!Number.isSafeInteger(usage.latencyMs) || usage.latencyMs < 0)) {
      throw new InvalidArgument("latency must be a non-negative integer of milliseconds");
    }
    // A request with a hold is not settled yet (settling deletes the hold): its record is only looked
    // up when there is no hold, i.e. settled already (return that record), or never reserved / released.
    const sealed = options.seal && (await this.#sealedRow(requestId, usage, options.seal));
    const record =
      options.seal && !sealed ? undefined : await this.#withLockedHold(requestId, (trx, hold) => this.#settleHold(trx, hold, usage, sealed));
    const result = record ?? (await this.getUsage(requestId));
    if (result) {
      // The caller answers the client with this charge: it must be on disk first.
      await this.db.durable();
      return result;
    }
    throw new UnknownHold(requestId);
  }

  /** Give a request's hold back, charging nothing (the request failed before any work was served). */
  async release(requestId: string): Promise<boolean> {
    const released = await this.#withLockedHold(requestId, async (trx, hold) => {
      await debit(trx, hold, 0n);
      return true;
    });
    if (!released) return false;
    await this.db.durable(); // the hold's money is available again: do not let a power cut take that back
    return true;
  }

  /**
   * At start-up, clean up the holds a crashed process with this instance id left behind: a hold
   * with a checkpoint is settled from it (usage source 'checkpoint'), one without is released.
   * Each hold is handled in its own transaction, so a second reconcile finds nothing to do.
   * Only call it for an instance that is not running.
   */
  async reconcile(instanceId: string = this.instanceId): Promise<ReconcileResult> {
    const rows = await this.db
      .selectFrom("holds")
      .select("request_id")
      .where("instance_id", "=", instanceId)
      .orderBy("created_at")
      .execute();
    return this.#reconcileHolds(rows.map((r) => r.request_id));
  }

  /**
   * Reconcile every hold created before `createdBefore` (epoch ms), whatever its instance: for a
   * cluster whose instances may not come back. Pick a cutoff no live request can be older than.
   */
  async reconcileStale(createdBefore: number): Promise<ReconcileResult> {
    const rows = await this.db
      .selectFrom("holds")
      .select("request_id")
      .where("created_at", "<", BigInt(createdBefore))
      .orderBy("created_at")
      .execute();
    return this.#reconcileHolds(rows.map((r) => r.request_id));
  }

  async getHold(requestId: string): Promise<Hold | undefined> {
    const row = await this.db.selectFrom("holds").selectAll().where("request_id", "=", requestId).executeTakeFirst();
    return row && toHold(row);
  }

  async listHolds(instanceId?: string): Promise<Hold[]> {
    const rows = await this.db
      .selectFrom("holds")
      .selectAll()
      .$if(instanceId !== undefined, (q) => q.where("instance_id", "=", instanceId!))
      .orderBy("created_at")
      .execute();
    return rows.map(toHold);
  }

  async getUsage(requestId: string): Promise<UsageRecord | undefined> {
    const row = await this.db
      .selectFrom("usage_records")
      .selectAll()
      .where("request_id", "=", requestId)
      .executeTakeFirst();
    return row && toUsageRecord(row);
  }

  /** Attach the signed usage receipt to a record, once. */
  async setReceiptSignature(requestId: string, signature: string): Promise<boolean> {
    const result = await this.db
      .updateTable("usage_records")
      .set({ receipt_signature: signature })
      .where("request_id", "=", requestId)
      .where("receipt_signature", "is", null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * The usage records settled in `epoch` (UTC day number: created_at in [epoch, epoch + 1) days),
   * optionally of one deployment: the receipts the keeper commits for that day. Ordered by time, then id.
   */
  async listEpochUsage(epoch: number, deployment?: string): Promise<UsageRecord[]> {
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new InvalidArgument("epoch must be a non-negative integer (UTC day number)");
    const rows = await this.db
      .selectFrom("usage_records")
      .selectAll()
      .$if(deployment !== undefined, (q) => q.where("deployment", "=", deployment!))
      .where("created_at", ">=", BigInt(epoch) * DAY_MS)
      .where("created_at", "<", BigInt(epoch + 1) * DAY_MS)
      .orderBy("created_at")
      .orderBy("request_id")
      .execute();
    return rows.map(toUsageRecord);
  }

  // ------------------------------------------------------------------ internals

  #timestamp(): bigint {
    return BigInt(this.#now());
  }

  /** The account row, locked until the transaction ends (the per-account serialisation point). */
  async #lockAccount(trx: Trx, accountId: string): Promise<AccountRow> {
    const row = await trx
      .selectFrom("accounts")
      .selectAll()
      .where("id", "=", accountId)
      .$if(this.db.dialect === "postgres", (q) => q.forUpdate())
      .executeTakeFirst();
    if (!row) throw new UnknownAccount(accountId);
    return row;
  }

  async #keyRow(db: Database | Trx, keyId: string): Promise<ApiKeyRow> {
    const row = await db.selectFrom("api_keys").selectAll().where("id", "=", keyId).executeTakeFirst();
    if (!row) throw new UnknownKey();
    return row;
  }

  /**
   * Run `fn` on a hold claimed (deleted) with its account locked, in the same transaction;
   * undefined when there is no such hold (any more).
   */
  async #withLockedHold<T>(requestId: string, fn: (trx: Trx, hold: HoldRow) => Promise<T>): Promise<T | undefined> {
    return this.db.writeTransaction(async (trx) => {
      const hold = await this.#claimHold(trx, requestId);
      return hold ? fn(trx, hold) : undefined;
    });
  }

  /**
   * Take the hold as the first write of settle/release: whoever deletes the row owns it, so a hold
   * can never be consumed twice. On SQLite the transaction (BEGIN IMMEDIATE) already holds the
   * database's only write lock, so the hold is taken at once. On PostgreSQL the hold's account is
   * locked first (lock order: account row first); a concurrent settle/release may have consumed the
   * hold meanwhile, and then nothing is deleted.
   */
  async #claimHold(trx: Trx, requestId: string): Promise<HoldRow | undefined> {
    if (this.db.dialect === "sqlite") return (await hot.claimHold(trx, { requestId })).rows[0];
    const [unlocked] = (await hot.holdById(trx, { requestId })).rows;
    if (!unlocked) return undefined;
    await hot.lockAccount(trx, { accountId: unlocked.account_id });
    return (await hot.claimAccountHold(trx, { requestId, accountId: unlocked.account_id })).rows[0];
  }

  /** The usage record a hold settles to, signed by `seal`; undefined when there is no hold (any more). */
  async #sealedRow(requestId: string, usage: Usage, seal: Seal): Promise<Sealed | undefined> {
    const [hold] = (await hot.holdById(this.db, { requestId })).rows;
    if (!hold) return undefined;
    const row = this.#usageRow(hold, usage);
    return { hold, row: { ...row, receipt_signature: await seal(toUsageRecord(row)) } };
  }

  /** The usage record of `hold` settled with `usage` (unsigned). Hold terms never change, so it can be computed outside the lock. */
  #usageRow(hold: HoldRow, usage: Usage): UsageRecordRow {
    const terms = toPriceTerms(hold);
    const price = priceRequest(terms.pricing, usage, terms.discountBps);
    return {
      request_id: hold.request_id,
      account_id: hold.account_id,
      key_id: hold.key_id,
      model_id: hold.model_id,
      deployment: hold.deployment,
      input_tokens: usage.inputTokens,
      output_tokens: usage.outputTokens,
      list_price: price.listPrice,
      discount_bps: hold.discount_bps,
      price_charged: price.price < hold.amount ? price.price : hold.amount,
      hard_cost: price.hardCost,
      usage_source: usage.source,
      finish_reason: usage.finishReason ?? null,
      latency_ms: usage.latencyMs === undefined ? null : BigInt(usage.latencyMs),
      created_at: this.#timestamp(),
      receipt_signature: null,
    };
  }

  /** Settles the claimed `hold`: with the record sealed beforehand if it was computed from this very hold, else a fresh one. */
  async #settleHold(trx: Trx, hold: HoldRow, usage: Usage, sealed?: Sealed): Promise<UsageRecord> {
    const record = sealed && sameHold(sealed.hold, hold) ? sealed.row : this.#usageRow(hold, usage);
    const charged = record.price_charged;
    const balanceAfter = await debit(trx, hold, charged);
    await hot.insertUsage(trx, record);
    await hot.insertCreditEntry(trx, {
      account_id: hold.account_id,
      kind: "usage",
      amount: -charged,
      balance_after: balanceAfter,
      ref: hold.request_id,
      memo: null,
      created_at: this.#timestamp(),
    });
    return toUsageRecord(record);
  }

  async #appendEntry(trx: Trx, entry: Omit<CreditEntryRow, "id" | "created_at">): Promise<CreditEntry> {
    const row = await trx
      .insertInto("credit_entries")
      .values({ ...entry, created_at: this.#timestamp() })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCreditEntry(row);
  }

  async #reconcileHolds(requestIds: string[]): Promise<ReconcileResult> {
    const result: ReconcileResult = { settled: [], released: [] };
    for (const requestId of requestIds) {
      await this.#withLockedHold(requestId, async (trx, hold) => {
        if (hold.checkpointed_at === null) {
          await debit(trx, hold, 0n);
          result.released.push(requestId);
          return;
        }
        const usage: Usage = {
          inputTokens: hold.checkpoint_input_tokens ?? 0n,
          outputTokens: hold.checkpoint_output_tokens ?? 0n,
          source: "checkpoint",
          finishReason: INTERRUPTED,
        };
        result.settled.push(await this.#settleHold(trx, hold, usage));
      });
    }
    await this.db.durable();
    return result;
  }
}

// -------------------------------------------------------------------- helpers

/** A usage record computed and signed from `hold` before the settling transaction. */
interface Sealed {
  hold: HoldRow;
  row: UsageRecordRow;
}

/**
 * The same hold, checkpoints aside (they do not change the record): a request id released and
 * reserved again meanwhile would be another hold, with terms of its own.
 */
function sameHold(a: HoldRow, b: HoldRow): boolean {
  const moving = new Set(["checkpoint_input_tokens", "checkpoint_output_tokens", "checkpointed_at"]);
  return (Object.keys(a) as Array<keyof HoldRow>).every((k) => moving.has(k) || a[k] === b[k]);
}

/**
 * Free a claimed hold's amount on its account and key, charging `charged` of it (0 for a release).
 * Returns the account's balance after.
 */
async function debit(trx: Trx, hold: HoldRow, charged: bigint): Promise<bigint> {
  const [account] = (await hot.chargeAccount(trx, { accountId: hold.account_id, charged, held: hold.amount })).rows;
  await hot.chargeKey(trx, { keyId: hold.key_id, charged, held: hold.amount });
  return account!.balance;
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

/** A UNIQUE / PRIMARY KEY violation, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

function checkMoney(amount: bigint, what: string): void {
  if (typeof amount !== "bigint" || amount < 0n || amount > MAX_BIGINT) {
    throw new InvalidArgument(`${what} must be a non-negative bigint of micro-USD below 2^63`);
  }
}

function checkTokens({ inputTokens, outputTokens }: TokenCounts): void {
  for (const n of [inputTokens, outputTokens]) {
    if (typeof n !== "bigint" || n < 0n || n > MAX_BIGINT) throw new InvalidArgument("token counts must be non-negative bigints");
  }
}

function limit(value: number | undefined, what: string): bigint | null {
  if (value === undefined) return null;
  if (!Number.isSafeInteger(value) || value <= 0) throw new InvalidArgument(`${what} must be a positive integer`);
  return BigInt(value);
}

function normaliseWallet(wallet: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(wallet)) throw new InvalidArgument("wallet must be a 0x-prefixed 20-byte address");
  return wallet.toLowerCase();
}

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    name: row.name,
    wallet: row.wallet,
    balance: row.balance,
    held: row.held,
    available: row.balance - row.held,
    createdAt: Number(row.created_at),
  };
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    accountId: row.account_id,
    prefix: row.prefix,
    name: row.name,
    spendCap: row.spend_cap,
    spent: row.spent,
    held: row.held,
    rpmLimit: row.rpm_limit === null ? null : Number(row.rpm_limit),
    tpmLimit: row.tpm_limit === null ? null : Number(row.tpm_limit),
    createdAt: Number(row.created_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}

function toCreditEntry(row: CreditEntryRow): CreditEntry {
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind,
    amount: row.amount,
    balanceAfter: row.balance_after,
    ref: row.ref,
    memo: row.memo,
    createdAt: Number(row.created_at),
  };
}

function toPriceTerms(row: HoldRow): PriceTerms {
  return {
    pricing: {
      inputPrice: row.input_price,
      outputPrice: row.output_price,
      inputMinPrice: row.input_min_price,
      outputMinPrice: row.output_min_price,
      inputCost: row.input_cost,
      outputCost: row.output_cost,
    },
    discountBps: Number(row.discount_bps),
  };
}

function toHold(row: HoldRow): Hold {
  return {
    requestId: row.request_id,
    accountId: row.account_id,
    keyId: row.key_id,
    instanceId: row.instance_id,
    amount: row.amount,
    modelId: row.model_id,
    deployment: row.deployment,
    terms: toPriceTerms(row),
    checkpoint:
      row.checkpointed_at === null
        ? null
        : { inputTokens: row.checkpoint_input_tokens ?? 0n, outputTokens: row.checkpoint_output_tokens ?? 0n },
    createdAt: Number(row.created_at),
  };
}

function toUsageRecord(row: UsageRecordRow): UsageRecord {
  return {
    requestId: row.request_id,
    accountId: row.account_id,
    keyId: row.key_id,
    modelId: row.model_id,
    deployment: row.deployment,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    listPrice: row.list_price,
    discountBps: Number(row.discount_bps),
    priceCharged: row.price_charged,
    hardCost: row.hard_cost,
    source: row.usage_source,
    finishReason: row.finish_reason,
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
    createdAt: Number(row.created_at),
    receiptSignature: row.receipt_signature,
  };
}
