// The keeper's transaction journal against a real Hardhat node, on SQLite and PostgreSQL: one
// transaction per key, even across a keeper SIGKILLed between persisting and broadcasting (or right
// after broadcasting), nonces without gaps across restarts, and a transaction replaced behind the
// journal's back reported. Each test signs with a fresh account, so its nonces start at 0, and mints
// the local FLOCK (anyone may) to fresh recipients: a balance counts how often a mint really ran.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { after, before, test } from "node:test";
import { openDatabase, type Database } from "@fomo/ledger";
import { localTokenAbi, write, type Clients, type SendRequest } from "@fomo/sdk";
import { startChain, type TestChain } from "@fomo/testkit/chain";
import { describeEachDatabase } from "@fomo/testkit/databases";
import {
  createPublicClient, createWalletClient, custom, http, parseEther, type Address, type Hash, type Hex, type PrivateKeyAccount, type PublicClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { JournaledTxReplacedError, TxJournal, type KeeperLog, type RecoverResult } from "../src/index.ts";

const WORKER = new URL("./support/journal-worker.ts", import.meta.url).pathname;
type Crash = "after-persist" | "after-send" | "none";

let chain: TestChain;
before(async () => {
  chain = await startChain();
});
after(() => chain?.close());

interface Keeper {
  key: Hex;
  account: PrivateKeyAccount;
  clients: Clients;
}

const GAS_MONEY = parseEther("10");

/** A new account with gas money and no transaction yet. */
async function freshKeeper(): Promise<Keeper> {
  const key = generatePrivateKey();
  const account = privateKeyToAccount(key);
  await setBalance(account.address, GAS_MONEY);
  const wallet = createWalletClient({ chain: hardhat, transport: http(chain.url), account });
  return { key, account, clients: { public: chain.keeper.public, wallet } };
}

const recipient = (): Address => privateKeyToAccount(generatePrivateKey()).address;

/** What an operator would see: every message logged, by level. */
function recordingLog(): KeeperLog & { errors: Array<[string, Record<string, unknown> | undefined]> } {
  const errors: Array<[string, Record<string, unknown> | undefined]> = [];
  return { info() {}, warn() {}, error: (message, details) => void errors.push([message, details]), errors };
}

function journalOf(db: Database, keeper: Keeper, log?: KeeperLog, publicClient = chain.keeper.public): TxJournal {
  return new TxJournal({ db, publicClient, account: keeper.account, chainId: hardhat.id, log });
}

/** Transactions wait in the node's pool until the test mines a block (evm_mine). */
async function withoutAutomine(body: () => Promise<void>): Promise<void> {
  await rpc("evm_setAutomine", [false]);
  try {
    await body();
  } finally {
    await rpc("evm_setAutomine", [true]);
  }
}

/** What write() hands the sender for a mint, for tests that call the sender without waiting for a receipt. */
const mintRequest = (keeper: Keeper, to: Address, amount: bigint): SendRequest =>
  ({ address: chain.d.contracts.flock, abi: localTokenAbi, functionName: "mint", args: [to, amount], account: keeper.account });

function mint(keeper: Keeper, journal: TxJournal, key: string, to: Address, amount: bigint) {
  return write(keeper.clients, chain.d.contracts.flock, localTokenAbi, "mint", [to, amount], { sender: journal.sender(key) });
}

const balanceOf = (who: Address) =>
  chain.keeper.public.readContract({ address: chain.d.contracts.flock, abi: localTokenAbi, functionName: "balanceOf", args: [who] });
const minedNonce = (keeper: Keeper) => chain.keeper.public.getTransactionCount({ address: keeper.account.address, blockTag: "latest" });
const setBalance = (who: Address, wei: bigint) =>
  chain.keeper.public.request({ method: "hardhat_setBalance" as never, params: [who, `0x${wei.toString(16)}`] as never });
const rpc = (method: string, params: unknown[]) => chain.keeper.public.request({ method: method as never, params: params as never });
const nodeKnows = (hash: Hash) => chain.keeper.public.getTransaction({ hash }).then(() => true, () => false);

/** Asking for `key` again returns its transaction, and the mint it journaled ran once, the keeper's only transaction. */
async function assertMintedOnce(keeper: Keeper, journal: TxJournal, key: string, to: Address, amount: bigint, hash: Hash) {
  assert.equal((await mint(keeper, journal, key, to, amount)).hash, hash);
  assert.equal(await balanceOf(to), amount, "minted once");
  assert.equal(await minedNonce(keeper), 1);
}

/** recover()'s counts: those named, the others 0. */
const found = (counts: Partial<RecoverResult>): RecoverResult =>
  ({ mined: 0, reverted: 0, pending: 0, rebroadcast: 0, replaced: 0, failed: 0, ...counts });

/** A keeper process starting on the database a previous one left (and closing it after). */
async function restarted(target: string, body: (db: Database) => Promise<void>): Promise<void> {
  const db = await openDatabase(target);
  try {
    await body(db);
  } finally {
    await db.destroy();
  }
}

/** The keeper side in a process of its own, checked to end as told: SIGKILLed at the crash point, or done. */
async function runKeeper(
  target: string, keeper: Keeper, key: string, crash: Crash, functionName: "mint" | "transferFrom", ...callArgs: Array<Address | bigint>
): Promise<void> {
  const args = [WORKER, target, chain.url, keeper.key, chain.d.contracts.flock, key, crash, functionName, ...callArgs.map(String)];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
  if (crash === "none") assert.equal(code, 0, stderr);
  else assert.equal(signal, "SIGKILL", `the keeper was to die ${crash}: exit ${code}\n${stderr}`);
}

// A journal that left a nonce gap would have write() wait for a receipt forever: fail instead.
const TIMEOUT = { timeout: 60_000 };

describeEachDatabase("keeper transaction journal", (suite) => {
  test("a write through the journal mines once; the same key again, even after a restart, sends nothing", TIMEOUT, async () => {
    const db = await suite.open();
    const keeper = await freshKeeper();
    const to = recipient();
    const first = await mint(keeper, journalOf(db, keeper), "k1", to, 5n);
    const again = await mint(keeper, journalOf(db, keeper), "k1", to, 5n);
    assert.equal(again.hash, first.hash);
    const afterRestart = journalOf(db, keeper);
    await assertMintedOnce(keeper, afterRestart, "k1", to, 5n, first.hash);
    const row = await afterRestart.get("k1");
    assert.equal(row?.status, "mined");
    assert.equal(row?.nonce, 0n);
    assert.equal(row?.blockNumber, first.receipt.blockNumber);
    assert.equal(row?.hash, first.hash);
  });

  test("killed between persisting and broadcasting: recover() rebroadcasts, and the tx is mined exactly once", TIMEOUT, async () => {
    const target = await suite.target();
    const keeper = await freshKeeper();
    const to = recipient();
    await runKeeper(target, keeper, "epoch:1:reported:flock", "after-persist", "mint", to, 7n);

    await restarted(target, async (db) => {
      const journal = journalOf(db, keeper);
      const persisted = (await journal.get("epoch:1:reported:flock"))!;
      assert.equal(persisted.status, "signed");
      assert.equal(await nodeKnows(persisted.hash), false, "the killed keeper never broadcast it");
      assert.equal(await minedNonce(keeper), 0);

      assert.deepEqual(await journal.recover(), found({ rebroadcast: 1 }));
      await chain.keeper.public.waitForTransactionReceipt({ hash: persisted.hash });
      assert.deepEqual(await journal.recover(), found({ mined: 1 }));
      await assertMintedOnce(keeper, journal, "epoch:1:reported:flock", to, 7n, persisted.hash);
    });
  });

  test("killed right after broadcasting: the restarted keeper finds it mined and sends no duplicate", TIMEOUT, async () => {
    const target = await suite.target();
    const keeper = await freshKeeper();
    const to = recipient();
    await runKeeper(target, keeper, "k-sent", "after-send", "mint", to, 11n);

    await restarted(target, async (db) => {
      const journal = journalOf(db, keeper);
      assert.equal((await journal.get("k-sent"))?.status, "signed", "killed before it could mark it sent");
      assert.deepEqual(await journal.recover(), found({ mined: 1 }));
      await assertMintedOnce(keeper, journal, "k-sent", to, 11n, (await journal.get("k-sent"))!.hash);
    });
  });

  test("nonces stay gapless across restarts and crashes, with several keys", TIMEOUT, async () => {
    const target = await suite.target();
    const keeper = await freshKeeper();
    const to = recipient();
    // Powers of two: the balance tells which mints ran, and that each ran once.
    const amounts = [1n, 2n, 4n, 8n, 16n, 32n];
    await restarted(target, async (db) => {
      await mint(keeper, journalOf(db, keeper), "k0", to, amounts[0]!);
      await mint(keeper, journalOf(db, keeper), "k1", to, amounts[1]!);
    });
    // k2 is journaled but never broadcast; the next keeper broadcasts it before signing k3 (no gap
    // before k3), and dies having broadcast k3; a last one starts clean and signs k4 and k5.
    await runKeeper(target, keeper, "k2", "after-persist", "mint", to, amounts[2]!);
    await runKeeper(target, keeper, "k3", "after-send", "mint", to, amounts[3]!);
    assert.equal(await minedNonce(keeper), 4, "k2 was broadcast before k3, which did not wait behind a gap");
    await restarted(target, async (db) => {
      const journal = journalOf(db, keeper);
      await journal.recover();
      await mint(keeper, journal, "k4", to, amounts[4]!);
      await runKeeper(target, keeper, "k5", "none", "mint", to, amounts[5]!);
      await journal.recover();

      const rows = await db.selectFrom("keeper_transactions").select(["key", "nonce", "status"]).orderBy("key").execute();
      assert.deepEqual(
        rows.map((r) => [r.key, BigInt(r.nonce), r.status]),
        amounts.map((_, i) => [`k${i}`, BigInt(i), "mined"]),
      );
      assert.equal(await minedNonce(keeper), amounts.length);
      assert.equal(await balanceOf(to), amounts.reduce((a, b) => a + b));
    });
  });

  test("a transaction replaced behind the journal's back is reported, never signed again, and its nonce not reused", TIMEOUT, async () => {
    const target = await suite.target();
    const keeper = await freshKeeper();
    const to = recipient();
    await runKeeper(target, keeper, "k-lost", "after-persist", "mint", to, 3n);
    // Someone else with the keeper's key uses nonce 0 before the keeper comes back.
    const other = await keeper.clients.wallet.sendTransaction({ to: recipient(), value: 1n, nonce: 0 });
    await chain.keeper.public.waitForTransactionReceipt({ hash: other });

    await restarted(target, async (db) => {
      const log = recordingLog();
      const journal = journalOf(db, keeper, log);
      assert.deepEqual(await journal.recover(), found({ replaced: 1 }));
      const lost = (await journal.get("k-lost"))!;
      assert.equal(lost.status, "replaced");
      assert.equal(log.errors.length, 1);
      assert.match(log.errors[0]![0], /REPLACED/);
      assert.equal(log.errors[0]![1]?.key, "k-lost");

      await assert.rejects(mint(keeper, journal, "k-lost", to, 3n), JournaledTxReplacedError);
      assert.equal(await balanceOf(to), 0n, "the replaced mint never ran");
      const next = await mint(keeper, journal, "k-next", to, 4n);
      assert.equal((await journal.get("k-next"))?.nonce, 1n);
      assert.equal(next.receipt.status, "success");
      assert.deepEqual(await journal.recover(), found({ mined: 1 }));
      assert.equal(log.errors.length, 1, "reported once");
    });
  });

  test("two keepers on one database: the same key sends one transaction, different keys get different nonces", TIMEOUT, async () => {
    const db = await suite.open();
    const keeper = await freshKeeper();
    const [a, b] = [journalOf(db, keeper), journalOf(db, keeper)];
    const to = recipient();
    const [one, same] = await Promise.all([mint(keeper, a, "shared", to, 1n), mint(keeper, b, "shared", to, 1n)]);
    assert.equal(same.hash, one.hash);
    await Promise.all([mint(keeper, a, "own-a", to, 2n), mint(keeper, b, "own-b", to, 4n)]);
    assert.equal(await balanceOf(to), 7n);
    assert.equal(await minedNonce(keeper), 3);
    const nonces = await db.selectFrom("keeper_transactions").select("nonce").orderBy("nonce").execute();
    assert.deepEqual(nonces.map((r) => BigInt(r.nonce)), [0n, 1n, 2n]);
  });

  test("a transaction the node dropped from its pool is broadcast again; one still pending is left alone", TIMEOUT, async () => {
    const db = await suite.open();
    const keeper = await freshKeeper();
    const to = recipient();
    await withoutAutomine(async () => {
      const hash = await journalOf(db, keeper).sender("k-pool")(mintRequest(keeper, to, 9n));
      const journal = journalOf(db, keeper);
      assert.equal((await journal.get("k-pool"))?.status, "sent");
      assert.deepEqual(await journal.recover(), found({ pending: 1 }));
      await rpc("hardhat_dropTransaction", [hash]);
      assert.equal(await nodeKnows(hash), false);
      assert.deepEqual(await journal.recover(), found({ rebroadcast: 1 }));
      assert.equal(await nodeKnows(hash), true);
      await rpc("evm_mine", []);
      assert.deepEqual(await journal.recover(), found({ mined: 1 }));
      assert.equal(await balanceOf(to), 9n);
    });
  });

  test("behind an RPC whose pending count ignores its pool, nonces come from the journal", TIMEOUT, async () => {
    const db = await suite.open();
    const keeper = await freshKeeper();
    const to = recipient();
    // Like providers that answer "pending" with the mined count (or a load balancer's other node).
    const lagging = createPublicClient({
      chain: hardhat,
      transport: custom({
        request: ({ method, params }) =>
          chain.keeper.public.request({
            method,
            params: method === "eth_getTransactionCount" ? [params[0], "latest"] : params,
          } as never),
      }),
    }) as PublicClient;
    await withoutAutomine(async () => {
      const journal = journalOf(db, keeper, undefined, lagging);
      await journal.sender("k-a")(mintRequest(keeper, to, 1n));
      await journal.sender("k-b")(mintRequest(keeper, to, 2n));
      assert.deepEqual([(await journal.get("k-a"))?.nonce, (await journal.get("k-b"))?.nonce], [0n, 1n]);
      await rpc("evm_mine", []);
      assert.deepEqual(await journal.recover(), found({ mined: 2 }));
      assert.equal(await balanceOf(to), 3n);
    });
  });

  test("a journaled transaction the node refuses holds back new ones until it can go out", TIMEOUT, async () => {
    const target = await suite.target();
    const keeper = await freshKeeper();
    const to = recipient();
    await runKeeper(target, keeper, "k-unpaid", "after-persist", "mint", to, 1n);
    await setBalance(keeper.account.address, 0n); // no gas money: the node refuses the rebroadcast

    await restarted(target, async (db) => {
      const log = recordingLog();
      const journal = journalOf(db, keeper, log);
      assert.deepEqual(await journal.recover(), found({ failed: 1 }));
      assert.equal((await journal.get("k-unpaid"))?.status, "signed");
      assert.match(log.errors[0]![0], /refused/);
      await assert.rejects(mint(keeper, journal, "k-next", to, 2n), /refuses an earlier journaled transaction/);
      assert.equal(await journal.get("k-next"), undefined, "nothing signed behind the gap");

      await setBalance(keeper.account.address, GAS_MONEY);
      await mint(keeper, journal, "k-next", to, 2n);
      assert.deepEqual(
        [(await journal.get("k-unpaid"))?.nonce, (await journal.get("k-next"))?.nonce],
        [0n, 1n],
      );
      assert.equal(await balanceOf(to), 3n);
    });
  });

  test("a journaled transaction that reverts once finally mined is marked reverted, not signed again", TIMEOUT, async () => {
    const target = await suite.target();
    const [keeper, owner] = [await freshKeeper(), await freshKeeper()];
    const to = recipient();
    const flock = chain.d.contracts.flock;
    await write(chain.keeper, flock, localTokenAbi, "mint", [owner.account.address, 10n]);
    await write(owner.clients, flock, localTokenAbi, "approve", [keeper.account.address, 10n]);
    await runKeeper(target, keeper, "k-pull", "after-persist", "transferFrom", owner.account.address, to, 10n);
    // The owner's FLOCK leaves before the keeper's transaction is broadcast: it will revert.
    await write(owner.clients, flock, localTokenAbi, "transfer", [recipient(), 10n]);

    await restarted(target, async (db) => {
      const journal = journalOf(db, keeper);
      assert.deepEqual(await journal.recover(), found({ rebroadcast: 1 }));
      assert.deepEqual(await journal.recover(), found({ reverted: 1 }));
      const pulled = (await journal.get("k-pull"))!;
      assert.equal(pulled.status, "reverted");
      const request = { address: flock, abi: localTokenAbi, functionName: "transferFrom", args: [owner.account.address, to, 10n], account: keeper.account };
      assert.equal(await journal.sender("k-pull")(request), pulled.hash);
      assert.equal(await minedNonce(keeper), 1);
      assert.equal(await balanceOf(to), 0n);
    });
  });
});
