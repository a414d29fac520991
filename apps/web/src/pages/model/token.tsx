// The deployment's token: supply, burned, pooled and holders; the revenue it routed and the buybacks
// it paid for, in total and per epoch with each transaction; the top holders. The chain here is
// local, so a transaction is shown as its hash to copy, not a link to an explorer.
import { formatUsdc, type Deployments } from "@fomo/sdk";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { Button, Card, CopyButton, Stat } from "../../components/ui.tsx";
import { apiGet, ApiError, type Page } from "../../lib/api.ts";
import { amount, compact, mt, percent, short, when } from "../../lib/format.ts";
import type { HolderView, Hex, OfferingDetail } from "../../lib/wire.ts";
import type { TokenEpochView, TokenView } from "./wire.ts";

/** Share of `part` in `whole` in basis points, rounded down (a share is never overstated). */
export const shareBps = (part: string | bigint, whole: string | bigint): bigint => (BigInt(whole) === 0n ? 0n : (BigInt(part) * 10_000n) / BigInt(whole));

export function TxHash({ hash }: { hash: Hex }) {
  return (
    <span className="inline-flex items-center gap-1">
      <code className="font-mono text-xs" title={hash}>
        {short(hash)}
      </code>
      <CopyButton text={hash} name={`Copy transaction hash ${hash}`} />
    </span>
  );
}

export function useToken(mtAddress: string) {
  return useQuery({ queryKey: ["token", mtAddress], queryFn: ({ signal }) => apiGet<TokenView>(`/tokens/${mtAddress}`, {}, signal) });
}

export function TokenStats({ token, offering }: { token: TokenView; offering: OfferingDetail }) {
  const price = offering.pool_price ?? offering.curve_price;
  return (
    <Card title="Token">
      <dl className="grid grid-cols-2 gap-4">
        <Stat label="Total supply" value={`${compact(token.total_supply)} ${token.ticker}`} hint={mt(token.total_supply, token.ticker, 0)} />
        <Stat label="Burned" value={`${compact(token.burned)} ${token.ticker}`} hint={`${percent(shareBps(token.burned, token.total_supply))} of supply`} />
        <Stat label="In pool (LP)" value={`${compact(token.in_pool)} ${token.ticker}`} hint={token.pair ? `pair ${short(token.pair)}` : "no pool yet"} />
        <Stat label="Holders" value={token.holders.toLocaleString()} />
        <Stat label={offering.pool_price ? "Pool price" : "Curve price"} value={`${amount(price, 18, 6)} FLOCK`} hint="per $MT" />
        <Stat label="Market cap" value={`${compact(offering.market_cap_flock)} FLOCK`} />
      </dl>
    </Card>
  );
}

export function RevenueTotals({ token, usdcDecimals }: { token: TokenView; usdcDecimals: number }) {
  const usdc = (units: string) => formatUsdc(BigInt(units), usdcDecimals);
  const r = token.revenue;
  return (
    <Card title="Revenue routed">
      <p className="mb-3 text-sm text-muted">
        Inference revenue reported on chain over {r.epochs_reported} epoch{r.epochs_reported === 1 ? "" : "s"}, and where it went.
      </p>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3">
        <Stat label="Gross" value={usdc(r.gross)} />
        <Stat label="Hosting cost" value={usdc(r.hard_cost)} />
        <Stat label="$MT buyback" value={usdc(r.mt_buyback)} />
        <Stat label="Issuer yield" value={usdc(r.issuer_yield)} />
        <Stat label="FLOCK buyback" value={usdc(r.flock_buyback)} />
        <Stat label="Treasury" value={usdc(r.treasury)} />
      </dl>
      <h3 className="mt-5 mb-2 text-sm font-semibold">Buybacks</h3>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3">
        <Stat label="Buybacks run" value={token.buybacks.count.toLocaleString()} />
        <Stat label="Spent" value={usdc(token.buybacks.spent)} />
        <Stat label="Bought and burned" value={mt(token.buybacks.burned, token.ticker, 4)} />
      </dl>
    </Card>
  );
}

/** Epochs asked per request (the API's most), and how many requests one "show older" may make. */
/** Epochs shown per page: the platform lists only the epochs this $MT had something in. */
const EPOCHS_PER_PAGE = 10;

/** One page of the $MT's epochs, newest first. */
export function epochsPage(mtAddress: string, cursor: string | undefined, signal?: AbortSignal): Promise<Page<TokenEpochView>> {
  return apiGet<Page<TokenEpochView>>(`/tokens/${mtAddress}/epochs`, { limit: EPOCHS_PER_PAGE, cursor }, signal);
}

export function EpochHistory({ mtAddress, ticker, usdcDecimals }: { mtAddress: string; ticker: string; usdcDecimals: number }) {
  const epochs = useInfiniteQuery({
    queryKey: ["token-epochs", mtAddress],
    queryFn: ({ pageParam, signal }) => epochsPage(mtAddress, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    // An epoch settles once a minute on a demo chain, once a day on a real one: no need to rescan every few seconds.
    refetchInterval: 30_000,
  });
  const usdc = (units: string) => formatUsdc(BigInt(units), usdcDecimals);
  // Cursors are offsets into a list that grows at the top: after a refetch, neighbouring pages may overlap.
  const rows = [...new Map((epochs.data?.pages.flatMap((p) => p.data) ?? []).map((e) => [e.epoch, e])).values()];
  return (
    <Card title="Per epoch">
      {epochs.isPending ? (
        <LoadingState label="Loading epochs" />
      ) : epochs.isError ? (
        <ErrorState error={epochs.error} retry={() => void epochs.refetch()} />
      ) : (
        <>
          {rows.length === 0 ? (
            <EmptyState title="No revenue, buyback or emission yet">
              Revenue routed, buybacks and emissions appear here once the keeper settles an epoch with usage of this model.
            </EmptyState>
          ) : (
            <ol className="flex flex-col divide-y divide-line" aria-label="Epochs with activity, newest first">
              {rows.map((e) => (
                <li key={e.epoch} className="grid gap-3 py-3 lg:grid-cols-[6rem_1fr_1fr_1fr]">
                  <h3 className="text-sm font-semibold">Epoch {e.epoch}</h3>
                  <Flow title="Revenue routed" empty="No revenue reported">
                    {e.reports.map((r) => (
                      <FlowLine key={r.tx_hash} hash={r.tx_hash} at={r.timestamp}>
                        {usdc(r.gross)} gross: {usdc(r.mt_buyback)} to buy back {ticker}, {usdc(r.issuer_yield)} issuer yield, {usdc(r.hard_cost)} hosting
                      </FlowLine>
                    ))}
                  </Flow>
                  <Flow title="Buyback and burn" empty="No buyback">
                    {e.buybacks.map((b) => (
                      <FlowLine key={b.tx_hash} hash={b.tx_hash} at={b.timestamp}>
                        {usdc(b.spent)} bought {mt(b.burned, ticker, 6)}, burned
                      </FlowLine>
                    ))}
                  </Flow>
                  <Flow title="Emissions" empty={e.emission?.status === "skipped" ? "Skipped this epoch" : "No emission"}>
                    {e.emission?.status === "released" && (
                      <FlowLine hash={e.emission.tx_hash}>
                        {mt(e.emission.mt ?? "0", ticker, 4)} and {amount(e.emission.flock ?? "0", 18, 4)} FLOCK released for rewards
                      </FlowLine>
                    )}
                  </Flow>
                </li>
              ))}
            </ol>
          )}
          {epochs.hasNextPage && (
            <Button variant="secondary" className="mt-3" disabled={epochs.isFetchingNextPage} onClick={() => void epochs.fetchNextPage()}>
              {epochs.isFetchingNextPage ? "Loading…" : "Show older epochs"}
            </Button>
          )}
        </>
      )}
    </Card>
  );
}

function Flow({ title, empty, children }: { title: string; empty: string; children: ReactNode }) {
  const lines = (Array.isArray(children) ? children : [children]).filter(Boolean);
  return (
    <div className="min-w-0">
      <h4 className="text-xs uppercase tracking-wide text-muted">{title}</h4>
      {lines.length === 0 ? <p className="text-sm text-muted">{empty}</p> : <ul className="flex flex-col gap-1">{lines}</ul>}
    </div>
  );
}

function FlowLine({ hash, at, children }: { hash: Hex | null; at?: string; children: ReactNode }) {
  return (
    <li className="text-sm tabular-nums">
      <span className="block">{children}</span>
      <span className="flex flex-wrap items-center gap-x-2 text-xs text-muted">
        {at && <time dateTime={new Date(Number(at) * 1000).toISOString()}>{when(at)}</time>}
        {hash && <TxHash hash={hash} />}
      </span>
    </li>
  );
}

const TOP_HOLDERS = 10;

/** Protocol contracts that hold $MT, named: the launchpad holds what supporters have not claimed yet. */
const CONTRACT_NAMES: Partial<Record<keyof Deployments["contracts"], string>> = {
  launchpad: "Launchpad (unclaimed)",
  incentivePool: "Incentive pool",
  mtStaking: "Staking",
  buybackExecutor: "Buyback executor",
  revenueRouter: "Revenue router",
  rewardsDistributor: "Rewards distributor",
};

export function knownAddresses(deployments: Deployments, pair: string | null): Map<string, string> {
  const known = new Map<string, string>();
  for (const [key, name] of Object.entries(CONTRACT_NAMES)) {
    const address = deployments.contracts[key as keyof Deployments["contracts"]];
    if (address) known.set(address.toLowerCase(), name);
  }
  known.set(deployments.roles.treasury.toLowerCase(), "Treasury");
  if (pair) known.set(pair.toLowerCase(), "Pool (LP)");
  return known;
}

export function TopHolders({ mtAddress, ticker, totalSupply, known }: { mtAddress: string; ticker: string; totalSupply: string; known: Map<string, string> }) {
  const holders = useQuery({
    queryKey: ["token-holders", mtAddress],
    queryFn: ({ signal }) => apiGet<Page<HolderView>>(`/tokens/${mtAddress}/holders`, { limit: TOP_HOLDERS }, signal),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 1,
  });
  return (
    <Card title="Top holders">
      {holders.isPending ? (
        <LoadingState label="Loading holders" />
      ) : holders.isError ? (
        holders.error instanceof ApiError && holders.error.status === 404 ? (
          <EmptyState title="Holders are not listed yet">This platform does not serve the holder list yet.</EmptyState>
        ) : (
          <ErrorState error={holders.error} retry={() => void holders.refetch()} />
        )
      ) : holders.data.data.length === 0 ? (
        <EmptyState title="No holders yet" />
      ) : (
        <ol className="flex flex-col divide-y divide-line" aria-label={`Top ${ticker} holders`}>
          {holders.data.data.map((h, i) => (
            <li key={h.account} className="flex items-center gap-3 py-2 text-sm">
              <span className="w-6 text-muted tabular-nums">{i + 1}</span>
              <span className="min-w-0">
                <code className="font-mono text-xs" title={h.account}>
                  {short(h.account)}
                </code>
                {known.has(h.account.toLowerCase()) && <span className="block text-xs text-muted">{known.get(h.account.toLowerCase())}</span>}
              </span>
              <span className="ml-auto text-right tabular-nums">
                {mt(h.balance, ticker, 2)}
                <span className="block text-xs text-muted">{percent(shareBps(h.balance, totalSupply))}</span>
              </span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
