// API keys: issued to an account, listed without their secret, revoked for good, and authenticated
// by the hash of the raw key (keys.ts).
import type { ApiKeyRow } from "./db/schema.ts";
import { checkMoney, Repository } from "./context.ts";
import { InvalidArgument, KeyRevoked, UnknownKey } from "./errors.ts";
import { displayPrefix, generateKey, hashKey, isWellFormedKey, newId } from "./keys.ts";
import * as hot from "./queries.ts";
import { toApiKey } from "./rows.ts";

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
  /** The account's balance minus its holds at lookup time: a snapshot, Metering.reserve decides. */
  accountAvailable: bigint;
}

export interface CreatedKey {
  key: ApiKey;
  /** The raw key: shown to the user once, stored nowhere. */
  secret: string;
}

/** New limits of a key: undefined keeps one, null removes it. */
export interface KeyLimits {
  spendCap?: bigint | null;
  rpmLimit?: number | null;
  tpmLimit?: number | null;
}

export interface CreateKeyRequest {
  accountId: string;
  name?: string;
  spendCap?: bigint;
  rpmLimit?: number;
  tpmLimit?: number;
}

export class ApiKeys extends Repository {
  async create({ accountId, name, spendCap, rpmLimit, tpmLimit }: CreateKeyRequest): Promise<CreatedKey> {
    if (spendCap !== undefined) checkMoney(spendCap, "spend cap");
    await this.ctx.requireAccount(accountId);
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
      created_at: this.ctx.timestamp(),
      revoked_at: null,
    };
    await this.ctx.db.insertInto("api_keys").values(row).execute();
    return { key: toApiKey(row), secret };
  }

  /**
   * Change a live key's limits: a field given replaces the old value (null removes the limit), one
   * left out keeps it. A cap below what the key already spent simply stops it spending. Metering.reserve
   * reads the cap again for every hold; the gateway's key cache takes up to a second to see new rate limits.
   */
  async setLimits(keyId: string, limits: KeyLimits): Promise<ApiKey> {
    const current = await this.#row(keyId);
    if (current.revoked_at !== null) throw new KeyRevoked(keyId);
    if (limits.spendCap !== undefined && limits.spendCap !== null) checkMoney(limits.spendCap, "spend cap");
    const set: Partial<Pick<ApiKeyRow, "spend_cap" | "rpm_limit" | "tpm_limit">> = {};
    if (limits.spendCap !== undefined) set.spend_cap = limits.spendCap;
    if (limits.rpmLimit !== undefined) set.rpm_limit = limits.rpmLimit === null ? null : limit(limits.rpmLimit, "rpm limit");
    if (limits.tpmLimit !== undefined) set.tpm_limit = limits.tpmLimit === null ? null : limit(limits.tpmLimit, "tpm limit");
    if (Object.keys(set).length === 0) return toApiKey(current);
    const row = await this.ctx.db.updateTable("api_keys").set(set).where("id", "=", keyId).where("revoked_at", "is", null).returningAll().executeTakeFirst();
    if (!row) throw new KeyRevoked(keyId); // revoked meanwhile
    return toApiKey(row);
  }

  /** Revoke a key for good (revoking twice keeps the first time). Holds in flight still settle. */
  async revoke(keyId: string): Promise<ApiKey> {
    const current = await this.#row(keyId);
    if (current.revoked_at !== null) return toApiKey(current);
    const row = await this.ctx.db
      .updateTable("api_keys")
      .set({ revoked_at: this.ctx.timestamp() })
      .where("id", "=", keyId)
      .where("revoked_at", "is", null)
      .returningAll()
      .executeTakeFirst();
    return toApiKey(row ?? (await this.#row(keyId)));
  }

  async list(accountId: string): Promise<ApiKey[]> {
    const rows = await this.ctx.db
      .selectFrom("api_keys")
      .selectAll()
      .where("account_id", "=", accountId)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(toApiKey);
  }

  async get(keyId: string): Promise<ApiKey> {
    return toApiKey(await this.#row(keyId));
  }

  /** The key a raw `sk-fomo-…` string stands for: UnknownKey or KeyRevoked otherwise. */
  async authenticate(rawKey: string): Promise<AuthenticatedKey> {
    if (!isWellFormedKey(rawKey)) throw new UnknownKey();
    const [row] = (await hot.keyByHash(this.ctx.db, { hash: hashKey(rawKey) })).rows;
    if (!row) throw new UnknownKey();
    if (row.revoked_at !== null) throw new KeyRevoked(row.id);
    const accountAvailable = row.account_locked_reason === null ? row.account_balance - row.account_held : 0n;
    return { ...toApiKey(row), accountAvailable };
  }

  async #row(keyId: string): Promise<ApiKeyRow> {
    const row = await this.ctx.db.selectFrom("api_keys").selectAll().where("id", "=", keyId).executeTakeFirst();
    if (!row) throw new UnknownKey();
    return row;
  }
}

function limit(value: number | undefined, what: string): bigint | null {
  if (value === undefined) return null;
  if (!Number.isSafeInteger(value) || value <= 0) throw new InvalidArgument(`${what} must be a positive integer`);
  return BigInt(value);
}
