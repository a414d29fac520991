// `fomo platform`: the platform API (Sign-In with Ethereum, wallet bindings, the account, Stripe
// top-ups) on the ledger in the data dir (or DATABASE_URL), verifying signatures through the chain
// at --rpc-url (default the local stack's). Secrets come from the environment (readEnv) and are
// handed to the platform as options; they are never logged.
import { readEnv, type EnvConfig } from "@fomo/gateway";
import { databaseTarget, Ledger, openDatabase } from "@fomo/ledger";
import { buildPlatform, type BillingOptions } from "@fomo/platform";
import { createPublicClient, http, type PublicClient } from "viem";
import type { PlatformOptions as PlatformCliOptions } from "../args.ts";
import { untilStopped } from "./gateway.ts";

export async function platform(opts: PlatformCliOptions): Promise<number> {
  const env = readEnv();
  const domain = env.platformDomain ?? `localhost:${opts.port}`;
  const local = /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(domain);
  const publicClient = createPublicClient({ transport: http(opts.rpcUrl) }) as PublicClient;
  const chainId = await publicClient.getChainId().catch((error: unknown) => {
    throw new Error(`fomo platform: no chain at ${opts.rpcUrl} (start one with ./fomo up, or pass --rpc-url): ${(error as Error).message}`);
  });
  const db = await openDatabase(databaseTarget(env.databaseUrl, opts.dataDir), { sqliteSync: env.sqliteSync });
  const appUrl = `${local ? "http" : "https"}://${domain}`;
  const billing = billingOf(env, appUrl);
  const app = await buildPlatform({
    ledger: new Ledger(db),
    publicClient,
    siwe: { domain, chainId },
    // A cookie marked Secure is dropped by browsers on plain http, which only a local stack uses.
    session: { secureCookie: !local },
    ...(billing ? { billing } : {}),
    logger: true,
  });
  try {
    await app.listen({ port: opts.port, host: "127.0.0.1" });
  } catch (error) {
    await db.destroy();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new Error(`port ${opts.port} is already in use: pass --port N`);
    throw error;
  }
  process.stderr.write(
    `[fomo] platform API on http://127.0.0.1:${opts.port} (SIWE domain ${domain}, chain ${chainId} at ${opts.rpcUrl}; ` +
      `Stripe top-ups ${billing ? "on" : "off: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET"})\n`,
  );
  await untilStopped();
  await app.close();
  await db.destroy();
  return 0;
}

function billingOf(env: EnvConfig, appUrl: string): BillingOptions | undefined {
  const { stripeSecretKey, stripeWebhookSecret } = env;
  if (!stripeSecretKey && !stripeWebhookSecret) return undefined;
  if (!stripeSecretKey || !stripeWebhookSecret) {
    throw new Error("fomo platform: Stripe top-ups need both STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET");
  }
  return {
    secretKey: stripeSecretKey,
    webhookSecret: stripeWebhookSecret,
    successUrl: `${appUrl}/billing?checkout=success`,
    cancelUrl: `${appUrl}/billing?checkout=cancelled`,
  };
}
