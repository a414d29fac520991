// The simulation of the sliders' inputs, kept current: each change (debounced) starts a new run in a
// Web Worker and ends the one still running, so dragging a slider never queues stale work. Without
// Worker (jsdom) the same function runs on the page, after a tick.
import { useEffect, useState } from "react";
import type { SimulationResult, SimulatorInputs } from "./simulation.ts";
import type { WorkerAnswer } from "./worker.ts";

export type SimulationState =
  | { status: "running"; done: number; total: number; previous: SimulationResult | null }
  | { status: "done"; result: SimulationResult }
  | { status: "error"; message: string; previous: SimulationResult | null };

export const DEBOUNCE_MS = 250;

const previousOf = (s: SimulationState) => (s.status === "done" ? s.result : s.previous);

export function useSimulation(inputs: SimulatorInputs): SimulationState {
  const [state, setState] = useState<SimulationState>({ status: "running", done: 0, total: inputs.runs, previous: null });
  useEffect(() => {
    let cancelled = false;
    let worker: Worker | undefined;
    setState((s) => ({ status: "running", done: 0, total: inputs.runs, previous: previousOf(s) }));
    const fail = (message: string) => setState((s) => ({ status: "error", message, previous: previousOf(s) }));
    const timer = setTimeout(() => {
      if (typeof Worker === "undefined") {
        void import("./simulation.ts").then(({ runSimulation }) => {
          if (cancelled) return;
          try {
            const result = runSimulation(inputs);
            if (!cancelled) setState({ status: "done", result });
          } catch (e) {
            if (!cancelled) fail(e instanceof Error ? e.message : String(e));
          }
        });
        return;
      }
      worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
      worker.onmessage = (event: MessageEvent<WorkerAnswer>) => {
        const answer = event.data;
        if (cancelled) return;
        if (answer.kind === "progress") setState((s) => ({ status: "running", done: answer.done, total: answer.total, previous: previousOf(s) }));
        else if (answer.kind === "result") setState({ status: "done", result: answer.result });
        else fail(answer.message);
      };
      worker.onerror = (event) => fail(event.message || "The simulation stopped unexpectedly.");
      worker.postMessage({ inputs });
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      worker?.terminate();
    };
  }, [inputs]);
  return state;
}
