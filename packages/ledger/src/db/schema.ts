// The ledger's tables as Kysely sees them. Every integer column is BIGINT in SQL and bigint in TS on
// both databases (better-sqlite3 runs with safe integers, pg parses INT8 to BigInt), so the same query
// code gets the same types everywhere. Money is integer micro-USD; times are Unix epoch milliseconds.
import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

/** A column that is written once and never updated. */
type Immutable<T> = ColumnType<T, T, never>;

/** Who a usage record's token counts come from (anchors-inference.md §2.1). */
export type UsageSource =
  | "tokenizer" // our own model's tokenizer, at generation time: authoritative
  | "upstream" // the usage report of an OpenAI-compatible upstream
  | "estimate" // neither was available (e.g. an upstream that never reported usage)
  | "checkpoint"; // settled by reconcile() from the last checkpoint of a crashed process

export const USAGE_SOURCES: readonly UsageSource[] = ["tokenizer", "upstream", "estimate", "checkpoint"];

export type CreditKind =
  | "deposit" // credits bought: a USDC deposit or a Stripe payment, idempotent by its external ref
  | "usage" // a settled request, ref = request id
  | "reversal"; // a USDC deposit a chain reorg removed, taken back (ref = the deposit's ref)

export const CREDIT_KINDS: readonly CreditKind[] = ["deposit", "usage", "reversal"];

/** Teams: they own keys and a balance. `held` is the sum of their active holds (kept in step in SQL). */
export interface AccountsTable {
  id: Immutable<string>;
  name: string;
  /** Wallet bound to the account: its stake earns the staker discount. Lower-case 0x address. */
  wallet: string | null;
  balance: bigint;
  held: bigint;
  created_at: Immutable<bigint>;
  /** Set when the account takes no new holds until an operator looks (a reorged deposit already spent). */
  locked_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ApiKeysTable {
  id: Immutable<string>;
  account_id: Immutable<string>;
  /** Hex SHA-256 of the whole key: the raw key is never stored. */
  hash: Immutable<string>;
  /** The first characters of the key, shown in listings. */
  prefix: Immutable<string>;
  name: string | null;
  /** Most this key may ever spend (settled + held), or null for no cap. */
  spend_cap: bigint | null;
  spent: bigint;
  held: bigint;
  rpm_limit: bigint | null;
  tpm_limit: bigint | null;
  created_at: Immutable<bigint>;
  revoked_at: bigint | null;
}

/** Append-only (enforced by triggers): the balance is their running sum. */
export interface CreditEntriesTable {
  id: Generated<bigint>;
  account_id: Immutable<string>;
  kind: Immutable<CreditKind>;
  /** Signed: deposits are positive, usage negative (or zero for a free request). */
  amount: Immutable<bigint>;
  balance_after: Immutable<bigint>;
  /** External ref of a deposit (USDC deposit id, Stripe event id) or the request id of a usage entry. */
  ref: Immutable<string>;
  memo: Immutable<string | null>;
  created_at: Immutable<bigint>;
}

/**
 * Money set aside for a request in flight. It carries a snapshot of the price terms, so a settle,
 * or a reconcile after a crash, prices the request exactly as it was admitted.
 */
export interface HoldsTable {
  request_id: Immutable<string>;
  account_id: Immutable<string>;
  key_id: Immutable<string>;
  /** The gateway process that owns the hold; reconcile(instanceId) cleans up after it. */
  instance_id: Immutable<string>;
  amount: Immutable<bigint>;
  model_id: Immutable<string>;
  /** $MT address of the deployment, or 'platform' for a base model. */
  deployment: Immutable<string>;
  input_price: Immutable<bigint>;
  output_price: Immutable<bigint>;
  input_min_price: Immutable<bigint>;
  output_min_price: Immutable<bigint>;
  input_cost: Immutable<bigint>;
  output_cost: Immutable<bigint>;
  discount_bps: Immutable<bigint>;
  checkpoint_input_tokens: bigint | null;
  checkpoint_output_tokens: bigint | null;
  checkpointed_at: bigint | null;
  created_at: Immutable<bigint>;
}

/** One row per settled request (append-only; only a missing receipt signature may be filled in). */
export interface UsageRecordsTable {
  request_id: Immutable<string>;
  account_id: Immutable<string>;
  key_id: Immutable<string>;
  model_id: Immutable<string>;
  deployment: Immutable<string>;
  input_tokens: Immutable<bigint>;
  output_tokens: Immutable<bigint>;
  /** Undiscounted price of the tokens, rounded up to the micro-USD. */
  list_price: Immutable<bigint>;
  discount_bps: Immutable<bigint>;
  price_charged: Immutable<bigint>;
  /** Tokens x the hosting tier's cost, rounded up. */
  hard_cost: Immutable<bigint>;
  usage_source: Immutable<UsageSource>;
  finish_reason: Immutable<string | null>;
  latency_ms: Immutable<bigint | null>;
  created_at: Immutable<bigint>;
  /** EIP-712 usage receipt signature (hex), filled in once by the API layer. */
  receipt_signature: string | null;
}

/** A block whose logs were indexed (chain_id and block_number as in every chain table). */
export interface ChainBlocksTable {
  chain_id: bigint;
  block_number: bigint;
  block_hash: string;
  parent_hash: string;
  /** Unix seconds. */
  timestamp: bigint;
}

/** The indexer's position per source (a contract it follows); every source of a chain moves together. */
export interface ChainCursorsTable {
  chain_id: bigint;
  /** "launchpad", "mt:0x…", "pair:0x…"… */
  source: string;
  /** Lower-case 0x address. */
  address: string;
  kind: string;
  /** Block of the event that revealed the source; null for a contract of the deployments file. */
  discovered_at: bigint | null;
  /** First block not indexed yet. */
  next_block: bigint;
  /** Hash of block next_block - 1 as indexed (null before the first range). */
  tip_hash: string | null;
  last_reorg_ancestor: bigint | null;
  last_reorg_depth: bigint | null;
  /** Epoch ms. */
  last_reorg_at: bigint | null;
}

/** Every protocol event indexed, decoded; args is canonical JSON (sorted keys, integers as decimal strings). */
export interface ChainLogsTable {
  chain_id: bigint;
  block_number: bigint;
  block_hash: string;
  tx_hash: string;
  log_index: bigint;
  address: string;
  event_name: string;
  args: string;
}

/** CreditDeposits.Deposited events; account_id null when no ledger account matched (unclaimed). */
export interface ChainDepositsTable {
  chain_id: bigint;
  block_number: bigint;
  block_hash: string;
  tx_hash: string;
  log_index: bigint;
  deposit_id: string;
  /** The event's bytes32 account id. */
  account_key: string;
  depositor: string;
  /** USDC units, decimal string. */
  amount: string;
  /** Credits bought: the amount in micro-USD, rounded down. */
  micro_usd: bigint;
  account_id: string | null;
}

/** A credited deposit that a reorg removed: reversed, or (already spent) its account locked. */
export interface ReorgedDepositsTable {
  /** deposit:<chainId>:<txHash>:<logIndex> */
  deposit_key: string;
  /** The credit entry's ref (the deposit key, with :n after n earlier reversals). */
  credit_ref: string;
  account_id: string;
  amount: bigint;
  outcome: "reversed" | "locked";
  created_at: bigint;
}

export interface Schema {
  chain_blocks: ChainBlocksTable;
  chain_cursors: ChainCursorsTable;
  chain_logs: ChainLogsTable;
  chain_deposits: ChainDepositsTable;
  reorged_deposits: ReorgedDepositsTable;
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  credit_entries: CreditEntriesTable;
  holds: HoldsTable;
  usage_records: UsageRecordsTable;
}

export type AccountRow = Selectable<AccountsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type CreditEntryRow = Selectable<CreditEntriesTable>;
export type HoldRow = Selectable<HoldsTable>;
export type NewHold = Insertable<HoldsTable>;
export type UsageRecordRow = Selectable<UsageRecordsTable>;
