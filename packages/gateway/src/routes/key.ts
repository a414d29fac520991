// GET /v1/key (OpenRouter's name) and GET /v1/me: what the calling API key can see of itself, read
// only: its account's balance, holds and what is available, its own spend, holds and limits, its
// usage of the current UTC day, and how to top up. Read from the ledger at the request (not the
// authentication cache), so a balance just credited or charged shows at once.
// Money is integer micro-USD as decimal strings (`…_micro_usd`), as the platform API writes it;
// OpenRouter's `usage`, `limit` and `limit_remaining` are the same amounts in USD, as exact decimal
// strings rather than its floats.
import { formatMicroUsd } from "@fomo/sdk";
import type { FastifyPluginAsync } from "fastify";
import type { Ledger } from "@fomo/ledger";
import { TOP_UP } from "../errors/index.ts";

const DAY_MS = 86_400_000;

/** One key's usage records settled in [fromMs, toMs): exact integer sums (over the usage_by_key index). */
async function keyUsage(ledger: Ledger, keyId: string, fromMs: number, toMs: number) {
  const row = await ledger.db
    .selectFrom("usage_records")
    .where("key_id", "=", keyId)
    .where("created_at", ">=", BigInt(fromMs))
    .where("created_at", "<", BigInt(toMs))
    .select((eb) => [
      eb.fn.countAll<string | number | bigint>().as("requests"),
      eb.fn.sum<string | number | bigint | null>("input_tokens").as("input_tokens"),
      eb.fn.sum<string | number | bigint | null>("output_tokens").as("output_tokens"),
      eb.fn.sum<string | number | bigint | null>("price_charged").as("price_charged"),
    ])
    .executeTakeFirstOrThrow();
  // SUM over no rows is NULL.
  const total = (sum: string | number | bigint | null) => BigInt(sum ?? 0);
  return {
    requests: Number(row.requests),
    inputTokens: total(row.input_tokens),
    outputTokens: total(row.output_tokens),
    spend: total(row.price_charged),
  };
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const keyRoutes: FastifyPluginAsync = async (app) => {
  const { ledger, config } = app;
  const describeKey = async (keyId: string) => {
    const key = await ledger.keys.get(keyId);
    const now = config.now();
    const dayStart = now - (now % DAY_MS);
    const [account, today] = await Promise.all([ledger.accounts.get(key.accountId), keyUsage(ledger, key.id, dayStart, dayStart + DAY_MS)]);
    const remaining = key.spendCap === null ? null : key.spendCap - key.spent - key.held;
    return {
      data: {
        label: key.name ?? `${key.prefix}…`,
        usage: formatMicroUsd(key.spent),
        limit: key.spendCap === null ? null : formatMicroUsd(key.spendCap),
        limit_remaining: remaining === null ? null : formatMicroUsd(remaining > 0n ? remaining : 0n),
        is_free_tier: false,
        key: {
          id: key.id,
          prefix: key.prefix,
          name: key.name,
          created_at: new Date(key.createdAt).toISOString(),
          spent_micro_usd: key.spent.toString(),
          held_micro_usd: key.held.toString(),
          spend_cap_micro_usd: key.spendCap?.toString() ?? null,
          rate_limit: { requests_per_minute: key.rpmLimit, tokens_per_minute: key.tpmLimit },
        },
        account: {
          id: account.id,
          name: account.name,
          balance_micro_usd: account.balance.toString(),
          held_micro_usd: account.held.toString(),
          available_micro_usd: account.available.toString(),
          locked_reason: account.lockedReason,
        },
        usage_today: {
          date: isoDay(dayStart),
          requests: today.requests,
          prompt_tokens: today.inputTokens.toString(),
          completion_tokens: today.outputTokens.toString(),
          spend_micro_usd: today.spend.toString(),
        },
        top_up: TOP_UP,
      },
    };
  };
  for (const url of ["/v1/key", "/v1/me"]) app.get(url, async (request) => describeKey(request.apiKey!.id));
};
