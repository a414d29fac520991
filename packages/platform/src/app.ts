// The platform API (fastify): Sign-In with Ethereum sessions, wallet bindings, the account, and
// Stripe top-ups. Everything it knows comes through its options (no environment reads): the CLI
// reads the environment and passes secrets in. Routes validate their bodies with JSON schemas.
import cookie from "@fastify/cookie";
import { SIGN_IN_SWEEP_DEFAULTS, startSignInSweep, type Ledger, type SignInSweepOptions } from "@fomo/ledger";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import Stripe from "stripe";
import type { PublicClient } from "viem";
import { stripeCheckoutSessions, type CheckoutSessions } from "./billing/checkout.ts";
import { PlatformError, toPlatformError } from "./errors.ts";
import { accountRoutes } from "./routes/account.ts";
import { authRoutes } from "./routes/auth.ts";
import { billingRoutes } from "./routes/billing.ts";
import { SiweVerifier, type SiweOptions } from "./siwe.ts";

export interface SessionOptions {
  /** Default 7 days. */
  ttlMs?: number;
  /** The cookie's `Secure` flag: true unless the platform is served over plain http locally. */
  secureCookie: boolean;
}

export interface BillingOptions {
  /** Stripe secret API key (sk_…): creates Checkout Sessions. */
  secretKey: string;
  /** The webhook endpoint's signing secret (whsec_…). */
  webhookSecret: string;
  /** Where Checkout sends the browser back. */
  successUrl: string;
  cancelUrl: string;
  /** Oldest webhook signature accepted, in seconds (default 300, Stripe's; must be positive: 0 would turn the check off). */
  webhookToleranceSeconds?: number;
  /** Smallest and largest top-up, in US cents (defaults 500 and 1,000,000). */
  minCents?: number;
  maxCents?: number;
  /** Stripe's API address (tests point the real client at a local server). */
  api?: { host: string; port: number; protocol: "http" | "https" };
  /** Instead of the Stripe client's: how Checkout Sessions are created. */
  checkout?: CheckoutSessions;
}

export interface PlatformOptions {
  ledger: Ledger;
  /** The chain client signatures are verified through (ERC-1271 / ERC-6492 smart wallets). */
  publicClient: PublicClient;
  siwe: SiweOptions;
  session: SessionOptions;
  /** Stripe top-ups; the /billing routes answer 404 without it. */
  billing?: BillingOptions;
  /** Periodic deletion of expired SIWE nonces and sessions (default every 15 minutes); false: none. */
  signInSweep?: Pick<SignInSweepOptions, "everyMs"> | false;
  /** Clock, epoch ms (tests inject one; the ledger has its own). */
  now?: () => number;
  logger?: FastifyServerOptions["logger"];
}

export const DEFAULT_SESSION_TTL_MS = 7 * 24 * 3_600_000;

export interface Billing {
  stripe: Stripe;
  checkout: CheckoutSessions;
  webhookSecret: string;
  toleranceSeconds: number;
  successUrl: string;
  cancelUrl: string;
  minCents: number;
  maxCents: number;
}

declare module "fastify" {
  interface FastifyInstance {
    platform: {
      ledger: Ledger;
      siwe: SiweVerifier;
      session: Required<SessionOptions>;
      billing: Billing | undefined;
      now: () => number;
    };
  }
}

export async function buildPlatform(options: PlatformOptions): Promise<FastifyInstance> {
  const now = options.now ?? Date.now;
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 64 * 1024 });
  app.decorate("platform", {
    ledger: options.ledger,
    siwe: new SiweVerifier(options.ledger, options.publicClient, options.siwe, now),
    session: { ttlMs: options.session.ttlMs ?? DEFAULT_SESSION_TTL_MS, secureCookie: options.session.secureCookie },
    billing: options.billing && billingOf(options.billing),
    now,
  });
  await app.register(cookie);

  app.setErrorHandler((error, request, reply) => {
    const e = error as { validation?: unknown; statusCode?: number; message: string };
    let platformError: PlatformError;
    if (Array.isArray(e.validation)) {
      platformError = new PlatformError(400, "invalid_request", e.message);
    } else if (!(error instanceof PlatformError) && typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) {
      platformError = new PlatformError(e.statusCode, "invalid_request", e.message);
    } else {
      platformError = toPlatformError(error);
      if (platformError.status >= 500) request.log.error({ err: error }, "request failed");
    }
    if (platformError.retryAfterSeconds !== undefined) reply.header("retry-after", String(platformError.retryAfterSeconds));
    reply.code(platformError.status).send(platformError.body());
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new PlatformError(404, "not_found", `Unknown endpoint ${request.method} ${request.url.split("?")[0]}.`);
    reply.code(404).send(error.body());
  });

  if (options.signInSweep !== false) {
    const sweep = startSignInSweep(options.ledger, { ...SIGN_IN_SWEEP_DEFAULTS, ...options.signInSweep, logger: app.log });
    app.addHook("onClose", () => sweep.stop());
  }

  await app.register(authRoutes);
  await app.register(accountRoutes);
  if (app.platform.billing) await app.register(billingRoutes);
  return app;
}

function billingOf(options: BillingOptions): Billing {
  const toleranceSeconds = options.webhookToleranceSeconds ?? 300;
  if (!Number.isSafeInteger(toleranceSeconds) || toleranceSeconds <= 0) {
    throw new Error("billing.webhookToleranceSeconds must be a positive integer (0 would accept signatures of any age)");
  }
  const minCents = options.minCents ?? 500;
  const maxCents = options.maxCents ?? 1_000_000;
  if (!Number.isSafeInteger(minCents) || !Number.isSafeInteger(maxCents) || minCents <= 0 || maxCents < minCents) {
    throw new Error("billing.minCents and maxCents must be positive integers, min <= max");
  }
  const stripe = new Stripe(options.secretKey, { maxNetworkRetries: 1, ...(options.api ?? {}) });
  return {
    stripe,
    checkout: options.checkout ?? stripeCheckoutSessions(stripe),
    webhookSecret: options.webhookSecret,
    toleranceSeconds,
    successUrl: options.successUrl,
    cancelUrl: options.cancelUrl,
    minCents,
    maxCents,
  };
}
