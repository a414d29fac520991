// `fomo epoch run|status|verify` and `fomo keeper run`: the keeper of packages/engine from the
// terminal. `epoch run` settles now, `keeper run` is the long-running process `fomo up` starts (it
// settles every due epoch, polling a fraction of the epoch length), `epoch status` reads what both
// recorded, and `epoch verify` checks a published epoch against the chain.
//
// The keeper signs with FOMO_KEEPER_KEY, or on the local chain with the dev mnemonic's account that
// holds the deployment's keeper role; never a key on the command line, never one in a log. Every
// transaction goes through the journal (TxJournal), whose recover() runs before anything else.
import { constants, createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { DEV_MNEMONIC } from "@fomo/deploy";
import {
  EpochNotFinal, Keeper, KeeperWaits, isQuiet, listEpochDeployments, listEpochs, QUIET_NOTE, TxJournal, type EpochDeploymentRow, type EpochRow, type KeeperLog,
  verifyEpoch, verifyQuietEpoch,
} from "@fomo/engine";
import type { EnvConfig } from "@fomo/gateway";
import { Ledger } from "@fomo/ledger";
import { describeError, formatMicroUsd, getEpochClock, type Deployments, type EpochClock } from "@fomo/sdk";
import {
  formatUnits, isAddressEqual, zeroAddress, type Hex, type LocalAccount, type PublicClient,
} from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { LOCAL_CHAIN_ID, type ChainOptions, type EpochOptions, type KeeperRunOptions } from "../args.ts";
import { chainClock, WALL_CLOCK, type Clock } from "../clock.ts";
import { formatTable, jsonDocument, openChainContext, walletClientFor, type ChainContext } from "./chain.ts";
import { untilStopped } from "./gateway.ts";

/** Exit codes beyond 0 (done), 1 (failed: the reason on stderr) and 2 (bad command line). */
export const EXIT_NOT_FINAL = 3;

/** Dev accounts searched for the local deployment's keeper role. */
const DEV_ACCOUNTS = 20;

export async function epoch(opts: EpochOptions): Promise<number> {
  switch (opts.command) {
    case "run":
      return epochRun(opts);
    case "status":
      return epochStatus(opts);
    case "verify":
      return epochVerify(opts);
  }
}

/**
 * The keeper's account: FOMO_KEEPER_KEY when set, else on the local chain the dev account holding
 * the keeper role. Either way it must be the deployment's keeper (the role, and the settlement wallet
 * whose USDC the reports pay): a key that is not would only see its transactions refused.
 */
export function keeperAccount(env: Pick<EnvConfig, "keeperKey">, d: Deployments): LocalAccount {
  const keeper = d.roles.keeper;
  if (env.keeperKey) {
    const account = privateKeyToAccount(env.keeperKey.trim() as Hex);
    if (!isAddressEqual(account.address, keeper)) {
      throw new Error(`FOMO_KEEPER_KEY is the key of ${account.address}, but the deployment's keeper is ${keeper}: set the keeper's key`);
    }
    return account;
  }
  if (d.chainId !== LOCAL_CHAIN_ID) {
    throw new Error(`FOMO_KEEPER_KEY is not set: on chain ${d.chainId} the keeper signs with the key of ${keeper} (docs/operations.md#running-the-keeper)`);
  }
  for (let addressIndex = 0; addressIndex < DEV_ACCOUNTS; addressIndex++) {
    const account = mnemonicToAccount(DEV_MNEMONIC, { addressIndex });
    if (isAddressEqual(account.address, keeper)) return account;
  }
  throw new Error(`the deployment's keeper ${keeper} is none of the dev mnemonic's first ${DEV_ACCOUNTS} accounts: set FOMO_KEEPER_KEY`);
}

/** How often the keeper process looks for due epochs: a tenth of an epoch, from 1 s to 60 s. */
export function pollIntervalMs(clock: EpochClock): number {
  const tenth = Number(clock.length * 100n);
  return Math.min(60_000, Math.max(1_000, tenth));
}

interface KeeperContext extends ChainContext {
  keeper: Keeper;
  journal: TxJournal;
  account: LocalAccount;
  clock: EpochClock;
  /** What "now" is for the keeper (clock.ts): the chain's time on the local chain, else the wall clock. */
  time: Clock;
}

async function openKeeper(opts: ChainOptions, log: KeeperLog, afterStep?: () => void): Promise<KeeperContext> {
  const ctx = await openChainContext(opts);
  try {
    const { env, deployments: d, client, db } = ctx;
    const account = keeperAccount(env, d);
    const chainId = await client.getChainId();
    if (chainId !== d.chainId) throw new Error(`${opts.rpcUrl} is chain ${chainId}, but the deployments file is for chain ${d.chainId}`);
    const clock = await getEpochClock(client, d);
    const wallet = walletClientFor(client, opts.rpcUrl, d.chainId, account);
    const journal = new TxJournal({ db, publicClient: client, account, chainId: d.chainId, log });
    // Epochs are final by the chain's clock on the local chain (the gateway dates usage by it too).
    const time = d.chainId === LOCAL_CHAIN_ID ? await chainClock(client) : WALL_CLOCK;
    const keeper = new Keeper({
      db, ledger: new Ledger(db), clients: { public: client, wallet }, deployments: d, clock, log, dataDir: opts.dataDir, now: time.now,
      senderFor: (key) => journal.sender(key),
      ...(afterStep ? { afterStep } : {}),
    });
    return { ...ctx, keeper, journal, account, clock, time };
  } catch (error) {
    await ctx.db.destroy();
    throw error;
  }
}

/** Keeper and journal lines: JSON for a log file (`keeper run`), a readable line on a terminal (`epoch run`). */
function keeperLog(style: "json" | "human"): KeeperLog {
  const line = (level: string) => (message: string, details: Record<string, unknown> = {}) => {
    const text = style === "json"
      ? JSON.stringify({ time: new Date().toISOString(), level, component: "keeper", message, ...details }, (_k, v) => (typeof v === "bigint" ? v.toString() : v))
      : `[fomo] ${level === "info" ? "" : `${level}: `}${humanLine(message, details)}`;
    process.stderr.write(`${text}\n`);
  };
  return { info: line("info"), warn: line("warn"), error: line("error") };
}

function humanLine(message: string, details: Record<string, unknown>): string {
  const { epoch, ...rest } = details;
  const head = epoch === undefined ? message : `epoch ${epoch}: ${message.replace(/^keeper: (epoch )?/, "")}`;
  const tail = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === "object" && v !== null ? JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)) : String(v)}`);
  return tail.length ? `${head} (${tail.join(", ")})` : head;
}

async function epochRun(opts: EpochOptions): Promise<number> {
  const ctx = await openKeeper(opts, keeperLog("human"));
  try {
    const { keeper, journal, deployments: d } = ctx;
    await journal.recover();
    let settled: bigint[] = [];
    let failed: { epoch: bigint; error: string } | undefined;
    let waiting: { epoch: bigint; reason: string } | undefined;
    if (opts.epoch === undefined) {
      ({ settled, failed, waiting } = await keeper.runDue(BigInt(Math.floor(ctx.time.now() / 1_000))));
    } else {
      try {
        await keeper.settle(opts.epoch);
        settled = [opts.epoch];
      } catch (error) {
        if (error instanceof EpochNotFinal) {
          const message = `epoch ${error.epoch} is not final yet: its window and grace end at ${new Date(error.finalAtMs).toISOString()}; run it then`;
          if (opts.json) process.stdout.write(jsonDocument({ chainId: d.chainId, settled: [], notFinal: { epoch: error.epoch, finalAt: new Date(error.finalAtMs).toISOString() } }));
          else process.stderr.write(`fomo: ${message}\n`);
          return EXIT_NOT_FINAL;
        }
        const reason = describeError(error, { usdcDecimals: d.usdcDecimals });
        if (error instanceof KeeperWaits) waiting = { epoch: opts.epoch, reason };
        else failed = { epoch: opts.epoch, error: reason };
      }
    }
    const stopped = failed?.epoch ?? waiting?.epoch;
    const shown = [...settled, ...(stopped === undefined ? [] : [stopped])];
    const epochs = await epochViews(ctx, (e) => shown.includes(e));
    if (opts.json) {
      process.stdout.write(jsonDocument({ chainId: d.chainId, settled, ...(failed ? { failed } : {}), ...(waiting ? { waiting } : {}), epochs }));
    } else {
      if (shown.length === 0) process.stdout.write("no epoch is due: nothing to settle\n");
      else printEpochs(epochs, d);
      if (failed) process.stderr.write(`fomo: epoch ${failed.epoch} failed: ${failed.error}\n(recorded on the epoch; the next run retries it)\n`);
      // Done for now, not failed: what is left waits on chain time.
      if (waiting) process.stderr.write(`[fomo] epoch ${waiting.epoch}: ${waiting.reason}\n(run again then; the keeper of \`./fomo up\` goes on by itself)\n`);
    }
    // Without --epoch a wait is done-for-now; the epoch asked for by --epoch is not settled yet.
    return failed ? 1 : waiting && opts.epoch !== undefined ? EXIT_NOT_FINAL : 0;
  } finally {
    ctx.time.stop();
    await ctx.db.destroy();
  }
}

async function epochStatus(opts: EpochOptions): Promise<number> {
  const ctx = await openChainContext(opts);
  try {
    const d = ctx.deployments;
    const epochs = await epochViews(ctx, () => true);
    if (opts.json) process.stdout.write(jsonDocument({ chainId: d.chainId, epochs }));
    else if (epochs.length === 0) process.stdout.write("no epoch settled yet (./fomo up runs the keeper; ./fomo epoch run settles now)\n");
    else printEpochs(epochs, d);
    return 0;
  } finally {
    await ctx.db.destroy();
  }
}

async function epochVerify(opts: EpochOptions): Promise<number> {
  const epochNumber = opts.epoch!;
  const path = opts.file ?? join(opts.dataDir, "epochs", `${epochNumber}.json`);
  // Streamed (hashed and parsed in pieces): an epoch's file may be longer than a string can be.
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    if (opts.file === undefined) {
      const quiet = await verifyQuiet(opts, epochNumber);
      if (quiet !== undefined) return quiet;
    }
    throw new Error(`fomo epoch verify: cannot read the input file of epoch ${epochNumber} at ${path} (${(error as NodeJS.ErrnoException).code ?? error}): give it with --file`);
  }
  const ctx = await openChainContext(opts);
  try {
    const file = createReadStream(path, { highWaterMark: 1 << 20 });
    const { ok, differences } = await verifyEpoch({ client: ctx.client, deployments: ctx.deployments, file });
    if (opts.json) process.stdout.write(jsonDocument({ epoch: epochNumber, file: path, ok, differences }));
    else if (ok) process.stdout.write(`epoch ${epochNumber}: verified (${path} matches the chain)\n`);
    else process.stdout.write(`epoch ${epochNumber}: ${differences.length} difference(s) between ${path} and the chain:\n${differences.map((x) => `  - ${x}\n`).join("")}`);
    return ok ? 0 : 1;
  } finally {
    await ctx.db.destroy();
  }
}

/** An epoch the keeper recorded quiet has no input file: nothing was published, and the chain agrees (undefined: not quiet). */
async function verifyQuiet(opts: EpochOptions, epochNumber: bigint): Promise<number | undefined> {
  const ctx = await openChainContext(opts);
  try {
    const row = (await listEpochs(ctx.db)).find((r) => r.epoch === epochNumber);
    if (!row || !isQuiet(row)) return undefined;
    const { ok, differences } = await verifyQuietEpoch({ client: ctx.client, deployments: ctx.deployments, epoch: epochNumber });
    if (opts.json) process.stdout.write(jsonDocument({ epoch: epochNumber, file: null, quiet: true, note: QUIET_NOTE, ok, differences }));
    else if (ok) process.stdout.write(`epoch ${epochNumber}: nothing published, ${QUIET_NOTE} (no root or report on chain, as expected)\n`);
    else process.stdout.write(`epoch ${epochNumber}: recorded quiet, but the chain differs:\n${differences.map((x) => `  - ${x}\n`).join("")}`);
    return ok ? 0 : 1;
  } finally {
    await ctx.db.destroy();
  }
}

/**
 * The keeper's process: recovers the journal, then settles every due epoch now and every
 * pollIntervalMs. SIGTERM/SIGINT let the step in flight finish (it is persisted), then exit 0.
 */
export async function keeperRun(opts: KeeperRunOptions): Promise<number> {
  const log = keeperLog("json");
  let stopping = false;
  const stopped = untilStopped().then(() => {
    stopping = true;
    log.info("keeper: stopping after the step in flight");
  });
  const ctx = await openKeeper(opts, log, () => {
    if (stopping) throw new Stopped();
  });
  try {
    const { keeper, journal, clock, account, deployments: d } = ctx;
    const recovered = await journal.recover();
    const intervalMs = pollIntervalMs(clock);
    log.info("keeper: running", { chainId: d.chainId, account: account.address, epochSeconds: clock.length, pollMs: intervalMs, recovered });
    while (!stopping) {
      try {
        await keeper.runDue(BigInt(Math.floor(ctx.time.now() / 1_000)));
      } catch (error) {
        if (error instanceof Stopped) break;
        // Not a step's failure (those are recorded and retried): the database or the node. Retried next time.
        log.error("keeper: run failed", { error: describeError(error, { usdcDecimals: d.usdcDecimals }) });
      }
      await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, intervalMs).unref())]);
    }
    log.info("keeper: stopped");
    return 0;
  } finally {
    ctx.time.stop();
    await ctx.db.destroy();
  }
}

class Stopped extends Error {}

// --- epoch views -------------------------------------------------------------------------------

interface DeploymentView {
  deployment: string;
  records: bigint;
  grossMicroUsd: bigint;
  hardCostMicroUsd: bigint;
  netMicroUsd: bigint;
  usageRoot: string;
  report: { status: string; note: string | null; gross: string | null; hardCost: string | null; tx: string | null };
  buyback: { status: string | null; note: string | null; spent: string | null; burned: string | null; tx: string | null };
}

interface EpochView {
  epoch: bigint;
  step: string;
  /** No usage in its window: settled without a transaction, an input file or a root (docs/protocol.md#quiet-epochs). */
  quiet: boolean;
  error: string | null;
  updatedAt: string;
  window: { from: string; to: string };
  /** Stablecoin units spent and FLOCK wei burned, decimal strings. */
  flockBuyback: { status: string | null; note: string | null; spent: string | null; burned: string | null; tx: string | null };
  deployments: DeploymentView[];
  inputHash: string | null;
  rewardsRoot: string | null;
  rootTx: string | null;
}

async function epochViews(ctx: ChainContext, pick: (epoch: bigint) => boolean): Promise<EpochView[]> {
  const rows = (await listEpochs(ctx.db)).filter((r) => pick(r.epoch));
  // A quiet epoch has no deployment rows: no query for each of thousands.
  return Promise.all(rows.map(async (row) => epochView(row, isQuiet(row) ? [] : await listEpochDeployments(ctx.db, row.epoch))));
}

function epochView(row: EpochRow, deployments: EpochDeploymentRow[]): EpochView {
  const iso = (ms: bigint | number) => new Date(Number(ms)).toISOString();
  const at = row[`${row.step}_at` as const] ?? row.closed_at;
  return {
    epoch: row.epoch,
    step: row.step,
    quiet: isQuiet(row),
    error: row.error,
    updatedAt: iso(at),
    window: { from: iso(row.window_from), to: iso(row.window_to) },
    flockBuyback: {
      status: row.flock_buyback_status, note: row.flock_buyback_note, spent: row.flock_buyback_spent, burned: row.flock_buyback_burned, tx: row.flock_buyback_tx,
    },
    deployments: deployments.map((u) => ({
      deployment: u.deployment,
      records: BigInt(u.records),
      grossMicroUsd: BigInt(u.gross),
      hardCostMicroUsd: BigInt(u.hard_cost),
      netMicroUsd: BigInt(u.net),
      usageRoot: u.usage_root,
      report: { status: u.report_status, note: u.report_note, gross: u.report_gross, hardCost: u.report_hard_cost, tx: u.report_tx },
      buyback: { status: u.buyback_status, note: u.buyback_note, spent: u.buyback_spent, burned: u.buyback_burned, tx: u.buyback_tx },
    })),
    inputHash: row.input_hash,
    rewardsRoot: row.rewards_root,
    rootTx: row.root_tx,
  };
}

function printEpochs(epochs: EpochView[], d: Deployments): void {
  const usdc = (units: string | null) => (units === null ? "" : `${formatUnits(BigInt(units), d.usdcDecimals)} USDC`);
  const tokens = (wei: string | null, symbol: string) => (wei === null ? "" : `${formatUnits(BigInt(wei), 18)} ${symbol}`);
  const usd = (micro: bigint) => `$${formatMicroUsd(micro)}`;
  const out: string[] = [];
  for (let i = 0; i < epochs.length; i++) {
    const e = epochs[i]!;
    if (e.quiet) {
      // A run of quiet epochs is one line: a week's jump on 60-s epochs leaves thousands.
      let last = i;
      while (epochs[last + 1]?.quiet && epochs[last + 1]!.epoch === epochs[last]!.epoch + 1n && epochs[last + 1]!.step === e.step) last++;
      const span = last === i ? `epoch ${e.epoch}` : `epochs ${e.epoch}–${epochs[last]!.epoch}`;
      out.push(`${span}  ${e.step}  quiet: no usage, nothing sent or posted  window ${e.window.from} – ${epochs[last]!.window.to}\n`);
      i = last;
      continue;
    }
    out.push(`epoch ${e.epoch}  ${e.step}  window ${e.window.from} – ${e.window.to}  (updated ${e.updatedAt})\n`);
    if (e.error) out.push(`  error: ${e.error}\n`);
    if (e.deployments.length === 0) out.push("  no usage aggregated\n");
    else {
      const rows = e.deployments.map((u) => [
        u.deployment === zeroAddress ? "base models" : u.deployment,
        String(u.records),
        usd(u.grossMicroUsd),
        usd(u.hardCostMicroUsd),
        u.report.status === "reported" ? `reported ${usdc(u.report.gross)}` : `${u.report.status}${u.report.note ? ` (${u.report.note})` : ""}`,
        u.buyback.status === null
          ? ""
          : u.buyback.status === "executed"
            ? `spent ${usdc(u.buyback.spent)}, burned ${tokens(u.buyback.burned, "$MT")}`
            : `${u.buyback.status}${u.buyback.note ? ` (${u.buyback.note})` : ""}`,
      ]);
      out.push(formatTable([["  deployment", "records", "gross", "hard cost", "report", "buyback"], ...rows.map(([first, ...rest]) => [`  ${first}`, ...rest])]));
    }
    const f = e.flockBuyback;
    if (f.status) out.push(`  FLOCK buyback: ${f.status === "executed" ? `spent ${usdc(f.spent)}, burned ${tokens(f.burned, "FLOCK")}` : `${f.status}${f.note ? ` (${f.note})` : ""}`}\n`);
    if (e.rewardsRoot) out.push(`  rewards root ${e.rewardsRoot} (input ${e.inputHash}, tx ${e.rootTx})\n`);
  }
  process.stdout.write(out.join(""));
}
