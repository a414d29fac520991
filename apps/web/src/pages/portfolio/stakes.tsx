// Stakes per $MT: what counts (and the gateway discount tier it reaches), what cools down and the
// countdown to its release, Withdraw once released, Unstake an amount (which restarts the cooldown).
import { stakerDiscountTiers } from "@fomo/sdk";
import { useId, useState } from "react";
import { formatUnits, parseUnits } from "viem";
import { EmptyState } from "../../components/states.tsx";
import { Card, Field, Stat } from "../../components/ui.tsx";
import { duration, mt, percent, when } from "../../lib/format.ts";
import { Link } from "../../lib/router.tsx";
import { ChainButton } from "./parts.tsx";
import { figure, type TokenBook } from "./tokens.ts";
import type { StakeView } from "./wire.ts";

export function Stakes({ stakes, own, now, book }: { stakes: StakeView[]; own: boolean; now: bigint; book: TokenBook }) {
  const shown = stakes.filter((s) => BigInt(s.staked) > 0n || BigInt(s.cooling) > 0n);
  return (
    <Card title="Stakes">
      {shown.length === 0 ? (
        <EmptyState title="No stakes">Staking a model's $MT lowers your price on its API and earns rewards.</EmptyState>
      ) : (
        <ul className="flex flex-col gap-3">
          {shown.map((s) => (
            <li key={s.mt}>
              <Stake stake={s} ticker={s.ticker ?? book.symbol(s.mt)} own={own} now={now} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** The next discount tier above `discountBps` and the stake it needs (SDK tiers), if any. */
function nextTier(discountBps: number) {
  return [...stakerDiscountTiers].filter((t) => t.discountBps > discountBps).sort((a, b) => (a.minStake < b.minStake ? -1 : 1))[0];
}

function Stake({ stake: s, ticker, own, now }: { stake: StakeView; ticker: string; own: boolean; now: bigint }) {
  const staked = BigInt(s.staked);
  const cooling = BigInt(s.cooling);
  const releaseAt = s.release_at === null ? null : BigInt(s.release_at);
  const left = releaseAt === null ? 0n : releaseAt - now;
  const released = cooling > 0n && (s.withdrawable || left <= 0n);
  const next = nextTier(s.discount_bps);
  return (
    <article aria-label={`${ticker} stake`} className="rounded-lg border border-line p-3 sm:p-4">
      <h3 className="mb-2 font-semibold">
        <Link to={`/models/${s.mt}`} className="hover:underline">
          {ticker}
        </Link>
      </h3>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Stat label="Staked" value={figure(staked, ticker)} />
        <Stat
          label="Discount tier"
          value={s.discount_bps > 0 ? `${percent(s.discount_bps)} off` : "None"}
          hint={next ? `${percent(next.discountBps)} from ${mt(next.minStake, ticker, 0)}` : "Top tier"}
        />
        <Stat label="Cooling down" value={figure(cooling, ticker)} />
        {cooling > 0n && releaseAt !== null && (
          <Stat label="Release" value={released ? "Ready to withdraw" : `in ${duration(left)}`} hint={when(releaseAt)} />
        )}
      </dl>
      {own && (
        <div className="mt-3 flex flex-wrap items-end gap-3">
          {cooling > 0n && (
            <ChainButton
              label="Withdraw"
              accessibleName={`Withdraw ${ticker}`}
              disabled={!released}
              action={async ({ clients, deployments, calls, step }) => {
                step(`Withdrawing ${ticker}`);
                const { amount, hash } = await calls.withdrawStake(clients, deployments, { mt: s.mt });
                return { message: `Withdrew ${mt(amount, ticker)}.`, hash };
              }}
            />
          )}
          {staked > 0n && <UnstakeForm stake={s} ticker={ticker} />}
        </div>
      )}
    </article>
  );
}

function UnstakeForm({ stake: s, ticker }: { stake: StakeView; ticker: string }) {
  const id = useId();
  const [text, setText] = useState("");
  const staked = BigInt(s.staked);
  const parsed = parseAmount(text, staked);
  return (
    <div className="flex flex-wrap items-end gap-2">
      <div className="w-44">
        <Field
          id={`${id}-amount`}
          label={`${ticker} to unstake`}
          inputMode="decimal"
          autoComplete="off"
          placeholder="0.0"
          value={text}
          onChange={(e) => setText(e.target.value)}
          error={text && "error" in parsed ? parsed.error : undefined}
        />
      </div>
      <button type="button" className="min-h-10 rounded-lg px-2 text-sm underline" onClick={() => setText(formatUnits(staked, 18))}>
        Max
      </button>
      <ChainButton
        label="Unstake"
        variant="secondary"
        accessibleName={`Unstake ${ticker}`}
        disabled={!("amount" in parsed)}
        action={async ({ clients, deployments, calls, step }) => {
          if (!("amount" in parsed)) throw new Error("Enter an amount to unstake.");
          step(`Unstaking ${ticker}`);
          const { unstaked, hash } = await calls.unstake(clients, deployments, { mt: s.mt, amount: parsed.amount });
          setText("");
          return { message: `Unstaked ${mt(parsed.amount, ticker)}: withdraw it after ${when(unstaked.releaseAt)}.`, hash };
        }}
      />
    </div>
  );
}

/** A decimal amount typed by a person, in wei (viem parseUnits, never a float), between 0 and `max`. */
export function parseAmount(text: string, max: bigint): { amount: bigint } | { error: string } {
  const trimmed = text.trim();
  if (!/^\d*\.?\d*$/.test(trimmed) || trimmed === "" || trimmed === ".") return { error: "Enter an amount, like 100 or 0.5." };
  let amount: bigint;
  try {
    amount = parseUnits(trimmed, 18);
  } catch {
    return { error: "Enter an amount, like 100 or 0.5." };
  }
  if (amount === 0n) return { error: "Enter more than 0." };
  if (amount > max) return { error: "That is more than you have staked." };
  return { amount };
}

