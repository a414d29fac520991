// The marketplace: every offering, filtered by state and template, searched, sorted (trending,
// newest, closing soon), refreshed every 5 s. Filters live in the URL, so a view can be shared and
// survives a reload. The list is windowed: a thousand offerings render as smoothly as ten.
import { useQuery } from "@tanstack/react-query";
import { useMemo, type ReactNode } from "react";
import { PageTitle } from "../../components/layout.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { Button, Field } from "../../components/ui.tsx";
import { Link, useSearchParam } from "../../lib/router.tsx";
import { OfferingTable } from "./list.tsx";
import { fetchMarket, isSort, selectOfferings, SORTS, STATES, templatesOf, type Market } from "./offerings.ts";

export const MARKET_REFRESH_MS = 5_000;

export default function MarketplacePage() {
  const market = useQuery({ queryKey: ["offerings", "all"], queryFn: ({ signal }) => fetchMarket(signal), refetchInterval: MARKET_REFRESH_MS });
  return (
    <>
      <PageTitle title="Marketplace">Model tokens raising, raised and trading. Every number is read from the chain.</PageTitle>
      {market.isPending ? (
        <LoadingState label="Loading offerings" />
      ) : market.data === undefined ? (
        <ErrorState error={market.error} retry={() => void market.refetch()} />
      ) : (
        <Marketplace market={market.data} stale={market.isError ? market.error : undefined} />
      )}
    </>
  );
}

/** The marketplace on data already loaded: filters (in the URL), the count, the list. */
export function Marketplace({ market, stale }: { market: Market; stale?: unknown }) {
  const [state, setState] = useSearchParam("state");
  const [template, setTemplate] = useSearchParam("template");
  const [search, setSearch] = useSearchParam("q");
  const [sortParam, setSort] = useSearchParam("sort", "trending");
  const sort = isSort(sortParam) ? sortParam : "trending";
  const shown = useMemo(() => selectOfferings(market.offerings, { state, template, search, sort }, market.asOf), [market, state, template, search, sort]);
  // Template names from the offerings themselves: the registry is not read (that is the chain client, which the first page does without).
  const templates = useMemo(() => templatesOf(market.offerings), [market.offerings]);
  const clear = () => {
    setState("");
    setTemplate("");
    setSearch("");
  };

  if (market.offerings.length === 0) {
    return (
      <EmptyState title="No offerings yet">
        Be the first:{" "}
        <Link to="/launch" className="underline">
          launch a model
        </Link>
        .
      </EmptyState>
    );
  }
  return (
    <div className="flex flex-col gap-4">
      <form role="search" aria-label="Filter offerings" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr]" onSubmit={(e) => e.preventDefault()}>
        <Field id="market-search" label="Search" type="search" placeholder="Ticker, name or model id" value={search} onChange={(e) => setSearch(e.target.value)} autoComplete="off" />
        <Select id="market-state" label="State" value={state} onChange={setState}>
          <option value="">All states</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {s[0]!.toUpperCase() + s.slice(1)}
            </option>
          ))}
        </Select>
        <Select id="market-template" label="Template" value={template} onChange={setTemplate}>
          <option value="">All templates</option>
          {[...templates].map(([id, name]) => (
            <option key={id} value={String(id)}>
              {name}
            </option>
          ))}
        </Select>
        <Select id="market-sort" label="Sort by" value={sort} onChange={setSort}>
          {Object.entries(SORTS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </form>
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-muted">
        <p role="status" aria-live="polite" data-testid="market-count">
          {shown.length === market.offerings.length ? `${count(shown.length)} offerings` : `${count(shown.length)} of ${count(market.offerings.length)} offerings`}
        </p>
        {stale ? (
          <p className="text-warn">Not refreshed: {stale instanceof Error ? stale.message : String(stale)}</p>
        ) : (
          <p className="flex items-center gap-1.5">
            <span aria-hidden className="size-2 rounded-full bg-good motion-safe:animate-pulse" /> Live
          </p>
        )}
      </div>
      {shown.length === 0 ? (
        <EmptyState title="No offering matches these filters">
          <Button variant="secondary" onClick={clear}>
            Clear filters
          </Button>
        </EmptyState>
      ) : (
        <OfferingTable offerings={shown} asOf={market.asOf} />
      )}
    </div>
  );
}

const count = (n: number) => n.toLocaleString("en-US");

function Select({ id, label, value, onChange, children }: { id: string; label: string; value: string; onChange: (value: string) => void; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} className="min-h-10 rounded-lg border border-line bg-page px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-accent">
        {children}
      </select>
    </div>
  );
}
