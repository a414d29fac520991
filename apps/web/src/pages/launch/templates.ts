// The template catalog as the chain's TemplateRegistry publishes it (SDK listTemplates): the launch
// wizard shows each template's fixed economics, the marketplace names offerings' templates. Read
// once per page visit: templates change only by governance, and an offering keeps its terms anyway.
import { listTemplates, type Template } from "@fomo/sdk";
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

/** A template's name for people: its base model, e.g. "stories-260k"; the id while the catalog loads. */
export function templateName(templates: readonly Pick<Template, "templateId" | "baseModelId">[] | undefined, templateId: number): string {
  return templates?.find((t) => t.templateId === templateId)?.baseModelId ?? `Template ${templateId}`;
}
