// The launch page as the app mounts it (network, wagmi, router) with no chain behind its RPC: the
// template catalog cannot be read, and the page says so in the SDK's sentence with a retry.
import { type Deployments } from "@fomo/sdk";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { WagmiProvider } from "wagmi";
import { NetworkProvider } from "../../lib/network.tsx";
import { Router } from "../../lib/router.tsx";
import { wagmiConfigFor } from "../../lib/wagmi.ts";
import type { NetworkView } from "../../lib/wire.ts";
import LaunchPage from "./index.tsx";

const address = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as const;
const NETWORK: NetworkView = {
  chain_id: 31337,
  // Nothing listens there: every chain read fails at once.
  rpc_url: "http://127.0.0.1:1",
  gateway_url: "http://127.0.0.1:8080/v1",
  siwe_domain: "localhost:8788",
  epoch_seconds: 60,
  local: true,
  dev_accounts: [address(100)],
  deployments: { chainId: 31337, startBlock: "0", usdcDecimals: 6, contracts: { launchpad: address(1), templateRegistry: address(2), flock: address(3) } as Deployments["contracts"], roles: {} as Deployments["roles"] },
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

it("says in one sentence that the chain does not answer, and offers a retry", async () => {
  vi.stubGlobal("fetch", async (input: RequestInfo | URL) => {
    const url = new URL(input instanceof Request ? input.url : String(input), "http://localhost");
    if (url.port === "1") throw new TypeError("fetch failed");
    return new Response(JSON.stringify({ data: [], next_cursor: null, as_of: "0" }), { status: 200 });
  });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false, refetchInterval: false } } })}>
      <NetworkProvider network={NETWORK}>
        <WagmiProvider config={wagmiConfigFor(NETWORK)}>
          <Router routes={[{ path: "/", render: () => <LaunchPage /> }]} notFound={() => null} />
        </WagmiProvider>
      </NetworkProvider>
    </QueryClientProvider>,
  );
  expect(screen.getByRole("status").textContent).toBe("Reading the template catalog…");
  const alert = await screen.findByRole("alert", {}, { timeout: 8_000 });
  await screen.findByText(/^The RPC at http:\/\/127\.0\.0\.1:1\/? did not answer .*is the chain running\?$/, {}, { timeout: 8_000 });
  expect(alert.textContent).not.toMatch(/Request body|Version: viem/);
  expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
}, 20_000);
