// Usage receipts: the gateway's signing key, the signer and the epoch usage trees (the endpoint is routes/receipts.ts).
export { GATEWAY_KEY_FILE, loadGatewayKey, type GatewayKey } from "./key.ts";
export { ReceiptSigner } from "./signer.ts";
export { deploymentUsageOf, usageReceiptOf, type DeploymentUsage } from "@fomo/ledger";
export { epochIsFinal, epochOfMs, epochUsage } from "./epoch.ts";
export { createReceiptSigner, findDeploymentsFile, receiptDomainFor, type ReceiptSetupOptions } from "./setup.ts";
