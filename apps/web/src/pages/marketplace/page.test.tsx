// The marketplace page as the app mounts it (query client, network, wagmi, router), on answers
// shaped like the platform's: loading, the platform's error with a retry, then the list.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { WagmiProvider } from "wagmi";
import { NetworkProvider } from "../../lib/network.tsx";
import { Router } from "../../lib/router.tsx";
import { wagmiConfigFor } from "../../lib/wagmi.ts";
import type { NetworkView } from "../../lib/wire.ts";
import { AS_OF, offerings } from "./fixture.ts";
import MarketplacePage from "./index.tsx";

const NETWORK = {
  chain_id: 31_337,
  rpc_url: "http://127.0.0.1:1/rpc",
  gateway_url: "http://127.0.0.1:1/v1",
  siwe_domain: "localhost",
  epoch_seconds: 60,
  local: true,
  dev_accounts: [],
  deployments: { chainId: 31_337, startBlock: "0", usdcDecimals: 6, contracts: { templateRegistry: "0x0000000000000000000000000000000000000001" }, roles: {} },
} as unknown as NetworkView;

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

it("shows loading, then the platform's error with a retry, then the offerings", async () => {
  let answer = new Response(JSON.stringify({ error: { code: "read_model_unavailable", message: "This platform serves no read model." } }), { status: 503 });
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    const url = String(input instanceof Request ? input.url : input);
    // The template catalog is read from the chain: no chain here, so the names fall back to ids.
    if (!url.includes("/api/v1/offerings")) return new Response("no chain", { status: 500 });
    return answer.clone();
  });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <NetworkProvider network={NETWORK}>
        <WagmiProvider config={wagmiConfigFor(NETWORK)}>
          <Router routes={[{ path: "/", render: () => <MarketplacePage /> }]} notFound={() => null} />
        </WagmiProvider>
      </NetworkProvider>
    </QueryClientProvider>,
  );
  expect(screen.getByRole("status").textContent).toBe("Loading offerings…");
  expect((await screen.findByRole("alert")).textContent).toContain("This platform serves no read model.");

  answer = new Response(JSON.stringify({ data: offerings(3), next_cursor: null, as_of: String(AS_OF) }), { status: 200 });
  fireEvent.click(screen.getByRole("button", { name: "Try again" }));
  expect(await screen.findByRole("table", { name: "Offerings" })).toBeTruthy();
  expect(screen.getByTestId("market-count").textContent).toBe("3 offerings");
  expect(screen.getByRole("option", { name: "Template 1" })).toBeTruthy();
});
