// The simulation off the page's thread: a run of the default scenario takes ~15 ms a run, so a
// hundred runs would freeze the sliders for over a second. One request at a time; the page ends a
// worker whose answer it no longer wants (terminate) rather than waiting for it.
import type { SimulatorInputs } from "./inputs.ts";
import { runSimulation, type SimulationResult } from "./simulation.ts";

export type WorkerRequest = { inputs: SimulatorInputs };
export type WorkerAnswer =
  | { kind: "progress"; done: number; total: number }
  | { kind: "result"; result: SimulationResult }
  | { kind: "error"; message: string };

const post = (answer: WorkerAnswer) => self.postMessage(answer);

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  try {
    // A progress message a run would be noise at 1,000 runs: about fifty steps in all.
    let last = 0;
    const result = runSimulation(event.data.inputs, (done, total) => {
      if (done === total || done - last >= Math.max(1, Math.floor(total / 50))) {
        last = done;
        post({ kind: "progress", done, total });
      }
    });
    post({ kind: "result", result });
  } catch (e) {
    post({ kind: "error", message: e instanceof Error ? e.message : String(e) });
  }
};
