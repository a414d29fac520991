// The template catalog as the chain's TemplateRegistry publishes it (SDK listTemplates), whose fixed
// economics the launch wizard shows. Read once per page visit: templates change only by governance.
import { listTemplates } from "@fomo/sdk";
import { useQuery } from "@tanstack/react-query";
import type { PublicClient } from "viem";
import { usePublicClient } from "wagmi";
import { useNetwork } from "../../lib/network.tsx";

export function useTemplates() {
  const network = useNetwork();
  const client = usePublicClient();
  return useQuery({
    queryKey: ["templates", network.chain_id],
    queryFn: () => listTemplates(client as PublicClient, network.deployments),
    enabled: client !== undefined,
    staleTime: 60_000,
    refetchInterval: false,
  });
}
