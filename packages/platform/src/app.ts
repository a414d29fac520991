// The platform API (fastify), mounted under /api/v1: Sign-In with Ethereum sessions, the account
// (members, API keys, credits, usage, wallets), Stripe top-ups, and the public read API over the
// chain's read model. Everything it knows comes through its options (no environment reads): the CLI
// reads the environment and passes secrets in, and plugs the read model in as `reads` (the platform
// never imports the engine). Every route validates its input with a JSON schema; the OpenAPI
// document of them all is served at /api/v1/openapi.json.
import cookie from "@fastify/cookie";
import swagger from "@fastify/swagger";
import { SIGN_IN_SWEEP_DEFAULTS, startSignInSweep, type Ledger, type SignInSweepOptions } from "@fomo/ledger";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import Stripe from "stripe";
import type { PublicClient } from "viem";
import { stripeCheckoutSessions, type CheckoutSessions } from "./billing/checkout.ts";
import { CSRF_HEADER, checkCsrf } from "./csrf.ts";
import { PlatformError, toPlatformError } from "./errors.ts";
import { publicRoutes } from "./public/routes.ts";
import type { PublicReads } from "./public/reads.ts";
import { registerRateLimits, type RateLimitOptions } from "./rate-limits.ts";
import { accountRoutes } from "./routes/account.ts";
import { authRoutes } from "./routes/auth.ts";
import { billingRoutes } from "./routes/billing.ts";
import { creditRoutes, type DepositInstructions } from "./routes/credits.ts";
import { keyRoutes } from "./routes/keys.ts";
import { usageRoutes } from "./routes/usage.ts";
import { SESSION_COOKIE, requireSession } from "./session.ts";
import { SiweVerifier, type SiweOptions } from "./siwe.ts";
import { networkRoutes, serveWebApp, type NetworkInfo } from "./web.ts";

/** Where the API is mounted: every route's path starts with it. */
export const API_PREFIX = "/api/v1";

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
  /** Where USDC deposits for credits go (the chain's CreditDeposits); without it the deposit instructions say none. */
  deposits?: DepositInstructions;
  /** The read model behind the public routes (offerings, $MT, portfolios, epochs); they answer 503 without it. */
  reads?: PublicReads;
  /** What GET /network tells the web app (the chain, its RPC, the gateway, the deployments); 503 without it. */
  network?: NetworkInfo;
  /** The built web app (apps/web/dist), served at "/" beside the API; none without it. */
  webDir?: string;
  /** Per-IP and per-session request limits (rate-limits.ts defaults); false: none. */
  rateLimit?: RateLimitOptions | false;
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
      deposits: DepositInstructions | undefined;
      reads: PublicReads | undefined;
      now: () => number;
    };
  }
}

export async function buildPlatform(options: PlatformOptions): Promise<FastifyInstance> {
  const now = options.now ?? Date.now;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 64 * 1024,
    // An unknown field is refused (400), not silently dropped: a misspelt limit must not pass as no limit.
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.decorate("platform", {
    ledger: options.ledger,
    siwe: new SiweVerifier(options.ledger, options.publicClient, options.siwe, now),
    session: { ttlMs: options.session.ttlMs ?? DEFAULT_SESSION_TTL_MS, secureCookie: options.session.secureCookie },
    billing: options.billing && billingOf(options.billing),
    deposits: options.deposits,
    reads: options.reads,
    now,
  });
  // Amounts are bigint (wei, micro-USD) all the way to the wire, where they become decimal strings:
  // exact, never floats. One serializer for every answer, response schemas or not: they document
  // (responses.ts), they never drop or reshape a field.
  app.setReplySerializer(serializeJson);
  app.setSerializerCompiler(() => serializeJson);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "FOMO platform API",
        version: "1.0.0",
        description:
          "Sign-In with Ethereum sessions, the account (members, API keys, credits, usage, wallets), Stripe top-ups, and the public read API. " +
          `Errors are {"error":{"code","message"}}; lists are {"data":[…],"next_cursor"}; amounts are decimal strings. See docs/platform-api.md.`,
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE, description: "Set by POST /api/v1/auth/verify." },
          csrf: { type: "apiKey", in: "header", name: CSRF_HEADER, description: "Required on every POST, PATCH and DELETE (any non-empty value)." },
        },
      },
    },
  });
  await registerRateLimits(app, options.rateLimit);
  // In this order: a cross-site request is refused (403) before anything else, an account route
  // without a session answers 401 whatever its input, then the schemas validate (400).
  app.addHook("preValidation", checkCsrf);
  app.addHook("preValidation", async (request) => {
    if (request.routeOptions.config?.session) await requireSession(request);
  });

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
  const webApp = options.webDir === undefined ? undefined : await serveWebApp(app, options.webDir);
  app.setNotFoundHandler((request, reply) => {
    if (webApp?.(request, reply)) return;
    const error = new PlatformError(404, "not_found", `Unknown endpoint ${request.method} ${request.url.split("?")[0]}.`);
    reply.code(404).send(error.body());
  });

  if (options.signInSweep !== false) {
    const sweep = startSignInSweep(options.ledger, { ...SIGN_IN_SWEEP_DEFAULTS, ...options.signInSweep, logger: app.log });
    app.addHook("onClose", () => sweep.stop());
  }

  await app.register(
    async (api) => {
      api.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
      await api.register(authRoutes);
      await api.register(accountRoutes);
      await api.register(keyRoutes);
      await api.register(creditRoutes);
      await api.register(usageRoutes);
      if (app.platform.billing) await api.register(billingRoutes);
      await api.register(publicRoutes);
      await api.register(networkRoutes, { network: options.network });
    },
    { prefix: API_PREFIX },
  );
  return app;
}

function serializeJson(payload: unknown): string {
  return JSON.stringify(payload, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
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
