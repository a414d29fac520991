// The platform's epoch pages, $MT per-epoch flows and portfolio rewards after a real keeper epoch: a
// graduated $MT on a hardhat node, usage by an account whose wallet stakes it, the engine's Keeper
// settling the epoch (report, buyback, release, rewards, root), the Indexer feeding the read model.
// The API's epoch matches the keeper's published file byte for byte and the root on chain, and the
// Merkle proof the portfolio gives is claimed on chain with RewardsDistributor.claim. SQLite and PostgreSQL,
// a chain each (roots only go forward).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { Indexer, Keeper, inputFilePath, readModelProjections } from "@fomo/engine";
import { Ledger, type Database } from "@fomo/ledger";
import { API_PREFIX, buildPlatform } from "@fomo/platform";
import {
  MT, claim, claimReward, epochGraceMs, epochOf, epochWindowMs, getClaimed, getEpochClock, getReport, rewardsDistributorAbi, stake,
  TWAP_WINDOW, verifyRewardProof, type EpochClock,
} from "@fomo/sdk";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { graduatedMt, observePools, startChain, type TestChain } from "@fomo/testkit/chain";
import { USD } from "@fomo/testkit/ledger";
import { TEST_PRICING, tokens } from "@fomo/testkit/pricing";
import type { FastifyInstance } from "fastify";
import { keccak256, toBytes, type Address, type Hex, type PublicClient } from "viem";
import { publicReads } from "../src/commands/platform.ts";

describeEachDatabase("platform epochs and rewards after a keeper epoch", (suite) => {
  let chain: TestChain;
  let db: Database;
  let app: FastifyInstance;
  let mt: Address;
  let clock: EpochClock;
  let epoch: bigint;
  let dataDir: string;

  const client = () => chain.keeper.public as PublicClient;
  const feed = async () => {
    const indexer = new Indexer({ db, client: client(), deployments: chain.d, projections: readModelProjections(chain.d.contracts) });
    for (let i = 0; !(await indexer.syncOnce()).caughtUp; i++) assert.ok(i < 1_000, "the indexer catches up");
  };
  const increaseTime = async (seconds: bigint) => {
    await client().request({ method: "evm_increaseTime" as never, params: [Number(seconds)] as never });
    await client().request({ method: "evm_mine" as never, params: [] as never });
  };
  const get = async (url: string, status = 200) => {
    const response = await app.inject({ method: "GET", url: API_PREFIX + url });
    assert.equal(response.statusCode, status, `${url}: ${response.body}`);
    return response;
  };

  before(async () => {
    chain = await startChain();
    dataDir = mkdtempSync(join(tmpdir(), "fomo-platform-epochs-"));
    const d = chain.d;
    const me = chain.keeper.wallet.account.address;
    mt = await graduatedMt(chain, "EPO");
    await claim(chain.keeper, d, { mt });
    await stake(chain.keeper, d, { mt, amount: 1_000n * MT });
    clock = await getEpochClock(client(), d);
    epoch = epochOf(clock, (await client().getBlock()).timestamp) + 1n;

    db = await suite.open();
    const ledger = new Ledger(db);
    const account = await ledger.accounts.create("epoch-team");
    await ledger.credits.add({ accountId: account.id, amount: 100n * USD, ref: `seed-${account.id}` });
    await ledger.wallets.bind({ accountId: account.id, wallet: me, proof: "cli" });
    // Three requests on the $MT inside the epoch's window, stamped by a ledger on that clock.
    const { fromMs, toMs } = epochWindowMs(clock, epoch);
    let at = fromMs;
    const metered = new Ledger(db, { now: () => at });
    const { key } = await metered.keys.create({ accountId: account.id });
    for (let i = 0; i < 3; i++) {
      at = fromMs + 60_000 * (i + 1);
      await metered.metering.reserve({ requestId: `epo-${i}`, keyId: key.id, amount: 5n * USD, modelId: "stories-260k", deployment: mt, pricing: TEST_PRICING });
      await metered.metering.settle(`epo-${i}`, { ...tokens(1_000_000n, 500_000n), source: "tokenizer" });
    }
    // The epoch is final once its window and the grace have passed: the keeper settles it as of chain time.
    const finalAt = BigInt(Math.ceil((toMs + epochGraceMs(clock)) / 1_000));
    // Someone observes the buyback pools a window (and a minute) before: the keeper finds their TWAP
    // usable and goes on at once (without, it observes them itself and waits a window: keeper/oracle.ts).
    const observeAt = finalAt - BigInt(TWAP_WINDOW) - 60n;
    let now = (await client().getBlock()).timestamp;
    if (now < observeAt) {
      await increaseTime(observeAt - now);
      await observePools(chain.keeper, d, mt);
      now = (await client().getBlock()).timestamp;
    }
    if (now < finalAt) await increaseTime(finalAt - now);
    await feed();
    const keeper = new Keeper({ db, ledger, clients: chain.keeper, deployments: d, clock, firstEpoch: epoch, dataDir });
    assert.deepEqual(await keeper.runDue((await client().getBlock()).timestamp), { settled: [epoch] });
    await feed();
    app = await buildPlatform({
      ledger, publicClient: client(), siwe: { domain: "localhost", chainId: d.chainId }, session: { secureCookie: false },
      reads: publicReads({ db, client: client(), deployments: d }), rateLimit: false, signInSweep: false,
    });
  });
  after(async () => {
    await app?.close();
    await chain?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("shows the epoch as published, with the input file byte for byte and the root the chain holds", { timeout: 120_000 }, async () => {
    const file = readFileSync(inputFilePath(dataDir, epoch), "utf8");
    const list = (await get("/epochs")).json();
    assert.deepEqual(list.data.map((e: { epoch: string; step: string }) => [e.epoch, e.step]), [[String(epoch), "published"]]);
    const [posted] = await client().getContractEvents({
      address: chain.d.contracts.rewardsDistributor, abi: rewardsDistributorAbi, eventName: "RootPosted", args: { epoch }, fromBlock: 0n,
    });
    const shown = list.data[0];
    assert.deepEqual([shown.rewards_root, shown.input_hash, shown.root_tx], [posted!.args.root, posted!.args.contentHash, posted!.transactionHash]);
    assert.deepEqual(shown.roots.map((r: { root: string; status: string }) => [r.root, r.status]), [[posted!.args.root, "posted"]]);

    const input = await get(`/epochs/${epoch}/input`);
    assert.equal(input.body, file, "the published file, byte for byte");
    assert.equal(input.headers["x-content-hash"], keccak256(toBytes(file)));
    const detail = (await get(`/epochs/${epoch}`)).json();
    const row = detail.deployments.find((x: { deployment: string }) => x.deployment.toLowerCase() === mt.toLowerCase());
    assert.equal(row.records, "3");
    assert.equal(row.report.status, "reported");
  });

  it("shows the $MT's epoch: the revenue report as RevenueRouter holds it, with its tx, and the pool's release", { timeout: 60_000 }, async () => {
    const onChain = await getReport(client(), chain.d, { epoch, mt });
    const epochs = (await get(`/tokens/${mt}/epochs`)).json();
    const mine = epochs.data.find((e: { epoch: string }) => e.epoch === String(epoch));
    assert.equal(mine.reports.length, 1);
    assert.equal(BigInt(mine.reports[0].gross), onChain.gross);
    assert.equal(mine.reports[0].usage_root, onChain.usageRoot);
    const keeperRow = await db.selectFrom("keeper_epoch_deployments").selectAll().where("epoch", "=", epoch).execute();
    const ours = keeperRow.find((r) => r.deployment.toLowerCase() === mt.toLowerCase())!;
    assert.equal(mine.reports[0].tx_hash, ours.report_tx, "the indexed report is the keeper's transaction");
    assert.equal(mine.emission?.tx_hash ?? null, ours.release_tx);
    const token = (await get(`/tokens/${mt}`)).json();
    assert.equal(token.revenue.epochs_reported, 1);
    assert.equal(BigInt(token.revenue.gross), onChain.gross);
  });

  it("gives the staker's rewards with proofs that verify against the root and claim on chain", { timeout: 120_000 }, async () => {
    const me = chain.keeper.wallet.account.address;
    const waiting = (await get(`/portfolios/${me}`)).json();
    // Posted, inside its challenge delay: not what claims verify against yet, shown apart with when it goes live.
    assert.equal(waiting.rewards, null, "no live root yet");
    assert.ok(waiting.pending_rewards, "a published root");
    assert.equal(waiting.pending_rewards.epoch, String(epoch));
    const [posted] = await client().getContractEvents({
      address: chain.d.contracts.rewardsDistributor, abi: rewardsDistributorAbi, eventName: "RootPosted", args: { epoch }, fromBlock: 0n,
    });
    assert.equal(waiting.pending_rewards.live_at, String(posted!.args.liveAt));
    // After the challenge delay the root is live: the API serves it as the one to claim with, and its proofs claim exactly their amounts.
    const delay = await client().readContract({ address: chain.d.contracts.rewardsDistributor, abi: rewardsDistributorAbi, functionName: "challengeDelay" });
    await increaseTime(BigInt(delay) + 1n);
    await feed();
    const portfolio = (await get(`/portfolios/${me}`)).json();
    assert.equal(portfolio.pending_rewards, null);
    assert.ok(portfolio.rewards, "the live root");
    assert.equal(portfolio.rewards.epoch, String(epoch));
    assert.equal(portfolio.rewards.root, waiting.pending_rewards.root);
    assert.deepEqual(portfolio.rewards.claims, waiting.pending_rewards.claims, "the proofs shown while pending are the ones that claim");
    assert.ok(portfolio.rewards.claims.length >= 1, "the staker earned");
    for (const c of portfolio.rewards.claims) {
      const entry = { account: me, token: c.token as Address, cumulativeAmount: BigInt(c.cumulative_amount) };
      assert.ok(verifyRewardProof(portfolio.rewards.root as Hex, entry, c.proof), `proof of ${c.token}`);
      assert.equal(c.claimed, "0");
      assert.equal(c.claimable, c.cumulative_amount);
    }
    for (const c of portfolio.rewards.claims) {
      await claimReward(chain.keeper, chain.d, { account: me, token: c.token, cumulativeAmount: BigInt(c.cumulative_amount), proof: c.proof });
      assert.equal(await getClaimed(client(), chain.d, { account: me, token: c.token }), BigInt(c.cumulative_amount));
    }
    await feed();
    const after = (await get(`/portfolios/${me}`)).json();
    for (const c of after.rewards.claims) assert.deepEqual([c.claimed, c.claimable], [c.cumulative_amount, "0"]);
    assert.equal(after.reward_claims.length, portfolio.rewards.claims.length);
  });

  it("lists only the epochs an $MT had something in: a quiet epoch is on /epochs, not on the $MT's page", { timeout: 120_000 }, async () => {
    // Two epochs without usage pass; the keeper records them quiet.
    const later = epoch + 2n;
    const finalAt = BigInt(Math.ceil((epochWindowMs(clock, later).toMs + epochGraceMs(clock)) / 1_000));
    const now = (await client().getBlock()).timestamp;
    if (now < finalAt) await increaseTime(finalAt - now);
    const keeper = new Keeper({ db, ledger: new Ledger(db), clients: chain.keeper, deployments: chain.d, clock, firstEpoch: epoch, dataDir });
    const ran = await keeper.runDue((await client().getBlock()).timestamp);
    assert.deepEqual("settled" in ran ? ran.settled : ran, [epoch + 1n, later]);
    await feed();
    const all = (await get("/epochs")).json().data.map((e: { epoch: string }) => e.epoch);
    assert.deepEqual(all, [String(later), String(epoch + 1n), String(epoch)]);
    // The $MT's page: its report's epoch, and the epoch its buyback executed in (flows go by block time,
    // and the keeper settles an epoch after it ends); never the quiet one after.
    const mine = (await get(`/tokens/${mt}/epochs`)).json().data;
    assert.ok(mine.length >= 1 && mine.every((e: { epoch: string }) => e.epoch !== String(later)), JSON.stringify(mine.map((e: { epoch: string }) => e.epoch)));
    for (const e of mine) assert.ok(e.reports.length + e.buybacks.length > 0 || e.emission !== null, `epoch ${e.epoch} has something of the $MT`);
    assert.ok(mine.some((e: { epoch: string }) => e.epoch === String(epoch)));
  });
});
