// Accounts, API keys, credits, holds and usage records: the gateway's money.
export * from "./ledger.ts";
export * from "./errors.ts";
export { KEY_PREFIX, displayPrefix, hashKey, isWellFormedKey } from "./keys.ts";
export { STALE_HOLD_SWEEP_DEFAULTS, startStaleHoldSweep, type StaleHoldSweep, type StaleHoldSweepOptions } from "./sweep.ts";
