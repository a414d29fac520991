// The keeper's transaction journal (issue 14 §1). A keeper transaction is signed, persisted with its
// nonce and raw bytes, and only then broadcast: a keeper killed at any point finds on restart every
// transaction it may have sent, asks the chain what became of it, and rebroadcasts the same bytes
// instead of signing the action a second time. viem's nonce manager lives in memory and forgets
// on restart, so nonces come from the journal and the chain instead.
import { isUniqueViolation, type Database, type KeeperTransactionRow, type KeeperTxStatus } from "@fomo/ledger";
import type { Sender, SendRequest } from "@fomo/sdk";
import {
  encodeFunctionData,
  getAddress,
  isAddressEqual,
  keccak256,
  parseTransaction,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
  type Address,
  type Hash,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
  type TransactionSerializable,
} from "viem";
import type { KeeperLog } from "./epochs.ts";

/** A journaled transaction. */
export interface JournaledTx {
  key: string;
  chainId: number;
  account: Address;
  nonce: bigint;
  contract: Address;
  functionName: string;
  raw: Hex;
  hash: Hash;
  status: KeeperTxStatus;
  /** The block it was mined in, once known (mined or reverted). */
  blockNumber: bigint | null;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
}

/** Crash tests stop the process at these points; nothing else should need them. */
export interface JournalHooks {
  /** After the signed transaction is persisted, before it is broadcast. */
  afterPersist?(tx: JournaledTx): unknown;
  /** After it is broadcast, before the journal marks it sent. */
  afterSend?(tx: JournaledTx): unknown;
}

export interface TxJournalOptions {
  db: Database;
  publicClient: PublicClient;
  /** The keeper's key: the journal signs with it itself, so it must hold the key (a LocalAccount). */
  account: LocalAccount;
  chainId: number;
  /** A replaced transaction and a refused rebroadcast are errors, for an operator. */
  log?: KeeperLog;
  hooks?: JournalHooks;
  /** Clock for created_at/updated_at, epoch ms. */
  now?: () => number;
}

/** What recover() found, one count per journaled transaction that was not known mined. */
export interface RecoverResult {
  mined: number;
  reverted: number;
  /** Known to the node, not mined yet. */
  pending: number;
  /** Unknown to the node, its nonce still free: broadcast again. */
  rebroadcast: number;
  /** Its nonce was used by another transaction: it will never be mined (logged as an error). */
  replaced: number;
  /** The node refused the rebroadcast (logged; retried on the next recover). */
  failed: number;
}

/** A key whose transaction lost its nonce to another one: the action was not done, an operator decides. */
export class JournaledTxReplacedError extends Error {
  readonly tx: JournaledTx;

  constructor(tx: JournaledTx) {
    super(
      `keeper transaction ${tx.key} (${tx.functionName} on ${tx.contract}, nonce ${tx.nonce}, tx ${tx.hash}) was replaced: ` +
        `another transaction of ${tx.account} used its nonce. It will never be mined; see docs/operations.md#keeper-transactions`,
    );
    this.name = "JournaledTxReplacedError";
    this.tx = tx;
  }
}

/** Signing attempts when another writer takes the nonce first (each attempt reads the nonces anew). */
const NONCE_ATTEMPTS = 5;
const UNSETTLED: readonly KeeperTxStatus[] = ["signed", "sent"];
const SILENT: KeeperLog = { info() {}, warn() {}, error() {} };

export class TxJournal {
  readonly #db: Database;
  readonly #client: PublicClient;
  readonly #account: LocalAccount;
  readonly #address: string;
  readonly #chainId: number;
  readonly #log: KeeperLog;
  readonly #hooks: JournalHooks;
  readonly #now: () => number;
  /**
   * One signing or recovery at a time in this process: transactions are broadcast in nonce order,
   * and a new one is never signed before the journal's unsettled ones were seen to (no nonce gap).
   */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: TxJournalOptions) {
    this.#db = options.db;
    this.#client = options.publicClient;
    this.#account = options.account;
    this.#address = options.account.address.toLowerCase();
    this.#chainId = options.chainId;
    this.#log = options.log ?? SILENT;
    this.#hooks = options.hooks ?? {};
    this.#now = options.now ?? Date.now;
  }

  /**
   * A Sender for the SDK's `write(…, { sender })` that performs the action named `key` at most once:
   * the first call signs, journals and broadcasts the transaction; any later call (this process or
   * after a restart) returns the journaled transaction's hash, broadcasting it again if the node lost it.
   */
  sender(key: string): Sender {
    return (request) => this.#exclusive(() => this.#send(key, request));
  }

  /** The journaled transaction of `key`, if any. */
  async get(key: string): Promise<JournaledTx | undefined> {
    const row = await this.#db.selectFrom("keeper_transactions").selectAll().where("key", "=", key).executeTakeFirst();
    return row && toTx(row);
  }

  /**
   * Settles every journaled transaction of this account and chain not known mined yet, in nonce
   * order: mined → mined/reverted; unknown to the node with its nonce still free → rebroadcast;
   * its nonce taken by another transaction → replaced, logged as an error for an operator. Run it
   * on start; sender() also runs it before signing anything new.
   */
  recover(): Promise<RecoverResult> {
    return this.#exclusive(() => this.#recover());
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #send(key: string, request: SendRequest): Promise<Hash> {
    const from = typeof request.account === "string" ? request.account : request.account.address;
    if (!isAddressEqual(from, this.#account.address)) {
      throw new Error(`keeper transaction ${key}: simulated as ${from}, but the journal signs as ${this.#account.address}`);
    }
    const data = encodeFunctionData({ abi: request.abi, functionName: request.functionName, args: request.args });
    const journaled = await this.get(key);
    if (journaled) return this.#resume(journaled, request.address, data);

    const unsettled = await this.#recover();
    if (unsettled.failed > 0) {
      // Anything signed now would queue behind that nonce and never be mined before it.
      throw new Error(
        `keeper transaction ${key} not signed: the node refuses an earlier journaled transaction of ${this.#account.address} (see the log); ` +
          "fix what it says (e.g. fund the account), then retry",
      );
    }
    for (let attempt = 1; ; attempt++) {
      const tx = await this.#sign(key, request, data);
      try {
        await this.#db.insertInto("keeper_transactions").values(toRow(tx)).execute();
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // The key: another writer journaled this action first, and its transaction is the one.
        const winner = await this.get(key);
        if (winner) return this.#resume(winner, request.address, data);
        // The nonce: another writer of this account took it; sign again with the next one.
        if (attempt === NONCE_ATTEMPTS) throw new Error(`keeper transaction ${key}: no free nonce after ${attempt} attempts`, { cause: error });
        continue;
      }
      // On SQLite a commit survives a crash of the process but not yet of the machine: the journal
      // must outlive any transaction it broadcasts.
      await this.#db.durable();
      await this.#hooks.afterPersist?.(tx);
      await this.#broadcast(tx);
      await this.#hooks.afterSend?.(tx);
      await this.#setStatus(tx, "sent", null);
      return tx.hash;
    }
  }

  /** Signs the call with the next nonce: past the journal's highest and the chain's pending count. */
  async #sign(key: string, request: SendRequest, data: Hex): Promise<JournaledTx> {
    const [highest, pending] = await Promise.all([
      this.#db
        .selectFrom("keeper_transactions")
        .select((eb) => eb.fn.max("nonce").as("nonce"))
        .where("chain_id", "=", BigInt(this.#chainId))
        .where("account", "=", this.#address)
        .executeTakeFirst(),
      this.#client.getTransactionCount({ address: this.#account.address, blockTag: "pending" }),
    ]);
    const journalNext = highest?.nonce == null ? 0n : BigInt(highest.nonce) + 1n;
    const nonce = journalNext > BigInt(pending) ? journalNext : BigInt(pending);
    const prepared = await this.#client.prepareTransactionRequest({
      account: this.#account,
      chain: null,
      chainId: this.#chainId,
      to: request.address,
      data,
      nonce: Number(nonce),
    });
    // As viem's sendTransaction does: the prepared request is what gets serialized and signed.
    const raw = await this.#account.signTransaction(prepared as TransactionSerializable);
    const now = this.#now();
    return {
      key,
      chainId: this.#chainId,
      account: this.#account.address,
      nonce,
      contract: getAddress(request.address),
      functionName: request.functionName,
      raw,
      hash: keccak256(raw),
      status: "signed",
      blockNumber: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  /** A key already journaled: its transaction's hash, once the chain knows it (never a second signature). */
  async #resume(tx: JournaledTx, to: Address, data: Hex): Promise<Hash> {
    this.#belongsHere(tx);
    const signed = parseTransaction(tx.raw);
    if (!signed.to || !isAddressEqual(signed.to, to) || signed.data !== data) {
      this.#log.warn("keeper journal: a key was asked for another call than the one journaled; the journaled one stands", {
        key: tx.key,
        journaled: `${tx.functionName} on ${tx.contract}`,
        hash: tx.hash,
      });
    }
    if (UNSETTLED.includes(tx.status)) {
      const outcome = await this.#settle(tx);
      if (outcome === "failed") throw new Error(`keeper transaction ${tx.key}: the node refused its rebroadcast (tx ${tx.hash})`);
      if (outcome === "replaced") tx = { ...tx, status: "replaced" };
    }
    if (tx.status === "replaced") throw new JournaledTxReplacedError(tx);
    return tx.hash;
  }

  async #recover(): Promise<RecoverResult> {
    const result: RecoverResult = { mined: 0, reverted: 0, pending: 0, rebroadcast: 0, replaced: 0, failed: 0 };
    const rows = await this.#db
      .selectFrom("keeper_transactions")
      .selectAll()
      .where("chain_id", "=", BigInt(this.#chainId))
      .where("account", "=", this.#address)
      .where("status", "in", UNSETTLED)
      .orderBy("nonce")
      .execute();
    for (const row of rows) result[await this.#settle(toTx(row))]++;
    if (rows.length > 0) this.#log.info("keeper journal: recovered", { ...result });
    return result;
  }

  /** What became of an unsettled transaction, recorded; rebroadcast when the node lost it and its nonce is free. */
  async #settle(tx: JournaledTx): Promise<keyof RecoverResult> {
    // The nonce before the receipt: a nonce used by then, with no receipt after, was not used by this transaction.
    const used = BigInt(await this.#client.getTransactionCount({ address: tx.account, blockTag: "latest" }));
    const receipt = await this.#receipt(tx.hash);
    if (receipt) {
      const status = receipt.status === "success" ? "mined" : "reverted";
      await this.#setStatus(tx, status, receipt.blockNumber);
      if (status === "reverted") this.#log.warn("keeper journal: transaction reverted on chain", describe(tx));
      return status;
    }
    if (tx.nonce < used) {
      await this.#setStatus(tx, "replaced", null);
      this.#log.error(
        "keeper journal: REPLACED — another transaction of the keeper's account used this nonce; the action was NOT done. An operator must check it (docs/operations.md#keeper-transactions)",
        describe(tx),
      );
      return "replaced";
    }
    if (await this.#known(tx.hash)) {
      if (tx.status === "signed") await this.#setStatus(tx, "sent", null);
      return "pending";
    }
    try {
      await this.#broadcast(tx);
    } catch (error) {
      this.#log.error("keeper journal: the node refused a rebroadcast", { ...describe(tx), error: String(error) });
      return "failed";
    }
    await this.#setStatus(tx, "sent", null);
    this.#log.info("keeper journal: rebroadcast", describe(tx));
    return "rebroadcast";
  }

  async #broadcast(tx: JournaledTx): Promise<void> {
    try {
      await this.#client.sendRawTransaction({ serializedTransaction: tx.raw });
    } catch (error) {
      // The same bytes already broadcast by another writer resuming this key: the node knows them.
      if (await this.#known(tx.hash)) return;
      throw error;
    }
  }

  async #receipt(hash: Hash): Promise<TransactionReceipt | undefined> {
    try {
      return await this.#client.getTransactionReceipt({ hash });
    } catch (error) {
      if (error instanceof TransactionReceiptNotFoundError) return undefined;
      throw error;
    }
  }

  async #known(hash: Hash): Promise<boolean> {
    try {
      await this.#client.getTransaction({ hash });
      return true;
    } catch (error) {
      if (error instanceof TransactionNotFoundError) return false;
      throw error;
    }
  }

  /** Moves an unsettled transaction on; a settled one stays as it is (another process may have settled it). */
  async #setStatus(tx: JournaledTx, status: KeeperTxStatus, blockNumber: bigint | null): Promise<void> {
    await this.#db
      .updateTable("keeper_transactions")
      .set({ status, block_number: blockNumber, updated_at: BigInt(this.#now()) })
      .where("key", "=", tx.key)
      .where("status", "in", status === "sent" ? ["signed"] : UNSETTLED)
      .execute();
  }

  #belongsHere(tx: JournaledTx): void {
    if (tx.chainId !== this.#chainId || tx.account.toLowerCase() !== this.#address) {
      throw new Error(
        `keeper transaction ${tx.key} was journaled by ${tx.account} on chain ${tx.chainId}, not ${this.#account.address} on chain ${this.#chainId}`,
      );
    }
  }
}

function describe(tx: JournaledTx): Record<string, unknown> {
  return { key: tx.key, nonce: tx.nonce.toString(), hash: tx.hash, call: `${tx.functionName} on ${tx.contract}`, account: tx.account };
}

function toRow(tx: JournaledTx) {
  return {
    key: tx.key,
    chain_id: BigInt(tx.chainId),
    account: tx.account.toLowerCase(),
    nonce: tx.nonce,
    contract: tx.contract,
    function_name: tx.functionName,
    raw: tx.raw,
    hash: tx.hash,
    status: tx.status,
    block_number: tx.blockNumber,
    created_at: BigInt(tx.createdAt),
    updated_at: BigInt(tx.updatedAt),
  };
}

function toTx(row: KeeperTransactionRow): JournaledTx {
  return {
    key: row.key,
    chainId: Number(row.chain_id),
    account: getAddress(row.account),
    nonce: BigInt(row.nonce),
    contract: row.contract as Address,
    functionName: row.function_name,
    raw: row.raw as Hex,
    hash: row.hash as Hash,
    status: row.status,
    blockNumber: row.block_number === null ? null : BigInt(row.block_number),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
