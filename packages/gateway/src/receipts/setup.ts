// The receipt signer of a gateway process: its key (FOMO_GATEWAY_KEY or the data dir) and its
// domain (the RevenueRouter and chain of the deployments file, when the gateway has one).
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { usageReceiptDomain, type Deployments, type UsageReceiptDomain } from "@fomo/sdk";
import { readDeployments } from "@fomo/sdk/node";
import type { Logger } from "pino";
import { loadGatewayKey } from "./key.ts";
import { ReceiptSigner } from "./signer.ts";
import { wasmSigner } from "./wasm-signer.ts";

export interface ReceiptSetupOptions {
  dataDir: string;
  /** FOMO_GATEWAY_KEY: a 0x private key; else the data dir's key (generated on first start). */
  envKey?: string;
  /**
   * The deployments (file or contents) the gateway serves from; else the only file in
   * `<dataDir>/deployments/` (where `fomo up` writes it), if any.
   */
  deployments?: string | Deployments;
  logger: Logger;
  /**
   * Sign receipts on a worker thread instead of the event loop (default no; the gateway process
   * passes FOMO_RECEIPT_SIGNING_THREAD). In wasm a signature takes ~0.13 ms of the event loop, less
   * than the thread hop costs in CPU (wake-ups, messages) on a 2-core host (bench/gateway).
   */
  signingThread?: boolean;
}

/** The deployments file receipts are bound to, or undefined when there is none (or no single one). */
export function findDeploymentsFile(dataDir: string, explicit?: string): string | undefined {
  if (explicit) return explicit;
  const dir = join(dataDir, "deployments");
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  return files.length === 1 ? join(dir, files[0]!) : undefined;
}

export function receiptDomainFor(file: string | undefined): UsageReceiptDomain {
  return usageReceiptDomain(file === undefined ? undefined : readDeployments(file));
}

export function createReceiptSigner({
  dataDir,
  envKey,
  deployments,
  logger,
  signingThread = false,
}: ReceiptSetupOptions): ReceiptSigner {
  const key = loadGatewayKey({ dataDir, ...(envKey === undefined ? {} : { envKey }) });
  const file = typeof deployments === "object" ? undefined : findDeploymentsFile(dataDir, deployments);
  const bound = typeof deployments === "object" ? deployments : file === undefined ? undefined : readDeployments(file);
  const domain = usageReceiptDomain(bound);
  const signer = new ReceiptSigner(wasmSigner(key.privateKey), domain, {
    onError: (err, record) => logger.error({ err, requestId: record.requestId }, "could not sign a usage receipt"),
    ...(signingThread ? { threadKey: key.privateKey } : {}),
  });
  // The address only: the key never reaches a log.
  logger.info({ signer: signer.address, keySource: key.source, domain, deployments: file ?? null, signingThread: signer.threaded }, "usage receipts");
  if (!bound) logger.warn("no deployments file: usage receipts are not bound to a RevenueRouter (unbound EIP-712 domain)");
  return signer;
}
