// The offering's buys, newest first (GET /offerings/{id}/trades, paged by cursor): who bought, the
// FLOCK in, the $MT out, the fee (base and anti-snipe), when, and the transaction. A table on wide
// screens, a list on a phone.
import { useInfiniteQuery } from "@tanstack/react-query";
import { Button } from "../../components/ui.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { apiGet, type Page } from "../../lib/api.ts";
import { compact, flock, mt, short, when } from "../../lib/format.ts";
import { Link } from "../../lib/router.tsx";
import type { TradeView } from "../../lib/wire.ts";

const PAGE_SIZE = 25;

export function useTrades(id: string) {
  return useInfiniteQuery({
    queryKey: ["offering-trades", id],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      apiGet<Page<TradeView>>(`/offerings/${encodeURIComponent(id)}/trades`, { limit: PAGE_SIZE, cursor: pageParam }, signal),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

const feeOf = (t: TradeView) => BigInt(t.base_fee) + BigInt(t.surcharge);
const tradeKey = (t: TradeView) => `${t.tx_hash}-${t.log_index}`;

function Buyer({ address }: { address: string }) {
  return (
    <Link to={`/portfolio/${address}`} className="font-mono underline underline-offset-2" title={address}>
      {short(address)}
    </Link>
  );
}

export function TradesList({ trades, symbol }: { trades: readonly TradeView[]; symbol: string }) {
  if (trades.length === 0) return <EmptyState title="No buys yet">The first buy on the curve shows here.</EmptyState>;
  return (
    <>
      <div className="hidden overflow-x-auto sm:block">
        <table className="w-full text-sm">
          <caption className="sr-only">Buys on the curve, newest first</caption>
          <thead>
            <tr className="border-b border-line text-left text-xs uppercase tracking-wide text-muted">
              <th scope="col" className="py-2 pr-3 font-medium">Buyer</th>
              <th scope="col" className="py-2 pr-3 text-right font-medium">FLOCK in</th>
              <th scope="col" className="py-2 pr-3 text-right font-medium">{symbol} out</th>
              <th scope="col" className="py-2 pr-3 text-right font-medium">Fee</th>
              <th scope="col" className="py-2 pr-3 font-medium">Time</th>
              <th scope="col" className="py-2 font-medium">Transaction</th>
            </tr>
          </thead>
          <tbody>
            {trades.map((t) => (
              <tr key={tradeKey(t)} className="border-b border-line/60 last:border-0">
                <td className="py-2 pr-3 whitespace-nowrap">
                  <Buyer address={t.buyer} />
                </td>
                <td className="py-2 pr-3 text-right whitespace-nowrap tabular-nums">{flock(t.flock_in)}</td>
                <td className="py-2 pr-3 text-right whitespace-nowrap tabular-nums">{mt(t.mt_out, symbol)}</td>
                <td className="py-2 pr-3 text-right whitespace-nowrap tabular-nums">
                  {flock(feeOf(t))}
                  {BigInt(t.surcharge) > 0n && <span className="block text-xs text-warn">incl. {compact(t.surcharge)} anti-snipe</span>}
                </td>
                <td className="py-2 pr-3">{when(t.timestamp)}</td>
                <td className="py-2 font-mono text-xs whitespace-nowrap" title={t.tx_hash}>
                  {short(t.tx_hash)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="flex flex-col divide-y divide-line sm:hidden" aria-label="Buys on the curve, newest first">
        {trades.map((t) => (
          <li key={tradeKey(t)} className="py-3 text-sm">
            <div className="flex justify-between gap-2">
              <Buyer address={t.buyer} />
              <span className="text-muted">{when(t.timestamp)}</span>
            </div>
            <p className="mt-1 tabular-nums">
              {flock(t.flock_in)} → {mt(t.mt_out, symbol)}
            </p>
            <p className="text-xs text-muted">
              fee {flock(feeOf(t))}
              {BigInt(t.surcharge) > 0n && ` (${flock(t.surcharge)} anti-snipe)`} · tx <span className="font-mono" title={t.tx_hash}>{short(t.tx_hash)}</span>
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}

export function TradesFeed({ id, symbol }: { id: string; symbol: string }) {
  const trades = useTrades(id);
  if (trades.isPending) return <LoadingState label="Loading buys" />;
  if (trades.isError) return <ErrorState error={trades.error} retry={() => void trades.refetch()} />;
  const all = trades.data.pages.flatMap((p) => p.data);
  return (
    <div className="flex flex-col gap-3">
      <TradesList trades={all} symbol={symbol} />
      {trades.hasNextPage && (
        <Button variant="secondary" onClick={() => void trades.fetchNextPage()} disabled={trades.isFetchingNextPage}>
          {trades.isFetchingNextPage ? "Loading…" : "Show older buys"}
        </Button>
      )}
    </div>
  );
}
