// Usage receipts: the gateway's signing key, the signer and the epoch usage trees (the endpoint is routes/receipts.ts).
export { GATEWAY_KEY_FILE, loadGatewayKey, type GatewayKey } from "./key.ts";
export { ReceiptSigner, usageReceiptOf } from "./signer.ts";
export { EPOCH_GRACE_MS, EPOCH_MS, deploymentUsageOf, epochIsFinal, epochOfMs, epochUsage, type DeploymentUsage } from "./epoch.ts";
export { createReceiptSigner, findDeploymentsFile, receiptDomainFor, type ReceiptSetupOptions } from "./setup.ts";
