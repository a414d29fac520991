// Small pieces every portfolio section uses: a button that runs one chain action and shows its own
// status beside it, the chain's clock for countdowns, a transaction hash with its copy button.
import type { Clients, Deployments } from "@fomo/sdk";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { ActionStatus, Button, CopyButton } from "../../components/ui.tsx";
import { useChainAction, useClients, type ActionResult } from "../../lib/chainAction.ts";
import { useNetwork } from "../../lib/network.tsx";
import type { Decimal, Hex } from "../../lib/wire.ts";
import { usePortfolioCalls, type PortfolioCalls } from "./chain.ts";

export interface ActionContext {
  clients: Clients;
  deployments: Deployments;
  calls: PortfolioCalls;
  step: (label: string) => void;
}

/**
 * One chain action on one row: disabled while it runs or when no wallet is connected, its
 * pending → success → failure shown right under it (each row keeps its own status).
 */
export function ChainButton({
  label,
  action,
  disabled = false,
  variant = "primary",
  accessibleName,
  align = "start",
}: {
  label: ReactNode;
  action: (ctx: ActionContext) => Promise<ActionResult>;
  disabled?: boolean;
  variant?: "primary" | "secondary";
  /** The button's name for assistive technology when the visible label needs its row to make sense ("Claim STORY"). */
  accessibleName?: string;
  /** Which side the button and its status keep to (the status may be wider than the button). */
  align?: "start" | "end";
}) {
  const clients = useClients();
  const { deployments } = useNetwork();
  const calls = usePortfolioCalls();
  const { state, run, pending } = useChainAction();
  return (
    <div className={`flex max-w-md flex-col gap-1 ${align === "end" ? "items-end text-right" : "items-start"}`}>
      <Button
        variant={variant}
        aria-label={accessibleName}
        disabled={disabled || pending || !clients}
        onClick={() => clients && void run((step) => action({ clients, deployments, calls, step }))}
      >
        {label}
      </Button>
      <ActionStatus state={state} />
    </div>
  );
}

/**
 * The chain's "now" in Unix seconds: the read model's time (`asOf`, first received at `fetchedAt`
 * ms) moved on by the wall clock since. A local chain's time may be far from the wall clock, so
 * countdowns run from the chain's time, not Date.now(). A refetch that brings the same `asOf` (no
 * new block) keeps the first anchor, so the countdown never jumps back.
 */
export function useChainClock(asOf: Decimal, fetchedAt: number): bigint {
  const anchor = useRef({ asOf, since: fetchedAt });
  if (anchor.current.asOf !== asOf) anchor.current = { asOf, since: fetchedAt };
  const read = () => BigInt(anchor.current.asOf) + BigInt(Math.max(0, Math.floor((Date.now() - anchor.current.since) / 1_000)));
  const [now, setNow] = useState(read);
  useEffect(() => {
    setNow(read());
    const timer = setInterval(() => setNow(read()), 1_000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [asOf]);
  return now;
}

export function TxHash({ hash }: { hash: Hex }) {
  return (
    <span className="inline-flex items-center gap-2">
      <span className="font-mono text-xs" title={hash}>
        {hash.slice(0, 10)}…{hash.slice(-6)}
      </span>
      <CopyButton text={hash} label="Copy" />
    </span>
  );
}

export interface Column {
  /** The header; `srOnly` keeps it for screen readers only (an actions column). */
  label: string;
  className?: string;
  srOnly?: boolean;
}

/** A table that scrolls sideways on its own on a narrow screen, with a caption for screen readers. */
export function Table({ caption, columns, children }: { caption: string; columns: readonly Column[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-xs uppercase tracking-wide text-muted">
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={`py-2 pr-3 font-medium ${c.className ?? ""}`}>
                {c.srOnly ? <span className="sr-only">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
