// Creating a Stripe Checkout Session for a credit top-up. The platform talks to Stripe only through
// CheckoutSessions; the real one is the `stripe` npm client (tests point it at a local server that
// speaks Stripe's HTTP API). The account id goes into the session both as client_reference_id and as
// metadata: the webhook credits the account the session names, so nothing the browser sends later
// can redirect the money.
import type Stripe from "stripe";

export interface CheckoutRequest {
  accountId: string;
  /** US cents, a positive integer. */
  amountCents: number;
  successUrl: string;
  cancelUrl: string;
}

export interface CreatedCheckout {
  id: string;
  /** Where the browser pays. */
  url: string;
}

export interface CheckoutSessions {
  create(request: CheckoutRequest): Promise<CreatedCheckout>;
}

export function stripeCheckoutSessions(stripe: Stripe): CheckoutSessions {
  return {
    async create({ accountId, amountCents, successUrl, cancelUrl }) {
      const session = await stripe.checkout.sessions.create({
        mode: "payment",
        client_reference_id: accountId,
        metadata: { account_id: accountId },
        line_items: [
          { quantity: 1, price_data: { currency: "usd", unit_amount: amountCents, product_data: { name: "FOMO inference credits" } } },
        ],
        success_url: successUrl,
        cancel_url: cancelUrl,
      });
      if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
      return { id: session.id, url: session.url };
    },
  };
}
