// What the chain-facing commands (`index`, `epoch`, `keeper`) open first: the environment, the
// deployments file (the local stack's by default), a public client on --rpc-url and the ledger's database.
import { readEnv, type EnvConfig } from "@fomo/gateway";
import { databaseTarget, openDatabase, type Database } from "@fomo/ledger";
import type { Deployments } from "@fomo/sdk";
import { readDeployments } from "@fomo/sdk/node";
import { createPublicClient, http, type PublicClient } from "viem";
import { LOCAL_CHAIN_ID, type ChainOptions } from "../args.ts";
import { deploymentsPath } from "../paths.ts";

export interface ChainContext {
  env: Readonly<EnvConfig>;
  deployments: Deployments;
  client: PublicClient;
  db: Database;
}

export async function openChainContext(opts: ChainOptions): Promise<ChainContext> {
  const env = readEnv();
  const deployments = readDeployments(opts.deployments ?? deploymentsPath(opts.dataDir, LOCAL_CHAIN_ID));
  const client = createPublicClient({ transport: http(opts.rpcUrl, { retryCount: 0, timeout: 5_000 }) }) as PublicClient;
  const db = await openDatabase(databaseTarget(env.databaseUrl, opts.dataDir), { sqliteSync: env.sqliteSync });
  return { env, deployments, client, db };
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
