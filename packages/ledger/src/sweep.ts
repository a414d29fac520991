// Periodic sweeps of rows nothing else cleans up.
//
// The stale-hold sweep of a gateway cluster: metering.reconcile() at start cleans up after this
// instance's own crash, but an instance that never comes back (scaled down, renamed, lost its disk)
// would leave its holds reserving credit forever. Every instance therefore periodically reconciles
// every hold older than a cutoff no live request reaches; reconcile is idempotent per hold, so
// instances sweeping at the same time do each hold once.
//
// The sign-in sweep of the platform API: SIWE nonces and sessions past their expiry can never be
// accepted again, but each sign-in attempt and each session leaves a row; deleting them keeps the two
// tables as large as the live ones (several instances may sweep at once: a delete is idempotent).
import type { Ledger } from "./ledger.ts";

/** What a sweep logs with (a pino or fastify logger). */
export interface SweepLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface StaleHoldSweepOptions {
  /** How often to sweep (ms). */
  everyMs: number;
  /** Holds created longer ago than this (ms) are settled from their checkpoint or released. */
  olderThanMs: number;
  now?: () => number;
  logger?: SweepLogger;
}

/** Defaults: every 5 minutes, holds older than an hour (upstream attempts time out after 5 minutes). */
export const STALE_HOLD_SWEEP_DEFAULTS = { everyMs: 5 * 60_000, olderThanMs: 60 * 60_000 } as const;

export interface PeriodicSweep {
  /** One sweep now (also what the timer runs); resolves to the rows it cleaned up. */
  runOnce(): Promise<number>;
  /** No more sweeps; waits for one in progress. */
  stop(): Promise<void>;
}

export type StaleHoldSweep = PeriodicSweep;

/** Sweeps at once, then every `everyMs`; a failed sweep (database down) is logged and retried next time. */
export function startStaleHoldSweep(ledger: Ledger, options: StaleHoldSweepOptions): StaleHoldSweep {
  const now = options.now ?? Date.now;
  return startPeriodicSweep("stale-hold sweep", options.everyMs, options.logger, async () => {
    const { settled, released } = await ledger.metering.reconcileStale(now() - options.olderThanMs);
    const cleaned = settled.length + released.length;
    if (cleaned > 0) options.logger?.warn({ settled: settled.length, released: released.length }, "swept stale holds of a gateway instance that did not come back");
    return cleaned;
  });
}

export interface SignInSweepOptions {
  /** How often to sweep (ms). Expiry is the ledger's clock's, as when a nonce or session is checked. */
  everyMs: number;
  logger?: SweepLogger;
}

/** Default: every 15 minutes (nonces live 10 minutes by default, sessions 7 days). */
export const SIGN_IN_SWEEP_DEFAULTS = { everyMs: 15 * 60_000 } as const;

/** Deletes expired SIWE nonces (used or not) and expired sessions at once, then every `everyMs`. */
export function startSignInSweep(ledger: Ledger, options: SignInSweepOptions): PeriodicSweep {
  return startPeriodicSweep("sign-in sweep", options.everyMs, options.logger, async () => {
    const nonces = await ledger.siweNonces.prune();
    const sessions = await ledger.sessions.prune();
    if (nonces + sessions > 0) options.logger?.info({ nonces, sessions }, "pruned expired sign-in nonces and sessions");
    return nonces + sessions;
  });
}

function startPeriodicSweep(name: string, everyMs: number, logger: SweepLogger | undefined, sweep: () => Promise<number>): PeriodicSweep {
  let running: Promise<number> | undefined;
  const runOnce = (): Promise<number> => {
    running ??= sweep().finally(() => (running = undefined));
    return running;
  };
  const tick = () => {
    runOnce().catch((err: unknown) => logger?.error({ err }, `${name} failed; retrying at the next interval`));
  };
  const timer = setInterval(tick, everyMs);
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
