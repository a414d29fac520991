// The economic simulator in the browser (@fomo/sim, the model behind `./fomo simulate`), driven by
// sliders, and the reward estimator. The Monte Carlo runs in a Web Worker (useSimulation), the charts
// load uPlot on first use, and the summary table is formatted from the simulation's integers.
import { lazy, Suspense, useState } from "react";
import { PageTitle } from "../../components/layout.tsx";
import { ErrorState, LoadingState } from "../../components/states.tsx";
import { Card, Field, Progress } from "../../components/ui.tsx";
import { amount, duration, flock, mt, percent } from "../../lib/format.ts";
import SimulationCharts from "./charts.tsx";
import { defaultInputs, type SimulatorInputs } from "./inputs.ts";
import type { SimulationResult } from "./simulation.ts";
import { useSimulation } from "./useSimulation.ts";
import type { SummaryRow } from "@fomo/sim";

// The estimator (below the fold) brings computeEpochRewards and its Merkle-tree module along: its own chunk.
const Estimator = lazy(() => import("./Estimator.tsx").then((m) => ({ default: m.Estimator })));

/** Spend steps (USD a day), roughly even on a log scale: 1, 2, 3, 5, 7 of each power of ten. */
export const SPEND_STEPS: readonly number[] = [1, 10, 100, 1_000, 10_000, 100_000].flatMap((p) => [1, 2, 3, 5, 7].map((m) => m * p)).concat([1_000_000]);
// Runs and days are capped so the worst case stays a wait, not a tab out of memory: a day record is about
// 1.4 KB and a 365-day run 0.1 to 0.2 s, so 200 runs of 365 days hold ~100 MB and take seconds to a minute.
export const RUN_STEPS: readonly number[] = [1, 5, 10, 20, 50, 100, 200];
export const DAY_STEPS: readonly number[] = [30, 60, 90, 120, 180, 270, 365];

const usdWhole = (n: number) => `$${n.toLocaleString("en-US")}`;
const nearestIndex = (steps: readonly number[], value: number) =>
  steps.reduce((best, v, i) => (Math.abs(v - value) < Math.abs(steps[best]! - value) ? i : best), 0);

/** A labelled native range input: keyboard operable (arrows, Home, End), its value announced as text. */
function Slider({ id, label, value, min, max, step = 1, text, onChange }: {
  id: string; label: string; value: number; min: number; max: number; step?: number; text: string; onChange: (value: number) => void;
}) {
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-baseline justify-between gap-2">
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        <output htmlFor={id} className="text-sm tabular-nums">
          {text}
        </output>
      </div>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        aria-valuetext={text}
        onChange={(e) => onChange(Number(e.target.value))}
        className="h-6 w-full cursor-pointer accent-accent"
      />
    </div>
  );
}

function Controls({ inputs, onChange }: { inputs: SimulatorInputs; onChange: (inputs: SimulatorInputs) => void }) {
  const set = <K extends keyof SimulatorInputs>(key: K, value: SimulatorInputs[K]) => onChange({ ...inputs, [key]: value });
  const growth = inputs.growthPermille / 10;
  return (
    <form className="flex flex-col gap-4" aria-label="Scenario" onSubmit={(e) => e.preventDefault()}>
      <Slider
        id="sim-spend" label="Daily inference spend" min={0} max={SPEND_STEPS.length - 1}
        value={nearestIndex(SPEND_STEPS, inputs.spendUsd)} text={`${usdWhole(inputs.spendUsd)} a day`}
        onChange={(i) => set("spendUsd", SPEND_STEPS[i]!)}
      />
      <Slider
        id="sim-growth" label="Growth per day" min={-20} max={50} value={inputs.growthPermille}
        text={`${growth > 0 ? "+" : ""}${growth.toFixed(1)}%`} onChange={(v) => set("growthPermille", v)}
      />
      <Slider
        id="sim-stake" label="Stake share of circulating $MT" min={0} max={10_000} step={500} value={inputs.stakedBps}
        text={percent(inputs.stakedBps, 0)} onChange={(v) => set("stakedBps", v)}
      />
      <Slider
        id="sim-days" label="Days" min={0} max={DAY_STEPS.length - 1} value={nearestIndex(DAY_STEPS, inputs.days)}
        text={`${inputs.days} days`} onChange={(i) => set("days", DAY_STEPS[i]!)}
      />
      <Slider
        id="sim-runs" label="Runs" min={0} max={RUN_STEPS.length - 1} value={nearestIndex(RUN_STEPS, inputs.runs)}
        text={`${inputs.runs} ${inputs.runs === 1 ? "run" : "runs"}`} onChange={(i) => set("runs", RUN_STEPS[i]!)}
      />
      <Field
        id="sim-seed" label="Seed" type="number" min={0} max={4_294_967_295} inputMode="numeric" value={inputs.seed}
        hint="The same seed gives the same runs."
        onChange={(e) => {
          const seed = Number(e.target.value);
          if (Number.isInteger(seed) && seed >= 0 && seed <= 4_294_967_295) set("seed", seed);
        }}
      />
    </form>
  );
}

/** A summary figure in its unit, from its integer. */
function figure(value: bigint, unit: SummaryRow["unit"], usdcDecimals: number): string {
  switch (unit) {
    case "FLOCK":
      return flock(value, 0);
    case "$MT":
      return mt(value, "$MT", 0);
    case "USDC":
      return `${amount(value, usdcDecimals, 2)} USDC`;
    case "micro-USD":
      return `$${amount(value, 6, value < 1_000_000n ? 4 : 2)}`;
    case "seconds":
      return duration(value);
  }
}

function SummaryTable({ result }: { result: SimulationResult }) {
  const { summary, usdcDecimals } = result;
  const text = (row: SummaryRow, p: keyof SummaryRow["percentiles"]) => figure(row.percentiles[p], row.unit, usdcDecimals);
  return (
    <>
      <p className="mb-2 text-xs text-muted">
        Across the {summary.graduated} of {summary.runs} runs whose raise graduated, over {summary.days} days (seed {summary.seed}): the 5th percentile, the
        median and the 95th percentile.
      </p>
      {/* A phone has no room for four columns: each figure is its median with the p5 to p95 range under it. */}
      <ul className="divide-y divide-line/60 sm:hidden">
        {summary.rows.map((row) => (
          <li key={row.figure} className="py-2 text-sm">
            <p>{row.figure}</p>
            <p className="font-semibold tabular-nums">{text(row, "p50")}</p>
            <p className="text-xs text-muted tabular-nums">
              p5 {text(row, "p5")} · p95 {text(row, "p95")}
            </p>
          </li>
        ))}
      </ul>
      <table className="hidden w-full text-sm sm:table">
        <caption className="sr-only">Summary of the simulation: p5, median and p95 of each figure</caption>
        <thead>
          <tr className="border-b border-line text-left text-xs uppercase tracking-wide text-muted">
            <th scope="col" className="py-2 pr-3 font-medium">Figure</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">p5</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Median</th>
            <th scope="col" className="py-2 pl-3 text-right font-medium">p95</th>
          </tr>
        </thead>
        <tbody>
          {summary.rows.map((row) => (
            <tr key={row.figure} className="border-b border-line/60">
              <th scope="row" className="py-2 pr-3 text-left font-normal">{row.figure}</th>
              <td className="px-3 py-2 text-right tabular-nums">{text(row, "p5")}</td>
              <td className="px-3 py-2 text-right font-semibold tabular-nums">{text(row, "p50")}</td>
              <td className="py-2 pl-3 text-right tabular-nums">{text(row, "p95")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Results({ result }: { result: SimulationResult }) {
  if (result.summary.graduated === 0) {
    return (
      <p className="rounded-xl border border-dashed border-line p-6 text-sm">
        None of the {result.summary.runs} raises reached its minimum: every run ended in refunds, so there are no days to chart. Try more runs or another seed.
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-4">
      <SimulationCharts result={result} />
      <Card title="Summary">
        <SummaryTable result={result} />
      </Card>
    </div>
  );
}

export default function SimulatorPage() {
  const [inputs, setInputs] = useState<SimulatorInputs>(defaultInputs);
  const state = useSimulation(inputs);
  const shown = state.status === "done" ? state.result : state.previous;
  return (
    <>
      <PageTitle title="Simulator">
        One offering's raise and the days after it, played many times with random demand and markets, under the protocol's own rules (the SDK's integer
        math, as <code>./fomo simulate</code>).
      </PageTitle>
      <div className="grid gap-6 lg:grid-cols-[18rem_minmax(0,1fr)]">
        <Card title="Scenario" className="lg:sticky lg:top-20 lg:self-start">
          <Controls inputs={inputs} onChange={setInputs} />
        </Card>
        <div className="flex min-w-0 flex-col gap-4" aria-busy={state.status === "running"}>
          <div role="status" aria-live="polite" className="min-h-10 text-sm text-muted">
            {state.status === "running" && (
              <div className="flex flex-col gap-1">
                <span>
                  Simulating {state.done} of {state.total} runs…
                </span>
                <Progress bps={state.total > 0 ? Math.floor((state.done * 10_000) / state.total) : 0} label="Simulation progress" />
              </div>
            )}
            {state.status === "done" && (
              <span data-testid="sim-timing">
                {state.result.summary.runs} runs of {state.result.summary.days} days simulated in {Math.round(state.result.elapsedMs)} ms.
              </span>
            )}
          </div>
          {state.status === "error" && <ErrorState error={new Error(state.message)} retry={() => setInputs({ ...inputs })} />}
          {shown ? (
            <div className={state.status === "running" ? "opacity-60 transition-opacity" : ""}>
              <Results result={shown} />
            </div>
          ) : (
            state.status === "running" && <div aria-hidden className="h-64 animate-pulse rounded-xl border border-line bg-surface" />
          )}
        </div>
      </div>
      <div className="mt-8">
        <Suspense fallback={<LoadingState label="Loading the reward estimator" />}>
          <Estimator />
        </Suspense>
      </div>
    </>
  );
}
