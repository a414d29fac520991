// Issue 14's journey end to end, as users and the operator live it on a local chain of one-minute
// epochs (real Uniswap V2, FOMO deployed): an offering launched, raised and graduated; two API accounts
// (`fomo keys create`, one bound to a wallet that stakes the $MT) call the real gateway on the real local
// model with the official openai client, on the graduated model's id; the indexer catches up; `fomo epoch
// run` settles the epochs through `published`. Then the chain says what the ledger said: the $MT supply
// fell by exactly what the buyback burned, the issuer's yield is the router's split of the reported gross
// to the USDC unit and claimYield pays it, every wallet claims exactly its allotment with a proof once the
// root is live, and `fomo epoch verify` passes; a tampered input file and a wrong root posted by the
// keeper's account for the next epoch are both named by verify.
//
// Chain time and the wall clock must agree on the epochs: this gateway (started without the CLI's chain
// clock) stamps usage with the wall clock, while stakes and roots count in chain time (`fomo epoch run`
// judges finality by chain time on the local chain). So the offering
// graduates without the two-hour jump past the anti-snipe window (it pays the surcharge instead), and the
// usage goes into an epoch that starts after the stake; only then is the chain moved forward, past
// the TWAP window the buybacks need.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Keeper, TxJournal, inputFilePath } from "@fomo/engine";
import { readEnv, startGatewayServer, type GatewayServer } from "@fomo/gateway";
import { Ledger, type Database, type UsageRecord } from "@fomo/ledger";
import {
  buildRewardsTree, buybackExecutorAbi, claim, claimReward, claimYield, defaultCatalog, epochGraceMs, epochOf, epochWindowMs,
  getClaimed, getEpochClock, getReport, getSplit, getYieldOwed, modelIdOf, reportAmountsOf, rewardsDistributorAbi,
  routeOf, stake, TWAP_WINDOW, type Clients, type EpochClock, type RewardEntry, type Sender,
} from "@fomo/sdk";
import { graduatedMt, type TestChain } from "@fomo/testkit/chain";
import OpenAI from "openai";
import { createWalletClient, erc20Abi, getAddress, http, parseEther, type Address, type Hex, type LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { fomo, increaseTime as increaseTimeOn, indexToHead, runUntilPublished, startCliChain, type CliChain } from "./support/fomo.ts";

const TICKER = "JRNY";

let cli: CliChain;
let chain: TestChain;
let mt: Address;
let clock: EpochClock;
let dir = "";
let db: Database;
let gateway: GatewayServer;
let alice: Clients;
/** The epoch the API calls land in, settled by `fomo epoch run`. */
let k: bigint;

const pub = () => chain.keeper.public;
const d = () => chain.d;
const keeperAddress = () => chain.keeper.wallet.account.address;
const rpc = (method: string, params: unknown[] = []) => pub().request({ method: method as never, params: params as never });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const chainTime = async () => (await pub().getBlock({ blockTag: "latest" })).timestamp;
const common = () => cli.args();

async function send(clients: Clients, hash: Promise<Hex>): Promise<void> {
  await clients.public.waitForTransactionReceipt({ hash: await hash });
}

const catchUp = () => indexToHead(cli);
const increaseTime = (seconds: bigint) => increaseTimeOn(cli, seconds);

const finalAtMs = (epoch: bigint) => epochWindowMs(clock, epoch).toMs + epochGraceMs(clock);
const sum = (records: readonly UsageRecord[], pick: (r: UsageRecord) => bigint) => records.reduce((t, r) => t + pick(r), 0n);
const challengeDelay = async () =>
  BigInt(await pub().readContract({ address: d().contracts.rewardsDistributor, abi: rewardsDistributorAbi, functionName: "challengeDelay" }));
const rootPosted = async (epoch: bigint) =>
  pub().getContractEvents({ address: d().contracts.rewardsDistributor, abi: rewardsDistributorAbi, eventName: "RootPosted", args: { epoch }, fromBlock: 0n });
const balanceOf = (token: Address, who: Address) => pub().readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [who] });

before(async () => {
  cli = await startCliChain("fomo-journey-", { epochSeconds: 60 });
  ({ chain, dir, db } = cli);
  try {
    mt = await graduatedMt(chain, TICKER, { payTheSurcharge: true });
    clock = await getEpochClock(pub(), d());
    assert.equal(clock.length, 60n);

    // Alice's wallet: $MT from the issuer's graduation purchase, staked.
    const aliceAccount = privateKeyToAccount(generatePrivateKey());
    await rpc("hardhat_setBalance", [aliceAccount.address, `0x${parseEther("10").toString(16)}`]);
    alice = { public: pub(), wallet: createWalletClient({ account: aliceAccount, chain: { ...hardhat, id: d().chainId }, transport: http(chain.url) }) };
    await claim(chain.keeper, d(), { mt });
    const amount = 10_000n * 10n ** 18n;
    await send(chain.keeper, chain.keeper.wallet.writeContract({ address: mt, abi: erc20Abi, functionName: "transfer", args: [aliceAccount.address, amount] }));
    await stake(alice, d(), { mt, amount });

    gateway = await startGatewayServer({
      port: 0, dataDir: dir, env: readEnv({}), chain: { rpcUrl: chain.url, deployments: d() }, logFile: join(dir, "gateway.log"),
    });
  } catch (error) {
    await cli.close();
    throw error;
  }
});

after(async () => {
  await gateway?.close();
  await cli?.close();
});

test("launch → API calls → epoch settled and published → burns, yield, claims and verify match; tampering and a wrong root are named", { timeout: 600_000 }, async () => {
  // --- two API accounts; alice's is bound to her staking wallet -------------------------------
  const keyOf = async (...args: string[]) => {
    const created = await fomo("keys", "create", ...args, "--credits", "5", "--data-dir", dir);
    assert.equal(created.code, 0, created.stderr);
    return created.stdout.trim();
  };
  const aliceKey = await keyOf("--account", "alice", "--wallet", alice.wallet.account.address);
  const bobKey = await keyOf("--account", "bob");
  const ledger = new Ledger(db);
  const aliceId = (await ledger.accounts.findByName("alice"))!.id;
  const bobId = (await ledger.accounts.findByName("bob"))!.id;

  // --- API calls on the graduated model, inside one epoch that starts after the stake -------------
  const model = modelIdOf(defaultCatalog[0]!.baseModelId, TICKER);
  const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  const listed = await client(aliceKey).models.list();
  assert.ok(listed.data.some((m) => m.id === model), `the gateway serves ${model}: ${listed.data.map((m) => m.id).join(", ")}`);

  const nowS = BigInt(Math.floor(Date.now() / 1_000));
  const chainNow = await chainTime();
  k = epochOf(clock, chainNow > nowS ? chainNow : nowS) + 1n;
  const window = epochWindowMs(clock, k);
  await sleep(window.fromMs + 300 - Date.now());
  const calls: [string, number][] = [[aliceKey, 48], [bobKey, 32], [aliceKey, 64], [bobKey, 16]];
  for (const [apiKey, maxTokens] of calls) {
    const completion = await client(apiKey).completions.create({ model, prompt: "Once upon a time", max_tokens: maxTokens });
    assert.ok(completion.usage && completion.usage.completion_tokens > 0);
  }
  assert.ok(Date.now() < window.toMs, "the API calls fit in one epoch");
  const records = await ledger.usage.listWindow({ fromMs: window.fromMs, toMs: window.toMs });
  assert.equal(records.length, calls.length);
  assert.ok(records.every((r) => r.deployment !== null && getAddress(r.deployment) === getAddress(mt)), "every call is the $MT's revenue");
  const spendOf = (accountId: string) => sum(records.filter((r) => r.accountId === accountId), (r) => r.priceCharged);
  const reported = reportAmountsOf({ grossMicroUsd: sum(records, (r) => r.priceCharged), hardCostMicroUsd: sum(records, (r) => r.hardCost) }, d().usdcDecimals);
  assert.ok(reported.gross > 0n);

  // --- the epoch is final; the indexer catches up; `fomo epoch run` settles through published ----
  await sleep(finalAtMs(k) + 200 - Date.now());
  // The buybacks price against the pools' TWAP, which needs an observation TWAP_WINDOW old: the one
  // graduation recorded ages past it on chain (the stake and the usage are in the past by then).
  await increaseTime(BigInt(TWAP_WINDOW) + 1n);
  await catchUp();
  const indexed = await fomo("index", "status", "--json", ...common());
  assert.equal(indexed.code, 0, indexed.stderr);
  const sources = (JSON.parse(indexed.stdout) as { sources: { lag?: number | string }[] }).sources;
  assert.ok(sources.length > 0 && sources.every((s) => Number(s.lag) === 0), indexed.stdout);

  const supplyBefore = await pub().readContract({ address: mt, abi: erc20Abi, functionName: "totalSupply" });
  const fromBlock = await pub().getBlockNumber({ cacheTime: 0 });
  await runUntilPublished(cli, k, 4);
  const toBlock = await pub().getBlockNumber({ cacheTime: 0 });

  // Reported exactly the ledger's gross and hard cost.
  const report = await getReport(pub(), d(), { epoch: k, mt });
  assert.deepEqual([report.gross, report.hardCost], [reported.gross, reported.hardCost]);

  // The $MT supply fell by exactly what the buybacks burned.
  const buybacks = await pub().getContractEvents({
    address: d().contracts.buybackExecutor, abi: buybackExecutorAbi, eventName: "BuybackExecuted", args: { target: mt }, fromBlock, toBlock,
  });
  const burned = buybacks.reduce((t, e) => t + e.args.bought!, 0n);
  if (buybacks.length === 0 || burned === 0n) assert.fail(`the $MT buyback did not run: ${(await fomo("epoch", "status", "--json", ...common())).stdout}`);
  assert.equal(await pub().readContract({ address: mt, abi: erc20Abi, functionName: "totalSupply" }), supplyBefore - burned);

  // The issuer's yield is the router's split of the reported gross, to the USDC unit, and claimYield pays it.
  const owed = await getYieldOwed(pub(), d(), { mt });
  assert.equal(owed, routeOf(reported.gross, reported.hardCost, await getSplit(pub(), d())).issuerYield);
  assert.ok(owed > 0n);
  const usdcBefore = await balanceOf(d().contracts.usdc, keeperAddress());
  const paid = await claimYield(chain.keeper, d(), { mt });
  assert.deepEqual([getAddress(paid.issuer), paid.amount], [getAddress(keeperAddress()), owed]);
  assert.equal(await balanceOf(d().contracts.usdc, keeperAddress()), usdcBefore + owed);
  assert.equal(await getYieldOwed(pub(), d(), { mt }), 0n);

  // The published input file holds each account's spend as the gateway metered it.
  const file = readFileSync(inputFilePath(dir, k), "utf8");
  const input = JSON.parse(file) as { deployments: { mt: string; users: { account: string; wallet: string | null; spend: string }[] }[] };
  const users = input.deployments.find((x) => getAddress(x.mt) === getAddress(mt))!.users;
  assert.deepEqual(
    users.map((u) => [u.account, u.wallet && getAddress(u.wallet), u.spend]).sort(),
    [[aliceId, alice.wallet.account.address, String(spendOf(aliceId))], [bobId, null, String(spendOf(bobId))]].sort(),
  );

  // --- claims: once the root is live, each wallet takes exactly its cumulative allotment ----------
  const rows = await db.selectFrom("keeper_rewards").selectAll().where("epoch", "<=", k).execute();
  assert.ok(rows.some((r) => r.account === bobId && r.wallet === null && BigInt(r.amount) > 0n), "bob, without a wallet, accrued");
  const entries = new Map<string, RewardEntry>();
  for (const r of rows.filter((x) => x.wallet !== null)) {
    const key = `${r.wallet!.toLowerCase()}:${r.token.toLowerCase()}`;
    const e = entries.get(key) ?? { account: r.wallet!.toLowerCase() as Address, token: r.token.toLowerCase() as Address, cumulativeAmount: 0n };
    e.cumulativeAmount += BigInt(r.amount);
    entries.set(key, e);
  }
  const tree = buildRewardsTree({ epoch: k, entries: [...entries.values()] });
  const [posted] = await rootPosted(k);
  assert.equal(posted?.args.root, tree.root, "the root on chain is the tree of the stored allotments");
  const aliceEntries = [...entries.values()].filter((e) => getAddress(e.account) === alice.wallet.account.address);
  assert.ok(aliceEntries.some((e) => getAddress(e.token) === getAddress(d().contracts.flock)), "alice earned FLOCK");
  assert.ok(aliceEntries.some((e) => getAddress(e.token) === getAddress(mt)), "alice's stake earned the pool's $MT");

  await increaseTime((await challengeDelay()) + 1n);
  for (const e of entries.values()) {
    const who = getAddress(e.account) === alice.wallet.account.address ? alice : chain.keeper;
    const before = await balanceOf(e.token, e.account);
    const { amount } = await claimReward(who, d(), tree.claimOf(e.account, e.token)!);
    assert.equal(amount, e.cumulativeAmount, `claim of ${e.account} in ${e.token}`);
    assert.equal(await balanceOf(e.token, e.account), before + e.cumulativeAmount);
    assert.equal(await getClaimed(pub(), d(), { account: e.account, token: e.token }), e.cumulativeAmount);
  }

  // --- verify: the published file passes; a tampered one is named -------------------------------
  const verify = async (epoch: bigint, ...more: string[]) => {
    const ran = await fomo("epoch", "verify", "--epoch", String(epoch), "--json", ...more, ...common());
    return { code: ran.code, doc: JSON.parse(ran.stdout) as { ok: boolean; differences: string[] }, stderr: ran.stderr };
  };
  const good = await verify(k);
  assert.deepEqual([good.code, good.doc.ok, good.doc.differences], [0, true, []], good.stderr);

  const bobSpend = `"spend":"${spendOf(bobId)}"`;
  assert.equal(file.split(bobSpend).length, 2, "bob's spend appears once in the file");
  const tamperedFile = join(dir, `tampered-${k}.json`);
  writeFileSync(tamperedFile, file.replace(bobSpend, `"spend":"${spendOf(bobId) + 1n}"`));
  const tampered = await verify(k, "--file", tamperedFile);
  assert.equal(tampered.code, 1);
  assert.equal(tampered.doc.ok, false);
  assert.ok(tampered.doc.differences.some((x) => /^content hash: the file hashes to 0x[0-9a-f]{64}, epoch \d+'s root was posted with 0x/.test(x)), tampered.doc.differences.join("\n"));
  assert.ok(tampered.doc.differences.some((x) => new RegExp(`^rewards root: recomputed 0x[0-9a-f]{64}, epoch ${k}'s root on chain is ${tree.root}`).test(x)), tampered.doc.differences.join("\n"));

  // --- the next epoch: the keeper's account posts a wrong root on purpose; verify names it --------
  const next = k + 1n;
  const wrong = `0x${"11".repeat(32)}` as const;
  await catchUp();
  const journal = new TxJournal({ db, publicClient: pub(), account: chain.keeper.wallet.account as LocalAccount, chainId: d().chainId });
  const forged = (key: string): Sender =>
    key === `epoch:${next}:root`
      ? (request) => chain.keeper.wallet.writeContract({ ...request, args: [request.args[0], wrong, ...request.args.slice(2)] } as never)
      : journal.sender(key);
  const keeper = new Keeper({
    db, ledger, clients: chain.keeper, deployments: d(), clock, dataDir: dir, senderFor: forged, now: () => finalAtMs(next),
  });
  const settled = await keeper.settle(next);
  assert.equal(settled.step, "published");
  assert.deepEqual((await rootPosted(next)).map((e) => e.args.root), [wrong]);
  const caught = await verify(next);
  assert.equal(caught.code, 1);
  assert.equal(caught.doc.differences.length, 1, caught.doc.differences.join("\n"));
  assert.match(caught.doc.differences[0]!, new RegExp(`^rewards root: recomputed 0x[0-9a-f]{64}, epoch ${next}'s root on chain is ${wrong}$`));
});
