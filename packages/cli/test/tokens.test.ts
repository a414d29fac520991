// The token-layer commands as a user runs them (the CLI in its own process, signing with the local
// chain's dev accounts) against a real Hardhat node with one-minute epochs and a graduated $MT: `stake`
// and `lock` read back from the contracts; an epoch of metered usage (a staker's bound account, the
// issuer's bonus) settled by `fomo epoch run` through published; `rewards` shows per token exactly the
// cumulative allotments the keeper stored, and `rewards claim` pays them; `yield claim` pays the
// router's owed yield to the issuer; `unstake` says when the amount is withdrawable and `withdraw`
// refuses before then (a sentence, not hex) and pays after. Every command's --json is one document;
// bad command lines exit 2.
import assert from "node:assert/strict";
import { renameSync } from "node:fs";
import { after, before, test } from "node:test";
import { DEV_MNEMONIC } from "@fomo/deploy";
import { inputFilePath } from "@fomo/engine";
import { Ledger, type Database } from "@fomo/ledger";
import {
  chainTime, claim, epochGraceMs, epochOf, epochWindowMs, FLOCK, formatAmount, getClaimed, getCooldown, getEpochClock, getGmBalance, getLock, getStake,
  getChallengeDelay, getYieldOwed, gmForOnChain, localTokenAbi, TWAP_WINDOW, type EpochClock,
} from "@fomo/sdk";
import { graduatedMt, type TestChain } from "@fomo/testkit/chain";
import { meteredUsage } from "@fomo/testkit/ledger";
import { erc20Abi, getAddress, type Address } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { parseTokenAmount } from "../src/amounts.ts";
import { parseTokenArgs } from "../src/commands/tokens.ts";
import { fomo, fomoJson, increaseTime as increaseTimeOn, indexToHead, runUntilPublished, startCliChain, type CliChain } from "./support/fomo.ts";

const TICKER = "TOKN";
const MT = 10n ** 18n;

let cli: CliChain;
let chain: TestChain;
let db: Database;
let mt: Address;
let clock: EpochClock;
const dev = (i: number) => mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i }).address;
/** The issuer (dev account 0 launched and graduated the offering), the staker, the locker. */
const ISSUER = 0;
const STAKER = 2;
const LOCKER = 3;

const pub = () => chain.keeper.public;
const balanceOf = (token: Address, who: Address) => pub().readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [who] });
const args = () => cli.args();
const as = (i: number) => ["--from", String(i)];

async function send(hash: Promise<`0x${string}`>): Promise<void> {
  await pub().waitForTransactionReceipt({ hash: await hash });
}

const increaseTime = (seconds: bigint) => increaseTimeOn(cli, seconds);

before(async () => {
  cli = await startCliChain("fomo-tokens-", { epochSeconds: 60 });
  ({ chain, db } = cli);
  try {
    // At once, paying the anti-snipe surcharge: the keeper dates epochs by the wall clock, so chain time stays near it.
    mt = await graduatedMt(chain, TICKER, { payTheSurcharge: true });
    // The buybacks price against the pools' TWAP: the keeper waits until the graduation's observation
    // is a window old (keeper/oracle.ts), so chain time moves past it here, once.
    await increaseTime(BigInt(TWAP_WINDOW) + 1n);
    clock = await getEpochClock(pub(), chain.d);
    await claim(chain.keeper, chain.d, { mt });
    await send(chain.keeper.wallet.writeContract({ address: mt, abi: erc20Abi, functionName: "transfer", args: [dev(STAKER), 5_000n * MT] }));
    await send(chain.keeper.wallet.writeContract({ address: chain.d.contracts.flock, abi: localTokenAbi, functionName: "mint", args: [dev(LOCKER), 50_000n * FLOCK] }));
  } catch (error) {
    await cli.close();
    throw error;
  }
});
after(() => cli?.close());

test("bad command lines exit 2 with the usage; amounts parse exactly", async () => {
  for (const [argv, message] of [
    [["stake", TICKER], /stake: missing arguments \(usage: fomo stake TICKER AMOUNT/],
    [["stake", TICKER, "1", "2"], /stake: unexpected arguments/],
    [["stake", TICKER, "1.0000000000000000001"], /AMOUNT: not a \$MT amount \(a decimal number, up to 18 decimals\)/],
    [["unstake", TICKER, "0"], /AMOUNT: must be more than 0 \$MT/],
    [["stake", "bad-ticker!", "1"], /TICKER: not a ticker/],
    [["lock", "100", "0"], /DAYS: not a whole number from 1 to 365: 0/],
    [["lock", "100", "366"], /DAYS: not a whole number from 1 to 365: 366/],
    [["lock", "1e3", "30"], /FLOCK: not a FLOCK amount \(a decimal number, up to 18 decimals\): 1e3/],
    [["rewards", "frob"], /unknown subcommand frob/],
    [["yield", TICKER], /yield: unknown subcommand TOKN/],
    [["withdraw", TICKER, "--from", "x"], /--from: not a whole number/],
    [["withdraw", TICKER, "--bogus", "1"], /unknown option --bogus/],
    [["withdraw", TICKER, "--from", "1", "--keystore", "k.json"], /--keystore and --from name two signers/],
  ] as const) {
    // The signers' clash shows once the chain is known (--from is the local chain's): give it.
    const extra = (argv as readonly string[]).includes("--keystore") ? args() : [];
    const { code, stdout, stderr } = await fomo(...argv, ...extra);
    assert.equal(code, 2, `${argv.join(" ")}: ${stderr}`);
    assert.match(stderr, message);
    assert.equal(stdout, "");
  }
  assert.equal(parseTokenAmount("1234.5", "x", "FLOCK"), 1_234_500_000_000_000_000_000n);
  assert.equal(parseTokenAmount("0.000000000000000001", "x", "FLOCK"), 1n);
  assert.equal(parseTokenAmount("2.5", "x", "USDC", { decimals: 6 }), 2_500_000n);
  assert.throws(() => parseTokenAmount("2.5000001", "x", "USDC", { decimals: 6 }), /up to 6 decimals/);
  assert.equal(parseTokenAmount("0", "x", "FLOCK", { zeroAllowed: true }), 0n);
  assert.deepEqual(parseTokenArgs("stake", ["--from", "2", "tokn", "10", "--json"]), {
    command: "stake", ticker: TICKER, amount: 10n * MT, json: true, signer: { from: 2 },
    dataDir: parseTokenArgs("rewards", []).dataDir, rpcUrl: "http://127.0.0.1:8545",
  });
  const unknown = await fomo("withdraw", "TOKM", ...args());
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no offering has the ticker TOKM: did you mean TOKN\?/);
});

test("stake: the amount staked and the counted stake, read back from MtStaking", async () => {
  const doc = await fomoJson<{ account: string; mt: string; staked: string; stake: string; tx: string }>("stake", TICKER, "1000", ...as(STAKER), ...args());
  assert.deepEqual([doc.account, doc.mt, doc.staked], [dev(STAKER), getAddress(mt), String(1_000n * MT)]);
  assert.equal(BigInt(doc.stake), await getStake(pub(), chain.d, { mt, account: dev(STAKER) }));
  assert.match(doc.tx, /^0x[0-9a-f]{64}$/);
  const text = await fomo("stake", TICKER.toLowerCase(), "500.5", ...as(STAKER), ...args());
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^staked 500\.5 TOKN: your counted stake is 1,500\.5 TOKN \(tx 0x[0-9a-f]{64}\)\n$/);
  assert.match(text.stderr, /\[fomo\] staking 500\.5 TOKN .* from dev account 2 \(supporter\)/);
  assert.equal(await getStake(pub(), chain.d, { mt, account: dev(STAKER) }), 1_500_500n * MT / 1_000n);
  // More than the account holds: the token's revert as a sentence.
  const tooMuch = await fomo("stake", TICKER, "1000000", ...as(STAKER), ...args());
  assert.equal(tooMuch.code, 1);
  assert.match(tooMuch.stderr, /\nfomo: [^\n]*(holds|balance)[^\n]*\$MT[^\n]*\n$/);
  assert.doesNotMatch(tooMuch.stderr, /0x[0-9a-f]{64}/);
});

test("lock: gmFLOCK minted as the contract computes it, and the rewards boost G", async () => {
  // 10,000 FLOCK for 30 days: gmFLOCK = FLOCK up to 30 days, and 10,000 gmFLOCK is GM_HALF, where G = 1 + 0.6 · ½.
  const doc = await fomoJson<{ lockId: string; gm: string; gmBalance: string; unlockAt: string; boost: { before: string; after: string } }>(
    "lock", "10000", "30", ...as(LOCKER), ...args(),
  );
  assert.equal(BigInt(doc.gm), await gmForOnChain(pub(), chain.d, { amount: 10_000n * FLOCK, days: 30n }));
  assert.equal(BigInt(doc.gm), 10_000n * FLOCK);
  assert.equal(BigInt(doc.gmBalance), await getGmBalance(pub(), chain.d, { account: dev(LOCKER) }));
  assert.deepEqual(doc.boost, { before: "1", after: "1.3" });
  const lock = await getLock(pub(), chain.d, { id: BigInt(doc.lockId) });
  assert.equal(lock.owner, dev(LOCKER));
  assert.equal(doc.unlockAt, new Date(Number(lock.unlockAt) * 1_000).toISOString());

  const text = await fomo("lock", "1000", "365", ...as(LOCKER), ...args());
  assert.equal(text.code, 0, text.stderr);
  const gm = await gmForOnChain(pub(), chain.d, { amount: 1_000n * FLOCK, days: 365n });
  assert.ok(gm > 3_000n * FLOCK, "a year's lock gives more than three times the FLOCK");
  assert.match(text.stdout, /^locked 1,000 FLOCK for 365 days \(lock \d+, unlocks \S+\): \+[\d,.]+ gmFLOCK, [\d,.]+ gmFLOCK held\nrewards boost G: ×1\.3 → ×1\.\d+ \(tx 0x[0-9a-f]{64}\)\n$/);
  assert.ok(text.stdout.includes(`+${formatAmount(gm)} gmFLOCK, ${formatAmount(10_000n * FLOCK + gm)} gmFLOCK held`), text.stdout);
});

test("rewards before any root: nothing live yet", async () => {
  const doc = await fomoJson<{ epoch: string | null; tokens: unknown[] }>("rewards", ...as(STAKER), ...args());
  assert.deepEqual([doc.epoch, doc.tokens], [null, []]);
  assert.match((await fomo("rewards", ...as(STAKER), ...args())).stdout, /^no rewards root is live yet\n/);
  const claimed = await fomo("rewards", "claim", ...as(STAKER), ...args());
  assert.equal(claimed.code, 0, claimed.stderr);
  assert.match(claimed.stdout, /nothing to claim for 0x[0-9a-fA-F]{40}: no rewards root is live yet/);
});

interface RewardsDocument {
  account: string;
  epoch: string | null;
  tokens: { token: string; symbol: string; cumulative: string; claimed: string; claimable: string; proof: string[] | null }[];
}

test("an epoch settled: rewards shows the keeper's allotments per token, rewards claim pays them, yield claim pays the issuer", { timeout: 600_000 }, async () => {
  // The staker's API usage in the first epoch wholly after the stake, its account bound to the staking wallet.
  const now = BigInt(Math.floor(Date.now() / 1_000));
  const chainNow = await chainTime(pub());
  const k = epochOf(clock, chainNow > now ? chainNow : now) + 1n;
  const window = epochWindowMs(clock, k);
  const used = await meteredUsage(db, window.fromMs, mt, 3, `tokens-${k}`);
  await new Ledger(db).wallets.bind({ accountId: used[0]!.accountId, wallet: dev(STAKER), proof: "test" });
  // Final: on the local chain the keeper judges it by chain time, moved past k's end and grace.
  const finalAt = BigInt(Math.ceil((window.toMs + epochGraceMs(clock)) / 1_000)) + 1n;
  const ahead = finalAt - (await chainTime(pub()));
  if (ahead > 0n) await increaseTime(ahead);
  // The keeper's rewards step reads stakes and gmFLOCK from the indexer's read model.
  await indexToHead(cli);

  await runUntilPublished(cli, k, 6);
  await increaseTime((await getChallengeDelay(pub(), chain.d)) + 1n); // k's root goes live

  // What the keeper stored for the staker's wallet, summed per token over every epoch so far: the cumulative amounts.
  const stored = await db.selectFrom("keeper_rewards").selectAll().where("epoch", "<=", k).execute();
  const expected = new Map<string, bigint>();
  for (const r of stored.filter((x) => x.wallet !== null && getAddress(x.wallet) === dev(STAKER))) {
    expected.set(getAddress(r.token), (expected.get(getAddress(r.token)) ?? 0n) + BigInt(r.amount));
  }
  assert.ok(expected.get(getAddress(chain.d.contracts.flock))! > 0n, "the staker earned FLOCK");
  assert.ok(expected.get(getAddress(mt))! > 0n, "the staker's stake earned the pool's $MT");

  const shown = await fomoJson<RewardsDocument>("rewards", ...as(STAKER), ...args());
  assert.equal(shown.epoch, String(k));
  assert.deepEqual(
    new Map(shown.tokens.map((t) => [getAddress(t.token), BigInt(t.cumulative)])),
    expected,
  );
  assert.ok(shown.tokens.every((t) => t.claimed === "0" && t.claimable === t.cumulative && t.proof !== null));
  assert.deepEqual(shown.tokens.map((t) => t.symbol).sort(), ["FLOCK", TICKER]);
  const table = (await fomo("rewards", ...as(STAKER), ...args())).stdout;
  assert.match(table, new RegExp(`under the live root of epoch ${k}\\n`));
  assert.match(table, /token\s+claimable\s+claimed\s+cumulative/);
  assert.match(table, new RegExp(`\\nFLOCK\\s+[\\d,.]+ FLOCK\\s+0 FLOCK\\s+[\\d,.]+ FLOCK`));
  assert.match(table, new RegExp(`\\n${TICKER}\\s+[\\d,.]+ ${TICKER}\\s+0 ${TICKER}`));
  // The issuer's bonus is FLOCK for the issuer's own address.
  const issuer = await fomoJson<RewardsDocument>("rewards", ...as(ISSUER), ...args());
  assert.ok(issuer.tokens.some((t) => t.symbol === "FLOCK" && BigInt(t.claimable) > 0n), JSON.stringify(issuer));

  // rewards claim: one transaction per token, each paying exactly the claimable amount.
  const before = new Map(await Promise.all([...expected.keys()].map(async (t) => [t, await balanceOf(t as Address, dev(STAKER))] as const)));
  const claimed = await fomoJson<{ claims: { token: string; amount: string; tx: string }[] }>("rewards", "claim", ...as(STAKER), ...args());
  assert.equal(claimed.claims.length, expected.size);
  for (const c of claimed.claims) {
    const token = getAddress(c.token);
    assert.equal(BigInt(c.amount), expected.get(token));
    assert.equal(await balanceOf(token, dev(STAKER)), before.get(token)! + expected.get(token)!);
    assert.equal(await getClaimed(pub(), chain.d, { account: dev(STAKER), token }), expected.get(token));
  }
  const after = await fomoJson<RewardsDocument>("rewards", ...as(STAKER), ...args());
  assert.ok(after.tokens.every((t) => t.claimable === "0" && t.claimed === t.cumulative));
  const nothing = await fomo("rewards", "claim", ...as(STAKER), ...args());
  assert.match(nothing.stdout, new RegExp(`nothing to claim for ${dev(STAKER)} under the live root of epoch ${k}`));

  // A moved input file: the command says where it looked instead of failing on a proof.
  const file = inputFilePath(cli.dir, k);
  renameSync(file, `${file}.moved`);
  try {
    const moved = await fomo("rewards", ...as(STAKER), ...args());
    assert.equal(moved.code, 1);
    assert.ok(moved.stderr.includes(`the input file of epoch ${k} (the root's epoch) is not at ${file} (ENOENT)`), moved.stderr);
  } finally {
    renameSync(`${file}.moved`, file);
  }

  // yield claim: the issuer takes what the router owes; nobody else can, and twice is nothing.
  const owed = await getYieldOwed(pub(), chain.d, { mt });
  assert.ok(owed > 0n, "the report left issuer yield");
  const stranger = await fomo("yield", "claim", TICKER, ...as(STAKER), ...args());
  assert.equal(stranger.code, 1);
  assert.match(stranger.stderr, new RegExp(`fomo: ${dev(STAKER)} is not the issuer of ${getAddress(mt)}: only the issuer claims its yield\\.`));
  const usdcBefore = await balanceOf(chain.d.contracts.usdc, dev(ISSUER));
  const paid = await fomoJson<{ claimed: string; tx: string }>("yield", "claim", TICKER, ...as(ISSUER), ...args());
  assert.equal(BigInt(paid.claimed), owed);
  assert.equal(await balanceOf(chain.d.contracts.usdc, dev(ISSUER)), usdcBefore + owed);
  const twice = await fomo("yield", "claim", TICKER, ...as(ISSUER), ...args());
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /has no issuer yield to claim: nothing was reported since the last claim\./);
});

test("unstake says when it is withdrawable; withdraw refuses before, pays after", async () => {
  const doc = await fomoJson<{ unstaked: string; coolingDown: string; withdrawableAt: string; stake: string }>("unstake", TICKER, "400", ...as(STAKER), ...args());
  const cooldown = await getCooldown(pub(), chain.d, { mt, account: dev(STAKER) });
  assert.deepEqual([doc.unstaked, doc.coolingDown], [String(400n * MT), String(cooldown.amount)]);
  assert.equal(doc.withdrawableAt, new Date(Number(cooldown.releaseAt) * 1_000).toISOString());
  assert.equal(BigInt(doc.stake), await getStake(pub(), chain.d, { mt, account: dev(STAKER) }));

  const early = await fomo("withdraw", TICKER, ...as(STAKER), ...args());
  assert.equal(early.code, 1);
  assert.match(early.stderr, /fomo: The unstaked \$MT is still cooling down: it can be withdrawn from \d{4}-\d{2}-\d{2}T/);

  await increaseTime(cooldown.releaseAt - (await chainTime(pub())) + 1n);
  const balance = await balanceOf(mt, dev(STAKER));
  const withdrawn = await fomo("withdraw", TICKER, ...as(STAKER), ...args());
  assert.equal(withdrawn.code, 0, withdrawn.stderr);
  assert.match(withdrawn.stdout, new RegExp(`^withdrew 400 ${TICKER} to ${dev(STAKER)} \\(tx 0x[0-9a-f]{64}\\)\\n$`));
  assert.equal(await balanceOf(mt, dev(STAKER)), balance + 400n * MT);
});
