// The chain's clock as the page sees it: the platform's `as_of` (the latest indexed block's time)
// plus the seconds elapsed here since it arrived. Never the wall clock alone: a local chain may run
// days ahead of it. The estimate only moves forward: a refetch answering the same stale `as_of`
// (no block mined since) must not pull the countdown back.
import { useEffect, useRef, useState } from "react";

export class ChainClock {
  private anchor: { chain: bigint; wallMs: number } | undefined;

  /** Takes an `as_of` seen at wall time `wallMs`; re-anchors only when it is ahead of the estimate. */
  observe(asOf: bigint, wallMs: number): void {
    const estimate = this.at(wallMs);
    if (estimate === undefined || asOf > estimate) this.anchor = { chain: asOf, wallMs };
  }

  /** Chain time (Unix seconds) at wall time `wallMs`; undefined before the first observation. */
  at(wallMs: number): bigint | undefined {
    if (!this.anchor) return undefined;
    return this.anchor.chain + BigInt(Math.max(0, Math.floor((wallMs - this.anchor.wallMs) / 1_000)));
  }
}

/** Chain time in Unix seconds, ticking every second once `asOf` is known. */
export function useChainClock(asOf: bigint | undefined): bigint | undefined {
  const clock = useRef(new ChainClock());
  const [now, setNow] = useState<bigint>();
  useEffect(() => {
    if (asOf === undefined) return;
    clock.current.observe(asOf, Date.now());
    setNow(clock.current.at(Date.now()));
  }, [asOf]);
  useEffect(() => {
    const timer = setInterval(() => setNow(clock.current.at(Date.now())), 1_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
