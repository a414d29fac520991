// Wallets bound to accounts. An account binds any number of wallets; a wallet binds to at most one
// account (the primary key on the wallet), so one wallet's stake can never earn several accounts a
// staker discount. Binding is proved elsewhere (a SIWE signature on the platform, the operator's word
// in `fomo keys create --wallet`); the proof is kept with the binding.
import { isUniqueViolation } from "./db/database.ts";
import type { AccountWalletRow } from "./db/schema.ts";
import { Repository } from "./context.ts";
import { InvalidArgument, WalletBoundElsewhere } from "./errors.ts";

/** Ids per `IN (…)` list: well under either database's bound-parameter limit. */
const IN_CHUNK = 500;

export interface WalletBinding {
  /** Lower-case 0x address. */
  wallet: string;
  accountId: string;
  boundAt: number;
  proof: string;
}

export interface BindWalletRequest {
  accountId: string;
  wallet: string;
  /** What proved control of the wallet, e.g. `siwe:<message hash>` or `cli`. */
  proof: string;
}

export class Wallets extends Repository {
  /**
   * Bind a wallet to an account. Binding it again to the same account changes nothing (the first
   * binding is kept); a wallet bound to another account is refused with WalletBoundElsewhere.
   */
  async bind({ accountId, wallet, proof }: BindWalletRequest): Promise<WalletBinding> {
    const address = normaliseWallet(wallet);
    if (proof === "") throw new InvalidArgument("a wallet binding needs a proof");
    const { db } = this.ctx;
    await this.ctx.requireAccount(accountId);
    const row: AccountWalletRow = { wallet: address, account_id: accountId, bound_at: this.ctx.timestamp(), proof };
    try {
      await db.insertInto("account_wallets").values(row).execute();
      return toBinding(row);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const existing = await this.find(address);
    if (existing?.accountId !== accountId) throw new WalletBoundElsewhere(address);
    return existing;
  }

  /** Remove a wallet from its account (a no-op when it is not bound there). */
  async unbind(accountId: string, wallet: string): Promise<boolean> {
    const result = await this.ctx.db
      .deleteFrom("account_wallets")
      .where("wallet", "=", normaliseWallet(wallet))
      .where("account_id", "=", accountId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** The binding of a wallet, whichever account holds it. */
  async find(wallet: string): Promise<WalletBinding | undefined> {
    const row = await this.ctx.db
      .selectFrom("account_wallets")
      .selectAll()
      .where("wallet", "=", normaliseWallet(wallet))
      .executeTakeFirst();
    return row && toBinding(row);
  }

  /** Each account's first bound wallet (as `list` orders them), for many accounts at once; accounts with none are absent. */
  async firstOf(accountIds: readonly string[]): Promise<Map<string, string>> {
    const first = new Map<string, string>();
    for (let i = 0; i < accountIds.length; i += IN_CHUNK) {
      const rows = await this.ctx.db
        .selectFrom("account_wallets")
        .select(["account_id", "wallet"])
        .where("account_id", "in", accountIds.slice(i, i + IN_CHUNK))
        .orderBy("bound_at")
        .orderBy("wallet")
        .execute();
      for (const r of rows) if (!first.has(r.account_id)) first.set(r.account_id, r.wallet);
    }
    return first;
  }

  /** An account's wallets, first bound first. */
  async list(accountId: string): Promise<WalletBinding[]> {
    const rows = await this.ctx.db
      .selectFrom("account_wallets")
      .selectAll()
      .where("account_id", "=", accountId)
      .orderBy("bound_at")
      .orderBy("wallet")
      .execute();
    return rows.map(toBinding);
  }
}

/** EIP-55 checksums only change the case: lower-case is the one stored spelling. */
export function normaliseWallet(wallet: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(wallet)) throw new InvalidArgument("wallet must be a 0x-prefixed 20-byte address");
  return wallet.toLowerCase();
}

function toBinding(row: AccountWalletRow): WalletBinding {
  return { wallet: row.wallet, accountId: row.account_id, boundAt: Number(row.bound_at), proof: row.proof };
}
