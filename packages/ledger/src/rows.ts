// Rows to the ledger's public shapes: snake_case columns to camelCase fields, integer columns that
// are counts or times (not money) to numbers. Money stays bigint.
import type { PriceTerms } from "@fomo/sdk";
import type { AccountRow, ApiKeyRow, CreditEntryRow, HoldRow, UsageRecordRow } from "./db/schema.ts";
import type { Account } from "./accounts.ts";
import type { ApiKey } from "./api-keys.ts";
import type { CreditEntry } from "./credits.ts";
import type { Hold } from "./metering.ts";
import type { UsageRecord } from "./usage.ts";

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    name: row.name,
    balance: row.balance,
    held: row.held,
    available: row.balance - row.held,
    lockedReason: row.locked_reason,
    createdAt: Number(row.created_at),
  };
}

export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    accountId: row.account_id,
    prefix: row.prefix,
    name: row.name,
    spendCap: row.spend_cap,
    spent: row.spent,
    held: row.held,
    rpmLimit: row.rpm_limit === null ? null : Number(row.rpm_limit),
    tpmLimit: row.tpm_limit === null ? null : Number(row.tpm_limit),
    createdAt: Number(row.created_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}

export function toCreditEntry(row: CreditEntryRow): CreditEntry {
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind,
    amount: row.amount,
    balanceAfter: row.balance_after,
    ref: row.ref,
    memo: row.memo,
    createdAt: Number(row.created_at),
  };
}

export function toPriceTerms(row: HoldRow): PriceTerms {
  return {
    pricing: {
      inputPrice: row.input_price,
      outputPrice: row.output_price,
      inputMinPrice: row.input_min_price,
      outputMinPrice: row.output_min_price,
      inputCost: row.input_cost,
      outputCost: row.output_cost,
    },
    discountBps: Number(row.discount_bps),
  };
}

export function toHold(row: HoldRow): Hold {
  return {
    requestId: row.request_id,
    accountId: row.account_id,
    keyId: row.key_id,
    instanceId: row.instance_id,
    amount: row.amount,
    modelId: row.model_id,
    deployment: row.deployment,
    terms: toPriceTerms(row),
    checkpoint:
      row.checkpointed_at === null
        ? null
        : { inputTokens: row.checkpoint_input_tokens ?? 0n, outputTokens: row.checkpoint_output_tokens ?? 0n },
    createdAt: Number(row.created_at),
  };
}

export function toUsageRecord(row: UsageRecordRow): UsageRecord {
  return {
    requestId: row.request_id,
    accountId: row.account_id,
    keyId: row.key_id,
    modelId: row.model_id,
    deployment: row.deployment,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    listPrice: row.list_price,
    discountBps: Number(row.discount_bps),
    priceCharged: row.price_charged,
    hardCost: row.hard_cost,
    source: row.usage_source,
    finishReason: row.finish_reason,
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
    createdAt: Number(row.created_at),
    receiptSignature: row.receipt_signature,
  };
}
