// Accounts: who holds credits, and the wallet whose stake earns the account its staker discount.
import { isUniqueViolation } from "./db/database.ts";
import { Repository } from "./context.ts";
import { AccountExists, InvalidArgument, UnknownAccount } from "./errors.ts";
import { newId } from "./keys.ts";
import { toAccount } from "./rows.ts";

export interface Account {
  id: string;
  name: string;
  wallet: string | null;
  balance: bigint;
  /** Sum of the account's active holds. */
  held: bigint;
  /** balance - held: what a new request may reserve. */
  available: bigint;
  /** Why the account takes no new holds (a reorged deposit already spent), or null. */
  lockedReason: string | null;
  createdAt: number;
}

export class Accounts extends Repository {
  async create(name: string, options: { wallet?: string } = {}): Promise<Account> {
    if (name.trim() === "") throw new InvalidArgument("account name must not be empty");
    const row = {
      id: newId("acct"),
      name,
      wallet: options.wallet === undefined ? null : normaliseWallet(options.wallet),
      balance: 0n,
      held: 0n,
      created_at: this.ctx.timestamp(),
      locked_reason: null,
    };
    try {
      await this.ctx.db.insertInto("accounts").values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new AccountExists(name);
      throw error;
    }
    return toAccount(row);
  }

  async get(accountId: string): Promise<Account> {
    const row = await this.ctx.db.selectFrom("accounts").selectAll().where("id", "=", accountId).executeTakeFirst();
    if (!row) throw new UnknownAccount(accountId);
    return toAccount(row);
  }

  async findByName(name: string): Promise<Account | undefined> {
    const row = await this.ctx.db.selectFrom("accounts").selectAll().where("name", "=", name).executeTakeFirst();
    return row && toAccount(row);
  }

  /** Bind (or unbind, with null) the wallet whose stake earns the account its staker discount. */
  async bindWallet(accountId: string, wallet: string | null): Promise<Account> {
    const row = await this.ctx.db
      .updateTable("accounts")
      .set({ wallet: wallet === null ? null : normaliseWallet(wallet) })
      .where("id", "=", accountId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new UnknownAccount(accountId);
    return toAccount(row);
  }
}

function normaliseWallet(wallet: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(wallet)) throw new InvalidArgument("wallet must be a 0x-prefixed 20-byte address");
  return wallet.toLowerCase();
}
