// `fomo keys list|revoke`, `credits`, `credits deposit` and `usage` as an operator runs them: the CLI in
// its own process on the data dir's SQLite ledger, next to a real Hardhat node with FOMO deployed. Keys
// are listed by id and prefix and never shown again; a revoked key no longer authenticates; a hold shows
// in `credits`; a USDC deposit sent by `credits deposit` is credited by the real indexer; `usage` sums
// the ledger's metered records per UTC day and model. Every command's --json is one document; a revert
// is a sentence; bad command lines exit 2.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Indexer } from "@fomo/engine";
import { KeyRevoked, Ledger, type UsageRecord } from "@fomo/ledger";
import { localTokenAbi, parseUsd } from "@fomo/sdk";
import { reserveOn } from "@fomo/testkit/ledger";
import { TEST_PRICING, tokens } from "@fomo/testkit/pricing";
import { DEV_MNEMONIC } from "@fomo/deploy";
import { parseUnits } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { parseAccountArgs, parseSince } from "../src/commands/account.ts";
import { parseKeysArgs } from "../src/commands/keys.ts";
import { fomo, fomoJson, startCliChain, type CliChain } from "./support/fomo.ts";

let cli: CliChain;
let ledger: Ledger;
const secrets = new Map<string, string>();
const dev = (i: number) => mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i }).address;

before(async () => {
  cli = await startCliChain("fomo-account-");
  ledger = new Ledger(cli.db);
  try {
    for (const [account, credits] of [["alpha", "5"], ["beta", "1.5"]] as const) {
      const created = await fomo("keys", "create", "--account", account, "--credits", credits, "--data-dir", cli.dir);
      assert.equal(created.code, 0, created.stderr);
      secrets.set(account, created.stdout.trim());
    }
    // Dev account 2 deposits: the test chain funds only account 0, so it gets USDC from the faucet.
    const { keeper, d } = cli.chain;
    const hash = await keeper.wallet.writeContract({ address: d.contracts.usdc, abi: localTokenAbi, functionName: "mint", args: [dev(2), parseUnits("100", d.usdcDecimals)] });
    await keeper.public.waitForTransactionReceipt({ hash });
  } catch (error) {
    await cli.close();
    throw error;
  }
});
after(() => cli?.close());

const dataDir = () => ["--data-dir", cli.dir];

interface KeysDocument {
  keys: { id: string; prefix: string; account: string; revokedAt: string | null; spentMicroUsd: string }[];
}
interface CreditsDocument {
  account: string;
  balanceMicroUsd: string;
  heldMicroUsd: string;
  availableMicroUsd: string;
  holds: { requestId: string; amountMicroUsd: string; modelId: string }[];
}

test("bad command lines exit 2 with the usage; parsing", async () => {
  for (const [args, message] of [
    [["keys", "frob"], /unknown subcommand frob .*keys list/],
    [["keys", "revoke"], /give one KEY_ID/],
    [["keys", "list", "--bogus", "1"], /unknown option --bogus/],
    [["credits", "frob"], /unknown subcommand frob/],
    [["credits", "deposit"], /give one USDC amount/],
    [["credits", "deposit", "-3"], /USDC: not a USDC amount/],
    [["credits", "deposit", "0"], /USDC: must be more than 0 USDC/],
    [["credits", "deposit", "1", "--from", "10"], /--from: not a whole number from 0 to 9/],
    [["usage", "--since", "yesterday"], /--since: not a date/],
    // Two accounts and no --account: which one is meant is a usage question.
    [["credits", ...["--data-dir", "DIR"]], /give --account NAME: the ledger has 2 accounts \(alpha, beta\)/],
  ] as const) {
    const argv = args.map((a) => (a === "DIR" ? cli.dir : a));
    const { code, stdout, stderr } = await fomo(...argv);
    assert.equal(code, 2, `${argv.join(" ")}: ${stderr}`);
    assert.match(stderr, message);
    assert.equal(stdout, "");
  }
  const now = Date.UTC(2026, 11, 4, 12);
  assert.equal(parseSince("90m", now), now - 90 * 60_000);
  assert.equal(parseSince("7d", now), now - 7 * 86_400_000);
  assert.equal(parseSince("2026-12-01", now), Date.UTC(2026, 11, 1));
  assert.deepEqual(parseAccountArgs("usage", ["--model", "m", "--json", "--account", "a"], now), {
    command: "usage", dataDir: parseAccountArgs("credits", []).dataDir, sinceMs: now - 7 * 86_400_000, json: true, account: "a", model: "m",
  });
  assert.deepEqual(parseKeysArgs(["revoke", "key_1", "--json"]).command, "revoke");
});

test("keys list shows ids and prefixes, never a key; keys revoke revokes for good", async () => {
  const all = await fomoJson<KeysDocument>("keys", "list", ...dataDir());
  assert.deepEqual(all.keys.map((k) => k.account).sort(), ["alpha", "beta"]);
  const listed = await fomo("keys", "list", ...dataDir());
  for (const secret of secrets.values()) {
    assert.ok(!listed.stdout.includes(secret) && !JSON.stringify(all).includes(secret), "no key is shown again");
    assert.ok(all.keys.some((k) => secret.startsWith(k.prefix) && k.prefix.length < secret.length / 2));
  }
  assert.match(listed.stdout, /^id\s+key\s+account\s+created\s+status/);
  assert.match(listed.stdout, /key_\S+\s+sk-fomo-\S{6}…\s+alpha\s+\S+\s+active\s+\$0\.000000/);

  const [alphaKey] = (await fomoJson<KeysDocument>("keys", "list", "--account", "alpha", ...dataDir())).keys;
  assert.equal(alphaKey!.account, "alpha");
  const revoked = await fomoJson<{ key: { id: string; revokedAt: string }; alreadyRevoked: boolean }>("keys", "revoke", alphaKey!.id, ...dataDir());
  assert.deepEqual([revoked.key.id, revoked.alreadyRevoked], [alphaKey!.id, false]);
  assert.ok(!Number.isNaN(Date.parse(revoked.key.revokedAt)));
  await assert.rejects(ledger.keys.authenticate(secrets.get("alpha")!), KeyRevoked);
  const again = await fomo("keys", "revoke", alphaKey!.id, ...dataDir());
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`key ${alphaKey!.id} \\(sk-fomo-\\S{6}…\\) of alpha was already revoked at ${revoked.key.revokedAt}`));
  const unknown = await fomo("keys", "revoke", "key_nope", ...dataDir());
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no API key with id key_nope/);
  assert.match((await fomo("keys", "list", "--account", "alpha", ...dataDir())).stdout, /revoked \d{4}-/);
});

test("credits: balance, holds and what is available", async () => {
  const beta = (await ledger.accounts.findByName("beta"))!;
  const [key] = await ledger.keys.list(beta.id);
  const held = 250_000n;
  await reserveOn(ledger, key!.id, "req-held", held);
  try {
    const doc = await fomoJson<CreditsDocument>("credits", "--account", "beta", ...dataDir());
    assert.deepEqual([doc.balanceMicroUsd, doc.heldMicroUsd, doc.availableMicroUsd], [String(parseUsd("1.5")), String(held), String(parseUsd("1.5") - held)]);
    assert.deepEqual(doc.holds.map((h) => [h.requestId, h.amountMicroUsd]), [["req-held", String(held)]]);
    const text = (await fomo("credits", "--account", "beta", ...dataDir())).stdout;
    assert.match(text, /balance\s+held\s+available\n\$1\.500000\s+\$0\.250000\s+\$1\.250000/);
    assert.match(text, /req-held\s+stories-260k\s+\$0\.250000/);
  } finally {
    await ledger.metering.release("req-held");
  }
  const unknown = await fomo("credits", "--account", "nobody", ...dataDir());
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no API account named nobody/);
});

test("credits deposit: USDC on chain through CreditDeposits, credited by the indexer", async () => {
  const before = await ledger.accounts.findByName("alpha");
  const sent = await fomoJson<{ depositId: string; amount: string; creditsMicroUsd: string; tx: string; credited: boolean }>(
    "credits", "deposit", "2.5", "--account", "alpha", "--from", "2", ...cli.args(),
  );
  assert.equal(BigInt(sent.amount), parseUnits("2.5", cli.chain.d.usdcDecimals));
  assert.equal(sent.creditsMicroUsd, String(parseUsd("2.5")));
  assert.match(sent.tx, /^0x[0-9a-f]{64}$/);
  assert.equal(sent.credited, false, "the indexer credits it, not the command");
  const receipt = await cli.chain.keeper.public.getTransactionReceipt({ hash: sent.tx as `0x${string}` });
  assert.equal(receipt.from.toLowerCase(), dev(2).toLowerCase());

  const indexer = new Indexer({ db: cli.db, client: cli.chain.keeper.public, deployments: cli.chain.d });
  for (let i = 0; i < 1_000 && !(await indexer.syncOnce()).caughtUp; i++);
  const after = await fomoJson<CreditsDocument>("credits", "--account", "alpha", ...dataDir());
  assert.equal(BigInt(after.balanceMicroUsd), before!.balance + parseUsd("2.5"));

  // Dev account 5 holds no USDC: the revert is a sentence, not hex; an unknown account is refused before sending.
  const broke = await fomo("credits", "deposit", "1", "--account", "alpha", "--from", "5", ...cli.args());
  assert.equal(broke.code, 1);
  assert.match(broke.stderr, new RegExp(`\nfomo: ${dev(5)} holds 0 USDC, but 1 USDC is needed\\.\n$`));
  const nobody = await fomo("credits", "deposit", "1", "--account", "nobody", ...cli.args());
  assert.equal(nobody.code, 1);
  assert.match(nobody.stderr, /no API account named nobody/);
});

test("usage: the account's records summed per UTC day and model", async () => {
  const beta = (await ledger.accounts.findByName("beta"))!;
  const [key] = await ledger.keys.list(beta.id);
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  let at = 0;
  const metered = new Ledger(cli.db, { now: () => at });
  const records: UsageRecord[] = [];
  const use = async (when: number, modelId: string, i: number) => {
    at = when;
    await metered.metering.reserve({ requestId: `u-${i}`, keyId: key!.id, amount: 200_000n, modelId, deployment: "platform", pricing: TEST_PRICING });
    records.push(await metered.metering.settle(`u-${i}`, { ...tokens(1_000n * BigInt(i + 1), 500n), source: "tokenizer" }));
  };
  await use(today - 86_400_000 + 1_000, "stories-260k", 0); // yesterday
  await use(today + 1_000, "stories-260k", 1);
  await use(today + 2_000, "stories-260k", 2);
  await use(today + 3_000, "other-model", 3);
  const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const expected = new Map<string, { requests: number; inputTokens: bigint; charged: bigint }>();
  for (const r of records) {
    const k = `${dayOf(r.createdAt)} ${r.modelId}`;
    const e = expected.get(k) ?? { requests: 0, inputTokens: 0n, charged: 0n };
    expected.set(k, { requests: e.requests + 1, inputTokens: e.inputTokens + r.inputTokens, charged: e.charged + r.priceCharged });
  }

  interface UsageDocument {
    days: { day: string; model: string; requests: number; inputTokens: string; chargedMicroUsd: string }[];
    total: { requests: number; chargedMicroUsd: string };
  }
  const doc = await fomoJson<UsageDocument>("usage", "--account", "beta", "--since", "2d", ...dataDir());
  assert.deepEqual(
    new Map(doc.days.map((d) => [`${d.day} ${d.model}`, { requests: d.requests, inputTokens: BigInt(d.inputTokens), charged: BigInt(d.chargedMicroUsd) }])),
    expected,
  );
  assert.equal(BigInt(doc.total.chargedMicroUsd), records.reduce((t, r) => t + r.priceCharged, 0n));
  const onlyOther = await fomoJson<UsageDocument>("usage", "--account", "beta", "--since", dayOf(today), "--model", "other-model", ...dataDir());
  assert.deepEqual(onlyOther.days.map((d) => [d.day, d.model, d.requests]), [[dayOf(today), "other-model", 1]]);
  const text = (await fomo("usage", "--account", "beta", "--since", "2d", ...dataDir())).stdout;
  assert.match(text, new RegExp(`${dayOf(today)}\\s+stories-260k\\s+2\\s+`));
  assert.match(text, /\ntotal\s+4\s+\$\d+\.\d{6}\n$/);
});
