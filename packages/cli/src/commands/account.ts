// An API account from the terminal: `credits` (balance, holds), `credits deposit USDC` (an on-chain
// top-up through CreditDeposits, which the indexer credits) and `usage` (what the account's requests
// were charged, per UTC day and model). The account is `--account NAME`, or the ledger's only one.
import { Ledger, type Account, type DailyUsage, type Hold } from "@fomo/ledger";
import { creditsOfDeposit, depositCredits, describeError, formatMicroUsd, formatUsdc } from "@fomo/sdk";
import { CHAIN_FLAGS, chainDefaults, chainOptions, parseFlags, UsageError, type ChainOptions } from "../args.ts";
import { DEFAULT_DATA_DIR } from "../paths.ts";
import { SIGNER_FLAGS, signerDefaults, signerOptions, type SignerOptions } from "../signer.ts";
import { formatTable, jsonDocument, openUserContext } from "./chain.ts";
import { accountNamed, withLedger } from "./keys.ts";
import { parseTokenAmount } from "../amounts.ts";
import { splitArgs } from "./tokens.ts";

export interface CreditsOptions {
  command: "credits";
  account?: string;
  dataDir: string;
  json: boolean;
}

export interface DepositOptions extends ChainOptions {
  command: "credits deposit";
  account?: string;
  /** The USDC amount as given: its decimals are the deployment's, known once the deployments file is read. */
  usdc: string;
  signer: SignerOptions;
  json: boolean;
}

export interface UsageOptions {
  command: "usage";
  account?: string;
  dataDir: string;
  /** Unix ms the listing starts at. */
  sinceMs: number;
  model?: string;
  json: boolean;
}

export type AccountOptions = CreditsOptions | DepositOptions | UsageOptions;

const CREDITS_USAGE = `credits [--account NAME] [--json] [--data-dir DIR] | credits deposit USDC [--account NAME] [--json] ${SIGNER_FLAGS} ${CHAIN_FLAGS}`;
const USAGE_USAGE = "usage [--account NAME] [--since DATE|DURATION] [--model ID] [--json] [--data-dir DIR]";
/** What `usage` lists without --since. */
const DEFAULT_SINCE = "7d";

/** `fomo credits …` and `fomo usage …`; `now` dates a --since DURATION. */
export function parseAccountArgs(group: "credits" | "usage", args: string[], now = Date.now()): AccountOptions {
  const { positional, flags, json } = splitArgs(args);
  if (group === "usage") {
    return parseFlags(flags, USAGE_USAGE, { "data-dir": DEFAULT_DATA_DIR, account: "", since: DEFAULT_SINCE, model: "" }, (v) => {
      if (positional.length > 0) throw new Error(`fomo usage: unexpected argument ${positional[0]} (usage: fomo ${USAGE_USAGE})`);
      return {
        command: "usage", dataDir: v["data-dir"]!, sinceMs: parseSince(v.since!, now), json,
        ...(v.account ? { account: v.account } : {}), ...(v.model ? { model: v.model } : {}),
      };
    });
  }
  if (positional.length === 0) {
    return parseFlags(flags, CREDITS_USAGE, { "data-dir": DEFAULT_DATA_DIR, account: "" }, (v) => ({
      command: "credits", dataDir: v["data-dir"]!, json, ...(v.account ? { account: v.account } : {}),
    }));
  }
  if (positional[0] !== "deposit") throw new UsageError(`fomo credits: unknown subcommand ${positional[0]} (usage: fomo ${CREDITS_USAGE})`);
  return parseFlags(flags, CREDITS_USAGE, { ...chainDefaults(), ...signerDefaults(), account: "" }, (v) => {
    if (positional.length !== 2) throw new Error(`fomo credits deposit: give one USDC amount (usage: fomo ${CREDITS_USAGE})`);
    const usdc = positional[1]!;
    parseTokenAmount(usdc, "USDC", "USDC"); // the shape now; the decimals once the deployment is known
    return { command: "credits deposit", ...chainOptions(v), signer: signerOptions(v), usdc, json, ...(v.account ? { account: v.account } : {}) };
  });
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `--since`: a duration back from now (`90m`, `24h`, `7d`) or a date (`2026-12-01`, UTC midnight) or an ISO time. */
export function parseSince(value: string, now: number): number {
  const duration = /^(\d+)([mhd])$/.exec(value);
  if (duration) return Math.max(0, now - Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS]);
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`--since: not a date (2026-12-01, 2026-12-01T12:00:00Z) or a duration (90m, 24h, 7d): ${value}`);
  return ms;
}

export async function account(opts: AccountOptions): Promise<number> {
  switch (opts.command) {
    case "credits":
      return withLedger(opts.dataDir, (ledger) => credits(ledger, opts));
    case "usage":
      return withLedger(opts.dataDir, (ledger) => usage(ledger, opts));
    case "credits deposit":
      return deposit(opts);
  }
}

async function credits(ledger: Ledger, opts: CreditsOptions): Promise<number> {
  const acct = await accountNamed(ledger, opts.account);
  // Holds are the requests in flight: few at any time, so all are read and this account's kept.
  const holds = (await ledger.metering.listHolds()).filter((h) => h.accountId === acct.id);
  if (opts.json) {
    process.stdout.write(jsonDocument({ ...accountView(acct), holds: holds.map(holdView) }));
    return 0;
  }
  const usd = (micro: bigint) => `$${formatMicroUsd(micro)}`;
  const lines = [
    `account ${acct.name} (${acct.id})\n`,
    formatTable([["balance", "held", "available"], [usd(acct.balance), usd(acct.held), usd(acct.available)]]),
    ...(acct.lockedReason ? [`locked: ${acct.lockedReason} (no new requests until it is settled)\n`] : []),
    holds.length === 0
      ? "no holds (no request in flight)\n"
      : formatTable([["hold (request)", "model", "amount", "since"], ...holds.map((h) => [h.requestId, h.modelId, usd(h.amount), new Date(h.createdAt).toISOString()])]),
  ];
  process.stdout.write(lines.join(""));
  return 0;
}

function accountView(a: Account) {
  return {
    account: a.name, accountId: a.id, balanceMicroUsd: a.balance, heldMicroUsd: a.held, availableMicroUsd: a.available, lockedReason: a.lockedReason,
  };
}

function holdView(h: Hold) {
  return { requestId: h.requestId, keyId: h.keyId, modelId: h.modelId, amountMicroUsd: h.amount, createdAt: new Date(h.createdAt).toISOString() };
}

/**
 * Deposits USDC from the signer to CreditDeposits for the account (named on chain by its id, which
 * the indexer matches), refusing an account this ledger does not know: such a deposit would sit unclaimed.
 */
async function deposit(opts: DepositOptions): Promise<number> {
  const ctx = await openUserContext(opts);
  try {
    const { deployments: d, signer } = ctx;
    const ledger = new Ledger(ctx.db);
    const acct = await accountNamed(ledger, opts.account);
    const amount = parseTokenAmount(opts.usdc, "USDC", "USDC", { decimals: d.usdcDecimals });
    const credits = creditsOfDeposit(amount, d.usdcDecimals);
    process.stderr.write(`[fomo] depositing ${formatUsdc(amount, d.usdcDecimals)} from ${signer.source} ${signer.account.address} for account ${acct.name} (${acct.id})\n`);
    let sent;
    try {
      sent = await depositCredits(ctx.clients, d, { accountId: acct.id, amount });
    } catch (error) {
      throw new Error(describeError(error, { usdcDecimals: d.usdcDecimals }));
    }
    const note = "the indexer credits it once it sees the deposit (./fomo up runs one; ./fomo index run alone)";
    if (opts.json) {
      process.stdout.write(jsonDocument({
        chainId: d.chainId, account: acct.name, accountId: acct.id, from: signer.account.address, depositId: sent.deposited.depositId,
        amount, usdcDecimals: d.usdcDecimals, creditsMicroUsd: credits, tx: sent.hash, credited: false, note,
      }));
    } else {
      process.stdout.write(
        `deposited ${formatUsdc(amount, d.usdcDecimals)} for ${acct.name} (deposit ${sent.deposited.depositId}, tx ${sent.hash}): ` +
          `$${formatMicroUsd(credits)} of credits; ${note}\n`,
      );
    }
    return 0;
  } finally {
    await ctx.db.destroy();
  }
}

async function usage(ledger: Ledger, opts: UsageOptions): Promise<number> {
  const acct = await accountNamed(ledger, opts.account);
  const days = perDayAndModel(await ledger.usage.dailyAccount({ accountId: acct.id, fromMs: opts.sinceMs, ...(opts.model ? { modelId: opts.model } : {}) }));
  const total = days.reduce((t, r) => ({ requests: t.requests + r.requests, charged: t.charged + r.charged }), { requests: 0, charged: 0n });
  const since = new Date(opts.sinceMs).toISOString();
  if (opts.json) {
    process.stdout.write(jsonDocument({
      account: acct.name, accountId: acct.id, since, ...(opts.model ? { model: opts.model } : {}),
      days: days.map((r) => ({ day: r.day, model: r.modelId, requests: r.requests, inputTokens: r.inputTokens, outputTokens: r.outputTokens, chargedMicroUsd: r.charged })),
      total: { requests: total.requests, chargedMicroUsd: total.charged },
    }));
    return 0;
  }
  const head = `usage of ${acct.name} since ${since}${opts.model ? ` on ${opts.model}` : ""}\n`;
  if (days.length === 0) {
    process.stdout.write(`${head}no requests\n`);
    return 0;
  }
  process.stdout.write(head + formatTable([
    ["day (UTC)", "model", "requests", "input tokens", "output tokens", "charged"],
    ...days.map((r) => [r.day, r.modelId, String(r.requests), String(r.inputTokens), String(r.outputTokens), `$${formatMicroUsd(r.charged)}`]),
    ["total", "", String(total.requests), "", "", `$${formatMicroUsd(total.charged)}`],
  ]));
  return 0;
}

interface DayAndModel {
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  modelId: string;
  requests: number;
  inputTokens: bigint;
  outputTokens: bigint;
  /** Σ price charged, micro-USD. */
  charged: bigint;
}

/** The ledger's per-day, per-key, per-model sums summed over the keys (rows come oldest day first). */
function perDayAndModel(rows: readonly DailyUsage[]): DayAndModel[] {
  const out = new Map<string, DayAndModel>();
  for (const r of rows) {
    const day = new Date(r.day).toISOString().slice(0, 10);
    const key = `${day} ${r.modelId}`;
    const sum = out.get(key) ?? { day, modelId: r.modelId, requests: 0, inputTokens: 0n, outputTokens: 0n, charged: 0n };
    out.set(key, {
      ...sum, requests: sum.requests + r.requests, inputTokens: sum.inputTokens + r.inputTokens, outputTokens: sum.outputTokens + r.outputTokens,
      charged: sum.charged + r.priceCharged,
    });
  }
  return [...out.values()].sort((a, b) => (a.day === b.day ? (a.modelId < b.modelId ? -1 : 1) : a.day < b.day ? -1 : 1));
}
