// Accounts.list (what `fomo keys list` and the CLI's default account read), on SQLite and PostgreSQL:
// every account once, by name, with its balance.
import assert from "node:assert/strict";
import { it } from "node:test";
import { Ledger } from "@fomo/ledger";
import { describeEachDatabase } from "@fomo/testkit/databases";

describeEachDatabase("accounts list", (suite) => {
  it("lists every account by name", async () => {
    const ledger = new Ledger(await suite.open());
    assert.deepEqual(await ledger.accounts.list(), []);
    for (const name of ["zeta", "alpha", "mid"]) await ledger.accounts.create(name);
    const alpha = (await ledger.accounts.findByName("alpha"))!;
    await ledger.credits.add({ accountId: alpha.id, amount: 2_500_000n, ref: "list-test" });
    const listed = await ledger.accounts.list();
    assert.deepEqual(listed.map((a) => a.name), ["alpha", "mid", "zeta"]);
    assert.deepEqual(listed[0], await ledger.accounts.get(alpha.id));
    assert.equal(listed[0]!.balance, 2_500_000n);
  });
});
