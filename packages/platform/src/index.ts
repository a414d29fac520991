// @fomo/platform: the platform API (Sign-In with Ethereum sessions, wallet bindings, accounts,
// Stripe top-ups) over @fomo/ledger.
export { buildPlatform, DEFAULT_SESSION_TTL_MS, type BillingOptions, type PlatformOptions, type SessionOptions } from "./app.ts";
export { stripeCheckoutSessions, type CheckoutRequest, type CheckoutSessions, type CreatedCheckout } from "./billing/checkout.ts";
export { creditOf, MICRO_USD_PER_CENT, type StripeCredit } from "./billing/webhook.ts";
export { PlatformError } from "./errors.ts";
export { SESSION_COOKIE } from "./session.ts";
export { DEFAULT_NONCE_TTL_MS, SiweVerifier, type SiweOptions, type VerifiedSignIn } from "./siwe.ts";
