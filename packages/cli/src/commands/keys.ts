// `fomo keys create|list|revoke`: API keys of the ledger's accounts.
// `create`: an account (created on first use) credited with USD, optionally bound to a wallet (its
// stakes earn the staker discount), and a new API key for it, printed once on stdout (only its hash
// is stored). `list` and `revoke` show a key by its id and display prefix only, never the key again.
import { randomUUID } from "node:crypto";
import { readEnv } from "@fomo/gateway";
import { databaseTarget, Ledger, openDatabase, UnknownKey, WalletBoundElsewhere, type Account, type ApiKey, type Database } from "@fomo/ledger";
import { formatMicroUsd } from "@fomo/sdk";
import { parseCredits, parseFlags, UsageError } from "../args.ts";
import { DEFAULT_DATA_DIR } from "../paths.ts";
import { formatTable, jsonDocument } from "./chain.ts";
import { splitArgs } from "./tokens.ts";

export interface KeysCreateOptions {
  command: "create";
  account: string;
  /** Micro-USD. */
  credits: bigint;
  dataDir: string;
  /** Wallet bound to the account: its stakes earn the staker discount. */
  wallet?: string;
}

export interface KeysListOptions {
  command: "list";
  /** Absent: every account's keys. */
  account?: string;
  dataDir: string;
  json: boolean;
}

export interface KeysRevokeOptions {
  command: "revoke";
  keyId: string;
  dataDir: string;
  json: boolean;
}

export type KeysOptions = KeysCreateOptions | KeysListOptions | KeysRevokeOptions;

const KEYS_USAGE =
  "keys create --account NAME --credits USD [--wallet 0x…] [--data-dir DIR] | keys list [--account NAME] [--json] [--data-dir DIR] | keys revoke KEY_ID [--json] [--data-dir DIR]";

/** `fomo keys create --account NAME --credits USD [--wallet 0x…]`, `keys list [--account NAME] [--json]`, `keys revoke KEY_ID [--json]`. */
export function parseKeysArgs(args: ["create", ...string[]]): KeysCreateOptions;
export function parseKeysArgs(args: string[]): KeysOptions;
export function parseKeysArgs(args: string[]): KeysOptions {
  const [sub, ...rest] = args;
  if (sub === "create") {
    const usage = "keys create --account NAME --credits USD [--wallet 0x…] [--data-dir DIR]";
    return parseFlags(rest, usage, { "data-dir": DEFAULT_DATA_DIR, credits: "0", account: "", wallet: "" }, (v) => {
      if (!v.account) throw new Error(`fomo keys create: --account is required (usage: fomo ${usage})`);
      if (v.wallet && !/^0x[0-9a-fA-F]{40}$/.test(v.wallet)) throw new Error(`--wallet: not a 0x-prefixed 20-byte address: ${v.wallet}`);
      return {
        command: "create",
        account: v.account,
        credits: parseCredits(v.credits!),
        dataDir: v["data-dir"]!,
        ...(v.wallet ? { wallet: v.wallet } : {}),
      };
    });
  }
  if (sub === "list" || sub === "revoke") {
    const { positional, flags, json } = splitArgs(rest);
    const usage = sub === "list" ? "keys list [--account NAME] [--json] [--data-dir DIR]" : "keys revoke KEY_ID [--json] [--data-dir DIR]";
    const defaults: Record<string, string> = { "data-dir": DEFAULT_DATA_DIR, ...(sub === "list" ? { account: "" } : {}) };
    return parseFlags(flags, usage, defaults, (v) => {
      if (sub === "list") {
        if (positional.length > 0) throw new Error(`fomo keys list: unexpected argument ${positional[0]} (usage: fomo ${usage})`);
        return { command: sub, dataDir: v["data-dir"]!, json, ...(v.account ? { account: v.account } : {}) };
      }
      if (positional.length !== 1) throw new Error(`fomo keys revoke: give one KEY_ID (usage: fomo ${usage})`);
      return { command: sub, keyId: positional[0]!, dataDir: v["data-dir"]!, json };
    });
  }
  throw new UsageError(`fomo keys: unknown subcommand ${sub ?? "(none)"} (usage: fomo ${KEYS_USAGE})`);
}

export async function keys(opts: KeysOptions): Promise<number> {
  switch (opts.command) {
    case "create":
      return keysCreate(opts);
    case "list":
      return withLedger(opts.dataDir, (ledger) => keysList(ledger, opts));
    case "revoke":
      return withLedger(opts.dataDir, (ledger) => keysRevoke(ledger, opts));
  }
}

/** The data dir's ledger (or DATABASE_URL's), closed after `body`. */
export async function withLedger<T>(dataDir: string, body: (ledger: Ledger, db: Database) => Promise<T>): Promise<T> {
  const env = readEnv();
  const db = await openDatabase(databaseTarget(env.databaseUrl, dataDir), { sqliteSync: env.sqliteSync });
  try {
    return await body(new Ledger(db), db);
  } finally {
    await db.destroy();
  }
}

/**
 * The account a command is about: `--account NAME`, else the ledger's only account. Several and no
 * `--account` is a usage error naming them.
 */
export async function accountNamed(ledger: Ledger, name: string | undefined): Promise<Account> {
  if (name !== undefined) {
    const account = await ledger.accounts.findByName(name);
    if (!account) throw new Error(`no API account named ${name} (./fomo keys create --account ${name} --credits USD creates it)`);
    return account;
  }
  const all = await ledger.accounts.list();
  if (all.length === 1) return all[0]!;
  if (all.length === 0) throw new Error("no API account yet: ./fomo keys create --account NAME --credits USD creates one");
  throw new UsageError(`give --account NAME: the ledger has ${all.length} accounts (${all.map((a) => a.name).join(", ")})`);
}

async function keysCreate(opts: KeysCreateOptions): Promise<number> {
  return withLedger(opts.dataDir, async (ledger) => {
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
    process.stderr.write(`[fomo] account ${opts.account} (${account.id}): balance ${formatMicroUsd(balance)} USD${wallet}; key ${key.id} ${key.prefix}… (shown once)\n`);
    process.stdout.write(`${secret}\n`);
    return 0;
  });
}

/** A key as listed: its id and display prefix, never the key. Times ISO 8601, money micro-USD. */
function keyView(key: ApiKey, account: Account) {
  return {
    id: key.id,
    prefix: key.prefix,
    account: account.name,
    accountId: account.id,
    name: key.name,
    createdAt: new Date(key.createdAt).toISOString(),
    revokedAt: key.revokedAt === null ? null : new Date(key.revokedAt).toISOString(),
    spentMicroUsd: key.spent,
    heldMicroUsd: key.held,
    spendCapMicroUsd: key.spendCap,
  };
}

async function keysList(ledger: Ledger, opts: KeysListOptions): Promise<number> {
  const accounts = opts.account === undefined ? await ledger.accounts.list() : [await accountNamed(ledger, opts.account)];
  const views = [];
  for (const account of accounts) for (const key of await ledger.keys.list(account.id)) views.push(keyView(key, account));
  if (opts.json) {
    process.stdout.write(jsonDocument({ keys: views }));
    return 0;
  }
  if (views.length === 0) {
    process.stdout.write(`no API keys${opts.account === undefined ? "" : ` for ${opts.account}`} (./fomo keys create --account NAME creates one)\n`);
    return 0;
  }
  const usd = (micro: bigint | null) => (micro === null ? "" : `$${formatMicroUsd(micro)}`);
  process.stdout.write(formatTable([
    ["id", "key", "account", "created", "status", "spent", "spend cap"],
    ...views.map((k) => [k.id, `${k.prefix}…`, k.account, k.createdAt, k.revokedAt === null ? "active" : `revoked ${k.revokedAt}`, usd(k.spentMicroUsd), usd(k.spendCapMicroUsd)]),
  ]));
  return 0;
}

async function keysRevoke(ledger: Ledger, opts: KeysRevokeOptions): Promise<number> {
  let before: ApiKey;
  try {
    before = await ledger.keys.get(opts.keyId);
  } catch (error) {
    if (error instanceof UnknownKey) throw new Error(`no API key with id ${opts.keyId} (./fomo keys list shows the ids, key_…)`);
    throw error;
  }
  const key = await ledger.keys.revoke(opts.keyId);
  const view = keyView(key, await ledger.accounts.get(key.accountId));
  const already = before.revokedAt !== null;
  if (opts.json) process.stdout.write(jsonDocument({ key: view, alreadyRevoked: already }));
  else {
    process.stdout.write(
      already
        ? `key ${view.id} (${view.prefix}…) of ${view.account} was already revoked at ${view.revokedAt}\n`
        : `revoked key ${view.id} (${view.prefix}…) of ${view.account} at ${view.revokedAt}: requests with it now get 401; holds in flight still settle\n`,
    );
  }
  return 0;
}
