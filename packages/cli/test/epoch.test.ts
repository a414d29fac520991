// `fomo epoch run|status|verify` and `fomo keeper run` as a user runs them, against a real Hardhat node
// with one-minute epochs (`--epoch-seconds 60`), a graduated $MT and usage records written through the
// ledger's metering into the CLI's SQLite database and the read model fed by `fomo index run`: an epoch
// settled through published by `epoch run`, shown by `epoch status` (text and JSON, checked against the
// router) and verified by `epoch verify`; the keeper process killed with SIGKILL
// after it journaled and broadcast a report, and restarted, reports exactly once; bad command lines exit 2.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { after, before, test } from "node:test";
import { KEEPER_STEPS, type Database, type KeeperStep, type UsageRecord } from "@fomo/ledger";
import {
  chainTime, epochGraceMs, epochOf, epochWindowMs, getEpochClock, getReport, microUsdToTokenUnits, revenueRouterAbi, TWAP_WINDOW, type EpochClock,
} from "@fomo/sdk";
import { graduatedMt, type TestChain } from "@fomo/testkit/chain";
import { meteredUsage } from "@fomo/testkit/ledger";
import { DEV_MNEMONIC } from "@fomo/deploy";
import type { Deployments } from "@fomo/sdk";
import { getAddress, type Address } from "viem";
import { generatePrivateKey, mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { parseEpochArgs, parseKeeperArgs } from "../src/args.ts";
import { keeperAccount, pollIntervalMs } from "../src/commands/keeper.ts";
import { CLI_ENV, MAIN, fomo, fomoJson, startCliChain, type CliChain } from "./support/fomo.ts";


let cli: CliChain;
let chain: TestChain;
let mt: Address;
let clock: EpochClock;
let dir = "";
let deployments = "";
let db: Database;
/** The epoch `epoch run` settles; the keeper process settles the next one. */
let first: bigint;
/** `fomo index run`, as `fomo up` runs it: the keeper's rewards step reads stakes and gmFLOCK from its read model. */
let indexer: ChildProcess | undefined;

before(async () => {
  cli = await startCliChain("fomo-epoch-cli-", { epochSeconds: 60 });
  ({ chain, dir, db, deploymentsFile: deployments } = cli);
  try {
    // At once, paying the anti-snipe surcharge (usage is dated here, chain time moved only to make epochs final).
    mt = await graduatedMt(chain, "EPOCH", { payTheSurcharge: true });
    // The buybacks price against the pools' TWAP: the keeper waits until the graduation's observation
    // is a window old (keeper/oracle.ts), so chain time moves past it here, once.
    await chain.keeper.public.request({ method: "evm_increaseTime" as never, params: [TWAP_WINDOW + 1] as never });
    await chain.keeper.public.request({ method: "evm_mine" as never, params: [] as never });
    clock = await getEpochClock(chain.keeper.public, chain.d);
    // The first epoch wholly after the graduation: chain time runs a little ahead of the wall clock after
    // the deployment's burst of blocks, and the rewards step wants a graduated $MT for the usage.
    const now = BigInt(Math.floor(Date.now() / 1_000));
    const chainNow = await chainTime(chain.keeper.public);
    first = epochOf(clock, chainNow > now ? chainNow : now) + 1n;
    indexer = spawn(process.execPath, [MAIN, "index", "run", ...cli.args()], { env: CLI_ENV, stdio: "ignore" });
  } catch (error) {
    await cli.close();
    throw error;
  }
});
after(async () => {
  if (indexer && indexer.exitCode === null) {
    indexer.kill("SIGTERM");
    await once(indexer, "exit");
  }
  await cli?.close();
});

const common = () => ["--data-dir", dir, "--rpc-url", chain.url, "--deployments", deployments];
const pub = () => chain.keeper.public;
const rpc = (method: string, params: unknown[] = []) => pub().request({ method: method as never, params: params as never });

/** `n` settled requests on the $MT, stamped inside `epoch`'s window. */
function useIn(epoch: bigint, n: number): Promise<UsageRecord[]> {
  return meteredUsage(db, epochWindowMs(clock, epoch).fromMs, mt, n, `req-${epoch}`);
}

/** Moves chain time past `epoch`'s end and grace: on the local chain the keeper judges finality by chain time. */
async function untilFinal(epoch: bigint): Promise<void> {
  const finalAt = BigInt(Math.ceil((epochWindowMs(clock, epoch).toMs + epochGraceMs(clock)) / 1_000)) + 1n;
  const now = await chainTime(pub());
  if (now < finalAt) await rpc("evm_increaseTime", [Number(finalAt - now)]);
  await rpc("evm_mine");
}

const sum = (records: UsageRecord[], pick: (r: UsageRecord) => bigint) => records.reduce((t, r) => t + pick(r), 0n);
const reportEvents = (epoch: bigint) =>
  pub().getContractEvents({ address: chain.d.contracts.revenueRouter, abi: revenueRouterAbi, eventName: "RevenueReported", args: { epoch, mt }, fromBlock: 0n });

interface StatusDocument {
  chainId: number;
  epochs: {
    epoch: string;
    step: string;
    error: string | null;
    deployments: { deployment: string; records: string; grossMicroUsd: string; hardCostMicroUsd: string; report: { status: string; gross: string; tx: string }; buyback: { status: string } }[];
  }[];
}

test("bad command lines exit 2 with a readable error; --json documents parse", async () => {
  for (const [args, message] of [
    [["epoch", "run", "--epoch", "x"], /--epoch: not a whole number/],
    [["epoch", "frob"], /unknown subcommand frob .*usage: fomo epoch run/],
    [["epoch", "verify"], /--epoch is required/],
    [["epoch", "status", "--epoch", "1"], /unknown option --epoch/],
    [["keeper", "run", "--json"], /bad option --json/],
    [["keeper"], /unknown subcommand \(none\)/],
    [["epoch", "run", "--rpc-url", "localhost"], /--rpc-url: not an http\(s\) URL/],
    // Every command's usage errors, not only the engine's.
    [["keys", "create", "--account", "a", "--bogus", "1"], /unknown option --bogus/],
    [["index", "status", "--max-range", "0"], /--max-range: not a whole number/],
  ] as const) {
    const { code, stdout, stderr } = await fomo(...args);
    assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
    assert.match(stderr, message);
    assert.equal(stdout, "");
  }
  assert.deepEqual(await fomoJson("epoch", "status", ...common()), { chainId: 31337, epochs: [] });
  assert.match((await fomo("epoch", "status", ...common())).stdout, /no epoch settled yet/);
});

test("argument parsing", () => {
  assert.deepEqual(parseEpochArgs(["run", "--json", "--epoch", "7", "--data-dir", "d"]), {
    command: "run", dataDir: "d", rpcUrl: "http://127.0.0.1:8545", epoch: 7n, json: true,
  });
  assert.deepEqual(parseEpochArgs(["verify", "--epoch", "0", "--file", "f.json"]).file, "f.json");
  assert.deepEqual(parseKeeperArgs(["run", "--rpc-url", "http://h:1"]).rpcUrl, "http://h:1");
});

test("the keeper's key: FOMO_KEEPER_KEY of the deployment's keeper, or on the local chain the dev account holding the role", () => {
  const local = { chainId: 31337, roles: { keeper: mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 3 }).address } } as Deployments;
  assert.equal(keeperAccount({ keeperKey: undefined }, local).address, local.roles.keeper);
  const key = generatePrivateKey();
  const remote = { chainId: 8453, roles: { keeper: privateKeyToAccount(key).address } } as Deployments;
  assert.equal(keeperAccount({ keeperKey: `${key}\n` }, remote).address, remote.roles.keeper);
  assert.throws(() => keeperAccount({ keeperKey: undefined }, remote), /FOMO_KEEPER_KEY is not set: on chain 8453 the keeper signs with the key of 0x/);
  const wrong = generatePrivateKey();
  assert.throws(
    () => keeperAccount({ keeperKey: wrong }, remote),
    (e: Error) => /is the key of 0x[0-9a-fA-F]{40}, but the deployment's keeper is/.test(e.message) && !e.message.includes(wrong.slice(2)),
  );
  const stranger = { chainId: 31337, roles: { keeper: privateKeyToAccount(key).address } } as Deployments;
  assert.throws(() => keeperAccount({ keeperKey: undefined }, stranger), /none of the dev mnemonic's first 20 accounts: set FOMO_KEEPER_KEY/);
});

test("the keeper polls every tenth of an epoch, from 1 s to 60 s", () => {
  assert.equal(pollIntervalMs({ start: 0n, length: 60n }), 6_000);
  assert.equal(pollIntervalMs({ start: 0n, length: 600n }), 60_000);
  assert.equal(pollIntervalMs({ start: 0n, length: 86_400n }), 60_000);
  assert.equal(pollIntervalMs({ start: 0n, length: 5n }), 1_000);
});

test("epoch run settles the due epochs through published; epoch status shows them, as text and JSON", { timeout: 300_000 }, async () => {
  const used = await useIn(first, 3);
  await untilFinal(first);
  // Each epoch's root waits for the one before it to go live (the distributor's challenge delay, 60 s
  // here): a run that stops on it is run again once chain time is past it. The keeper counts epochs in
  // chain time on the local chain, so each minute moved makes one more (empty) epoch due, whose root
  // waits in turn: the runs go on until `first` is published, each failing on nothing but a wait.
  const published = async () =>
    (await fomoJson<StatusDocument>("epoch", "status", ...common())).epochs.some((e) => e.epoch === String(first) && e.step === "published");
  let ran = await fomo("epoch", "run", "--json", ...common());
  let stderr = ran.stderr;
  for (let tries = 0; !(await published()) && ran.code === 1 && /waits \(step=published/.test(ran.stderr) && tries < 10; tries++) {
    await rpc("evm_increaseTime", [61]);
    await rpc("evm_mine");
    ran = await fomo("epoch", "run", "--json", ...common());
    stderr += ran.stderr;
  }
  assert.ok(ran.code === 0 || (ran.code === 1 && /waits \(step=published/.test(ran.stderr)), stderr);
  assert.ok(await published(), stderr);
  assert.ok(Array.isArray((JSON.parse(ran.stdout) as { settled: unknown }).settled), ran.stdout);
  assert.match(stderr, new RegExp(`epoch ${first}: reported`), "a progress line per step");
  assert.match(stderr, new RegExp(`epoch ${first}: published`));

  const status = await fomoJson<StatusDocument>("epoch", "status", ...common());
  const settled = status.epochs.find((e) => e.epoch === String(first));
  assert.deepEqual([settled?.step, settled?.error], ["published", null]);
  const [row] = settled!.deployments;
  const onChain = await getReport(pub(), chain.d, { epoch: first, mt });
  assert.equal(row!.deployment, getAddress(mt));
  assert.equal(row!.records, "3");
  assert.equal(row!.grossMicroUsd, String(sum(used, (r) => r.priceCharged)));
  assert.equal(row!.hardCostMicroUsd, String(sum(used, (r) => r.hardCost)));
  assert.equal(row!.report.status, "reported");
  assert.equal(BigInt(row!.report.gross), onChain.gross);
  assert.equal(onChain.gross, microUsdToTokenUnits(sum(used, (r) => r.priceCharged), chain.d.usdcDecimals));
  assert.ok(["executed", "refused"].includes(row!.buyback.status), row!.buyback.status);
  assert.deepEqual((await reportEvents(first)).map((e) => e.transactionHash), [row!.report.tx]);

  const text = (await fomo("epoch", "status", ...common())).stdout;
  assert.match(text, new RegExp(`epoch ${first}  published  window `));
  assert.match(text, new RegExp(`${getAddress(mt)}\\s+3\\s+\\$\\d+\\.\\d{6}\\s+\\$\\d+\\.\\d{6}\\s+reported \\d+(\\.\\d+)? USDC`));

  // Settled already: a second run sends nothing.
  const nonce = await pub().getTransactionCount({ address: chain.d.roles.keeper });
  const again = await fomo("epoch", "run", "--epoch", String(first), "--json", ...common());
  assert.equal(again.code, 0, again.stderr);
  assert.equal(await pub().getTransactionCount({ address: chain.d.roles.keeper }), nonce);
  // An epoch whose window is still open: exit 3, nothing recorded.
  const early = await fomo("epoch", "run", "--epoch", String(first + 100n), ...common());
  assert.equal(early.code, 3, early.stderr);
  assert.match(early.stderr, /is not final yet/);
});

test("epoch verify: the published epoch matches the chain; a missing input file is a readable error", async () => {
  const verified = await fomoJson<{ ok: boolean; differences: string[] }>("epoch", "verify", "--epoch", String(first), ...common());
  assert.deepEqual([verified.ok, verified.differences], [true, []]);
  const missing = await fomo("epoch", "verify", "--epoch", String(first + 1_000n), ...common());
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read the input file of epoch/);

  // The epochs before `first` had no usage: quiet, settled without a file or a root, and verify says so (exit 0).
  const { epochs } = await fomoJson<{ epochs: { epoch: string; step: string; quiet: boolean; deployments: unknown[]; rewardsRoot: string | null }[] }>("epoch", "status", ...common());
  const quiet = epochs.find((e) => BigInt(e.epoch) === first - 1n);
  assert.deepEqual([quiet?.step, quiet?.quiet, quiet?.deployments, quiet?.rewardsRoot], ["published", true, [], null]);
  assert.equal(epochs.find((e) => BigInt(e.epoch) === first)?.quiet, false);
  const nothing = await fomo("epoch", "verify", "--epoch", String(first - 1n), "--json", ...common());
  assert.equal(nothing.code, 0, nothing.stderr);
  const doc = JSON.parse(nothing.stdout) as { file: string | null; quiet: boolean; ok: boolean; differences: string[]; note: string };
  assert.deepEqual([doc.file, doc.quiet, doc.ok, doc.differences], [null, true, true, []]);
  assert.match(doc.note, /^quiet: no usage in its window/);
  assert.match((await fomo("epoch", "verify", "--epoch", String(first - 1n), ...common())).stdout, new RegExp(`^epoch ${first - 1n}: nothing published, quiet: no usage`));
  assert.match((await fomo("epoch", "status", ...common())).stdout, new RegExp(`epochs? (\\d+–)?${first - 1n}  published  quiet: no usage, nothing sent or posted`));
});

test("the keeper process killed with SIGKILL after broadcasting a report, then restarted, reports exactly once", { timeout: 300_000 }, async () => {
  // An epoch no run has recorded yet (the runs above settled every epoch due in chain time).
  const recorded = (await fomoJson<StatusDocument>("epoch", "status", ...common())).epochs.map((e) => BigInt(e.epoch) + 1n);
  const next = [first + 1n, epochOf(clock, await chainTime(pub())) + 1n, ...recorded].reduce((a, b) => (a > b ? a : b));
  await useIn(next, 2);
  await untilFinal(next);
  const reportKey = `epoch:${next}:report:${getAddress(mt)}`;
  const journaled = () => db.selectFrom("keeper_transactions").select(["key", "hash"]).where("key", "=", reportKey).executeTakeFirst();

  // Blocks only when the test mines them: the keeper can be cut after its report is journaled and broadcast, before it is mined.
  await rpc("evm_setAutomine", [false]);
  let killed: ChildProcess | undefined;
  let log = "";
  try {
    killed = keeperProcess((chunk) => (log += chunk));
    const until = Date.now() + 120_000;
    while (!(await journaled())) {
      assert.ok(Date.now() < until, `the keeper journaled no report:\n${log}`);
      await rpc("evm_mine");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    killed.kill("SIGKILL");
    const [, signal] = await once(killed, "exit");
    assert.equal(signal, "SIGKILL");
  } finally {
    await rpc("evm_setAutomine", [true]);
  }
  await rpc("evm_mine");
  assert.equal((await reportEvents(next)).length <= 1, true);

  const restarted = keeperProcess((chunk) => (log += chunk));
  try {
    const until = Date.now() + 120_000;
    for (;;) {
      const status = await fomoJson<StatusDocument>("epoch", "status", ...common());
      // Past its buybacks (its root may wait for the previous one to go live).
      const step = status.epochs.find((e) => e.epoch === String(next))?.step;
      if (step !== undefined && KEEPER_STEPS.indexOf(step as KeeperStep) >= KEEPER_STEPS.indexOf("bought_back")) break;
      assert.ok(Date.now() < until, `the restarted keeper did not settle epoch ${next}:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    restarted.kill("SIGTERM");
  }
  const [code] = await once(restarted, "exit");
  assert.equal(code, 0, log);
  assert.match(log, /"message":"keeper: stopped"/);
  // The restarted process settled the journaled report first: mined meanwhile, or broadcast again if the kill came before it went out.
  assert.match(log, /"message":"keeper: running".*"recovered":\{"mined":1,.*\n[^]*"message":"keeper: epoch reported"|"message":"keeper: running".*"recovered":\{[^}]*"rebroadcast":1/);

  const events = await reportEvents(next);
  assert.equal(events.length, 1, "one report on chain");
  assert.equal(events[0]!.transactionHash, (await journaled())!.hash, "the journaled transaction, not a second one");
  const status = await fomoJson<StatusDocument>("epoch", "status", ...common());
  assert.equal(status.epochs.find((e) => e.epoch === String(next))!.deployments[0]!.report.tx, events[0]!.transactionHash);
});

function keeperProcess(onOutput: (chunk: string) => void): ChildProcess {
  const child = spawn(process.execPath, [MAIN, "keeper", "run", ...common()], { env: CLI_ENV, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.setEncoding("utf8").on("data", onOutput);
  child.stderr!.setEncoding("utf8").on("data", onOutput);
  return child;
}
