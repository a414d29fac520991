// A leaf-hashing thread (leaf-hasher.ts starts it): the SDK's usageReceiptLeafBytes over each batch,
// on the WebAssembly keccak.
import { parentPort } from "node:worker_threads";
import { loadFastKeccak, usageReceiptLeafBytes } from "@fomo/sdk";
import type { HashBatch, HashedBatch } from "./leaf-hasher.ts";

await loadFastKeccak();

parentPort!.on("message", ({ id, receipts }: HashBatch) => {
  try {
    const leaves = new Uint8Array(receipts.length * 32);
    receipts.forEach((receipt, i) => leaves.set(usageReceiptLeafBytes(receipt), i * 32));
    parentPort!.postMessage({ id, leaves } satisfies HashedBatch, [leaves.buffer]);
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies HashedBatch);
  }
});
