// The signed-out console: connect a wallet (the header's button), then sign one message. Signing
// sends no transaction and costs nothing; the platform answers with a session cookie.
import { useAccount as useWallet, useSignMessage } from "wagmi";
import { ActionStatus, Button, Card } from "../../components/ui.tsx";
import { useChainAction } from "../../lib/chainAction.ts";
import { short } from "../../lib/format.ts";
import { useNetwork } from "../../lib/network.tsx";
import { signIn } from "./session.ts";

export function SignIn() {
  const network = useNetwork();
  const { address, isConnected } = useWallet();
  const { signMessageAsync } = useSignMessage();
  const action = useChainAction();
  const start = () =>
    void action.run(async (step) => {
      const signed = await signIn(network, address!, (message) => signMessageAsync({ message, account: address! }), step);
      return { message: `Signed in with ${short(signed.wallet)}.` };
    });
  return (
    <Card title="Sign in to the console" className="max-w-xl">
      <p className="text-sm text-muted">
        The console holds your API keys, credits and usage. Your wallet proves who you are: you sign one message (no transaction, no
        gas) naming <span className="font-mono">{network.siwe_domain}</span>, and the platform opens a session in this browser.
      </p>
      {isConnected && address ? (
        <div className="mt-4 flex flex-col gap-3">
          <p className="text-sm">
            Wallet <span className="font-mono" title={address}>{short(address)}</span> is connected.
          </p>
          <Button onClick={start} disabled={action.pending} className="self-start">
            Sign in with Ethereum
          </Button>
          <ActionStatus state={action.state} />
        </div>
      ) : (
        <p className="mt-4 text-sm">Connect a wallet with the button at the top of the page, then sign in here.</p>
      )}
    </Card>
  );
}
