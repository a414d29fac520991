// The offering's heading: name, ticker, state, model id, creator; while raising, the countdown to
// its close (ticking on the page's chain clock) and the progress toward raiseMin and raiseMax.
import { Badge, CopyButton, Progress } from "../../components/ui.tsx";
import { compact, duration, flock, short, when } from "../../lib/format.ts";
import { Link } from "../../lib/router.tsx";
import type { OfferingDetail, OfferingState } from "../../lib/wire.ts";

const STATE_LABEL: Record<OfferingState, string> = { raising: "Raising", succeeded: "Succeeded", failed: "Failed", graduated: "Graduated" };

/** `part` of `whole` in basis points, rounded down, capped at 10,000. */
export const bpsOf = (part: bigint, whole: bigint): bigint => (whole === 0n ? 0n : part >= whole ? 10_000n : (part * 10_000n) / whole);

export function OfferingHeader({ offering, state, now }: { offering: OfferingDetail; state: OfferingState; now: bigint | undefined }) {
  const raised = BigInt(offering.raised_flock);
  const min = BigInt(offering.raise_min_flock);
  const max = BigInt(offering.raise_max_flock);
  const left = now === undefined ? BigInt(offering.seconds_left) : BigInt(offering.closes_at) - now;
  const minAt = Number(bpsOf(min, max)) / 100; // a position on the bar, not an amount
  return (
    <header className="mb-6 flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h1 className="text-2xl font-bold tracking-tight">{offering.name}</h1>
        <span className="text-lg font-semibold text-muted">${offering.ticker}</span>
        <Badge tone={state}>{STATE_LABEL[state]}</Badge>
        {offering.paused && <Badge tone="failed">Launchpad paused</Badge>}
      </div>
      <dl className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
        <div className="flex min-w-0 items-center gap-2">
          <dt className="text-muted">Model id</dt>
          <dd className="truncate font-mono">{offering.model_id}</dd>
          <dd>
            <CopyButton text={offering.model_id} label="Copy model id" />
          </dd>
        </div>
        <div className="flex items-center gap-2">
          <dt className="text-muted">Creator</dt>
          <dd>
            <Link to={`/portfolio/${offering.creator}`} className="font-mono underline-offset-2 hover:underline" title={offering.creator}>
              {short(offering.creator)}
            </Link>
          </dd>
        </div>
        {state === "raising" && (
          <div className="flex items-center gap-2">
            <dt className="text-muted">Closes in</dt>
            <dd className="font-semibold tabular-nums" title={when(offering.closes_at)}>
              <span role="timer">{duration(left > 0n ? left : 0n)}</span>
            </dd>
          </div>
        )}
        {state !== "raising" && offering.graduated_at === null && (
          <div className="flex items-center gap-2">
            <dt className="text-muted">Closed</dt>
            <dd>{when(offering.closes_at)}</dd>
          </div>
        )}
        {offering.graduated_at !== null && (
          <div className="flex items-center gap-2">
            <dt className="text-muted">Graduated</dt>
            <dd>{when(offering.graduated_at)}</dd>
          </div>
        )}
      </dl>
      <div className="flex flex-col gap-1.5">
        <div className="flex flex-wrap justify-between gap-2 text-sm">
          <span>
            <strong className="tabular-nums">{flock(raised, 0)}</strong> raised of {compact(max)} FLOCK
          </span>
          <span className={raised >= min ? "text-good" : "text-muted"}>
            {raised >= min ? "minimum reached" : `minimum ${compact(min)} FLOCK`}
          </span>
        </div>
        <div className="relative">
          <Progress bps={bpsOf(raised, max)} label={`Raised ${flock(raised, 0)} of ${compact(max)} FLOCK (minimum ${compact(min)})`} />
          <span aria-hidden className="absolute -top-1 h-4 w-0.5 bg-ink" style={{ left: `${minAt}%` }} title="raise minimum" />
        </div>
      </div>
    </header>
  );
}
