// A stand-in for the platform at /api/v1 for the web app's render benchmark: the built app (apps/web/dist
// or another build) with the platform's SPA fallback, GET /network naming a local chain whose JSON-RPC
// this server answers too (chain id and block number: the app only connects), and GET /offerings over
// N generated offerings, paginated as the platform paginates ({data, next_cursor}, limit 1–200).
// Every other API route answers 404 in the platform's error shape. Not the platform: a fixture, so
// that 1,000 offerings render without launching 1,000 on a chain; the shapes are lib/wire.ts's.
import { readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { extname, join, normalize } from "node:path";
import type { Deployments } from "@fomo/sdk";

const CHAIN_ID = 31_337;
const WEI = 10n ** 18n;
const ZERO = `0x${"0".repeat(40)}` as const;
const STATES = ["raising", "raising", "graduated", "succeeded", "failed"] as const;

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
const address = (n: number) => `0x${hex(n, 40)}` as const;

/** Offering `i` of a generated marketplace: every state, raises between nothing and the maximum, integer amounts. */
export function fixtureOffering(i: number, now: number): Record<string, unknown> {
  const state = STATES[i % STATES.length]!;
  const raiseMin = 200_000n * WEI;
  const raiseMax = 1_000_000n * WEI;
  const raised = state === "graduated" || state === "succeeded" ? raiseMax - BigInt(i % 7) * 10_000n * WEI : (BigInt((i * 7_919) % 1_000) * raiseMax) / 1_000n;
  const launchedAt = now - 3_600 * (1 + (i % 200));
  const ticker = `M${hex(i, 4).toUpperCase()}`;
  const price = 1_000_000_000_000_000n + BigInt(i) * 1_000_000_000_000n;
  return {
    mt: address(0x1000 + i),
    ticker,
    name: `Model ${i} ${["Story", "Coder", "Vision", "Chat"][i % 4]}`,
    model_id: `stories-260k-${ticker.toLowerCase()}`,
    creator: address(0x100 + (i % 9)),
    template_id: i % 3,
    terms_id: 0,
    metadata_uri: "",
    state,
    opens_at: launchedAt,
    closes_at: launchedAt + 7 * 86_400,
    paused: false,
    paused_seconds: 0,
    graduated_at: state === "graduated" ? launchedAt + 3_600 : null,
    raised_flock: raised.toString(),
    raise_min_flock: raiseMin.toString(),
    raise_max_flock: raiseMax.toString(),
    progress_bps: ((raised * 10_000n) / raiseMax).toString(),
    sold_mt: ((raised * WEI) / price).toString(),
    curve_price: price.toString(),
    pool_price: state === "graduated" ? ((price * 11n) / 10n).toString() : null,
    pair: state === "graduated" ? address(0x9000 + i) : null,
    buys: (i * 13) % 97,
    launched: { block_number: String(100 + i), log_index: 0, tx_hash: `0x${hex(i, 64)}`, timestamp: String(launchedAt) },
    volume_24h_flock: ((BigInt(i % 50) * WEI * 1_000n)).toString(),
    market_cap_flock: ((price * 1_000_000_000n * WEI) / WEI).toString(),
  };
}

const contract = (n: number) => address(0xc0 + n);
const deployments: Deployments = {
  chainId: CHAIN_ID,
  startBlock: "0",
  usdcDecimals: 6,
  contracts: {
    flock: contract(0), usdc: contract(1), weth: contract(2), uniswapV2Factory: contract(3), uniswapV2Router: contract(4),
    templateRegistry: contract(5), launchpad: contract(6), incentivePool: contract(7), modelTokenFactory: contract(8),
    operatorVestingImplementation: contract(9), mtStaking: contract(10), twapOracle: contract(11), buybackExecutor: contract(12),
    revenueRouter: contract(13), creditDeposits: contract(14), emissionSchedule: contract(15), rewardsDistributor: contract(16), gmFlock: contract(17),
  },
  roles: { admin: ZERO, treasury: ZERO, hostingReserve: ZERO, keeper: ZERO, emissionReserve: ZERO },
};

/** The chain's JSON-RPC as far as the app needs it to connect: its id and a block number. */
function answerRpc(request: IncomingMessage, response: ServerResponse): void {
  let body = "";
  request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
  request.on("end", () => {
    const call = (c: { id: unknown; method: string }) => {
      const result = c.method === "eth_chainId" ? `0x${CHAIN_ID.toString(16)}` : c.method === "eth_blockNumber" ? "0x1" : undefined;
      return result === undefined ? { jsonrpc: "2.0", id: c.id, error: { code: -32601, message: "not in the fixture" } } : { jsonrpc: "2.0", id: c.id, result };
    };
    const parsed = JSON.parse(body || "{}") as { id: unknown; method: string } | Array<{ id: unknown; method: string }>;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(Array.isArray(parsed) ? parsed.map(call) : call(parsed)));
  });
}

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".map": "application/json" };

export interface FixtureServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `dist` and the API stand-in with `count` offerings on a free loopback port. */
export async function startFixtureServer(dist: string, count: number): Promise<FixtureServer> {
  const now = Math.floor(Date.now() / 1000);
  const offerings = Array.from({ length: count }, (_, i) => fixtureOffering(count - 1 - i, now)); // newest first
  let url = "";
  const json = (status: number, body: unknown) => ({ status, type: "application/json", body: JSON.stringify(body) });
  const api = (path: string, query: URLSearchParams) => {
    if (path === "/network") {
      return json(200, {
        chain_id: CHAIN_ID, rpc_url: `${url}/rpc`, gateway_url: `${url}/v1`, siwe_domain: new URL(url).host, epoch_seconds: 60, local: true,
        dev_accounts: [address(0xd0), address(0xd1), address(0xd2)], deployments,
      });
    }
    if (path === "/offerings") {
      const limit = Number(query.get("limit") ?? 50);
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) return json(400, { error: { code: "invalid_request", message: "querystring/limit must be <= 200" } });
      const state = query.get("state");
      const matching = state ? offerings.filter((o) => o.state === state) : offerings;
      const start = Number(query.get("cursor") ?? 0);
      const data = matching.slice(start, start + limit);
      return json(200, { data, next_cursor: start + limit < matching.length ? String(start + limit) : null, as_of: String(now) });
    }
    return json(404, { error: { code: "not_found", message: `no ${path} in the benchmark's fixture` } });
  };
  const staticFile = (pathname: string) => {
    const file = join(dist, normalize(pathname));
    const found = file.startsWith(dist) && statSync(file, { throwIfNoEntry: false })?.isFile() ? file : join(dist, "index.html");
    return { status: 200, type: TYPES[extname(found)] ?? "application/octet-stream", body: readFileSync(found) };
  };
  const server: Server = createServer((request, response) => {
    const { pathname, searchParams } = new URL(request.url ?? "/", url);
    if (pathname === "/rpc") return answerRpc(request, response);
    const answer = pathname.startsWith("/api/v1/") ? api(pathname.slice("/api/v1".length), searchParams) : staticFile(pathname);
    response.writeHead(answer.status, { "content-type": answer.type });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  url = `http://127.0.0.1:${port}`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
