// The simulation of the sliders' inputs, kept current: each change (debounced) runs in a Web Worker.
// A worker still busy with inputs no longer wanted is ended (terminate) and a fresh one started, so
// dragging a slider never queues stale work; an idle worker is reused. Without Worker (jsdom) the
// same function runs on the page, after the same debounce.
import { useEffect, useRef, useState } from "react";
import type { SimulatorInputs } from "./inputs.ts";
import type { SimulationResult } from "./simulation.ts";
import type { WorkerAnswer, WorkerRequest } from "./worker.ts";

export type SimulationState =
  | { status: "running"; done: number; total: number; previous: SimulationResult | null }
  | { status: "done"; result: SimulationResult }
  | { status: "error"; message: string; previous: SimulationResult | null };

export const DEBOUNCE_MS = 250;

const previousOf = (s: SimulationState) => (s.status === "done" ? s.result : s.previous);
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function useSimulation(inputs: SimulatorInputs): SimulationState {
  const [state, setState] = useState<SimulationState>({ status: "running", done: 0, total: inputs.runs, previous: null });
  const worker = useRef<{ worker: Worker; busy: boolean } | null>(null);

  useEffect(
    () => () => {
      worker.current?.worker.terminate();
      worker.current = null;
    },
    [],
  );

  useEffect(() => {
    let wanted = true;
    setState((s) => ({ status: "running", done: 0, total: inputs.runs, previous: previousOf(s) }));
    const fail = (message: string) => setState((s) => ({ status: "error", message, previous: previousOf(s) }));
    const timer = setTimeout(() => {
      if (typeof Worker === "undefined") {
        import("./simulation.ts")
          .then(({ runSimulation }) => {
            const result = runSimulation(inputs);
            if (wanted) setState({ status: "done", result });
          })
          .catch((e: unknown) => wanted && fail(messageOf(e)));
        return;
      }
      if (worker.current?.busy) {
        worker.current.worker.terminate();
        worker.current = null;
      }
      const current = (worker.current ??= { worker: new Worker(new URL("./worker.ts", import.meta.url), { type: "module" }), busy: false });
      current.busy = true;
      current.worker.onmessage = (event: MessageEvent<WorkerAnswer>) => {
        const answer = event.data;
        if (answer.kind !== "progress") current.busy = false;
        if (!wanted) return;
        if (answer.kind === "progress") setState((s) => ({ status: "running", done: answer.done, total: answer.total, previous: previousOf(s) }));
        else if (answer.kind === "result") setState({ status: "done", result: answer.result });
        else fail(answer.message);
      };
      current.worker.onerror = (event) => {
        // A worker that failed to load or crashed is not reused.
        current.worker.terminate();
        if (worker.current === current) worker.current = null;
        if (wanted) fail(event.message || "The simulation stopped unexpectedly.");
      };
      current.worker.postMessage({ inputs } satisfies WorkerRequest);
    }, DEBOUNCE_MS);
    return () => {
      wanted = false;
      clearTimeout(timer);
    };
  }, [inputs]);
  return state;
}
