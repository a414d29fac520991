// The indexer against a real Hardhat node with the whole protocol, on SQLite and PostgreSQL: a
// scenario indexed in full (checked against the transactions' receipts), a reorg (evm_snapshot /
// evm_revert, then other transactions), deposits credited once and taken back, and a replay from
// block 0 into a fresh database giving the same bytes.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { InsufficientCredits, Ledger, migrator, openDatabase, type Database } from "@fomo/ledger";
import { sql } from "kysely";
import { assertBooksBalance } from "@fomo/testkit/books";
import {
  accountIdOf, buy, creditDepositsAbi, creditsOfDeposit, depositCredits, FLOCK, launch, localTokenAbi, type Deployments,
} from "@fomo/sdk";
import { createPublicClient, custom, encodeFunctionData, maxUint256, type Hex, type PublicClient, type TransactionReceipt } from "viem";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { fundedKey, reserveOn, USD } from "@fomo/testkit/ledger";
import { Indexer, depositKey, indexerStatus } from "../src/index.ts";
import { runScenario, startScenarioChain, swapFlockFor, type Scenario } from "./support/indexer-scenario.ts";
import { dumpTables, expectedLogs, indexedLogsOf, syncAll } from "./support/tables.ts";

const KNOWN = "scenario-team";
let scenario: Scenario;

before(async () => {
  const { chain, clients } = await startScenarioChain();
  scenario = await runScenario(chain, clients, { known: KNOWN, unknown: "nobody-has-this-account" });
});
after(() => scenario?.chain.stop());

const usdc = (d: Deployments, usd: bigint) => usd * 10n ** BigInt(d.usdcDecimals);

function indexerOn(db: Database, options: { maxRange?: number } = {}): Indexer {
  return new Indexer({ db, client: scenario.chain.publicClient, deployments: scenario.d, confirmations: 0, ...options });
}

describeEachDatabase("indexer", (suite) => {
  test("indexes every protocol event of the scenario, and credits the known account's deposit once", async () => {
    const db = await suite.open();
    const ledger = new Ledger(db);
    const account = await ledger.accounts.create(KNOWN);
    const indexer = indexerOn(db, { maxRange: 7 });
    await syncAll(indexer);

    const d = scenario.d;
    const { mt, pair, vesting } = scenario.graduated;
    const contracts = [
      d.contracts.launchpad, d.contracts.templateRegistry, d.contracts.incentivePool, d.contracts.modelTokenFactory,
      d.contracts.mtStaking, d.contracts.twapOracle, d.contracts.buybackExecutor, d.contracts.revenueRouter,
      d.contracts.creditDeposits, d.contracts.emissionSchedule, d.contracts.rewardsDistributor, d.contracts.gmFlock,
      d.contracts.uniswapV2Factory, // its PairCreated only (the read model's pools start there)
      mt, scenario.failed, vesting,
    ];
    const expected = expectedLogs(scenario.receipts, contracts, [pair]);
    assert.ok(expected.length > 30, `the scenario emits many protocol events (${expected.length})`);
    assert.deepEqual(await indexedLogsOf(db, scenario.receipts.map((r) => r.transactionHash)), expected);

    const names = await db.selectFrom("chain_logs").select(["event_name", "args"]).execute();
    const launched = names.filter((r) => r.event_name === "Launched").map((r) => JSON.parse(r.args).ticker);
    assert.deepEqual(launched.sort(), ["FAIL", "GOOD"]);
    for (const event of ["Bought", "Graduated", "Refunded", "Claimed", "Staked", "Deposited", "Swap", "Sync", "Transfer"]) {
      assert.ok(names.some((r) => r.event_name === event), `${event} indexed`);
    }
    // Every row carries where it comes from.
    const row = await db.selectFrom("chain_logs").selectAll().where("event_name", "=", "Graduated").executeTakeFirstOrThrow();
    const receipt = scenario.receipts.find((r) => r.transactionHash === row.tx_hash)!;
    assert.equal(row.block_hash, receipt.blockHash);
    assert.equal(row.block_number, receipt.blockNumber);
    assert.equal(BigInt(scenario.d.chainId), row.chain_id);

    // The deposit for KNOWN is credited at its micro-USD (rounded down); the other is unclaimed.
    const scenarioTxs = scenario.receipts.map((r) => r.transactionHash);
    const deposits = await db.selectFrom("chain_deposits").selectAll().where("tx_hash", "in", scenarioTxs).orderBy("block_number").execute();
    assert.equal(deposits.length, 2);
    const [known, unclaimed] = deposits as [(typeof deposits)[0], (typeof deposits)[0]];
    assert.equal(known.account_id, account.id);
    assert.equal(unclaimed.account_id, null);
    const credited = creditsOfDeposit(BigInt(known.amount), d.usdcDecimals);
    assert.equal((await ledger.accounts.get(account.id)).balance, credited);
    assert.equal(credited, 25n * USD);
    const entries = await ledger.credits.listEntries(account.id);
    assert.deepEqual(entries.map((e) => e.ref), [depositKey(d.chainId, known.tx_hash as `0x${string}`, known.log_index)]);

    // Sources revealed by events have cursors of their own, all at the same block.
    const status = await indexer.status();
    const kinds = new Set(status.map((s) => s.kind));
    for (const kind of ["launchpad", "mt", "pair", "vesting", "creditDeposits"]) assert.ok(kinds.has(kind), `source kind ${kind}`);
    const head = await scenario.chain.publicClient.getBlockNumber({ cacheTime: 0 });
    for (const s of status) {
      assert.equal(s.indexedTo, head);
      assert.equal(s.lag, 0n);
    }

    // Indexing again changes nothing (no duplicate credit).
    await syncAll(indexer);
    assert.equal((await ledger.credits.listEntries(account.id)).length, 1);
    await assertBooksBalance(db, account.id);
  });

  test("a provider refusing large getLogs ranges: the range is halved until accepted, and the index is the same", async () => {
    const reference = await suite.open();
    await syncAll(indexerOn(reference));
    const db = await suite.open();
    const node = scenario.chain.publicClient;
    const asked: bigint[] = [];
    // The node behind a provider's rule (as Alchemy or a public RPC words it): at most 5 blocks per eth_getLogs.
    const limited = createPublicClient({
      transport: custom({
        async request({ method, params }: { method: string; params: unknown }) {
          if (method === "eth_getLogs") {
            const [{ fromBlock, toBlock }] = params as [{ fromBlock: Hex; toBlock: Hex }];
            const span = BigInt(toBlock) - BigInt(fromBlock) + 1n;
            asked.push(span);
            if (span > 5n) throw new Error(`query exceeds max block range 5 (asked ${span})`);
          }
          return node.request({ method, params } as never);
        },
      }),
    }) as PublicClient;
    await syncAll(new Indexer({ db, client: limited, deployments: scenario.d, maxRange: 64 }));
    assert.ok(asked.some((span) => span > 5n), "large ranges were asked first");
    assert.ok(asked.some((span) => span <= 5n && span > 2n), "then ranges the provider accepts");
    const { chain_logs, chain_blocks } = await dumpTables(reference);
    const got = await dumpTables(db);
    assert.equal(got.chain_logs, chain_logs);
    assert.equal(got.chain_blocks, chain_blocks);
  });

  test("a deposit finds its account by the id or the name it names, accounts made before 0006 included", async () => {
    const db = await openDatabase(await suite.target(), { migrate: false });
    try {
      await migrator(db, db.dialect).migrateTo("0005_read_model_on_chain_index").then((r) => assert.equal(r.error, undefined));
      const legacy = { id: `acct_legacy_${suite.dialect}`, name: `legacy-${suite.dialect}` };
      await sql`insert into accounts (id, name, balance, held, created_at) values (${legacy.id}, ${legacy.name}, 0, 0, 1)`.execute(db);
      await migrator(db, db.dialect).migrateToLatest().then((r) => assert.equal(r.error, undefined));
      const ledger = new Ledger(db);
      const fresh = await ledger.accounts.create(`fresh-${suite.dialect}`);
      const { d } = scenario;
      const alice = scenario.clients[1]!;
      // By id: the legacy account's (backfilled) and the new one's; by name: the legacy one's.
      for (const [accountId, usd] of [[legacy.id, 1n], [fresh.id, 2n], [legacy.name, 3n]] as const) {
        await depositCredits(alice, d, { accountId, amount: usdc(d, usd) });
      }
      await syncAll(indexerOn(db));
      assert.equal((await ledger.accounts.get(legacy.id)).balance, 4n * USD);
      assert.equal((await ledger.accounts.get(fresh.id)).balance, 2n * USD);
      await assertBooksBalance(db, legacy.id);
    } finally {
      await db.destroy();
    }
  });

  test("a deposit reorged into another block (same transaction) is reversed and credited again, once", async () => {
    const db = await suite.open();
    const ledger = new Ledger(db);
    const name = `moved-${suite.dialect}`;
    const account = await ledger.accounts.create(name);
    const indexer = indexerOn(db);
    const { chain, d } = scenario;
    const alice = scenario.clients[1]!;
    await alice.public.waitForTransactionReceipt({
      hash: await alice.wallet.writeContract({ address: d.contracts.usdc, abi: localTokenAbi, functionName: "approve", args: [d.contracts.creditDeposits, maxUint256] }),
    });
    await syncAll(indexer);
    const snapshot = await chain.publicClient.request({ method: "evm_snapshot" as never, params: [] as never });
    // One signed transaction, sent on both branches: same hash and log index, another block.
    const request = await alice.wallet.prepareTransactionRequest({
      to: d.contracts.creditDeposits,
      data: encodeFunctionData({ abi: creditDepositsAbi, functionName: "deposit", args: [accountIdOf(name), usdc(d, 4n)] }),
      gas: 200_000n,
      maxFeePerGas: 100n * 10n ** 9n,
      maxPriorityFeePerGas: 10n ** 9n,
    });
    const raw = await alice.wallet.signTransaction(request as never);
    const first = await alice.public.waitForTransactionReceipt({ hash: await alice.public.sendRawTransaction({ serializedTransaction: raw }) });
    await syncAll(indexer);
    assert.equal((await ledger.accounts.get(account.id)).balance, 4n * USD);

    await chain.publicClient.request({ method: "evm_revert" as never, params: [snapshot] as never });
    await chain.publicClient.request({ method: "evm_mine" as never, params: [] as never });
    const second = await alice.public.waitForTransactionReceipt({ hash: await alice.public.sendRawTransaction({ serializedTransaction: raw }) });
    assert.equal(second.transactionHash, first.transactionHash);
    assert.notEqual(second.blockHash, first.blockHash);
    const results = await syncAll(indexer);
    assert.ok(results.some((r) => r.reorg));

    const key = depositKey(d.chainId, first.transactionHash, first.logs.find((l) => l.address.toLowerCase() === d.contracts.creditDeposits.toLowerCase())!.logIndex);
    assert.deepEqual((await ledger.credits.listEntries(account.id)).map((e) => [e.kind, e.amount, e.ref]), [
      ["deposit", 4n * USD, key], ["reversal", -4n * USD, key], ["deposit", 4n * USD, `${key}:1`],
    ]);
    assert.equal((await ledger.accounts.get(account.id)).balance, 4n * USD);
    await syncAll(indexer); // and again: nothing more
    assert.equal((await ledger.credits.listEntries(account.id)).length, 3);
    await assertBooksBalance(db, account.id);
  });

  test("a reorg replaces the rows above the common ancestor, reverses an unspent deposit and locks a spent one", async () => {
    const db = await suite.open();
    const ledger = new Ledger(db);
    await ledger.accounts.create(KNOWN);
    const kept = await ledger.accounts.create(`kept-${suite.dialect}`);
    const spent = await fundedKey(ledger, 0n, { name: `spent-${suite.dialect}` });
    const indexer = indexerOn(db, { maxRange: 3 });
    await syncAll(indexer);
    const { chain, clients, d } = scenario;
    const [, alice, bob] = scenario.clients;
    const ancestor = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
    const snapshot = await chain.publicClient.request({ method: "evm_snapshot" as never, params: [] as never });

    // The branch that will be dropped: two deposits and a launch (revealing a new $MT source).
    await depositCredits(alice!, d, { accountId: `kept-${suite.dialect}`, amount: usdc(d, 10n) });
    await depositCredits(bob!, d, { accountId: `spent-${suite.dialect}`, amount: usdc(d, 8n) });
    const dropped = await launch(clients[0]!, d, { templateId: 0, name: "Dropped Model", ticker: "DROP" });
    await buy(alice!, d, { mt: dropped.mt, flockIn: 1_000n * FLOCK, maxFeeBps: 10_000 }); // in the anti-snipe window
    await syncAll(indexer);
    assert.equal((await ledger.accounts.get(kept.id)).balance, 10n * USD);
    assert.equal((await ledger.accounts.get(spent.accountId)).balance, 8n * USD);
    await reserveOn(ledger, spent.key.id, `req-${suite.dialect}`, 6n * USD); // spends it (held)

    await chain.publicClient.request({ method: "evm_revert" as never, params: [snapshot] as never });
    // The branch that wins: other transactions, a longer chain.
    const receipts: TransactionReceipt[] = [];
    receipts.push((await depositCredits(alice!, d, { accountId: `kept-${suite.dialect}`, amount: usdc(d, 3n) })).receipt);
    receipts.push(await swapFlockFor(bob!, d, scenario.graduated.mt, 500n * FLOCK));
    for (let i = 0; i < 6; i++) await chain.publicClient.request({ method: "evm_mine" as never, params: [] as never });

    const results = await syncAll(indexer);
    const reorg = results.find((r) => r.reorg)?.reorg;
    assert.ok(reorg, "the reorg was seen");
    assert.ok(reorg.ancestor <= ancestor, `common ancestor ${reorg.ancestor} at or below ${ancestor}`);

    // Rows above the ancestor are those of the new branch only.
    const above = await db.selectFrom("chain_logs").select(["tx_hash"]).where("block_number", ">", ancestor).execute();
    const winning = new Set(receipts.map((r) => r.transactionHash));
    assert.ok(above.length > 0);
    for (const r of above) assert.ok(winning.has(r.tx_hash as `0x${string}`), `row of tx ${r.tx_hash} is on the winning branch`);
    assert.deepEqual(await indexedLogsOf(db, [dropped.hash]), []);
    const sources = await indexerStatus(db, d.chainId);
    assert.ok(!sources.some((s) => s.address === dropped.mt.toLowerCase()), "the dropped launch's $MT is no longer a source");
    assert.ok(sources.every((s) => s.lastReorg !== null && s.lastReorg.ancestor === reorg.ancestor));

    // Unspent: reversed, and the new branch's deposit credited.
    assert.equal((await ledger.accounts.get(kept.id)).balance, 3n * USD);
    assert.deepEqual((await ledger.credits.listEntries(kept.id)).map((e) => [e.kind, e.amount]), [
      ["deposit", 10n * USD], ["reversal", -10n * USD], ["deposit", 3n * USD],
    ]);
    // Spent: the account is locked for an operator, never overdrawn.
    const locked = await ledger.accounts.get(spent.accountId);
    assert.equal(locked.balance, 8n * USD);
    assert.match(locked.lockedReason ?? "", /already spent/);
    await assert.rejects(reserveOn(ledger, spent.key.id, `req2-${suite.dialect}`, 1n), InsufficientCredits);
    const cases = await db.selectFrom("reorged_deposits").select(["account_id", "outcome", "amount"]).orderBy("account_id").execute();
    assert.deepEqual(
      cases.map((c) => [c.account_id, c.outcome, c.amount]).sort(),
      [[kept.id, "reversed", 10n * USD], [spent.accountId, "locked", 8n * USD]].sort(),
    );
    await assertBooksBalance(db, kept.id);
    await assertBooksBalance(db, spent.accountId);

    // Replaying the chain as it is now into a fresh database gives the same bytes.
    const fresh = await suite.open();
    const freshLedger = new Ledger(fresh);
    for (const name of [KNOWN, `kept-${suite.dialect}`, `spent-${suite.dialect}`]) await freshLedger.accounts.create(name);
    await syncAll(indexerOn(fresh, { maxRange: 2_000 }));
    await syncAll(indexer);
    assert.deepEqual(await dumpTables(fresh), await dumpTables(db));
  });
});
