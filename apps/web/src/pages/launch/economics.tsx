// A template's fixed economics, as the registry publishes them and every offering on it keeps:
// hosting tier and inference prices, the curve's prices and raise bounds, fees and the anti-snipe
// surcharge, where the supply and the raised FLOCK go, and what vests when. Numbers from the SDK.
import { feeFallsAt, FIRST_BUY_VESTING, firstBuyCap, formatMicroUsd, price, supplyBucket, type Template } from "@fomo/sdk";
import type { ReactNode } from "react";
import { Stat } from "../../components/ui.tsx";
import { amount, compact, duration, flock, percent } from "../../lib/format.ts";

const DAY = 86_400;

/** "90 days" for whole days, else "1h 38m". */
export const days = (seconds: number | bigint) => (Number(seconds) % DAY === 0 ? `${Number(seconds) / DAY} days` : duration(seconds));

/** Micro-USD as dollars with at least two decimals: 200_000n → "$0.20", 25_000n → "$0.025". */
export function usd(microUsd: bigint): string {
  const [whole, fraction = ""] = formatMicroUsd(microUsd).split(".");
  return `$${whole}.${fraction.replace(/0+$/, "").padEnd(2, "0")}`;
}

/** FLOCK wei per whole $MT at the curve's start and at raiseMax. */
export function curvePrices(template: Pick<Template, "terms">): { start: bigint; end: bigint } {
  const { curve, sale } = template.terms;
  return { start: price(curve, 0n), end: price(curve, sale.raiseMax) };
}

/** When the anti-snipe surcharge has fallen to the base fee, seconds after the raise opens. */
export function surchargeEnds(template: Pick<Template, "terms">): bigint {
  const { sale } = template.terms;
  return feeFallsAt({ opensAt: 0, pausedSeconds: 0, feeBps: sale.feeBps, snipeFeeBps: sale.snipeFeeBps, snipeDecayBpsPerMinute: sale.snipeDecayBpsPerMinute }, sale.feeBps);
}

const perMillion = (input: bigint, output: bigint) => `${usd(input)} in · ${usd(output)} out`;

/** One line of a template's option in the picker. */
export function templateSummary(t: Template): string {
  const { sale, pricing } = t.terms;
  return `${t.hostingTier} · ${perMillion(pricing.inputPrice, pricing.outputPrice)} per 1M tokens · raises ${compact(sale.raiseMin)}–${compact(sale.raiseMax)} FLOCK`;
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold">{title}</h3>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3">{children}</dl>
    </div>
  );
}

export function TemplateEconomics({ template, launchFee }: { template: Template; launchFee: bigint | undefined }) {
  const { sale, allocation: a, pricing } = template.terms;
  const prices = curvePrices(template);
  return (
    <div className="flex flex-col gap-5" data-testid="template-economics">
      <Group title="Model and prices">
        <Stat label="Base model" value={template.baseModelId} />
        <Stat label="Hosting tier" value={template.hostingTier} />
        <Stat label="Input, per 1M tokens" value={usd(pricing.inputPrice)} hint={`floor ${usd(pricing.inputMinPrice)} (hard cost + 10%)`} />
        <Stat label="Output, per 1M tokens" value={usd(pricing.outputPrice)} hint={`floor ${usd(pricing.outputMinPrice)} (hard cost + 10%)`} />
      </Group>
      <Group title="Sale">
        <Stat label="Raise" value={`${compact(sale.raiseMin)}–${compact(sale.raiseMax)} FLOCK`} hint="refunded below the minimum" />
        <Stat label="Window" value={days(sale.duration)} />
        <Stat label="Curve price / $MT" value={`${amount(prices.start, 18, 4)} → ${amount(prices.end, 18, 4)}`} hint="FLOCK, start → end of the raise" />
        <Stat label="First-buy cap" value={`${compact(firstBuyCap(sale))} $MT`} />
        <Stat label="Launch fee" value={launchFee === undefined ? "…" : flock(launchFee, 0)} hint="never refunded" />
      </Group>
      <Group title="Fees">
        <Stat label="Platform fee" value={percent(sale.feeBps)} hint={`${percent(sale.creatorFeeShareBps)} of it to you`} />
        <Stat
          label="Anti-snipe at open"
          value={percent(sale.snipeFeeBps)}
          hint={`−${percent(sale.snipeDecayBpsPerMinute)} a minute; base fee after ${duration(surchargeEnds(template))}`}
        />
      </Group>
      <Group title="Supply (1,000,000 $MT)">
        <Stat label="Sale" value={percent(a.saleBps)} hint={`${compact(supplyBucket(a.saleBps))} $MT`} />
        <Stat label="Liquidity" value={percent(a.liquidityBps)} hint={`${compact(supplyBucket(a.liquidityBps))} $MT`} />
        <Stat label="Incentives" value={percent(a.incentivesBps)} hint={`${compact(supplyBucket(a.incentivesBps))} $MT`} />
        <Stat label="Operator" value={percent(a.operatorBps)} hint={`${compact(supplyBucket(a.operatorBps))} $MT`} />
        <Stat label="Treasury" value={percent(a.treasuryBps)} hint={`${compact(supplyBucket(a.treasuryBps))} $MT`} />
      </Group>
      <Group title="Raised FLOCK">
        <Stat label="Pool liquidity" value={percent(a.flockLiquidityBps)} />
        <Stat label="Hosting" value={percent(a.flockHostingBps)} />
        <Stat label="Incentives" value={percent(a.flockIncentivesBps)} />
      </Group>
      <Group title="Vesting">
        <Stat label="Operator $MT (yours)" value={`${days(a.operatorCliff)} cliff`} hint={`then linear until ${days(a.operatorDuration)} from graduation`} />
        <Stat label="Incentive $MT" value={`over ${days(a.incentiveDuration)}`} />
        <Stat label="Your first buy" value={`over ${days(FIRST_BUY_VESTING)}`} hint="linear from graduation" />
      </Group>
    </div>
  );
}
