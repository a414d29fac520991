// The ledger's tables as Kysely sees them. Every integer column is BIGINT in SQL and bigint in TS on
// both databases (better-sqlite3 runs with safe integers, pg parses INT8 to BigInt), so the same query
// code gets the same types everywhere. Money is integer micro-USD; times are Unix epoch milliseconds.
import type { RewardRootStatus } from "@fomo/sdk";
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
  balance: bigint;
  held: bigint;
  created_at: Immutable<bigint>;
  /** Set when the account takes no new holds until an operator looks (a reorged deposit already spent). */
  locked_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** accountIdOf(id) (db/deposit-keys.ts): what a USDC deposit for this account names (0006, unique). */
  deposit_key: Immutable<string>;
  /** accountIdOf(name): a deposit may name the account by its name instead (0006, unique). */
  name_deposit_key: Immutable<string>;
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

// ------------------------------------------------------------------ read model (@fomo/engine)
// One row per chain event (never a running total), so a reorg undoes a table by deleting the rows
// above the common ancestor; the engine's queries aggregate at read time. A uint256 amount can pass
// 2^63, so amounts are decimal strings (exact integers, summed as bigint in the engine); block
// numbers, log indexes, epochs and timestamps fit BIGINT. Addresses and hashes are lower-case 0x hex.

/** A uint256 as its decimal digits (exact; never a float). */
export type Uint256Text = string;

/** Where a row's event sits on its chain: the primary key is (chain_id, block_number, log_index). */
export interface ChainEventColumns {
  chain_id: Immutable<bigint>;
  block_number: Immutable<bigint>;
  block_hash: Immutable<string>;
  tx_hash: Immutable<string>;
  log_index: Immutable<bigint>;
}

/** ModelTokenFactory.ModelTokenDeployed: which addresses are $MT tokens. */
export interface ModelTokensTable extends ChainEventColumns {
  token: Immutable<string>;
}

/** TemplateRegistry.TermsPublished: the curve and sale terms an offering runs on. */
export interface OfferingTermsTable extends ChainEventColumns {
  terms_id: Immutable<bigint>;
  template_id: Immutable<bigint>;
  virtual_flock: Immutable<Uint256Text>;
  virtual_mt: Immutable<Uint256Text>;
  raise_min: Immutable<Uint256Text>;
  raise_max: Immutable<Uint256Text>;
  fee_bps: Immutable<bigint>;
  snipe_fee_bps: Immutable<bigint>;
  snipe_decay_bps_per_minute: Immutable<bigint>;
}

/** Launchpad.Launched. */
export interface OfferingLaunchesTable extends ChainEventColumns {
  mt: Immutable<string>;
  creator: Immutable<string>;
  template_id: Immutable<bigint>;
  terms_id: Immutable<bigint>;
  name: Immutable<string>;
  ticker: Immutable<string>;
  model_id: Immutable<string>;
  metadata_uri: Immutable<string>;
  opens_at: Immutable<bigint>;
  /** The planned close, before any pause moved it. */
  closes_at: Immutable<bigint>;
}

/** Launchpad.Bought. */
export interface OfferingBuysTable extends ChainEventColumns {
  mt: Immutable<string>;
  buyer: Immutable<string>;
  flock_in: Immutable<Uint256Text>;
  net: Immutable<Uint256Text>;
  mt_out: Immutable<Uint256Text>;
  base_fee: Immutable<Uint256Text>;
  surcharge: Immutable<Uint256Text>;
  raised_after: Immutable<Uint256Text>;
}

/** Launchpad.Graduated, its GraduationResult flattened. */
export interface OfferingGraduationsTable extends ChainEventColumns {
  mt: Immutable<string>;
  pair: Immutable<string>;
  raised: Immutable<Uint256Text>;
  sold: Immutable<Uint256Text>;
  flock_to_pool: Immutable<Uint256Text>;
  mt_to_pool: Immutable<Uint256Text>;
  mt_burned: Immutable<Uint256Text>;
  flock_to_hosting: Immutable<Uint256Text>;
  flock_to_incentives: Immutable<Uint256Text>;
  mt_to_incentives: Immutable<Uint256Text>;
  mt_to_operator: Immutable<Uint256Text>;
  mt_to_treasury: Immutable<Uint256Text>;
  operator_vesting: Immutable<string>;
}

/** Launchpad.Refunded (a failed raise gives the FLOCK back). */
export interface OfferingRefundsTable extends ChainEventColumns {
  mt: Immutable<string>;
  account: Immutable<string>;
  flock_amount: Immutable<Uint256Text>;
}

/** Launchpad.Claimed ($MT of a graduated offering to a supporter). */
export interface OfferingClaimsTable extends ChainEventColumns {
  mt: Immutable<string>;
  account: Immutable<string>;
  mt_amount: Immutable<Uint256Text>;
}

/** Launchpad.FeesSettled and Launchpad.LaunchFeePaid, told apart by `kind`. */
export interface OfferingFeesTable extends ChainEventColumns {
  mt: Immutable<string>;
  kind: Immutable<"settled" | "launch">;
  /** The creator (settled) or the treasury (launch fee). */
  payee: Immutable<string>;
  /** Creator's share (settled) or the launch fee. */
  amount: Immutable<Uint256Text>;
  protocol_amount: Immutable<Uint256Text>;
  surcharge: Immutable<Uint256Text>;
}

/** Launchpad.Paused / Unpaused: the one clock every raise's window runs on. */
export interface LaunchpadPausesTable extends ChainEventColumns {
  kind: Immutable<"paused" | "unpaused">;
  account: Immutable<string>;
}

/** Transfer of an $MT token (mints from 0x0, burns to 0x0, the pair's share, holders). */
export interface MtTransfersTable extends ChainEventColumns {
  token: Immutable<string>;
  sender: Immutable<string>;
  recipient: Immutable<string>;
  value: Immutable<Uint256Text>;
}

/** UniswapV2Factory.PairCreated of an $MT/FLOCK or USDC/FLOCK pair. */
export interface DexPairsTable extends ChainEventColumns {
  pair: Immutable<string>;
  token0: Immutable<string>;
  token1: Immutable<string>;
  /** The side that is not FLOCK: the $MT, or USDC. */
  token: Immutable<string>;
}

/** UniswapV2Pair.Sync: the reserves after each change. */
export interface PoolSyncsTable extends ChainEventColumns {
  pair: Immutable<string>;
  reserve0: Immutable<Uint256Text>;
  reserve1: Immutable<Uint256Text>;
}

/** UniswapV2Pair.Swap. */
export interface PoolSwapsTable extends ChainEventColumns {
  pair: Immutable<string>;
  sender: Immutable<string>;
  recipient: Immutable<string>;
  amount0_in: Immutable<Uint256Text>;
  amount1_in: Immutable<Uint256Text>;
  amount0_out: Immutable<Uint256Text>;
  amount1_out: Immutable<Uint256Text>;
}

export type StakeEventKind = "staked" | "unstaked" | "withdrawn";

/** MtStaking.Staked / Unstaked / Withdrawn; `stake` is the checkpoint the event wrote (null for a withdrawal). */
export interface StakeEventsTable extends ChainEventColumns {
  mt: Immutable<string>;
  account: Immutable<string>;
  kind: Immutable<StakeEventKind>;
  amount: Immutable<Uint256Text>;
  stake: Immutable<Uint256Text | null>;
  release_at: Immutable<bigint | null>;
}

/** RevenueRouter.RevenueReported, its route flattened. */
export interface RevenueReportsTable extends ChainEventColumns {
  epoch: Immutable<bigint>;
  mt: Immutable<string>;
  gross: Immutable<Uint256Text>;
  usage_root: Immutable<string>;
  hard_cost: Immutable<Uint256Text>;
  mt_buyback: Immutable<Uint256Text>;
  issuer_yield: Immutable<Uint256Text>;
  flock_buyback: Immutable<Uint256Text>;
  treasury: Immutable<Uint256Text>;
}

/** BuybackExecutor.Funded (budget in) and BuybackExecuted (bought and burned), told apart by `kind`. */
export interface BuybacksTable extends ChainEventColumns {
  kind: Immutable<"funded" | "executed">;
  /** The $MT funded, or the token bought (an $MT or FLOCK). */
  target: Immutable<string>;
  /** executed: USDC spent; funded: the $MT budget. */
  spent: Immutable<Uint256Text>;
  /** executed: tokens bought and burned; funded: the FLOCK budget. */
  bought: Immutable<Uint256Text>;
  min_out: Immutable<Uint256Text>;
}

// The read model's records (@fomo/sdk readmodel.ts) name the statuses: the column stores the same ones.
export type { RewardRootStatus };

/** RewardsDistributor.RootPosted / RootActivated / RootSuperseded / RootVetoed. */
export interface RewardRootsTable extends ChainEventColumns {
  epoch: Immutable<bigint>;
  status: Immutable<RewardRootStatus>;
  root: Immutable<string>;
  content_hash: Immutable<string | null>;
  /** Emission of the root (posted, activated) or returned by a veto. */
  emitted: Immutable<Uint256Text | null>;
  live_at: Immutable<bigint | null>;
}

/** RewardsDistributor.Claimed and Allotted (`account` null for an allotment). */
export interface RewardClaimsTable extends ChainEventColumns {
  kind: Immutable<"claimed" | "allotted">;
  account: Immutable<string | null>;
  epoch: Immutable<bigint | null>;
  token: Immutable<string>;
  amount: Immutable<Uint256Text>;
  cumulative: Immutable<Uint256Text>;
}

/** GmFlock.Locked / Unlocked. */
export interface GmflockLocksTable extends ChainEventColumns {
  lock_id: Immutable<Uint256Text>;
  owner: Immutable<string>;
  kind: Immutable<"locked" | "unlocked">;
  amount: Immutable<Uint256Text>;
  gm: Immutable<Uint256Text>;
  unlock_at: Immutable<bigint | null>;
}

/** The read model's event tables, each as its Kysely type (engine/src/readmodel); block times and deposits are the indexer's chain_blocks and chain_deposits. */
export interface ReadModelSchema {
  model_tokens: ModelTokensTable;
  offering_terms: OfferingTermsTable;
  offering_launches: OfferingLaunchesTable;
  offering_buys: OfferingBuysTable;
  offering_graduations: OfferingGraduationsTable;
  offering_refunds: OfferingRefundsTable;
  offering_claims: OfferingClaimsTable;
  offering_fees: OfferingFeesTable;
  launchpad_pauses: LaunchpadPausesTable;
  mt_transfers: MtTransfersTable;
  dex_pairs: DexPairsTable;
  pool_syncs: PoolSyncsTable;
  pool_swaps: PoolSwapsTable;
  stake_events: StakeEventsTable;
  revenue_reports: RevenueReportsTable;
  buybacks: BuybacksTable;
  reward_roots: RewardRootsTable;
  reward_claims: RewardClaimsTable;
  gmflock_locks: GmflockLocksTable;
}

/** Wallets bound to accounts (their stakes earn the staker discount): a wallet has at most one account. */
export interface AccountWalletsTable {
  /** Lower-case 0x address. */
  wallet: Immutable<string>;
  account_id: Immutable<string>;
  bound_at: Immutable<bigint>;
  /** What proved control: `siwe:<keccak256 of the signed message>`, `cli` or `migrated`. */
  proof: Immutable<string>;
}

/** Sign-In with Ethereum nonces: issued by the server, used at most once, before expires_at. */
export interface SiweNoncesTable {
  nonce: Immutable<string>;
  issued_at: Immutable<bigint>;
  expires_at: Immutable<bigint>;
  used_at: bigint | null;
}

/** Platform sessions, found by the SHA-256 of their token (the token itself is stored nowhere). */
export interface SessionsTable {
  token_hash: Immutable<string>;
  account_id: Immutable<string>;
  /** The wallet that signed in. */
  wallet: Immutable<string>;
  created_at: Immutable<bigint>;
  expires_at: bigint;
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

/** A step of the keeper's epoch settlement (packages/engine/src/keeper), in order. */
export type KeeperStep = "closed" | "aggregated" | "reported" | "bought_back" | "rewarded" | "published";

/** The steps in order: an epoch's step is the last one it completed. */
export const KEEPER_STEPS: readonly KeeperStep[] = ["closed", "aggregated", "reported", "bought_back", "rewarded", "published"];

/** What became of one buyback: it ran, the executor refused it (rate limit, bounds: the budget carries), or none was due. */
export type KeeperBuybackStatus = "executed" | "refused" | "skipped";

/** One epoch the keeper settles: its last completed step, its error, and when each step completed (epoch ms). */
export interface KeeperEpochsTable {
  epoch: bigint;
  step: KeeperStep;
  /** The epoch's usage window [window_from, window_to), epoch ms. */
  window_from: bigint;
  window_to: bigint;
  /** Why the next step failed last (null once it passes). */
  error: string | null;
  error_at: bigint | null;
  closed_at: bigint;
  aggregated_at: bigint | null;
  reported_at: bigint | null;
  bought_back_at: bigint | null;
  rewarded_at: bigint | null;
  published_at: bigint | null;
  /** The first block the buyback step's executions can be in (the one after the head when it started). */
  buyback_from_block: bigint | null;
  flock_buyback_status: KeeperBuybackStatus | null;
  /** Stablecoin units spent, decimal string. */
  flock_buyback_spent: string | null;
  /** FLOCK wei burned, decimal string. */
  flock_buyback_burned: string | null;
  flock_buyback_tx: string | null;
  flock_buyback_note: string | null;
  /** keccak256 of the rewards input file (steps rewarded/published). */
  input_hash: string | null;
  rewards_root: string | null;
  root_tx: string | null;
  /** The first block the rewards step's pool releases can be in (0009). */
  release_from_block: bigint | null;
  /** The epoch's dust, carried to the next: canonical JSON of [{ token, amount }] (0009). */
  dust: string | null;
  /** Cumulative FLOCK emission of the epoch's root, wei, decimal string (0009). */
  emission_total: string | null;
}

/** An epoch's usage of one deployment (frozen at aggregation), its revenue report and its $MT buyback. */
export interface KeeperEpochDeploymentsTable {
  epoch: bigint;
  /** Checksummed $MT address; the zero address for the platform's base models (never reported). */
  deployment: string;
  records: bigint;
  /** micro-USD. */
  gross: bigint;
  hard_cost: bigint;
  net: bigint;
  usage_root: string;
  report_status: "pending" | "reported" | "skipped";
  report_note: string | null;
  /** Stablecoin units as reported, decimal strings. */
  report_gross: string | null;
  report_hard_cost: string | null;
  report_tx: string | null;
  reported_at: bigint | null;
  buyback_status: KeeperBuybackStatus | null;
  /** Stablecoin units spent, decimal string. */
  buyback_spent: string | null;
  /** $MT wei bought and burned, decimal string. */
  buyback_burned: string | null;
  buyback_tx: string | null;
  buyback_note: string | null;
  bought_back_at: bigint | null;
  /** IncentivePool.release of this $MT in the epoch's rewards step (0009): sent (or found on chain), or skipped (note says why). */
  release_status: "released" | "skipped" | null;
  /** $MT and FLOCK wei released, decimal strings. */
  release_mt: string | null;
  release_flock: string | null;
  release_tx: string | null;
  release_note: string | null;
}

/** One epoch's reward allotment to a ledger account in one token (the rewards step). */
export interface KeeperRewardsTable {
  epoch: bigint;
  account: string;
  token: string;
  /** null: no wallet bound yet (accrued until one is). */
  wallet: string | null;
  /** Token wei, decimal string. */
  amount: string;
}

/** One epoch's rewards input file: canonical JSON and keccak256 of its bytes. */
export interface KeeperInputsTable {
  epoch: bigint;
  content_hash: string;
  body: string;
  created_at: bigint;
}

/** What became of a journaled keeper transaction. */
export type KeeperTxStatus =
  | "signed" // persisted, maybe not broadcast yet
  | "sent" // broadcast, not seen mined yet
  | "mined" // mined and succeeded
  | "reverted" // mined and reverted
  | "replaced"; // its nonce was used by another transaction: it will never be mined (for an operator)

/** The keeper's transaction journal: each signed transaction, persisted before it is broadcast. */
export interface KeeperTransactionsTable {
  /** The action it performs, e.g. `epoch:12:report:0x…`: one transaction per key, ever. */
  key: Immutable<string>;
  chain_id: Immutable<bigint>;
  /** Lower-case 0x address of the signer. */
  account: Immutable<string>;
  nonce: Immutable<bigint>;
  /** The contract called (checksummed 0x address) and the function, for operators reading the table. */
  contract: Immutable<string>;
  function_name: Immutable<string>;
  /** The signed transaction (0x hex), as broadcast and rebroadcast. */
  raw: Immutable<string>;
  hash: Immutable<string>;
  status: KeeperTxStatus;
  /** The block it was mined in (mined or reverted). */
  block_number: ColumnType<bigint | null, bigint | null | undefined, bigint | null>;
  /** Epoch ms. */
  created_at: Immutable<bigint>;
  updated_at: bigint;
}

export interface Schema extends ReadModelSchema {
  keeper_epochs: KeeperEpochsTable;
  keeper_epoch_deployments: KeeperEpochDeploymentsTable;
  keeper_rewards: KeeperRewardsTable;
  keeper_inputs: KeeperInputsTable;
  keeper_transactions: KeeperTransactionsTable;
  account_wallets: AccountWalletsTable;
  siwe_nonces: SiweNoncesTable;
  sessions: SessionsTable;
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
export type AccountWalletRow = Selectable<AccountWalletsTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type CreditEntryRow = Selectable<CreditEntriesTable>;
export type HoldRow = Selectable<HoldsTable>;
export type NewHold = Insertable<HoldsTable>;
export type UsageRecordRow = Selectable<UsageRecordsTable>;
export type KeeperTransactionRow = Selectable<KeeperTransactionsTable>;
