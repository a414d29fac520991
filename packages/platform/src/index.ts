// @fomo/platform: the platform API (Sign-In with Ethereum sessions, the account, API keys, credits,
// usage, Stripe top-ups, and the public read API) over @fomo/ledger, mounted under /api/v1.
export { API_PREFIX, buildPlatform, DEFAULT_SESSION_TTL_MS, type BillingOptions, type PlatformOptions, type SessionOptions } from "./app.ts";
export { stripeCheckoutSessions, type CheckoutRequest, type CheckoutSessions, type CreatedCheckout } from "./billing/checkout.ts";
export { creditOf, MICRO_USD_PER_CENT, type StripeCredit } from "./billing/webhook.ts";
export { CSRF_HEADER } from "./csrf.ts";
export { PlatformError } from "./errors.ts";
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page } from "./pagination.ts";
export type * from "./public/reads.ts";
export { RATE_LIMIT_DEFAULTS, type RateLimitOptions } from "./rate-limits.ts";
export type { DepositInstructions } from "./routes/credits.ts";
export { SESSION_COOKIE } from "./session.ts";
export type { NetworkInfo } from "./web.ts";
export { DEFAULT_NONCE_TTL_MS, SiweVerifier, type SiweOptions, type VerifiedSignIn } from "./siwe.ts";
