// The receipt-signing thread's code (signing-thread.ts starts it): signs batches of receipts with
// the very function the event loop would use (signUsageReceipt), so signatures are identical.
import { parentPort, workerData } from "node:worker_threads";
import { signUsageReceipt, type UsageReceipt, type UsageReceiptDomain } from "@fomo/sdk";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { SignBatch, SignedBatch } from "./signing-thread.ts";

const { privateKey, domain } = workerData as { privateKey: Hex; domain: UsageReceiptDomain };
const account = privateKeyToAccount(privateKey);

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
