// The uPlot part of the curve chart, loaded with import() by chart.tsx so uPlot (and its CSS) stays
// out of every other page's chunk and out of this page's first paint.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { CurveColumns } from "./curveData.ts";

const THEME = { accent: "#7c9cff", warn: "#fbbf24", muted: "#9aa3b2", line: "#2a3140", ink: "#e7eaf0" };

// Tick labels of plot coordinates (floats by nature), not amounts: "250K", "1M", "7.5".
const tick = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 2 });

const axis = (label: string): uPlot.Axis => ({
  values: (_plot, splits) => splits.map((v) => tick.format(v)),
  label,
  stroke: THEME.muted,
  grid: { stroke: THEME.line, width: 1 },
  ticks: { stroke: THEME.line, width: 1 },
  labelFont: "12px system-ui, sans-serif",
  font: "11px system-ui, sans-serif",
});

const dot = (label: string, colour: string): uPlot.Series => ({
  label,
  stroke: colour,
  fill: colour,
  paths: () => null,
  points: { show: true, size: 10, width: 2, stroke: THEME.ink, fill: colour },
});

export interface CurvePlot {
  setData(columns: CurveColumns): void;
  setSize(width: number, height: number): void;
  destroy(): void;
}

export function drawCurve(target: HTMLElement, columns: CurveColumns, width: number, height: number, symbol: string): CurvePlot {
  const plot = new uPlot(
    {
      width,
      height,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false } },
      axes: [axis("FLOCK raised"), { ...axis(`FLOCK per ${symbol}`), size: 56 }],
      series: [
        {},
        { label: "Price", stroke: THEME.accent, width: 2 },
        { label: "This buy", stroke: THEME.warn, width: 4, fill: "rgba(251, 191, 36, 0.18)" },
        dot("Now", THEME.accent),
        dot("After the buy", THEME.warn),
      ],
    },
    columns as uPlot.AlignedData,
    target,
  );
  return {
    setData: (next) => plot.setData(next as uPlot.AlignedData),
    setSize: (w, h) => plot.setSize({ width: w, height: h }),
    destroy: () => plot.destroy(),
  };
}
