// Usage totals per day, model and key from the platform's daily sums (exact integers: requests,
// tokens, micro-USD charged), and the UTC-day filters the usage routes take as ISO-8601.
import type { UsageDayView, UsageFilters } from "./wire.ts";

export interface Totals {
  requests: number;
  tokens: bigint;
  /** Micro-USD charged. */
  charged: bigint;
}

export type Metric = "charged" | "requests" | "tokens";

export const metricValue = (totals: Totals, metric: Metric): bigint =>
  metric === "requests" ? BigInt(totals.requests) : metric === "tokens" ? totals.tokens : totals.charged;

const zero = (): Totals => ({ requests: 0, tokens: 0n, charged: 0n });

function add(into: Totals, row: UsageDayView): void {
  into.requests += row.requests;
  into.tokens += BigInt(row.input_tokens) + BigInt(row.output_tokens);
  into.charged += BigInt(row.price_charged_micro_usd);
}

/** Totals grouped by `group(row)`, largest `metric` first. */
export function totalsBy(rows: readonly UsageDayView[], group: (row: UsageDayView) => string, metric: Metric): Array<[string, Totals]> {
  const sums = new Map<string, Totals>();
  for (const row of rows) {
    const id = group(row);
    let totals = sums.get(id);
    if (!totals) sums.set(id, (totals = zero()));
    add(totals, row);
  }
  return [...sums].sort(([, a], [, b]) => {
    const [x, y] = [metricValue(a, metric), metricValue(b, metric)];
    return x === y ? 0 : x > y ? -1 : 1;
  });
}

const DAY_MS = 86_400_000;
/** A year of bars at most: an older first day is shown from a year before the last. */
const MAX_DAYS = 366;

/** Totals per UTC day from the first day with usage to the last, days without usage included as zero. */
export function totalsPerDay(rows: readonly UsageDayView[]): Array<[string, Totals]> {
  const sums = new Map<string, Totals>();
  for (const row of rows) {
    let totals = sums.get(row.day);
    if (!totals) sums.set(row.day, (totals = zero()));
    add(totals, row);
  }
  if (sums.size === 0) return [];
  const days = [...sums.keys()].sort();
  const last = Date.parse(`${days[days.length - 1]}T00:00:00Z`);
  const first = Math.max(Date.parse(`${days[0]}T00:00:00Z`), last - (MAX_DAYS - 1) * DAY_MS);
  const out: Array<[string, Totals]> = [];
  for (let t = first; t <= last; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push([day, sums.get(day) ?? zero()]);
  }
  return out;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** "2026-12-05" → "2026-12-05T00:00:00.000Z"; undefined for an empty or malformed day. */
export function dayStart(day: string): string | undefined {
  if (!DAY.test(day)) return undefined;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** The usage filters for the days `from` to `to`, both included (the routes' `until` is exclusive). */
export function usageFilters({ key, model, from, to }: { key: string; model: string; from: string; to: string }): UsageFilters {
  const since = dayStart(from);
  const toStart = dayStart(to);
  const until = toStart === undefined ? undefined : new Date(Date.parse(toStart) + DAY_MS).toISOString();
  return {
    ...(key ? { key_id: key } : {}),
    ...(model ? { model } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  };
}
