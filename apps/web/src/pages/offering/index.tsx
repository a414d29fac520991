// An offering: curve chart, buy form, countdown, trades, graduate / refund / claim, safety panel.
// The platform serves what the page shows about the offering; the chain, through the SDK, what a
// quote needs to the wei. Both refresh every few seconds, and every chain action refreshes them.
import { useMemo, useState } from "react";
import { PageTitle } from "../../components/layout.tsx";
import { Card } from "../../components/ui.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { ApiError } from "../../lib/api.ts";
import { useReadable } from "../../lib/errors.ts";
import { Link, useParams } from "../../lib/router.tsx";
import type { OfferingDetail } from "../../lib/wire.ts";
import { OfferingActionsPanel } from "./actions.tsx";
import { BuyPanel } from "./buy.tsx";
import { CurveChart } from "./chart.tsx";
import { useChainClock } from "./clock.ts";
import { stateNow, useChainOffering, useLpBurnAddress, useOfferingDetail, usePortfolioPosition, useTerms } from "./data.ts";
import { OfferingHeader } from "./header.tsx";
import { previewBuy } from "./quote.ts";
import { SafetyPanel } from "./safety.tsx";
import { TradesFeed } from "./trades.tsx";

export default function OfferingPage() {
  const { id = "" } = useParams();
  const detail = useOfferingDetail(id);
  if (detail.isPending) return <LoadingState label="Loading the offering" />;
  if (detail.isError) {
    if (detail.error instanceof ApiError && detail.error.status === 404) {
      return (
        <>
          <PageTitle title="Offering not found" />
          <EmptyState title={`No offering ${id}`}>
            Check the ticker or address, or{" "}
            <Link to="/" className="underline">
              browse the marketplace
            </Link>
            .
          </EmptyState>
        </>
      );
    }
    return <ErrorState error={detail.error} retry={() => void detail.refetch()} />;
  }
  return <Offering offering={detail.data} />;
}

function Offering({ offering }: { offering: OfferingDetail }) {
  const now = useChainClock(BigInt(offering.as_of));
  const chain = useChainOffering(offering.mt);
  const terms = useTerms(offering.terms_id);
  const lpBurn = useLpBurnAddress();
  const creator = usePortfolioPosition(offering.creator, offering.mt);
  const [amount, setAmount] = useState("");
  const state = stateNow(offering.state, chain.data, now);
  const symbol = `$${offering.ticker}`;
  const snapshot = chain.data;
  const preview = useMemo(() => (snapshot && now !== undefined ? previewBuy(snapshot, amount, now) : undefined), [snapshot, amount, now]);
  const quote = preview?.status === "quoted" ? preview.quote : undefined;
  const curve = useMemo(
    () => (snapshot ? { virtualFlock: snapshot.virtualFlock, virtualMt: snapshot.virtualMt } : undefined),
    // Keyed on the reserves: a refetch that moves `raised` keeps the same curve.
    [snapshot?.virtualFlock, snapshot?.virtualMt],
  );
  // viem's errors run to many lines: the SDK's sentence instead ("The RPC at … did not answer: is the chain running?").
  const chainError = chain.isError ? chain.error : terms.isError ? terms.error : undefined;
  const chainSentence = useReadable(chainError);
  const chainFailed = chainSentence === undefined ? undefined : new Error(chainSentence);
  const chainRetry = () => {
    void chain.refetch();
    void terms.refetch();
  };

  return (
    <div>
      <OfferingHeader offering={offering} state={state} now={now} />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_24rem] lg:grid-rows-[auto_1fr]">
        <Card title="Bonding curve" className="min-w-0">
          {curve && snapshot ? (
            <CurveChart curve={curve} raiseMax={snapshot.raiseMax} raised={snapshot.raised} quote={state === "raising" ? quote : undefined} symbol={symbol} />
          ) : chainFailed ? (
            <ErrorState error={chainFailed} retry={chainRetry} />
          ) : (
            <LoadingState label="Reading the curve" />
          )}
        </Card>
        <aside className="flex min-w-0 flex-col gap-6 lg:row-span-2" aria-label="Buy and safety">
          {state === "raising" ? (
            <Card title={`Buy ${symbol}`}>
              {snapshot && now !== undefined && preview ? (
                <BuyPanel mtAddress={offering.mt} symbol={symbol} snapshot={snapshot} now={now} amount={amount} onAmount={setAmount} preview={preview} />
              ) : chainFailed ? (
                <ErrorState error={chainFailed} retry={chainRetry} />
              ) : (
                <LoadingState label="Reading the offering on chain" />
              )}
            </Card>
          ) : (
            <Card title={state === "succeeded" ? "Graduate" : state === "failed" ? "Refund" : "Claim"}>
              <OfferingActionsPanel mtAddress={offering.mt} state={state} ticker={offering.ticker} symbol={symbol} />
            </Card>
          )}
          <Card title="Safety">
            {snapshot && terms.data ? (
              <SafetyPanel
                offering={offering}
                snapshot={snapshot}
                terms={terms.data}
                lpBurnAddress={lpBurn.data}
                creatorPosition={creator.isError ? null : creator.data}
                symbol={symbol}
              />
            ) : chainFailed ? (
              <ErrorState error={chainFailed} retry={chainRetry} />
            ) : (
              <LoadingState label="Reading the terms" />
            )}
          </Card>
        </aside>
        <Card title="Buys" className="min-w-0 lg:self-start">
          <TradesFeed id={offering.mt} symbol={symbol} />
        </Card>
      </div>
    </div>
  );
}
