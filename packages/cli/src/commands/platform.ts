// `fomo platform`: the platform API (/api/v1: Sign-In with Ethereum, the account, API keys, credits,
// usage, Stripe top-ups, and the public read API) on the ledger in the data dir (or DATABASE_URL),
// verifying signatures through the chain at --rpc-url (default the local stack's). Secrets come from
// the environment (readEnv) and are handed to the platform as options; they are never logged.
// The public read API reads the engine's read model: this module builds the platform's PublicReads
// from @fomo/engine (the platform itself never imports the engine), for the chain whose deployments
// file is in the data dir (the local stack's); without one, the public routes answer 503.
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  epochFlows, getOffering, indexedHead, latestBlockTime, listBuys, listDeploymentEpochs, listEpochDeployments, listEpochs, listOfferings, listRewardClaims, listRewardRoots, listStakes,
  mtHolders, mtSupply, priceCandles, rollCumulative, supporterPosition, tradedVolume,
} from "@fomo/engine";
import { readEnv, type EnvConfig } from "@fomo/gateway";
import { databaseTarget, Ledger, openDatabase, type Database } from "@fomo/ledger";
import { buildPlatform, type BillingOptions, type NetworkInfo, type PublicReads, type SupporterEventRead } from "@fomo/platform";
import { buildRewardsTree, decodeEpochInput, getEpochClock, type Deployments, type EpochClock } from "@fomo/sdk";
import { readDeployments } from "@fomo/sdk/node";
import { createPublicClient, getAddress, http, type Address, type Hex, type PublicClient } from "viem";
import { LOCAL_CHAIN_ID, type PlatformOptions as PlatformCliOptions } from "../args.ts";
import { deploymentsPath, WEB_DIST } from "../paths.ts";
import { devSigner, DEV_ACCOUNT_ROLES } from "../signer.ts";
import { untilStopped } from "./gateway.ts";

export async function platform(opts: PlatformCliOptions): Promise<number> {
  const env = readEnv();
  // Locally the web app is served here, at 127.0.0.1 as every URL of the stack: a wallet compares
  // the domain the message names with the page's host.
  const domain = env.platformDomain ?? `127.0.0.1:${opts.port}`;
  const local = /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(domain);
  const publicClient = createPublicClient({ transport: http(opts.rpcUrl) }) as PublicClient;
  const chainId = await publicClient.getChainId().catch((error: unknown) => {
    throw new Error(`fomo platform: no chain at ${opts.rpcUrl} (start one with ./fomo up, or pass --rpc-url): ${(error as Error).message}`);
  });
  const deploymentsFile = deploymentsPath(opts.dataDir, chainId);
  const deployments = existsSync(deploymentsFile) ? readDeployments(deploymentsFile) : undefined;
  const db = await openDatabase(databaseTarget(env.databaseUrl, opts.dataDir), { sqliteSync: env.sqliteSync });
  const appUrl = `${local ? "http" : "https"}://${domain}`;
  const billing = billingOf(env, appUrl);
  const network = deployments && (await networkInfo(opts, publicClient, deployments, domain));
  // The default build is served when there is one (fomo build / fomo up make it); a --web-dir given must hold one.
  const webDir = opts.webDir === WEB_DIST && !existsSync(join(WEB_DIST, "index.html")) ? undefined : opts.webDir;
  const app = await buildPlatform({
    ledger: new Ledger(db),
    publicClient,
    siwe: { domain, chainId },
    // A cookie marked Secure is dropped by browsers on plain http, which only a local stack uses.
    session: { secureCookie: !local },
    ...(billing ? { billing } : {}),
    ...(deployments
      ? {
          reads: publicReads({ db, client: publicClient, deployments }),
          ...(network ? { network } : {}),
          deposits: {
            chainId: deployments.chainId,
            creditDeposits: deployments.contracts.creditDeposits,
            usdc: deployments.contracts.usdc,
            usdcDecimals: deployments.usdcDecimals,
          },
        }
      : {}),
    ...(webDir ? { webDir } : {}),
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
    `[fomo] platform API on http://127.0.0.1:${opts.port}/api/v1 (OpenAPI: /api/v1/openapi.json; SIWE domain ${domain}, chain ${chainId} at ${opts.rpcUrl}; ` +
      `public reads ${deployments ? "on" : `off: no ${deploymentsFile}`}; ` +
      `web app ${webDir ? `at http://127.0.0.1:${opts.port}/ from ${webDir}` : "off: build it with ./fomo build"}; ` +
      `Stripe top-ups ${billing ? "on" : "off: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET"})\n`,
  );
  await untilStopped();
  await app.close();
  await db.destroy();
  return 0;
}

/** What GET /api/v1/network tells browsers: the chain as they reach it, the gateway, and on a local chain the dev accounts. */
async function networkInfo(opts: PlatformCliOptions, client: PublicClient, deployments: Deployments, siweDomain: string): Promise<NetworkInfo> {
  const local = deployments.chainId === LOCAL_CHAIN_ID;
  return {
    chainId: deployments.chainId,
    rpcUrl: opts.publicRpcUrl,
    gatewayUrl: opts.gatewayUrl,
    siweDomain,
    epochSeconds: Number((await getEpochClock(client, deployments)).length),
    local,
    devAccounts: local ? DEV_ACCOUNT_ROLES.map((_, i) => devSigner(i).account.address) : [],
    deployments,
  };
}

export interface PublicReadsOptions {
  /** The database the indexer and the keeper write (the ledger's). */
  db: Database;
  /** For the epoch clock (EmissionSchedule), read once. */
  client: PublicClient;
  deployments: Deployments;
}

/** The platform's public reads from the engine's read model and the keeper's tables, for one chain. */
export function publicReads({ db, client, deployments }: PublicReadsOptions): PublicReads {
  const chainId = deployments.chainId;
  let clock: Promise<EpochClock> | undefined;
  const clockOf = () => {
    clock ??= getEpochClock(client, deployments);
    clock.catch(() => (clock = undefined)); // an RPC hiccup is not remembered
    return clock;
  };
  // The time of the block the indexer has read through, events or not (a quiet hour must not stop the
  // answers' clock: countdowns, withdrawable stakes, live reward roots): one header per new head.
  let head: { block: bigint; time: bigint } | undefined;
  const indexedTime = async (): Promise<bigint | undefined> => {
    const [block, latestEvent] = await Promise.all([indexedHead(db, chainId), latestBlockTime(db, chainId)]);
    if (block === undefined) return latestEvent;
    if (head?.block !== block) {
      const time = await client.getBlock({ blockNumber: block }).then((b) => b.timestamp, () => undefined);
      if (time === undefined) return latestEvent; // the RPC hiccuped: the last event's time, still true
      head = { block, time };
    }
    return latestEvent !== undefined && latestEvent > head.time ? latestEvent : head.time;
  };
  return {
    chainId,
    indexedTime,
    listOfferings: () => listOfferings(db, { chainId }),
    getOffering: (mt) => getOffering(db, { chainId, mt }),
    priceCandles: (query) => priceCandles(db, { chainId, ...query }),
    supporterPosition: (query) => supporterPosition(db, { chainId, ...query }),
    supporterEvents: (account) => supporterEvents(db, chainId, account),
    listBuys: (query) => listBuys(db, { chainId, ...query }),
    tradedVolume: (since) => tradedVolume(db, { chainId, since }),
    mtSupply: (mt) => mtSupply(db, { chainId, mt }),
    mtHolders: (mt) => mtHolders(db, { chainId, mt }),
    epochFlows: async (query) => epochFlows(db, { chainId, clock: await clockOf(), ...query }),
    listStakes: (query) => listStakes(db, { chainId, ...query }),
    listRewardRoots: (query) => listRewardRoots(db, { chainId, ...query }),
    listRewardClaims: (account) => listRewardClaims(db, { chainId, account }),
    rewardProofs: (account, epoch) => rewardProofs(db, account, epoch),
    listEpochs: () => listEpochs(db),
    listEpochDeployments: (epoch) => listEpochDeployments(db, epoch),
    listDeploymentEpochs: (deployment) => listDeploymentEpochs(db, deployment),
    epochInput: async (epoch) => {
      const row = await db.selectFrom("keeper_inputs").select(["content_hash", "body"]).where("epoch", "=", epoch).executeTakeFirst();
      return row && { contentHash: row.content_hash, body: row.body };
    },
  };
}

/** An account's refunds and claims of offerings (Launchpad.Refunded / Claimed), in chain order, with block times. */
async function supporterEvents(db: Database, chainId: number, account: Address): Promise<SupporterEventRead[]> {
  const chain = BigInt(chainId);
  const who = account.toLowerCase();
  const [refunds, claims, blocks] = await Promise.all([
    db.selectFrom("offering_refunds").selectAll().where("chain_id", "=", chain).where("account", "=", who).execute(),
    db.selectFrom("offering_claims").selectAll().where("chain_id", "=", chain).where("account", "=", who).execute(),
    db.selectFrom("chain_blocks").select(["block_number", "timestamp"]).where("chain_id", "=", chain).where((eb) =>
      eb.or([
        eb("block_number", "in", eb.selectFrom("offering_refunds").select("block_number").where("chain_id", "=", chain).where("account", "=", who)),
        eb("block_number", "in", eb.selectFrom("offering_claims").select("block_number").where("chain_id", "=", chain).where("account", "=", who)),
      ]),
    ).execute(),
  ]);
  const timeOf = new Map(blocks.map((b) => [b.block_number, b.timestamp]));
  const event = (kind: SupporterEventRead["kind"], row: { mt: string; block_number: bigint; log_index: bigint; tx_hash: string }, amount: string): SupporterEventRead => {
    const timestamp = timeOf.get(row.block_number);
    if (timestamp === undefined) throw new Error(`read model: no block time for block ${row.block_number} of chain ${chainId}`);
    return { kind, mt: getAddress(row.mt), amount: BigInt(amount), blockNumber: row.block_number, logIndex: Number(row.log_index), txHash: row.tx_hash as Hex, timestamp };
  };
  const events = [...refunds.map((r) => event("refund", r, r.flock_amount)), ...claims.map((c) => event("claim", c, c.mt_amount))];
  return events.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
}

/**
 * `account`'s leaves of the latest published rewards root with their proofs: the root's tree rebuilt
 * from the epoch's stored input file and allotments (the keeper's own rollCumulative), as anyone can
 * from the published file.
 */
async function rewardProofs(db: Database, account: Address, epoch: bigint) {
  const published = await db
    .selectFrom("keeper_epochs")
    .select(["epoch", "rewards_root"])
    .where("epoch", "=", epoch)
    .where("published_at", "is not", null)
    .where("rewards_root", "is not", null)
    .executeTakeFirst();
  if (!published) return undefined;
  const [input, rows] = await Promise.all([
    db.selectFrom("keeper_inputs").select("body").where("epoch", "=", published.epoch).executeTakeFirst(),
    db.selectFrom("keeper_rewards").selectAll().where("epoch", "=", published.epoch).execute(),
  ]);
  const file = input && decodeEpochInput(input.body);
  if (!file?.cumulative) return undefined;
  const allotments = rows.map((r) => ({ account: r.account, wallet: r.wallet as Address | null, token: r.token as Address, amount: BigInt(r.amount) }));
  const tree = buildRewardsTree({ epoch: file.epoch, entries: rollCumulative(file.cumulative, allotments).entries });
  const mine = tree.entries.filter((e) => e.account.toLowerCase() === account.toLowerCase());
  return {
    epoch: published.epoch,
    root: tree.root,
    claims: mine.map((e) => {
      const claim = tree.claimOf(e.account, e.token)!;
      return { token: e.token, cumulativeAmount: claim.cumulativeAmount, proof: claim.proof };
    }),
  };
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
    // Back to the web app's console, credits tab, which says how the top-up went.
    successUrl: `${appUrl}/console?tab=credits&checkout=success`,
    cancelUrl: `${appUrl}/console?tab=credits&checkout=cancelled`,
  };
}
