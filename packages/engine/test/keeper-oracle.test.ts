// The buyback step keeps the TWAP oracle observed, on a real Hardhat node (a graduated $MT on real
// Uniswap V2 pools, the real TwapOracle and BuybackExecutor), on SQLite and PostgreSQL. Nothing else
// observes the pools between buybacks: once the chain is past maxAge since the last observation, the
// executor would refuse every buyback TwapOracleStale. The keeper observes the stale pools (journaled,
// once), waits a window without sending the buybacks, then buys back and burns; a fresh oracle costs
// nothing extra.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { Ledger, type Database } from "@fomo/ledger";
import {
  TWAP_MAX_AGE, TWAP_WINDOW, buybackExecutorAbi, epochGraceMs, epochWindowMs, modelTokenAbi, twapOracleAbi,
  updateTwap, type EpochClock,
} from "@fomo/sdk";
import { graduatedMt, type TestChain } from "@fomo/testkit/chain";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { meteredUsage } from "@fomo/testkit/ledger";
import { type Address, type LocalAccount } from "viem";
import { Keeper, TxJournal, poolReadiness, type JournaledTx, type KeeperOptions } from "../src/index.ts";
import { keeperChain } from "./support/keeper-chain.ts";

interface World {
  chain: TestChain;
  mt: Address;
  /** USDC/FLOCK and FLOCK/$MT: the pools an $MT buyback prices against. */
  pairs: Address[];
  clock: EpochClock;
}
let world: World;

before(async () => {
  world = await keeperChain(async ({ chain, pairOf }) => {
    const { usdc, flock } = chain.d.contracts;
    const mt = await graduatedMt(chain, "ORCL");
    return { mt, pairs: [await pairOf(usdc, flock), await pairOf(flock, mt)] };
  });
});
after(async () => world?.chain.close());

let nextEpoch = 10n;
/** An epoch of its own (the router takes one report per epoch and $MT) with `n` requests on the $MT. */
async function usedEpoch(db: Database, n: number): Promise<bigint> {
  const k = nextEpoch++;
  await meteredUsage(db, epochWindowMs(world.clock, k).fromMs, world.mt, n, `req-oracle-${k}`);
  return k;
}

const pub = () => world.chain.keeper.public;
const nonce = () => pub().getTransactionCount({ address: world.chain.keeper.wallet.account.address });
const head = () => pub().getBlockNumber({ cacheTime: 0 });
const finalAt = (epoch: bigint) => BigInt(Math.ceil((epochWindowMs(world.clock, epoch).toMs + epochGraceMs(world.clock)) / 1_000));
const supply = () => pub().readContract({ address: world.mt, abi: modelTokenAbi, functionName: "totalSupply" });

async function increaseTime(seconds: number): Promise<void> {
  await pub().request({ method: "evm_increaseTime" as never, params: [seconds] as never });
  await pub().request({ method: "evm_mine" as never, params: [] as never });
}

/** The chain is past maxAge since any observation (and past the buyback interval): the executor would refuse Stale. */
const goStale = () => increaseTime(TWAP_MAX_AGE + TWAP_WINDOW);

/** A keeper that journals every transaction, as in production (a new one per run: a restart). */
function keeperOn(db: Database, firstEpoch: bigint, hooks: { afterPersist?: (tx: JournaledTx) => unknown } = {}, options: Partial<KeeperOptions> = {}) {
  const { chain, clock } = world;
  const journal = new TxJournal({ db, publicClient: pub(), account: chain.keeper.wallet.account as LocalAccount, chainId: chain.d.chainId, hooks });
  const keeper = new Keeper({
    db, ledger: new Ledger(db), clients: chain.keeper, deployments: chain.d, clock, firstEpoch, lastStep: "bought_back",
    senderFor: (key) => journal.sender(key), ...options,
  });
  return { keeper, journal };
}

async function observed(fromBlock: bigint) {
  return pub().getContractEvents({ address: world.chain.d.contracts.twapOracle, abi: twapOracleAbi, eventName: "Updated", fromBlock });
}

async function burnedSince(fromBlock: bigint) {
  return pub().getContractEvents({
    address: world.chain.d.contracts.buybackExecutor, abi: buybackExecutorAbi, eventName: "BuybackExecuted", args: { target: world.mt }, fromBlock,
  });
}

async function observeKeys(db: Database, epoch: bigint): Promise<string[]> {
  const rows = await db.selectFrom("keeper_transactions").select("key").where("key", "like", `epoch:${epoch}:observe:%`).execute();
  return rows.map((r) => r.key).sort();
}

it("a pool's TWAP is usable from an observation a window old and at most maxAge old, as TwapOracle._mature picks it", () => {
  const [window, maxAge, now] = [1_800n, 21_600n, 100_000n];
  const at = (secondsAgo: bigint | null) => ({ price0Cumulative: 0n, price1Cumulative: 0n, timestamp: secondsAgo === null ? 0 : Number(now - secondsAgo) });
  const of = (older: bigint | null, newer: bigint | null) => poolReadiness({ older: at(older), newer: at(newer) }, now, window, maxAge).state;
  assert.equal(of(null, null), "stale", "never observed");
  assert.equal(of(null, window - 1n), "maturing", "only a graduation's observation, not a window old yet");
  assert.deepEqual(poolReadiness({ older: at(null), newer: at(10n) }, now, window, maxAge), { state: "maturing", readyAt: now - 10n + window });
  assert.equal(of(null, window), "ready");
  assert.equal(of(null, maxAge), "ready");
  assert.equal(of(null, maxAge + 1n), "stale", "yesterday's buyback");
  assert.equal(of(maxAge, 60n), "ready", "the older one carries while the newer matures");
  assert.equal(of(maxAge + 1n, 60n), "maturing", "both unusable until the newer is a window old");
  assert.equal(of(3n * maxAge, 2n * maxAge), "stale");
});

describeEachDatabase("keeper: TWAP oracle upkeep", (suite) => {
  it("observes stale pools, waits one window without buying back, then buys back and burns", { timeout: 300_000 }, async () => {
    const db = await suite.open();
    const k = await usedEpoch(db, 2);
    await goStale();
    const fromBlock = await head();

    const first = await keeperOn(db, k).keeper.runDue(finalAt(k));
    assert.deepEqual(first.settled, []);
    assert.equal(first.waiting?.epoch, k);
    assert.equal(first.failed, undefined, "a wait is not a failure");
    // Both pools were observed once, and the step waits until the later observation is a window old.
    const updates = await observed(fromBlock);
    assert.deepEqual(updates.map((e) => e.args.pair).sort(), [...world.pairs].sort());
    const readyAt = Math.max(...updates.map((e) => e.args.timestamp!)) + TWAP_WINDOW;
    assert.match(first.waiting!.reason, new RegExp(`^waiting: the TWAP observations of .* mature at ${readyAt} \\(chain time \\d+\\)`));
    assert.equal((await burnedSince(fromBlock)).length, 0, "no buyback sent against an immature oracle");
    const { keeper } = keeperOn(db, k);
    assert.deepEqual((await keeper.status()).map((s) => [s.step, s.error]), [["reported", first.waiting!.reason]]);
    assert.deepEqual((await keeper.deployments(k)).map((r) => r.buyback_status), [null], "the buyback is not recorded refused");

    // A poll inside the window (a restarted keeper): still waiting, nothing sent.
    const nonceWaiting = await nonce();
    const again = await keeperOn(db, k).keeper.runDue(finalAt(k));
    assert.match(again.waiting!.reason, /^waiting: /);
    assert.equal(await nonce(), nonceWaiting);

    // A window later the buybacks go and burn.
    await increaseTime(TWAP_WINDOW);
    const supplyBefore = await supply();
    assert.deepEqual(await keeper.runDue(finalAt(k)), { settled: [k] });
    assert.deepEqual((await keeper.status()).map((s) => [s.step, s.error]), [["bought_back", null]]);
    const [bought] = await keeper.deployments(k);
    assert.equal(bought!.buyback_status, "executed", bought!.buyback_note ?? "");
    const burns = await burnedSince(fromBlock);
    assert.deepEqual(burns.map((e) => e.transactionHash), [bought!.buyback_tx]);
    assert.ok(burns[0]!.args.bought! > 0n);
    assert.equal(supplyBefore - (await supply()), burns[0]!.args.bought, "the supply fell by exactly what was burned");
    assert.equal((await observeKeys(db, k)).length, 2, "one observation per stale pool");
  });

  it("a restart between the observation and the buyback sends no second observation", { timeout: 300_000 }, async () => {
    const db = await suite.open();
    const k = await usedEpoch(db, 1);
    await goStale();
    const fromBlock = await head();
    // The first observation is signed and journaled, then the keeper dies before broadcasting it.
    let persisted: JournaledTx | undefined;
    const crash = await keeperOn(db, k, {
      afterPersist: (tx) => {
        if (persisted || !tx.key.includes(":observe:")) return;
        persisted = tx;
        throw new Error(`crashed before broadcasting ${tx.key}`);
      },
    }).keeper.runDue(finalAt(k));
    assert.match(crash.failed!.error, /^crashed before broadcasting epoch:\d+:observe:/);
    assert.equal((await observed(fromBlock)).length, 0);

    // The restarted keeper finds the journaled observation (the same bytes), sends the other pool's, and waits.
    const restarted = await keeperOn(db, k).keeper.runDue(finalAt(k));
    assert.match(restarted.waiting!.reason, /^waiting: /);
    const updates = await observed(fromBlock);
    assert.deepEqual(updates.map((e) => e.args.pair).sort(), [...world.pairs].sort(), "each pool observed once");
    assert.ok(updates.some((e) => e.transactionHash === persisted!.hash), "the journaled transaction, not a second one");
    assert.equal((await observeKeys(db, k)).length, 2);

    // Restarts inside the window and after it send no further observation.
    const nonceAfterObserving = await nonce();
    assert.match((await keeperOn(db, k).keeper.runDue(finalAt(k))).waiting!.reason, /^waiting: /);
    await increaseTime(TWAP_WINDOW);
    assert.deepEqual(await keeperOn(db, k).keeper.runDue(finalAt(k)), { settled: [k] });
    assert.equal((await observed(fromBlock)).filter((e) => e.transactionHash !== updates[0]!.transactionHash && e.transactionHash !== updates[1]!.transactionHash).length, 2,
      "after that, only the executor's own observations after its swaps");
    assert.equal(await nonce(), nonceAfterObserving + 2, "the two buybacks, no observation");
    assert.equal((await burnedSince(fromBlock)).length, 1);
  });

  it("a fresh oracle costs nothing extra: the buybacks go at once", { timeout: 300_000 }, async () => {
    const db = await suite.open();
    const k = await usedEpoch(db, 1);
    for (const pair of world.pairs) await updateTwap(world.chain.keeper, world.chain.d, { pair });
    await increaseTime(3_601); // the observations mature, and the buyback interval passes
    const [fromBlock, nonceBefore] = [await head(), await nonce()];
    assert.deepEqual(await keeperOn(db, k).keeper.runDue(finalAt(k)), { settled: [k] });
    assert.equal(await nonce(), nonceBefore + 4, "one approval, one report, two buybacks");
    assert.deepEqual(await observeKeys(db, k), []);
    assert.equal((await burnedSince(fromBlock)).length, 1);
  });
});
