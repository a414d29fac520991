// A wallet's positions, claims, refunds, vesting, stakes, rewards and issuer yield.
// "/portfolio" is the connected wallet; "/portfolio/:address" any address, read-only unless it is
// the connected one (actions send from the wallet, so only its own portfolio offers them).
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { getAddress, isAddress, isAddressEqual } from "viem";
import { useAccount } from "wagmi";
import { PageTitle } from "../../components/layout.tsx";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { Button, Card, CopyButton, Field, Stat } from "../../components/ui.tsx";
import { apiGet } from "../../lib/api.ts";
import { short } from "../../lib/format.ts";
import { useNetwork } from "../../lib/network.tsx";
import { navigate, useParams } from "../../lib/router.tsx";
import type { Address } from "../../lib/wire.ts";
import { History } from "./history.tsx";
import { useChainClock } from "./parts.tsx";
import { Positions } from "./positions.tsx";
import { Rewards } from "./rewards.tsx";
import { Stakes } from "./stakes.tsx";
import { figure, usdc, useTokenBook, type TokenBook } from "./tokens.ts";
import type { PortfolioView } from "./wire.ts";
import { IssuerYieldCard, useIssuerYield, type IssuerYield } from "./yield.tsx";

/** The indexer follows the chain every few seconds; the portfolio follows it. */
const REFRESH_MS = 10_000;

export default function PortfolioPage() {
  const { address: param } = useParams();
  const { address: connected } = useAccount();
  if (param !== undefined && !isAddress(param, { strict: false })) {
    return (
      <>
        <PageTitle title="Portfolio" />
        <ErrorState error={new Error(`${param} is not an address.`)} />
        <AddressLookup />
      </>
    );
  }
  const address = param !== undefined ? getAddress(param) : connected;
  if (!address) {
    return (
      <>
        <PageTitle title="Portfolio" />
        <EmptyState title="Connect a wallet to see your portfolio">
          {/* The header's Connect wallet is the one connect button: a second would be the same dialog twice. */}
          <p>Use Connect wallet at the top of the page: positions, claims, stakes and rewards of the connected wallet show here.</p>
          <AddressLookup />
        </EmptyState>
      </>
    );
  }
  return <Portfolio address={address} own={connected !== undefined && isAddressEqual(connected, address)} />;
}

/** Any address's portfolio, read-only: /portfolio/<address>. */
function AddressLookup() {
  const [text, setText] = useState("");
  const valid = isAddress(text.trim(), { strict: false });
  return (
    <form
      className="mx-auto mt-4 flex max-w-xl flex-wrap items-end justify-center gap-2 text-left"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) navigate(`/portfolio/${getAddress(text.trim())}`);
      }}
    >
      <div className="min-w-0 flex-1">
        <Field
          id="portfolio-lookup"
          label="Or look at an address"
          placeholder="0x…"
          autoComplete="off"
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          error={text.trim() && !valid ? "Not an address: 0x and 40 hexadecimal digits." : undefined}
        />
      </div>
      <Button type="submit" variant="secondary" disabled={!valid}>
        View
      </Button>
    </form>
  );
}

export function Portfolio({ address, own }: { address: Address; own: boolean }) {
  const portfolio = useQuery({
    queryKey: ["portfolio", address],
    queryFn: ({ signal }) => apiGet<PortfolioView>(`/portfolios/${address}`, undefined, signal),
    refetchInterval: REFRESH_MS,
  });
  return (
    <>
      <PageTitle title={own ? "Your portfolio" : "Portfolio"}>
        <span className="inline-flex flex-wrap items-center gap-2">
          <span className="font-mono text-sm" title={address}>{short(address)}</span>
          <CopyButton text={address} label="Copy address" />
          {!own && <span className="text-sm">Read-only: connect this wallet to claim, refund or unstake.</span>}
        </span>
      </PageTitle>
      {portfolio.isPending ? (
        <LoadingState label="Loading the portfolio" />
      ) : portfolio.isError ? (
        <ErrorState error={portfolio.error} retry={() => void portfolio.refetch()} />
      ) : (
        <Loaded portfolio={portfolio.data} fetchedAt={portfolio.dataUpdatedAt} own={own} />
      )}
    </>
  );
}

function Loaded({ portfolio: p, fetchedAt, own }: { portfolio: PortfolioView; fetchedAt: number; own: boolean }) {
  const now = useChainClock(p.as_of, fetchedAt);
  const book = useTokenBook([...p.positions.map((x) => x.mt), ...p.stakes.map((s) => s.mt), ...(p.rewards?.claims ?? []).map((c) => c.token)]);
  const issuer = useIssuerYield(p.address);
  return (
    <div className="flex flex-col gap-4">
      <Totals portfolio={p} book={book} issuer={issuer} />
      <Rewards live={p.rewards} pending={p.pending_rewards} claims={p.reward_claims} address={p.address} own={own} now={now} book={book} />
      <Positions positions={p.positions} address={p.address} own={own} book={book} />
      <Stakes stakes={p.stakes} own={own} now={now} book={book} />
      <IssuerYieldCard issuer={issuer} own={own} />
      <History portfolio={p} book={book} />
    </div>
  );
}

/** Sums what is known, and says when a price is still missing rather than showing a short total as whole. */
function sumInFlock(items: ReadonlyArray<{ token: Address; amount: bigint }>, book: TokenBook): { total: bigint; partial: boolean } {
  let total = 0n;
  let partial = false;
  for (const { token, amount } of items) {
    if (amount === 0n) continue;
    const value = book.inFlock(token, amount);
    if (value === undefined) partial = true;
    else total += value;
  }
  return { total, partial };
}

function Totals({ portfolio: p, book, issuer }: { portfolio: PortfolioView; book: TokenBook; issuer: IssuerYield }) {
  const { deployments } = useNetwork();
  const held = sumInFlock(
    [
      ...p.positions.map((x) => ({ token: x.mt, amount: BigInt(x.mt_owed) })),
      ...p.stakes.map((s) => ({ token: s.mt, amount: BigInt(s.staked) + BigInt(s.cooling) })),
    ],
    book,
  );
  const claimable = sumInFlock(p.positions.map((x) => ({ token: x.mt, amount: BigInt(x.claimable_mt) })), book);
  const rewards = sumInFlock((p.rewards?.claims ?? []).map((c) => ({ token: c.token, amount: BigInt(c.claimable) })), book);
  const refundable = p.positions.reduce((sum, x) => sum + BigInt(x.refundable_flock), 0n);
  const yieldOwed = [...issuer.owed.values()].reduce((sum, v) => sum + v, 0n);
  const shown = (s: { total: bigint; partial: boolean }) => `${s.partial ? "≥ " : ""}${figure(s.total, "FLOCK")}`;
  return (
    <Card>
      <h2 className="sr-only">Totals</h2>
      <dl className="grid grid-cols-2 gap-4 lg:grid-cols-5">
        <Stat label="Holdings value" value={shown(held)} hint="$MT owed and staked, at today's prices" />
        <Stat label="Claimable $MT" value={shown(claimable)} hint="Value of $MT you can claim now" />
        <Stat label="Rewards to claim" value={shown(rewards)} hint="Latest root, at today's prices" />
        <Stat label="Refundable" value={figure(refundable, "FLOCK")} hint="From failed raises" />
        {issuer.offerings.length > 0 && <Stat label="Issuer yield" value={usdc(yieldOwed, deployments.usdcDecimals)} hint="Owed by your models' revenue" />}
      </dl>
    </Card>
  );
}
