// What the portfolio knows about the tokens it shows: FLOCK and USDC from the deployments, each
// $MT from its offering (GET /offerings/{mt}: ticker, state, graduation time, price). Values in
// FLOCK are the token amount at the offering's price (pool once graduated, else the curve), rounded
// down by the SDK's mulDiv: an estimate shown as such, never more than the price says.
import { MT, mulDiv } from "@fomo/sdk";
import { useQueries } from "@tanstack/react-query";
import { apiGet } from "../../lib/api.ts";
import { amount, compact, short } from "../../lib/format.ts";
import { useNetwork } from "../../lib/network.tsx";
import type { Address, OfferingDetail } from "../../lib/wire.ts";

/** Candles are not needed here: the widest interval keeps the answer small. */
const WIDEST_CANDLE_SECONDS = 7 * 86_400;

export interface TokenBook {
  /** "FLOCK", "USDC", an $MT's ticker, or the short address while its offering loads. */
  symbol(token: Address): string;
  offering(mt: Address): OfferingDetail | undefined;
  /** `amount` of `token` in FLOCK wei; undefined when its price is not known (yet). */
  inFlock(token: Address, amount: bigint): bigint | undefined;
}

const key = (a: string) => a.toLowerCase();

export function useTokenBook(mts: readonly Address[]): TokenBook {
  const { deployments } = useNetwork();
  const distinct = [...new Set(mts.map(key))].filter((m) => m !== key(deployments.contracts.flock) && m !== key(deployments.contracts.usdc));
  const answers = useQueries({
    queries: distinct.map((mt) => ({
      queryKey: ["offering", mt, "portfolio"],
      queryFn: ({ signal }: { signal: AbortSignal }) => apiGet<OfferingDetail>(`/offerings/${mt}`, { interval: WIDEST_CANDLE_SECONDS }, signal),
      staleTime: 15_000,
    })),
  });
  const offerings = new Map<string, OfferingDetail>();
  for (const a of answers) if (a.data) offerings.set(key(a.data.mt), a.data);
  const flock = key(deployments.contracts.flock);
  const usdc = key(deployments.contracts.usdc);
  return {
    symbol: (token) => (key(token) === flock ? "FLOCK" : key(token) === usdc ? "USDC" : (offerings.get(key(token))?.ticker ?? short(token))),
    offering: (mt) => offerings.get(key(mt)),
    inFlock: (token, amount) => {
      if (key(token) === flock) return amount;
      const o = offerings.get(key(token));
      if (!o) return undefined;
      if (o.state === "failed") return 0n;
      return mulDiv(amount, BigInt(o.pool_price ?? o.curve_price), MT, false);
    },
  };
}

/** Stablecoin units as USDC, to the micro-dollar (a yield of a few cents is shown, not "<0.01"). */
export const usdc = (units: bigint, decimals: number) => `${amount(units, decimals, Math.min(decimals, 6))} USDC`;

/** Whole units from which a figure is shown compact ("3.2M FLOCK"): it must fit half a phone's width. */
const COMPACT_FROM = 1_000_000n * 10n ** 18n;

/** An 18-decimal amount for a figure: two decimals, or compact (truncated, never more than held) from a million. */
export const figure = (wei: bigint | string, symbol: string) => (BigInt(wei) >= COMPACT_FROM ? `${compact(wei)} ${symbol}` : `${amount(wei, 18, 2)} ${symbol}`);
