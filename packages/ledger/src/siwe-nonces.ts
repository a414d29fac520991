// Sign-In with Ethereum nonces: the server issues each one, and a signed message is accepted only
// with a nonce that was issued here, has not expired and has not been used: consume() marks it used
// in the same statement that checks it, so two concurrent sign-ins with one nonce cannot both pass.
import { randomBytes } from "node:crypto";
import { Repository } from "./context.ts";
import { InvalidArgument } from "./errors.ts";

export interface IssuedNonce {
  /** 32 hex characters (EIP-4361 wants at least 8 alphanumerics). */
  nonce: string;
  issuedAt: number;
  expiresAt: number;
}

export class SiweNonces extends Repository {
  async issue(ttlMs: number): Promise<IssuedNonce> {
    if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new InvalidArgument("nonce lifetime must be a positive integer of ms");
    const issuedAt = this.ctx.timestamp();
    const row = { nonce: randomBytes(16).toString("hex"), issued_at: issuedAt, expires_at: issuedAt + BigInt(ttlMs), used_at: null };
    await this.ctx.db.insertInto("siwe_nonces").values(row).execute();
    return { nonce: row.nonce, issuedAt: Number(row.issued_at), expiresAt: Number(row.expires_at) };
  }

  /** Use a nonce: true once for a nonce issued here and not yet expired; false ever after (and for any other). */
  async consume(nonce: string): Promise<boolean> {
    const now = this.ctx.timestamp();
    const result = await this.ctx.db
      .updateTable("siwe_nonces")
      .set({ used_at: now })
      .where("nonce", "=", nonce)
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Delete nonces expired before `olderThanMs` ago (used or not): they can never be accepted again. */
  async prune(olderThanMs = 0): Promise<number> {
    const cutoff = this.ctx.timestamp() - BigInt(olderThanMs);
    const result = await this.ctx.db.deleteFrom("siwe_nonces").where("expires_at", "<=", cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
