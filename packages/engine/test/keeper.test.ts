// The keeper's epoch settlement against the whole protocol on a real Hardhat node (a graduated $MT on
// real Uniswap V2 pools), on SQLite and PostgreSQL: usage written through the ledger's metering in an
// epoch's window, then close → aggregate → report → buy back. The router's report is checked against
// sums of the records the test wrote, the burn against the $MT's supply, and crashes (between steps,
// and between sending a transaction and recording it) against the chain's events: each report and
// each buyback happens exactly once.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { Ledger, usageReceiptOf, type Database, type UsageRecord } from "@fomo/ledger";
import {
  buildUsageTree, buybackExecutorAbi, epochGraceMs, epochWindowMs, getBudgets, getReport, launch, microUsdToTokenUnits,
  modelTokenAbi, revenueRouterAbi, updateTwap, type EpochClock, type Sender,
} from "@fomo/sdk";
import { graduatedMt, type TestChain } from "@fomo/testkit/chain";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { meteredUsage } from "@fomo/testkit/ledger";
import { erc20Abi, getAddress, zeroAddress, type Address, type Hash, type LocalAccount, type PublicClient } from "viem";
import { ACTION_ATTEMPTS, EpochNotFinal, Keeper, TxJournal, type KeeperOptions } from "../src/index.ts";
import { keeperChain } from "./support/keeper-chain.ts";

interface World {
  chain: TestChain;
  mt: Address;
  /** A second graduated $MT, for an epoch with several reports (no buybacks: its pool's TWAP is not observed). */
  second: Address;
  raising: Address;
  pairs: Address[];
  clock: EpochClock;
}
let world: World;

before(async () => {
  world = await keeperChain(async ({ chain, pairOf }) => {
    const d = chain.d;
    const mt = await graduatedMt(chain, "KEEP");
    const second = await graduatedMt(chain, "KEEP2");
    const { mt: raising } = await launch(chain.keeper, d, { templateId: 0, name: "Still Raising", ticker: "RAISE" });
    return { mt, second, raising, pairs: [await pairOf(mt, d.contracts.flock), await pairOf(d.contracts.usdc, d.contracts.flock)] };
  });
});
after(async () => world?.chain.close());

/** Each test settles epochs of its own: the router refuses a second report of an (epoch, $MT), on any database. */
let nextEpoch = 10n;
const takeEpochs = (n: bigint) => {
  const first = nextEpoch;
  nextEpoch += n;
  return first;
};

const pub = () => world.chain.keeper.public;
const keeperAddress = () => world.chain.keeper.wallet.account.address;
const nonce = () => pub().getTransactionCount({ address: keeperAddress() });
/** Unix seconds at which `epoch` is final (its window's end plus the grace), rounded up. */
const finalAt = (epoch: bigint) => BigInt(Math.ceil((epochWindowMs(world.clock, epoch).toMs + epochGraceMs(world.clock)) / 1_000));

/** `n` settled requests on `deployment` inside `epoch`'s window, through the ledger's reserve/settle. */
function useIn(db: Database, epoch: bigint, deployment: string, n: number): Promise<UsageRecord[]> {
  return meteredUsage(db, epochWindowMs(world.clock, epoch).fromMs, deployment, n, `req-${epoch}-${deployment}`);
}

/** The buyback interval has passed and the pools' TWAPs are observed and mature. */
async function nextInterval(): Promise<void> {
  for (const pair of world.pairs) await updateTwap(world.chain.keeper, world.chain.d, { pair });
  await pub().request({ method: "evm_increaseTime" as never, params: [3_601] as never });
  await pub().request({ method: "evm_mine" as never, params: [] as never });
}

function keeperOn(db: Database, firstEpoch: bigint, options: Partial<KeeperOptions> = {}): Keeper {
  const { chain, clock } = world;
  // Revenue only: no read model is fed here, so no rewards or roots (keeper-rewards.test.ts has those).
  return new Keeper({ db, ledger: new Ledger(db), clients: chain.keeper, deployments: chain.d, clock, firstEpoch, lastStep: "bought_back", ...options });
}

const supply = (mt: Address) => pub().readContract({ address: mt, abi: modelTokenAbi, functionName: "totalSupply" });
const sum = (records: UsageRecord[], pick: (r: UsageRecord) => bigint) => records.reduce((t, r) => t + pick(r), 0n);

/** What the router must hold for these records: their sums in the stablecoin's units, and their tree's root. */
function expectedReport(records: UsageRecord[]) {
  const decimals = world.chain.d.usdcDecimals;
  return {
    gross: microUsdToTokenUnits(sum(records, (r) => r.priceCharged), decimals),
    hardCost: microUsdToTokenUnits(sum(records, (r) => r.hardCost), decimals),
    usageRoot: buildUsageTree(records.map((r) => usageReceiptOf(r))).root,
  };
}

async function reportEvents(epoch: bigint, mt: Address) {
  return pub().getContractEvents({
    address: world.chain.d.contracts.revenueRouter, abi: revenueRouterAbi, eventName: "RevenueReported", args: { epoch, mt }, fromBlock: 0n,
  });
}

/** How many times the keeper approved the RevenueRouter for its stablecoin. */
async function approvalsToRouter(): Promise<number> {
  const { usdc, revenueRouter } = world.chain.d.contracts;
  const events = await pub().getContractEvents({
    address: usdc, abi: erc20Abi, eventName: "Approval", args: { owner: keeperAddress(), spender: revenueRouter }, fromBlock: 0n,
  });
  return events.length;
}

async function buybackEvents(target: Address, fromBlock: bigint) {
  return pub().getContractEvents({
    address: world.chain.d.contracts.buybackExecutor, abi: buybackExecutorAbi, eventName: "BuybackExecuted", args: { target }, fromBlock,
  });
}

it("grace: 10 minutes per day of epoch, rounded up, at least a second", () => {
  assert.equal(epochGraceMs({ start: 0n, length: 86_400n }), 600_000);
  assert.equal(epochGraceMs({ start: 0n, length: 600n }), 4_167); // 600,000 / 144, rounded up
  assert.equal(epochGraceMs({ start: 0n, length: 60n }), 1_000); // 417 ms, below the floor
});

describeEachDatabase("keeper", (suite) => {
  it("waits for an epoch's window and grace; then nothing is recorded early", async () => {
    const db = await suite.open();
    const k = takeEpochs(1n);
    await useIn(db, k, world.mt, 1);
    const lastMs = Number(finalAt(k) * 1_000n) - 1_000;
    const keeper = keeperOn(db, k, { now: () => lastMs });
    await assert.rejects(keeper.settle(k), EpochNotFinal);
    assert.deepEqual(await keeper.runDue(finalAt(k) - 1n), { settled: [] });
    assert.deepEqual(await keeper.status(), []);
  });

  it("settles epochs in order: the report equals the aggregate, the buyback burns, a refusal carries, nothing twice", { timeout: 300_000 }, async () => {
    const db = await suite.open();
    const { chain, mt, raising } = world;
    const d = chain.d;
    const k = takeEpochs(2n);
    const used = await useIn(db, k, mt, 3);
    const base = await useIn(db, k, "platform", 2);
    await useIn(db, k, raising, 1);
    const usedNext = await useIn(db, k + 1n, mt, 2);
    await nextInterval();

    const keys: string[] = [];
    const keeper = keeperOn(db, k, { senderFor: (key) => void keys.push(key) });
    const [supplyBefore, budgetBefore, nonceBefore, fromBlock] = [await supply(mt), await getBudgets(pub(), d, { mt }), await nonce(), await pub().getBlockNumber({ cacheTime: 0 })];
    assert.deepEqual(await keeper.runDue(finalAt(k + 1n)), { settled: [k, k + 1n] });

    assert.deepEqual(
      (await keeper.status()).map((s) => [s.epoch, s.step, s.error]),
      [[k, "bought_back", null], [k + 1n, "bought_back", null]],
    );
    // The router holds what the records sum to, and the root of their receipts.
    assert.deepEqual(await getReport(pub(), d, { epoch: k, mt }), expectedReport(used));
    assert.deepEqual(await getReport(pub(), d, { epoch: k + 1n, mt }), expectedReport(usedNext));
    // Base-model usage is aggregated, never reported; nor is an $MT still raising.
    assert.equal((await getReport(pub(), d, { epoch: k, mt: raising })).gross, 0n);
    const rows = await keeper.deployments(k);
    assert.deepEqual(
      rows.map((r) => [r.deployment, r.records, r.gross, r.report_status]).sort(),
      [
        [getAddress(mt), 3n, sum(used, (r) => r.priceCharged), "reported"],
        [getAddress(raising), 1n, rows.find((r) => r.deployment === getAddress(raising))!.gross, "skipped"],
        [zeroAddress, 2n, sum(base, (r) => r.priceCharged), "skipped"],
      ].sort(),
    );
    assert.match(rows.find((r) => r.deployment === getAddress(raising))!.report_note!, /not a graduated \$MT/);

    // Epoch k's buyback burned $MT; k+1's came within the executor's interval: refused, its budget carried.
    const [bought] = rows.filter((r) => r.deployment === getAddress(mt));
    assert.equal(bought!.buyback_status, "executed");
    const [refused] = (await keeper.deployments(k + 1n)).filter((r) => r.deployment === getAddress(mt));
    assert.equal(refused!.buyback_status, "refused");
    assert.match(refused!.buyback_note!, /^BuybackExecutorTooSoon: /);
    const burns = await buybackEvents(mt, fromBlock);
    assert.deepEqual(burns.map((e) => e.transactionHash), [bought!.buyback_tx]);
    assert.equal(BigInt(bought!.buyback_burned!), burns[0]!.args.bought);
    assert.equal(supplyBefore - (await supply(mt)), burns[0]!.args.bought, "the supply fell by exactly what was burned");
    const funded = (await Promise.all([k, k + 1n].map((e) => reportEvents(e, mt)))).map(([e]) => e!.args.routed!.mtBuyback);
    assert.equal((await getBudgets(pub(), d, { mt })).mt, budgetBefore.mt! + funded[0]! + funded[1]! - burns[0]!.args.spent!);
    const flockBurns = await buybackEvents(d.contracts.flock, fromBlock);
    assert.equal(flockBurns.length, 1, "one FLOCK buyback: the second epoch's is within the interval");

    // Every transaction had its journal key; the keeper sent exactly the approvals, reports and buybacks.
    const expectedKeys = [k, k + 1n].flatMap((e) => ["approve", `report:${mt}`, `buyback:${mt}`, "buyback:flock"].map((t) => `epoch:${e}:${t}`));
    assert.deepEqual([...keys].sort(), expectedKeys.sort());
    assert.equal(await nonce(), nonceBefore + 2 + 2 + 1 + 1);

    // Settling again sends nothing, from this keeper or a new one on the same database.
    const nonceAfter = await nonce();
    await keeper.settle(k);
    assert.deepEqual(await keeper.runDue(finalAt(k + 5n)), { settled: [k + 2n, k + 3n, k + 4n, k + 5n] });
    // Those had no usage: quiet, recorded at this keeper's last step with no deployment rows.
    assert.deepEqual(
      (await keeper.status()).map((s) => [s.epoch, s.step, s.quiet]),
      [k, k + 1n, k + 2n, k + 3n, k + 4n, k + 5n].map((e) => [e, "bought_back", e > k + 1n]),
    );
    assert.deepEqual(await keeper.deployments(k + 2n), []);
    assert.deepEqual(await keeperOn(db, k).runDue(finalAt(k + 5n)), { settled: [] });
    assert.equal(await nonce(), nonceAfter);
    assert.equal((await reportEvents(k, mt)).length, 1);
  });

  it("resumes after a crash between any two steps and finishes exactly once", { timeout: 300_000 }, async () => {
    const db = await suite.open();
    const { mt } = world;
    const k = takeEpochs(1n);
    const used = await useIn(db, k, mt, 2);
    await nextInterval();
    const [fromBlock, nonceBefore] = [await pub().getBlockNumber({ cacheTime: 0 }), await nonce()];
    const crashed = new Set<string>();
    const steps: string[] = [];
    // Each run crashes right after the first step it persists that no earlier run crashed after.
    for (let run = 0; run < 6; run++) {
      const keeper = keeperOn(db, k, {
        afterStep: (_epoch, step) => {
          if (crashed.has(step)) return;
          crashed.add(step);
          throw new Error(`crash after ${step}`);
        },
      });
      const done = await keeper.runDue(finalAt(k)).then((r) => r.settled, (e: Error) => e.message);
      steps.push(typeof done === "string" ? done : `settled ${done.join()}`);
      if (typeof done !== "string") break;
      assert.equal((await keeper.status())[0]!.error, null, "a crash records nothing");
    }
    assert.deepEqual(steps, ["crash after closed", "crash after aggregated", "crash after reported", "crash after bought_back", "settled "]);
    const keeper = keeperOn(db, k);
    assert.deepEqual((await keeper.status()).map((s) => s.step), ["bought_back"]);
    assert.deepEqual(await getReport(pub(), world.chain.d, { epoch: k, mt }), expectedReport(used));
    assert.equal((await reportEvents(k, mt)).length, 1);
    assert.equal((await buybackEvents(mt, fromBlock)).length, 1);
    assert.equal(await nonce(), nonceBefore + 4, "one approval, one report, two buybacks");
  });

  it("a transaction sent before a crash is found on chain and recorded, never resent", { timeout: 300_000 }, async () => {
    const db = await suite.open();
    const { chain, mt } = world;
    const k = takeEpochs(1n);
    await useIn(db, k, mt, 2);
    await nextInterval();
    const [fromBlock, nonceBefore] = [await pub().getBlockNumber({ cacheTime: 0 }), await nonce()];
    const sent: Hash[] = [];
    /** Sends the transactions of `action` and crashes before the keeper hears back. */
    const crashAfterSending = (action: string) => (key: string): Sender | undefined =>
      key.startsWith(`epoch:${k}:${action}:`)
        ? async (request) => {
            const hash = await chain.keeper.wallet.writeContract(request as never);
            await pub().waitForTransactionReceipt({ hash });
            sent.push(hash);
            throw new Error(`crashed after sending ${key}`);
          }
        : undefined;

    const first = await keeperOn(db, k, { senderFor: crashAfterSending("report") }).runDue(finalAt(k));
    assert.deepEqual(first.settled, []);
    assert.equal(first.failed?.epoch, k);
    const [afterFirst] = await keeperOn(db, k).status();
    assert.equal(afterFirst!.step, "aggregated");
    assert.match(afterFirst!.error!, /crashed after sending epoch:\d+:report:/);

    const second = await keeperOn(db, k, { senderFor: crashAfterSending("buyback") }).runDue(finalAt(k));
    assert.equal(second.failed?.epoch, k);
    const keeper = keeperOn(db, k);
    const [reported] = await keeper.deployments(k);
    assert.deepEqual([reported!.report_status, reported!.report_note, reported!.report_tx], ["reported", "found on chain", sent[0]]);
    assert.equal((await keeper.status())[0]!.step, "reported");

    assert.deepEqual(await keeper.runDue(finalAt(k)), { settled: [k] });
    const [bought] = await keeper.deployments(k);
    assert.deepEqual([bought!.buyback_status, bought!.buyback_note, bought!.buyback_tx], ["executed", "found on chain", sent[1]]);
    assert.deepEqual((await keeper.status()).map((s) => [s.step, s.error]), [["bought_back", null]]);
    assert.equal((await reportEvents(k, mt)).length, 1);
    assert.deepEqual((await buybackEvents(mt, fromBlock)).map((e) => e.transactionHash), [sent[1]]);
    assert.equal(await nonce(), nonceBefore + 4, "one approval, one report, two buybacks");
  });

  it("one approval covers an epoch's reports; after a crash past it and a report, the rest go out unapproved again", { timeout: 300_000 }, async () => {
    const db = await suite.open();
    const { chain, mt, second } = world;
    const k = takeEpochs(1n);
    const used = new Map([[getAddress(mt), await useIn(db, k, mt, 2)], [getAddress(second), await useIn(db, k, second, 3)]]);
    const nonceBefore = await nonce();
    const approvalsBefore = await approvalsToRouter();
    const keys: string[] = [];
    // The first run approves, sends its first report and crashes before hearing back.
    let crashed = false;
    const first = await keeperOn(db, k, {
      lastStep: "reported",
      senderFor: (key) => {
        keys.push(key);
        if (crashed || !key.startsWith(`epoch:${k}:report:`)) return undefined;
        return async (request) => {
          crashed = true;
          await pub().waitForTransactionReceipt({ hash: await chain.keeper.wallet.writeContract(request as never) });
          throw new Error(`crashed after sending ${key}`);
        };
      },
    }).runDue(finalAt(k));
    assert.equal(first.failed?.epoch, k);
    assert.equal(await nonce(), nonceBefore + 2, "the approval and one report");

    const keeper = keeperOn(db, k, { lastStep: "reported" });
    assert.deepEqual(await keeper.runDue(finalAt(k)), { settled: [k] });
    assert.equal(await nonce(), nonceBefore + 3, "one approval for both reports, none again after the crash");
    assert.equal((await approvalsToRouter()) - approvalsBefore, 1);
    for (const [token, records] of used) {
      assert.deepEqual(await getReport(pub(), chain.d, { epoch: k, mt: token }), expectedReport(records));
      assert.equal((await reportEvents(k, token)).length, 1);
    }
    const rows = (await keeper.deployments(k)).filter((r) => used.has(getAddress(r.deployment)));
    assert.deepEqual(rows.map((r) => r.report_status), ["reported", "reported"]);
    assert.deepEqual(keys.filter((key) => key.includes(":approve")), [`epoch:${k}:approve`], "journaled under the epoch's one key");
  });

  /**
   * A journal whose report transactions are signed with too little gas, as a transaction mis-estimated
   * (state moved between the estimate and the block) is: each one is journaled, broadcast and reverted on chain.
   */
  function journals(db: Database) {
    const account = world.chain.keeper.wallet.account as LocalAccount;
    const options = { db, account, chainId: world.chain.d.chainId };
    const underGassed = { ...pub(), prepareTransactionRequest: (args: never) => pub().prepareTransactionRequest({ ...(args as object), gas: 50_000n } as never) };
    const good = new TxJournal({ ...options, publicClient: pub() });
    const bad = new TxJournal({ ...options, publicClient: underGassed as unknown as PublicClient });
    return { good, bad };
  }

  it("a journaled report that reverted on chain is spent: the report goes out once under the key's #2", { timeout: 300_000 }, async () => {
    const db = await suite.open();
    const { chain, mt } = world;
    const k = takeEpochs(1n);
    const used = await useIn(db, k, mt, 2);
    const { good, bad } = journals(db);
    const key = `epoch:${k}:report:${mt}`;
    // The first run journals the report, broadcasts it and crashes; its transaction reverts on chain.
    const crashAfterSending = (x: string): Sender => async (request) => {
      await bad.sender(x)(request);
      throw new Error(`crashed after sending ${x}`);
    };
    const first = await keeperOn(db, k, { senderFor: (x) => (x === key ? crashAfterSending(x) : good.sender(x)) }).runDue(finalAt(k));
    assert.equal(first.failed?.epoch, k);
    assert.equal((await good.recover()).reverted, 1);
    assert.equal((await good.get(key))?.status, "reverted");

    const keeper = keeperOn(db, k, { senderFor: (x) => good.sender(x) });
    assert.deepEqual(await keeper.runDue(finalAt(k)), { settled: [k] });
    assert.deepEqual((await keeper.status()).map((s) => [s.step, s.error]), [["bought_back", null]]);
    const retried = await good.get(`${key}#2`);
    assert.ok(retried, "the report went out under the next key");
    const [row] = await keeper.deployments(k);
    assert.deepEqual([row!.report_status, row!.report_tx], ["reported", retried!.hash]);
    assert.deepEqual((await reportEvents(k, mt)).map((e) => e.transactionHash), [retried!.hash]);
    assert.deepEqual(await getReport(pub(), chain.d, { epoch: k, mt }), expectedReport(used));
    assert.equal(await good.get(`${key}#3`), undefined);
  });

  it("an action whose transactions keep reverting on chain stops after ACTION_ATTEMPTS keys, the reason recorded", { timeout: 300_000 }, async () => {
    const db = await suite.open();
    const { mt } = world;
    const k = takeEpochs(1n);
    await useIn(db, k, mt, 1);
    const { good, bad } = journals(db);
    const report = `epoch:${k}:report:${mt}`;
    const keeper = keeperOn(db, k, { senderFor: (x) => (x.startsWith(report) ? bad.sender(x) : good.sender(x)) });
    const run = await keeper.runDue(finalAt(k));
    assert.equal(run.failed?.epoch, k);
    assert.match(run.failed!.error, new RegExp(`${report}: ${ACTION_ATTEMPTS} transactions reverted on chain`));
    await good.recover();
    const keys = [report, `${report}#2`, `${report}#3`, `${report}#4`];
    assert.deepEqual(await Promise.all(keys.map(async (x) => (await good.get(x))?.status)), ["reverted", "reverted", "reverted", undefined]);
    assert.deepEqual((await keeper.status()).map((s) => s.step), ["aggregated"]);
    assert.equal((await reportEvents(k, mt)).length, 0);
    // A later run spends no more keys: the same error, nothing signed.
    const nonceBefore = await nonce();
    assert.match((await keeper.runDue(finalAt(k))).failed!.error, /transactions reverted on chain/);
    assert.equal(await nonce(), nonceBefore);
  });
});
