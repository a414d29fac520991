// bench/epoch/chain.ts: the chain part of settling one epoch at scale (issue 14 §4), measured apart
// from the computation (bench/epoch/main.ts). On a local Hardhat node with N graduated $MTs on real
// Uniswap V2 pools (chain-build.ts), one epoch of usage for every $MT is written into a fresh SQLite
// ledger, and the real Keeper, sending through a TxJournal as production runs it, settles it: the
// report step and the buyback step are timed apart (wall time, transactions, gas, tx/s, time per
// transaction). Then the same reports for two more epochs without the keeper's wait for each receipt:
// through the journal's sender with the receipts awaited at the end ("journal, no wait"), and as
// JSON-RPC batches mined many to a block ("batched": the node's ceiling).
// Usage: node bench/epoch/chain.ts [--mts 1000] [--records 3] [--block-ms 0] [--json]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { DEV_MNEMONIC, startLocalChain, type LocalChain } from "@fomo/deploy";
import { Keeper, TxJournal } from "@fomo/engine";
import { Ledger, openDatabase, type Database, type KeeperStep } from "@fomo/ledger";
import {
  FLOCK,
  epochGraceMs,
  epochWindowMs,
  getEpochClock,
  localTokenAbi,
  reportAmountsOf,
  revenueRouterAbi,
  usdToTokenUnits,
  type Clients,
} from "@fomo/sdk";
import { fundedKey, USD } from "@fomo/testkit/ledger";
import { TEST_PRICING, tokens } from "@fomo/testkit/pricing";
import { createPublicClient, encodeFunctionData, getAddress, http, maxUint256, type Address, type Hash, type Hex, type PublicClient } from "viem";
import { hardhat } from "viem/chains";
import { mnemonicToAccount } from "viem/accounts";
import { rpc } from "../rpc.ts";
import { buildGraduatedMts, sendMined, setAutomine } from "./chain-build.ts";

const { values } = parseArgs({
  options: {
    mts: { type: "string", default: "1000" },
    records: { type: "string", default: "3" },
    "block-ms": { type: "string", default: "0" },
    json: { type: "boolean", default: false },
  },
});
const MTS = Number(values.mts);
const RECORDS_PER_MT = Number(values.records);
/** 0: automine (a block per transaction, at once); else a block every this many ms from the keeper's run on, as on a real chain. */
const BLOCK_MS = Number(values["block-ms"]);
const say = (line: string) => void (values.json ? undefined : process.stderr.write(`${line}\n`));
/**
 * Deep enough that N $MT buybacks (each USDC → FLOCK through this one pool) stay inside the
 * executor's 2% TWAP bound: deployLocal's default 100,000 USD would let ~1,000 of them drift ~1%.
 */
const USDC_FLOCK_POOL_USD = 10_000_000n;

interface TxTiming {
  key: string;
  /** performance.now() when the keeper handed the transaction to the journal. */
  at: number;
  /** Milliseconds the journal's sender took: recover, nonce, sign, insert, durable commit, broadcast. */
  sendMs?: number;
  hash?: Hash;
}

interface StepFigures {
  seconds: number;
  transactions: number;
  gasUsed: number;
  txPerSecond: number;
  /** Wall time from one transaction's hand-over to the next one's (the last: to the step's end), ms. */
  perTxMs: { p50: number; p95: number; max: number };
  /** Wall time per $MT (its report, or its buyback, and the keeper's reads around them; the epoch's one approval a group of its own), ms. */
  perMtMs: { p50: number; p95: number };
  /** The journal's part of each transaction (its sender call), ms. */
  journalMs: { p50: number; p95: number };
  blocks: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

async function gasOf(chain: LocalChain, hashes: Hash[]): Promise<{ gasUsed: number; blocks: number }> {
  let gasUsed = 0n;
  const blocks = new Set<bigint>();
  for (const hash of hashes) {
    const receipt = await chain.publicClient.getTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    gasUsed += receipt.gasUsed;
    blocks.add(receipt.blockNumber);
  }
  return { gasUsed: Number(gasUsed), blocks: blocks.size };
}

/** One step's figures from the journal hand-overs that fell in [from, to). */
async function stepFigures(chain: LocalChain, sent: TxTiming[], from: number, to: number, perMt: (key: string) => string): Promise<StepFigures> {
  const mine = sent.filter((t) => t.at >= from && t.at < to);
  const gaps = mine.map((t, i) => (mine[i + 1]?.at ?? to) - t.at).sort((a, b) => a - b);
  const byMt = new Map<string, number>();
  mine.forEach((t, i) => byMt.set(perMt(t.key), (byMt.get(perMt(t.key)) ?? 0) + ((mine[i + 1]?.at ?? to) - t.at)));
  const mtTimes = [...byMt.values()].sort((a, b) => a - b);
  const journalTimes = mine.map((t) => t.sendMs!).sort((a, b) => a - b);
  const { gasUsed, blocks } = await gasOf(chain, mine.map((t) => t.hash!));
  const seconds = (to - from) / 1000;
  return {
    seconds: round(seconds, 2),
    transactions: mine.length,
    gasUsed,
    txPerSecond: round(mine.length / seconds),
    perTxMs: { p50: round(quantile(gaps, 0.5)), p95: round(quantile(gaps, 0.95)), max: round(gaps.at(-1) ?? 0) },
    perMtMs: { p50: round(quantile(mtTimes, 0.5)), p95: round(quantile(mtTimes, 0.95)) },
    journalMs: { p50: round(quantile(journalTimes, 0.5)), p95: round(quantile(journalTimes, 0.95)) },
    blocks,
  };
}

/** `RECORDS_PER_MT` settled requests on every $MT inside `window`, through the ledger's reserve/settle. */
async function writeUsage(db: Database, mts: Address[], window: { fromMs: number; toMs: number }): Promise<number> {
  let at = window.fromMs;
  const ledger = new Ledger(db, { now: () => at });
  const { key } = await fundedKey(ledger, BigInt(mts.length * RECORDS_PER_MT) * 10n * USD);
  const step = Math.max(1, Math.floor((window.toMs - window.fromMs) / (mts.length * RECORDS_PER_MT + 1)));
  let n = 0;
  for (let r = 0; r < RECORDS_PER_MT; r++) {
    for (const mt of mts) {
      at = window.fromMs + step * ++n;
      const requestId = `chain-bench-${n}`;
      await ledger.metering.reserve({ requestId, keyId: key.id, amount: 5n * USD, modelId: "stories-260k", deployment: mt, pricing: TEST_PRICING });
      await ledger.metering.settle(requestId, { ...tokens(1_000_000n + BigInt(n % 1000), 500_000n), source: "tokenizer" });
    }
  }
  return n;
}

async function main(): Promise<void> {
  say(`[bench] starting a local chain with FOMO deployed`);
  const chain = await startLocalChain({
    port: 0,
    accounts: 1,
    deploy: { flockUsdcPool: { flock: USDC_FLOCK_POOL_USD * 20n * FLOCK, usdc: usdToTokenUnits(USDC_FLOCK_POOL_USD, 6) } },
  });
  const dir = mkdtempSync(join(tmpdir(), "fomo-bench-chain-"));
  let db: Database | undefined;
  try {
    const d = chain.deployments;
    const wallet = chain.wallets[0]!;
    // Under interval mining the keeper polls for receipts twice a block, as viem does for a chain
    // that declares its block time (Base: 2 s → 1 s); with automine a receipt is there at once.
    const publicClient = BLOCK_MS > 0
      ? (createPublicClient({ chain: hardhat, transport: http(chain.url), pollingInterval: Math.max(50, BLOCK_MS / 2) }) as PublicClient)
      : chain.publicClient;
    const clients: Clients = { public: publicClient, wallet };
    say(`[bench] building ${MTS} graduated $MTs (launch, graduating buy, TWAP observations; batched, automine off)`);
    const built = await buildGraduatedMts(chain, MTS);
    say(`[bench] chain built in ${built.seconds.toFixed(1)} s: ${built.transactions} transactions in ${built.blocks} blocks`);

    db = await openDatabase(join(dir, "ledger.sqlite"));
    const clock = await getEpochClock(chain.publicClient, d);
    const epoch = 0n;
    const window = epochWindowMs(clock, epoch);
    const t0 = performance.now();
    const records = await writeUsage(db, built.mts, window);
    const usageSeconds = (performance.now() - t0) / 1000;
    say(`[bench] ${records} usage records written in ${usageSeconds.toFixed(1)} s`);

    // The keeper as production runs it: every transaction through the journal, each write awaiting its receipt.
    // The keeper's key itself (the journal signs): the deployer, which holds the KEEPER role locally.
    const account = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 0 });
    const journal = new TxJournal({ db, publicClient, account, chainId: d.chainId });
    const sent: TxTiming[] = [];
    const stepAt: Partial<Record<KeeperStep, number>> = {};
    const finalAtMs = window.toMs + epochGraceMs(clock);
    const keeper = new Keeper({
      db,
      ledger: new Ledger(db),
      clients,
      deployments: d,
      clock,
      // The chain part measured here is the reports and buybacks; rewards and roots need the read model.
      lastStep: "bought_back",
      now: () => finalAtMs,
      senderFor: (key) => {
        const send = journal.sender(key);
        return async (request) => {
          const timing: TxTiming = { key, at: performance.now() };
          sent.push(timing);
          timing.hash = await send(request);
          timing.sendMs = performance.now() - timing.at;
          return timing.hash;
        };
      },
      afterStep: (_, step) => void (stepAt[step] = performance.now()),
    });
    if (BLOCK_MS > 0) {
      await setAutomine(chain, false);
      await rpc(chain, [{ method: "evm_setIntervalMining", params: [BLOCK_MS] }]);
    }
    say(`[bench] the keeper settles epoch ${epoch}${BLOCK_MS > 0 ? ` (a block every ${BLOCK_MS} ms)` : " (automine)"}`);
    const status = await keeper.settle(epoch);
    if (status.step !== "bought_back") throw new Error(`epoch ${epoch} stopped at ${status.step}: ${status.error}`);
    const rows = await keeper.deployments(epoch);
    const reported = rows.filter((r) => r.report_status === "reported");
    const executed = rows.filter((r) => r.buyback_status === "executed");
    if (reported.length !== MTS) throw new Error(`${reported.length} of ${MTS} $MTs reported`);
    const mtOf = (key: string) => key.split(":").at(-1)!;
    const report = await stepFigures(chain, sent, stepAt.aggregated!, stepAt.reported!, mtOf);
    const buyback = await stepFigures(chain, sent, stepAt.reported!, stepAt.bought_back!, mtOf);
    const aggregateSeconds = (stepAt.aggregated! - stepAt.closed!) / 1000;
    say(`[bench] keeper: report ${report.seconds} s (${report.transactions} tx), buyback ${buyback.seconds} s (${buyback.transactions} tx, ${executed.length} $MT buybacks executed)`);

    // The same reports without the keeper's wait for each receipt (a measurement here, not the keeper).
    const amounts = reported.map((r) => {
      const { gross, hardCost } = reportAmountsOf({ grossMicroUsd: r.gross, hardCostMicroUsd: r.hard_cost }, d.usdcDecimals);
      return { mt: getAddress(r.deployment), gross, hardCost, usageRoot: r.usage_root as Hex };
    });
    const approve = await wallet.writeContract({ address: d.contracts.usdc, abi: localTokenAbi, functionName: "approve", args: [d.contracts.revenueRouter, maxUint256] });
    await publicClient.waitForTransactionReceipt({ hash: approve });
    const reportArgs = (e: bigint, a: (typeof amounts)[number]) => [e, a.mt, a.gross, a.hardCost, a.usageRoot] as const;

    say(`[bench] journal, no wait: ${amounts.length} reports of epoch ${epoch + 1n} through the journal's sender, receipts awaited at the end`);
    const j0 = performance.now();
    const hashes: Hash[] = [];
    for (const a of amounts) {
      const send = journal.sender(`bench:epoch:${epoch + 1n}:report:${a.mt}`);
      hashes.push(await send({ address: d.contracts.revenueRouter, abi: revenueRouterAbi, functionName: "reportRevenue", args: reportArgs(epoch + 1n, a), account }));
    }
    await Promise.all(hashes.map((hash) => publicClient.waitForTransactionReceipt({ hash })));
    const journalSeconds = (performance.now() - j0) / 1000;
    const journalGas = await gasOf(chain, hashes);

    say(`[bench] batched: ${amounts.length} reports of epoch ${epoch + 2n} as JSON-RPC batches, automine off`);
    if (BLOCK_MS > 0) await rpc(chain, [{ method: "evm_setIntervalMining", params: [0] }]);
    await setAutomine(chain, false);
    const b0 = performance.now();
    const batched = await sendMined(
      chain,
      account.address,
      amounts.map((a) => ({
        to: d.contracts.revenueRouter,
        data: encodeFunctionData({ abi: revenueRouterAbi, functionName: "reportRevenue", args: reportArgs(epoch + 2n, a) }),
        gas: 400_000n,
      })),
    );
    const batchedSeconds = (performance.now() - b0) / 1000;
    await setAutomine(chain, true);
    const batchedGas = await gasOf(chain, batched.hashes);

    const variant = (seconds: number, gas: { gasUsed: number; blocks: number }) => ({
      seconds: round(seconds, 2),
      transactions: amounts.length,
      gasUsed: gas.gasUsed,
      txPerSecond: round(amounts.length / seconds),
      meanPerTxMs: round((seconds * 1000) / amounts.length, 2),
      blocks: gas.blocks,
    });
    const figures = {
      mts: MTS,
      blockMs: BLOCK_MS,
      records,
      build: { seconds: round(built.seconds), transactions: built.transactions, blocks: built.blocks, perMtMs: round((built.seconds * 1000) / MTS) },
      usage: { seconds: round(usageSeconds, 2) },
      keeper: {
        aggregateSeconds: round(aggregateSeconds, 2),
        report,
        buyback: { ...buyback, executed: executed.length, refused: rows.filter((r) => r.buyback_status === "refused").length },
        perMtMs: round(((stepAt.bought_back! - stepAt.closed!) / MTS), 1),
      },
      reportsJournalNoWait: variant(journalSeconds, journalGas),
      reportsBatched: variant(batchedSeconds, batchedGas),
      maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
    else {
      const line = (name: string, s: StepFigures) =>
        say(`  ${name.padEnd(9)} ${String(s.seconds).padStart(8)} s  ${String(s.transactions).padStart(5)} tx  ${String(s.gasUsed).padStart(12)} gas  ${String(s.txPerSecond).padStart(6)} tx/s  per tx p50 ${s.perTxMs.p50} ms p95 ${s.perTxMs.p95} ms  per $MT p50 ${s.perMtMs.p50} ms p95 ${s.perMtMs.p95} ms  journal p50 ${s.journalMs.p50} ms p95 ${s.journalMs.p95} ms  (${s.blocks} blocks)`);
      say(`[bench] ${MTS} $MTs, ${records} records; chain built in ${figures.build.seconds} s (${figures.build.perMtMs} ms per $MT)`);
      say(`  aggregate ${figures.keeper.aggregateSeconds} s`);
      line("report", report);
      line("buyback", buyback);
      const v = (name: string, x: ReturnType<typeof variant>) =>
        say(`  ${name.padEnd(24)} ${x.seconds} s  ${x.transactions} tx  ${x.gasUsed} gas  ${x.txPerSecond} tx/s  ${x.meanPerTxMs} ms per tx (mean)  (${x.blocks} blocks)`);
      v("reports, journal no wait", figures.reportsJournalNoWait);
      v("reports, batched", figures.reportsBatched);
    }
  } finally {
    await db?.destroy();
    await chain.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
