// Connecting a wallet: our own small dialog (Radix) listing the wallets the browser announces
// (EIP-6963) and, on a local chain, the dev accounts. Shows the connected account and disconnects.
import { Dialog } from "radix-ui";
import { useState } from "react";
import { useAccount, useConnect, useDisconnect } from "wagmi";
import { loadErrorDecoder, readable } from "../lib/errors.ts";
import { short } from "../lib/format.ts";
import { Button } from "./ui.tsx";

/** `label` names the button where a page prompts for a wallet (the header's says "Connect wallet"). */
export function ConnectButton({ label = "Connect wallet" }: { label?: string }) {
  const { address, isConnected, connector } = useAccount();
  const { disconnect } = useDisconnect();
  if (isConnected && address) {
    return (
      <div className="flex items-center gap-2">
        <span className="hidden text-xs text-muted sm:inline">{connector?.name}</span>
        <span className="font-mono text-sm" data-testid="connected-address" title={address}>
          {short(address)}
        </span>
        <Button variant="secondary" className="min-h-8 px-2 py-1 text-xs" onClick={() => disconnect()}>
          Disconnect
        </Button>
      </div>
    );
  }
  return <ConnectDialog label={label} />;
}

function ConnectDialog({ label }: { label: string }) {
  const [open, setOpen] = useState(false);
  const { connectors, connectAsync, isPending } = useConnect();
  const [error, setError] = useState<string>();
  // The bare injected connector is listed only when no wallet announced itself (EIP-6963).
  const announced = connectors.filter((c) => c.type === "injected" && c.id !== "injected");
  const wallets = announced.length > 0 ? announced : connectors.filter((c) => c.id === "injected");
  const devs = connectors.filter((c) => c.id.startsWith("dev-"));
  const connect = async (connector: (typeof connectors)[number]) => {
    setError(undefined);
    try {
      await connectAsync({ connector });
      setOpen(false);
    } catch (e) {
      await loadErrorDecoder();
      setError(readable(e));
    }
  };
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <Button>{label}</Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 bg-black/50" />
        <Dialog.Content className="fixed top-1/2 left-1/2 w-[min(92vw,26rem)] -translate-x-1/2 -translate-y-1/2 rounded-xl border border-line bg-surface p-5 shadow-xl">
          <Dialog.Title className="text-lg font-semibold">Connect a wallet</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-muted">Your wallet signs every transaction; FOMO never holds your keys.</Dialog.Description>
          <ul className="mt-4 flex flex-col gap-2">
            {wallets.map((c) => (
              <li key={c.uid}>
                <Button variant="secondary" className="w-full justify-start" disabled={isPending} onClick={() => void connect(c)}>
                  {c.icon && <img src={c.icon} alt="" className="size-5" />}
                  {c.id === "injected" ? "Browser wallet" : c.name}
                </Button>
              </li>
            ))}
          </ul>
          {devs.length > 0 && (
            <>
              <h3 className="mt-4 text-sm font-medium">Local chain dev accounts</h3>
              <ul className="mt-2 grid grid-cols-2 gap-2">
                {devs.map((c) => (
                  <li key={c.uid}>
                    <Button variant="secondary" className="w-full" disabled={isPending} onClick={() => void connect(c)} data-connector={c.id}>
                      {c.name}
                    </Button>
                  </li>
                ))}
              </ul>
            </>
          )}
          {error && (
            <p role="alert" className="mt-3 text-sm text-bad">
              {error}
            </p>
          )}
          <Dialog.Close asChild>
            <Button variant="ghost" className="mt-4 w-full">
              Cancel
            </Button>
          </Dialog.Close>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
