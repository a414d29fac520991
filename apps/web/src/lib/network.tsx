// The network the app runs against, read once from the platform (GET /network) before anything
// else renders: the chain, its RPC, the gateway and the deployments. Every page reads it with
// useNetwork(); nothing about a chain is compiled into the bundle.
import { useQuery } from "@tanstack/react-query";
import { createContext, useContext, type ReactNode } from "react";
import { apiGet } from "./api.ts";
import type { NetworkView } from "./wire.ts";
import { ErrorState, LoadingState } from "../components/states.tsx";

const NetworkContext = createContext<NetworkView | null>(null);

export function useNetwork(): NetworkView {
  const network = useContext(NetworkContext);
  if (!network) throw new Error("useNetwork outside <NetworkGate>");
  return network;
}

export function NetworkProvider({ network, children }: { network: NetworkView; children: ReactNode }) {
  return <NetworkContext.Provider value={network}>{children}</NetworkContext.Provider>;
}

export function NetworkGate({ children }: { children: (network: NetworkView) => ReactNode }) {
  const network = useQuery({ queryKey: ["network"], queryFn: () => apiGet<NetworkView>("/network"), staleTime: Infinity, retry: 2 });
  if (network.isPending) return <LoadingState label="Connecting to the platform" />;
  if (network.isError) return <ErrorState error={network.error} retry={() => void network.refetch()} />;
  return <NetworkProvider network={network.data}>{children(network.data)}</NetworkProvider>;
}
