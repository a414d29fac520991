// bench/indexer: backfill speed and steady-state lag of the chain indexer (@fomo/engine) against a
// local Hardhat node. It builds a chain with at least --events protocol events (many offerings, many
// buys: automine off, transactions sent in JSON-RPC batches and mined many to a block), indexes it
// from block 0 into a fresh database, then keeps adding blocks while the indexer runs and measures
// how far behind it stays. Usage: node bench/indexer/main.ts [--events N] [--offerings N] [--json]
// (DATABASE_URL=postgres://… indexes into PostgreSQL instead of a temporary SQLite file).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startLocalChain, type LocalChain } from "@fomo/deploy";
import { Indexer, indexerStatus } from "@fomo/engine";
import { isPostgresUrl, openDatabase, type Database } from "@fomo/ledger";
import { FLOCK, launch, launchpadAbi, localTokenAbi } from "@fomo/sdk";
import { encodeFunctionData, maxUint256, type Address } from "viem";
import { rpc } from "../rpc.ts";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "100000" },
    offerings: { type: "string", default: "100" },
    "txs-per-block": { type: "string", default: "400" },
    json: { type: "boolean", default: false },
  },
});
const TARGET_EVENTS = Number(values.events);
const OFFERINGS = Number(values.offerings);
const TXS_PER_BLOCK = Number(values["txs-per-block"]);
const ACCOUNTS = 10;
const BUY_GAS = 250_000n;
const say = (line: string) => void (values.json ? undefined : process.stderr.write(`${line}\n`));

/** `count` buys spread over the offerings and accounts, mined TXS_PER_BLOCK to a block. */
async function mineBuys(chain: LocalChain, offerings: Address[], count: number, startAt: number): Promise<void> {
  const launchpad = chain.deployments.contracts.launchpad;
  const buyers = chain.wallets.map((w) => w.account.address);
  for (let done = 0; done < count; ) {
    const batch = Math.min(TXS_PER_BLOCK, count - done);
    const calls = Array.from({ length: batch }, (_, i) => {
      const n = startAt + done + i;
      const data = encodeFunctionData({
        abi: launchpadAbi,
        functionName: "buy",
        args: [offerings[n % offerings.length]!, 50n * FLOCK + BigInt(n % 97) * FLOCK, 0n, maxUint256],
      });
      return { method: "eth_sendTransaction", params: [{ from: buyers[n % buyers.length], to: launchpad, data, gas: `0x${BUY_GAS.toString(16)}` }] };
    });
    await rpc(chain, calls);
    await rpc(chain, [{ method: "evm_mine", params: [] }]);
    done += batch;
  }
}

async function main(): Promise<void> {
  say(`[bench] starting a local chain with FOMO deployed (${ACCOUNTS} funded accounts)`);
  const chain = await startLocalChain({ port: 0, accounts: ACCOUNTS });
  const dir = mkdtempSync(join(tmpdir(), "fomo-bench-indexer-"));
  let db: Database | undefined;
  try {
    const d = chain.deployments;
    for (const wallet of chain.wallets) {
      const hash = await wallet.writeContract({ address: d.contracts.flock, abi: localTokenAbi, functionName: "approve", args: [d.contracts.launchpad, maxUint256] });
      await chain.publicClient.waitForTransactionReceipt({ hash });
    }
    const started = Date.now();
    const offerings: Address[] = [];
    for (let i = 0; i < OFFERINGS; i++) {
      const clients = { public: chain.publicClient, wallet: chain.wallets[i % ACCOUNTS]! };
      offerings.push((await launch(clients, d, { templateId: 0, name: `Bench Model ${i}`, ticker: `B${i}` })).mt);
    }
    await rpc(chain, [{ method: "evm_setAutomine", params: [false] }]);
    // A launch emits several protocol events; a buy one (Bought).
    const launchEvents = OFFERINGS * 4;
    const buys = Math.max(0, TARGET_EVENTS - launchEvents);
    await mineBuys(chain, offerings, buys, 0);
    const head = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
    say(`[bench] chain built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${OFFERINGS} offerings, ${buys} buys, head ${head}`);

    const databaseUrl = process.env.DATABASE_URL;
    const target = databaseUrl && isPostgresUrl(databaseUrl) ? databaseUrl : join(dir, "bench.sqlite");
    db = await openDatabase(target);
    const indexer = new Indexer({ db, client: chain.publicClient, deployments: d, maxRange: 2_000, pollMs: 50 });

    // Backfill from block 0.
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const t0 = performance.now();
    for (;;) if ((await indexer.syncOnce()).caughtUp) break;
    const backfillSeconds = (performance.now() - t0) / 1000;
    const { n } = await db.selectFrom("chain_logs").select((eb) => eb.fn.countAll<bigint>().as("n")).executeTakeFirstOrThrow();
    const events = Number(n);
    const eventsPerSecond = Math.round(events / backfillSeconds);
    say(`[bench] backfill: ${events} events in ${backfillSeconds.toFixed(2)} s = ${eventsPerSecond} events/s`);

    // Steady state: a block of buys every 250 ms while the indexer runs; lag = time from mined to indexed.
    indexer.start();
    const lagsMs: number[] = [];
    const lagBlocks: bigint[] = [];
    for (let i = 0; i < 40; i++) {
      await mineBuys(chain, offerings, 50, buys + i * 50);
      const mined = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
      const at = performance.now();
      for (;;) {
        const [status] = await indexerStatus(db, d.chainId, mined);
        lagBlocks.push(status!.lag ?? 0n);
        if (status!.indexedTo >= mined) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      lagsMs.push(performance.now() - at);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await indexer.stop();
    clearInterval(sampler);
    lagsMs.sort((a, b) => a - b);
    const maxLagBlocks = lagBlocks.reduce((a, b) => (a > b ? a : b), 0n);
    const figures = {
      database: db.dialect,
      events,
      blocks: Number(head),
      backfillSeconds: Number(backfillSeconds.toFixed(2)),
      eventsPerSecond,
      target: 5_000,
      steadyLagMs: { median: Math.round(lagsMs[Math.floor(lagsMs.length / 2)]!), p95: Math.round(lagsMs[Math.floor(lagsMs.length * 0.95)]!), max: Math.round(lagsMs.at(-1)!) },
      steadyLagBlocksMax: Number(maxLagBlocks),
      peakRssMiB: Math.round(peakRss / 2 ** 20),
      maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
    else {
      say(`[bench] steady state (a block of 50 buys every 250 ms, poll 50 ms): lag median ${figures.steadyLagMs.median} ms, p95 ${figures.steadyLagMs.p95} ms, max ${figures.steadyLagMs.max} ms (at most ${figures.steadyLagBlocksMax} block behind)`);
      say(`[bench] memory: peak RSS while indexing ${figures.peakRssMiB} MiB (process max RSS ${figures.maxRssMiB} MiB)`);
      say(`[bench] ${eventsPerSecond >= 5_000 ? "PASS" : "UNDER"}: ${eventsPerSecond} events/s (target ≥ 5,000)`);
    }
  } finally {
    await db?.destroy();
    await chain.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
