// The ledger database: one schema on SQLite or PostgreSQL, versioned migrations.
export * from "./database.ts";
export * from "./schema.ts";
export * from "./durability.ts";
export * from "./checkpointer.ts";
export * from "./group-transactions.ts";
export { accountDepositKeys, type AccountDepositKeys } from "./deposit-keys.ts";
export { LATEST_MIGRATION, migrateToLatest, migrator } from "./migrations.ts";
