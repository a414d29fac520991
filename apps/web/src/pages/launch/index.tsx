// The launch wizard: the registry's templates, the Launchpad's launch fee and the wallet's FLOCK
// read from the chain; approval and launch sent through the SDK (approveLaunch, then launch) from
// the connected wallet. The form and its progress are wizard.tsx's.
import { approveLaunch, erc20Abi, flockOf, getLaunchFee, launch } from "@fomo/sdk";
import { useQuery } from "@tanstack/react-query";
import type { PublicClient } from "viem";
import { useAccount, usePublicClient } from "wagmi";
import { ConnectButton } from "../../components/connect.tsx";
import { PageTitle } from "../../components/layout.tsx";
import { ErrorState, LoadingState } from "../../components/states.tsx";
import { useClients } from "../../lib/chainAction.ts";
import { useReadable } from "../../lib/errors.ts";
import { useNetwork } from "../../lib/network.tsx";
import { fetchMarket } from "../marketplace/offerings.ts";
import { useTemplates } from "./templates.ts";
import { LaunchWizard, type Submit } from "./wizard.tsx";

export default function LaunchPage() {
  const { chain_id: chainId, deployments } = useNetwork();
  const client = usePublicClient() as PublicClient | undefined;
  const { address, isConnected } = useAccount();
  const clients = useClients();
  const templates = useTemplates();
  // viem's errors run to many lines: the SDK's sentence ("The RPC at … did not answer: is the chain running?").
  const templatesError = useReadable(templates.isError ? templates.error : undefined);
  const launchFee = useQuery({
    queryKey: ["launch-fee", chainId],
    queryFn: () => getLaunchFee(client!, deployments),
    enabled: client !== undefined,
    staleTime: 60_000,
    refetchInterval: false,
  });
  const balance = useQuery({
    queryKey: ["flock-balance", chainId, address],
    queryFn: async () => client!.readContract({ address: await flockOf(client!, deployments), abi: erc20Abi, functionName: "balanceOf", args: [address!] }),
    enabled: client !== undefined && address !== undefined,
  });

  // Model ids already served (the chain refuses a second launch of one unless its offering failed).
  const market = useQuery({ queryKey: ["offerings", "all"], queryFn: ({ signal }) => fetchMarket(signal), refetchInterval: false, staleTime: 10_000 });
  const servedBy = (modelId: string) => market.data?.offerings.find((o) => o.model_id === modelId && o.state !== "failed")?.mt;

  const submit: Submit = async (request, step) => {
    if (!clients) throw new Error("The wallet is still connecting: try again in a moment.");
    step("Approving FLOCK");
    await approveLaunch(clients, deployments, { firstBuy: request.firstBuy });
    step("Launching");
    const { mt, hash } = await launch(clients, deployments, request);
    return { mt, hash };
  };

  return (
    <>
      <PageTitle title="Launch a model">
        Pick a template, name your model and open its raise. Supporters buy on the curve; at the maximum, or at the window's end above the minimum, it graduates to a pool and
        goes live on the API.
      </PageTitle>
      {templates.isPending ? (
        <LoadingState label="Reading the template catalog" />
      ) : templates.isError ? (
        <ErrorState error={new Error(templatesError ?? String(templates.error))} retry={() => void templates.refetch()} />
      ) : (
        <LaunchWizard
          templates={templates.data}
          launchFee={launchFee.data}
          balance={balance.data}
          connected={isConnected}
          connect={
            <div className="flex flex-col items-start gap-2">
              <p className="text-sm text-muted">A wallet signs the approval and the launch.</p>
              <ConnectButton label="Connect a wallet to launch" />
            </div>
          }
          submit={submit}
          servedBy={servedBy}
        />
      )}
    </>
  );
}
