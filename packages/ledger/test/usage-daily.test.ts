// An account's usage per UTC day and model (`fomo usage`), on SQLite and PostgreSQL: the database's
// integer sums equal the records' own, day boundaries fall at UTC midnight, other accounts and
// records outside the window are left out, and a model filter keeps that model only.
import assert from "node:assert/strict";
import { it } from "node:test";
import { Ledger, type UsageRecord } from "@fomo/ledger";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { fundedKey, reserveOn, USD } from "@fomo/testkit/ledger";

const DAY = 86_400_000;
const MIDNIGHT = 20_400 * DAY;

describeEachDatabase("usage per day and model", (suite) => {
  it("sums an account's records per UTC day and model within the window", async () => {
    let clock = 0;
    const ledger = new Ledger(await suite.shared(), { now: () => clock });
    const mine = await fundedKey(ledger, 100n * USD);
    const other = await fundedKey(ledger, 100n * USD);
    const records: UsageRecord[] = [];
    // [ms, model, whose]: the last ms of a day and the first of the next, another account, outside the window.
    const calls: [number, string, typeof mine][] = [
      [MIDNIGHT - DAY - 1, "a", mine], // before the window
      [MIDNIGHT - 1, "a", mine],
      [MIDNIGHT - 2, "b", mine],
      [MIDNIGHT - 3, "a", mine],
      [MIDNIGHT, "a", mine],
      [MIDNIGHT + 5, "a", other],
      [MIDNIGHT + DAY - 1, "b", mine],
      [MIDNIGHT + DAY, "a", mine], // at the window's end: outside
    ];
    for (const [i, [at, modelId, who]] of calls.entries()) {
      clock = at;
      await reserveOn(ledger, who.key.id, `daily-${i}`, 10_000n, { modelId });
      records.push(await ledger.metering.settle(`daily-${i}`, { inputTokens: 1_000n + BigInt(i), outputTokens: 100n * BigInt(i), source: "tokenizer" }));
    }
    const fromMs = MIDNIGHT - DAY;
    const toMs = MIDNIGHT + DAY;
    const inWindow = records.filter((r) => r.accountId === mine.accountId && r.createdAt >= fromMs && r.createdAt < toMs);
    const sums = (rs: UsageRecord[]) => ({
      requests: rs.length,
      inputTokens: rs.reduce((t, r) => t + r.inputTokens, 0n),
      outputTokens: rs.reduce((t, r) => t + r.outputTokens, 0n),
      charged: rs.reduce((t, r) => t + r.priceCharged, 0n),
    });
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const pick = (d: number, m: string) => inWindow.filter((r) => day(r.createdAt) === day(d) && r.modelId === m);
    assert.deepEqual(await ledger.usage.dailyByModel({ accountId: mine.accountId, fromMs, toMs }), [
      { day: day(MIDNIGHT - 1), modelId: "a", ...sums(pick(MIDNIGHT - 1, "a")) },
      { day: day(MIDNIGHT - 1), modelId: "b", ...sums(pick(MIDNIGHT - 1, "b")) },
      { day: day(MIDNIGHT), modelId: "a", ...sums(pick(MIDNIGHT, "a")) },
      { day: day(MIDNIGHT), modelId: "b", ...sums(pick(MIDNIGHT, "b")) },
    ]);
    assert.equal(pick(MIDNIGHT - 1, "a").length, 2);
    assert.deepEqual(
      (await ledger.usage.dailyByModel({ accountId: mine.accountId, fromMs, toMs, modelId: "b" })).map((r) => [r.day, r.modelId, r.requests]),
      [[day(MIDNIGHT - 1), "b", 1], [day(MIDNIGHT), "b", 1]],
    );
    assert.deepEqual(await ledger.usage.dailyByModel({ accountId: "acct_none", fromMs, toMs }), []);
    const names = (await ledger.accounts.list()).map((a) => a.name);
    assert.deepEqual(names, [...names].sort());
    assert.ok(names.length >= 2);
  });
});
