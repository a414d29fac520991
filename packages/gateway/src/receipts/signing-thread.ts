// Receipt signing off the event loop, opt-in (FOMO_RECEIPT_SIGNING_THREAD=1). A receipt costs
// ~0.13 ms of CPU (EIP-712 hashing, then secp256k1 in wasm): one worker thread does it instead of
// the event loop, which only pays for posting the receipts (~20-40 µs each, less under load:
// receipts settled in one turn of the loop travel as one batch) plus the thread's wake-ups, which on
// a 2-core host cost more than the signature saves. The worker is unref'd while idle: it never
// keeps a process alive.
import { Worker } from "node:worker_threads";
import type { UsageReceipt, UsageReceiptDomain } from "@fomo/sdk";
import type { Hex } from "viem";

/** One message to the worker: receipts to sign, answered in order by a SignedBatch of the same id. */
export interface SignBatch {
  id: number;
  receipts: UsageReceipt[];
}
export interface SignedBatch {
  id: number;
  results: ({ signature: Hex } | { error: string })[];
}

interface Pending {
  receipt: UsageReceipt;
  resolve: (signature: Hex) => void;
  reject: (error: Error) => void;
}

export class SigningThread {
  readonly #worker: Worker;
  #queue: Pending[] = [];
  readonly #inFlight = new Map<number, Pending[]>();
  #nextId = 0;
  #flushing = false;
  /** Why the thread can sign no more (closed, or the worker died); undefined while it can. */
  #stopped: Error | undefined;

  constructor(privateKey: Hex, domain: UsageReceiptDomain) {
    this.#worker = new Worker(new URL("./signing-worker.ts", import.meta.url), { workerData: { privateKey, domain } });
    this.#worker.on("message", ({ id, results }: SignedBatch) => {
      const batch = this.#inFlight.get(id)!;
      this.#inFlight.delete(id);
      if (this.#inFlight.size === 0) this.#worker.unref();
      results.forEach((result, i) => {
        if ("signature" in result) batch[i]!.resolve(result.signature);
        else batch[i]!.reject(new Error(result.error));
      });
    });
    this.#worker.on("error", (error) => this.#stop(error));
    this.#worker.on("exit", (code) => this.#stop(new Error(`the receipt signing thread exited (code ${code})`)));
    // After the listeners: adding a "message" listener refs the worker again.
    this.#worker.unref();
  }

  /** False once closed or dead: sign elsewhere then. */
  get usable(): boolean {
    return this.#stopped === undefined;
  }

  /** The receipt's signature, as signUsageReceipt gives it; rejects with its error (bad receipt, dead thread). */
  sign(receipt: UsageReceipt): Promise<Hex> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    return new Promise((resolve, reject) => {
      this.#queue.push({ receipt, resolve, reject });
      if (this.#flushing) return;
      this.#flushing = true;
      // After the current turn of the loop: everything settled in it goes as one message.
      setImmediate(() => this.#flush());
    });
  }

  async close(): Promise<void> {
    this.#stop(new Error("the receipt signing thread is closed"));
    await this.#worker.terminate();
  }

  #flush(): void {
    this.#flushing = false;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0 || this.#stopped) return;
    const id = this.#nextId++;
    this.#inFlight.set(id, batch);
    this.#worker.ref(); // a receipt being signed keeps the process alive, like any pending I/O
    this.#worker.postMessage({ id, receipts: batch.map((p) => p.receipt) } satisfies SignBatch);
  }

  #stop(error: Error): void {
    if (this.#stopped) return;
    this.#stopped = error;
    for (const pending of [...this.#queue, ...[...this.#inFlight.values()].flat()]) pending.reject(error);
    this.#queue = [];
    this.#inFlight.clear();
    this.#worker.unref();
  }
}
