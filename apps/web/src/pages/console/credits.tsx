// Credits: the balance with what requests in flight hold, the entries (deposits, usage, reversals),
// and the two ways to top up. USDC goes to the chain's CreditDeposits contract naming the account's
// deposit key (approve, then deposit, through the SDK) and is credited when the indexer sees the
// Deposited event; a card top-up is paid on Stripe Checkout and credited by its webhook.
import { accountIdOf, approveToken, creditsOfDeposit, depositCredits, erc20Abi, getAllowance, microUsdToTokenUnits } from "@fomo/sdk";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import type { Hex } from "viem";
import { useAccount as useWallet, usePublicClient, useSwitchChain } from "wagmi";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { ActionStatus, Button, Card, Field, Stat } from "../../components/ui.tsx";
import { apiSend } from "../../lib/api.ts";
import { useChainAction, useClients } from "../../lib/chainAction.ts";
import { amount } from "../../lib/format.ts";
import { useSearchParam } from "../../lib/router.tsx";
import { useCreditEntries, useCredits, useDepositInfo } from "./data.ts";
import { readCents, readUsd, usd } from "./money.ts";
import type { AccountView, CheckoutView, CreditEntryView, CreditKind, DepositInfoView } from "./wire.ts";

type UsdcInfo = NonNullable<DepositInfoView["usdc"]>;
type CardInfo = NonNullable<DepositInfoView["card"]>;

/** The ref the indexer credits a USDC deposit under (packages/engine/src/indexer/deposits.ts depositKey). */
const depositRefPrefix = (chainId: number, hash: Hex) => `deposit:${chainId}:${hash.toLowerCase()}:`;

function Balance() {
  const credits = useCredits();
  if (credits.isPending) return <LoadingState label="Loading your credits" />;
  if (credits.isError) return <ErrorState error={credits.error} retry={() => void credits.refetch()} />;
  const c = credits.data;
  return (
    <>
      <dl className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <Stat label="Available" value={usd(c.available_micro_usd)} hint="What new requests can spend" />
        <Stat label="Balance" value={usd(c.balance_micro_usd)} />
        <Stat label="Held" value={usd(c.held_micro_usd)} hint={`${c.holds.length} request${c.holds.length === 1 ? "" : "s"} in flight`} />
      </dl>
      {c.locked_reason && (
        <p role="alert" className="mt-3 rounded-lg border border-bad/40 bg-bad/10 p-3 text-sm">
          Your account is locked and cannot spend: {c.locked_reason}. An operator has to look at it.
        </p>
      )}
    </>
  );
}

function DepositArrival({ chainId, hash, credits }: { chainId: number; hash: Hex; credits: bigint }) {
  const entries = useCreditEntries(1_000);
  const prefix = depositRefPrefix(chainId, hash);
  const entry = entries.data?.pages[0]?.data.find((e) => e.ref?.startsWith(prefix));
  return entry ? (
    <p role="status" className="text-sm text-good">
      {usd(entry.amount_micro_usd)} of credits arrived: the indexer has seen your deposit.
    </p>
  ) : (
    <p role="status" className="text-sm text-muted">
      Waiting for the indexer to see the deposit: {usd(credits)} of credits arrive within seconds of the block…
    </p>
  );
}

/** A USD amount and its submit button, with the action's progress: both top-ups are one of these. */
function AmountForm(props: {
  /** The form's accessible name, and its button's label. */
  name: string;
  id: string;
  placeholder: string;
  hint: ReactNode;
  text: string;
  onText: (text: string) => void;
  error: string | undefined;
  action: ReturnType<typeof useChainAction>;
  canSubmit?: boolean;
  onSubmit: () => void;
  children?: ReactNode;
}) {
  const { name, id, placeholder, hint, text, onText, error, action, canSubmit = true, onSubmit, children } = props;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form onSubmit={submit} aria-label={name} className="flex flex-col gap-3">
      <Field id={id} label="Amount (USD)" inputMode="decimal" autoComplete="off" placeholder={placeholder} value={text} error={error} hint={hint} onChange={(e) => onText(e.target.value)} />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={action.pending || !canSubmit}>
          {name}
        </Button>
        <ActionStatus state={action.state} />
      </div>
      {children}
    </form>
  );
}

function UsdcDeposit({ account, info }: { account: AccountView; info: UsdcInfo }) {
  const clients = useClients();
  const publicClient = usePublicClient();
  const { address, chainId } = useWallet();
  const { switchChain, isPending: switching } = useSwitchChain();
  const [text, setText] = useState("");
  const [error, setError] = useState<string>();
  const [arrival, setArrival] = useState<{ hash: Hex; credits: bigint }>();
  const action = useChainAction();
  const balance = useQuery({
    queryKey: ["usdc-balance", info.token, address],
    enabled: Boolean(address && publicClient),
    queryFn: () => publicClient!.readContract({ address: info.token, abi: erc20Abi, functionName: "balanceOf", args: [address!] }),
  });
  // The platform names the bytes32; the SDK derives it from the account id. They must agree, or the
  // USDC would credit no one (an unclaimed deposit): refuse rather than send.
  const keyMatches = accountIdOf(account.id).toLowerCase() === info.deposit_key.toLowerCase();
  const submit = () => {
    const read = readUsd(text);
    if (read.error !== undefined) return setError(read.error);
    if (read.value === 0n) return setError("Enter an amount above zero.");
    const units = microUsdToTokenUnits(read.value, info.token_decimals);
    if (balance.data !== undefined && units > balance.data) {
      return setError(`Your wallet holds only ${amount(balance.data, info.token_decimals, 6)} USDC.`);
    }
    setError(undefined);
    setArrival(undefined);
    void action.run(async (step) => {
      if (!clients) throw new Error("Connect a wallet first.");
      step("Checking the USDC allowance");
      const allowance = await getAllowance(clients.public, { token: info.token, owner: clients.wallet.account.address, spender: info.contract });
      if (allowance < units) {
        step("Approve USDC in your wallet");
        await approveToken(clients, { token: info.token, spender: info.contract, amount: units });
      }
      step("Confirm the deposit in your wallet");
      const sent = await depositCredits(clients, info.contract, { accountId: account.id, amount: units, approval: "none" });
      setArrival({ hash: sent.hash, credits: creditsOfDeposit(units, info.token_decimals) });
      setText("");
      return { message: `Deposited ${usd(read.value)} of USDC.`, hash: sent.hash };
    });
  };
  if (!keyMatches) {
    return (
      <p role="alert" className="text-sm text-bad">
        The platform's deposit key does not match your account, so USDC deposits are turned off here to keep your funds from crediting no one.
      </p>
    );
  }
  if (!address) return <p className="text-sm text-muted">Connect a wallet (top of the page) to deposit USDC from it.</p>;
  if (chainId !== info.chain_id) {
    return (
      <div className="flex flex-col items-start gap-2 text-sm">
        <p>Your wallet is on another chain: deposits go to chain {info.chain_id}.</p>
        <Button variant="secondary" disabled={switching} onClick={() => switchChain({ chainId: info.chain_id })}>
          Switch to chain {info.chain_id}
        </Button>
      </div>
    );
  }
  return (
    <AmountForm
      name="Deposit USDC"
      id="deposit-amount"
      placeholder="25"
      hint={
        <>
          1 USDC buys 1 USD of credits. Your wallet holds{" "}
          {balance.data === undefined ? "…" : `${amount(balance.data, info.token_decimals, 2)} USDC`}.
        </>
      }
      text={text}
      onText={setText}
      error={error}
      action={action}
      canSubmit={Boolean(clients)}
      onSubmit={submit}
    >
      {arrival && <DepositArrival chainId={info.chain_id} hash={arrival.hash} credits={arrival.credits} />}
    </AmountForm>
  );
}

function CardTopUp({ card }: { card: CardInfo }) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string>();
  const action = useChainAction();
  const submit = () => {
    const read = readCents(text, card.min_cents, card.max_cents);
    if (read.error !== undefined) return setError(read.error);
    setError(undefined);
    void action.run(async (step) => {
      step("Opening Stripe Checkout");
      const checkout = await apiSend<CheckoutView>("POST", "/billing/checkout", { amount_cents: read.value });
      window.location.assign(checkout.url);
      return { message: "Taking you to Stripe Checkout to pay." };
    });
  };
  return (
    <AmountForm
      name="Pay by card"
      id="card-amount"
      placeholder="20"
      hint="You pay on Stripe's page; the credits arrive when Stripe confirms the payment."
      text={text}
      onText={setText}
      error={error}
      action={action}
      onSubmit={submit}
    />
  );
}

function TopUp({ account }: { account: AccountView }) {
  const info = useDepositInfo();
  if (info.isPending) return <LoadingState label="Loading the top-up options" />;
  if (info.isError) return <ErrorState error={info.error} retry={() => void info.refetch()} />;
  const { usdc, card } = info.data;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card title="Deposit USDC">
        {usdc ? <UsdcDeposit account={account} info={usdc} /> : <p className="text-sm text-muted">USDC deposits are not set up on this platform.</p>}
      </Card>
      <Card title="Pay by card">
        {card ? (
          <CardTopUp card={card} />
        ) : (
          <p className="text-sm text-muted">Card payments are turned off on this platform (it has no Stripe account set up). Deposit USDC instead.</p>
        )}
      </Card>
    </div>
  );
}

const KIND: Record<CreditKind, string> = { deposit: "Deposit", usage: "Usage", reversal: "Reversal" };

function EntryRow({ entry }: { entry: CreditEntryView }) {
  const value = BigInt(entry.amount_micro_usd);
  return (
    <tr className="border-t border-line">
      <td className="py-2 pr-3">{entry.created_at ? new Date(entry.created_at).toLocaleString() : "—"}</td>
      <td className="py-2 pr-3 break-all">
        {KIND[entry.kind] ?? entry.kind}
        {entry.memo && <span className="block text-xs text-muted">{entry.memo}</span>}
      </td>
      <td className={`py-2 pr-3 text-right tabular-nums whitespace-nowrap ${value >= 0n ? "text-good" : ""}`}>
        {value > 0n ? "+" : ""}
        {usd(value)}
      </td>
      <td className="hidden py-2 text-right tabular-nums whitespace-nowrap sm:table-cell">{usd(entry.balance_after_micro_usd)}</td>
    </tr>
  );
}

function Entries() {
  const entries = useCreditEntries();
  if (entries.isPending) return <LoadingState label="Loading the credit entries" />;
  if (entries.isError) return <ErrorState error={entries.error} retry={() => void entries.refetch()} />;
  const rows = entries.data.pages.flatMap((p) => p.data);
  if (rows.length === 0) return <EmptyState title="No credit entries yet">Deposits and usage show up here.</EmptyState>;
  return (
    <>
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <caption className="sr-only">Credit entries, newest first</caption>
          <thead className="text-left text-xs text-muted">
            <tr>
              <th scope="col" className="py-2 pr-3 font-medium">When</th>
              <th scope="col" className="py-2 pr-3 font-medium">What</th>
              <th scope="col" className="py-2 pr-3 text-right font-medium">Amount</th>
              <th scope="col" className="hidden py-2 text-right font-medium sm:table-cell">Balance after</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <EntryRow key={e.id} entry={e} />
            ))}
          </tbody>
        </table>
      </div>
      {entries.hasNextPage && (
        <Button variant="secondary" className="mt-3" disabled={entries.isFetchingNextPage} onClick={() => void entries.fetchNextPage()}>
          {entries.isFetchingNextPage ? "Loading…" : "Show older entries"}
        </Button>
      )}
    </>
  );
}

/** Stripe Checkout sends the browser back here with ?checkout=success or =cancelled. */
function CheckoutReturn() {
  const [checkout] = useSearchParam("checkout");
  if (checkout === "success") {
    return (
      <p role="status" className="rounded-lg border border-good/40 bg-good/10 p-3 text-sm">
        Payment received by Stripe: your credits appear below as soon as its confirmation reaches the platform (usually within seconds).
      </p>
    );
  }
  if (checkout === "cancelled") {
    return (
      <p role="status" className="rounded-lg border border-line bg-raised p-3 text-sm">
        Checkout was cancelled: nothing was charged.
      </p>
    );
  }
  return null;
}

export function CreditsPanel({ account }: { account: AccountView }) {
  return (
    <div className="flex flex-col gap-4">
      <CheckoutReturn />
      <Card title="Credits">
        <Balance />
      </Card>
      <TopUp account={account} />
      <Card title="Credit entries">
        <Entries />
      </Card>
    </div>
  );
}
