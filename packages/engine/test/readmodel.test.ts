// The read model against the chain it reads: one protocol history on a real Hardhat node (see
// support/scenario.ts), indexed by the real Indexer with the read model's projections, then every query checked against the
// contracts' own reads (offering(), totalSupply, balanceOf, stakes, reserves…), on SQLite and
// PostgreSQL. Replaying gives byte-identical tables, and so does deleting the rows above a block
// and re-applying the logs above it (what the indexer does on a reorg).
import assert from "node:assert/strict";
import { after, it } from "node:test";
import type { Database } from "@fomo/ledger";
import {
  accountIdOf, epochOf, getCooldown, getEpochClock, getLock, getClaimed, getReport, getStake, getTotalStaked, launchpadAbi, modelTokenAbi,
  timeWeightedStake, uniswapV2PairAbi, type Clients,
} from "@fomo/sdk";
import { erc20Abi, type Address } from "viem";
import { describeEachDatabase } from "@fomo/testkit/databases";
import {
  DEAD_ADDRESS, dailyStake, epochFlows, getOffering, listBuys, listDeposits, listGmflockLocks, listOfferings, listPools,
  listRewardClaims, listRewardRoots, listStakes, mtHolders, mtSupply, priceCandles, supporterPosition, totalStaked,
} from "../src/readmodel/index.ts";
import { dumpTables, feed, readModelProjections } from "./support/feed.ts";
import { runScenario, type Scenario } from "./support/scenario.ts";
import { syncAll } from "./support/tables.ts";

let played: Promise<{ s: Scenario; at: bigint; block: bigint }> | undefined;
/** The scenario, run once for the file (both databases read the same chain). */
function scenario() {
  played ??= runScenario().then(async (s) => {
    const head = await s.chain.publicClient.getBlock();
    return { s, at: head.timestamp, block: head.number };
  });
  return played;
}
after(async () => {
  if (played) await (await played).s.chain.stop();
});

const WHOLE = 10n ** 18n;

describeEachDatabase("read model", (suite) => {
  let fed: Promise<Database> | undefined;
  /** A database fed with the whole history. */
  const database = () =>
    (fed ??= (async () => {
      const { s } = await scenario();
      const db = await suite.open();
      await feed(db, s.chain.publicClient, s.d);
      return db;
    })());

  it("offerings: state, window, raise, curve and price equal Launchpad.offering", { timeout: 600_000 }, async () => {
    const { s, at } = await scenario();
    const db = await database();
    const chainId = s.d.chainId;
    const listed = await listOfferings(db, { chainId, at });
    assert.deepEqual(listed.map((o) => o.mt), [s.graduated, s.failed, s.raising]);
    const stateNames: string[] = [];
    for (const mt of [s.graduated, s.failed, s.raising]) {
      const onChain = await s.chain.publicClient.readContract({ address: s.d.contracts.launchpad, abi: launchpadAbi, functionName: "offering", args: [mt] });
      const mine = (await getOffering(db, { chainId, mt, at }))!;
      const pick = (o: Record<string, any>) => ({
        state: o.state, creator: o.creator, termsId: o.termsId, opensAt: o.opensAt, closesAt: o.closesAt,
        pausedSeconds: o.pausedSeconds, paused: o.paused, graduatedAt: o.graduatedAt, raised: o.raised, raiseMin: o.raiseMin,
        raiseMax: o.raiseMax, sold: o.sold, price: o.price, virtualFlock: o.virtualFlock, virtualMt: o.virtualMt,
      });
      assert.deepEqual(pick(mine), pick(onChain), `offering ${mine.ticker}`);
      assert.equal(mine.progressBps, (onChain.raised * 10_000n) / onChain.raiseMax);
      stateNames.push(mine.stateName);
    }
    // Every supporter's position (claimed, refunded, still raising with an issuer's first buy).
    for (const mt of [s.graduated, s.failed, s.raising]) {
      for (const who of [s.keeper, s.alice, s.bob]) {
        const account = who.wallet.account.address;
        const onChain = await s.chain.publicClient.readContract({ address: s.d.contracts.launchpad, abi: launchpadAbi, functionName: "positionOf", args: [mt, account] });
        assert.deepEqual(await supporterPosition(db, { chainId, mt, account }), onChain, `position of ${account} in ${mt}`);
      }
    }
    const issuer = await supporterPosition(db, { chainId, mt: s.raising, account: s.bob.wallet.account.address });
    assert.ok(issuer.firstBuyMt > 0n && issuer.mt > issuer.firstBuyMt, "the issuer's first buy and a later buy");
    // The scenario covers every state an offering ends a history in.
    assert.deepEqual(stateNames, ["Graduated", "Failed", "Raising"]);
  });

  it("buys and candles follow the chain's price after every trade", async () => {
    const { s } = await scenario();
    const db = await database();
    const { chainId } = s.d;
    const pub = s.chain.publicClient;
    const buys = await listBuys(db, { chainId, mt: s.graduated });
    assert.equal(buys.length, 3);
    const chainPriceAt = async (blockNumber: bigint, graduated: boolean) => {
      if (!graduated) {
        const o = await pub.readContract({ address: s.d.contracts.launchpad, abi: launchpadAbi, functionName: "offering", args: [s.graduated], blockNumber });
        return o.price;
      }
      const [r0, r1] = await pub.readContract({ address: s.pair, abi: uniswapV2PairAbi, functionName: "getReserves", blockNumber });
      const token0 = await pub.readContract({ address: s.pair, abi: uniswapV2PairAbi, functionName: "token0" });
      const [flock, mt] = token0.toLowerCase() === s.graduated.toLowerCase() ? [r1, r0] : [r0, r1];
      return (flock * WHOLE) / mt;
    };
    for (const b of buys) {
      const o = await pub.readContract({ address: s.d.contracts.launchpad, abi: launchpadAbi, functionName: "offering", args: [s.graduated], blockNumber: b.blockNumber });
      assert.equal(b.raisedAfter, o.raised);
    }
    const swapBlocks = (await pub.getContractEvents({ address: s.pair, abi: uniswapV2PairAbi, eventName: "Swap", fromBlock: 0n })).map(
      (e) => e.blockNumber,
    );
    assert.ok(swapBlocks.length >= 4, "three swaps and the buyback's trade on the pool");
    const trades = [
      ...buys.map((b) => ({ block: b.blockNumber, graduated: false })),
      ...swapBlocks.map((block) => ({ block, graduated: true })),
    ];
    const interval = 3_600n;
    const candles = await priceCandles(db, { chainId, mt: s.graduated, intervalSeconds: interval });
    // Each candle closes at the chain's price after the last trade of its interval.
    const expectedCloses = new Map<bigint, bigint>();
    for (const t of trades) {
      const { timestamp } = await pub.getBlock({ blockNumber: t.block });
      expectedCloses.set(timestamp - (timestamp % interval), await chainPriceAt(t.block, t.graduated));
    }
    assert.deepEqual(
      candles.map((c) => [c.start, c.close]),
      [...expectedCloses],
    );
    // The first opens at the price before the first buy: the offering's as launched.
    assert.equal(candles[0]!.open, await chainPriceAt(buys[0]!.blockNumber - 1n, false));
    for (const c of candles) assert.ok(c.low <= c.open && c.low <= c.close && c.high >= c.open && c.high >= c.close);
    assert.equal(candles.reduce((n, c) => n + c.trades, 0), trades.length);
    // A window keeps its candles whole; a longer interval merges them (first open, last close, extremes).
    assert.deepEqual(await priceCandles(db, { chainId, mt: s.graduated, intervalSeconds: interval, from: candles[1]!.start }), candles.slice(1));
    // Up to the end of the first candle's UTC day: the trades may straddle a midnight (chain time is the wall clock moved on).
    const firstDay = candles[0]!.start - (candles[0]!.start % 86_400n);
    const [day, ...later] = await priceCandles(db, { chainId, mt: s.graduated, intervalSeconds: 86_400n, to: firstDay + 86_400n });
    const sameDay = candles.filter((c) => c.start < day!.start + 86_400n);
    assert.deepEqual(later, []);
    assert.deepEqual(
      [day!.open, day!.close, day!.trades],
      [sameDay[0]!.open, sameDay.at(-1)!.close, sameDay.reduce((n, c) => n + c.trades, 0)],
    );
    await assert.rejects(priceCandles(db, { chainId, mt: s.graduated, intervalSeconds: 0n }), RangeError);
  });

  it("$MT supply, burned, LP and holders equal the token's reads", async () => {
    const { s } = await scenario();
    const db = await database();
    const pub = s.chain.publicClient;
    const issued = await pub.readContract({ address: s.d.contracts.launchpad, abi: launchpadAbi, functionName: "TOTAL_SUPPLY" });
    for (const mt of [s.graduated, s.failed, s.raising]) {
      const read = (functionName: "totalSupply" | "balanceOf", account?: Address) =>
        functionName === "totalSupply"
          ? pub.readContract({ address: mt, abi: modelTokenAbi, functionName })
          : pub.readContract({ address: mt, abi: modelTokenAbi, functionName, args: [account!] });
      const supply = await mtSupply(db, { chainId: s.d.chainId, mt });
      const totalSupply = await read("totalSupply");
      assert.equal(supply.totalSupply, totalSupply);
      const minted = mt === s.graduated ? issued : 0n;
      assert.equal(supply.burned, minted - totalSupply + (await read("balanceOf", DEAD_ADDRESS)));
      const holders = await mtHolders(db, { chainId: s.d.chainId, mt });
      assert.equal(supply.holders, holders.length);
      for (const h of holders) assert.equal(h.balance, await read("balanceOf", h.account), `balance of ${h.account}`);
      // Nobody missing: the holders and the dead address hold the whole supply.
      assert.equal(holders.reduce((t, h) => t + h.balance, 0n) + (await read("balanceOf", DEAD_ADDRESS)), totalSupply);
      if (mt === s.graduated) {
        assert.equal(supply.pair, s.pair);
        assert.equal(supply.lp, await read("balanceOf", s.pair));
        assert.ok(supply.holders >= 4, "buyers, pool, vesting, treasury…");
        assert.ok(supply.burned > minted - totalSupply, "the scenario burns to 0x0 and to the dead address");
      } else {
        assert.equal(supply.pair, undefined);
      }
    }
  });

  it("pools: the $MT/FLOCK and USDC/FLOCK reserves equal getReserves", async () => {
    const { s } = await scenario();
    const db = await database();
    const pools = await listPools(db, { chainId: s.d.chainId });
    assert.deepEqual(pools.map((p) => p.pair).sort(), [s.pair, s.usdcPair].sort());
    for (const p of pools) {
      const [r0, r1] = await s.chain.publicClient.readContract({ address: p.pair, abi: uniswapV2PairAbi, functionName: "getReserves" });
      const token0 = await s.chain.publicClient.readContract({ address: p.pair, abi: uniswapV2PairAbi, functionName: "token0" });
      assert.deepEqual([p.token0, p.reserve0, p.reserve1], [token0, r0, r1]);
    }
  });

  it("stakes, cooldowns, totals and time-weighted stake per day equal MtStaking's", async () => {
    const { s, at, block } = await scenario();
    const db = await database();
    const { chainId } = s.d;
    const mt = s.graduated;
    for (const who of [s.alice, s.bob]) {
      const account = who.wallet.account.address;
      const [position] = await listStakes(db, { chainId, mt, account });
      assert.ok(position);
      assert.equal(position.stake, await getStake(s.chain.publicClient, s.d, { mt, account }));
      const cooldown = await getCooldown(s.chain.publicClient, s.d, { mt, account });
      assert.deepEqual({ amount: position.cooling, releaseAt: position.releaseAt }, cooldown);
      // Two "days" that split the stake's whole history, each equal to the contract's checkpoints' integral.
      const from = position.checkpoints[0]!.timestamp - 600n;
      const half = (at - from) / 2n;
      const days = await dailyStake(db, { chainId, mt, account, from, days: 2, daySeconds: half });
      for (const day of days) {
        const onChain = await timeWeightedStake(s.chain.publicClient, s.d, { mt, account, from: day.from, to: day.from + half, blockNumber: block });
        assert.deepEqual({ ...day, from: undefined }, { ...onChain, from: undefined });
      }
      assert.ok(days.some((d) => d.stakeSeconds > 0n));
    }
    assert.equal(await totalStaked(db, { chainId, mt }), await getTotalStaked(s.chain.publicClient, s.d, { mt }));
    assert.equal((await listStakes(db, { chainId, account: s.alice.wallet.account.address })).length, 1);
  });

  it("deposits per account hold what CreditDeposits holds", async () => {
    const { s } = await scenario();
    const db = await database();
    const deposits = await listDeposits(db, { chainId: s.d.chainId, accountId: accountIdOf(s.depositAccount) });
    assert.equal(deposits.length, 2);
    const held = await s.chain.publicClient.readContract({
      address: s.d.contracts.usdc, abi: erc20Abi, functionName: "balanceOf", args: [s.d.contracts.creditDeposits],
    });
    assert.equal(deposits.reduce((t, d) => t + d.amount, 0n), held);
    assert.ok(deposits.every((d) => d.depositor === s.alice.wallet.account.address));
    assert.deepEqual(await listDeposits(db, { chainId: s.d.chainId, accountId: accountIdOf("someone else") }), []);
  });

  it("revenue reports and buybacks per epoch: the router's report, the burn the buyback made", async () => {
    const { s } = await scenario();
    const db = await database();
    const pub = s.chain.publicClient;
    const clock = await getEpochClock(pub, s.d);
    const flows = await epochFlows(db, { chainId: s.d.chainId, clock });
    const reported = flows.find((f) => f.epoch === s.revenueEpoch)!;
    assert.equal(reported.reports.length, 1);
    const report = reported.reports[0]!;
    const onChain = await getReport(pub, s.d, { epoch: s.revenueEpoch, mt: s.graduated });
    assert.deepEqual({ gross: report.gross, hardCost: report.hardCost, usageRoot: report.usageRoot }, onChain);
    assert.equal(report.mt, s.graduated);
    const buybacks = flows.flatMap((f) => f.buybacks);
    assert.equal(buybacks.length, 1);
    const buyback = buybacks[0]!;
    assert.equal(buyback.target, s.graduated);
    const supplyAt = (blockNumber: bigint) =>
      pub.readContract({ address: s.graduated, abi: modelTokenAbi, functionName: "totalSupply", blockNumber });
    assert.equal(buyback.burned, (await supplyAt(buyback.blockNumber - 1n)) - (await supplyAt(buyback.blockNumber)));
    assert.ok(buyback.spent > 0n && buyback.spent <= report.mtBuyback);
    // The buyback counts in the chain's epoch of its block, not the UTC day.
    assert.equal(buyback.epoch, epochOf(clock, buyback.timestamp));
    assert.deepEqual(
      await epochFlows(db, { chainId: s.d.chainId, clock, epoch: buyback.epoch }),
      flows.filter((f) => f.epoch === buyback.epoch),
    );
    assert.deepEqual(await epochFlows(db, { chainId: s.d.chainId, clock, epoch: s.revenueEpoch }), flows.filter((f) => f.epoch === s.revenueEpoch));
  });

  it("reward roots and claims, gmFLOCK locks equal the distributor's and GmFlock's", async () => {
    const { s } = await scenario();
    const db = await database();
    const pub = s.chain.publicClient;
    const [root, ...others] = await listRewardRoots(db, { chainId: s.d.chainId });
    assert.deepEqual(others, []);
    assert.equal(root!.root, s.rewardRoot);
    assert.deepEqual(root!.history.map((h) => h.status), ["posted", "activated"]);
    for (const who of [s.alice, s.bob] as Clients[]) {
      const account = who.wallet.account.address;
      const claims = await listRewardClaims(db, { chainId: s.d.chainId, account });
      const claimed = await getClaimed(pub, s.d, { account, token: s.rewardToken });
      assert.equal(claims.at(-1)?.cumulative ?? 0n, claimed);
      assert.equal(claims.reduce((t, c) => t + c.amount, 0n), claimed);
    }
    const [lock] = await listGmflockLocks(db, { chainId: s.d.chainId, owner: s.alice.wallet.account.address });
    const onChain = await getLock(pub, s.d, { id: s.gmLockId });
    assert.deepEqual({ owner: lock!.owner, amount: lock!.amount, gm: lock!.gm, unlockAt: lock!.unlockAt }, onChain);
    assert.equal(lock!.unlocked, false);
  });

  it("replaying the logs into a fresh database gives byte-identical tables", async () => {
    const { s } = await scenario();
    const projections = readModelProjections(s.d.contracts);
    const again = await suite.open();
    await feed(again, s.chain.publicClient, s.d);
    const original = await dumpTables(await database(), projections);
    assert.ok(original.length > 10_000, "the dump holds the whole history");
    assert.equal(await dumpTables(again, projections), original);
  });

  it("deleting the rows above a block and re-applying the logs above it restores the tables", async () => {
    const { s } = await scenario();
    const projections = readModelProjections(s.d.contracts);
    const db = await suite.open();
    const indexer = await feed(db, s.chain.publicClient, s.d);
    const whole = await dumpTables(db, projections);
    // Roll back to just before the graduating buy: the pool, claims, stakes… all go.
    const [graduation] = await s.chain.publicClient.getContractEvents({
      address: s.d.contracts.launchpad, abi: launchpadAbi, eventName: "Graduated", fromBlock: 0n,
    });
    await indexer.rewindTo(graduation!.blockNumber - 1n);
    assert.notEqual(await dumpTables(db, projections), whole);
    const offering = await getOffering(db, { chainId: s.d.chainId, mt: s.graduated });
    assert.equal(offering?.stateName, "Raising");
    assert.deepEqual(await listPools(db, { chainId: s.d.chainId }), (await listPools(db, { chainId: s.d.chainId })).filter((p) => p.pair === s.usdcPair));
    await syncAll(indexer);
    assert.equal(await dumpTables(db, projections), whole);
  });
});
