// A gateway's link to chain: an RPC URL and the deployments file naming the contracts.
import { createPublicClient, http, type PublicClient } from "viem";
import type { Database } from "@fomo/ledger";
import type { Deployments } from "@fomo/sdk";
import { readDeployments } from "@fomo/sdk/node";
import type { StakeReader } from "../pricing/discounts.ts";
import { ChainReader } from "./reader.ts";
import type { DeploymentSource } from "./types.ts";

/** What a served-from source is built with: the gateway's ledger database and its chain client. */
export interface ChainSourceContext {
  db: Database;
  client: PublicClient;
  deployments: Deployments;
}

export interface ChainConfig {
  /** JSON-RPC endpoint, e.g. http://127.0.0.1:8545 for `./fomo up`. */
  rpcUrl: string;
  /** The deployments file (.fomo/deployments/<chainId>.json), or its contents. */
  deployments: string | Deployments;
  /** Background refresh of the deployments; default 15 s. */
  refreshMs?: number;
  /** How long a wallet's stake stays cached; default 60 s. */
  stakeTtlMs?: number;
  /**
   * Time between two reads of the chain's head for Graduated logs, each of which refreshes the
   * deployments at once (chain/graduations.ts); default 1 s; 0: no watch (the periodic refresh only).
   */
  graduationPollMs?: number;
  /**
   * Where deployments and stakes are read instead of scanning the chain on each refresh: a read model
   * an indexer keeps in the gateway's database (`fomo up` plugs in @fomo/engine's ReadModelServing).
   * Absent: the chain itself (ChainReader).
   */
  source?: (context: ChainSourceContext) => DeploymentSource & StakeReader;
}

/** A reader of the configured chain. Makes no RPC call: see ChainReader.checkChain. */
export function connectChain(config: ChainConfig): ChainReader {
  const { client, deployments } = chainClient(config);
  return new ChainReader(client, deployments);
}

/** The configured chain's client and deployments. Makes no RPC call. */
export function chainClient(config: ChainConfig): { client: PublicClient; deployments: Deployments } {
  const deployments = typeof config.deployments === "string" ? readDeployments(config.deployments) : config.deployments;
  let url: URL;
  try {
    url = new URL(config.rpcUrl);
  } catch {
    throw new Error(`not an RPC URL: ${config.rpcUrl}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`the RPC URL must be http(s): ${config.rpcUrl}`);
  const client = createPublicClient({ transport: http(config.rpcUrl, { retryCount: 1 }) }) as PublicClient;
  return { client, deployments };
}
