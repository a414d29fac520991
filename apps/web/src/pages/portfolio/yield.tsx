// Issuer yield: the offerings this address created (GET /offerings?creator=) and the USDC each has
// earned it from its model's revenue (RevenueRouter.yieldOwed, read on chain), with Claim yield.
import { useQueries, useQuery } from "@tanstack/react-query";
import type { PublicClient } from "viem";
import { usePublicClient } from "wagmi";
import { ErrorState, LoadingState } from "../../components/states.tsx";
import { Badge, Card } from "../../components/ui.tsx";
import { apiGet } from "../../lib/api.ts";
import { useNetwork } from "../../lib/network.tsx";
import { Link } from "../../lib/router.tsx";
import type { Address, OfferingsPage, OfferingView } from "../../lib/wire.ts";
import { usePortfolioCalls } from "./chain.ts";
import { ChainButton } from "./parts.tsx";
import { usdc } from "./tokens.ts";

/** Page size of the creator's offerings: the API's largest (an issuer with more sees the first 200). */
const CREATED_PAGE = 200;

export interface IssuerYield {
  offerings: OfferingView[];
  /** Yield owed per $MT in stablecoin units; absent while it loads or when the chain does not answer. */
  owed: Map<Address, bigint>;
  /** The $MTs whose yield the chain did not answer for. */
  unread: Set<Address>;
  isPending: boolean;
  error: unknown;
  refetch: () => void;
}

export function useIssuerYield(address: Address): IssuerYield {
  const client = usePublicClient() as PublicClient | undefined;
  const { deployments } = useNetwork();
  const calls = usePortfolioCalls();
  const created = useQuery({
    queryKey: ["offerings", { creator: address }],
    queryFn: ({ signal }) => apiGet<OfferingsPage>("/offerings", { creator: address, limit: CREATED_PAGE }, signal),
  });
  const offerings = created.data?.data ?? [];
  const owed = useQueries({
    queries: offerings.map((o) => ({
      queryKey: ["yield-owed", o.mt],
      enabled: Boolean(client),
      queryFn: () => calls.getYieldOwed(client!, deployments, { mt: o.mt }),
      refetchInterval: 30_000,
    })),
  });
  const byMt = new Map<Address, bigint>();
  const unread = new Set<Address>();
  offerings.forEach((o, i) => {
    const value = owed[i]?.data;
    if (value !== undefined) byMt.set(o.mt, value);
    else if (owed[i]?.isError) unread.add(o.mt);
  });
  return { offerings, owed: byMt, unread, isPending: created.isPending, error: created.error, refetch: () => void created.refetch() };
}

export function IssuerYieldCard({ issuer, own }: { issuer: IssuerYield; own: boolean }) {
  const { deployments } = useNetwork();
  if (issuer.isPending) return <Card title="Issuer yield"><LoadingState label="Loading created offerings" /></Card>;
  if (issuer.error) return <Card title="Issuer yield"><ErrorState error={issuer.error} retry={issuer.refetch} /></Card>;
  if (issuer.offerings.length === 0) return null;
  return (
    <Card title="Issuer yield">
      <ul className="flex flex-col divide-y divide-line">
        {issuer.offerings.map((o) => {
          const owed = issuer.owed.get(o.mt);
          return (
            <li key={o.mt} className="flex flex-wrap items-center justify-between gap-3 py-3">
              <div className="flex min-w-0 items-center gap-2">
                <Link to={`/offerings/${o.mt}`} className="font-semibold hover:underline">{o.ticker}</Link>
                <Badge tone={o.state}>{o.state}</Badge>
              </div>
              <div className="flex flex-wrap items-center gap-3">
                <span className="tabular-nums" aria-label={`${o.ticker} yield owed`}>
                  {owed !== undefined ? usdc(owed, deployments.usdcDecimals) : issuer.unread.has(o.mt) ? "Not read: the chain did not answer" : "…"}
                </span>
                {own && owed !== undefined && owed > 0n && (
                  <ChainButton
                    label="Claim yield"
                    accessibleName={`Claim ${o.ticker} yield`}
                    action={async ({ clients, deployments, calls, step }) => {
                      step(`Claiming ${o.ticker} yield`);
                      const { amount: paid, hash } = await calls.claimYield(clients, deployments, { mt: o.mt });
                      return { message: `Claimed ${usdc(paid, deployments.usdcDecimals)}.`, hash };
                    }}
                  />
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
