// A live deployment (a graduated offering, by ticker or $MT address): how to call it, its DEX candles,
// its token (supply, burned, pool, holders), the revenue it routed and the buybacks and emissions per
// epoch, its top holders, and staking for the inference discount.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { PageTitle } from "../../components/layout.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { Badge, Card } from "../../components/ui.tsx";
import { apiGet, ApiError } from "../../lib/api.ts";
import { useNetwork } from "../../lib/network.tsx";
import { Link, useParams, useSearchParam } from "../../lib/router.tsx";
import type { OfferingDetail } from "../../lib/wire.ts";
import { Candles, DEFAULT_INTERVAL, intervalSeconds } from "./candles.tsx";
import { ModelAccess } from "./snippets.tsx";
import { Staking } from "./staking.tsx";
import { EpochHistory, knownAddresses, RevenueTotals, TokenStats, TopHolders, useToken } from "./token.tsx";

/** No such offering: unknown (404), or not even a ticker or an address (400). */
const notFound = (error: unknown) => error instanceof ApiError && (error.status === 404 || error.status === 400);

export default function ModelPage() {
  const { id = "" } = useParams();
  const [interval, setCandleInterval] = useSearchParam("interval", DEFAULT_INTERVAL);
  const offering = useQuery({
    queryKey: ["offering", id, interval],
    queryFn: ({ signal }) => apiGet<OfferingDetail>(`/offerings/${encodeURIComponent(id)}`, { interval: intervalSeconds(interval) }, signal),
    placeholderData: keepPreviousData,
    retry: (count, error) => !notFound(error) && count < 1,
  });

  if (offering.isPending) return <LoadingState label="Loading the model" />;
  if (offering.isError) {
    if (notFound(offering.error)) {
      return (
        <PageTitle title="Model not found">
          No offering is called <code className="font-mono">{id}</code>.{" "}
          <Link to="/" className="underline">
            Back to the marketplace
          </Link>
        </PageTitle>
      );
    }
    return <ErrorState error={offering.error} retry={() => void offering.refetch()} />;
  }
  const o = offering.data;
  const title = `${o.name} (${o.ticker})`;
  if (o.state !== "graduated") {
    return (
      <>
        <PageTitle title={title} />
        <EmptyState title={`${o.ticker} is not live yet`}>
          A model is served once its offering graduates; this one is {o.state}.{" "}
          <Link to={`/offerings/${o.ticker}`} className="text-accent underline">
            See the offering
          </Link>
        </EmptyState>
      </>
    );
  }
  return <LiveModel offering={o} title={title} interval={interval} onInterval={setCandleInterval} refreshing={offering.isPlaceholderData} />;
}

function LiveModel({ offering: o, title, interval, onInterval, refreshing }: { offering: OfferingDetail; title: string; interval: string; onInterval: (key: string) => void; refreshing: boolean }) {
  const network = useNetwork();
  const usdcDecimals = network.deployments.usdcDecimals;
  const token = useToken(o.mt);
  useEffect(() => {
    const before = document.title;
    document.title = `${o.ticker} · ${o.model_id} · FOMO`;
    return () => void (document.title = before);
  }, [o.ticker, o.model_id]);
  const tokenState = token.isPending ? <LoadingState label="Loading the token" /> : token.isError ? <ErrorState error={token.error} retry={() => void token.refetch()} /> : undefined;
  return (
    <>
      <PageTitle title={title}>
        <span className="inline-flex flex-wrap items-center gap-2">
          <Badge tone="graduated">live</Badge>
          <span>
            Served as <code className="font-mono">{o.model_id}</code>
          </span>
          <Link to={`/offerings/${o.ticker}`} className="text-accent underline">
            Offering
          </Link>
        </span>
      </PageTitle>
      {/* Two columns from lg up; below, one column in reading order (the columns dissolve with
          `contents` and each card takes its place with `order`). */}
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="contents lg:col-span-2 lg:flex lg:min-w-0 lg:flex-col lg:gap-4">
          <div className="order-1 min-w-0 lg:order-none">
            <ModelAccess model={o.model_id} gatewayUrl={network.gateway_url} />
          </div>
          <Card title={`${o.ticker} price (FLOCK per $MT)`} className="order-2 min-w-0 lg:order-none">
            <Candles candles={o.candles} interval={interval} onInterval={onInterval} refreshing={refreshing} />
          </Card>
          {/* A token that cannot be read says so once, beside the chart; the revenue card waits for it. */}
          {token.data && (
            <div className="order-5 min-w-0 lg:order-none">
              <RevenueTotals token={token.data} usdcDecimals={usdcDecimals} />
            </div>
          )}
          <div className="order-6 min-w-0 lg:order-none">
            <EpochHistory mtAddress={o.mt} ticker={o.ticker} usdcDecimals={usdcDecimals} />
          </div>
        </div>
        <div className="contents lg:flex lg:min-w-0 lg:flex-col lg:gap-4">
          <div className="order-3 min-w-0 lg:order-none">{token.data ? <TokenStats token={token.data} offering={o} /> : tokenState}</div>
          <div className="order-4 min-w-0 lg:order-none">
            <Staking mt={o.mt} ticker={o.ticker} termsId={o.terms_id} />
          </div>
          {token.data && (
            <div className="order-7 min-w-0 lg:order-none">
              <TopHolders mtAddress={o.mt} ticker={o.ticker} totalSupply={token.data.total_supply} known={knownAddresses(network.deployments, token.data.pair)} />
            </div>
          )}
        </div>
      </div>
    </>
  );
}
