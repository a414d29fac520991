// The API console after wallet sign-in: keys, credits and top-up, usage charts, logs, CSV.
// Whether the browser is signed in is GET /account's answer (401: no session → the sign-in card);
// the tab is in the URL so a reload or a shared link opens the same one.
import { useQueryClient } from "@tanstack/react-query";
import { Tabs } from "radix-ui";
import { getAddress } from "viem";
import { useAccount as useWallet } from "wagmi";
import { PageTitle } from "../../components/layout.tsx";
import { ErrorState, LoadingState } from "../../components/states.tsx";
import { ActionStatus, Button, TabList } from "../../components/ui.tsx";
import { useChainAction } from "../../lib/chainAction.ts";
import { short } from "../../lib/format.ts";
import { useSearchParam } from "../../lib/router.tsx";
import { CreditsPanel } from "./credits.tsx";
import { KeysPanel } from "./keys.tsx";
import { usd } from "./money.ts";
import { CONSOLE_KEY, isSignedOut, signOut, useAccount } from "./session.ts";
import { SignIn } from "./signin.tsx";
import { UsagePanel } from "./usage.tsx";
import type { AccountView } from "./wire.ts";

const TABS = [
  { id: "keys", label: "API keys" },
  { id: "credits", label: "Credits" },
  { id: "usage", label: "Usage" },
] as const;

function AccountBar({ account }: { account: AccountView }) {
  const queryClient = useQueryClient();
  const action = useChainAction();
  const wallet = getAddress(account.signed_in_wallet);
  const { address: connected } = useWallet();
  const leave = () =>
    void action.run(async (step) => {
      step("Signing out");
      await signOut();
      // Nothing of the account stays cached once its session is gone; the account read now answers 401.
      await queryClient.resetQueries({ queryKey: [CONSOLE_KEY] });
      return { message: "Signed out." };
    });
  return (
    <div className="mb-4 flex flex-wrap items-center gap-x-4 gap-y-2 rounded-xl border border-line bg-surface px-4 py-3 text-sm">
      <p>
        Signed in with <span className="font-mono" title={wallet}>{short(wallet)}</span>
      </p>
      {connected && connected.toLowerCase() !== account.signed_in_wallet && (
        <p className="basis-full text-xs text-muted sm:order-last">
          Your connected wallet {short(connected)} is not the one signed in: the console shows {short(wallet)}'s account. USDC deposits from
          the connected wallet still credit this account; sign out and in again to switch accounts.
        </p>
      )}
      <p>
        Available credits <strong className="tabular-nums">{usd(account.available_micro_usd)}</strong>
      </p>
      <div className="ml-auto flex items-center gap-2">
        {action.state.status === "error" && <ActionStatus state={action.state} />}
        <Button variant="secondary" className="min-h-8 px-3 py-1 text-xs" onClick={leave} disabled={action.pending}>
          Sign out
        </Button>
      </div>
    </div>
  );
}

function Console({ account }: { account: AccountView }) {
  const [tab, setTab] = useSearchParam("tab", "keys");
  const current = TABS.some((t) => t.id === tab) ? tab : "keys";
  return (
    <>
      <AccountBar account={account} />
      <Tabs.Root value={current} onValueChange={setTab}>
        <TabList label="Console sections" tabs={TABS} className="mb-4" />
        <Tabs.Content value="keys">
          <KeysPanel />
        </Tabs.Content>
        <Tabs.Content value="credits">
          <CreditsPanel account={account} />
        </Tabs.Content>
        <Tabs.Content value="usage">
          <UsagePanel />
        </Tabs.Content>
      </Tabs.Root>
    </>
  );
}

export default function ConsolePage() {
  const account = useAccount();
  return (
    <>
      <PageTitle title="Console">API keys, credits and usage of your FOMO account.</PageTitle>
      {account.isPending ? (
        <LoadingState label="Reading your account" />
      ) : account.isError && isSignedOut(account.error) ? (
        <SignIn />
      ) : account.isError ? (
        <ErrorState error={account.error} retry={() => void account.refetch()} />
      ) : (
        <Console account={account.data} />
      )}
    </>
  );
}
