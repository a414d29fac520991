// The buy form: FLOCK in, what it pays (base fee, anti-snipe surcharge and when that falls), what it
// gets ($MT out, the least accepted after slippage, the price after), then approve (if the allowance
// is short) and buy through the SDK. The quote is the page's (quote.ts), shared with the chart.
import { approveFlock, buy, DEFAULT_SLIPPAGE_BPS, erc20Abi, getFlockAllowance, withSlippage, type OfferingSnapshot } from "@fomo/sdk";
import { useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import type { Address, PublicClient } from "viem";
import { useAccount, usePublicClient } from "wagmi";
import { ActionStatus, Button, Field } from "../../components/ui.tsx";
import { useChainAction, useClients, type ActionState } from "../../lib/chainAction.ts";
import { useNetwork } from "../../lib/network.tsx";
import { amount as formatAmount, duration, flock, mt, percent, when } from "../../lib/format.ts";
import { parseSlippageBps, type BuyPreview } from "./quote.ts";

export interface BuyRequest {
  flockIn: bigint;
  slippageBps: number;
  /** The total fee rate the person accepted (set only when it includes a surcharge). */
  maxFeeBps?: number;
}

export interface BuyWallet {
  balance: bigint | undefined;
  allowance: bigint | undefined;
}

export interface BuyFormProps {
  symbol: string;
  snapshot: OfferingSnapshot;
  now: bigint;
  amount: string;
  onAmount: (amount: string) => void;
  preview: BuyPreview;
  /** The connected wallet's FLOCK; undefined when no wallet is connected. */
  wallet: BuyWallet | undefined;
  action: ActionState;
  onBuy: (request: BuyRequest) => void;
}

/** The default slippage, from the SDK, as the percentage the field shows ("0.5"). */
export const DEFAULT_SLIPPAGE = percent(DEFAULT_SLIPPAGE_BPS).replace("%", "");

export function BuyForm({ symbol, snapshot, now, amount, onAmount, preview, wallet, action, onBuy }: BuyFormProps) {
  const id = useId();
  const [slippage, setSlippage] = useState(DEFAULT_SLIPPAGE);
  const [acceptSurcharge, setAcceptSurcharge] = useState(false);
  const slippageBps = parseSlippageBps(slippage);
  const quoted = preview.status === "quoted" ? preview : undefined;
  const surcharged = quoted !== undefined && quoted.quote.surcharge > 0n;
  const overBalance = quoted !== undefined && wallet?.balance !== undefined && quoted.quote.flockIn > wallet.balance;
  const needsApproval = quoted !== undefined && wallet?.allowance !== undefined && wallet.allowance < quoted.quote.flockIn;
  const pending = action.status === "pending";
  const canBuy = quoted !== undefined && "bps" in slippageBps && wallet !== undefined && !overBalance && !pending;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!canBuy || !quoted || !("bps" in slippageBps)) return;
    onBuy({
      flockIn: quoted.flockIn,
      slippageBps: slippageBps.bps,
      ...(surcharged && acceptSurcharge ? { maxFeeBps: Number(quoted.quote.feeBps) } : {}),
    });
  };

  const amountError = preview.status === "invalid" ? preview.message : overBalance ? "More than this wallet's FLOCK balance." : undefined;
  return (
    <form aria-label={`Buy ${symbol}`} onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <Field
        id={`${id}-amount`}
        label="Amount (FLOCK)"
        inputMode="decimal"
        autoComplete="off"
        placeholder="1000"
        value={amount}
        onChange={(e) => onAmount(e.target.value)}
        error={amountError}
        hint={wallet?.balance !== undefined ? <>Balance: {flock(wallet.balance)}</> : wallet === undefined ? "Connect a wallet to buy." : undefined}
      />
      {quoted && (
        <div role="group" aria-label="Quote" aria-live="polite" className="rounded-lg bg-raised p-3">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-muted">Base fee ({percent(snapshot.feeBps)})</dt>
            <dd className="text-right tabular-nums">{flock(quoted.quote.baseFee, 4)}</dd>
            <dt className="text-muted">Anti-snipe surcharge</dt>
            <dd className="text-right tabular-nums">
              {flock(quoted.quote.surcharge, 4)}
              {surcharged && <span className="block text-xs text-warn">total fee {percent(quoted.quote.feeBps)} now</span>}
            </dd>
            <dt className="text-muted">You receive</dt>
            <dd className="text-right font-semibold tabular-nums">{mt(quoted.quote.mtOut, symbol, 4)}</dd>
            <dt className="text-muted">At least (slippage)</dt>
            <dd className="text-right tabular-nums">{"bps" in slippageBps ? mt(withSlippage(quoted.quote.mtOut, slippageBps.bps), symbol, 4) : "—"}</dd>
            <dt className="text-muted">Price after</dt>
            <dd className="text-right tabular-nums">
              {formatAmount(quoted.quote.priceAfter, 18, 6)} FLOCK per {symbol}
            </dd>
          </dl>
        </div>
      )}
      {quoted && surcharged && (
        <div className="rounded-lg border border-warn/40 bg-warn/10 p-3 text-sm">
          <p>
            The anti-snipe fee falls by {percent(snapshot.snipeDecayBpsPerMinute)} a minute: it is the{" "}
            {percent(snapshot.feeBps)} base fee alone from <time dateTime={new Date(Number(quoted.baseFeeAt) * 1000).toISOString()}>{when(quoted.baseFeeAt)}</time>{" "}
            (in {duration(quoted.baseFeeAt - now)}).
          </p>
          <label className="mt-2 flex items-start gap-2">
            <input type="checkbox" className="mt-1 size-4" checked={acceptSurcharge} onChange={(e) => setAcceptSurcharge(e.target.checked)} />
            <span>I accept a {percent(quoted.quote.feeBps)} fee on this buy (otherwise it is refused and nothing is spent).</span>
          </label>
        </div>
      )}
      {quoted && quoted.quote.graduates && (
        <p className="text-sm text-good">
          This buy fills the raise and graduates the offering
          {quoted.quote.flockRefunded > 0n && <>: it takes {flock(quoted.quote.flockIn, 4)}, and {flock(quoted.quote.flockRefunded, 4)} stays in your wallet</>}.
        </p>
      )}
      <details className="text-sm">
        <summary className="cursor-pointer text-muted">Slippage tolerance: {"bps" in slippageBps ? percent(slippageBps.bps) : slippage}</summary>
        <div className="mt-2">
          <Field
            id={`${id}-slippage`}
            label="Slippage tolerance (%)"
            inputMode="decimal"
            value={slippage}
            onChange={(e) => setSlippage(e.target.value)}
            error={"error" in slippageBps ? slippageBps.error : undefined}
            hint="The buy reverts if it would give less $MT than the quote by more than this (another buy landing first)."
          />
        </div>
      </details>
      {needsApproval && <p className="text-xs text-muted">Your wallet first approves the Launchpad to take this FLOCK, then buys: two transactions.</p>}
      <Button type="submit" disabled={!canBuy}>
        Buy
      </Button>
      <ActionStatus state={action} />
    </form>
  );
}

/** The connected wallet's FLOCK balance and what the Launchpad may take of it. */
function useFlockWallet(owner: Address | undefined) {
  const client = usePublicClient() as PublicClient | undefined;
  const { deployments } = useNetwork();
  return useQuery({
    queryKey: ["flock-wallet", owner],
    enabled: owner !== undefined && client !== undefined,
    queryFn: async (): Promise<BuyWallet> => {
      const [balance, allowance] = await Promise.all([
        client!.readContract({ address: deployments.contracts.flock, abi: erc20Abi, functionName: "balanceOf", args: [owner!] }),
        getFlockAllowance(client!, deployments, { owner: owner! }),
      ]);
      return { balance, allowance };
    },
  });
}

export type BuyPanelProps = Omit<BuyFormProps, "wallet" | "action" | "onBuy"> & { mtAddress: Address };

/** The buy form on the connected wallet: approve when the allowance is short, then buy (SDK actions). */
export function BuyPanel({ mtAddress, symbol, ...form }: BuyPanelProps) {
  const { address } = useAccount();
  const clients = useClients();
  const { deployments } = useNetwork();
  const wallet = useFlockWallet(address);
  const { state, run } = useChainAction();
  const onBuy = ({ flockIn, slippageBps, maxFeeBps }: BuyRequest) =>
    void run(async (step) => {
      if (!clients || !address) throw new Error("Connect a wallet first.");
      const allowance = await getFlockAllowance(clients.public, deployments, { owner: address });
      if (allowance < flockIn) {
        step("Approving FLOCK");
        await approveFlock(clients, deployments, { amount: flockIn });
      }
      step("Buying");
      const { bought, graduated, hash } = await buy(clients, deployments, { mt: mtAddress, flockIn, slippageBps, ...(maxFeeBps === undefined ? {} : { maxFeeBps }) });
      return { message: `Bought ${mt(bought.mtOut, symbol, 4)} for ${flock(bought.flockIn, 4)}${graduated ? ": the raise is full and the offering graduated" : ""}.`, hash };
    });
  return (
    <BuyForm
      {...form}
      symbol={symbol}
      wallet={address ? (wallet.data ?? { balance: undefined, allowance: undefined }) : undefined}
      action={state}
      onBuy={onBuy}
    />
  );
}
