// Staking the deployment's $MT (MtStaking, through the SDK's actions): the inference discount tiers
// it earns (SDK stakerDiscountTiers), the connected wallet's stake read from the chain, and the
// stake / unstake / withdraw forms. Unstaked $MT stops counting at once and cools down before it
// can be withdrawn; a further unstake restarts the cooldown.
import {
  approveToken,
  chainTime,
  discountBpsForStake,
  getAllowance,
  getCooldown,
  getStake,
  getStakingCooldown,
  getTerms,
  modelTokenAbi,
  priceRequest,
  stake,
  stakerDiscountTiers,
  TOKENS_PER_PRICE_UNIT,
  unstake,
  withdrawStake,
  type Clients,
  type Deployments,
  type Pricing,
} from "@fomo/sdk";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import type { Address, PublicClient } from "viem";
import { parseDecimal } from "../../lib/amounts.ts";
import { useAccount, usePublicClient } from "wagmi";
import { EmptyState, ErrorState, LoadingState } from "../../components/states.tsx";
import { ActionStatus, Badge, Button, Card, Field, Stat } from "../../components/ui.tsx";
import { useChainAction, useClients, type ActionResult, type ActionState } from "../../lib/chainAction.ts";
import { amount, duration, mt as mtAmount, percent, usd, when } from "../../lib/format.ts";
import { useNetwork } from "../../lib/network.tsx";

const DECIMALS = 18;

/** The tiers from the smallest stake up. */
export const TIERS = [...stakerDiscountTiers].sort((a, b) => (a.minStake < b.minStake ? -1 : a.minStake > b.minStake ? 1 : 0));

/** The next tier above `staked`, if any. */
export const nextTier = (staked: bigint) => TIERS.find((t) => t.minStake > staked);

/** What 1M input and 1M output tokens cost at a discount: the SDK's request price, min-price floors included. */
export function pricePerMillion(pricing: Pricing, discountBps: number) {
  const million = TOKENS_PER_PRICE_UNIT;
  return {
    input: priceRequest(pricing, { inputTokens: million, outputTokens: 0n }, discountBps).price,
    output: priceRequest(pricing, { inputTokens: 0n, outputTokens: million }, discountBps).price,
  };
}

export function DiscountTiers({ staked, ticker, pricing }: { staked: bigint | undefined; ticker: string; pricing?: Pricing | undefined }) {
  const current = staked === undefined ? undefined : discountBpsForStake(staked);
  const next = staked === undefined ? undefined : nextTier(staked);
  const rows = [{ minStake: 0n, discountBps: 0 }, ...TIERS];
  const price = (bps: number) => {
    if (!pricing) return "…";
    const p = pricePerMillion(pricing, bps);
    return `${usd(p.input)} / ${usd(p.output)}`;
  };
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold">Inference discount for stakers</h3>
      <table className="w-full text-sm">
        <caption className="sr-only">Discount on this model's inference by {ticker} staked, and the price of 1M input and 1M output tokens</caption>
        <thead>
          <tr className="text-left text-xs text-muted uppercase">
            <th scope="col" className="py-1 font-medium">
              Staked
            </th>
            <th scope="col" className="py-1 text-right font-medium">
              Discount
            </th>
            <th scope="col" className="py-1 text-right font-medium">
              <abbr title="USD per 1M input tokens / per 1M output tokens" className="no-underline">
                In / out per 1M
              </abbr>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => {
            const yours = current === t.discountBps;
            return (
              <tr key={String(t.minStake)} aria-current={yours ? "true" : undefined} className="border-t border-line aria-[current=true]:bg-accent/10">
                <td className="py-1.5 tabular-nums">
                  {t.minStake === 0n ? "None" : `≥ ${mtAmount(t.minStake, ticker, 0)}`} {yours && <Badge tone="raising">your tier</Badge>}
                </td>
                <td className="py-1.5 text-right font-semibold tabular-nums">{percent(t.discountBps)}</td>
                <td className="py-1.5 text-right tabular-nums">{price(t.discountBps)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {staked !== undefined && (
        <p className="mt-2 text-xs text-muted" data-testid="tier-hint">
          {next
            ? `Stake ${mtAmount(next.minStake - staked, ticker, 2)} more for ${percent(next.discountBps)} off.`
            : "You have the highest discount."}
        </p>
      )}
    </div>
  );
}

/** A decimal amount typed by a person, as wei: at most 18 decimals, positive, within `max`. */
export function parseAmount(text: string, max: bigint, ticker: string, over: string): { amount: bigint } | { error: string } {
  const parsed = parseDecimal(text, DECIMALS, `the ${ticker} amount`);
  if (parsed === undefined) return { error: "Enter an amount." };
  if ("error" in parsed) return parsed;
  const wei = parsed.value;
  if (wei === 0n) return { error: "Enter more than zero." };
  if (wei > max) return { error: `${over} (${mtAmount(max, ticker, 4)}).` };
  return { amount: wei };
}

function AmountForm({
  id,
  label,
  submit,
  max,
  maxHint,
  over,
  ticker,
  disabled,
  preview,
  variant = "primary",
  onSubmit,
}: {
  id: string;
  label: string;
  submit: string;
  max: bigint;
  maxHint: string;
  over: string;
  ticker: string;
  disabled: boolean;
  preview?: (amount: bigint) => ReactNode;
  variant?: "primary" | "secondary";
  onSubmit: (amount: bigint) => Promise<boolean>;
}) {
  const [text, setText] = useState("");
  const [touched, setTouched] = useState(false);
  const parsed = parseAmount(text, max, ticker, over);
  const error = touched && "error" in parsed ? parsed.error : undefined;
  const send = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if ("error" in parsed) return;
    if (await onSubmit(parsed.amount)) {
      setText("");
      setTouched(false);
    }
  };
  return (
    <form onSubmit={(e) => void send(e)} noValidate className="flex flex-col gap-2">
      <Field
        id={id}
        label={label}
        inputMode="decimal"
        autoComplete="off"
        placeholder="0.0"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setTouched(true);
        }}
        hint={
          <>
            {maxHint}{" "}
            <button type="button" className="text-accent underline" onClick={() => (setText(amount(max, DECIMALS, DECIMALS).replaceAll(",", "")), setTouched(true))} disabled={max === 0n}>
              Max
            </button>
          </>
        }
        error={error}
      />
      {"amount" in parsed && preview && <p className="text-xs text-muted">{preview(parsed.amount)}</p>}
      <Button type="submit" variant={variant} disabled={disabled || max === 0n}>
        {submit}
      </Button>
    </form>
  );
}

export interface StakePosition {
  /** Counted stake, wei. */
  staked: bigint;
  /** Unstaked and cooling down, wei. */
  cooling: bigint;
  /** Chain time the cooling amount can be withdrawn (0 when nothing cools). */
  releaseAt: bigint;
  /** The wallet's $MT balance, wei. */
  balance: bigint;
  /** The chain's clock (a local chain may run ahead of the wall clock). */
  now: bigint;
}

export interface StakeActions {
  stake(amount: bigint): Promise<boolean>;
  unstake(amount: bigint): Promise<boolean>;
  withdraw(): Promise<boolean>;
}

/** The connected wallet's stake and the three forms; pure so it can be tested from real-shaped data. */
export function StakePanel({
  ticker,
  pricing,
  position,
  cooldownSeconds,
  actions,
  state,
  pending,
}: {
  ticker: string;
  pricing?: Pricing | undefined;
  position: StakePosition;
  cooldownSeconds: bigint | undefined;
  actions: StakeActions;
  state: ActionState;
  pending: boolean;
}) {
  const { staked, cooling, releaseAt, balance, now } = position;
  const withdrawable = cooling > 0n && releaseAt <= now;
  const cooldown = cooldownSeconds === undefined ? "the cooldown" : duration(cooldownSeconds);
  return (
    <div className="flex flex-col gap-4">
      <dl className="grid grid-cols-2 gap-4">
        <Stat label="Your stake" value={mtAmount(staked, ticker, 2)} hint={`${percent(discountBpsForStake(staked))} discount`} />
        <Stat label="In your wallet" value={mtAmount(balance, ticker, 2)} />
        <Stat
          label="Cooling down"
          value={mtAmount(cooling, ticker, 2)}
          hint={cooling === 0n ? undefined : withdrawable ? "ready to withdraw" : `withdrawable ${when(releaseAt)} (in ${duration(releaseAt - now)})`}
        />
        <Stat label="Cooldown" value={cooldownSeconds === undefined ? "…" : duration(cooldownSeconds)} hint="after an unstake" />
      </dl>
      <DiscountTiers staked={staked} ticker={ticker} pricing={pricing} />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-1">
        <AmountForm
          id="stake-amount"
          label={`Stake ${ticker}`}
          submit="Stake"
          max={balance}
          maxHint={`Wallet: ${mtAmount(balance, ticker, 4)}.`}
          over="More than your wallet holds"
          ticker={ticker}
          disabled={pending}
          preview={(a) => `Your discount after staking: ${percent(discountBpsForStake(staked + a))}.`}
          onSubmit={actions.stake}
        />
        <AmountForm
          id="unstake-amount"
          label={`Unstake ${ticker}`}
          submit="Unstake"
          max={staked}
          maxHint={`Staked: ${mtAmount(staked, ticker, 4)}.`}
          over="More than you have staked"
          variant="secondary"
          ticker={ticker}
          disabled={pending}
          preview={(a) =>
            `Stops counting now; withdrawable after ${cooldown}${cooling > 0n ? ", and the cooldown of what already cools restarts" : ""}. Your discount after: ${percent(discountBpsForStake(staked - a))}.`
          }
          onSubmit={actions.unstake}
        />
      </div>
      {cooling > 0n && (
        <div className="flex flex-wrap items-center gap-3">
          <Button variant="secondary" disabled={pending || !withdrawable} onClick={() => void actions.withdraw()}>
            Withdraw {mtAmount(cooling, ticker, 4)}
          </Button>
          {!withdrawable && <span className="text-xs text-muted">after {when(releaseAt)}</span>}
        </div>
      )}
      <ActionStatus state={state} />
    </div>
  );
}

async function readPosition(client: PublicClient, d: Deployments, mt: Address, account: Address): Promise<StakePosition> {
  const [staked, cooldown, balance, now] = await Promise.all([
    getStake(client, d, { mt, account }),
    getCooldown(client, d, { mt, account }),
    client.readContract({ address: mt, abi: modelTokenAbi, functionName: "balanceOf", args: [account] }),
    chainTime(client),
  ]);
  return { staked, cooling: cooldown.amount, releaseAt: cooldown.releaseAt, balance, now };
}

function stakeActions(clients: Clients, d: Deployments, mt: Address, ticker: string, run: ReturnType<typeof useChainAction>["run"]): StakeActions {
  const done = (message: string, hash: `0x${string}`): ActionResult => ({ message, hash });
  return {
    stake: (wei) =>
      run(async (step) => {
        step("Checking the $MT allowance");
        const spender = d.contracts.mtStaking;
        if ((await getAllowance(clients.public, { token: mt, owner: clients.wallet.account.address, spender })) < wei) {
          step(`Approving ${ticker}`);
          await approveToken(clients, { token: mt, spender, amount: wei });
        }
        step("Staking");
        const sent = await stake(clients, d, { mt, amount: wei, approval: "none" });
        return done(`Staked ${mtAmount(wei, ticker, 4)}.`, sent.hash);
      }),
    unstake: (wei) =>
      run(async (step) => {
        step("Unstaking");
        const sent = await unstake(clients, d, { mt, amount: wei });
        return done(`Unstaked ${mtAmount(wei, ticker, 4)}: it cools down until ${when(sent.unstaked.releaseAt)}.`, sent.hash);
      }),
    withdraw: () =>
      run(async (step) => {
        step("Withdrawing");
        const sent = await withdrawStake(clients, d, { mt });
        return done(`Withdrew ${mtAmount(sent.amount, ticker, 4)}.`, sent.hash);
      }),
  };
}

export function Staking({ mt, ticker, termsId }: { mt: Address; ticker: string; termsId: number }) {
  const { deployments } = useNetwork();
  const { address } = useAccount();
  const publicClient = usePublicClient() as PublicClient | undefined;
  const clients = useClients();
  const action = useChainAction();
  const cooldown = useQuery({
    queryKey: ["staking-cooldown", deployments.contracts.mtStaking],
    queryFn: () => getStakingCooldown(publicClient!, deployments),
    enabled: !!publicClient && !!address,
    staleTime: Infinity,
    refetchInterval: false,
  });
  // The prices this deployment launched with (its terms version, immutable), read from the registry.
  const terms = useQuery({
    queryKey: ["terms", deployments.contracts.templateRegistry, termsId],
    queryFn: () => getTerms(publicClient!, deployments, { termsId }),
    enabled: !!publicClient,
    staleTime: Infinity,
    refetchInterval: false,
  });
  const pricing = terms.data?.pricing;
  const position = useQuery({
    queryKey: ["model-stake", mt, address],
    queryFn: () => readPosition(publicClient!, deployments, mt, address!),
    enabled: !!publicClient && !!address,
  });
  return (
    <Card title={`Stake ${ticker}`}>
      {!address ? (
        <div className="flex flex-col gap-4">
          <DiscountTiers staked={undefined} ticker={ticker} pricing={pricing} />
          <EmptyState title="Connect a wallet to stake">Staked {ticker} discounts this model's inference for every account the wallet is bound to.</EmptyState>
        </div>
      ) : position.isPending ? (
        <LoadingState label="Reading your stake" />
      ) : position.isError ? (
        <ErrorState error={position.error} retry={() => void position.refetch()} />
      ) : (
        <StakePanel
          ticker={ticker}
          pricing={pricing}
          position={position.data}
          cooldownSeconds={cooldown.data}
          state={action.state}
          pending={action.pending || !clients}
          actions={clients ? stakeActions(clients, deployments, mt, ticker, action.run) : { stake: noWallet, unstake: noWallet, withdraw: noWallet }}
        />
      )}
    </Card>
  );
}

const noWallet = async () => false;
