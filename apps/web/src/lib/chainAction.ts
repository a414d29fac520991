// Every chain action in the app goes through useChainAction: pending (with the step being done:
// "Approving FLOCK", "Buying"…) → success (with the transaction) → a readable failure, the contract's
// custom error decoded into a sentence by the SDK (describeError), never a hex blob. Success
// refreshes what the platform serves, so the page shows the new state once the indexer has it.
import type { Clients } from "@fomo/sdk";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import type { Hex, PublicClient, WalletClient } from "viem";
import { usePublicClient, useWalletClient } from "wagmi";
import { loadErrorDecoder, readable } from "./errors.ts";

export { loadErrorDecoder, readable };

export type ActionState =
  | { status: "idle" }
  | { status: "pending"; step: string }
  | { status: "success"; message: string; hash?: Hex }
  | { status: "error"; message: string };

export interface ActionResult {
  message: string;
  hash?: Hex;
}

/** The connected wallet and a reader, as the SDK's actions take them; undefined until a wallet is connected. */
export function useClients(): Clients | undefined {
  const publicClient = usePublicClient();
  const { data: wallet } = useWalletClient();
  if (!publicClient || !wallet) return undefined;
  return { public: publicClient as PublicClient, wallet: wallet as WalletClient } as Clients;
}

export function useChainAction() {
  const [state, setState] = useState<ActionState>({ status: "idle" });
  const queryClient = useQueryClient();
  const run = useCallback(
    async (action: (step: (label: string) => void) => Promise<ActionResult>): Promise<boolean> => {
      setState({ status: "pending", step: "Preparing" });
      try {
        const result = await action((label) => setState({ status: "pending", step: label }));
        setState({ status: "success", ...result });
        // The indexer follows the chain within a poll: refresh now and once more shortly after.
        void queryClient.invalidateQueries();
        setTimeout(() => void queryClient.invalidateQueries(), 1_500);
        return true;
      } catch (error) {
        await loadErrorDecoder();
        setState({ status: "error", message: readable(error) });
        return false;
      }
    },
    [queryClient],
  );
  const reset = useCallback(() => setState({ status: "idle" }), []);
  return { state, run, reset, pending: state.status === "pending" };
}
