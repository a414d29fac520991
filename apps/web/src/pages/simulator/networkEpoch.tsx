// The estimator on the network's own latest epoch: the keeper's rewards input file for it (GET
// /epochs/{n}/input, the file anyone can verify the posted root with), read by the SDK's
// decodeEpochInput, with you added among the users of the $MT you pick. What computeEpochRewards then
// gives is what you would have earned in that epoch.
import { decodeEpochInput, type EpochRewardsInput } from "@fomo/sdk";
import type { Address } from "viem";
import { useQuery } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { apiGet, type Page } from "../../lib/api.ts";
import { formatMicroUsd, short } from "../../lib/format.ts";
import { estimateOn, withYou, type Estimate, type YourDay } from "./estimator.ts";
import type { EpochRow } from "./wire.ts";

/** The newest epoch whose input file is written, decoded (null: none yet). */
export async function latestEpochInput(signal?: AbortSignal): Promise<EpochRewardsInput | null> {
  const epochs = await apiGet<Page<EpochRow>>("/epochs", { limit: 20 }, signal);
  const latest = epochs.data.find((e) => e.input_hash !== null);
  if (!latest) return null;
  const file = await apiGet<unknown>(`/epochs/${latest.epoch}/input`, undefined, signal);
  // The file's integers are decimal strings, so the parsed JSON re-serialises to an equivalent file.
  return decodeEpochInput(JSON.stringify(file));
}

export function NetworkEstimate({ you, children }: { you: YourDay | null; children: (estimate: Estimate) => ReactNode }) {
  const query = useQuery({
    queryKey: ["simulator", "latest-epoch-input"],
    queryFn: ({ signal }) => latestEpochInput(signal),
    staleTime: 30_000,
    refetchInterval: 60_000,
  });
  const [picked, setPicked] = useState<Address | "">("");
  if (query.isPending) return <LoadingState label="Reading the latest epoch" />;
  if (query.isError) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  const file = query.data;
  if (!file) return <EmptyState title="No epoch settled yet">The keeper writes an epoch's input once the epoch has ended; try again in a minute.</EmptyState>;
  if (file.deployments.length === 0) {
    return <EmptyState title={`Epoch ${file.epoch} had no usage`}>No graduated $MT was used in it, so no emission was shared.</EmptyState>;
  }
  const mt = file.deployments.find((d) => d.mt === picked)?.mt ?? file.deployments[0]!.mt;
  return (
    <div className="grid gap-4">
      <div className="flex flex-col gap-1">
        <label htmlFor="estimator-deployment" className="text-sm font-medium">
          $MT of epoch {String(file.epoch)}
        </label>
        <select
          id="estimator-deployment"
          value={mt}
          onChange={(e) => setPicked(e.target.value as Address)}
          className="min-h-10 rounded-lg border border-line bg-page px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-accent"
        >
          {file.deployments.map((d) => (
            <option key={d.mt} value={d.mt}>
              {short(d.mt)}: {d.users.length} {d.users.length === 1 ? "user" : "users"}, ${formatMicroUsd(d.users.reduce((t, u) => t + u.spend, 0n))} spent
            </option>
          ))}
        </select>
      </div>
      {you ? children(estimateOn(withYou(file, mt, you), mt)) : <p className="text-sm text-muted">Correct the fields marked to see the estimate.</p>}
    </div>
  );
}
