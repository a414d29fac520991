// The offerings as a table on a wide screen and as cards on a phone: one markup (ARIA table roles,
// each cell labelled on the phone where the column headers are hidden), windowed so only the rows
// in view are rendered. Rows are keyed by $MT so a refresh updates them in place without a flash.
import { useEffect, useRef, type KeyboardEvent } from "react";
import { Badge, Progress } from "../../components/ui.tsx";
import { amount, compact, duration, percent } from "../../lib/format.ts";
import { Link } from "../../lib/router.tsx";
import { hrefOf, minMarkerBps, priceOf, secondsLeft, type MarketOffering } from "./offerings.ts";
import { useMedia, useRowWindow } from "./windowing.ts";

/** Row heights (px): fixed, so the window needs no measuring. The card's includes the gap below it. */
export const TABLE_ROW_HEIGHT = 68;
export const CARD_HEIGHT = 212;
const CARD_GAP = 12;

const COLUMNS = "md:grid-cols-[minmax(11rem,2fr)_6.5rem_minmax(10rem,1.6fr)_minmax(7rem,1fr)_minmax(6rem,1fr)_minmax(6rem,1fr)_6.5rem]";
const HEADERS = ["Offering", "State", "Raise", "Price / $MT", "Market cap", "24 h volume", "Time left"] as const;

export function OfferingTable({ offerings, asOf }: { offerings: readonly MarketOffering[]; asOf: bigint }) {
  const wide = useMedia("(min-width: 768px)");
  const rowHeight = wide ? TABLE_ROW_HEIGHT : CARD_HEIGHT;
  const body = useRef<HTMLDivElement>(null);
  const { start, end } = useRowWindow(body, offerings.length, rowHeight);
  // Tab leaves the list after the rows in view (the rest are not in the DOM): the arrow keys walk
  // every row, the window following the focused one.
  const pending = useRef<number | undefined>(undefined);
  const linkAt = (rowIndex: number) => body.current?.querySelector<HTMLElement>(`[aria-rowindex="${rowIndex}"] a`);
  const walk = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === "ArrowDown" ? 1 : event.key === "ArrowUp" ? -1 : 0;
    const row = (event.target as HTMLElement).closest<HTMLElement>('[role="row"]');
    if (step === 0 || !row) return;
    const target = (pending.current ?? Number(row.getAttribute("aria-rowindex"))) + step;
    if (target < 2 || target > offerings.length + 1) return;
    event.preventDefault();
    const next = linkAt(target);
    if (next) {
      pending.current = undefined;
      next.focus();
    } else {
      // Keys faster than the window follows: scroll the row in, focus it once it is rendered.
      pending.current = target;
      window.scrollBy(0, step * rowHeight);
    }
  };
  useEffect(() => {
    if (pending.current === undefined) return;
    const next = linkAt(pending.current);
    if (next) {
      pending.current = undefined;
      next.focus();
    }
  }, [start, end]);
  return (
    <>
    <p id="offerings-keys" className="sr-only">
      Arrow keys move between offerings.
    </p>
    <div role="table" aria-label="Offerings" aria-describedby="offerings-keys" aria-rowcount={offerings.length + 1} className="md:rounded-xl md:border md:border-line md:bg-surface">
      <div role="rowgroup" className="hidden md:block">
        <div role="row" aria-rowindex={1} className={`grid gap-4 border-b border-line px-4 py-2 text-xs uppercase tracking-wide text-muted ${COLUMNS}`}>
          {HEADERS.map((h, i) => (
            <div role="columnheader" key={h} className={i >= 3 ? "text-right" : ""}>
              {h}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" ref={body} className="relative" style={{ height: offerings.length * rowHeight }} onKeyDown={walk}>
        {offerings.slice(start, end).map((o, i) => (
          <OfferingRow key={o.mt} offering={o} index={start + i} top={(start + i) * rowHeight} height={wide ? TABLE_ROW_HEIGHT : CARD_HEIGHT - CARD_GAP} asOf={asOf} />
        ))}
      </div>
    </div>
    </>
  );
}

/** A cell's name on the phone, where the table's column headers are not shown. */
const PhoneLabel = ({ children }: { children: string }) => <span className="block text-xs text-muted md:hidden">{children}</span>;

function OfferingRow({ offering: o, index, top, height, asOf }: { offering: MarketOffering; index: number; top: number; height: number; asOf: bigint }) {
  const left = secondsLeft(o, asOf);
  const minBps = minMarkerBps(o);
  const stat = "min-w-0 truncate tabular-nums md:text-right";
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-offering={o.ticker}
      className={`absolute inset-x-0 grid grid-cols-2 content-start gap-x-3 gap-y-2 overflow-hidden rounded-xl border border-line bg-surface p-3 hover:bg-raised md:content-center md:items-center md:gap-4 md:rounded-none md:border-0 md:border-b md:bg-transparent md:px-4 md:py-0 ${COLUMNS}`}
      style={{ top, height }}
    >
      <div role="cell" className="col-span-2 min-w-0 pr-24 md:col-span-1 md:pr-0">
        <Link to={hrefOf(o)} className="block truncate font-semibold after:absolute after:inset-0 after:content-[''] focus-visible:outline-2">
          {o.name}
        </Link>
        <span className="block truncate text-xs text-muted" title={o.model_id}>
          <span className="font-mono text-ink">{o.ticker}</span> · {o.model_id}
        </span>
      </div>
      <div role="cell" className="absolute top-3 right-3 md:static">
        <Badge tone={o.state}>{o.paused && o.state === "raising" ? "paused" : o.state}</Badge>
      </div>
      <div role="cell" className="col-span-2 min-w-0 md:col-span-1">
        <div className="relative py-1">
          <Progress bps={BigInt(o.progress_bps)} label={`${o.ticker} raised ${percent(o.progress_bps)} of its maximum`} />
          <span aria-hidden className="absolute top-0 h-4 w-0.5 rounded bg-ink" style={{ left: `${Number(minBps) / 100}%` }} title="Raise minimum" />
        </div>
        <span className="block truncate text-xs text-muted tabular-nums">
          {compact(o.raised_flock)} of {compact(o.raise_max_flock)} FLOCK · min {compact(o.raise_min_flock)}
        </span>
      </div>
      <div role="cell" className={stat}>
        <PhoneLabel>Price / $MT</PhoneLabel>
        {amount(priceOf(o), 18, 4)} FLOCK
      </div>
      <div role="cell" className={stat}>
        <PhoneLabel>Market cap</PhoneLabel>
        {o.market_cap_flock === undefined ? "—" : `${compact(o.market_cap_flock)} FLOCK`}
      </div>
      <div role="cell" className={stat}>
        <PhoneLabel>24 h volume</PhoneLabel>
        {o.volume_24h_flock === undefined ? "—" : `${compact(o.volume_24h_flock)} FLOCK`}
      </div>
      <div role="cell" className={stat}>
        <PhoneLabel>Time left</PhoneLabel>
        {left === undefined ? "—" : left === 0n ? "closing" : duration(left)}
      </div>
    </div>
  );
}
