// What the chain-facing commands (`index`, `epoch`, `keeper`) open first: the environment, the
// deployments file (the local stack's by default), a public client on --rpc-url and the ledger's database.
import { readEnv, type EnvConfig } from "@fomo/gateway";
import { databaseTarget, openDatabase, type Database } from "@fomo/ledger";
import type { Clients, Deployments, Wallet } from "@fomo/sdk";
import { readDeployments } from "@fomo/sdk/node";
import { createPublicClient, createWalletClient, defineChain, http, type LocalAccount, type PublicClient } from "viem";
import { LOCAL_CHAIN_ID, type ChainOptions } from "../args.ts";
import { deploymentsPath } from "../paths.ts";
import { userSigner, type Signer, type SignerOptions } from "../signer.ts";

export interface ChainContext {
  env: Readonly<EnvConfig>;
  deployments: Deployments;
  client: PublicClient;
  db: Database;
}

/** The local node's poll: it answers at once and mines each transaction at once. */
export const LOCAL_POLL_MS = 1_000;
/** viem's own default for a chain that declares no block time. */
export const REMOTE_POLL_MS = 4_000;

/**
 * How often the commands poll for new blocks and receipts: --poll-ms, else 1 s on the local chain and
 * viem's 4 s elsewhere. Every transaction the keeper sends waits for its receipt, so a poll much longer
 * than a block costs up to that much per transaction: about half the chain's block time suits (Base: 1000).
 */
export function receiptPollMs(opts: Pick<ChainOptions, "pollMs">, chainId: number): number {
  return opts.pollMs ?? (chainId === LOCAL_CHAIN_ID ? LOCAL_POLL_MS : REMOTE_POLL_MS);
}

export async function openChainContext(opts: ChainOptions): Promise<ChainContext> {
  const env = readEnv();
  const deployments = readDeployments(opts.deployments ?? deploymentsPath(opts.dataDir, LOCAL_CHAIN_ID));
  const client = createPublicClient({
    pollingInterval: receiptPollMs(opts, deployments.chainId),
    transport: http(opts.rpcUrl, { retryCount: 0, timeout: 5_000 }),
  }) as PublicClient;
  const db = await openDatabase(databaseTarget(env.databaseUrl, opts.dataDir), { sqliteSync: env.sqliteSync });
  return { env, deployments, client, db };
}

/** A wallet on the chain at `rpcUrl` signing as `account`, polling as `client` does. */
export function walletClientFor(client: PublicClient, rpcUrl: string, chainId: number, account: LocalAccount): Wallet {
  const chain = defineChain({
    id: chainId, name: `chain ${chainId}`, nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } },
  });
  return createWalletClient({ account, chain, pollingInterval: client.pollingInterval, transport: http(rpcUrl, { retryCount: 0 }) });
}

/** What a user command (`stake`, `rewards claim`, `credits deposit`, …) opens: the chain context, its signer and clients. */
export interface UserContext extends ChainContext {
  signer: Signer;
  clients: Clients;
}

/**
 * openChainContext, checked against the node (its chain id must be the deployments'), with the user's
 * signer (signer.ts userSigner: --from, --keystore, FOMO_PRIVATE_KEY, the local default).
 */
export async function openUserContext(opts: ChainOptions & { signer: SignerOptions }): Promise<UserContext> {
  const ctx = await openChainContext(opts);
  try {
    const chainId = await ctx.client.getChainId();
    if (chainId !== ctx.deployments.chainId) throw new Error(`${opts.rpcUrl} is chain ${chainId}, but the deployments file is for chain ${ctx.deployments.chainId}`);
    const signer = await userSigner(opts.signer, ctx.env, chainId);
    return { ...ctx, signer, clients: { public: ctx.client, wallet: walletClientFor(ctx.client, opts.rpcUrl, chainId, signer.account) } };
  } catch (error) {
    await ctx.db.destroy();
    throw error;
  }
}

/** A table: columns padded to their widest cell, two spaces apart. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((row) => `${row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()}\n`).join("");
}

/** One JSON document, bigints as decimal strings. */
export function jsonDocument(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`;
}
