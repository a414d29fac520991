// `fomo keys create`: an account (created on first use) credited with USD, optionally bound to a
// wallet (its stakes earn the staker discount), and a new API key for it.
// The key is printed once, on stdout; only its hash is stored.
import { randomUUID } from "node:crypto";
import { databaseTarget, Ledger, openDatabase, readEnv } from "@fomo/gateway";
import { formatMicroUsd } from "@fomo/sdk/money";
import type { KeysCreateOptions } from "../args.ts";

export async function keysCreate(opts: KeysCreateOptions): Promise<number> {
  const env = readEnv();
  const db = await openDatabase(databaseTarget(env.databaseUrl, opts.dataDir), { sqliteSync: env.sqliteSync });
  try {
    const ledger = new Ledger(db);
    let account = (await ledger.findAccountByName(opts.account)) ?? (await ledger.createAccount(opts.account));
    if (opts.wallet) account = await ledger.bindWallet(account.id, opts.wallet);
    // A CLI grant has no external payment id: each invocation is its own credit entry.
    if (opts.credits > 0n) await ledger.addCredits({ accountId: account.id, amount: opts.credits, ref: `cli-${randomUUID()}`, memo: "fomo keys create" });
    const { key, secret } = await ledger.createKey({ accountId: account.id });
    const balance = (await ledger.getAccount(account.id)).balance;
    const wallet = account.wallet ? `; wallet ${account.wallet}` : "";
    process.stderr.write(`[fomo] account ${opts.account} (${account.id}): balance ${formatMicroUsd(balance)} USD${wallet}; key ${key.prefix}… (shown once)\n`);
    process.stdout.write(`${secret}\n`);
    return 0;
  } finally {
    await db.destroy();
  }
}
