// The stale-hold sweep of a gateway cluster. metering.reconcile() at start cleans up after this instance's
// own crash, but an instance that never comes back (scaled down, renamed, lost its disk) would leave
// its holds reserving credit forever. Every instance therefore periodically reconciles every hold
// older than a cutoff no live request reaches; reconcile is idempotent per hold, so instances
// sweeping at the same time do each hold once.
import type { Logger } from "pino";
import type { Ledger } from "./ledger.ts";

export interface StaleHoldSweepOptions {
  /** How often to sweep (ms). */
  everyMs: number;
  /** Holds created longer ago than this (ms) are settled from their checkpoint or released. */
  olderThanMs: number;
  now?: () => number;
  logger?: Logger;
}

/** Defaults: every 5 minutes, holds older than an hour (upstream attempts time out after 5 minutes). */
export const STALE_HOLD_SWEEP_DEFAULTS = { everyMs: 5 * 60_000, olderThanMs: 60 * 60_000 } as const;

export interface StaleHoldSweep {
  /** One sweep now (also what the timer runs); resolves to the holds it cleaned up. */
  runOnce(): Promise<number>;
  /** No more sweeps; waits for one in progress. */
  stop(): Promise<void>;
}

/** Sweeps at once, then every `everyMs`; a failed sweep (database down) is logged and retried next time. */
export function startStaleHoldSweep(ledger: Ledger, options: StaleHoldSweepOptions): StaleHoldSweep {
  const now = options.now ?? Date.now;
  let running: Promise<number> | undefined;
  const runOnce = (): Promise<number> => {
    running ??= sweep().finally(() => (running = undefined));
    return running;
  };
  const sweep = async (): Promise<number> => {
    const { settled, released } = await ledger.metering.reconcileStale(now() - options.olderThanMs);
    const cleaned = settled.length + released.length;
    if (cleaned > 0) options.logger?.warn({ settled: settled.length, released: released.length }, "swept stale holds of a gateway instance that did not come back");
    return cleaned;
  };
  const tick = () => {
    runOnce().catch((err: unknown) => options.logger?.error({ err }, "stale-hold sweep failed; retrying at the next interval"));
  };
  const timer = setInterval(tick, options.everyMs);
  // The sweep never keeps a process alive on its own.
  timer.unref();
  tick();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
