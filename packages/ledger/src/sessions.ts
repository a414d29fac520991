// Platform sessions: a random token handed to the browser (in a cookie), stored only as its SHA-256
// (like API keys: high-entropy, so a fast hash is enough), valid until it expires or is revoked.
import { createHash, randomBytes } from "node:crypto";
import type { SessionRow } from "./db/schema.ts";
import { Repository } from "./context.ts";
import { InvalidArgument } from "./errors.ts";
import { normaliseWallet } from "./wallets.ts";

const TOKEN_PREFIX = "fomo_sess_";
const TOKEN_FORMAT = /^fomo_sess_[A-Za-z0-9_-]{43}$/;

export interface Session {
  accountId: string;
  /** The wallet that signed in. */
  wallet: string;
  createdAt: number;
  expiresAt: number;
}

export interface CreatedSession {
  session: Session;
  /** The token the client presents: returned once, stored nowhere. */
  token: string;
}

export class Sessions extends Repository {
  async create({ accountId, wallet, ttlMs }: { accountId: string; wallet: string; ttlMs: number }): Promise<CreatedSession> {
    if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new InvalidArgument("session lifetime must be a positive integer of ms");
    const { db } = this.ctx;
    await this.ctx.requireAccount(accountId);
    const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
    const now = this.ctx.timestamp();
    const row: SessionRow = {
      token_hash: hashToken(token),
      account_id: accountId,
      wallet: normaliseWallet(wallet),
      created_at: now,
      expires_at: now + BigInt(ttlMs),
    };
    await db.insertInto("sessions").values(row).execute();
    return { session: toSession(row), token };
  }

  /** The live session a token stands for; undefined for a malformed, unknown, expired or revoked one. */
  async authenticate(token: string): Promise<Session | undefined> {
    if (!TOKEN_FORMAT.test(token)) return undefined;
    const row = await this.ctx.db
      .selectFrom("sessions")
      .selectAll()
      .where("token_hash", "=", hashToken(token))
      .where("expires_at", ">", this.ctx.timestamp())
      .executeTakeFirst();
    return row && toSession(row);
  }

  /** Delete sessions expired before `olderThanMs` ago: no token can authenticate with them again. */
  async prune(olderThanMs = 0): Promise<number> {
    const cutoff = this.ctx.timestamp() - BigInt(olderThanMs);
    const result = await this.ctx.db.deleteFrom("sessions").where("expires_at", "<=", cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** End an account's live sessions (of one wallet only, when given): the number ended. */
  async revokeAccount(accountId: string, wallet?: string): Promise<number> {
    const result = await this.ctx.db
      .deleteFrom("sessions")
      .where("account_id", "=", accountId)
      .$if(wallet !== undefined, (q) => q.where("wallet", "=", normaliseWallet(wallet!)))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Live sessions of an account per wallet that signed in. */
  async countLive(accountId: string): Promise<Map<string, number>> {
    const rows = await this.ctx.db
      .selectFrom("sessions")
      .select("wallet")
      .select((eb) => eb.fn.countAll<string | number | bigint>().as("sessions"))
      .where("account_id", "=", accountId)
      .where("expires_at", ">", this.ctx.timestamp())
      .groupBy("wallet")
      .execute();
    return new Map(rows.map((r) => [r.wallet, Number(r.sessions)]));
  }

  async revoke(token: string): Promise<void> {
    if (!TOKEN_FORMAT.test(token)) return;
    await this.ctx.db.deleteFrom("sessions").where("token_hash", "=", hashToken(token)).execute();
  }
}

function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function toSession(row: SessionRow): Session {
  return { accountId: row.account_id, wallet: row.wallet, createdAt: Number(row.created_at), expiresAt: Number(row.expires_at) };
}
