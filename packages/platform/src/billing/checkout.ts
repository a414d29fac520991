// Creating a Stripe Checkout Session for a credit top-up. The platform talks to Stripe only through
// CheckoutSessions; the real one is the `stripe` npm client (tests point it at a local server that
// speaks Stripe's HTTP API). The account id goes into the session both as client_reference_id and as
// metadata: the webhook credits the account the session names, so nothing the browser sends later
// can redirect the money.
import { createHash } from "node:crypto";
import type Stripe from "stripe";

export interface CheckoutRequest {
  accountId: string;
  /** US cents, a positive integer. */
  amountCents: number;
  successUrl: string;
  cancelUrl: string;
  /** Stripe's `idempotencyKey`: a request repeating one already made gets that session back. */
  idempotencyKey: string;
}

export interface CreatedCheckout {
  id: string;
  /** Where the browser pays. */
  url: string;
}

export interface CheckoutSessions {
  create(request: CheckoutRequest): Promise<CreatedCheckout>;
}

/** A POST without an Idempotency-Key header repeats the same top-up within this window (epoch-aligned). */
export const CHECKOUT_RETRY_WINDOW_MS = 60_000;

/**
 * The idempotency key of a top-up request: the account and amount, and the client's own
 * Idempotency-Key header when it sends one (one per top-up it means), else the retry window the
 * request falls in. Hashed with the account so that no two accounts ever share a key (Stripe keys are
 * per Stripe account: a shared one would hand one user another's session).
 */
export function checkoutIdempotencyKey(request: { accountId: string; amountCents: number; clientKey: string | undefined; now: number }): string {
  const scope = request.clientKey !== undefined ? `client:${request.clientKey}` : `window:${Math.floor(request.now / CHECKOUT_RETRY_WINDOW_MS)}`;
  const digest = createHash("sha256").update(JSON.stringify([request.accountId, request.amountCents, scope])).digest("hex");
  return `fomo-checkout-${digest}`;
}

export function stripeCheckoutSessions(stripe: Stripe): CheckoutSessions {
  return {
    async create({ accountId, amountCents, successUrl, cancelUrl, idempotencyKey }) {
      const session = await stripe.checkout.sessions.create(
        {
          mode: "payment",
          client_reference_id: accountId,
          metadata: { account_id: accountId },
          line_items: [
            { quantity: 1, price_data: { currency: "usd", unit_amount: amountCents, product_data: { name: "FOMO inference credits" } } },
          ],
          success_url: successUrl,
          cancel_url: cancelUrl,
        },
        // The client's own retries (maxNetworkRetries) and a browser's repeated POST reuse one key.
        { idempotencyKey },
      );
      if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
      return { id: session.id, url: session.url };
    },
  };
}
