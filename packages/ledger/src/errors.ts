// Typed ledger errors. The API layer maps them to OpenAI-shaped errors by `code` (e.g.
// insufficient_credits -> 402 with x-should-retry: false, unknown_key -> 401). Messages never
// contain an API key.

export type LedgerErrorCode =
  | "insufficient_credits"
  | "spend_cap_reached"
  | "key_revoked"
  | "unknown_key"
  | "unknown_account"
  | "account_exists"
  | "unknown_hold"
  | "duplicate_request"
  | "credit_ref_conflict"
  | "wallet_bound"
  | "invalid_argument";

export class LedgerError extends Error {
  readonly code: LedgerErrorCode;

  constructor(code: LedgerErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The account's available balance (balance - active holds) does not cover the hold. */
export class InsufficientCredits extends LedgerError {
  readonly available: bigint;
  readonly needed: bigint;

  constructor(available: bigint, needed: bigint) {
    super("insufficient_credits", `insufficient credits: ${needed} micro-USD needed, ${available} available`);
    this.available = available;
    this.needed = needed;
  }
}

/** The key's spend cap (settled + held + this hold) would be exceeded. */
export class SpendCapReached extends LedgerError {
  readonly cap: bigint;
  readonly remaining: bigint;
  readonly needed: bigint;

  constructor(cap: bigint, remaining: bigint, needed: bigint) {
    super("spend_cap_reached", `key spend cap reached: ${needed} micro-USD needed, ${remaining} of ${cap} left`);
    this.cap = cap;
    this.remaining = remaining;
    this.needed = needed;
  }
}

export class KeyRevoked extends LedgerError {
  readonly keyId: string;

  constructor(keyId: string) {
    super("key_revoked", `API key ${keyId} has been revoked`);
    this.keyId = keyId;
  }
}

/** No such key: malformed, never issued, or (by id) unknown. Deliberately says nothing more. */
export class UnknownKey extends LedgerError {
  constructor() {
    super("unknown_key", "invalid API key");
  }
}

export class UnknownAccount extends LedgerError {
  readonly account: string;

  constructor(account: string) {
    super("unknown_account", `unknown account ${account}`);
    this.account = account;
  }
}

export class AccountExists extends LedgerError {
  readonly accountName: string;

  constructor(accountName: string) {
    super("account_exists", `an account named ${accountName} already exists`);
    this.accountName = accountName;
  }
}

/** settle/checkpoint of a request that holds nothing (never reserved, or released). */
export class UnknownHold extends LedgerError {
  readonly requestId: string;

  constructor(requestId: string) {
    super("unknown_hold", `no hold for request ${requestId}`);
    this.requestId = requestId;
  }
}

/** reserve() with a request id already held or settled. */
export class DuplicateRequest extends LedgerError {
  readonly requestId: string;

  constructor(requestId: string) {
    super("duplicate_request", `request ${requestId} has already been reserved`);
    this.requestId = requestId;
  }
}

/** An external credit ref seen before with a different account or amount: a bug or a replay. */
export class CreditRefConflict extends LedgerError {
  readonly ref: string;

  constructor(ref: string) {
    super("credit_ref_conflict", `credit ref ${ref} was already applied with a different account or amount`);
    this.ref = ref;
  }
}

/** The wallet is bound to another account: a wallet's stake earns one account its discount. */
export class WalletBoundElsewhere extends LedgerError {
  readonly wallet: string;

  constructor(wallet: string) {
    super("wallet_bound", `wallet ${wallet} is already bound to another account`);
    this.wallet = wallet;
  }
}

/** A value the ledger refuses: a negative or oversized amount, a malformed wallet, an empty id… */
export class InvalidArgument extends LedgerError {
  constructor(message: string) {
    super("invalid_argument", message);
  }
}
