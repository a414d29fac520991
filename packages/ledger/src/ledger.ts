// The credit ledger, one repository per job over one database: accounts, their wallets, API keys,
// credits, metering (reserve / checkpoint / settle / release / reconcile), usage records, and the
// platform's sign-in state (SIWE nonces, sessions).
// They share one LedgerContext (context.ts): the database, the clock, this process's instance id and
// the account and hold locks every movement of money goes through, in one lock order.
import type { Database } from "./db/database.ts";
import { Accounts } from "./accounts.ts";
import { ApiKeys } from "./api-keys.ts";
import { LedgerContext } from "./context.ts";
import { Credits } from "./credits.ts";
import { Metering } from "./metering.ts";
import { Sessions } from "./sessions.ts";
import { SiweNonces } from "./siwe-nonces.ts";
import { UsageRecords } from "./usage.ts";
import { Wallets } from "./wallets.ts";

export interface LedgerOptions {
  /**
   * Stable id of this gateway process (same id across restarts): its holds are tagged with it so
   * that metering.reconcile() at the next start finds what a crash left behind. Default 'default'.
   */
  instanceId?: string;
  /** Clock, epoch ms (tests inject one). */
  now?: () => number;
}

export class Ledger {
  readonly db: Database;
  readonly instanceId: string;
  readonly accounts: Accounts;
  readonly wallets: Wallets;
  readonly keys: ApiKeys;
  readonly credits: Credits;
  readonly metering: Metering;
  readonly usage: UsageRecords;
  readonly siweNonces: SiweNonces;
  readonly sessions: Sessions;

  constructor(db: Database, options: LedgerOptions = {}) {
    const ctx = new LedgerContext(db, options.instanceId ?? "default", options.now ?? Date.now);
    this.db = db;
    this.instanceId = ctx.instanceId;
    this.accounts = new Accounts(ctx);
    this.wallets = new Wallets(ctx);
    this.keys = new ApiKeys(ctx);
    this.credits = new Credits(ctx);
    this.usage = new UsageRecords(ctx);
    this.metering = new Metering(ctx, this.usage);
    this.siweNonces = new SiweNonces(ctx);
    this.sessions = new Sessions(ctx);
  }
}
