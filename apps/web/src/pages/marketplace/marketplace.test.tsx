import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Router } from "../../lib/router.tsx";
import { AS_OF, offering, offerings } from "./fixture.ts";
import { Marketplace } from "./index.tsx";
import { CARD_HEIGHT } from "./list.tsx";
import { fetchMarket, PAGE_LIMIT, templatesOf, type Market } from "./offerings.ts";

function show(market: Market) {
  return render(<Router routes={[{ path: "/", render: () => <Marketplace market={market} /> }]} notFound={() => null} />);
}

const rows = () => screen.getAllByRole("row").filter((r) => r.getAttribute("aria-rowindex") !== "1");
const tickers = () => rows().map((r) => r.getAttribute("data-offering"));
const countText = () => screen.getByTestId("market-count").textContent;

beforeEach(() => window.history.replaceState(null, "", "/"));
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("the marketplace", () => {
  it("renders 1,000 offerings as a window of rows and follows the scroll", async () => {
    const market = { offerings: offerings(1_000), asOf: AS_OF };
    show(market);
    const table = screen.getByRole("table", { name: "Offerings" });
    expect(table.getAttribute("aria-rowcount")).toBe("1001");
    expect(countText()).toBe("1,000 offerings");
    const first = rows().length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(30);

    // Scroll 500 cards down: the window moves there and stays small.
    const body = table.querySelectorAll('[role="rowgroup"]')[1] as HTMLElement;
    vi.spyOn(body, "getBoundingClientRect").mockReturnValue({ top: -500 * CARD_HEIGHT } as DOMRect);
    await act(async () => {
      window.dispatchEvent(new Event("scroll"));
      await new Promise((r) => requestAnimationFrame(() => r(null)));
    });
    const indexes = rows().map((r) => Number(r.getAttribute("aria-rowindex")));
    expect(indexes).toContain(500 + 2);
    expect(Math.min(...indexes)).toBeGreaterThan(400);
    expect(rows().length).toBeLessThan(30);
  });

  it("walks the rows with the arrow keys", () => {
    show({ offerings: offerings(100), asOf: AS_OF });
    const links = () => rows().map((r) => within(r).getByRole("link"));
    links()[0]!.focus();
    for (let i = 0; i < 3; i++) fireEvent.keyDown(document.activeElement!, { key: "ArrowDown" });
    expect(document.activeElement).toBe(links()[3]);
    fireEvent.keyDown(document.activeElement!, { key: "ArrowUp" });
    expect(document.activeElement).toBe(links()[2]);
    // Nothing above the first row: the focus stays.
    links()[0]!.focus();
    fireEvent.keyDown(links()[0]!, { key: "ArrowUp" });
    expect(document.activeElement).toBe(links()[0]);
  });

  it("shows each offering's numbers, a dash for a field the platform does not send, and links by state", () => {
    const raising = offering({ index: 1, state: "raising", ticker: "MKRAISE", name: "Raising One", volume: 1_234_000n * 10n ** 18n, closesIn: 2 * 86_400 + 3 * 3_600, raised: 300_000n * 10n ** 18n });
    const graduated = offering({ index: 2, state: "graduated", ticker: "MKGRAD", name: "Graduated One", volume: undefined, raised: 1_000_000n * 10n ** 18n });
    show({ offerings: [raising, graduated], asOf: AS_OF });
    const raisingRow = within(rows().find((r) => r.getAttribute("data-offering") === "MKRAISE")!);
    expect(raisingRow.getByRole("link").getAttribute("href")).toBe("/offerings/MKRAISE");
    expect(raisingRow.getByText("1.2M FLOCK")).toBeTruthy();
    expect(raisingRow.getByText("2d 3h")).toBeTruthy();
    expect(raisingRow.getByText("300K of 1M FLOCK · min 200K")).toBeTruthy();
    expect(raisingRow.getByRole("progressbar").getAttribute("aria-label")).toBe("MKRAISE raised 30% of its maximum");
    const gradRow = within(rows().find((r) => r.getAttribute("data-offering") === "MKGRAD")!);
    expect(gradRow.getByRole("link").getAttribute("href")).toBe("/models/MKGRAD");
    // The pool's price, not the curve's, once graduated.
    // Full raise on the default curve: 7.5 FLOCK per $MT; the fixture's pool trades 10% above it.
    expect(gradRow.getByText("8.25 FLOCK")).toBeTruthy();
    expect(gradRow.queryByText("7.5 FLOCK")).toBeNull();
    expect(gradRow.getAllByText("—").length).toBe(2); // no 24 h volume, no time left
  });

  it("filters by state and template, searches ticker, name and model id, all kept in the URL", () => {
    const list = offerings(1_000);
    show({ offerings: list, asOf: AS_OF });
    fireEvent.change(screen.getByLabelText("State"), { target: { value: "graduated" } });
    expect(window.location.search).toBe("?state=graduated");
    expect(countText()).toBe("200 of 1,000 offerings");
    expect(rows().every((r) => within(r).getByText("graduated"))).toBe(true);

    fireEvent.change(screen.getByLabelText("Template"), { target: { value: "1" } });
    expect(countText()).toBe("100 of 1,000 offerings");
    expect(rows().every((r) => /MK\d+ · qwen3-30b-a3b-instruct-mk\d+/.test(r.textContent ?? ""))).toBe(true);
    expect(screen.getByRole("option", { name: "qwen3-30b-a3b-instruct", selected: true })).toBeTruthy();

    fireEvent.change(screen.getByLabelText("Template"), { target: { value: "" } });
    fireEvent.change(screen.getByLabelText("State"), { target: { value: "" } });
    fireEvent.change(screen.getByLabelText("Search"), { target: { value: "mk99" } });
    expect(window.location.search).toBe("?q=mk99");
    // MK99 and MK990..MK999.
    expect(countText()).toBe("11 of 1,000 offerings");
    fireEvent.change(screen.getByLabelText("Search"), { target: { value: "Model 123" } });
    expect(tickers()).toEqual(["MK123"]);
    fireEvent.change(screen.getByLabelText("Search"), { target: { value: "qwen3-30b-a3b-instruct-mk777" } });
    expect(tickers()).toEqual(["MK777"]);
    fireEvent.change(screen.getByLabelText("Search"), { target: { value: "nothing like it" } });
    expect(screen.getByText("No offering matches these filters")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(window.location.search).toBe("");
    expect(countText()).toBe("1,000 offerings");
  });

  it("sorts by trending (24 h volume, then buys), newest and closing soon", () => {
    const list = [
      offering({ index: 0, state: "raising", ticker: "QUIET", volume: 0n, buys: 50, block: 10, closesIn: 5_000 }),
      offering({ index: 1, state: "raising", ticker: "HOT", volume: 900n * 10n ** 18n, buys: 1, block: 11, closesIn: 9_000 }),
      offering({ index: 2, state: "graduated", ticker: "BUSY", volume: 0n, buys: 80, block: 12 }),
      offering({ index: 3, state: "raising", ticker: "SOON", volume: 10n ** 18n, buys: 0, block: 13, closesIn: 60 }),
      offering({ index: 4, state: "failed", ticker: "NEW", volume: undefined, buys: 0, block: 14 }),
    ];
    show({ offerings: list, asOf: AS_OF });
    expect(tickers()).toEqual(["HOT", "SOON", "BUSY", "QUIET", "NEW"]);
    fireEvent.change(screen.getByLabelText("Sort by"), { target: { value: "newest" } });
    expect(window.location.search).toBe("?sort=newest");
    expect(tickers()).toEqual(["NEW", "SOON", "BUSY", "HOT", "QUIET"]);
    fireEvent.change(screen.getByLabelText("Sort by"), { target: { value: "closing" } });
    expect(tickers()).toEqual(["SOON", "QUIET", "HOT", "NEW", "BUSY"]);
  });

  it("keeps the rows it has when fresh data arrives (same elements, new numbers)", () => {
    const list = offerings(20);
    const view = show({ offerings: list, asOf: AS_OF });
    const before = rows()[0]!;
    const updated = list.map((o) => (o.ticker === before.getAttribute("data-offering") ? { ...o, buys: o.buys + 1, raised_flock: o.raise_max_flock, progress_bps: "10000" } : o));
    view.rerender(<Router routes={[{ path: "/", render: () => <Marketplace market={{ offerings: updated, asOf: AS_OF + 5n }} /> }]} notFound={() => null} />);
    expect(rows()[0]).toBe(before);
    expect(within(before).getByRole("progressbar").getAttribute("aria-label")).toMatch(/raised 100% of its maximum$/);
  });

  it("says so when there is no offering at all", () => {
    show({ offerings: [], asOf: AS_OF });
    expect(screen.getByText("No offerings yet")).toBeTruthy();
    expect(screen.getByRole("link", { name: "launch a model" }).getAttribute("href")).toBe("/launch");
  });
});

describe("templatesOf", () => {
  it("names each template by the base model its offerings' model ids serve", () => {
    const list = [
      offering({ index: 3, state: "raising", templateId: 1, ticker: "B2" }),
      offering({ index: 1, state: "failed", templateId: 0, ticker: "A1" }),
      { ...offering({ index: 2, state: "raising", templateId: 7, ticker: "ODD" }), model_id: "something-else" },
    ];
    expect([...templatesOf(list)]).toEqual([
      [0, "stories-260k"],
      [1, "qwen3-30b-a3b-instruct"],
      [7, "Template 7"],
    ]);
  });
});

describe("fetchMarket", () => {
  it("follows next_cursor through every page", async () => {
    const all = offerings(450);
    const asked: URL[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
      const url = new URL(String(input), "http://localhost");
      asked.push(url);
      const start = Number(url.searchParams.get("cursor") ?? "0");
      const data = all.slice(start, start + PAGE_LIMIT);
      const next = start + PAGE_LIMIT < all.length ? String(start + PAGE_LIMIT) : null;
      return new Response(JSON.stringify({ data, next_cursor: next, as_of: String(AS_OF) }), { status: 200 });
    });
    const market = await fetchMarket();
    expect(market.offerings.map((o) => o.mt)).toEqual(all.map((o) => o.mt));
    expect(market.asOf).toBe(AS_OF);
    expect(asked.map((u) => `${u.pathname}?${u.searchParams}`)).toEqual([
      "/api/v1/offerings?limit=200",
      "/api/v1/offerings?limit=200&cursor=200",
      "/api/v1/offerings?limit=200&cursor=400",
    ]);
  });

  it("throws the platform's error sentence", async () => {
    vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response(JSON.stringify({ error: { code: "read_model_unavailable", message: "No read model." } }), { status: 503 }));
    await expect(fetchMarket()).rejects.toThrow("No read model.");
  });
});
