// Component tests of the console: the real page under the real providers (TanStack Query, the
// network, wagmi with the app's dev-account mock connector), with fetch answered by a small fake
// platform API and a fake chain RPC whose eth_sign signs with a real key, so a signature the page
// obtains verifies like one from a wallet.
import type { Deployments } from "@fomo/sdk";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, render } from "@testing-library/react";
import type { ReactNode } from "react";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { vi } from "vitest";
import { WagmiProvider, type Config } from "wagmi";
import { connect } from "wagmi/actions";
import { NetworkProvider } from "../../lib/network.tsx";
import { Router } from "../../lib/router.tsx";
import { devConnectorId, wagmiConfigFor } from "../../lib/wagmi.ts";
import type { NetworkView } from "../../lib/wire.ts";
import type { KeyView } from "./wire.ts";

/** Anvil's well-known dev account 0 (public test key). */
export const wallet = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

export const network: NetworkView = {
  chain_id: 31_337,
  rpc_url: "http://rpc.test/",
  gateway_url: "http://gateway.test/v1",
  siwe_domain: "console.fomo.test",
  epoch_seconds: 86_400,
  local: true,
  dev_accounts: [wallet.address],
  deployments: {} as Deployments,
};

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export type Answer = { status?: number; body?: unknown; text?: string };
export type Handler = (call: Call) => Answer | Promise<Answer>;

export const apiError = (status: number, code: string, message: string): Answer => ({ status, body: { error: { code, message } } });

/**
 * Replaces fetch: "METHOD /path" under /api/v1 → handler (unknown routes answer 404, as the platform
 * does); the RPC URL answers eth_sign with `wallet`'s signature. Returns every API call made.
 */
export function fakeFetch(routes: Record<string, Handler>, rpc: (method: string, params: unknown[]) => unknown = () => undefined): Call[] {
  const calls: Call[] = [];
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, "http://app.test");
    const text = typeof init.body === "string" ? init.body : undefined;
    if (url.href === network.rpc_url) {
      const { id, method, params } = JSON.parse(text!) as { id: number; method: string; params: [Hex, Hex] };
      if (method === "eth_sign") return json(200, { jsonrpc: "2.0", id, result: await wallet.signMessage({ message: { raw: params[1] } }) });
      if (method === "eth_chainId") return json(200, { jsonrpc: "2.0", id, result: "0x7a69" });
      const result = rpc(method, params);
      if (result !== undefined) return json(200, { jsonrpc: "2.0", id, result });
      return json(200, { jsonrpc: "2.0", id, error: { code: -32601, message: `${method} is not faked` } });
    }
    const path = url.pathname.replace(/^\/api\/v1/, "");
    const call: Call = { method: init.method ?? "GET", path, query: url.searchParams, body: text === undefined ? undefined : JSON.parse(text) };
    calls.push(call);
    const handler = routes[`${call.method} ${path}`];
    const answer = handler ? await handler(call) : apiError(404, "not_found", `Unknown endpoint ${call.method} ${path}.`);
    if (answer.text !== undefined) return new Response(answer.text, { status: answer.status ?? 200 });
    return json(answer.status ?? 200, answer.body ?? {});
  });
  return calls;
}

export interface Rendered {
  config: Config;
  queryClient: QueryClient;
}

/** Renders `ui` inside the app's providers; with `connected`, dev account 0 is connected first. */
export async function renderWithApp(ui: ReactNode, { connected = true }: { connected?: boolean } = {}): Promise<Rendered> {
  // The console's route, keeping any search the test set (filters and the tab live in the URL).
  if (window.location.pathname !== "/console") window.history.replaceState(null, "", "/console");
  const config = wagmiConfigFor(network);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchInterval: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <WagmiProvider config={config}>
        <NetworkProvider network={network}>
          <Router routes={[{ path: "/console", render: () => ui }]} notFound={() => "not found"} />
        </NetworkProvider>
      </WagmiProvider>
    </QueryClientProvider>,
  );
  // After mounting: the provider's hydration on mount resets connections made before it.
  if (connected) await act(() => connect(config, { connector: config.connectors.find((c) => c.id === devConnectorId(0))! }));
  return { config, queryClient };
}

/** Real-shaped records (as the platform serializes them). */
export function keyView(overrides: Partial<KeyView> = {}): KeyView {
  return {
    id: "key_a1",
    name: "production",
    prefix: "sk-fomo-a1b2",
    spend_cap_micro_usd: null,
    spent_micro_usd: "0",
    held_micro_usd: "0",
    rpm_limit: null,
    tpm_limit: null,
    created_at: "2026-12-04T10:00:00.000Z",
    revoked_at: null,
    ...overrides,
  };
}
