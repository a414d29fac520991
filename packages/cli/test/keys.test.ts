// `fomo keys create --wallet W`, as an operator runs it (the CLI in a process of its own, SQLite in a
// data dir): a wallet bound to another account is refused before anything is written, so the refused
// command leaves no account behind (before, it created the account, then refused the binding).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Ledger, openDatabase } from "@fomo/ledger";

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "fomo-keys-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** The CLI with its SQLite ledger in `dataDir` (DATABASE_URL unset): exit code and output. */
function fomo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args, "--data-dir", dataDir], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

it("refuses a wallet bound to another account before creating the account", { timeout: 120_000 }, async () => {
  const wallet = "0x00000000000000000000000000000000000000aa";
  const first = await fomo(["keys", "create", "--account", "team-a", "--credits", "1", "--wallet", wallet]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^sk-fomo-/);

  const refused = await fomo(["keys", "create", "--account", "team-b", "--credits", "5", "--wallet", wallet]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /already bound to another account/);
  assert.equal(refused.stdout, "", "no key printed");

  const db = await openDatabase({ dataDir });
  try {
    const ledger = new Ledger(db);
    assert.equal(await ledger.accounts.findByName("team-b"), undefined, "the refused command created no account");
    const teamA = (await ledger.accounts.findByName("team-a"))!;
    assert.equal((await ledger.wallets.find(wallet))?.accountId, teamA.id);
    // The wallet's own account may be given more keys and credits with it.
    const again = await fomo(["keys", "create", "--account", "team-a", "--credits", "2", "--wallet", wallet]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((await ledger.accounts.get(teamA.id)).balance, 3_000_000n);
  } finally {
    await db.destroy();
  }
});
