// The web app's side of the platform: GET /api/v1/network (what the browser needs to reach the
// chain and the gateway: nothing about a chain is compiled into the app's bundle) and the built app
// itself, served at "/" from the same origin as the API, so the SameSite=Strict session cookie and
// the CSRF header work without CORS. A path that is not a file answers index.html: the app routes it.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import fastifyStatic from "@fastify/static";
import type { Deployments } from "@fomo/sdk";
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { Address } from "viem";
import { PlatformError } from "./errors.ts";
import { publicRoute } from "./routes/schemas.ts";

export interface NetworkInfo {
  chainId: number;
  /** The JSON-RPC URL browsers read the chain through (and, on a local chain, send dev transactions through). */
  rpcUrl: string;
  /** The OpenAI-compatible gateway, ending in /v1. */
  gatewayUrl: string;
  /** The domain Sign-In with Ethereum messages must name (the platform's). */
  siweDomain: string;
  /** The protocol's epoch length, seconds. */
  epochSeconds: number;
  /** A local development chain: dev accounts usable as wallets, time movable. */
  local: boolean;
  /** Local chains only: the unlocked dev accounts. */
  devAccounts: readonly Address[];
  deployments: Deployments;
}

const address = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" } as const;
const networkResponse = {
  type: "object",
  required: ["chain_id", "rpc_url", "gateway_url", "siwe_domain", "epoch_seconds", "local", "dev_accounts", "deployments"],
  properties: {
    chain_id: { type: "integer" },
    rpc_url: { type: "string" },
    gateway_url: { type: "string" },
    siwe_domain: { type: "string" },
    epoch_seconds: { type: "integer" },
    local: { type: "boolean" },
    dev_accounts: { type: "array", items: address },
    deployments: { type: "object", description: "The chain's deployments document: contracts, roles, usdcDecimals, startBlock." },
  },
} as const;

/** GET /network under the API prefix. */
export const networkRoutes: FastifyPluginAsync<{ network: NetworkInfo | undefined }> = async (api, { network }) => {
  api.get(
    "/network",
    publicRoute("network", "The chain, its RPC URL, the gateway and the deployments, for the web app and integrators", { response: { 200: networkResponse } }),
    async () => {
      if (!network) throw new PlatformError(503, "network_unavailable", "This platform was started without the chain's deployments: start it on a stack (fomo up) or with --deployments.");
      return {
        chain_id: network.chainId,
        rpc_url: network.rpcUrl,
        gateway_url: network.gatewayUrl,
        siwe_domain: network.siweDomain,
        epoch_seconds: network.epochSeconds,
        local: network.local,
        dev_accounts: network.local ? network.devAccounts : [],
        deployments: network.deployments,
      };
    },
  );
};

/**
 * Serves the built app from `dir` (apps/web/dist): hashed assets cached for a year, index.html never
 * cached (it names the current assets). Files are looked up per request, so a rebuild is served at
 * once. Refuses to start on a directory without index.html. Returns what the not-found handler
 * answers a browser's GET of one of the app's own routes (/offerings/ABC, /console...) with.
 */
export async function serveWebApp(app: FastifyInstance, dir: string): Promise<(request: FastifyRequest, reply: FastifyReply) => boolean> {
  const root = resolve(dir);
  if (!existsSync(join(root, "index.html"))) throw new Error(`web app: no index.html in ${root} (build it: ./fomo build)`);
  await app.register(fastifyStatic, {
    root,
    setHeaders: (reply, path) => {
      void reply.header("cache-control", /[\\/]assets[\\/]/.test(path) ? "public, max-age=31536000, immutable" : "no-cache");
      void reply.header("x-content-type-options", "nosniff");
    },
  });
  return (request, reply) => {
    const path = request.url.split("?")[0]!;
    // The API's unknown routes stay JSON 404s; a missing asset too (a stale tab asking for an old
    // chunk must learn it is gone, not get HTML).
    if (request.method !== "GET" || path.startsWith("/api/") || path.startsWith("/assets/")) return false;
    void reply.header("cache-control", "no-cache").sendFile("index.html");
    return true;
  };
}
