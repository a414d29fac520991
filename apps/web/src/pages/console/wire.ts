// The account routes' JSON as the console reads it (docs/platform-api.md, "Account routes"): money
// in micro-USD as decimal strings (BigInt them, never Number), account times ISO-8601.
import type { Address, Decimal, Hex } from "../../lib/wire.ts";

/** POST /auth/nonce. */
export interface NonceView {
  nonce: string;
  expires_at: string;
}

/** POST /auth/verify. */
export interface SignedInView {
  account_id: string;
  wallet: string;
  expires_at: string;
}

/** GET /account. */
export interface AccountView {
  id: string;
  name: string;
  /** Lower-case address the session was signed in with. */
  signed_in_wallet: string;
  balance_micro_usd: Decimal;
  held_micro_usd: Decimal;
  available_micro_usd: Decimal;
  wallets: Array<{ address: string; bound_at: string | null }>;
}

/** One API key (GET /account/keys, /account/keys/{id}; never its secret). */
export interface KeyView {
  id: string;
  name: string | null;
  /** The key's first characters, to recognise it. */
  prefix: string;
  spend_cap_micro_usd: Decimal | null;
  spent_micro_usd: Decimal;
  held_micro_usd: Decimal;
  rpm_limit: number | null;
  tpm_limit: number | null;
  created_at: string;
  revoked_at: string | null;
}

/** POST /account/keys: the full key, in this one answer only. */
export interface CreatedKeyView {
  key: KeyView;
  secret: string;
}

/** A key's limits as POST and PATCH take them: null removes a limit (PATCH), absent keeps it. */
export interface KeyLimitsBody {
  spend_cap_micro_usd?: Decimal | null;
  rpm_limit?: number | null;
  tpm_limit?: number | null;
}

export interface CreateKeyBody extends KeyLimitsBody {
  name?: string;
}

/** GET /account/credits. */
export interface CreditsView {
  balance_micro_usd: Decimal;
  held_micro_usd: Decimal;
  available_micro_usd: Decimal;
  /** Why the account cannot spend (an operator locked it), or null. */
  locked_reason: string | null;
  holds: Array<{ request_id: string; key_id: string; model_id: string; amount_micro_usd: Decimal; created_at: string | null }>;
}

export type CreditKind = "deposit" | "usage" | "reversal";

/** GET /account/credits/entries (newest first). */
export interface CreditEntryView {
  id: string;
  kind: CreditKind;
  /** Signed: usage and reversals are negative. */
  amount_micro_usd: Decimal;
  balance_after_micro_usd: Decimal;
  /** A USDC deposit's is `deposit:<chain id>:<tx hash>:<log index>`; a card top-up's `stripe:<session>`. */
  ref: string | null;
  memo: string | null;
  created_at: string | null;
}

/** GET /account/credits/deposit: how to buy credits. */
export interface DepositInfoView {
  usdc: {
    chain_id: number;
    contract: Address;
    token: Address;
    token_decimals: number;
    /** accountIdOf(account id): the bytes32 CreditDeposits.deposit names the account by. */
    deposit_key: Hex;
  } | null;
  card: { checkout: string; min_cents: number; max_cents: number } | null;
}

/** POST /billing/checkout. */
export interface CheckoutView {
  checkout_session_id: string;
  url: string;
}

/** GET /account/usage: one settled request. */
export interface UsageRecordView {
  request_id: string;
  key_id: string;
  model_id: string;
  deployment: string;
  input_tokens: Decimal;
  output_tokens: Decimal;
  list_price_micro_usd: Decimal;
  discount_bps: number;
  price_charged_micro_usd: Decimal;
  usage_source: string;
  finish_reason: string | null;
  latency_ms: number | null;
  created_at: string;
}

/** GET /account/usage/daily: one UTC day × key × model (oldest day first). */
export interface UsageDayView {
  /** YYYY-MM-DD (UTC). */
  day: string;
  key_id: string;
  model_id: string;
  requests: number;
  input_tokens: Decimal;
  output_tokens: Decimal;
  list_price_micro_usd: Decimal;
  price_charged_micro_usd: Decimal;
}

/** The usage routes' filters (the same on the logs, the daily sums and the CSV). */
export interface UsageFilters {
  key_id?: string;
  model?: string;
  /** ISO-8601, inclusive. */
  since?: string;
  /** ISO-8601, exclusive. */
  until?: string;
}
