// The page as a whole on the platform's answers (real shapes, captured from `fomo up --demo`): the
// not-found and error states, the header and the card each state gets, the trades feed. The chain is
// unreachable here, so the parts read from it show their error state, never a blank.
import type { Deployments } from "@fomo/sdk";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WagmiProvider } from "wagmi";
import { NetworkProvider } from "../../lib/network.tsx";
import { Outlet, RouterProvider } from "../../lib/router.tsx";
import { wagmiConfigFor } from "../../lib/wagmi.ts";
import type { NetworkView, OfferingDetail } from "../../lib/wire.ts";
import { BUYER, trade } from "./fixtures.ts";
import OfferingPage from "./index.tsx";

const address = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as const;
const contracts = Object.fromEntries(
  ["flock", "usdc", "weth", "uniswapV2Factory", "uniswapV2Router", "templateRegistry", "launchpad", "incentivePool", "modelTokenFactory",
    "operatorVestingImplementation", "mtStaking", "twapOracle", "buybackExecutor", "revenueRouter", "creditDeposits", "emissionSchedule",
    "rewardsDistributor", "gmFlock"].map((k, i) => [k, address(i + 1)]),
) as Deployments["contracts"];
const NETWORK: NetworkView = {
  chain_id: 31337,
  // Nothing listens there: every chain read fails at once.
  rpc_url: "http://127.0.0.1:1",
  gateway_url: "http://127.0.0.1:8080/v1",
  siwe_domain: "localhost:8788",
  epoch_seconds: 60,
  local: true,
  dev_accounts: [address(100), address(101)],
  deployments: { chainId: 31337, startBlock: "0", usdcDecimals: 6, contracts, roles: { admin: address(50), treasury: address(51), hostingReserve: address(52), keeper: address(53), emissionReserve: address(54) } },
};

const RISE: OfferingDetail = {
  mt: "0xf4442c83172f85FCcC74B3695486e8dC5587A693", ticker: "RISE", name: "Demo Rising Model", model_id: "stories-260k-rise",
  creator: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", template_id: 0, terms_id: 0, metadata_uri: "", state: "raising",
  opens_at: 1797038325, closes_at: 1797643125, paused: false, paused_seconds: 0, graduated_at: null,
  raised_flock: "247235000000000000000000", raise_min_flock: "200000000000000000000000", raise_max_flock: "1000000000000000000000000",
  progress_bps: "2472", sold_mt: "198519876611775412018976", curve_price: "1861200484083333333", pool_price: null, pair: null, buys: 3,
  launched: { block_number: "92", log_index: 1, tx_hash: "0xb530f7cf957ed9872cc42e563db1fda45908c8f17790b4e0bc5481971ee7ddfe", timestamp: "1797038325" },
  volume_24h_flock: "251000000000000000000000", market_cap_flock: "1861200484083333333000000", seconds_left: 595382, candles: [], as_of: "1797047743",
};
const FLOP: OfferingDetail = {
  ...RISE, mt: "0xA87896Bd2A291be30461B67c5699710494a84386", ticker: "FLOP", name: "Demo Failed Model", model_id: "stories-260k-flop", state: "failed",
  raised_flock: "78800000000000000000000", seconds_left: 0, closes_at: 1797038000,
};

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

beforeEach(() => {
  vi.stubGlobal("fetch", async (input: RequestInfo | URL) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, "http://127.0.0.1:5102");
    if (url.port === "1") throw new TypeError("fetch failed");
    const route = url.pathname.replace("/api/v1", "");
    if (route === "/offerings/RISE") return json(200, RISE);
    if (route === "/offerings/FLOP") return json(200, FLOP);
    if (route === "/offerings/NOPE") return json(404, { error: { code: "not_found", message: "Offering NOPE not found." } });
    if (route === "/offerings/BOOM") return json(500, { error: { code: "internal", message: "The read model is rebuilding." } });
    if (route.endsWith("/trades")) return json(200, { data: route.includes(RISE.mt) ? [trade(1), trade(0)] : [], next_cursor: null });
    if (route.startsWith("/portfolios/")) return json(200, { address: BUYER, positions: [], as_of: RISE.as_of });
    return json(404, { error: { code: "not_found", message: `no route ${route}` } });
  });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderAt(path: string) {
  window.history.pushState(null, "", path);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchInterval: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <NetworkProvider network={NETWORK}>
        <WagmiProvider config={wagmiConfigFor(NETWORK)}>
          <RouterProvider routes={[{ path: "/offerings/:id", render: () => <OfferingPage /> }]}>
            <Outlet notFound={() => null} />
          </RouterProvider>
        </WagmiProvider>
      </NetworkProvider>
    </QueryClientProvider>,
  );
}

describe("OfferingPage", () => {
  it("an unknown ticker: not found, with the way back", async () => {
    renderAt("/offerings/NOPE");
    expect(await screen.findByRole("heading", { level: 1, name: "Offering not found" })).toBeTruthy();
    expect(screen.getByText("No offering NOPE")).toBeTruthy();
    expect(screen.getByRole("link", { name: "browse the marketplace" }).getAttribute("href")).toBe("/");
  });

  it("a platform error: the platform's sentence and a retry", async () => {
    renderAt("/offerings/BOOM");
    // One retry (an error other than 404 may pass), then the error.
    const alert = await screen.findByRole("alert", {}, { timeout: 5_000 });
    expect(alert.textContent).toContain("The read model is rebuilding.");
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeTruthy();
  });

  it("raising: the header with its countdown from as_of, the buy card, the trades", async () => {
    renderAt("/offerings/RISE");
    expect(await screen.findByRole("heading", { level: 1, name: "Demo Rising Model" })).toBeTruthy();
    expect(screen.getByText("Raising")).toBeTruthy();
    // closes_at − as_of = 595,382 s.
    expect(screen.getByRole("timer").textContent).toBe("6d 21h");
    expect(screen.getByText("minimum reached")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Buy $RISE" })).toBeTruthy();
    expect(screen.queryByRole("group", { name: "Offering actions" })).toBeNull();
    expect((await screen.findAllByText("0x90F7…b906")).length).toBeGreaterThan(0);
    // The chain is down: the chart, the buy form and the safety panel say so.
    // (viem retries the RPC a few times first.)
    expect((await screen.findAllByText(/Something went wrong/, {}, { timeout: 8_000 })).length).toBe(3);
    expect(screen.getAllByText(/The RPC at http:\/\/127\.0\.0\.1:1\/? did not answer .*is the chain running\?/)).toHaveLength(3);
  });

  it("failed: the refund card instead of the buy form, and an empty feed says so", async () => {
    renderAt("/offerings/FLOP");
    expect(await screen.findByRole("heading", { level: 1, name: "Demo Failed Model" })).toBeTruthy();
    expect(screen.queryByRole("timer")).toBeNull();
    expect(screen.getByRole("heading", { name: "Refund" })).toBeTruthy();
    expect(screen.queryByRole("form")).toBeNull();
    expect(within(screen.getByRole("group", { name: "Offering actions" })).getByText("Connect a wallet to see and take your refund.")).toBeTruthy();
    expect(await screen.findByText("No buys yet")).toBeTruthy();
  });
});
