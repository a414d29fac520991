// The charts of `./fomo simulate --chart FILE.svg`: one hand-written SVG with four panels — the $MT
// supply breakdown, emissions, buybacks against revenue (all three from the representative run) and
// the price fan across runs (p5-p95 band, median line). Amounts become floats only here, for drawing.
import { MICRO_USD_PER_USD } from "@fomo/sdk";
import type { Simulation } from "./montecarlo.ts";

interface Series {
  name: string;
  color: string;
  values: number[];
  /** Drawn dashed, on top: a line that often coincides with another stays visible. */
  dashed?: boolean;
}

interface Panel {
  title: string;
  unit: string;
  /** Stacked areas (the supply) rather than lines. */
  stacked?: boolean;
  series: Series[];
  /** A band drawn under the lines: [low, high] per point. */
  band?: { name: string; color: string; low: number[]; high: number[] };
}

const WIDTH = 1_000;
const PANEL_W = 480;
const PANEL_H = 300;
const PAD = { left: 70, right: 10, top: 30, bottom: 70 };

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** A number for a tick label: 3 significant digits, k/M/G for large ones. */
function label(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(3)}`;
}

/** Wei (or any integer of `decimals` decimals) as a float for drawing. */
const toFloat = (amount: bigint, decimals: number) => Number(amount) / 10 ** decimals;

function panel(p: Panel, x0: number, y0: number): string {
  const w = PANEL_W - PAD.left - PAD.right;
  const h = PANEL_H - PAD.top - PAD.bottom;
  const n = Math.max(1, ...p.series.map((s) => s.values.length), p.band?.low.length ?? 0);
  const stackedTops = p.stacked
    ? p.series.map((_, i) => Array.from({ length: n }, (_, k) => p.series.slice(0, i + 1).reduce((t, s) => t + (s.values[k] ?? 0), 0)))
    : [];
  const all = [...(p.stacked ? stackedTops.flat() : p.series.flatMap((s) => s.values)), ...(p.band ? [...p.band.low, ...p.band.high] : [])];
  const top = Math.max(1e-12, ...all.filter(Number.isFinite));
  const px = (k: number) => x0 + PAD.left + (n === 1 ? 0 : (k / (n - 1)) * w);
  const py = (v: number) => y0 + PAD.top + h - (Math.max(0, v) / top) * h;
  const path = (values: number[]) => values.map((v, k) => `${k === 0 ? "M" : "L"}${px(k).toFixed(1)},${py(v).toFixed(1)}`).join("");
  const out: string[] = [`<g>`, `<text x="${x0 + PAD.left}" y="${y0 + 18}" font-size="14" font-weight="bold">${escape(p.title)}</text>`];
  for (let t = 0; t <= 4; t++) {
    const v = (top * t) / 4;
    out.push(`<line x1="${x0 + PAD.left}" x2="${x0 + PAD.left + w}" y1="${py(v).toFixed(1)}" y2="${py(v).toFixed(1)}" stroke="#ddd"/>`);
    out.push(`<text x="${x0 + PAD.left - 6}" y="${(py(v) + 4).toFixed(1)}" font-size="10" text-anchor="end">${label(v)}</text>`);
  }
  for (let t = 0; t <= 4; t++) {
    const k = Math.round(((n - 1) * t) / 4);
    out.push(`<text x="${px(k).toFixed(1)}" y="${y0 + PAD.top + h + 14}" font-size="10" text-anchor="middle">${k}</text>`);
  }
  out.push(`<text x="${x0 + PAD.left + w / 2}" y="${y0 + PAD.top + h + 28}" font-size="10" text-anchor="middle">day after graduation</text>`);
  out.push(`<text x="${x0 + 12}" y="${y0 + PAD.top + h / 2}" font-size="10" text-anchor="middle" transform="rotate(-90 ${x0 + 12} ${y0 + PAD.top + h / 2})">${escape(p.unit)}</text>`);
  if (p.band) {
    const { low, high, color } = p.band;
    const upper = high.map((v, k) => `${k === 0 ? "M" : "L"}${px(k).toFixed(1)},${py(v).toFixed(1)}`).join("");
    const lower = low.map((v, k) => `L${px(low.length - 1 - k).toFixed(1)},${py(low[low.length - 1 - k]!).toFixed(1)}`).join("");
    out.push(`<path d="${upper}${lower}Z" fill="${color}" fill-opacity="0.3" stroke="none"/>`);
  }
  const drawOrder = p.series.map((s, i) => ({ s, i })).sort((a, b) => Number(a.s.dashed ?? false) - Number(b.s.dashed ?? false));
  drawOrder.forEach(({ s, i }) => {
    if (p.stacked) {
      const upper = stackedTops[i]!;
      const lower = i === 0 ? upper.map(() => 0) : stackedTops[i - 1]!;
      const back = lower.map((_, k) => `L${px(n - 1 - k).toFixed(1)},${py(lower[n - 1 - k]!).toFixed(1)}`).join("");
      out.push(`<path d="${path(upper)}${back}Z" fill="${s.color}" fill-opacity="0.8" stroke="none"/>`);
    } else {
      out.push(`<path d="${path(s.values)}" fill="none" stroke="${s.color}" stroke-width="1.5"${s.dashed ? ` stroke-dasharray="5 3"` : ""}/>`);
    }
  });
  const legend = [...(p.band ? [{ name: p.band.name, color: p.band.color }] : []), ...p.series];
  legend.forEach((s, i) => {
    const lx = x0 + PAD.left + (i % 3) * 135;
    const ly = y0 + PAD.top + h + 44 + Math.floor(i / 3) * 14;
    out.push(`<rect x="${lx}" y="${ly - 8}" width="10" height="10" fill="${s.color}"/>`);
    out.push(`<text x="${lx + 14}" y="${ly + 1}" font-size="10">${escape(s.name)}</text>`);
  });
  out.push(`</g>`);
  return out.join("\n");
}

/** The four charts as one SVG document. */
export function simulationSvg(sim: Simulation): string {
  const rep = sim.representative >= 0 ? sim.runs[sim.representative]! : undefined;
  const days = rep?.days ?? [];
  const usdc = sim.scenario.usdcDecimals;
  const mt = (pick: (d: (typeof days)[number]) => bigint) => days.map((d) => toFloat(pick(d), 18));
  const usd = (pick: (d: (typeof days)[number]) => bigint) => days.map((d) => toFloat(pick(d), usdc));
  const microUsd = (v: bigint) => Number(v) / Number(MICRO_USD_PER_USD);
  const panels: Panel[] = [
    {
      title: `$MT supply (run ${sim.representative})`, unit: "$MT", stacked: true,
      series: [
        { name: "circulating", color: "#4e79a7", values: mt((d) => d.supply.circulating) },
        { name: "pool", color: "#59a14f", values: mt((d) => d.supply.pool) },
        { name: "vesting", color: "#f28e2b", values: mt((d) => d.supply.vesting) },
        { name: "incentives", color: "#edc948", values: mt((d) => d.supply.incentives) },
        { name: "treasury", color: "#b07aa1", values: mt((d) => d.supply.treasury) },
        { name: "burned", color: "#e15759", values: mt((d) => d.supply.burned) },
      ],
    },
    {
      title: "Emissions per day", unit: "FLOCK",
      series: [
        { name: "E(d), all $MTs", color: "#bab0ac", values: mt((d) => d.emission) },
        { name: "users (pool release too)", color: "#59a14f", values: mt((d) => d.usersFlock) },
        { name: "to this $MT", color: "#4e79a7", values: mt((d) => d.mtEmission), dashed: true },
        { name: "issuer bonus", color: "#f28e2b", values: mt((d) => d.issuerBonus) },
      ],
    },
    {
      title: "Buybacks vs revenue per day", unit: "USD",
      series: [
        { name: "gross revenue", color: "#bab0ac", values: usd((d) => d.gross) },
        { name: "routed to $MT buyback", color: "#4e79a7", values: usd((d) => d.mtBuybackFunded), dashed: true },
        { name: "spent on $MT buyback", color: "#e15759", values: usd((d) => d.mtBuybackSpent) },
        { name: "spent on FLOCK buyback", color: "#59a14f", values: usd((d) => d.flockBuybackSpent) },
      ],
    },
    {
      title: `$MT price fan (${sim.graduated} runs)`, unit: "USD per $MT",
      band: { name: "p5-p95", color: "#4e79a7", low: sim.fan.map((f) => microUsd(f.p5)), high: sim.fan.map((f) => microUsd(f.p95)) },
      series: [{ name: "median", color: "#1f3b5a", values: sim.fan.map((f) => microUsd(f.p50)) }],
    },
  ];
  const height = 2 * PANEL_H + 40;
  const body = panels.map((p, i) => panel(p, (i % 2) * (PANEL_W + 20), 40 + Math.floor(i / 2) * PANEL_H)).join("\n");
  const title = `FOMO simulation: ${sim.options.runs} runs, ${sim.options.days} days, seed ${sim.options.seed}, template ${sim.scenario.template}`;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="24" font-size="16" font-weight="bold">${escape(title)}</text>`,
    body,
    `</svg>`,
    "",
  ].join("\n");
}
