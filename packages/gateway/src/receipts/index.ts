// Usage receipts: the gateway's signing key, the signer, the epoch usage trees and the receipts endpoint.
export { GATEWAY_KEY_FILE, loadGatewayKey, type GatewayKey } from "./key.ts";
export { ReceiptSigner, usageReceiptOf } from "./signer.ts";
export { EPOCH_GRACE_MS, EPOCH_MS, deploymentUsageOf, epochIsFinal, epochOfMs, epochUsage, type DeploymentUsage } from "./epoch.ts";
export { receiptRoutes, type ReceiptRoutesOptions } from "./routes.ts";
export { createReceiptSigner, findDeploymentsFile, receiptDomainFor, type ReceiptSetupOptions } from "./setup.ts";
