import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { WagmiProvider } from "wagmi";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NetworkProvider } from "../../lib/network.tsx";
import { Router } from "../../lib/router.tsx";
import { wagmiConfigFor } from "../../lib/wagmi.ts";
import type { NetworkView } from "../../lib/wire.ts";
import recorded from "./fixtures.json" with { type: "json" };
import ModelPage from "./index.tsx";

const network = recorded.network as unknown as NetworkView;
const { offering, token } = recorded;
const API = "/api/v1";

type Answer = { status: number; body: unknown };
const ok = (body: unknown): Answer => ({ status: 200, body });
const missing = (what: string): Answer => ({ status: 404, body: { error: { code: "not_found", message: `${what} not found.` } } });

/** The platform as the page sees it: answers by path (query strings are recorded in `requests`). */
function platform(answers: Record<string, Answer | ((url: URL) => Answer)>) {
  const requests: URL[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL) => {
      const url = new URL(String(input), "http://127.0.0.1:8788");
      requests.push(url);
      const found = answers[url.pathname];
      const answer = typeof found === "function" ? found(url) : (found ?? missing(`Route ${url.pathname}`));
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { "content-type": "application/json" } });
    }),
  );
  return requests;
}

const story = {
  [`${API}/offerings/STORY`]: ok(offering),
  [`${API}/tokens/${offering.mt}`]: ok(token),
  // The platform lists only the epochs the $MT had something in (the recording predates that filter).
  [`${API}/tokens/${offering.mt}/epochs`]: ok({ ...recorded.epochs, data: recorded.epochs.data.filter((e) => e.reports.length > 0 || e.buybacks.length > 0 || e.emission !== null) }),
  [`${API}/tokens/${offering.mt}/holders`]: ok(recorded.holders),
};

function open(path: string) {
  window.history.replaceState(null, "", path);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchInterval: false } } });
  render(
    <QueryClientProvider client={queryClient}>
      <NetworkProvider network={network}>
        <WagmiProvider config={wagmiConfigFor(network)}>
          <Router routes={[{ path: "/models/:id", render: () => <ModelPage /> }]} notFound={() => null} />
        </WagmiProvider>
      </NetworkProvider>
    </QueryClientProvider>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("the model page of a graduated offering", () => {
  it("names the model the gateway serves and puts it, with the network's gateway, in every snippet", async () => {
    platform(story);
    open("/models/STORY");
    expect(await screen.findByRole("heading", { level: 1, name: `${offering.name} (${offering.ticker})` })).toBeTruthy();
    expect(screen.getByLabelText("Model id").textContent).toBe(offering.model_id);
    const curl = screen.getByRole("tabpanel");
    expect(curl.textContent).toContain(`curl ${network.gateway_url}/chat/completions`);
    expect(curl.textContent).toContain(`"model":"${offering.model_id}"`);
    fireEvent.mouseDown(screen.getByRole("tab", { name: "JavaScript" }), { button: 0 });
    expect(screen.getByRole("tabpanel").textContent).toContain(`baseURL: "${network.gateway_url}"`);
  });

  it("shows supply, burned, pool and holders, and the revenue routed in the stablecoin's units", async () => {
    platform(story);
    open("/models/STORY");
    const supply = await screen.findByText("Total supply");
    const stats = supply.closest("dl")!;
    expect(within(stats).getByText("866,666 STORY")).toBeTruthy();
    expect(within(stats).getByText("133.3K STORY")).toBeTruthy();
    expect(within(stats).getByText("64.1K STORY")).toBeTruthy();
    expect(within(stats).getByText(String(token.holders))).toBeTruthy();
    // 340 units of a 6-decimal USDC.
    expect(within(screen.getByText("Gross").closest("div")!).getByText("0.00034 USDC")).toBeTruthy();
    expect(screen.getByText(`Inference revenue reported on chain over ${token.revenue.epochs_reported} epochs, and where it went.`)).toBeTruthy();
  });

  it("lists the epochs with activity, each flow with its transaction hash to copy", async () => {
    platform(story);
    open("/models/STORY");
    const list = await screen.findByRole("list", { name: "Epochs with activity, newest first" });
    const active = recorded.epochs.data.filter((e) => e.reports.length > 0 || e.buybacks.length > 0 || e.emission !== null);
    expect(within(list).getAllByRole("heading", { level: 3 }).map((h) => h.textContent)).toEqual(active.map((e) => `Epoch ${e.epoch}`));
    const withBuyback = active.find((e) => e.buybacks.length > 0)!;
    const row = within(list).getByRole("heading", { name: `Epoch ${withBuyback.epoch}` }).closest("li")!;
    for (const hash of [withBuyback.reports[0]!.tx_hash, withBuyback.buybacks[0]!.tx_hash, withBuyback.emission!.tx_hash!]) {
      expect(within(row).getByRole("button", { name: `Copy transaction hash ${hash}` })).toBeTruthy();
    }
    expect(within(row).getByText(/0\.000045 USDC bought 0\.000119 STORY, burned/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Show older epochs" })).toBeNull();
  });

  it("ranks the top holders with their share of supply and names the protocol's contracts", async () => {
    platform(story);
    open("/models/STORY");
    const list = await screen.findByRole("list", { name: "Top STORY holders" });
    const items = within(list).getAllByRole("listitem");
    expect(items).toHaveLength(recorded.holders.data.length);
    expect(items[0]!.textContent).toContain("Launchpad (unclaimed)");
    expect(items[0]!.textContent).toContain("400,000 STORY");
    expect(items[0]!.textContent).toContain("46.15%");
    const pool = items.find((i) => i.textContent!.includes("Pool (LP)"))!;
    expect(pool.textContent).toContain(offering.pair!.slice(0, 6));
    const treasury = items.find((i) => i.textContent!.includes("Treasury"))!;
    expect(treasury.textContent).toContain(network.deployments.roles.treasury.slice(0, 6));
  });

  it("asks the candles of the picked interval", async () => {
    const requests = platform(story);
    open("/models/STORY");
    await screen.findByRole("group", { name: "Candle interval" });
    const asked = () => requests.filter((u) => u.pathname === `${API}/offerings/STORY`).map((u) => u.searchParams.get("interval"));
    expect(asked()).toEqual(["3600"]);
    fireEvent.click(screen.getByRole("button", { name: "1 day candles" }));
    await waitFor(() => expect(asked()).toEqual(["3600", "86400"]));
    expect(new URL(window.location.href).searchParams.get("interval")).toBe("1d");
    expect(screen.getByRole("button", { name: "1 day candles" }).getAttribute("aria-pressed")).toBe("true");
    expect(screen.getByText(/^2 candles, 3 trades: last 8\.111064 FLOCK per \$MT/)).toBeTruthy();
  });

  it("shows the discount tiers and asks for a wallet before staking", async () => {
    platform(story);
    open("/models/STORY");
    expect(await screen.findByText("Connect a wallet to stake")).toBeTruthy();
    expect(screen.getByRole("table").textContent).toContain("≥ 1,000 STORY");
    expect(screen.queryByLabelText("Stake STORY")).toBeNull();
  });
});

describe("the model page's other states", () => {
  it("says when no offering has that id", async () => {
    platform({});
    open("/models/NOPE");
    expect(await screen.findByRole("heading", { level: 1, name: "Model not found" })).toBeTruthy();
  });

  it("sends an offering that has not graduated to its offering page", async () => {
    platform({ [`${API}/offerings/RISE`]: ok(recorded.raising) });
    open("/models/RISE");
    expect(await screen.findByText("RISE is not live yet")).toBeTruthy();
    expect(screen.getByRole("link", { name: "See the offering" }).getAttribute("href")).toBe("/offerings/RISE");
    expect(screen.queryByLabelText("Model id")).toBeNull();
  });

  it("shows the platform's error when the token cannot be read, and keeps the rest of the page", async () => {
    platform({
      ...story,
      [`${API}/tokens/${offering.mt}`]: { status: 503, body: { error: { code: "read_model_unavailable", message: "This platform serves no read model." } } },
    });
    open("/models/STORY");
    expect((await screen.findAllByText("This platform serves no read model.")).length).toBeGreaterThan(0);
    expect(screen.getByLabelText("Model id").textContent).toBe(offering.model_id);
  });

  it("shows an empty state while the platform does not serve the holders", async () => {
    platform({ ...story, [`${API}/tokens/${offering.mt}/holders`]: missing(`Route GET:${API}/tokens/${offering.mt}/holders`) });
    open("/models/STORY");
    expect(await screen.findByText("Holders are not listed yet")).toBeTruthy();
    expect(screen.queryByRole("list", { name: "Top STORY holders" })).toBeNull();
  });

  it("shows the $MT's epochs ten at a time, newest first, and the older ones when asked", async () => {
    const older = recorded.epochs.data.find((e) => e.buybacks.length > 0)!;
    const newest = Array.from({ length: 10 }, (_, i) => ({ ...older, epoch: String(50_000 - i) }));
    const requests = platform({
      ...story,
      [`${API}/tokens/${offering.mt}/epochs`]: (url) =>
        url.searchParams.get("cursor") === "page-2" ? ok({ data: [older], next_cursor: null }) : ok({ data: newest, next_cursor: "page-2" }),
    });
    open("/models/STORY");
    const list = await screen.findByRole("list", { name: "Epochs with activity, newest first" });
    expect(within(list).getAllByRole("heading", { level: 3 }).map((h) => h.textContent)).toEqual(newest.map((e) => `Epoch ${e.epoch}`));
    fireEvent.click(screen.getByRole("button", { name: "Show older epochs" }));
    await waitFor(() => expect(within(list).getAllByRole("heading", { level: 3 })).toHaveLength(11));
    expect(within(list).getAllByRole("heading", { level: 3 }).at(-1)!.textContent).toBe(`Epoch ${older.epoch}`);
    const asked = requests.filter((u) => u.pathname.endsWith("/epochs"));
    expect(asked.map((u) => [u.searchParams.get("cursor"), u.searchParams.get("limit")])).toEqual([[null, "10"], ["page-2", "10"]]);
    expect(screen.queryByRole("button", { name: "Show older epochs" })).toBeNull();
  });
});
