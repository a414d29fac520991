// The bonding curve: price over FLOCK raised from 0 to raiseMax, where the raise is now, and the
// segment the entered buy moves along with the price after it. uPlot is loaded on first use
// (plot.ts); the figure's caption says in words what the canvas shows.
import type { BuyQuote, CurveReserves } from "@fomo/sdk";
import { price } from "@fomo/sdk";
import { useEffect, useMemo, useRef, useState } from "react";
import { amount, compact } from "../../lib/format.ts";
import { curveColumns, type CurveColumns } from "./curveData.ts";
import type { CurvePlot } from "./plot.ts";

export interface CurveChartProps {
  curve: CurveReserves;
  raiseMax: bigint;
  raised: bigint;
  /** The entered buy's quote, when there is one. */
  quote: BuyQuote | undefined;
  symbol: string;
}

const heightFor = (width: number) => (width < 480 ? 220 : 300);
const perMt = (wei: bigint, symbol: string) => `${amount(wei, 18, 4)} FLOCK per ${symbol}`;

export function CurveChart({ curve, raiseMax, raised, quote, symbol }: CurveChartProps) {
  const columns = useMemo(() => curveColumns(curve, raiseMax, raised, quote?.raisedAfter), [curve, raiseMax, raised, quote?.raisedAfter]);
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<CurvePlot | undefined>(undefined);
  const latest = useRef<CurveColumns>(columns);
  latest.current = columns;
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    const target = box.current;
    if (!target) return;
    let gone = false;
    const observer = new ResizeObserver(() => {
      const width = target.clientWidth;
      if (width > 0) plot.current?.setSize(width, heightFor(width));
    });
    import("./plot.ts")
      .then(({ drawCurve }) => {
        if (gone) return;
        const width = target.clientWidth || 320;
        plot.current = drawCurve(target, latest.current, width, heightFor(width), symbol);
        observer.observe(target);
      })
      .catch((error: unknown) => setFailure(error instanceof Error ? error.message : String(error)));
    return () => {
      gone = true;
      observer.disconnect();
      plot.current?.destroy();
      plot.current = undefined;
    };
  }, [symbol]);

  useEffect(() => plot.current?.setData(columns), [columns]);

  const summary =
    `Price rises from ${perMt(price(curve, 0n), symbol)} to ${perMt(price(curve, raiseMax), symbol)} as the raise goes from 0 to ${compact(raiseMax)} FLOCK. ` +
    `Now ${compact(raised)} FLOCK raised, at ${perMt(price(curve, raised), symbol)}.` +
    (quote ? ` This buy moves it to ${compact(quote.raisedAfter)} FLOCK raised, at ${perMt(quote.priceAfter, symbol)}.` : "");
  return (
    <figure className="flex flex-col gap-2">
      <div ref={box} role="img" aria-label={summary} className="min-h-[220px] w-full sm:min-h-[300px]">
        {failure && <p className="p-4 text-sm text-bad">The chart could not load: {failure}</p>}
      </div>
      <figcaption className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted">
        <span className="inline-flex items-center gap-1">
          <span aria-hidden className="inline-block h-0.5 w-4 bg-accent" /> Price on the curve
        </span>
        <span className="inline-flex items-center gap-1">
          <span aria-hidden className="inline-block size-2.5 rounded-full bg-accent" /> Now: {perMt(price(curve, raised), symbol)}
        </span>
        {quote && (
          <span className="inline-flex items-center gap-1">
            <span aria-hidden className="inline-block size-2.5 rounded-full bg-warn" /> After this buy: {perMt(quote.priceAfter, symbol)}
          </span>
        )}
      </figcaption>
    </figure>
  );
}
