// The chain indexer: follows every protocol event by polling getLogs over block ranges (never
// filter-based watchEvent, whose server-side filters get lost), stores each decoded log with its
// block, and applies the read model's projections in the same transaction that advances the cursor.
// Only blocks at least `confirmations` deep are read; a reorg shallower than that is found when the
// chain's block at the cursor no longer has the hash indexed (or a new range's first block no longer
// has it as parent): everything above the common ancestor is deleted, in one transaction, and read again.
import { Ledger, type Database } from "@fomo/ledger";
import { canonicalJson, type Deployments } from "@fomo/sdk";
import { getAddress, type Address, type Block, type Hex, type Log, type PublicClient } from "viem";
import { depositsProjection } from "./deposits.ts";
import type { IndexedLog, Projection } from "./projection.ts";
import { decodeLog, deployedSources, revealedSources, type Source, type SourceKind } from "./sources.ts";
import * as store from "./store.ts";
import { readModelProjections } from "../readmodel/projections.ts";
import { writerLock, type WriterLock } from "./writer-lock.ts";

export interface IndexerLog {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

export interface IndexerOptions {
  db: Database;
  client: PublicClient;
  deployments: Deployments;
  /** Blocks below the head a block must be to be read (0 on a local chain). Default 0. */
  confirmations?: number;
  /** Most blocks per getLogs; halved while the provider refuses a range as too large. Default 2,000. */
  maxRange?: number;
  /** Wait between polls once caught up, ms. Default 1,000. */
  pollMs?: number;
  log?: IndexerLog;
  /** The projections after the USDC deposits' (which always runs first); default: the read model's. */
  projections?: readonly Projection[];
  /** Clock for the reorg records, epoch ms. */
  now?: () => number;
}

export interface SourceStatus {
  source: string;
  kind: string;
  address: string;
  /** Last block indexed (next - 1). */
  indexedTo: bigint;
  /** The chain's head when asked (undefined without a client). */
  head: bigint | undefined;
  /** Blocks between the head and the last block indexed. */
  lag: bigint | undefined;
  lastReorg: { ancestor: bigint; depth: bigint; at: number } | null;
}

export interface SyncResult {
  /** Range read and stored, if any. */
  range?: { from: bigint; to: bigint; logs: number };
  reorg?: { ancestor: bigint; depth: bigint };
  /** Nothing left to read below head - confirmations. */
  caughtUp: boolean;
}

const SILENT: IndexerLog = { info() {}, warn() {}, error() {} };

/** Largest address list per getLogs call. */
const ADDRESSES_PER_CALL = 1_000;
/** Logs per batch the range adapts to: about 4 MB of JSON, under viem's 10 MB response limit. */
const LOGS_PER_BATCH = 4_000;
/** The first range: small, so that a busy chain's first response is not huge; sparse chains double it per range. */
const FIRST_RANGE = 16n;
/** Stored blocks compared per step of the walk back to the common ancestor. */
const ANCESTOR_PAGE = 32;

class RaceDuringRead extends Error {}

export class Indexer {
  readonly #db: Database;
  readonly #client: PublicClient;
  readonly #d: Deployments;
  readonly #chainId: number;
  readonly #confirmations: bigint;
  readonly #maxRange: bigint;
  readonly #pollMs: number;
  readonly #log: IndexerLog;
  readonly #projections: readonly Projection[];
  readonly #now: () => number;
  readonly #lock: WriterLock;
  #range: bigint;
  /** Largest range to grow back to: maxRange, lowered by a provider's refusals. */
  #ceiling: bigint;
  #sources: Map<Address, Source> | undefined;
  #prefetched: { from: bigint; to: bigint; read: Promise<Batch | "reorg"> } | undefined;
  readonly #checksums = new Map<Address, Address>();
  #stopped = true;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(options: IndexerOptions) {
    this.#db = options.db;
    this.#client = options.client;
    this.#d = options.deployments;
    this.#chainId = options.deployments.chainId;
    this.#confirmations = BigInt(options.confirmations ?? 0);
    this.#maxRange = BigInt(options.maxRange ?? 2_000);
    if (this.#maxRange < 1n || this.#confirmations < 0n) throw new RangeError("maxRange must be at least 1 and confirmations not negative");
    this.#range = min(FIRST_RANGE, this.#maxRange);
    this.#ceiling = this.#maxRange;
    this.#pollMs = options.pollMs ?? 1_000;
    this.#log = options.log ?? SILENT;
    this.#now = options.now ?? Date.now;
    const deposits = depositsProjection({ ledger: new Ledger(options.db), deployments: options.deployments, log: this.#log });
    this.#projections = [deposits, ...(options.projections ?? readModelProjections(options.deployments.contracts))];
    this.#lock = writerLock(options.db, this.#chainId);
  }

  /** Index in the background until stop(), once this instance holds the chain's writer lock. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#loop;
    this.#loop = undefined;
  }

  async #run(): Promise<void> {
    const stopped = () => this.#stopped;
    while (!this.#stopped) {
      if (!(await this.#lock.acquire(stopped, this.#pollMs))) return;
      this.#log.info("indexer: writer lock held", { chainId: this.#chainId });
      try {
        await this.#indexWhileHeld();
      } finally {
        await this.#lock.release();
      }
    }
  }

  /** Index until stopped or the lock is lost (then another instance may be the writer). */
  async #indexWhileHeld(): Promise<void> {
    while (!this.#stopped) {
      if (!(await this.#lock.check())) {
        this.#log.warn("indexer: writer lock lost, waiting to take it again", { chainId: this.#chainId });
        return;
      }
      let idle = false;
      try {
        idle = (await this.syncOnce()).caughtUp;
      } catch (error) {
        this.#log.error("indexer: sync failed, retrying", { error: String(error) });
        idle = true;
      }
      if (idle) await this.#sleep(this.#pollMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * One step: look for a reorg at the cursor, then read and store the next range (up to maxRange
   * blocks, never above head - confirmations). The caller must be the chain's only writer (start()
   * takes the lock; tests call this directly).
   */
  async syncOnce(): Promise<SyncResult> {
    const sources = await this.#ensureSources();
    const [cursor] = await store.cursors(this.#db, this.#chainId);
    if (!cursor) throw new Error("no cursor after adding the sources");
    const next = cursor.next_block;
    const head = await this.#client.getBlockNumber({ cacheTime: 0 });
    if (cursor.tip_hash !== null) {
      const tip = await this.#blockOrNull(next - 1n);
      if (tip?.hash !== cursor.tip_hash) return { reorg: await this.#rewind(next - 1n), caughtUp: false };
    }
    const safe = head - this.#confirmations;
    if (next > safe) return { caughtUp: true };
    for (;;) {
      const prefetched = this.#prefetched;
      this.#prefetched = undefined;
      const reuse = prefetched !== undefined && prefetched.from === next && prefetched.to <= safe;
      const to = reuse ? prefetched.to : min(next + this.#range - 1n, safe);
      try {
        const read = reuse ? await prefetched.read : await this.#read(next, to, sources, cursor.tip_hash);
        if (read === "reorg") return { reorg: await this.#rewind(next - 1n), caughtUp: false };
        this.#range = this.#nextRange(to - next + 1n, read.logs.length);
        if (to < safe) this.#prefetch(to + 1n, min(to + this.#range, safe), sources, read);
        try {
          await this.#write(read);
        } catch (error) {
          this.#prefetched = undefined;
          throw error;
        }
        return { range: { from: next, to, logs: read.logs.length }, caughtUp: to >= safe };
      } catch (error) {
        this.#range = to - next + 1n; // what was asked, when the density had set another
        if (error instanceof RaceDuringRead) continue;
        if (this.#range > 1n && isTooManyLogs(error)) {
          // Busy blocks, not a rule of the provider: a quarter of the range, and the density sets the next.
          this.#range = max(this.#range / 4n, 1n);
          continue;
        }
        if (this.#range > 1n && isRangeRefusal(error)) {
          // The provider's limit: never ask that much again (this process).
          this.#ceiling = min(this.#ceiling, this.#range - 1n);
          this.#range = this.#range / 2n;
          this.#log.warn("indexer: getLogs range refused, halving", { range: Number(this.#range) });
          continue;
        }
        throw error;
      }
    }
  }

  /**
   * Backfill overlaps reading the next range with writing this one: the read checks that its first
   * block continues `after`'s last, so it is valid once `after` is committed (and dropped otherwise).
   */
  #prefetch(from: bigint, to: bigint, sources: Map<Address, Source>, after: Batch): void {
    const known = new Map(sources);
    for (const source of after.revealed) known.set(source.address, source);
    const read = this.#read(from, to, known, after.tipHash);
    read.catch(() => {}); // its error, if any, is met when (and if) it is used
    this.#prefetched = { from, to, read };
  }

  /**
   * The next range from the last one's density: about LOGS_PER_BATCH logs (a batch is one response,
   * one transaction and held in memory), growing at most twofold, never past the ceiling.
   */
  #nextRange(span: bigint, logs: number): bigint {
    const grown = min(span * 2n, this.#ceiling);
    if (logs === 0) return grown;
    return max(1n, min(grown, (span * BigInt(LOGS_PER_BATCH)) / BigInt(logs)));
  }

  /** Per source: cursor, head, lag and last reorg. */
  async status(): Promise<SourceStatus[]> {
    return indexerStatus(this.#db, this.#chainId, await this.#client.getBlockNumber({ cacheTime: 0 }));
  }

  async #ensureSources(): Promise<Map<Address, Source>> {
    if (!this.#sources) {
      const deployed = await deployedSources(this.#client, this.#d);
      await this.#db.transaction().execute((trx) => store.addSources(trx, this.#chainId, deployed, BigInt(this.#d.startBlock), null));
    }
    // Reload every time: a reorg may have dropped revealed sources, another writer may have added some.
    const rows = await store.cursors(this.#db, this.#chainId);
    this.#sources = new Map(
      rows.map((r) => [r.address as Address, { name: r.source, kind: r.kind as SourceKind, address: r.address as Address, discoveredAt: r.discovered_at }]),
    );
    return this.#sources;
  }

  async #read(from: bigint, to: bigint, known: Map<Address, Source>, tipHash: string | null): Promise<Batch | "reorg"> {
    const toBefore = await this.#block(to);
    const sources = new Map(known);
    const revealed: Source[] = [];
    const logs: IndexedLog[] = [];
    const rows: store.LogRow[] = [];
    const seen = new Set<string>();
    let pending: { addresses: Address[]; from: bigint } | undefined = { addresses: [...sources.keys()], from };
    while (pending) {
      const raw = await this.#getLogs(pending.addresses, pending.from, to);
      pending = undefined;
      for (const log of raw) {
        const source = sources.get(log.address.toLowerCase() as Address);
        const id = `${log.blockNumber}:${log.logIndex}`;
        if (!source || seen.has(id)) continue;
        seen.add(id);
        const decoded = decodeLog(source.kind, log);
        if (!decoded) continue;
        const indexed: IndexedLog = {
          chainId: this.#chainId,
          blockNumber: log.blockNumber!,
          blockHash: log.blockHash!,
          txHash: log.transactionHash!,
          logIndex: log.logIndex!,
          address: this.#checksummed(log.address),
          eventName: decoded.eventName,
          args: decoded.args,
        };
        logs.push(indexed);
        for (const found of revealedSources(source.kind, decoded.eventName, decoded.args, indexed.blockNumber)) {
          if (sources.has(found.address)) continue;
          sources.set(found.address, found);
          revealed.push(found);
          // A new contract's own events of this range, from the block that revealed it (its
          // constructor's events come before the revealing event in that very transaction).
          pending ??= { addresses: [], from: indexed.blockNumber };
          pending.addresses.push(found.address);
          pending.from = min(pending.from, indexed.blockNumber);
        }
      }
    }
    logs.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
    for (const l of logs) {
      rows.push({
        blockNumber: l.blockNumber, blockHash: l.blockHash, txHash: l.txHash, logIndex: l.logIndex,
        address: l.address.toLowerCase(), eventName: l.eventName, args: canonicalJson(l.args),
      });
    }
    const numbers = [...new Set(logs.map((l) => l.blockNumber))];
    const [first, ...headers] = await Promise.all([this.#block(from), ...numbers.map((n) => this.#block(n))]);
    const toAfter = await this.#block(to);
    const byNumber = new Map(headers.map((b) => [b.number, b]));
    const consistent = toAfter.hash === toBefore.hash && logs.every((l) => byNumber.get(l.blockNumber)?.hash === l.blockHash);
    if (!consistent) throw new RaceDuringRead();
    // The range must continue the chain indexed so far.
    if (tipHash !== null && first.parentHash !== tipHash) return "reorg";
    return { from, to, tipHash: toAfter.hash, logs, rows, blocks: [...byNumber.values()], revealed };
  }

  /** EIP-55 costs a keccak: once per source, not once per log. */
  #checksummed(address: Address): Address {
    let checksummed = this.#checksums.get(address);
    if (checksummed === undefined) this.#checksums.set(address, (checksummed = getAddress(address)));
    return checksummed;
  }

  async #write(batch: Batch): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await store.insertBlocks(trx, this.#chainId, batch.blocks);
      await store.insertLogs(trx, this.#chainId, batch.rows);
      await store.addSources(trx, this.#chainId, batch.revealed, batch.from, null);
      for (const log of batch.logs) for (const projection of this.#projections) await projection.apply(trx, log);
      await store.advance(trx, this.#chainId, batch.to + 1n, batch.tipHash);
    });
    // A credited deposit acknowledged is a deposit kept (power cut included).
    await this.#db.durable();
  }

  /** Finds the common ancestor below `tip` and forgets everything above it, in one transaction. */
  async #rewind(tip: bigint): Promise<{ ancestor: bigint; depth: bigint }> {
    let ancestor = BigInt(this.#d.startBlock) - 1n;
    let ancestorHash: string | null = null;
    let below = tip;
    search: for (;;) {
      const stored = await store.blocksBelow(this.#db, this.#chainId, below, ANCESTOR_PAGE);
      if (stored.length === 0) break;
      const onChain = await Promise.all(stored.map((b) => this.#blockOrNull(b.number)));
      for (const [i, b] of stored.entries()) {
        if (onChain[i]?.hash === b.hash) {
          ancestor = b.number;
          ancestorHash = b.hash;
          break search;
        }
      }
      below = stored[stored.length - 1]!.number - 1n;
    }
    return this.#forgetAbove(ancestor, ancestorHash, tip - ancestor);
  }

  /**
   * Forgets everything above `ancestor` as a reorg does (the projections' rows, deposits taken back)
   * so that the next syncs read those blocks again: for re-projecting a range after a projection
   * changed, and for tests. The caller must be the chain's only writer.
   */
  async rewindTo(ancestor: bigint): Promise<{ ancestor: bigint; depth: bigint }> {
    const [cursor] = await store.cursors(this.#db, this.#chainId);
    if (!cursor || ancestor >= cursor.next_block - 1n) return { ancestor, depth: 0n };
    const hash = ancestor < BigInt(this.#d.startBlock) ? null : ((await this.#blockOrNull(ancestor))?.hash ?? null);
    return this.#forgetAbove(ancestor, hash, cursor.next_block - 1n - ancestor);
  }

  async #forgetAbove(ancestor: bigint, ancestorHash: string | null, depth: bigint): Promise<{ ancestor: bigint; depth: bigint }> {
    this.#prefetched = undefined; // read on top of what is being forgotten
    const tables = this.#projections.flatMap((p) => p.tables);
    await this.#db.transaction().execute(async (trx) => {
      for (const projection of this.#projections) await projection.rollback?.(trx, { chainId: this.#chainId, ancestor });
      await store.rewind(trx, this.#chainId, { ancestor, ancestorHash, depth, at: BigInt(this.#now()) }, tables);
    });
    await this.#db.durable();
    this.#log.warn("indexer: chain reorganised, rows above the common ancestor deleted", {
      chainId: this.#chainId, ancestor: ancestor.toString(), depth: depth.toString(),
    });
    return { ancestor, depth };
  }

  async #getLogs(addresses: readonly Address[], fromBlock: bigint, toBlock: bigint): Promise<Log[]> {
    const calls: Promise<Log[]>[] = [];
    for (let i = 0; i < addresses.length; i += ADDRESSES_PER_CALL) {
      calls.push(this.#client.getLogs({ address: addresses.slice(i, i + ADDRESSES_PER_CALL) as Address[], fromBlock, toBlock }));
    }
    return (await Promise.all(calls)).flat();
  }

  async #block(number: bigint): Promise<store.BlockRow> {
    const block = await this.#blockOrNull(number);
    if (!block) throw new RaceDuringRead(); // the head went down meanwhile (a reorg to a shorter chain)
    return block;
  }

  async #blockOrNull(number: bigint): Promise<store.BlockRow | null> {
    if (number < 0n) return null;
    let block: Block | null;
    try {
      block = await this.#client.getBlock({ blockNumber: number });
    } catch (error) {
      if ((error as Error).name === "BlockNotFoundError") return null;
      throw error;
    }
    return { number, hash: block.hash!, parentHash: block.parentHash, timestamp: block.timestamp };
  }
}

interface Batch {
  from: bigint;
  to: bigint;
  tipHash: Hex;
  logs: IndexedLog[];
  rows: store.LogRow[];
  blocks: store.BlockRow[];
  revealed: Source[];
}

/** Each source's cursor and last reorg, read from the database; lag when the head is given. */
export async function indexerStatus(db: Database, chainId: number, head?: bigint): Promise<SourceStatus[]> {
  const rows = await store.cursors(db, chainId);
  return rows.map((r) => {
    const indexedTo = r.next_block - 1n;
    return {
      source: r.source,
      kind: r.kind,
      address: r.address,
      indexedTo,
      head,
      lag: head === undefined ? undefined : head > indexedTo ? head - indexedTo : 0n,
      lastReorg:
        r.last_reorg_ancestor === null
          ? null
          : { ancestor: r.last_reorg_ancestor, depth: r.last_reorg_depth ?? 0n, at: Number(r.last_reorg_at ?? 0n) },
    };
  });
}

/** A provider refusing a getLogs range as too large or too slow (wording differs by provider). */
function isRangeRefusal(error: unknown): boolean {
  const text = `${(error as Error)?.message ?? ""} ${(error as { details?: string })?.details ?? ""}`.toLowerCase();
  return /range|too large|too many|limit|exceed|timeout|timed out|10000|query returned more/.test(text);
}

/** viem's answer to a response over its size limit (10 MB by default): too many logs in the range. */
function isTooManyLogs(error: unknown): boolean {
  return (error as Error)?.name === "ResponseBodyTooLargeError" || /response body exceeded the size limit/i.test(String((error as Error)?.message));
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);
