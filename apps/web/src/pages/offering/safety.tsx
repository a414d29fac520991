// What a supporter should check before buying, from the offering's immutable terms and the SDK's
// graduation split (graduation.ts, equal to the contract to the wei): the raise and the pool it
// opens beside the fully diluted value, the issuer's vesting, the anti-snipe surcharge, where the LP
// goes (burned), and the fees.
import { allocateGraduation, FIRST_BUY_VESTING, feeFallsAt, MT, mulDiv, supplyBucket, TOTAL_SUPPLY, type Offering, type Terms } from "@fomo/sdk";
import type { ReactNode } from "react";
import type { Address } from "viem";
import { compact, flock, mt, percent, short, when } from "../../lib/format.ts";
import type { OfferingDetail } from "../../lib/wire.ts";
import { bpsOf } from "./header.tsx";
import type { PortfolioPositionView } from "./wire.ts";

export interface SafetyPanelProps {
  offering: OfferingDetail;
  snapshot: Offering;
  terms: Terms;
  /** Launchpad.LP_BURN_ADDRESS, read from the chain. */
  lpBurnAddress: Address | undefined;
  /** The creator's own position (its first buy), when it has one. */
  creatorPosition: PortfolioPositionView | null | undefined;
  symbol: string;
}

const days = (seconds: number | bigint) => {
  const whole = Number(seconds) / 86_400;
  return Number.isInteger(whole) ? `${whole} day${whole === 1 ? "" : "s"}` : `${Math.floor(whole)}+ days`;
};

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 py-2 sm:flex-row sm:justify-between sm:gap-4">
      <dt className="shrink-0 text-muted sm:w-32">{label}</dt>
      <dd className="tabular-nums sm:text-right">{children}</dd>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div>
      <h3 className="mt-3 text-sm font-semibold first:mt-0">{title}</h3>
      <dl className="divide-y divide-line/60 text-sm">{children}</dl>
    </div>
  );
}

export function SafetyPanel({ offering, snapshot, terms, lpBurnAddress, creatorPosition, symbol }: SafetyPanelProps) {
  const { sale, allocation } = terms;
  const raised = BigInt(offering.raised_flock);
  const failed = offering.state === "failed";
  const graduated = offering.state === "graduated";
  const split = allocateGraduation({ allocation, curve: snapshot, raised, surcharge: snapshot.surcharge });
  const priceNow = BigInt(offering.pool_price ?? offering.curve_price);
  const fdv = offering.market_cap_flock !== undefined ? BigInt(offering.market_cap_flock) : mulDiv(priceNow, TOTAL_SUPPLY, MT);
  // Both sides of the pool at its opening price: twice its FLOCK.
  const liquidity = split.flockToPool * 2n;
  const baseFeeAt = feeFallsAt(snapshot, snapshot.feeBps);
  return (
    <div className="flex flex-col gap-1">
      <Section title="Raise and liquidity">
        <Row label="Raised">{flock(raised, 0)}</Row>
        {!failed && (
          <Row label={graduated ? "Pool at graduation" : "Pool if it graduated now"}>
            {flock(split.flockToPool, 0)} + {mt(split.mtToPool, symbol, 0)}
          </Row>
        )}
        <Row label="Fully diluted value">
          {compact(fdv)} FLOCK <span className="text-muted">({compact(TOTAL_SUPPLY)} {symbol} at the {offering.pool_price ? "pool" : "curve"} price)</span>
        </Row>
        {!failed && fdv > 0n && <Row label="Pool liquidity / FDV">{percent(bpsOf(liquidity, fdv))}</Row>}
        {failed && <Row label="Pool">None: the raise failed and supporters are refunded.</Row>}
      </Section>
      <Section title="Creator vesting">
        <Row label="Issuer's first buy">
          {creatorPosition && BigInt(creatorPosition.first_buy_mt) > 0n ? (
            <>
              {mt(creatorPosition.first_buy_mt, symbol, 0)}
              {BigInt(creatorPosition.vesting_locked_mt) > 0n && <span className="block text-xs text-muted">{mt(creatorPosition.vesting_locked_mt, symbol, 0)} still locked</span>}
            </>
          ) : creatorPosition === undefined ? (
            "…"
          ) : (
            "none"
          )}
        </Row>
        <Row label="First-buy lock">
          locked until graduation, then vests linearly over {days(FIRST_BUY_VESTING)} (cap {mt(supplyBucket(sale.firstBuyCapBps), symbol, 0)})
        </Row>
        <Row label="Issuer allocation">
          {percent(allocation.operatorBps)} ({compact(supplyBucket(allocation.operatorBps))} {symbol}): {days(allocation.operatorCliff)} cliff, then linear to{" "}
          {days(allocation.operatorDuration)}
        </Row>
      </Section>
      <Section title="Anti-snipe surcharge">
        <Row label="Fee at open">
          {percent(sale.snipeFeeBps)}, falling {percent(sale.snipeDecayBpsPerMinute)} a minute to {percent(sale.feeBps)}
        </Row>
        {offering.state === "raising" && <Row label="Base fee only from">{when(baseFeeAt)}</Row>}
        {graduated ? (
          <Row label="Surcharge paid">sent to the {symbol} incentives at graduation</Row>
        ) : failed ? (
          <Row label="Surcharge paid">goes to the treasury (the raise failed)</Row>
        ) : (
          <Row label="Surcharge held">
            {flock(snapshot.surcharge, 0)} <span className="block text-xs text-muted">joins the incentives at graduation; to the treasury if the raise fails</span>
          </Row>
        )}
      </Section>
      <Section title="Liquidity lock">
        <Row label="LP tokens">
          burned: sent to <span className="font-mono" title={lpBurnAddress}>{lpBurnAddress ? short(lpBurnAddress) : "0x…dEaD"}</span> at graduation, so nobody can withdraw the pool
        </Row>
        {offering.pair && (
          <Row label="Pair">
            <span className="font-mono" title={offering.pair}>
              {short(offering.pair)}
            </span>
          </Row>
        )}
        <Row label="Unsold supply">burned at graduation{graduated ? `: ${compact(split.mtBurned)} ${symbol}` : ""}</Row>
      </Section>
      <Section title="Fees">
        <Row label="Base fee">
          {percent(sale.feeBps)} of every buy: {percent(sale.creatorFeeShareBps)} of it to the issuer, the rest to the protocol
        </Row>
        <Row label="Raised FLOCK at graduation">
          {percent(allocation.flockLiquidityBps)} pool, {percent(allocation.flockHostingBps)} hosting, {percent(allocation.flockIncentivesBps)} incentives
        </Row>
      </Section>
    </div>
  );
}
