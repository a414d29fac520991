// @fomo/ledger: the database layer and the credit ledger (accounts, API keys, credits, metering,
// usage records) on SQLite or PostgreSQL. Gateway, engine and platform write money only through it.
export * from "./db/index.ts";
export { Ledger, type LedgerOptions } from "./ledger.ts";
export type { Account, Accounts } from "./accounts.ts";
export type { ApiKey, ApiKeys, AuthenticatedKey, CreatedKey, CreateKeyRequest, KeyLimits } from "./api-keys.ts";
export type { AddCreditsRequest, AddCreditsResult, CreditEntry, Credits, ReorgedDeposit } from "./credits.ts";
export {
  INTERRUPTED, type Hold, type Metering, type ReconcileResult, type ReserveRequest, type Seal, type SettleOptions,
  type SettleUsage,
} from "./metering.ts";
export type { AccountSpend, AccountUsageFilter, DailyUsage, UsagePosition, UsageRecord, UsageRecords } from "./usage.ts";
export { normaliseWallet, type BindWalletRequest, type WalletBinding, type Wallets } from "./wallets.ts";
export type { IssuedNonce, SiweNonces } from "./siwe-nonces.ts";
export type { CreatedSession, Session, Sessions } from "./sessions.ts";
export * from "./errors.ts";
export { KEY_PREFIX, displayPrefix, hashKey, isWellFormedKey } from "./keys.ts";
export {
  SIGN_IN_SWEEP_DEFAULTS,
  STALE_HOLD_SWEEP_DEFAULTS,
  startSignInSweep,
  startStaleHoldSweep,
  type PeriodicSweep,
  type SignInSweepOptions,
  type StaleHoldSweep,
  type StaleHoldSweepOptions,
  type SweepLogger,
} from "./sweep.ts";
export {
  aggregateWindow, deploymentUsageOf, receiptDeploymentOf, usageByDeployment, usageReceiptOf, windowUsage,
  type AggregateOptions, type DeploymentAggregate, type DeploymentUsage,
} from "./usage-trees.ts";
