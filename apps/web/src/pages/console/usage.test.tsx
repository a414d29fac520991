import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeFetch, keyView, renderWithApp, type Call } from "./test-support.tsx";
import { UsagePanel } from "./usage.tsx";
import type { UsageDayView, UsageRecordView } from "./wire.ts";

beforeEach(() => window.history.replaceState(null, "", "/console?tab=usage"));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

const DEPLOYMENT = "0x5fc8d32690cc91d4c39d9d3abcbd16989f875707";
const keys = [keyView(), keyView({ id: "key_c3", name: "staging", prefix: "sk-fomo-key_c3", revoked_at: "2026-12-04T12:00:00.000Z" })];

const record = (n: number, overrides: Partial<UsageRecordView> = {}): UsageRecordView => ({
  request_id: `key_a1:req-${n}`,
  key_id: "key_a1",
  model_id: "stories-260k-story",
  deployment: DEPLOYMENT,
  input_tokens: "1200",
  output_tokens: "350",
  list_price_micro_usd: "867",
  discount_bps: 250,
  price_charged_micro_usd: "845",
  usage_source: "provider",
  finish_reason: "stop",
  latency_ms: 1534,
  created_at: `2026-12-04T10:${String(59 - n).padStart(2, "0")}:00.000Z`,
  ...overrides,
});

const days: UsageDayView[] = [
  { day: "2026-12-02", key_id: "key_a1", model_id: "stories-260k-story", requests: 3, input_tokens: "3600", output_tokens: "1050", list_price_micro_usd: "2601", price_charged_micro_usd: "2535" },
  { day: "2026-12-04", key_id: "key_a1", model_id: "stories-260k-story", requests: 2, input_tokens: "2400", output_tokens: "700", list_price_micro_usd: "1734", price_charged_micro_usd: "1690" },
  { day: "2026-12-04", key_id: "key_c3", model_id: "qwen3-30b-a3b-instruct-rise", requests: 1, input_tokens: "40000", output_tokens: "2000", list_price_micro_usd: "1250000", price_charged_micro_usd: "1250000" },
];

function usagePlatform() {
  return fakeFetch({
    "GET /account/keys": () => ({ body: { data: keys, next_cursor: null } }),
    "GET /account/usage/daily": () => ({ body: { data: days, next_cursor: null } }),
    "GET /account/usage": ({ query }: Call) =>
      query.get("cursor") === "page2"
        ? { body: { data: [record(30, { request_id: "key_c3:req-30", key_id: "key_c3", model_id: "qwen3-30b-a3b-instruct-rise", price_charged_micro_usd: "1250000", discount_bps: 0, latency_ms: null })], next_cursor: null } }
        : { body: { data: [record(1), record(2)], next_cursor: "page2" } },
  });
}

describe("usage", () => {
  it("renders the logs table from real-shaped records, with key names, exact prices and paging", async () => {
    const calls = usagePlatform();
    await renderWithApp(<UsagePanel />, { connected: false });
    const table = await screen.findByRole("table", { name: "Requests, newest first" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    const cells = within(rows[0]!).getAllByRole("cell").map((c) => c.textContent);
    expect(cells.slice(1)).toEqual(["stories-260k-story", "production", "1,200 / 350", "$0.000867", "2.5%", "$0.000845", "1,534 ms"]);

    fireEvent.click(screen.getByRole("button", { name: "Older" }));
    await waitFor(() => expect(within(screen.getByRole("table", { name: "Requests, newest first" })).getAllByRole("row")).toHaveLength(2));
    const older = within(screen.getByRole("table", { name: "Requests, newest first" })).getAllByRole("row")[1]!;
    expect(within(older).getAllByRole("cell").map((c) => c.textContent).slice(1)).toEqual([
      "qwen3-30b-a3b-instruct-rise", "staging", "1,200 / 350", "$0.000867", "—", "$1.25", "—",
    ]);
    expect(calls.filter((c) => c.path === "/account/usage").map((c) => c.query.get("cursor"))).toContain("page2");
    expect((screen.getByRole("button", { name: "Older" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("charts the daily sums per day, model and key, gaps as zero days", async () => {
    usagePlatform();
    await renderWithApp(<UsagePanel />, { connected: false });
    const perDay = await screen.findByRole("list", { name: "Spend per day" });
    expect(within(perDay).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "2026-12-02: $0.002535",
      "2026-12-03: $0.00",
      "2026-12-04: $1.25169",
    ]);
    const perKey = screen.getByRole("list", { name: "spend per key" });
    expect(within(perKey).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["staging$1.25", "production$0.004225"]);
    fireEvent.click(screen.getByRole("button", { name: "Requests" }));
    const perModel = screen.getByRole("list", { name: "requests per model" });
    expect(within(perModel).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["stories-260k-story5 req", "qwen3-30b-a3b-instruct-rise1 req"]);
  });

  it("applies the filters to every read and to the CSV link (UTC days, the last one included)", async () => {
    const calls = usagePlatform();
    await renderWithApp(<UsagePanel />, { connected: false });
    await screen.findByRole("table", { name: "Requests, newest first" });
    fireEvent.change(screen.getByLabelText("API key"), { target: { value: "key_c3" } });
    fireEvent.change(screen.getByLabelText("Model"), { target: { value: "qwen3-30b-a3b-instruct-rise" } });
    fireEvent.change(screen.getByLabelText("From (UTC day)"), { target: { value: "2026-12-01" } });
    fireEvent.change(screen.getByLabelText("To (UTC day, included)"), { target: { value: "2026-12-04" } });
    fireEvent.click(screen.getByRole("button", { name: "Apply filters" }));
    const want = { key_id: "key_c3", model: "qwen3-30b-a3b-instruct-rise", since: "2026-12-01T00:00:00.000Z", until: "2026-12-05T00:00:00.000Z" };
    await waitFor(() => expect(calls.some((c) => c.path === "/account/usage" && c.query.get("key_id") === "key_c3")).toBe(true));
    for (const path of ["/account/usage", "/account/usage/daily"]) {
      const last = calls.filter((c) => c.path === path).at(-1)!;
      expect(Object.fromEntries([...last.query].filter(([k]) => k in want))).toEqual(want);
    }
    const csv = new URL(screen.getByRole("link", { name: "Download CSV" }).getAttribute("href")!, "http://app.test");
    expect(csv.pathname).toBe("/api/v1/account/usage.csv");
    expect(Object.fromEntries(csv.searchParams)).toEqual(want);
    // Filters live in the URL: a reload keeps them.
    expect(new URLSearchParams(window.location.search).get("key")).toBe("key_c3");
  });

  it("says so when there is no usage", async () => {
    fakeFetch({
      "GET /account/keys": () => ({ body: { data: [], next_cursor: null } }),
      "GET /account/usage/daily": () => ({ body: { data: [], next_cursor: null } }),
      "GET /account/usage": () => ({ body: { data: [], next_cursor: null } }),
    });
    await renderWithApp(<UsagePanel />, { connected: false });
    expect(await screen.findByText("No usage in this window")).toBeTruthy();
    expect(await screen.findByText("No requests in this window")).toBeTruthy();
  });
});
