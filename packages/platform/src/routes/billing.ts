// POST /billing/checkout (a Stripe Checkout Session for a top-up) and POST /billing/stripe/webhook
// (Stripe's events, verified on the raw body; a paid session credits its account once).
import { CreditRefConflict, UnknownAccount } from "@fomo/ledger";
import type { FastifyPluginAsync } from "fastify";
import { checkoutIdempotencyKey } from "../billing/checkout.ts";
import { creditOf } from "../billing/webhook.ts";
import { PlatformError } from "../errors.ts";
import { requireSession } from "../session.ts";
import { sessionRoute } from "./schemas.ts";

/** Stripe's own limit on idempotency keys. */
const MAX_IDEMPOTENCY_KEY = 255;

export const billingRoutes: FastifyPluginAsync = async (app) => {
  const { ledger } = app.platform;
  const billing = app.platform.billing!;

  app.post<{ Body: { amount_cents: number } }>(
    "/billing/checkout",
    sessionRoute("credits", "A Stripe Checkout session for a card top-up (Idempotency-Key header optional)", {
      body: {
        type: "object",
        required: ["amount_cents"],
        additionalProperties: false,
        properties: { amount_cents: { type: "integer", minimum: billing.minCents, maximum: billing.maxCents } },
      },
    }),
    async (request) => {
      const session = await requireSession(request);
      const clientKey = request.headers["idempotency-key"];
      if (clientKey !== undefined && (typeof clientKey !== "string" || clientKey.length === 0 || clientKey.length > MAX_IDEMPOTENCY_KEY)) {
        throw new PlatformError(400, "invalid_request", `Idempotency-Key must be one header of 1 to ${MAX_IDEMPOTENCY_KEY} characters.`);
      }
      const amountCents = request.body.amount_cents;
      const created = await billing.checkout.create({
        accountId: session.accountId,
        amountCents,
        successUrl: billing.successUrl,
        cancelUrl: billing.cancelUrl,
        idempotencyKey: checkoutIdempotencyKey({ accountId: session.accountId, amountCents, clientKey, now: app.platform.now() }),
      });
      return { checkout_session_id: created.id, url: created.url };
    },
  );

  // The signature covers the exact bytes Stripe sent: this route alone keeps the body as a Buffer.
  await app.register(async (webhook) => {
    webhook.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
    // Stripe's events can exceed the API's 64 KiB body limit (a session's line items, metadata).
    // No session and no CSRF header: Stripe's signature authenticates the request (csrf.ts).
    const options = { bodyLimit: 1024 * 1024, config: { csrf: false }, schema: { tags: ["billing"], summary: "Stripe's webhook (signed events)" } };
    webhook.post("/billing/stripe/webhook", options, async (request) => {
      const raw = request.body;
      const header = request.headers["stripe-signature"];
      if (!Buffer.isBuffer(raw) || typeof header !== "string") {
        throw new PlatformError(400, "invalid_webhook", "Expected a JSON body with a Stripe-Signature header.");
      }
      let event;
      try {
        event = billing.stripe.webhooks.constructEvent(raw, header, billing.webhookSecret, billing.toleranceSeconds, undefined, app.platform.now());
      } catch (error) {
        // Stripe's own message may quote the end of our signing secret: answer and log our own words only.
        const stale = error instanceof Error && /tolerance/i.test(error.message);
        request.log.warn({ stale }, "Stripe webhook refused");
        throw new PlatformError(400, "invalid_webhook", stale ? "Stripe signature timestamp outside the tolerance." : "Invalid Stripe signature.");
      }
      const credit = creditOf(event);
      if (!credit.credit) {
        request.log.info({ event: event.id, type: event.type, reason: credit.reason }, "Stripe event not credited");
        return { received: true, credited: false };
      }
      try {
        const { applied } = await ledger.credits.add({ accountId: credit.accountId, amount: credit.amount, ref: credit.ref, memo: credit.memo });
        request.log.info({ event: event.id, account: credit.accountId, amount: credit.amount.toString(), applied }, "Stripe top-up");
        return { received: true, credited: applied };
      } catch (error) {
        // A paid session whose account cannot be credited (deleted, or a ref conflict) is not fixed by
        // Stripe retrying: acknowledge it and leave it to an operator.
        if (error instanceof UnknownAccount || error instanceof CreditRefConflict) {
          request.log.error({ event: event.id, account: credit.accountId, code: error.code }, "Stripe payment NOT credited: operator action needed");
          return { received: true, credited: false };
        }
        throw error; // 500: Stripe retries, and the session's ref keeps the retry from crediting twice
      }
    });
  });
};
