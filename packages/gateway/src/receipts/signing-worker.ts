// The receipt-signing thread's code (signing-thread.ts starts it): signs batches of receipts with
// the very function the event loop would use (signUsageReceipt), over libsecp256k1 in wasm
// (wasm-signer.ts): the same bytes as viem's signer, in a third of the time.
import { parentPort, workerData } from "node:worker_threads";
import { signUsageReceipt, type UsageReceipt, type UsageReceiptDomain } from "@fomo/sdk";
import type { Hex } from "viem";
import type { SignBatch, SignedBatch } from "./signing-thread.ts";
import { wasmSigner } from "./wasm-signer.ts";

const { privateKey, domain } = workerData as { privateKey: Hex; domain: UsageReceiptDomain };
const account = wasmSigner(privateKey);

parentPort!.on("message", async ({ id, receipts }: SignBatch) => {
  const results = await Promise.all(
    receipts.map((receipt: UsageReceipt) =>
      signUsageReceipt(account, domain, receipt).then(
        (signature) => ({ signature }),
        (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
      ),
    ),
  );
  parentPort!.postMessage({ id, results } satisfies SignedBatch);
});
