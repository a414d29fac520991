// What a verified Stripe event means for the ledger. Only a paid Checkout Session credits:
// `checkout.session.completed` with payment_status `paid` (cards), or
// `checkout.session.async_payment_succeeded` (bank debits and other delayed methods, whose
// `completed` event arrives `unpaid`). The credit's ref is the session id, so a session is credited
// at most once whichever of its events arrive, and however often (Stripe retries, replays): once per
// event id follows.
import { MICRO_USD_PER_USD } from "@fomo/sdk";
import type Stripe from "stripe";

/** Stripe counts US cents; credits are micro-USD: exact, no rounding. */
export const MICRO_USD_PER_CENT = MICRO_USD_PER_USD / 100n;

export type StripeCredit =
  | { credit: true; accountId: string; amount: bigint; ref: string; memo: string }
  | { credit: false; reason: string };

const CREDITING = new Set(["checkout.session.completed", "checkout.session.async_payment_succeeded"]);

export function creditOf(event: Stripe.Event): StripeCredit {
  if (!CREDITING.has(event.type)) return { credit: false, reason: `${event.type} does not credit` };
  const session = event.data.object as Stripe.Checkout.Session;
  if (session.payment_status !== "paid") return { credit: false, reason: `payment_status is ${session.payment_status}` };
  if (session.currency !== "usd") return { credit: false, reason: `currency ${String(session.currency)} is not usd` };
  const cents = session.amount_total;
  if (typeof cents !== "number" || !Number.isSafeInteger(cents) || cents <= 0) {
    return { credit: false, reason: `amount_total ${String(cents)} is not a positive integer of cents` };
  }
  const accountId = session.client_reference_id ?? session.metadata?.account_id ?? null;
  if (!accountId) return { credit: false, reason: "the session names no account" };
  const fromMetadata = session.metadata?.account_id;
  if (fromMetadata !== undefined && fromMetadata !== accountId) {
    return { credit: false, reason: "client_reference_id and metadata.account_id disagree" };
  }
  return {
    credit: true,
    accountId,
    amount: BigInt(cents) * MICRO_USD_PER_CENT,
    ref: `stripe:${session.id}`,
    memo: `Stripe ${event.type} ${event.id}`,
  };
}
