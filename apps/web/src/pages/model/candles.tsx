// The $MT's price candles (the bonding curve's buys, then the Uniswap pool's swaps) drawn with
// TradingView's Lightweight Charts, loaded with import() so the library stays out of the page's chunk.
//
// Lightweight Charts™ — Copyright (c) 2025 TradingView, Inc. https://www.tradingview.com/
// Licensed under the Apache License, Version 2.0 (its NOTICE asks for this notice and a link to
// tradingview.com: the footer carries the link and the chart keeps its attribution logo).
import { useEffect, useRef, useState } from "react";
import { formatUnits } from "viem";
import { EmptyState } from "../../components/states.tsx";
import { amount, compact } from "../../lib/format.ts";
import type { CandleView } from "../../lib/wire.ts";

export const INTERVALS = [
  { key: "1m", seconds: 60, name: "1 minute" },
  { key: "1h", seconds: 3_600, name: "1 hour" },
  { key: "1d", seconds: 86_400, name: "1 day" },
] as const;
export type IntervalKey = (typeof INTERVALS)[number]["key"];
export const DEFAULT_INTERVAL: IntervalKey = "1h";

export const intervalSeconds = (key: string): number => (INTERVALS.find((i) => i.key === key) ?? INTERVALS[1]).seconds;

/**
 * A wei amount as a chart coordinate. The one place the page turns money into a float: the chart's
 * axes need numbers, and a pixel does not need more than a double's 15 significant digits. Every
 * figure printed as text is formatted from the integer instead.
 */
const coordinate = (wei: string) => Number(formatUnits(BigInt(wei), 18));

export interface ChartCandle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

export function chartCandles(candles: readonly CandleView[]): { prices: ChartCandle[]; volumes: Array<{ time: number; value: number }> } {
  const sorted = [...candles].sort((a, b) => Number(BigInt(a.start) - BigInt(b.start)));
  return {
    prices: sorted.map((c) => ({ time: Number(c.start), open: coordinate(c.open), high: coordinate(c.high), low: coordinate(c.low), close: coordinate(c.close) })),
    volumes: sorted.map((c) => ({ time: Number(c.start), value: coordinate(c.volume_flock) })),
  };
}

/** What the candles say, in words and exact amounts: the chart's text alternative. */
export function candleSummary(candles: readonly CandleView[]): string {
  if (candles.length === 0) return "No trades in this range.";
  let high = BigInt(candles[0]!.high);
  let low = BigInt(candles[0]!.low);
  let volume = 0n;
  let trades = 0;
  let last = candles[0]!;
  for (const c of candles) {
    if (BigInt(c.high) > high) high = BigInt(c.high);
    if (BigInt(c.low) < low) low = BigInt(c.low);
    volume += BigInt(c.volume_flock);
    trades += c.trades;
    if (BigInt(c.start) > BigInt(last.start)) last = c;
  }
  const price = (wei: bigint | string) => `${amount(wei, 18, 6)} FLOCK`;
  return `${candles.length} candle${candles.length === 1 ? "" : "s"}, ${trades} trade${trades === 1 ? "" : "s"}: last ${price(last.close)} per $MT, high ${price(high)}, low ${price(low)}, volume ${compact(volume)} FLOCK.`;
}

/** Axis labels: four significant digits, small prices without a run of zeros. */
const axisLabel = (price: number) => (price === 0 ? "0" : Math.abs(price) >= 1 ? price.toFixed(2) : price.toPrecision(4));

const COLORS = { up: "#4ade80", down: "#f87171", text: "#9aa3b2", grid: "#1b202a", volume: "rgba(124, 156, 255, 0.35)" };

type Drawn = { setData(prices: ChartCandle[], volumes: Array<{ time: number; value: number }>): void; remove(): void };

/** Lightweight Charts draws on a 2D canvas and follows the device pixel ratio through matchMedia. */
const canDraw = () => typeof window.matchMedia === "function" && document.createElement("canvas").getContext("2d") !== null;

async function draw(container: HTMLElement): Promise<Drawn> {
  if (!canDraw()) throw new Error("this browser has no 2D canvas; the summary below says what it would show");
  const { createChart, CandlestickSeries, HistogramSeries, ColorType } = await import("lightweight-charts");
  const chart = createChart(container, {
    autoSize: true,
    layout: { background: { type: ColorType.Solid, color: "transparent" }, textColor: COLORS.text, attributionLogo: true },
    grid: { vertLines: { color: COLORS.grid }, horzLines: { color: COLORS.grid } },
    timeScale: { timeVisible: true, secondsVisible: false, borderColor: COLORS.grid },
    rightPriceScale: { borderColor: COLORS.grid },
  });
  const prices = chart.addSeries(CandlestickSeries, {
    upColor: COLORS.up,
    downColor: COLORS.down,
    wickUpColor: COLORS.up,
    wickDownColor: COLORS.down,
    borderVisible: false,
    priceFormat: { type: "custom", formatter: axisLabel, minMove: 1e-12 },
  });
  const volumes = chart.addSeries(HistogramSeries, { color: COLORS.volume, priceScaleId: "volume", priceFormat: { type: "volume" }, lastValueVisible: false, priceLineVisible: false });
  chart.priceScale("volume").applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
  return {
    setData(p, v) {
      prices.setData(p as never);
      volumes.setData(v as never);
      chart.timeScale().fitContent();
    },
    remove: () => chart.remove(),
  };
}

function CandleChart({ candles }: { candles: readonly CandleView[] }) {
  const container = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState<Drawn>();
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    let live = true;
    let chart: Drawn | undefined;
    draw(container.current!)
      .then((d) => {
        if (live) setDrawn((chart = d));
        else d.remove();
      })
      .catch((e: unknown) => live && setFailure(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
      chart?.remove();
    };
  }, []);
  useEffect(() => {
    if (!drawn) return;
    const { prices, volumes } = chartCandles(candles);
    drawn.setData(prices, volumes);
  }, [drawn, candles]);
  return (
    <div className="relative h-72 w-full sm:h-80">
      <div ref={container} className="absolute inset-0" aria-hidden />
      {failure && <p className="absolute inset-0 flex items-center justify-center p-4 text-center text-sm text-muted">The chart could not be drawn: {failure}.</p>}
    </div>
  );
}

export function Candles({ candles, interval, onInterval, refreshing }: { candles: readonly CandleView[]; interval: string; onInterval: (key: IntervalKey) => void; refreshing: boolean }) {
  return (
    <figure className="m-0">
      <div role="group" aria-label="Candle interval" className="mb-3 inline-flex rounded-lg border border-line p-0.5">
        {INTERVALS.map((i) => (
          <button
            key={i.key}
            type="button"
            aria-pressed={interval === i.key}
            aria-label={`${i.name} candles`}
            onClick={() => onInterval(i.key)}
            className="min-h-8 rounded-md px-3 text-sm text-muted hover:text-ink focus-visible:outline-2 focus-visible:outline-accent aria-pressed:bg-raised aria-pressed:font-semibold aria-pressed:text-ink"
          >
            {i.key}
          </button>
        ))}
      </div>
      {candles.length === 0 ? (
        <EmptyState title="No trades in this range yet">Candles appear with the first trade.</EmptyState>
      ) : (
        <CandleChart candles={candles} />
      )}
      <figcaption className="mt-2 text-xs text-muted" aria-live="polite" aria-busy={refreshing}>
        {candleSummary(candles)}
      </figcaption>
    </figure>
  );
}
