// The account's credits: balance with the holds of requests in flight, the credit entries
// (deposits, usage, reversals), and how to buy more: USDC to the chain's CreditDeposits contract
// naming the account's deposit key, or a Stripe Checkout session (POST /billing/checkout).
import { accountIdOf } from "@fomo/sdk";
import type { FastifyPluginAsync } from "fastify";
import type { Address } from "viem";
import { pageOf, pageQueryProperties, type PageQuery } from "../pagination.ts";
import { requireSession } from "../session.ts";
import { iso, sessionRoute } from "./schemas.ts";

/** Where USDC deposits for credits go (the deployments file's). */
export interface DepositInstructions {
  chainId: number;
  creditDeposits: Address;
  usdc: Address;
  usdcDecimals: number;
}

export const creditRoutes: FastifyPluginAsync = async (app) => {
  const { ledger, deposits, billing } = app.platform;

  app.get("/account/credits", sessionRoute("credits", "Balance, holds in flight and what is available"), async (request) => {
    const session = await requireSession(request);
    const [account, holds] = await Promise.all([ledger.accounts.get(session.accountId), ledger.metering.listAccountHolds(session.accountId)]);
    return {
      balance_micro_usd: account.balance.toString(),
      held_micro_usd: account.held.toString(),
      available_micro_usd: account.available.toString(),
      locked_reason: account.lockedReason,
      holds: holds.map((h) => ({
        request_id: h.requestId,
        key_id: h.keyId,
        model_id: h.modelId,
        amount_micro_usd: h.amount.toString(),
        created_at: iso(h.createdAt),
      })),
    };
  });

  app.get<{ Querystring: PageQuery }>(
    "/account/credits/entries",
    sessionRoute("credits", "Credit entries (deposits, usage, reversals), newest first", {
      querystring: { type: "object", additionalProperties: false, properties: pageQueryProperties },
    }),
    async (request) => {
      const session = await requireSession(request);
      const entries = (await ledger.credits.listEntries(session.accountId)).reverse();
      const page = pageOf(entries, request.query);
      return {
        data: page.data.map((e) => ({
          id: e.id.toString(),
          kind: e.kind,
          amount_micro_usd: e.amount.toString(),
          balance_after_micro_usd: e.balanceAfter.toString(),
          ref: e.ref,
          memo: e.memo,
          created_at: iso(e.createdAt),
        })),
        next_cursor: page.next_cursor,
      };
    },
  );

  app.get("/account/credits/deposit", sessionRoute("credits", "How to buy credits: USDC deposit instructions, and whether card top-ups are on"), async (request) => {
    const session = await requireSession(request);
    return {
      usdc: deposits
        ? {
            chain_id: deposits.chainId,
            contract: deposits.creditDeposits,
            token: deposits.usdc,
            token_decimals: deposits.usdcDecimals,
            // CreditDeposits.deposit(accountId, amount): the indexer credits the account whose key this is.
            deposit_key: accountIdOf(session.accountId),
            call: "CreditDeposits.deposit(bytes32 deposit_key, uint256 amount) after approving the contract for amount",
            credits_per_unit: "1 USD of credits per 10^token_decimals units, rounded down to the micro-USD",
          }
        : null,
      card: billing ? { checkout: "POST /api/v1/billing/checkout", min_cents: billing.minCents, max_cents: billing.maxCents } : null,
    };
  });
};
