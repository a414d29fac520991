// Offerings shaped exactly as GET /api/v1/offerings serves them (platform views.ts), their curve
// numbers from the SDK's curve math on the default terms, for the marketplace's tests.
import { BPS, defaultAllocation, defaultSaleTerms, MT, price, sold, termsCurve, TOTAL_SUPPLY } from "@fomo/sdk";
import { getAddress, keccak256, toHex } from "viem";
import type { OfferingState } from "../../lib/wire.ts";
import type { MarketOffering } from "./offerings.ts";

export const AS_OF = 1_800_000_000n;
const curve = termsCurve(defaultSaleTerms, defaultAllocation);
const { raiseMin, raiseMax, duration } = defaultSaleTerms;

export interface OfferingSeed {
  index: number;
  state: OfferingState;
  ticker?: string;
  name?: string;
  templateId?: number;
  /** FLOCK wei raised. */
  raised?: bigint;
  closesIn?: number;
  buys?: number;
  /** FLOCK wei; undefined leaves the field out, as a platform without it answers. */
  volume?: bigint | undefined;
  block?: number;
}

export function offering(seed: OfferingSeed): MarketOffering {
  const { index, state } = seed;
  const raised = seed.raised ?? (raiseMax * BigInt((index * 7919) % 10_000)) / BPS;
  const ticker = seed.ticker ?? `MK${index}`;
  const templateId = seed.templateId ?? index % 2;
  const base = templateId === 0 ? "stories-260k" : "qwen3-30b-a3b-instruct";
  const curvePrice = price(curve, raised);
  const poolPrice = state === "graduated" ? (curvePrice * 11n) / 10n : null;
  const closesAt = Number(AS_OF) + (seed.closesIn ?? duration - index);
  const block = BigInt(seed.block ?? 100 + index);
  return {
    mt: getAddress(keccak256(toHex(`mt-${index}`)).slice(0, 42)),
    ticker,
    name: seed.name ?? `Model ${index}`,
    model_id: `${base}-${ticker.toLowerCase()}`,
    creator: getAddress(keccak256(toHex(`creator-${index % 17}`)).slice(0, 42)),
    template_id: templateId,
    terms_id: templateId,
    metadata_uri: "",
    state,
    opens_at: closesAt - duration,
    closes_at: closesAt,
    paused: false,
    paused_seconds: 0,
    graduated_at: state === "graduated" ? Number(AS_OF) - 3_600 : null,
    raised_flock: raised.toString(),
    raise_min_flock: raiseMin.toString(),
    raise_max_flock: raiseMax.toString(),
    progress_bps: ((raised * BPS) / raiseMax).toString(),
    sold_mt: sold(curve, raised).toString(),
    curve_price: curvePrice.toString(),
    pool_price: poolPrice?.toString() ?? null,
    pair: state === "graduated" ? getAddress(keccak256(toHex(`pair-${index}`)).slice(0, 42)) : null,
    buys: seed.buys ?? (index * 31) % 97,
    launched: { block_number: block.toString(), log_index: index % 3, tx_hash: keccak256(toHex(`tx-${index}`)), timestamp: String(closesAt - duration) },
    ...(seed.volume === undefined ? {} : { volume_24h_flock: seed.volume.toString() }),
    market_cap_flock: (((poolPrice ?? curvePrice) * TOTAL_SUPPLY) / MT).toString(),
  };
}

const STATE_CYCLE: readonly OfferingState[] = ["raising", "raising", "succeeded", "failed", "graduated"];

/** `n` offerings: states in the cycle above (so n/5 graduated), volumes on the first half only. */
export function offerings(n: number): MarketOffering[] {
  return Array.from({ length: n }, (_, index) =>
    offering({ index, state: STATE_CYCLE[index % STATE_CYCLE.length]!, volume: index < n / 2 ? BigInt((index * 104_729) % 1_000) * 10n ** 18n : undefined }),
  );
}
