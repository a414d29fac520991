// Accounts, API keys, credits, holds and usage records: the gateway's money.
export * from "./ledger.ts";
export * from "./errors.ts";
export { KEY_PREFIX, displayPrefix, hashKey, isWellFormedKey } from "./keys.ts";
