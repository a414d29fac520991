// Usage-receipt leaves hashed on worker threads. An epoch's settlement hashes every receipt of the
// epoch (EIP-712 struct hash, then the tree's double leaf hash: six keccaks each); on millions of
// receipts that is most of its time, and it parallelises perfectly, while reading the records stays
// on the calling thread. Each worker loads the WebAssembly keccak and answers a batch of receipts
// with their leaves packed 32 bytes each (transferred, not copied).
import { Worker } from "node:worker_threads";
import type { UsageReceipt } from "@fomo/sdk";

/** One batch to hash, answered by a HashedBatch of the same id. */
export interface HashBatch {
  id: number;
  receipts: UsageReceipt[];
}
export type HashedBatch = { id: number; leaves: Uint8Array } | { id: number; error: string };

export class LeafHasher {
  readonly #workers: Worker[];
  readonly #pending = new Map<number, { resolve: (leaves: Uint8Array) => void; reject: (error: Error) => void }>();
  #nextId = 0;
  #failed: Error | undefined;

  constructor(threads: number) {
    if (!Number.isSafeInteger(threads) || threads < 1) throw new RangeError("a leaf hasher needs at least one thread");
    this.#workers = Array.from({ length: threads }, () => {
      const worker = new Worker(new URL("./leaf-worker.ts", import.meta.url));
      worker.on("message", (answer: HashedBatch) => {
        const pending = this.#pending.get(answer.id)!;
        this.#pending.delete(answer.id);
        if ("leaves" in answer) pending.resolve(answer.leaves);
        else pending.reject(new Error(answer.error));
      });
      worker.on("error", (error) => this.#fail(error));
      worker.on("exit", (code) => code !== 0 && this.#fail(new Error(`a leaf-hashing thread exited (code ${code})`)));
      return worker;
    });
  }

  /** The receipts' leaves (usageReceiptLeafBytes), packed in order, 32 bytes each. */
  hash(receipts: UsageReceipt[]): Promise<Uint8Array> {
    if (this.#failed) return Promise.reject(this.#failed);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#workers[id % this.#workers.length]!.postMessage({ id, receipts } satisfies HashBatch);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  #fail(error: Error): void {
    this.#failed ??= error;
    for (const { reject } of this.#pending.values()) reject(error);
    this.#pending.clear();
  }
}
