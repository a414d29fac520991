// Accounts: who holds credits. The wallets bound to an account are wallets.ts's job.
import { isUniqueViolation } from "./db/database.ts";
import { accountDepositKeys } from "./db/deposit-keys.ts";
import { Repository } from "./context.ts";
import { AccountExists, InvalidArgument, UnknownAccount } from "./errors.ts";
import { newId } from "./keys.ts";
import { toAccount } from "./rows.ts";

export interface Account {
  id: string;
  name: string;
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
  async create(name: string): Promise<Account> {
    if (name.trim() === "") throw new InvalidArgument("account name must not be empty");
    const id = newId("acct");
    const row = {
      id,
      name,
      ...accountDepositKeys({ id, name }),
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

  /** Every account, by name. */
  async list(): Promise<Account[]> {
    const rows = await this.ctx.db.selectFrom("accounts").selectAll().orderBy("name").execute();
    return rows.map(toAccount);
  }

  async findByName(name: string): Promise<Account | undefined> {
    const row = await this.ctx.db.selectFrom("accounts").selectAll().where("name", "=", name).executeTakeFirst();
    return row && toAccount(row);
  }
}
