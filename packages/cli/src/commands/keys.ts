// `fomo keys create`: an account (created on first use) credited with USD, optionally bound to a
// wallet (its stakes earn the staker discount), and a new API key for it.
// The key is printed once, on stdout; only its hash is stored.
import { randomUUID } from "node:crypto";
import { readEnv } from "@fomo/gateway";
import { databaseTarget, Ledger, openDatabase, WalletBoundElsewhere } from "@fomo/ledger";
import { formatMicroUsd } from "@fomo/sdk";
import type { KeysCreateOptions } from "../args.ts";

export async function keysCreate(opts: KeysCreateOptions): Promise<number> {
  const env = readEnv();
  const db = await openDatabase(databaseTarget(env.databaseUrl, opts.dataDir), { sqliteSync: env.sqliteSync });
  try {
    const ledger = new Ledger(db);
    const existing = await ledger.accounts.findByName(opts.account);
    // The operator vouches for the wallet (no signature here): a wallet bound to another account is
    // refused before anything is written, so a refused command leaves no account behind. (bind() below
    // still refuses it if another binding wins a race with this check.)
    const binding = opts.wallet ? await ledger.wallets.find(opts.wallet) : undefined;
    if (binding && binding.accountId !== existing?.id) throw new WalletBoundElsewhere(binding.wallet);
    const account = existing ?? (await ledger.accounts.create(opts.account));
    if (opts.wallet) await ledger.wallets.bind({ accountId: account.id, wallet: opts.wallet, proof: "cli" });
    // A CLI grant has no external payment id: each invocation is its own credit entry.
    if (opts.credits > 0n) await ledger.credits.add({ accountId: account.id, amount: opts.credits, ref: `cli-${randomUUID()}`, memo: "fomo keys create" });
    const { key, secret } = await ledger.keys.create({ accountId: account.id });
    const balance = (await ledger.accounts.get(account.id)).balance;
    const wallets = (await ledger.wallets.list(account.id)).map((w) => w.wallet);
    const wallet = wallets.length > 0 ? `; wallet${wallets.length > 1 ? "s" : ""} ${wallets.join(", ")}` : "";
    process.stderr.write(`[fomo] account ${opts.account} (${account.id}): balance ${formatMicroUsd(balance)} USD${wallet}; key ${key.prefix}… (shown once)\n`);
    process.stdout.write(`${secret}\n`);
    return 0;
  } finally {
    await db.destroy();
  }
}
