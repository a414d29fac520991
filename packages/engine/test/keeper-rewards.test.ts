// The keeper's rewards and publish steps end to end on a real Hardhat node (FOMO deployed, a graduated
// $MT on real Uniswap V2 pools), the read model fed by the real Indexer, on SQLite and PostgreSQL (a
// chain per database: roots only go forward). Two day-long epochs on the EmissionSchedule's clock with
// usage by bound and unbound accounts, a stake and a gmFLOCK lock: the allotments equal
// computeEpochRewards of an input the test builds from the chain and its own records; the roots are
// posted, go live after the challenge delay, and every wallet claims exactly its cumulative allotment
// (an account that bound its wallet in the second epoch gets the first epoch's accrual). verifyEpoch
// passes on the published files and names the difference in a tampered one. Crashes between release,
// rewards, publish and post finish the epoch exactly once.
import assert from "node:assert/strict";
import { copyFileSync, createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { Ledger, type Database, type UsageRecord } from "@fomo/ledger";
import { startLocalChain, type LocalChain } from "@fomo/deploy";
import {
  FLOCK, buildRewardsTree, buybackExecutorAbi, cumulativeEmission, getBudgets, revenueRouterAbi, twapOracleAbi, uniswapV2FactoryAbi, uniswapV2PairAbi, uniswapV2Router02Abi, updateTwap, epochGraceMs, epochInputHash, epochWindowMs, getEpochClock, getPendingRoot, vetoRoot, buy, claim, claimReward, computeEpochRewards, dailyEmission, epochOf,
  epochWindow, getOffering, getClaimed, incentivePoolAbi, launch, localTokenAbi, lockFlock, rewardsDistributorAbi, stake,
  timeWeightedStake, TWAP_WINDOW, type Clients, type EpochClock, type EpochDeployment, type RewardAllotment, type RewardEntry, type Sender,
} from "@fomo/sdk";
import { observePools } from "@fomo/testkit/chain";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { USD } from "@fomo/testkit/ledger";
import { TEST_PRICING, tokens } from "@fomo/testkit/pricing";
import { getAddress, maxUint256, type Address, type Hash, type LocalAccount } from "viem";
import { Keeper, TxJournal, chainBase, inputFilePath, verifyEpoch, verifyQuietEpoch, type KeeperOptions } from "../src/index.ts";
import { feed } from "./support/feed.ts";

const DAY = 86_400n;

interface World {
  chain: LocalChain;
  keeper: Clients;
  alice: Clients;
  bob: Clients;
  mt: Address;
  clock: EpochClock;
  gm: bigint;
  dataDir: string;
}

async function setUp(deploy: { rewardsChallengeDelay?: number } = {}): Promise<World> {
  const chain = await startLocalChain({ port: 0, accounts: 3, deploy });
  try {
    const d = chain.deployments;
    const pub = chain.publicClient;
    const [keeper, alice, bob] = chain.wallets.map((wallet) => ({ public: pub, wallet })) as [Clients, Clients, Clients];
    for (const who of [keeper, alice, bob]) {
      const me = who.wallet.account.address;
      for (const [functionName, args] of [["mint", [me, 3_000_000n * FLOCK]], ["approve", [d.contracts.launchpad, maxUint256]]] as const) {
        const hash = await who.wallet.writeContract({ address: d.contracts.flock, abi: localTokenAbi, functionName, args: args as never });
        await pub.waitForTransactionReceipt({ hash });
      }
    }
    const { mt } = await launch(keeper, d, { templateId: 0, name: "Rewards Model", ticker: "RWD" });
    await increaseTime(chain, 2n * 3_600n);
    await buy(alice, d, { mt, flockIn: 50_000n * FLOCK });
    if (!(await buy(bob, d, { mt, flockIn: 1_100_000n * FLOCK })).graduated) throw new Error("the offering did not graduate");
    await claim(alice, d, { mt });
    await stake(alice, d, { mt, amount: 1_000n * 10n ** 18n });
    const { locked } = await lockFlock(alice, d, { amount: 1_000n * FLOCK, days: 30n });
    // The schedule's own clock (day-long here): keeper epoch k = emission day k = root epoch.
    const clock = await getEpochClock(pub, d);
    if (clock.length !== DAY) throw new Error(`expected day-long epochs, the schedule's are ${clock.length} s`);
    return { chain, keeper, alice, bob, mt, clock, gm: locked.gm, dataDir: mkdtempSync(join(tmpdir(), "fomo-epochs-")) };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}

async function increaseTime(chain: LocalChain, seconds: bigint): Promise<void> {
  await chain.publicClient.request({ method: "evm_increaseTime" as never, params: [Number(seconds)] as never });
  await chain.publicClient.request({ method: "evm_mine" as never, params: [] as never });
}

const chainTime = async (w: World) => (await w.chain.publicClient.getBlock({ blockTag: "latest" })).timestamp;
/** Unix seconds at which `epoch` is final (window end plus grace), rounded up. */
const finalAt = (w: World, epoch: bigint) => BigInt(Math.ceil((epochWindowMs(w.clock, epoch).toMs + epochGraceMs(w.clock)) / 1_000));

/**
 * Moves the chain to `epoch`'s final time (if it is not past it), and feeds the read model. On the way
 * someone (bob) observes the buyback pools a window and a minute before it, so the buybacks find a mature
 * TWAP and the keeper goes on at once (keeper-oracle.test.ts has the keeper's own upkeep and waiting).
 */
async function reachFinal(w: World, db: Database, epoch: bigint): Promise<bigint> {
  const target = finalAt(w, epoch);
  const observeAt = target - BigInt(TWAP_WINDOW) - 60n;
  let now = await chainTime(w);
  if (now < observeAt) {
    await increaseTime(w.chain, observeAt - now);
    await observePools(w.bob, w.chain.deployments, w.mt);
    now = await chainTime(w);
  }
  if (now < target) await increaseTime(w.chain, target - now);
  await feed(db, w.chain.publicClient, w.chain.deployments);
  return chainTime(w);
}

function keeperOn(w: World, db: Database, firstEpoch: bigint, options: Partial<KeeperOptions> = {}): Keeper {
  return new Keeper({
    db, ledger: new Ledger(db), clients: w.keeper, deployments: w.chain.deployments, clock: w.clock, firstEpoch, dataDir: w.dataDir, ...options,
  });
}

/** Runs the keeper as of chain time. */
async function runAt(w: World, keeper: Keeper, db: Database, epoch: bigint) {
  const now = await reachFinal(w, db, epoch);
  return keeper.runDue(now);
}

/** `n` settled requests by `accountId` on `mt` at `seconds` into `epoch`. */
async function useIn(w: World, db: Database, accountId: string, epoch: bigint, n: number, tag: string): Promise<UsageRecord[]> {
  const { fromMs } = epochWindowMs(w.clock, epoch);
  let at = fromMs;
  const ledger = new Ledger(db, { now: () => at });
  const { key } = await ledger.keys.create({ accountId });
  const records: UsageRecord[] = [];
  for (let i = 0; i < n; i++) {
    at = fromMs + 60_000 * (i + 1);
    const requestId = `req-${tag}-${epoch}-${i}`;
    await ledger.metering.reserve({ requestId, keyId: key.id, amount: 5n * USD, modelId: "stories-260k", deployment: w.mt, pricing: TEST_PRICING });
    records.push(await ledger.metering.settle(requestId, { ...tokens(1_000_000n * BigInt(i + 1), 500_000n), source: "tokenizer" }));
  }
  return records;
}

async function newAccount(db: Database, name: string, wallet?: Address): Promise<string> {
  const ledger = new Ledger(db);
  const account = await ledger.accounts.create(name);
  await ledger.credits.add({ accountId: account.id, amount: 1_000n * USD, ref: `seed-${account.id}` });
  if (wallet) await ledger.wallets.bind({ accountId: account.id, wallet, proof: "cli" });
  return account.id;
}

async function storedAllotments(db: Database, epoch: bigint): Promise<RewardAllotment[]> {
  const rows = await db.selectFrom("keeper_rewards").selectAll().where("epoch", "=", epoch).execute();
  return rows
    .map((r) => ({ account: r.account, wallet: r.wallet as Address | null, token: r.token as Address, amount: BigInt(r.amount) }))
    .sort((x, y) => (x.account < y.account ? -1 : x.account > y.account ? 1 : x.token < y.token ? -1 : x.token > y.token ? 1 : 0));
}

async function released(w: World, fromBlock: bigint, toBlock: bigint) {
  const events = await w.chain.publicClient.getContractEvents({
    address: w.chain.deployments.contracts.incentivePool, abi: incentivePoolAbi, eventName: "Released", args: { mt: w.mt }, fromBlock, toBlock,
  });
  return events;
}

async function rootsPosted(w: World, epoch: bigint) {
  return w.chain.publicClient.getContractEvents({
    address: w.chain.deployments.contracts.rewardsDistributor, abi: rewardsDistributorAbi, eventName: "RootPosted", args: { epoch }, fromBlock: 0n,
  });
}

/**
 * The epoch's rewards input as the test knows it: spends from its own records, stakes from MtStaking's
 * checkpoints on chain, gm from the lock it made, the release from the chain's Released events.
 */
async function expectedRewards(
  w: World,
  epoch: bigint,
  users: { account: string; wallet: Address | null; records: UsageRecord[] }[],
  release: { flock: bigint; mt: bigint },
  carry: { token: Address; amount: bigint }[],
) {
  const d = w.chain.deployments;
  const { from, to } = epochWindow(w.clock, epoch);
  const offering = await getOffering(w.chain.publicClient, d, { mt: w.mt });
  const alice = w.alice.wallet.account.address;
  const deployment: EpochDeployment = {
    mt: w.mt, issuer: w.keeper.wallet.account.address, graduatedAt: BigInt(offering.graduatedAt), poolRelease: release,
    users: await Promise.all(
      users.map(async (u) => ({
        account: u.account, wallet: u.wallet, spend: u.records.reduce((s, r) => s + r.priceCharged, 0n),
        stake: u.wallet ? (await timeWeightedStake(w.chain.publicClient, d, { mt: w.mt, account: u.wallet, from, to })).stakeSeconds : 0n,
        gm: u.wallet === alice ? w.gm : 0n,
      })),
    ),
  };
  return computeEpochRewards({ epoch, clock: w.clock, emission: dailyEmission(epoch), flock: d.contracts.flock, carry, deployments: [deployment] });
}

/** Σ allotments per (wallet, token) over epochs, with an account's earlier accruals moved to its wallet. */
function cumulativeOf(epochs: RewardAllotment[][], walletOf: Map<string, Address>): RewardEntry[] {
  const sums = new Map<string, RewardEntry>();
  for (const a of epochs.flat()) {
    const wallet = a.wallet ?? walletOf.get(a.account);
    if (!wallet) continue;
    const key = `${wallet.toLowerCase()}:${a.token.toLowerCase()}`;
    const e = sums.get(key) ?? { account: wallet.toLowerCase() as Address, token: a.token.toLowerCase() as Address, cumulativeAmount: 0n };
    e.cumulativeAmount += a.amount;
    sums.set(key, e);
  }
  return [...sums.values()];
}

describeEachDatabase("keeper rewards", (suite) => {
  let w: World;
  before(async () => {
    w = await setUp();
  });
  after(async () => w?.chain.stop());

  /**
   * The first test's database (roots only go forward, and each epoch's builds on the last one's), its
   * next epoch, and `n` requests of alice's account in it.
   */
  async function nextEpochWithUsage(n: number, tag: string): Promise<{ db: Database; k: bigint }> {
    const db = await suite.shared();
    const a = (await new Ledger(db).wallets.find(w.alice.wallet.account.address))!.accountId;
    const k = (await keeperOn(w, db, 0n).status()).at(-1)!.epoch + 1n;
    await useIn(w, db, a, k, n, tag);
    return { db, k };
  }

  it("two epochs: allotments as computeEpochRewards, roots posted and claimed exactly, an accrual claimable once bound, verify passes and names a tampering", { timeout: 600_000 }, async () => {
    const db = await suite.shared();
    const d = w.chain.deployments;
    const pub = w.chain.publicClient;
    const [alice, bob] = [w.alice.wallet.account.address, w.bob.wallet.account.address];
    const carolWallet = getAddress("0x00000000000000000000000000000000000ca201");
    const k = epochOf(w.clock, await chainTime(w)) + 1n;

    const a = await newAccount(db, "alice", alice);
    const b = await newAccount(db, "bob", bob);
    const c = await newAccount(db, "carol");
    const used = { a: await useIn(w, db, a, k, 3, "a"), b: await useIn(w, db, b, k, 2, "b"), c: await useIn(w, db, c, k, 2, "c") };

    // Every keeper transaction through the real journal, as `fomo up` runs it.
    const keys: string[] = [];
    const journal = new TxJournal({ db, publicClient: pub, account: w.keeper.wallet.account as LocalAccount, chainId: d.chainId });
    const keeper = keeperOn(w, db, k, {
      senderFor: (key) => {
        keys.push(key);
        return journal.sender(key);
      },
    });
    const firstBlock = await pub.getBlockNumber({ cacheTime: 0 });
    assert.deepEqual(await runAt(w, keeper, db, k), { settled: [k] });
    const lastBlock = await pub.getBlockNumber({ cacheTime: 0 });
    assert.deepEqual((await keeper.status()).map((s) => [s.epoch, s.step, s.error]), [[k, "published", null]]);

    const [rel] = await released(w, firstBlock, lastBlock);
    assert.ok(rel && rel.args.mtAmount! > 0n && rel.args.flockAmount! > 0n, "the pool released both tokens");
    const releaseK = { flock: rel.args.flockAmount!, mt: rel.args.mtAmount! };
    const expectedK = await expectedRewards(w, k, [
      { account: a, wallet: alice, records: used.a }, { account: b, wallet: bob, records: used.b }, { account: c, wallet: null, records: used.c },
    ], releaseK, []);
    const lower = (x: RewardAllotment) => ({ ...x, wallet: x.wallet && (x.wallet.toLowerCase() as Address), token: x.token.toLowerCase() as Address });
    assert.deepEqual(await storedAllotments(db, k), expectedK.allotments.map(lower));
    assert.ok(expectedK.allotments.some((x) => x.account === c && x.wallet === null && x.amount > 0n), "the unbound account earned");
    assert.ok(expectedK.allotments.some((x) => x.account === a && x.token.toLowerCase() === w.mt.toLowerCase() && x.amount > 0n), "the staker earned the pool's $MT");
    assert.ok(!expectedK.allotments.some((x) => x.account === b && x.token.toLowerCase() === w.mt.toLowerCase()), "no stake, no incentive");

    // The published file is the one whose hash is on chain; verify passes on it.
    const fileK = readFileSync(inputFilePath(w.dataDir, k), "utf8");
    assert.deepEqual(await verifyEpoch({ client: pub, deployments: d, file: fileK }), { ok: true, epoch: k, differences: [] });
    const [postedK] = await rootsPosted(w, k);
    const journaled = await journal.get(`epoch:${k}:root`);
    assert.equal(journaled?.hash, postedK!.transactionHash, "the root went out through the journal");
    const [statusK] = await keeper.status();
    assert.deepEqual([statusK!.inputHash, statusK!.rewardsRoot, statusK!.rootTx], [postedK!.args.contentHash, postedK!.args.root, postedK!.transactionHash]);
    const treeK = buildRewardsTree({ epoch: k, entries: cumulativeOf([expectedK.allotments], new Map()) });
    assert.equal(postedK!.args.root, treeK.root, "the root of the test's own cumulative entries");

    // Epoch k+1: carol binds her wallet and does not use the $MT; alice and bob do.
    const used2 = { a: await useIn(w, db, a, k + 1n, 2, "a"), b: await useIn(w, db, b, k + 1n, 1, "b") };
    await new Ledger(db).wallets.bind({ accountId: c, wallet: carolWallet, proof: "cli" });
    const secondBlock = await pub.getBlockNumber({ cacheTime: 0 });
    assert.deepEqual(await runAt(w, keeper, db, k + 1n), { settled: [k + 1n] });
    const [rel2] = await released(w, secondBlock, await pub.getBlockNumber({ cacheTime: 0 }));
    const dust = expectedK.dust.filter((t) => t.amount > 0n);
    const expected2 = await expectedRewards(w, k + 1n, [
      { account: a, wallet: alice, records: used2.a }, { account: b, wallet: bob, records: used2.b },
    ], { flock: rel2!.args.flockAmount!, mt: rel2!.args.mtAmount! }, dust);
    assert.deepEqual(await storedAllotments(db, k + 1n), expected2.allotments.map(lower));
    const file2 = readFileSync(inputFilePath(w.dataDir, k + 1n), "utf8");
    assert.deepEqual(await verifyEpoch({ client: pub, deployments: d, file: file2 }), { ok: true, epoch: k + 1n, differences: [] });

    // After the challenge delay every wallet claims exactly its cumulative allotment, carol's accrual included.
    const delay = await pub.readContract({ address: d.contracts.rewardsDistributor, abi: rewardsDistributorAbi, functionName: "challengeDelay" });
    await increaseTime(w.chain, BigInt(delay) + 1n);
    const entries = cumulativeOf([expectedK.allotments, expected2.allotments], new Map([[c, carolWallet]]));
    const tree = buildRewardsTree({ epoch: k + 1n, entries });
    assert.equal((await rootsPosted(w, k + 1n))[0]!.args.root, tree.root);
    const carolFlock = entries.find((e) => e.account === carolWallet.toLowerCase() && e.token === d.contracts.flock.toLowerCase());
    assert.equal(carolFlock?.cumulativeAmount, expectedK.allotments.filter((x) => x.account === c).reduce((s, x) => s + x.amount, 0n));
    for (const e of entries) {
      const { amount } = await claimReward(w.keeper, d, tree.claimOf(e.account, e.token)!);
      assert.equal(amount, e.cumulativeAmount, `claim of ${e.account} in ${e.token}`);
      assert.equal(await getClaimed(pub, d, { account: e.account, token: e.token }), e.cumulativeAmount);
    }

    // A tampered file: verify names each difference.
    const tampered = fileK.replace(`"spend":"${used.a.reduce((s, r) => s + r.priceCharged, 0n)}"`, `"spend":"1"`);
    assert.notEqual(tampered, fileK);
    const bad = await verifyEpoch({ client: pub, deployments: d, file: tampered });
    assert.equal(bad.ok, false);
    assert.equal(bad.differences.length, 2, bad.differences.join("\n"));
    assert.match(bad.differences[0]!, /^content hash: the file hashes to 0x[0-9a-f]{64}, epoch \d+'s root was posted with 0x/);
    assert.match(bad.differences[1]!, /^rewards root: recomputed 0x[0-9a-f]{64}, epoch \d+'s root on chain is 0x/);
    const fileUsage = JSON.parse(fileK).deployments[0].usageRoot as string;
    const wrongRoot = await verifyEpoch({ client: pub, deployments: d, file: fileK.replace(fileUsage, `0x${"ab".repeat(32)}`) });
    assert.ok(wrongRoot.differences.some((x) => x.startsWith(`usage root of ${w.mt.toLowerCase()}: the file says 0x${"ab".repeat(32)}, the router was reported ${fileUsage}`)), wrongRoot.differences.join("\n"));
    const wrongEmission = JSON.parse(file2);
    wrongEmission.emission = (BigInt(wrongEmission.emission) + 1n).toString();
    const third = await verifyEpoch({ client: pub, deployments: d, file: JSON.stringify(wrongEmission) });
    assert.ok(third.differences.some((x) => /^emission: the file says \d+, EmissionSchedule.emission\(\d+\) is \d+$/.test(x)), third.differences.join("\n"));

    const shortDays = JSON.parse(file2);
    shortDays.clock.length = "600";
    const fourth = await verifyEpoch({ client: pub, deployments: d, file: JSON.stringify(shortDays) });
    assert.ok(fourth.differences.some((x) => /^clock: epoch \d+ spans \[\d+, \d+\), EmissionSchedule days \d+ to \d+: epochs must be the schedule's days$/.test(x)), fourth.differences.join("\n"));

    // Every transaction of the rewards steps had its journal key.
    for (const e of [k, k + 1n]) {
      assert.ok(keys.includes(`epoch:${e}:release:${getAddress(w.mt)}`), `release key of ${e}`);
      assert.ok(keys.includes(`epoch:${e}:root`), `root key of ${e}`);
    }
    // Settling again sends nothing.
    const nonce = await pub.getTransactionCount({ address: w.keeper.wallet.account.address });
    assert.deepEqual(await keeperOn(w, db, k).runDue(await chainTime(w)), { settled: [] });
    assert.equal(await pub.getTransactionCount({ address: w.keeper.wallet.account.address }), nonce);
  });

  it("a crash between release, rewards, publish and post finishes the epoch exactly once", { timeout: 600_000 }, async () => {
    const { db, k } = await nextEpochWithUsage(2, "crash");
    const pub = w.chain.publicClient;
    const fromBlock = await pub.getBlockNumber({ cacheTime: 0 });
    const sent: Hash[] = [];
    /** Sends the transaction of `key` and crashes before the keeper hears back. */
    const crashAfterSending = (prefix: string) => (key: string): Sender | undefined =>
      key.startsWith(prefix)
        ? async (request) => {
            const hash = await w.keeper.wallet.writeContract(request as never);
            await pub.waitForTransactionReceipt({ hash });
            sent.push(hash);
            throw new Error(`crashed after sending ${key}`);
          }
        : undefined;
    const crashAfter = (step: string) => (_epoch: bigint, done: string) => {
      if (done === step) throw new Error(`crash after ${step}`);
    };

    const runs: string[] = [];
    const attempt = async (options: Partial<KeeperOptions>) => {
      const r = await runAt(w, keeperOn(w, db, k, options), db, k).then((x) => x.failed?.error ?? `settled ${x.settled.join()}`, (e: Error) => e.message);
      runs.push(r.replace(/0x[0-9a-fA-F]{40}/, "<mt>"));
    };
    await attempt({ afterStep: crashAfter("bought_back") });
    await attempt({ senderFor: crashAfterSending(`epoch:${k}:release:`) });
    await attempt({ afterStep: crashAfter("rewarded") });
    await attempt({ senderFor: crashAfterSending(`epoch:${k}:root`) });
    await attempt({});
    assert.equal(runs.length, 5);
    assert.equal(runs[0], "crash after bought_back");
    assert.match(runs[1]!, new RegExp(`crashed after sending epoch:${k}:release:<mt>`));
    assert.equal(runs[2], "crash after rewarded");
    assert.match(runs[3]!, new RegExp(`crashed after sending epoch:${k}:root`));
    assert.equal(runs[4], `settled ${k}`);
    const keeper = keeperOn(w, db, k);
    assert.deepEqual((await keeper.status()).filter((s) => s.epoch === k).map((s) => [s.step, s.error]), [["published", null]]);
    const [row] = (await keeper.deployments(k)).filter((r) => r.deployment === getAddress(w.mt));
    assert.deepEqual([row!.release_status, row!.release_note, row!.release_tx], ["released", "found on chain", sent[0]]);
    const head = await pub.getBlockNumber({ cacheTime: 0 });
    assert.equal((await released(w, fromBlock, head)).length, 1, "one release");
    const roots = await rootsPosted(w, k);
    assert.deepEqual(roots.map((r) => r.transactionHash), [sent[1]], "one root, the one sent before the crash");
    const status = await db.selectFrom("keeper_epochs").select(["root_tx", "rewards_root"]).where("epoch", "=", k).executeTakeFirstOrThrow();
    assert.deepEqual([status.root_tx, status.rewards_root], [sent[1], roots[0]!.args.root]);
    const file = readFileSync(inputFilePath(w.dataDir, k), "utf8");
    assert.deepEqual((await verifyEpoch({ client: pub, deployments: w.chain.deployments, file })).differences, []);
  });

  it("a wrong root on chain (sent in the keeper's name) is recorded, not resent, and verify names it", { timeout: 600_000 }, async () => {
    const { db, k } = await nextEpochWithUsage(1, "wrong");
    const pub = w.chain.publicClient;
    const wrong = `0x${"11".repeat(32)}` as const;
    // The root transaction goes out with another root than the keeper's (a bug, a tampered sender).
    const forge = (key: string): Sender | undefined =>
      key === `epoch:${k}:root`
        ? (request) => w.keeper.wallet.writeContract({ ...request, args: [request.args[0], wrong, ...request.args.slice(2)] } as never)
        : undefined;
    assert.deepEqual(await runAt(w, keeperOn(w, db, k, { senderFor: forge }), db, k), { settled: [k] });
    assert.deepEqual((await rootsPosted(w, k)).map((e) => e.args.root), [wrong]);
    const row = await db.selectFrom("keeper_epochs").select("rewards_root").where("epoch", "=", k).executeTakeFirstOrThrow();
    assert.equal(row.rewards_root, wrong, "the keeper records the root the chain holds");
    const file = readFileSync(inputFilePath(w.dataDir, k), "utf8");
    const result = await verifyEpoch({ client: pub, deployments: w.chain.deployments, file });
    assert.equal(result.ok, false);
    assert.equal(result.differences.length, 1, result.differences.join("\n"));
    assert.match(result.differences[0]!, new RegExp(`^rewards root: recomputed 0x[0-9a-f]{64}, epoch ${k}'s root on chain is ${wrong}$`));
  });

  it("an input file too large for the database is kept on disk only: written by the rewards step, posted, verified, and built on", { timeout: 600_000 }, async () => {
    const { db, k } = await nextEpochWithUsage(2, "disk");
    const pub = w.chain.publicClient;
    // Every file is "too large" for this keeper: the path of an epoch whose file passes a string's length.
    const stopAt = (step: string) => (_epoch: bigint, done: string) => {
      if (done === step) throw new Error(`stop after ${step}`);
    };
    const large = (options: Partial<KeeperOptions> = {}) => keeperOn(w, db, k, { inputInDatabaseBelow: 0, ...options });
    const stopped = await runAt(w, large({ afterStep: stopAt("rewarded") }), db, k).catch((e: Error) => e.message);
    assert.equal(stopped, "stop after rewarded");
    const stored = await db.selectFrom("keeper_inputs").select(["body", "content_hash"]).where("epoch", "=", k).executeTakeFirstOrThrow();
    assert.equal(stored.body, "", "no body in the database");
    const onDisk = readFileSync(inputFilePath(w.dataDir, k), "utf8");
    assert.equal(epochInputHash(onDisk), stored.content_hash, "the file on disk is the one hashed");
    assert.deepEqual(await runAt(w, large(), db, k), { settled: [k] });
    const [posted] = await rootsPosted(w, k);
    assert.equal(posted!.args.contentHash, stored.content_hash);
    // It builds on the last test's wrong root, which verify names; nothing else differs.
    const verified = await verifyEpoch({ client: pub, deployments: w.chain.deployments, file: createReadStream(inputFilePath(w.dataDir, k)) });
    assert.deepEqual(verified.differences.map((x) => x.replace(/0x[0-9a-f]{64}/g, "<root>")), [
      `previous root: the file's previous entries give <root>, epoch ${k - 1n}'s root on chain is <root>`,
    ]);
    // The next epoch, by a keeper storing files whole, builds on it (its entries read from disk).
    const { k: next } = await nextEpochWithUsage(1, "after-disk");
    assert.equal(next, k + 1n);
    assert.deepEqual(await runAt(w, keeperOn(w, db, next), db, next), { settled: [next] });
    const file = readFileSync(inputFilePath(w.dataDir, next), "utf8");
    assert.equal(JSON.parse(file).cumulative.previous.epoch, k.toString());
    assert.deepEqual((await verifyEpoch({ client: pub, deployments: w.chain.deployments, file })).differences, []);
  });

  it("a root in its challenge delay goes live before the next is posted, unless the keeper is catching up", { timeout: 600_000 }, async () => {
    // A challenge delay of three epochs: each root would otherwise be superseded by the next.
    const slow = await setUp({ rewardsChallengeDelay: 3 * Number(DAY) });
    try {
      const db = await suite.open();
      const pub = slow.chain.publicClient;
      const a = await newAccount(db, "alice", slow.alice.wallet.account.address);
      const k = epochOf(slow.clock, await chainTime(slow)) + 1n;
      for (const e of [k, k + 1n, k + 2n, k + 4n]) await useIn(slow, db, a, e, 1, "slow");
      const keeper = keeperOn(slow, db, k);
      assert.deepEqual(await runAt(slow, keeper, db, k), { settled: [k] });

      const waiting = await runAt(slow, keeper, db, k + 1n);
      assert.deepEqual(waiting.settled, []);
      assert.equal(waiting.waiting?.epoch, k + 1n);
      assert.equal(waiting.failed, undefined, "a wait is not a failure");
      assert.match(waiting.waiting!.reason, new RegExp(`^waiting: the root of epoch ${k} goes live at \\d+ \\(chain time \\d+\\); posting now would supersede it$`));
      assert.deepEqual((await keeper.status()).map((x) => [x.epoch, x.step]), [[k, "published"], [k + 1n, "rewarded"]]);
      assert.equal((await rootsPosted(slow, k + 1n)).length, 0);

      // Two epochs later k + 1 is posted at once (k + 2 is final too), superseding k's; k + 2 waits for it.
      const caughtUp = await runAt(slow, keeper, db, k + 2n);
      assert.deepEqual(caughtUp.settled, [k + 1n]);
      assert.equal(caughtUp.waiting?.epoch, k + 2n);
      assert.match(caughtUp.waiting!.reason, new RegExp(`^waiting: the root of epoch ${k + 1n} goes live`));
      const superseded = await pub.getContractEvents({
        address: slow.chain.deployments.contracts.rewardsDistributor, abi: rewardsDistributorAbi, eventName: "RootSuperseded", fromBlock: 0n,
      });
      assert.deepEqual(superseded.map((e) => e.args.epoch), [k]);
      const file = readFileSync(inputFilePath(slow.dataDir, k + 1n), "utf8");
      assert.deepEqual((await verifyEpoch({ client: pub, deployments: slow.chain.deployments, file })).differences, []);

      // An epoch settled out of order cannot build its root on the one before: it stops at its rewards.
      const now = await reachFinal(slow, db, k + 4n);
      const skipping = keeperOn(slow, db, k, { now: () => Number(now * 1_000n) });
      await assert.rejects(skipping.settle(k + 4n), new RegExp(`^Error: epoch ${k + 3n} was never settled \\(the last before ${k + 4n} is ${k + 2n}\\): rewards build on it$`));
      assert.deepEqual((await skipping.status()).filter((x) => x.epoch === k + 4n).map((x) => [x.step, x.error !== null]), [["bought_back", true]]);
      assert.equal((await skipping.deployments(k + 4n)).filter((r) => r.release_status !== null).length, 0, "no pool released for it");

      // The guardian vetoes k + 1's root, still in its delay: the file still matches, and verify says the root never applied.
      const pending = await getPendingRoot(pub, slow.chain.deployments);
      assert.equal(pending?.epoch, k + 1n);
      await vetoRoot(slow.keeper, slow.chain.deployments, { root: pending!.root });
      const afterVeto = await verifyEpoch({ client: pub, deployments: slow.chain.deployments, file });
      assert.equal(afterVeto.differences.length, 1, afterVeto.differences.join("\n"));
      assert.match(afterVeto.differences[0]!, new RegExp(`^root: epoch ${k + 1n}'s root ${pending!.root} was vetoed by the guardian \\(tx 0x[0-9a-f]{64}\\): its allotments never applied$`));

      // k + 2's rewards were built on k + 1's root: posting them would put the vetoed allotments back.
      // The keeper computes them again on the root that counts: none (k's was superseded by k + 1's, never
      // live), so k + 2's root holds k + 2's allotments alone, its emission E(k + 2) alone (the vetoed
      // FLOCK went back to the reserve), and the pools' releases of k and k + 1 are carried into its pot.
      const rebased = await keeper.runDue(await chainTime(slow));
      assert.deepEqual(rebased.settled, []);
      assert.equal(rebased.failed?.epoch, k + 2n);
      assert.match(rebased.failed!.error, new RegExp(`^epoch ${k + 2n}'s rewards were built on epoch ${k + 1n}'s root, the chain's root that counts is now no root \\(none counts\\) \\(a veto\\)`));
      assert.deepEqual((await keeper.status()).filter((x) => x.epoch === k + 2n).map((x) => x.step), ["bought_back"]);
      const again = await keeper.runDue(await chainTime(slow));
      assert.equal(again.settled[0], k + 2n, JSON.stringify(again, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
      const [posted] = await rootsPosted(slow, k + 2n);
      assert.equal(posted!.args.emitted, dailyEmission(k + 2n), "the vetoed epochs' emission is not in the next root");
      const entries = cumulativeOf([await storedAllotments(db, k + 2n)], new Map());
      assert.equal(posted!.args.root, buildRewardsTree({ epoch: k + 2n, entries }).root, "the root of k + 2's allotments alone");
      const rebasedFile = readFileSync(inputFilePath(slow.dataDir, k + 2n), "utf8");
      const releases = await released(slow, 0n, await pub.getBlockNumber({ cacheTime: 0 }));
      const releasedIn = (e: bigint) => keeper.deployments(e).then((rows) => rows.find((r) => r.deployment === getAddress(slow.mt))!.release_tx);
      const txs = [await releasedIn(k), await releasedIn(k + 1n)];
      const carried = releases.filter((r) => txs.includes(r.transactionHash));
      assert.equal(carried.length, 2);
      const sum = (f: (r: (typeof carried)[number]) => bigint) => carried.reduce((acc, r) => acc + f(r), 0n);
      const { carry, cumulative } = JSON.parse(rebasedFile) as { carry: { token: string; amount: string }[]; cumulative: { previous: unknown } };
      assert.equal(cumulative.previous, null);
      assert.deepEqual(
        Object.fromEntries(carry.map((c) => [c.token, BigInt(c.amount)])),
        { [slow.chain.deployments.contracts.flock.toLowerCase()]: sum((r) => r.args.flockAmount!), [slow.mt.toLowerCase()]: sum((r) => r.args.mtAmount!) },
        "k's and k + 1's releases carried",
      );
      assert.deepEqual((await verifyEpoch({ client: pub, deployments: slow.chain.deployments, file: createReadStream(inputFilePath(slow.dataDir, k + 2n)) })).differences, []);
    } finally {
      await slow.chain.stop();
    }
  });

  it("a keeper with no earlier epoch builds its first root on the chain's root, rebuilt from that epoch's published file", { timeout: 600_000 }, async () => {
    // The first keeper (this suite's shared database) has posted roots; a second keeper, on a database of
    // its own, takes over at the next epoch. Its root must keep every earlier allotment and emission.
    // (An honest root first: the last test's is a wrong one, which no file gives.)
    const { db: first, k: honest } = await nextEpochWithUsage(1, "before-takeover");
    assert.deepEqual(await runAt(w, keeperOn(w, first, honest), first, honest), { settled: [honest] });
    const d = w.chain.deployments;
    const pub = w.chain.publicClient;
    const last = (await keeperOn(w, first, 0n).status()).at(-1)!;
    assert.equal(last.step, "published");
    const k = last.epoch + 1n;
    const db = await suite.open();
    const a = await newAccount(db, "alice", w.alice.wallet.account.address);
    await useIn(w, db, a, k, 2, "takeover");
    const dataDir = mkdtempSync(join(tmpdir(), "fomo-epochs-takeover-"));
    after(() => rmSync(dataDir, { recursive: true, force: true }));
    const second = keeperOn(w, db, k, { dataDir });

    // Without the file of the root it builds on, it refuses (before any release), naming the file.
    const base = (await chainBase(pub, d))!;
    assert.equal(base.epoch, last.epoch);
    const refused = await runAt(w, second, db, k);
    assert.equal(refused.failed?.epoch, k);
    assert.ok(refused.failed!.error.includes(`the chain's rewards root ${base.root} of epoch ${last.epoch}`), refused.failed!.error);
    assert.ok(refused.failed!.error.includes(inputFilePath(dataDir, last.epoch)), refused.failed!.error);
    assert.equal((await second.deployments(k)).filter((r) => r.release_status !== null).length, 0, "no pool released");

    // With the first keeper's published file it builds on that root.
    mkdirSync(join(dataDir, "epochs"), { recursive: true });
    copyFileSync(inputFilePath(w.dataDir, last.epoch), inputFilePath(dataDir, last.epoch));
    assert.deepEqual(await runAt(w, second, db, k), { settled: [k] });
    const [posted] = await rootsPosted(w, k);
    assert.equal(posted!.args.emitted, base.emissionTotal + dailyEmission(k), "the cumulative emission goes on from the chain's");
    const file = readFileSync(inputFilePath(dataDir, k), "utf8");
    assert.equal(JSON.parse(file).cumulative.previous.epoch, last.epoch.toString());
    // verify checks the file's previous entries against the chain's previous root, and the new root.
    assert.deepEqual(await verifyEpoch({ client: pub, deployments: d, file }), { ok: true, epoch: k, differences: [] });
    const earlier = JSON.parse(readFileSync(inputFilePath(w.dataDir, last.epoch), "utf8")).cumulative.previous?.entries ?? [];
    const now = JSON.parse(file).cumulative.previous.entries as { account: string; token: string; cumulativeAmount: string }[];
    for (const e of earlier as typeof now) {
      const kept = now.find((x) => x.account === e.account && x.token === e.token);
      assert.ok(kept && BigInt(kept.cumulativeAmount) >= BigInt(e.cumulativeAmount), `${e.account} keeps its ${e.token}`);
    }
  });

  it("2,000 quiet epochs settle at once, sending nothing; the next epoch with usage takes the carried budget and every vested release, its root within the schedule", { timeout: 600_000 }, async () => {
    // A chain and database of its own: the roots the tests before posted are other keepers' too.
    const w = await setUp();
    try {
      await quietEpochs(w, await suite.open());
    } finally {
      await w.chain.stop();
      rmSync(w.dataDir, { recursive: true, force: true });
    }
  });
});

/**
 * 2,000 quiet epochs after a published one, then one with usage: see the test of the same name.
 */
async function quietEpochs(w: World, db: Database): Promise<void> {
  const d = w.chain.deployments;
  const pub = w.chain.publicClient;
  const me = w.keeper.wallet.account.address;
  const keeper = keeperOn(w, db, 0n);
  const a = await newAccount(db, "alice", w.alice.wallet.account.address);
  // An epoch with usage first: the root the next builds on. Its $MT buyback is refused and its budget
  // carries: just before it, bob buys $MT with a tenth of the pool's FLOCK, putting FLOCK's spot price in
  // $MT more than the executor's 2% below its TWAP (BuybackExecutorPriceOutOfBounds, a refusal the keeper carries).
  const first = epochOf(w.clock, await chainTime(w)) + 1n;
  await useIn(w, db, a, first, 1, "before-quiet");
  const pump = async () => {
    const pair = await pub.readContract({ address: d.contracts.uniswapV2Factory, abi: uniswapV2FactoryAbi, functionName: "getPair", args: [w.mt, d.contracts.flock] });
    const [r0, r1] = await pub.readContract({ address: pair, abi: uniswapV2PairAbi, functionName: "getReserves" });
    const flockReserve = getAddress(d.contracts.flock) < getAddress(w.mt) ? r0 : r1;
    const bob = w.bob.wallet.account.address;
    for (const [address, abi, functionName, args] of [
      [d.contracts.flock, localTokenAbi, "approve", [d.contracts.uniswapV2Router, maxUint256]],
      [d.contracts.uniswapV2Router, uniswapV2Router02Abi, "swapExactTokensForTokens", [flockReserve / 10n, 0n, [d.contracts.flock, w.mt], bob, maxUint256]],
    ] as const) {
      const hash = await w.bob.wallet.writeContract({ address, abi: abi as never, functionName: functionName as never, args: args as never });
      await pub.waitForTransactionReceipt({ hash });
    }
  };
  assert.deepEqual(await runAt(w, keeperOn(w, db, first, { afterStep: (_e, step) => (step === "reported" ? pump() : undefined) }), db, first), { settled: [first] });
  { const [row] = await keeper.deployments(first); assert.match(row!.buyback_note ?? "", /^BuybackExecutorPriceOutOfBounds/, `the base epoch's $MT buyback carried its budget: ${row!.buyback_status} ${row!.buyback_note}`); }
  const base = (await keeper.status()).at(-1)!;
  assert.equal(base.step, "published");
  const [q, k] = [base.epoch + 1n, base.epoch + 2_001n];
  await useIn(w, db, a, k, 2, "after-quiet");

  const nonce = await pub.getTransactionCount({ address: me });
  const [budget, quietFrom] = [await getBudgets(pub, d, { mt: w.mt }), await pub.getBlockNumber({ cacheTime: 0 })];
  const started = Date.now();
  const quiet = await runAt(w, keeper, db, k - 1n);
  const tookMs = Date.now() - started;
  assert.equal(quiet.failed, undefined);
  assert.deepEqual([quiet.settled.length, quiet.settled[0], quiet.settled.at(-1)], [2_000, q, k - 1n]);
  assert.ok(tookMs < 30_000, `2,000 quiet epochs took ${tookMs} ms`);
  assert.equal(await pub.getTransactionCount({ address: me }), nonce, "no transaction for a quiet epoch");
  const statuses = (await keeper.status()).filter((x) => x.epoch >= q);
  assert.equal(statuses.length, 2_000);
  assert.ok(statuses.every((x) => x.quiet && x.step === "published" && x.rewardsRoot === null && x.inputHash === null && x.error === null));
  assert.equal((await keeper.status()).find((x) => x.epoch === base.epoch)?.quiet, false);
  assert.deepEqual(await verifyQuietEpoch({ client: pub, deployments: d, epoch: q + 7n }), { ok: true, epoch: q + 7n, differences: [] });
  // verifyQuietEpoch names a root posted for an epoch recorded quiet (the base epoch has one).
  assert.match((await verifyQuietEpoch({ client: pub, deployments: d, epoch: base.epoch })).differences[0]!, /^root: epoch \d+ is recorded quiet \(no usage\), yet a root was posted for it/);
  assert.deepEqual(await keeper.runDue(await chainTime(w)), { settled: [] }, "nothing more due, nothing recorded twice");

  // The next epoch with usage: reported, bought back, released, rewarded and posted as any. The oracle's
  // observations are 2,000 days old by now (a buyback is refused, TwapOracleStale): anyone refreshes
  // them, two updates a window apart, within maxAge of k's buyback.
  const oracle = d.contracts.twapOracle;
  const twapWindow = await pub.readContract({ address: oracle, abi: twapOracleAbi, functionName: "window" });
  const pairs = await Promise.all([w.mt, d.contracts.usdc].map((token) =>
    pub.readContract({ address: d.contracts.uniswapV2Factory, abi: uniswapV2FactoryAbi, functionName: "getPair", args: [token, d.contracts.flock] })));
  await increaseTime(w.chain, finalAt(w, k) - 2n * twapWindow - 60n - (await chainTime(w)));
  for (const pair of pairs) await updateTwap(w.alice, d, { pair });
  await increaseTime(w.chain, twapWindow + 1n);
  for (const pair of pairs) await updateTwap(w.alice, d, { pair });
  const releasableBefore = await pub.readContract({ address: d.contracts.incentivePool, abi: incentivePoolAbi, functionName: "releasable", args: [w.mt] });
  assert.deepEqual(await runAt(w, keeper, db, k), { settled: [k] });
  const head = await pub.getBlockNumber({ cacheTime: 0 });
  const [release, ...moreReleases] = await released(w, quietFrom, head);
  assert.equal(moreReleases.length, 0);
  assert.ok(release!.args.mtAmount! >= releasableBefore[0] && release!.args.flockAmount! >= releasableBefore[1], "every release vested over the quiet epochs, at once");
  const releasableAfter = await pub.readContract({ address: d.contracts.incentivePool, abi: incentivePoolAbi, functionName: "releasable", args: [w.mt], blockNumber: release!.blockNumber });
  assert.deepEqual(releasableAfter, [0n, 0n], "nothing vested is left behind");

  const [report] = await pub.getContractEvents({ address: d.contracts.revenueRouter, abi: revenueRouterAbi, eventName: "RevenueReported", args: { epoch: k, mt: w.mt }, fromBlock: quietFrom });
  const burns = await pub.getContractEvents({ address: d.contracts.buybackExecutor, abi: buybackExecutorAbi, eventName: "BuybackExecuted", args: { target: w.mt }, fromBlock: quietFrom });
  assert.equal(burns.length, 1, "one $MT buyback: epoch k's");
  assert.ok(budget.mt! > 0n, "a budget carried from before the quiet epochs (the base epoch's buyback was refused)");
  assert.ok(burns[0]!.args.spent! > report!.args.routed!.mtBuyback, "k's buyback spent more than k's own share: the carried budget too");
  assert.equal((await getBudgets(pub, d, { mt: w.mt })).mt, budget.mt! + report!.args.routed!.mtBuyback - burns[0]!.args.spent!, "the carried budget was neither lost nor spent twice");

  // Its root builds on the base's: the quiet days' emission stays in the reserve, the total within the schedule.
  const [posted] = await rootsPosted(w, k);
  const [basePosted] = await rootsPosted(w, base.epoch);
  assert.equal(posted!.args.emitted, basePosted!.args.emitted! + dailyEmission(k));
  assert.ok(posted!.args.emitted! <= cumulativeEmission(k));
  const file = readFileSync(inputFilePath(w.dataDir, k), "utf8");
  assert.equal(JSON.parse(file).cumulative.previous.epoch, base.epoch.toString());
  assert.deepEqual(await verifyEpoch({ client: pub, deployments: d, file }), { ok: true, epoch: k, differences: [] });
}
