// Usage: filters (key, model, UTC days) kept in the URL, charts per day / model / key from the
// platform's daily sums, the request logs a page at a time, and the same filters as a CSV download
// (a plain link: the session cookie is same-origin).
import { useEffect, useState, type FormEvent } from "react";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { Button, Card } from "../../components/ui.tsx";
import { apiUrl } from "../../lib/api.ts";
import { percent } from "../../lib/format.ts";
import { useSearchParam } from "../../lib/router.tsx";
import { BarList, ColumnChart, type Bar } from "./charts.tsx";
import { useKeys, useUsageDaily, useUsageLogs } from "./data.ts";
import { keyLabel } from "./keys.tsx";
import { count, usd } from "./money.ts";
import { metricValue, totalsBy, totalsPerDay, usageFilters, type Metric, type Totals } from "./usageSums.ts";
import type { KeyView, UsageFilters, UsageRecordView } from "./wire.ts";

const METRICS: ReadonlyArray<{ id: Metric; label: string }> = [
  { id: "charged", label: "Spend" },
  { id: "requests", label: "Requests" },
  { id: "tokens", label: "Tokens" },
];

const metricText = (totals: Totals, metric: Metric) =>
  metric === "charged" ? usd(totals.charged) : metric === "requests" ? `${count(totals.requests)} req` : `${count(totals.tokens)} tok`;

const inputClass = "min-h-10 rounded-lg border border-line bg-page px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-accent";

interface FilterText {
  key: string;
  model: string;
  from: string;
  to: string;
}

function Filters({ applied, keys, models, onApply }: { applied: FilterText; keys: readonly KeyView[]; models: readonly string[]; onApply: (f: FilterText) => void }) {
  const [text, setText] = useState(applied);
  useEffect(() => setText(applied), [applied.key, applied.model, applied.from, applied.to]); // eslint-disable-line react-hooks/exhaustive-deps
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(text);
  };
  const none = { key: "", model: "", from: "", to: "" };
  const wrongOrder = text.from && text.to && text.to < text.from;
  return (
    <form onSubmit={submit} aria-label="Usage filters" className="flex flex-col gap-3">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <div className="flex flex-col gap-1">
          <label htmlFor="usage-key" className="text-sm font-medium">API key</label>
          <select id="usage-key" className={inputClass} value={text.key} onChange={(e) => setText({ ...text, key: e.target.value })}>
            <option value="">All keys</option>
            {keys.map((k) => (
              <option key={k.id} value={k.id}>
                {keyLabel(k)}
                {k.revoked_at ? " (revoked)" : ""}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="usage-model" className="text-sm font-medium">Model</label>
          <input id="usage-model" list="usage-models" className={inputClass} placeholder="All models" autoComplete="off" value={text.model} onChange={(e) => setText({ ...text, model: e.target.value.trim() })} />
          <datalist id="usage-models">
            {models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="usage-from" className="text-sm font-medium">From (UTC day)</label>
          <input id="usage-from" type="date" className={inputClass} value={text.from} onChange={(e) => setText({ ...text, from: e.target.value })} />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="usage-to" className="text-sm font-medium">To (UTC day, included)</label>
          <input id="usage-to" type="date" className={inputClass} value={text.to} aria-invalid={wrongOrder ? true : undefined} aria-describedby={wrongOrder ? "usage-to-error" : undefined} onChange={(e) => setText({ ...text, to: e.target.value })} />
          {wrongOrder && <p id="usage-to-error" className="text-xs text-bad">The last day is before the first.</p>}
        </div>
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={Boolean(wrongOrder)}>Apply filters</Button>
        <Button variant="ghost" onClick={() => onApply(none)}>Clear</Button>
      </div>
    </form>
  );
}

function Charts({ filters, keyName }: { filters: UsageFilters; keyName: (id: string) => string }) {
  const daily = useUsageDaily(filters);
  const [metric, setMetric] = useState<Metric>("charged");
  if (daily.isPending) return <LoadingState label="Loading the usage charts" />;
  if (daily.isError) return <ErrorState error={daily.error} retry={() => void daily.refetch()} />;
  const rows = daily.data.data;
  if (rows.length === 0) return <EmptyState title="No usage in this window">Requests made with your keys show up here once they settle.</EmptyState>;
  const bar = ([id, totals]: [string, Totals], label = id): Bar => ({ id, label, value: metricValue(totals, metric), text: metricText(totals, metric) });
  const all = totalsBy(rows, () => "all", metric)[0]![1];
  const label = METRICS.find((m) => m.id === metric)!.label.toLowerCase();
  return (
    <div className="flex flex-col gap-4">
      <dl className="grid grid-cols-3 gap-3 text-sm">
        <div><dt className="text-xs text-muted">Spend</dt><dd className="font-semibold tabular-nums">{usd(all.charged)}</dd></div>
        <div><dt className="text-xs text-muted">Requests</dt><dd className="font-semibold tabular-nums">{count(all.requests)}</dd></div>
        <div><dt className="text-xs text-muted">Tokens</dt><dd className="font-semibold tabular-nums">{count(all.tokens)}</dd></div>
      </dl>
      <div role="group" aria-label="Chart metric" className="flex gap-1">
        {METRICS.map((m) => (
          <Button key={m.id} variant={metric === m.id ? "primary" : "secondary"} aria-pressed={metric === m.id} className="min-h-8 px-3 py-1 text-xs" onClick={() => setMetric(m.id)}>
            {m.label}
          </Button>
        ))}
      </div>
      <ColumnChart title={`${METRICS.find((m) => m.id === metric)!.label} per day`} caption={`${label} per UTC day`} bars={totalsPerDay(rows).map((d) => bar(d))} />
      <div className="grid gap-4 md:grid-cols-2">
        <section aria-labelledby="per-model">
          <h3 id="per-model" className="mb-2 text-sm font-medium">Per model</h3>
          <BarList title={`${label} per model`} bars={totalsBy(rows, (r) => r.model_id, metric).map((t) => bar(t))} />
        </section>
        <section aria-labelledby="per-key">
          <h3 id="per-key" className="mb-2 text-sm font-medium">Per key</h3>
          <BarList title={`${label} per key`} bars={totalsBy(rows, (r) => r.key_id, metric).map((t) => bar(t, keyName(t[0])))} />
        </section>
      </div>
      {daily.data.truncated && <p className="text-xs text-muted">Only part of a very long window is charted: narrow the days.</p>}
    </div>
  );
}

export function UsageTable({ rows, keyName }: { rows: readonly UsageRecordView[]; keyName: (id: string) => string }) {
  return (
    // Wider than a phone: the table scrolls sideways, and the keyboard can scroll it too (tabIndex).
    <div className="overflow-x-auto" role="region" aria-label="Request logs table" tabIndex={0}>
      <table className="w-full min-w-[48rem] text-sm">
        <caption className="sr-only">Requests, newest first</caption>
        <thead className="text-left text-xs text-muted">
          <tr>
            <th scope="col" className="py-2 pr-3 font-medium">Time</th>
            <th scope="col" className="py-2 pr-3 font-medium">Model</th>
            <th scope="col" className="py-2 pr-3 font-medium">Key</th>
            <th scope="col" className="py-2 pr-3 text-right font-medium">Tokens in / out</th>
            <th scope="col" className="py-2 pr-3 text-right font-medium">List price</th>
            <th scope="col" className="py-2 pr-3 text-right font-medium">Discount</th>
            <th scope="col" className="py-2 pr-3 text-right font-medium">Charged</th>
            <th scope="col" className="py-2 text-right font-medium">Latency</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.request_id} className="border-t border-line">
              <td className="py-2 pr-3 whitespace-nowrap" title={r.request_id}>{new Date(r.created_at).toLocaleString()}</td>
              <td className="py-2 pr-3 whitespace-nowrap">{r.model_id}</td>
              <td className="py-2 pr-3 whitespace-nowrap">{keyName(r.key_id)}</td>
              <td className="py-2 pr-3 text-right tabular-nums whitespace-nowrap">
                {count(r.input_tokens)} / {count(r.output_tokens)}
              </td>
              <td className="py-2 pr-3 text-right tabular-nums">{usd(r.list_price_micro_usd)}</td>
              <td className="py-2 pr-3 text-right tabular-nums">{r.discount_bps > 0 ? percent(r.discount_bps) : "—"}</td>
              <td className="py-2 pr-3 text-right font-medium tabular-nums">{usd(r.price_charged_micro_usd)}</td>
              <td className="py-2 text-right tabular-nums whitespace-nowrap">{r.latency_ms === null ? "—" : `${count(r.latency_ms)} ms`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Logs({ filters, keyName }: { filters: UsageFilters; keyName: (id: string) => string }) {
  // The cursors of the pages seen so far: the last is the page shown ("Newer" pops, "Older" pushes).
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const filterKey = JSON.stringify(filters);
  useEffect(() => setCursors([null]), [filterKey]);
  const logs = useUsageLogs(filters, cursors[cursors.length - 1] ?? null);
  if (logs.isPending) return <LoadingState label="Loading the request logs" />;
  if (logs.isError) return <ErrorState error={logs.error} retry={() => void logs.refetch()} />;
  const { data, next_cursor } = logs.data;
  if (data.length === 0 && cursors.length === 1) return <EmptyState title="No requests in this window" />;
  return (
    <>
      <UsageTable rows={data} keyName={keyName} />
      <nav aria-label="Log pages" className="mt-3 flex items-center gap-2">
        <Button variant="secondary" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </Button>
        <span className="text-xs text-muted">Page {cursors.length}</span>
        <Button variant="secondary" disabled={next_cursor === null} onClick={() => setCursors([...cursors, next_cursor])}>
          Older
        </Button>
      </nav>
    </>
  );
}

export function UsagePanel() {
  const [key, setKey] = useSearchParam("key");
  const [model, setModel] = useSearchParam("model");
  const [from, setFrom] = useSearchParam("from");
  const [to, setTo] = useSearchParam("to");
  const applied = { key, model, from, to };
  const filters = usageFilters(applied);
  const keys = useKeys();
  const daily = useUsageDaily(filters);
  const byId = new Map((keys.data?.data ?? []).map((k) => [k.id, k]));
  const keyName = (id: string) => {
    const k = byId.get(id);
    return k ? keyLabel(k) : id;
  };
  const models = [...new Set((daily.data?.data ?? []).map((d) => d.model_id))].sort();
  const apply = (f: FilterText) => {
    setKey(f.key);
    setModel(f.model);
    setFrom(f.from);
    setTo(f.to);
  };
  return (
    <div className="flex flex-col gap-4">
      <Card
        title="Usage"
        actions={
          <a href={apiUrl("/account/usage.csv", { ...filters })} download="usage.csv" className="inline-flex min-h-10 items-center rounded-lg border border-line px-4 py-2 text-sm font-medium hover:bg-raised">
            Download CSV
          </a>
        }
      >
        <Filters applied={applied} keys={keys.data?.data ?? []} models={models} onApply={apply} />
      </Card>
      <Card title="Charts">
        <Charts filters={filters} keyName={keyName} />
      </Card>
      <Card title="Request logs">
        <Logs filters={filters} keyName={keyName} />
      </Card>
    </div>
  );
}
