// The simulation's charts, drawn by uPlot, which is loaded (with its stylesheet) only when a chart is
// first shown. Amounts arrive as bigint; here, and only here, they become floats: chart coordinates.
// Each chart's caption says in words, from the integers, what the lines show.
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type uPlot from "uplot";
import { amount, compact } from "../../lib/format.ts";
import type { SimulationResult } from "./simulation.ts";

/** A coordinate for the chart: `value` of `decimals` decimals as a float. Never used for a figure shown as text. */
export const coordinate = (value: bigint, decimals: number) => Number(value) / 10 ** decimals;

interface Line {
  label: string;
  color: string;
  values: readonly bigint[];
  decimals: number;
}

const COLORS = { accent: "#7c9cff", good: "#4ade80", warn: "#fbbf24", bad: "#f87171", pink: "#f472b6", cyan: "#22d3ee", muted: "#9aa3b2" };
const GRID = "#2a3140";

let uplotModule: Promise<typeof uPlot> | undefined;
const loadUplot = () => {
  uplotModule ??= Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]).then(([m]) => m.default);
  return uplotModule;
};

function Chart({ days, lines, unit, band }: { days: readonly number[]; lines: readonly Line[]; unit: string; band?: [number, number] }) {
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let plot: uPlot | undefined;
    let observer: ResizeObserver | undefined;
    let gone = false;
    loadUplot()
      .then((UPlot) => {
        const el = box.current;
        if (gone || !el) return;
        const size = () => ({ width: Math.max(240, el.clientWidth), height: 220 });
        const axis = { stroke: COLORS.muted, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 } };
        plot = new UPlot(
          {
            ...size(),
            scales: { x: { time: false } },
            axes: [{ ...axis, label: "day" }, { ...axis, size: 60, values: (_u, ticks) => ticks.map((t) => shortNumber(t)) }],
            series: [
              { label: "day" },
              ...lines.map((l) => ({ label: l.label, stroke: l.color, width: 2, value: (_u: uPlot, v: number | null) => (v == null ? "–" : `${shortNumber(v)} ${unit}`) })),
            ],
            ...(band ? { bands: [{ series: band, fill: "rgba(124,156,255,0.15)" }] } : {}),
            legend: { live: true },
          },
          [days as number[], ...lines.map((l) => l.values.map((v) => coordinate(v, l.decimals)))],
          el,
        );
        if (typeof ResizeObserver !== "undefined") {
          observer = new ResizeObserver(() => plot?.setSize(size()));
          observer.observe(el);
        }
      })
      .catch((e: unknown) => setFailed(e instanceof Error ? e.message : String(e)));
    return () => {
      gone = true;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [days, lines, unit, band]);
  return failed ? <p className="text-sm text-muted">The chart could not be drawn here ({failed}); the table below has the figures.</p> : <div ref={box} aria-hidden className="sim-chart min-h-[220px] w-full" />;
}

/** A float axis label: 1234567 → "1.2M" (the float is a coordinate, so is its label). */
function shortNumber(v: number): string {
  const abs = Math.abs(v);
  for (const [size, suffix] of [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "K"]] as const) {
    if (abs >= size) return `${+(v / size).toFixed(1)}${suffix}`;
  }
  return abs >= 1 || v === 0 ? `${+v.toFixed(2)}` : `${+v.toPrecision(2)}`;
}

function Figure({ title, caption, children }: { title: string; caption: string; children: ReactNode }) {
  return (
    <figure className="min-w-0 rounded-xl border border-line bg-surface p-3 sm:p-4">
      <h3 className="mb-1 text-sm font-semibold">{title}</h3>
      {children}
      <figcaption className="mt-2 text-xs text-muted">{caption}</figcaption>
    </figure>
  );
}

const usd = (microUsd: bigint) => `$${amount(microUsd, 6, microUsd < 1_000_000n ? 4 : 2)}`;

export default function SimulationCharts({ result }: { result: SimulationResult }) {
  const { fan, series, usdcDecimals } = result;
  const charts = useMemo(() => {
    if (!series || fan.length === 0) return null;
    const days = series.day;
    return {
      days,
      price: [
        { label: "p5", color: COLORS.muted, values: fan.map((f) => f.p5), decimals: 6 },
        { label: "median", color: COLORS.accent, values: fan.map((f) => f.p50), decimals: 6 },
        { label: "p95", color: COLORS.muted, values: fan.map((f) => f.p95), decimals: 6 },
      ],
      supply: [
        { label: "circulating", color: COLORS.accent, values: series.circulating, decimals: 18 },
        { label: "burned", color: COLORS.bad, values: series.burned, decimals: 18 },
        { label: "in the pool", color: COLORS.cyan, values: series.pool, decimals: 18 },
        { label: "vesting, incentives, treasury", color: COLORS.muted, values: series.locked, decimals: 18 },
      ],
      revenue: [
        { label: "gross revenue", color: COLORS.good, values: series.grossMicroUsd, decimals: 6 },
        { label: "to $MT buybacks", color: COLORS.accent, values: series.mtBuybackFunded, decimals: usdcDecimals },
        { label: "spent on $MT buybacks", color: COLORS.cyan, values: series.mtBuybackSpent, decimals: usdcDecimals },
        { label: "spent on FLOCK buybacks", color: COLORS.pink, values: series.flockBuybackSpent, decimals: usdcDecimals },
        { label: "issuer yield", color: COLORS.warn, values: series.issuerYield, decimals: usdcDecimals },
        { label: "treasury", color: COLORS.muted, values: series.treasury, decimals: usdcDecimals },
      ],
      emission: [
        { label: "to this $MT", color: COLORS.accent, values: series.mtEmission, decimals: 18 },
        { label: "users", color: COLORS.good, values: series.usersFlock, decimals: 18 },
        { label: "issuer bonus", color: COLORS.warn, values: series.issuerBonus, decimals: 18 },
      ],
    };
  }, [fan, series, usdcDecimals]);
  if (!charts || !series) return null;
  const first = fan[0]!;
  const last = fan.at(-1)!;
  const lastDay = series.day.length - 1;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Figure
        title="$MT price (USD), p5 to p95 across runs"
        caption={`Median price ${usd(first.p50)} on day 0, ${usd(last.p50)} on day ${last.day} (p5 ${usd(last.p5)}, p95 ${usd(last.p95)}).`}
      >
        <Chart days={charts.days} lines={charts.price} unit="USD" band={[3, 1]} />
      </Figure>
      <Figure
        title="$MT supply (representative run)"
        caption={`By day ${lastDay}: ${compact(series.burned[lastDay]!)} $MT burned, ${compact(series.circulating[lastDay]!)} circulating, ${compact(series.pool[lastDay]!)} in the pool.`}
      >
        <Chart days={charts.days} lines={charts.supply} unit="$MT" />
      </Figure>
      <Figure
        title="Revenue and buybacks a day (USD)"
        caption={`Day ${lastDay}: ${usd(series.grossMicroUsd[lastDay]!)} gross revenue, ${amount(series.mtBuybackSpent[lastDay]!, usdcDecimals, 2)} USDC spent on $MT buybacks.`}
      >
        <Chart days={charts.days} lines={charts.revenue} unit="USD" />
      </Figure>
      <Figure
        title="Emission a day (FLOCK)"
        caption={`Day ${lastDay}: ${compact(series.mtEmission[lastDay]!)} FLOCK to this $MT, ${compact(series.usersFlock[lastDay]!)} to its users, ${compact(series.issuerBonus[lastDay]!)} issuer bonus.`}
      >
        <Chart days={charts.days} lines={charts.emission} unit="FLOCK" />
      </Figure>
    </div>
  );
}
