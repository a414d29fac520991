// What an offering asks of a person once its raise is decided: graduate it (succeeded: anyone may),
// refund (failed: the FLOCK that entered the curve comes back), claim (graduated: the $MT bought,
// the issuer's first buy as it vests). Amounts are the connected wallet's, from the platform's
// portfolio of that address; the actions are the SDK's.
import { claim, graduate, refund } from "@fomo/sdk";
import type { ReactNode } from "react";
import type { Address } from "viem";
import { useAccount } from "wagmi";
import { ActionStatus, Button } from "../../components/ui.tsx";
import { useChainAction, useClients, type ActionState } from "../../lib/chainAction.ts";
import { flock, mt } from "../../lib/format.ts";
import { useNetwork } from "../../lib/network.tsx";
import { Link } from "../../lib/router.tsx";
import type { OfferingState } from "../../lib/wire.ts";
import { usePortfolioPosition } from "./data.ts";
import type { PortfolioPositionView } from "./wire.ts";

export interface OfferingActionsProps {
  /** The state at the page's chain time (a raise whose window closed is decided already). */
  state: OfferingState;
  ticker: string;
  symbol: string;
  account: Address | undefined;
  /** This wallet's position in the offering: undefined while loading, null when it has none. */
  position: PortfolioPositionView | null | undefined;
  /** Why the position could not be read, if it could not. */
  positionError?: string | undefined;
  action: ActionState;
  onGraduate: () => void;
  onRefund: () => void;
  onClaim: () => void;
}

export function OfferingActions({ state, ticker, symbol, account, position, positionError, action, onGraduate, onRefund, onClaim }: OfferingActionsProps) {
  const busy = action.status === "pending";
  /** What this wallet can do with its position: `amount` of it, by `act`, or why not. */
  const forPosition = (amount: (p: PortfolioPositionView) => bigint, act: (amount: bigint) => ReactNode, none: string) => {
    if (!account) return <p className="text-sm text-muted">Connect a wallet to {state === "failed" ? "see and take your refund" : "claim your $MT"}.</p>;
    if (positionError !== undefined) {
      return (
        <p role="alert" className="text-sm text-bad">
          This wallet's position could not be read: {positionError}
        </p>
      );
    }
    if (position === undefined) return <p className="text-sm text-muted">Reading this wallet's position…</p>;
    const due = position ? amount(position) : 0n;
    return due > 0n ? act(due) : <p className="text-sm text-muted">{none}</p>;
  };
  return (
    <div role="group" aria-label="Offering actions" className="flex flex-col gap-3">
      {state === "succeeded" && (
        <>
          <p className="text-sm">
            The raise reached its minimum and its window closed. Anyone may graduate it: that opens the {symbol}/FLOCK pool (its LP burned), funds the
            incentives and lets supporters claim.
          </p>
          {account ? (
            <Button onClick={onGraduate} disabled={busy}>
              Graduate
            </Button>
          ) : (
            <p className="text-sm text-muted">Connect a wallet to graduate it.</p>
          )}
        </>
      )}
      {state === "failed" && (
        <>
          <p className="text-sm">The raise ended below its minimum: every supporter gets back the FLOCK that entered the curve (fees are kept).</p>
          {forPosition(
            (p) => BigInt(p.refundable_flock),
            (due) => (
              <Button onClick={onRefund} disabled={busy}>
                Refund {flock(due)}
              </Button>
            ),
            "This wallet has nothing to refund here.",
          )}
        </>
      )}
      {state === "graduated" && (
        <>
          {forPosition(
            (p) => BigInt(p.claimable_mt),
            (due) => (
              <Button onClick={onClaim} disabled={busy}>
                Claim {mt(due, symbol)}
              </Button>
            ),
            `This wallet has no ${symbol} to claim here.`,
          )}
          {position && BigInt(position.vesting_locked_mt) > 0n && (
            <p className="text-sm text-muted">{mt(position.vesting_locked_mt, symbol)} of the issuer's first buy is still vesting.</p>
          )}
          <Link to={`/models/${encodeURIComponent(ticker)}`} className="text-sm font-medium text-accent underline">
            Open the live model page
          </Link>
        </>
      )}
      <ActionStatus state={action} />
    </div>
  );
}

export function OfferingActionsPanel({ mtAddress, state, ticker, symbol }: { mtAddress: Address; state: OfferingState; ticker: string; symbol: string }) {
  const { address } = useAccount();
  const clients = useClients();
  const { deployments } = useNetwork();
  const position = usePortfolioPosition(address, mtAddress);
  const { state: action, run } = useChainAction();
  const withClients = (label: string, act: (c: NonNullable<typeof clients>) => Promise<{ message: string; hash: `0x${string}` }>) =>
    void run(async (step) => {
      if (!clients) throw new Error("Connect a wallet first.");
      step(label);
      return act(clients);
    });
  return (
    <OfferingActions
      state={state}
      ticker={ticker}
      symbol={symbol}
      account={address}
      position={position.data}
      positionError={position.isError ? position.error.message : undefined}
      action={action}
      onGraduate={() =>
        withClients("Graduating", async (c) => {
          const { hash } = await graduate(c, deployments, { mt: mtAddress });
          return { message: "Graduated: the pool is open and supporters can claim.", hash };
        })
      }
      onRefund={() =>
        withClients("Refunding", async (c) => {
          const { amount, hash } = await refund(c, deployments, { mt: mtAddress });
          return { message: `Refunded ${flock(amount)}.`, hash };
        })
      }
      onClaim={() =>
        withClients("Claiming", async (c) => {
          const { amount, hash } = await claim(c, deployments, { mt: mtAddress });
          return { message: `Claimed ${mt(amount, symbol)}.`, hash };
        })
      }
    />
  );
}
