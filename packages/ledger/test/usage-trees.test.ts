// The epoch aggregate the keeper settles from, on SQLite and PostgreSQL: scanWindow pages through a
// window in order without losing or repeating a record, and aggregateWindow's streamed totals, roots
// and per-account spend equal the full usage trees the gateway serves proofs from, whether the
// leaves are hashed here or on worker threads.
import assert from "node:assert/strict";
import { it } from "node:test";
import { loadFastKeccak } from "@fomo/sdk";
import { aggregateWindow, Ledger, windowUsage } from "@fomo/ledger";
import { rng, runSeed } from "@fomo/testkit";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { fundedKey, reserveOn, USD } from "@fomo/testkit/ledger";

const DAY = 86_400_000;
const FROM = 20_100 * DAY;
const MTS = ["0x00000000000000000000000000000000000000a1", "0x00000000000000000000000000000000000000B2"];

describeEachDatabase("usage aggregates", (suite) => {
  const seed = runSeed(process.env.FOMO_SEED);
  let clock = FROM;
  let ledger: Ledger;
  const ids: string[] = [];

  it(`writes a window of records across deployments and accounts (seed ${seed})`, async () => {
    ledger = new Ledger(await suite.shared(), { now: () => clock });
    const r = rng(seed);
    const keys = [await fundedKey(ledger, 100n * USD), await fundedKey(ledger, 100n * USD), await fundedKey(ledger, 100n * USD)];
    // Before, inside (several records on one millisecond, to cross pages on a tie) and after the window.
    for (let i = 0; i < 40; i++) {
      clock = i === 0 ? FROM - 1 : i === 39 ? FROM + DAY : FROM + Math.floor(i / 3) * 1_000;
      const { key } = keys[r.int(0, 2)]!;
      const deployment = i % 5 === 0 ? "platform" : MTS[r.int(0, 1)]!;
      await reserveOn(ledger, key.id, `agg-${i}`, 10_000n, { deployment });
      await ledger.metering.settle(`agg-${i}`, { inputTokens: BigInt(r.int(1, 900)), outputTokens: BigInt(r.int(0, 90)), source: "tokenizer" });
      if (i > 0 && i < 39) ids.push(`agg-${i}`);
    }
  });

  it("scanWindow pages through the window in order, every record once, at any page size", async () => {
    const all = await ledger.usage.listWindow({ fromMs: FROM, toMs: FROM + DAY });
    assert.deepEqual(all.map((x) => x.requestId).sort(), [...ids].sort());
    for (const pageSize of [1, 2, 7, 38, 1_000]) {
      const seen = [];
      for await (const page of ledger.usage.scanWindow({ fromMs: FROM, toMs: FROM + DAY }, pageSize)) {
        assert.ok(page.length <= pageSize);
        seen.push(...page);
      }
      assert.deepEqual(seen, all, `page size ${pageSize}`);
    }
  });

  it("aggregateWindow equals the full trees: roots, totals, counts, and each account's spend", async () => {
    for (const [fast, threads] of [[false, 0], [true, 0], [true, 1], [true, 2]] as const) {
      if (fast) await loadFastKeccak();
      const window = { fromMs: FROM, toMs: FROM + DAY };
      const trees = await windowUsage(ledger, window);
      const aggregates = await aggregateWindow(ledger, window, { threads });
      assert.deepEqual([...aggregates.keys()].sort(), [...trees.keys()].sort());
      assert.equal(trees.size, 3, "two $MTs and the platform");
      for (const [deployment, tree] of trees) {
        const a = aggregates.get(deployment)!;
        assert.equal(a.usageRoot, tree.tree.root);
        assert.equal(a.records, tree.tree.receipts.length);
        assert.equal(a.gross, tree.gross);
        assert.equal(a.hardCost, tree.hardCost);
        const spend = new Map<string, bigint>();
        for (const receipt of tree.tree.receipts) spend.set(receipt.account, (spend.get(receipt.account) ?? 0n) + receipt.costMicroUsd);
        assert.deepEqual(a.spendByAccount, spend);
      }
    }
    assert.equal((await aggregateWindow(ledger, { fromMs: FROM + 2 * DAY, toMs: FROM + 3 * DAY })).size, 0);
  });

  it("spendByAccount sums in the database what aggregateWindow sums from the records", async () => {
    const window = { fromMs: FROM, toMs: FROM + DAY };
    const summed = new Map<string, bigint>();
    for (const s of await ledger.usage.spendByAccount(window)) summed.set(`${s.deployment.toLowerCase()}/${s.accountId}`, s.spend);
    const streamed = new Map<string, bigint>();
    for (const [deployment, a] of await aggregateWindow(ledger, window)) {
      for (const [account, spend] of a.spendByAccount) streamed.set(`${MTS.find((m) => m.toLowerCase() === deployment.toLowerCase())?.toLowerCase() ?? "platform"}/${account}`, spend);
    }
    assert.ok(summed.size >= 4);
    assert.deepEqual(new Map([...summed].sort()), new Map([...streamed].sort()));
    assert.deepEqual(await ledger.usage.spendByAccount({ fromMs: FROM + 2 * DAY, toMs: FROM + 3 * DAY }), []);
  });

  it("wallets.firstOf: each account's first bound wallet, as list orders them", async () => {
    const [a, b, c] = [await fundedKey(ledger, 0n), await fundedKey(ledger, 0n), await fundedKey(ledger, 0n)];
    const [w1, w2, w3] = ["0x00000000000000000000000000000000000000f3", "0x00000000000000000000000000000000000000F1", "0x00000000000000000000000000000000000000f2"];
    clock = FROM + 5 * DAY;
    await ledger.wallets.bind({ accountId: a.accountId, wallet: w1!, proof: "cli" });
    clock += 1;
    await ledger.wallets.bind({ accountId: a.accountId, wallet: w2!, proof: "cli" });
    await ledger.wallets.bind({ accountId: b.accountId, wallet: w3!, proof: "cli" });
    const first = await ledger.wallets.firstOf([a.accountId, b.accountId, c.accountId]);
    assert.deepEqual(first, new Map([[a.accountId, w1], [b.accountId, w3]]));
    assert.equal(first.get(a.accountId), (await ledger.wallets.list(a.accountId))[0]!.wallet);
  });
});
