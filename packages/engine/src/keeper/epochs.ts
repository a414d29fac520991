// The keeper's per-epoch settlement (docs/protocol.md#epoch-settlement): a state machine persisted in
// keeper_epochs, one row per epoch, whose step is the last one completed:
//   closed → aggregated → reported → bought_back → rewarded (rewards.ts) → published (publish.ts)
// Each step is idempotent: it starts from the persisted step, and where it sends transactions it
// first asks the chain what a crashed run may already have done (a report already on chain is
// recorded, not resent; a buyback executed since the step started is recorded, not repeated). Every
// transaction goes through the SDK's write(…, { sender }) with a journal key
//   epoch:<k>:approve        the stablecoin allowance of all the epoch's reports (one approval)
//   epoch:<k>:report:<mt>    RevenueRouter.reportRevenue
//   epoch:<k>:observe:<pair>:<t>  TwapOracle.update of a stale pool on a buyback path (oracle.ts; t: the stale observation's time)
//   epoch:<k>:buyback:<mt>   BuybackExecutor.executeMtBuyback
//   epoch:<k>:buyback:flock  BuybackExecutor.executeFlockBuyback
//   epoch:<k>:release:<mt>   IncentivePool.release (rewards step)
//   epoch:<k>:root           RewardsDistributor.postRoot (publish step)
// so the transaction journal (journal.ts) persists and rebroadcasts them. A journaled key whose
// transaction reverted on chain is spent (the journal returns that transaction for it forever): the
// action is tried again under `<key>#2`, `<key>#3`, at most ACTION_ATTEMPTS keys in all, each only
// after the SDK's simulation says it would succeed now (a decoded refusal otherwise).
// A quiet epoch (no usage record in its window) sends none of them: its steps would report nothing, buy
// back nothing (buybacks follow reports), release nothing (releases follow reports) and post a root of
// nothing but E(k) left undistributed. It is recorded settled at once (store.ts QUIET_NOTE), a whole run
// of them in one transaction after one ledger query; what it would have carried is taken by the next
// epoch with usage (the executor's budgets and the pools' vesting accumulate on chain; roots are cumulative).
import { aggregateWindow, KEEPER_STEPS, type Database, type KeeperStep, type Ledger } from "@fomo/ledger";
import {
  describeError,
  ensureAllowance,
  epochGraceMs,
  epochWindowMs,
  executeFlockBuyback,
  executeMtBuyback,
  getReport,
  getState,
  loadFastKeccak,
  reportAmountsOf,
  reportRevenue,
  revertOf,
  buybackExecutorAbi,
  revenueRouterAbi,
  type Clients,
  type Deployments,
  type EpochClock,
  type Sender,
  type Sent,
  type BuybackExecuted,
} from "@fomo/sdk";
import { getAddress, TransactionReceiptNotFoundError, zeroAddress, type Address, type Hash, type Hex } from "viem";
import type { IndexerLog } from "../indexer/indexer.ts";
import {
  advance,
  getEpoch,
  insertClosed,
  listEpochDeployments,
  isQuiet,
  listEpochs,
  recordError,
  recordQuiet,
  resumeAt,
  recordFlockBuyback,
  recordMtBuyback,
  recordReport,
  saveAggregate,
  startBuybacks,
  type BuybackOutcome,
  type EpochDeploymentRow,
  type EpochRow,
  type NewEpochDeployment,
  type ReportOutcome,
} from "./store.ts";
import { rewardEpoch, type StepContext } from "./rewards.ts";
import { publishEpoch } from "./publish.ts";
import { observeBuybackPools } from "./oracle.ts";
import { KeeperWaits } from "./waits.ts";

/** A report's gross and hard cost in the stablecoin's units. */
type ReportAmounts = ReturnType<typeof reportAmountsOf>;

export type KeeperLog = IndexerLog;

/** The last step of a settlement: an epoch at this step is settled. */
export const SETTLED_STEP: KeeperStep = "published";

/** Executor refusals a buyback step records and carries (the budget stays for a later one), never forces past. */
const CARRIED_REFUSALS = new Set([
  "BuybackExecutorTooSoon",
  "BuybackExecutorNothingToSpend",
  "BuybackExecutorPriceOutOfBounds",
  "BuybackExecutorBelowTwapValue",
  "TwapOracleNotReady",
  "TwapOracleStale",
]);

/** Journal keys one action may spend on transactions that reverted on chain before the step fails for an operator. */
export const ACTION_ATTEMPTS = 3;

export interface KeeperOptions {
  db: Database;
  ledger: Ledger;
  /** The keeper account: it holds the KEEPER role and is the settlement wallet (it pays the reported USDC). */
  clients: Clients;
  deployments: Deployments;
  clock: EpochClock;
  log?: KeeperLog;
  /** Where the publish step writes each epoch's input file, `<dataDir>/epochs/<k>.json`. Required when lastStep is "published". */
  dataDir?: string;
  /**
   * The last step settle() and runDue() run to (default SETTLED_STEP, "published"). A keeper stopped at
   * "bought_back" settles revenue only (no read model, no rewards): an epoch clock that is not the
   * EmissionSchedule's cannot post roots.
   */
  lastStep?: KeeperStep;
  /**
   * Input files from this many bytes on are kept on disk only, in dataDir, with their hash in the database
   * (default INPUT_IN_DATABASE_BELOW, 64 MiB); smaller ones are stored whole and written out when published.
   */
  inputInDatabaseBelow?: number;
  /** The transaction journal's sender for a key (undefined: the wallet sends). */
  senderFor?: (key: string) => Sender | undefined;
  /** Wall clock, epoch ms, for settle() and the step times (tests inject one). Default Date.now. */
  now?: () => number;
  /** The first epoch runDue settles when none is recorded yet. Default 0. */
  firstEpoch?: bigint;
  /** Called once a step is persisted; what it throws stops the run as a crash would (tests). */
  afterStep?: (epoch: bigint, step: KeeperStep) => void | Promise<void>;
}

export interface KeeperEpochStatus {
  epoch: bigint;
  step: KeeperStep;
  /** Why the next step failed last; null when it has not failed. */
  error: string | null;
  /** Epoch ms the last step completed. */
  updatedAt: number;
  /** keccak256 of the epoch's input file (from the rewarded step; `<dataDir>/epochs/<k>.json` once published). */
  inputHash: string | null;
  /** The rewards root the chain holds for the epoch, and its transaction (published). */
  rewardsRoot: string | null;
  rootTx: string | null;
  /** Quiet: no usage in its window, settled without a transaction, an input file or a root. */
  quiet: boolean;
}

/** An epoch is not final yet: its window plus the grace has not passed. */
export class EpochNotFinal extends Error {
  override name = "EpochNotFinal";
  readonly epoch: bigint;
  readonly finalAtMs: number;
  constructor(epoch: bigint, finalAtMs: number) {
    super(`epoch ${epoch} is final at ${new Date(finalAtMs).toISOString()} (its window's end plus the grace)`);
    this.epoch = epoch;
    this.finalAtMs = finalAtMs;
  }
}

const SILENT: KeeperLog = { info() {}, warn() {}, error() {} };

export class Keeper {
  readonly #o: KeeperOptions;
  readonly #log: KeeperLog;
  readonly #now: () => number;
  readonly #graceMs: number;
  readonly #lastStep: KeeperStep;

  constructor(options: KeeperOptions) {
    this.#o = options;
    this.#log = options.log ?? SILENT;
    this.#now = options.now ?? Date.now;
    this.#graceMs = epochGraceMs(options.clock);
    this.#lastStep = options.lastStep ?? SETTLED_STEP;
    if (!KEEPER_STEPS.includes(this.#lastStep) || this.#lastStep === "closed") throw new Error(`the keeper cannot stop at step ${this.#lastStep}`);
    if (this.#lastStep === "published" && options.dataDir === undefined) throw new Error("a keeper that publishes needs a dataDir for the epochs' input files");
  }

  /** When `epoch`'s usage is final, epoch ms. */
  finalAt(epoch: bigint): number {
    return epochWindowMs(this.#o.clock, epoch).toMs + this.#graceMs;
  }

  /**
   * Runs `epoch` from its persisted step to the last step this keeper has. Throws EpochNotFinal
   * before its window and grace have passed (nothing recorded), and a failing step's error (recorded
   * on the epoch, which stays at its last completed step for the next run).
   */
  async settle(epoch: bigint): Promise<KeeperEpochStatus> {
    try {
      return await this.#settle(epoch, this.#now());
    } catch (error) {
      throw error instanceof KeeperInterrupted ? error.cause : error;
    }
  }

  /**
   * Settles, in order, every epoch whose window and grace ended by `nowSeconds` (unix seconds) and
   * which is not settled: from the oldest unsettled one recorded (or the first after the newest, or
   * `firstEpoch`). Stops at the first epoch that fails (later epochs build on earlier ones: rewards are
   * cumulative); the failure is logged and recorded, and the next run retries it. A run of quiet epochs
   * (no usage) is recorded at once, without a transaction (docs/protocol.md#quiet-epochs); they are
   * among `settled`.
   */
  async runDue(nowSeconds: bigint): Promise<{
    settled: bigint[];
    failed?: { epoch: bigint; error: string };
    /** The epoch that waits on chain time (KeeperWaits), and why: the next run goes on. */
    waiting?: { epoch: bigint; reason: string };
  }> {
    const nowMs = Number(nowSeconds * 1_000n);
    const settled: bigint[] = [];
    for (let epoch = await this.#firstDue(); this.finalAt(epoch) <= nowMs; epoch++) {
      const row = await getEpoch(this.#o.db, epoch);
      if (row && this.#isSettled(row.step)) continue;
      if (!row) {
        const quiet = await this.#settleQuiet(epoch, nowMs);
        if (quiet > 0n) {
          for (let e = epoch; e < epoch + quiet; e++) settled.push(e);
          epoch += quiet - 1n;
          continue;
        }
      }
      try {
        await this.#settle(epoch, nowMs);
      } catch (error) {
        if (error instanceof KeeperInterrupted) throw error.cause;
        if (error instanceof KeeperWaits) return { settled, waiting: { epoch, reason: this.#describe(error) } };
        return { settled, failed: { epoch, error: this.#describe(error) } };
      }
      settled.push(epoch);
    }
    return { settled };
  }

  /** Every recorded epoch's step and error, oldest first. */
  async status(): Promise<KeeperEpochStatus[]> {
    return (await listEpochs(this.#o.db)).map(statusOf);
  }

  /** One epoch's aggregate, report and buyback per deployment (empty before aggregation). */
  deployments(epoch: bigint): Promise<EpochDeploymentRow[]> {
    return listEpochDeployments(this.#o.db, epoch);
  }

  async #firstDue(): Promise<bigint> {
    const { open, last } = await resumeAt(this.#o.db, KEEPER_STEPS.filter((s) => this.#isSettled(s)));
    return open ?? (last !== undefined ? last + 1n : (this.#o.firstEpoch ?? 0n));
  }

  /**
   * Records the quiet epochs from `from` on: final by `nowMs`, and before the first usage record at or
   * after `from`'s window (one indexed ledger query for the whole run). Returns how many (0: `from` is
   * not quiet, or not final). runDue's only: it settles in order, so every epoch before `from` is
   * settled; settle(k) of one epoch runs the full steps (an empty epoch's root then holds E(k) as dust).
   */
  async #settleQuiet(from: bigint, nowMs: number): Promise<bigint> {
    const { clock, ledger, db } = this.#o;
    const fromMs = epochWindowMs(clock, from).fromMs;
    // The record aggregation would read first: scanWindow's order (created_at), a page of one.
    const pages = ledger.usage.scanWindow({ fromMs, toMs: Number.MAX_SAFE_INTEGER }, 1);
    const [first] = (await pages.next()).value ?? [];
    await pages.return(undefined);
    const usageAtMs = first?.createdAt;
    const quiet: { epoch: bigint; window: { fromMs: number; toMs: number } }[] = [];
    for (let e = from; ; e++) {
      const window = epochWindowMs(clock, e);
      if (this.finalAt(e) > nowMs || (usageAtMs !== undefined && usageAtMs < window.toMs)) break;
      quiet.push({ epoch: e, window });
    }
    if (quiet.length === 0) return 0n;
    await recordQuiet(db, quiet, this.#lastStep, this.#now());
    this.#log.info("keeper: quiet epochs settled (no usage: nothing to send)", { from, to: quiet.at(-1)!.epoch, count: quiet.length });
    return BigInt(quiet.length);
  }

  async #settle(epoch: bigint, nowMs: number): Promise<KeeperEpochStatus> {
    const { db } = this.#o;
    let row = await getEpoch(db, epoch);
    if (!row) {
      if (nowMs < this.finalAt(epoch)) throw new EpochNotFinal(epoch, this.finalAt(epoch));
      await insertClosed(db, epoch, epochWindowMs(this.#o.clock, epoch), this.#now());
      this.#log.info("keeper: epoch closed", { epoch });
      await this.#afterStep(epoch, "closed");
      row = (await getEpoch(db, epoch))!;
    }
    while (!this.#isSettled(row.step)) {
      const next = KEEPER_STEPS[KEEPER_STEPS.indexOf(row.step) + 1]!;
      try {
        await this.#run(next, row, nowMs);
      } catch (error) {
        const message = this.#describe(error);
        await recordError(db, epoch, message, this.#now());
        if (error instanceof KeeperWaits) this.#log.info("keeper: epoch waits", { epoch, step: next, reason: message });
        else this.#log.error("keeper: epoch step failed", { epoch, step: next, error: message });
        throw error;
      }
      row = (await getEpoch(db, epoch))!;
      this.#log.info(`keeper: epoch ${next.replace("_", " ")}`, { epoch });
      await this.#afterStep(epoch, next);
    }
    return statusOf(row);
  }

  async #afterStep(epoch: bigint, step: KeeperStep): Promise<void> {
    try {
      await this.#o.afterStep?.(epoch, step);
    } catch (error) {
      throw new KeeperInterrupted(error);
    }
  }

  #run(step: KeeperStep, row: EpochRow, nowMs: number): Promise<void> {
    switch (step) {
      case "aggregated":
        return this.#aggregate(row);
      case "reported":
        return this.#report(row);
      case "bought_back":
        return this.#buyBack(row);
      case "rewarded":
        return rewardEpoch(this.#context(), row);
      case "published":
        // Catching up (the next epoch is final too): its root will follow at once, so this one may
        // supersede a pending root; otherwise the pending root is let go live first.
        return publishEpoch(this.#context(), row, this.#o.dataDir!, { catchingUp: this.finalAt(row.epoch + 1n) <= nowMs });
      default:
        throw new Error(`the keeper has no step ${step}`);
    }
  }

  #context(): StepContext {
    const { db, ledger, clients, deployments, clock } = this.#o;
    const { dataDir, inputInDatabaseBelow } = this.#o;
    return { db, ledger, clients, deployments, clock, dataDir, inputInDatabaseBelow, log: this.#log, now: this.#now, journaled: (key, send) => this.#journaled(key, send) };
  }

  #isSettled(step: KeeperStep): boolean {
    return KEEPER_STEPS.indexOf(step) >= KEEPER_STEPS.indexOf(this.#lastStep);
  }

  /** Freezes the window's usage per deployment (the roots of the ledger's usage trees, as the gateway serves them). */
  async #aggregate(row: EpochRow): Promise<void> {
    await loadFastKeccak();
    const usage = await aggregateWindow(this.#o.ledger, { fromMs: Number(row.window_from), toMs: Number(row.window_to) });
    const rows: NewEpochDeployment[] = [...usage.values()].map((u) => {
      const skip = u.deployment === zeroAddress ? "base models: no revenue report" : u.gross === 0n ? "no revenue" : null;
      return {
        deployment: u.deployment,
        records: BigInt(u.records),
        gross: u.gross,
        hard_cost: u.hardCost,
        usage_root: u.usageRoot,
        report_status: skip ? "skipped" : "pending",
        report_note: skip,
      };
    });
    await saveAggregate(this.#o.db, row.epoch, rows, this.#now());
  }

  /**
   * Reports each graduated $MT's revenue, unless the chain already has the report (then it is
   * recorded). One approval covers all of the epoch's reports: a report's own approval would cost a
   * transaction and a block per $MT.
   */
  async #report(row: EpochRow): Promise<void> {
    const { db, clients, deployments: d } = this.#o;
    const epoch = row.epoch;
    const toSend: { mt: Address; u: EpochDeploymentRow; amounts: ReportAmounts }[] = [];
    for (const u of await listEpochDeployments(db, epoch)) {
      if (u.report_status !== "pending") continue;
      const mt = getAddress(u.deployment);
      const settled = await this.#reportSettled(epoch, mt, u);
      if (settled) await recordReport(db, epoch, u.deployment, settled, this.#now());
      else toSend.push({ mt, u, amounts: this.#amountsOf(u) });
    }
    if (toSend.length > 0) {
      // ensureAllowance reads the allowance first: after a crash past the approval and some reports,
      // what is left of it still covers the reports left (each report pulls exactly its gross).
      const amount = toSend.reduce((sum, { amounts }) => sum + amounts.gross, 0n);
      await this.#journaled(`epoch:${epoch}:approve`, (sender) =>
        ensureAllowance(clients, { token: d.contracts.usdc, spender: d.contracts.revenueRouter, amount }, { sender }),
      );
    }
    for (const { mt, u, amounts } of toSend) {
      await recordReport(db, epoch, u.deployment, await this.#reportOne(epoch, mt, u, amounts), this.#now());
    }
    await advance(db, epoch, "aggregated", "reported", this.#now());
  }

  /** The outcome of a $MT that needs no report from this run: not graduated, or already reported on chain. */
  async #reportSettled(epoch: bigint, mt: Address, u: EpochDeploymentRow): Promise<ReportOutcome | null> {
    const { clients, deployments: d } = this.#o;
    const { name } = await getState(clients.public, d, { mt });
    if (name !== "Graduated") return { status: "skipped", note: `not a graduated $MT (${name})` };
    const onChain = await getReport(clients.public, d, { epoch, mt });
    return onChain.gross !== 0n ? this.#foundReport(epoch, mt, u, onChain) : null;
  }

  #amountsOf(u: EpochDeploymentRow): ReportAmounts {
    return reportAmountsOf({ grossMicroUsd: u.gross, hardCostMicroUsd: u.hard_cost }, this.#o.deployments.usdcDecimals);
  }

  async #reportOne(epoch: bigint, mt: Address, u: EpochDeploymentRow, { gross, hardCost }: ReportAmounts): Promise<ReportOutcome> {
    const { clients, deployments: d } = this.#o;
    try {
      const sent = await this.#journaled(`epoch:${epoch}:report:${mt}`, (sender) =>
        reportRevenue(clients, d, { epoch, mt, gross, hardCost, usageRoot: u.usage_root as Hex, approval: "none" }, { sender }),
      );
      return { status: "reported", gross, hardCost, tx: sent.hash };
    } catch (error) {
      // Reported between the read and the send (another keeper, or a journaled send now mined).
      if (revertOf(error)?.errorName !== "RevenueRouterAlreadyReported") throw error;
      return this.#foundReport(epoch, mt, u, await getReport(clients.public, d, { epoch, mt }));
    }
  }

  /** A report already on chain: recorded as it stands (the router keeps the first), a difference logged. */
  async #foundReport(
    epoch: bigint,
    mt: Address,
    u: EpochDeploymentRow,
    onChain: { gross: bigint; hardCost: bigint; usageRoot: Hex },
  ): Promise<ReportOutcome> {
    const { clients, deployments: d } = this.#o;
    const [event] = await clients.public.getContractEvents({
      address: d.contracts.revenueRouter,
      abi: revenueRouterAbi,
      eventName: "RevenueReported",
      args: { epoch, mt },
      fromBlock: BigInt(d.startBlock),
    });
    const mine = this.#amountsOf(u);
    const same = onChain.gross === mine.gross && onChain.hardCost === mine.hardCost && onChain.usageRoot === u.usage_root;
    if (!same) this.#log.warn("keeper: the report on chain differs from the aggregate", { epoch, mt, onChain, mine, usageRoot: u.usage_root });
    return {
      status: "reported",
      note: same ? "found on chain" : "found on chain, differing from the aggregate",
      gross: onChain.gross,
      hardCost: onChain.hardCost,
      tx: event?.transactionHash,
    };
  }

  /**
   * One buyback attempt per reported $MT, and one of FLOCK when anything was reported. The executor
   * rate-limits and bounds them: a refusal is recorded and the budget carries to a later buyback.
   */
  async #buyBack(row: EpochRow): Promise<void> {
    const { db, clients, deployments: d } = this.#o;
    const epoch = row.epoch;
    const reported = (await listEpochDeployments(db, epoch)).filter((u) => u.report_status === "reported");
    if (reported.length === 0) {
      await recordFlockBuyback(db, epoch, { status: "skipped", note: "nothing reported" });
      await advance(db, epoch, "reported", "bought_back", this.#now());
      return;
    }
    // The block after the newest one now (uncached: viem caches the block number for seconds): this
    // step's executions land there or later, earlier ones are older epochs'.
    const next = async () => (await clients.public.getBlockNumber({ cacheTime: 0 })) + 1n;
    // The buybacks price against the pools' TWAPs: observed first, waited for (OracleWaiting) until usable.
    const pending = reported.filter((u) => u.buyback_status === null).map((u) => getAddress(u.deployment));
    await observeBuybackPools(this.#context(), epoch, pending, row.flock_buyback_status === null);
    const fromBlock = row.buyback_from_block ?? (await startBuybacks(db, epoch, await next()));
    for (const u of reported) {
      if (u.buyback_status !== null) continue;
      const mt = getAddress(u.deployment);
      const outcome = await this.#buyBackOne(mt, fromBlock, () =>
        this.#journaled(`epoch:${epoch}:buyback:${mt}`, (sender) => executeMtBuyback(clients, d, { mt }, { sender })),
      );
      await recordMtBuyback(db, epoch, u.deployment, outcome, this.#now());
    }
    if (row.flock_buyback_status === null) {
      const flock = d.contracts.flock;
      const outcome = await this.#buyBackOne(flock, fromBlock, () =>
        this.#journaled(`epoch:${epoch}:buyback:flock`, (sender) => executeFlockBuyback(clients, d, { sender })),
      );
      await recordFlockBuyback(db, epoch, outcome);
    }
    await advance(db, epoch, "reported", "bought_back", this.#now());
  }

  async #buyBackOne(
    target: Address,
    fromBlock: bigint,
    execute: () => Promise<Sent & BuybackExecuted>,
  ): Promise<BuybackOutcome> {
    const { clients, deployments: d } = this.#o;
    // Executed since the step started: by a run that crashed before recording it (or by anyone: the
    // executor is permissionless, and the interval's budget is spent all the same).
    // Nothing is mined from fromBlock on yet: no query (anvil refuses a range that starts past the head).
    const mined = fromBlock <= (await clients.public.getBlockNumber({ cacheTime: 0 }));
    const [done] = mined
      ? await clients.public.getContractEvents({ address: d.contracts.buybackExecutor, abi: buybackExecutorAbi, eventName: "BuybackExecuted", args: { target }, fromBlock })
      : [];
    if (done) return { status: "executed", note: "found on chain", spent: done.args.spent!, burned: done.args.bought!, tx: done.transactionHash };
    try {
      const sent = await execute();
      return { status: "executed", spent: sent.spent, burned: sent.bought, tx: sent.hash };
    } catch (error) {
      const refusal = revertOf(error)?.errorName;
      if (!refusal || !CARRIED_REFUSALS.has(refusal)) throw error;
      const note = `${refusal}: ${this.#describe(error)}`;
      this.#log.info("keeper: buyback refused, its budget carries", { target, refusal, note });
      return { status: "refused", note };
    }
  }

  /** An error as a sentence, USDC amounts in the deployment's stablecoin units. */
  #describe(error: unknown): string {
    return describeError(error, { usdcDecimals: this.#o.deployments.usdcDecimals });
  }

  /**
   * Runs `send` with the journal's sender for the action's key. When the key's transaction reverted
   * on chain (journaled by this run or an earlier one), the key is spent: the action runs again under
   * the next key (`#2`, `#3`), whose write simulates first, so it is signed only if it would succeed
   * now and otherwise throws the decoded reason. After ACTION_ATTEMPTS reverted transactions the step
   * fails for an operator (recorded on the epoch).
   */
  async #journaled<T>(key: string, send: (sender: Sender | undefined) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const journal = this.#o.senderFor?.(attempt === 1 ? key : `${key}#${attempt}`);
      if (!journal) return send(undefined);
      let hash: Hash | undefined;
      try {
        return await send(async (request) => (hash = await journal(request)));
      } catch (error) {
        if (hash === undefined || !(await this.#revertedOnChain(hash))) throw error;
        this.#log.warn("keeper: a journaled transaction reverted on chain; its key is spent", { key, attempt, tx: hash });
        if (attempt === ACTION_ATTEMPTS) {
          throw new Error(
            `${key}: ${attempt} transactions reverted on chain (the last: ${hash}); the keeper stops retrying it. ` +
              "See docs/operations.md#running-the-keeper",
          );
        }
      }
    }
  }

  async #revertedOnChain(hash: Hash): Promise<boolean> {
    try {
      return (await this.#o.clients.public.getTransactionReceipt({ hash })).status === "reverted";
    } catch (error) {
      if (error instanceof TransactionReceiptNotFoundError) return false;
      throw error;
    }
  }
}

/** A test hook's throw: it stops the run as a crash would, recorded as nothing. */
class KeeperInterrupted extends Error {
  constructor(cause: unknown) {
    super("keeper run interrupted", { cause });
  }
}

function statusOf(row: EpochRow): KeeperEpochStatus {
  const at = row[`${row.step}_at` as const];
  return {
    epoch: row.epoch, step: row.step, error: row.error, updatedAt: Number(at ?? row.closed_at),
    inputHash: row.input_hash, rewardsRoot: row.rewards_root, rootTx: row.root_tx, quiet: isQuiet(row),
  };
}
