// The page's reads: the offering as the platform serves it (names, state, raise, as_of), and from
// the chain through the SDK what a quote needs to the wei (getOffering: curve, fee terms, window),
// the immutable terms (getTerms) and the Launchpad's LP burn address.
import { getOffering, getTerms, launchpadAbi, stateAt, stateName, type Offering } from "@fomo/sdk";
import { useQuery } from "@tanstack/react-query";
import type { Address, PublicClient } from "viem";
import { usePublicClient } from "wagmi";
import { ApiError, apiGet } from "../../lib/api.ts";
import { useNetwork } from "../../lib/network.tsx";
import type { OfferingDetail, OfferingState } from "../../lib/wire.ts";
import type { PortfolioPositionsView } from "./wire.ts";

export function useOfferingDetail(id: string) {
  return useQuery({
    queryKey: ["offering", id],
    queryFn: ({ signal }) => apiGet<OfferingDetail>(`/offerings/${encodeURIComponent(id)}`, undefined, signal),
    // An unknown ticker stays unknown: answer "not found" at once, retry anything else once.
    retry: (failures, error) => !(error instanceof ApiError && error.status === 404) && failures < 1,
  });
}

function useReader(): PublicClient | undefined {
  return usePublicClient() as PublicClient | undefined;
}

/** The offering on chain (Launchpad.offering plus its fee terms), refreshed with the page. */
export function useChainOffering(mt: Address | undefined) {
  const client = useReader();
  const { deployments } = useNetwork();
  return useQuery({
    queryKey: ["chain-offering", mt],
    enabled: mt !== undefined && client !== undefined,
    queryFn: () => getOffering(client!, deployments, { mt: mt! }),
  });
}

/** A terms version: immutable, read once. */
export function useTerms(termsId: number | undefined) {
  const client = useReader();
  const { deployments } = useNetwork();
  return useQuery({
    queryKey: ["terms", termsId],
    enabled: termsId !== undefined && client !== undefined,
    staleTime: Infinity,
    refetchInterval: false,
    queryFn: () => getTerms(client!, deployments, { termsId: termsId! }),
  });
}

/** Where graduation sends the pool's LP tokens (a Launchpad constant). */
export function useLpBurnAddress() {
  const client = useReader();
  const { deployments } = useNetwork();
  return useQuery({
    queryKey: ["lp-burn-address", deployments.contracts.launchpad],
    enabled: client !== undefined,
    staleTime: Infinity,
    refetchInterval: false,
    queryFn: () => client!.readContract({ address: deployments.contracts.launchpad, abi: launchpadAbi, functionName: "LP_BURN_ADDRESS" }),
  });
}

/** `account`'s position in `mt` from its portfolio: null when it has none. */
export function usePortfolioPosition(account: Address | undefined, mt: Address | undefined) {
  return useQuery({
    queryKey: ["portfolio", account],
    enabled: account !== undefined && mt !== undefined,
    queryFn: ({ signal }) => apiGet<PortfolioPositionsView>(`/portfolios/${account}`, undefined, signal),
    select: (p) => p.positions.find((x) => x.mt.toLowerCase() === mt!.toLowerCase()) ?? null,
  });
}

/**
 * The state at chain time `now`: a raise whose window closed is already succeeded or failed, before
 * any transaction records it (SDK stateAt). Without the chain's view, the platform's.
 */
export function stateNow(platform: OfferingState, chain: Offering | undefined, now: bigint | undefined): OfferingState {
  if (!chain || now === undefined) return platform;
  const name = stateName(stateAt(chain, now)).toLowerCase();
  return name === "raising" || name === "succeeded" || name === "failed" || name === "graduated" ? name : platform;
}
