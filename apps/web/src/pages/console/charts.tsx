// Bar charts of our own (a few divs, no chart library in the console's chunk): per day as columns,
// per model and per key as rows. Each bar carries its label and value as text for screen readers;
// bar lengths are shares of the largest value, taken from the integers in thousandths.
export interface Bar {
  id: string;
  label: string;
  value: bigint;
  /** The value as shown ("$1.20", "3 requests"). */
  text: string;
}

/** `value` as a percentage of `max` for a bar's length (display only: not money). */
const share = (value: bigint, max: bigint) => (max <= 0n ? 0 : Number((value * 1000n) / max) / 10);
const largest = (bars: readonly Bar[]) => bars.reduce((m, b) => (b.value > m ? b.value : m), 0n);

export function ColumnChart({ title, bars, caption }: { title: string; bars: readonly Bar[]; caption: string }) {
  const max = largest(bars);
  const top = bars.find((b) => b.value === max);
  const ticks = new Set([0, Math.floor((bars.length - 1) / 2), bars.length - 1]);
  return (
    <figure aria-label={title} className="flex flex-col gap-2">
      <figcaption className="text-xs text-muted">
        {caption}
        {top && max > 0n && ` · highest ${top.text} on ${top.label}`}
      </figcaption>
      <ol className="flex h-40 items-end gap-px border-b border-line" aria-label={title}>
        {bars.map((bar) => (
          <li key={bar.id} className="flex h-full max-w-12 min-w-0 flex-1 items-end" title={`${bar.label}: ${bar.text}`}>
            <span className="sr-only">
              {bar.label}: {bar.text}
            </span>
            <span aria-hidden className="w-full rounded-t bg-accent" style={{ height: `${share(bar.value, max)}%`, minHeight: bar.value > 0n ? 2 : 0 }} />
          </li>
        ))}
      </ol>
      <div aria-hidden className="flex text-[10px] text-muted">
        {bars.map((bar, i) => (
          <span key={bar.id} className="max-w-12 min-w-0 flex-1 overflow-visible text-center whitespace-nowrap">
            {ticks.has(i) && bars.length > 1 ? bar.label.slice(5) : bars.length === 1 ? bar.label : ""}
          </span>
        ))}
      </div>
    </figure>
  );
}

export function BarList({ title, bars }: { title: string; bars: readonly Bar[] }) {
  const max = largest(bars);
  return (
    <ul aria-label={title} className="flex flex-col gap-2">
      {bars.map((bar) => (
        <li key={bar.id} className="text-sm">
          <div className="flex justify-between gap-3">
            <span className="min-w-0 truncate" title={bar.label}>
              {bar.label}
            </span>
            <span className="shrink-0 tabular-nums">{bar.text}</span>
          </div>
          <div aria-hidden className="mt-1 h-2 rounded-full bg-raised">
            <div className="h-full rounded-full bg-accent" style={{ width: `${share(bar.value, max)}%` }} />
          </div>
        </li>
      ))}
    </ul>
  );
}
