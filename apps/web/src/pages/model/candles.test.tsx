import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CandleView } from "../../lib/wire.ts";
import { candleSummary, Candles, chartCandles, intervalSeconds } from "./candles.tsx";

afterEach(cleanup);

// Two hourly candles as GET /offerings/{id} answers them: FLOCK wei per whole $MT, oldest first.
const CANDLES: CandleView[] = [
  { start: "1796396400", open: "1000000000000000", high: "2500000000000000", low: "1000000000000000", close: "2400000000000000", volume_flock: "100000000000000000000000000", trades: 1 },
  { start: "1796400000", open: "2400000000000000", high: "2450000000000000", low: "2300000000000000", close: "2312345678901234", volume_flock: "1500000000000000000000", trades: 3 },
];

describe("candles", () => {
  it("maps the picker's intervals to the API's seconds, an unknown one to an hour", () => {
    expect(["1m", "1h", "1d", "5y"].map(intervalSeconds)).toEqual([60, 3_600, 86_400, 3_600]);
  });

  it("turns wei prices into chart coordinates in whole FLOCK, in time order", () => {
    const { prices, volumes } = chartCandles([CANDLES[1]!, CANDLES[0]!]);
    expect(prices.map((p) => p.time)).toEqual([1796396400, 1796400000]);
    expect(prices[0]).toEqual({ time: 1796396400, open: 0.001, high: 0.0025, low: 0.001, close: 0.0024 });
    expect(prices[1]!.close).toBeCloseTo(0.002312345678901234, 15);
    expect(volumes.map((v) => v.value)).toEqual([100_000_000, 1_500]);
  });

  it("says what the chart shows in exact amounts", () => {
    expect(candleSummary(CANDLES)).toBe("2 candles, 4 trades: last 0.002312 FLOCK per $MT, high 0.0025 FLOCK, low 0.001 FLOCK, volume 100M FLOCK.");
    expect(candleSummary([])).toBe("No trades in this range.");
  });

  it("offers 1m / 1h / 1d with the current one pressed, and an empty state without trades", () => {
    const onInterval = vi.fn();
    render(<Candles candles={[]} interval="1h" onInterval={onInterval} refreshing={false} />);
    const group = screen.getByRole("group", { name: "Candle interval" });
    expect(group).toBeTruthy();
    expect(screen.getByRole("button", { name: "1 hour candles" }).getAttribute("aria-pressed")).toBe("true");
    expect(screen.getByRole("button", { name: "1 day candles" }).getAttribute("aria-pressed")).toBe("false");
    fireEvent.click(screen.getByRole("button", { name: "1 minute candles" }));
    expect(onInterval).toHaveBeenCalledWith("1m");
    expect(screen.getByText("No trades in this range yet")).toBeTruthy();
  });
});
