// Metering: a request's money from admission to charge. reserve() sets its worst-case cost aside (a
// hold), checkpoint() records the tokens served so far, settle() charges the real cost and writes the
// usage record, release() gives the hold back, and reconcile() cleans up what a crashed process left.
//
// Lock order (context.ts): the account row first, then the rows of its holds and keys; `accounts.held`
// and `api_keys.held` change in the same transaction as the holds they sum.
import { checkDiscountBps, priceRequest, type Pricing, type TokenCounts, type PriceTerms } from "@fomo/sdk";
import type { HoldRow, UsageRecordRow, UsageSource } from "./db/schema.ts";
import { checkMoney, checkTokens, Repository, type LedgerContext, type Trx } from "./context.ts";
import { isUniqueViolation } from "./db/database.ts";
import {
  DuplicateRequest,
  InsufficientCredits,
  InvalidArgument,
  KeyRevoked,
  SpendCapReached,
  UnknownHold,
  UnknownKey,
} from "./errors.ts";
import * as hot from "./queries.ts";
import { toHold, toPriceTerms, toUsageRecord } from "./rows.ts";
import type { UsageRecord, UsageRecords } from "./usage.ts";

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

export interface ReserveRequest {
  requestId: string;
  keyId: string;
  /** The worst-case cost to set aside (worstCaseCost, @fomo/sdk). */
  amount: bigint;
  modelId: string;
  /** $MT address of the deployment, or 'platform'. */
  deployment: string;
  /** Price terms the request is admitted at: settle and reconcile charge with these. */
  pricing: Pricing;
  discountBps?: number;
}

/** What a request used, to settle it: not a backend's usage report, not the settled UsageRecord. */
export interface SettleUsage extends TokenCounts {
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

/** The finish reason recorded for a request settled by reconcile() after a crash. */
export const INTERRUPTED = "interrupted";

export class Metering extends Repository {
  readonly #usage: UsageRecords;

  constructor(ctx: LedgerContext, usage: UsageRecords) {
    super(ctx);
    this.#usage = usage;
  }

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
      instance_id: this.ctx.instanceId,
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
      created_at: this.ctx.timestamp(),
    };
    const { db } = this.ctx;
    try {
      await db.writeTransaction(async (trx) => {
        // The key and its account read under the account's lock (on SQLite, BEGIN IMMEDIATE's write
        // lock): the account's balance/held and the key's spent/held only change under that lock.
        if (db.writeLock === "row") await hot.lockKeyAccount(trx, { keyId });
        const [key] = (await hot.keyAndAccount(trx, { keyId })).rows;
        if (!key) throw new UnknownKey();
        if (key.revoked_at !== null) throw new KeyRevoked(keyId);
        if ((await hot.requestIdTaken(trx, { requestId })).rows.length > 0) throw new DuplicateRequest(requestId);
        // A locked account (a reorged deposit it had already spent) has nothing available until an operator settles it.
        const available = key.account_locked_reason === null ? key.account_balance - key.account_held : 0n;
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
    const result = await hot.checkpointHold(this.ctx.db, {
      requestId,
      inputTokens: tokens.inputTokens,
      outputTokens: tokens.outputTokens,
      at: this.ctx.timestamp(),
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
  async settle(requestId: string, usage: SettleUsage, options: SettleOptions = {}): Promise<UsageRecord> {
    checkTokens(usage);
    if (usage.latencyMs !== undefined && (!Number.isSafeInteger(usage.latencyMs) || usage.latencyMs < 0)) {
      throw new InvalidArgument("latency must be a non-negative integer of milliseconds");
    }
    // A request with a hold is not settled yet (settling deletes the hold): its record is only looked
    // up when there is no hold, i.e. settled already (return that record), or never reserved / released.
    const sealed = options.seal && (await this.#sealedRow(requestId, usage, options.seal));
    const record =
      options.seal && !sealed ? undefined : await this.ctx.withLockedHold(requestId, (trx, hold) => this.#settleHold(trx, hold, usage, sealed));
    const result = record ?? (await this.#usage.get(requestId));
    if (result) {
      // The caller answers the client with this charge: it must be on disk first.
      await this.ctx.db.durable();
      return result;
    }
    throw new UnknownHold(requestId);
  }

  /** Give a request's hold back, charging nothing (the request failed before any work was served). */
  async release(requestId: string): Promise<boolean> {
    const released = await this.ctx.withLockedHold(requestId, async (trx, hold) => {
      await debit(trx, hold, 0n);
      return true;
    });
    if (!released) return false;
    await this.ctx.db.durable(); // the hold's money is available again: do not let a power cut take that back
    return true;
  }

  /**
   * At start-up, clean up the holds a crashed process with this instance id left behind: a hold
   * with a checkpoint is settled from it (usage source 'checkpoint'), one without is released.
   * Each hold is handled in its own transaction, so a second reconcile finds nothing to do.
   * Only call it for an instance that is not running.
   */
  async reconcile(instanceId: string = this.ctx.instanceId): Promise<ReconcileResult> {
    const rows = await this.ctx.db
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
    const rows = await this.ctx.db
      .selectFrom("holds")
      .select("request_id")
      .where("created_at", "<", BigInt(createdBefore))
      .orderBy("created_at")
      .execute();
    return this.#reconcileHolds(rows.map((r) => r.request_id));
  }

  async getHold(requestId: string): Promise<Hold | undefined> {
    const row = await this.ctx.db.selectFrom("holds").selectAll().where("request_id", "=", requestId).executeTakeFirst();
    return row && toHold(row);
  }

  /** An account's holds in flight, oldest first (the platform shows them with the balance). */
  async listAccountHolds(accountId: string): Promise<Hold[]> {
    const rows = await this.ctx.db.selectFrom("holds").selectAll().where("account_id", "=", accountId).orderBy("created_at").orderBy("request_id").execute();
    return rows.map(toHold);
  }

  async listHolds(instanceId?: string): Promise<Hold[]> {
    const rows = await this.ctx.db
      .selectFrom("holds")
      .selectAll()
      .$if(instanceId !== undefined, (q) => q.where("instance_id", "=", instanceId!))
      .orderBy("created_at")
      .execute();
    return rows.map(toHold);
  }

  /** The usage record a hold settles to, signed by `seal`; undefined when there is no hold (any more). */
  async #sealedRow(requestId: string, usage: SettleUsage, seal: Seal): Promise<Sealed | undefined> {
    const [hold] = (await hot.holdById(this.ctx.db, { requestId })).rows;
    if (!hold) return undefined;
    const row = this.#usageRow(hold, usage);
    return { hold, row: { ...row, receipt_signature: await seal(toUsageRecord(row)) } };
  }

  /** The usage record of `hold` settled with `usage` (unsigned). Hold terms never change, so it can be computed outside the lock. */
  #usageRow(hold: HoldRow, usage: SettleUsage): UsageRecordRow {
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
      created_at: this.ctx.timestamp(),
      receipt_signature: null,
    };
  }

  /** Settles the claimed `hold`: with the record sealed beforehand if it was computed from this very hold, else a fresh one. */
  async #settleHold(trx: Trx, hold: HoldRow, usage: SettleUsage, sealed?: Sealed): Promise<UsageRecord> {
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
      created_at: this.ctx.timestamp(),
    });
    return toUsageRecord(record);
  }

  async #reconcileHolds(requestIds: string[]): Promise<ReconcileResult> {
    const result: ReconcileResult = { settled: [], released: [] };
    for (const requestId of requestIds) {
      await this.ctx.withLockedHold(requestId, async (trx, hold) => {
        if (hold.checkpointed_at === null) {
          await debit(trx, hold, 0n);
          result.released.push(requestId);
          return;
        }
        const usage: SettleUsage = {
          inputTokens: hold.checkpoint_input_tokens ?? 0n,
          outputTokens: hold.checkpoint_output_tokens ?? 0n,
          source: "checkpoint",
          finishReason: INTERRUPTED,
        };
        result.settled.push(await this.#settleHold(trx, hold, usage));
      });
    }
    await this.ctx.db.durable();
    return result;
  }
}

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
