// The price of a request (FOMO.md §4), in integer micro-USD. Template prices are micro-USD per
// 1,000,000 tokens, so every amount is a product divided by 10^6; each amount is rounded ONCE,
// at the end, and always up: the protocol never undercharges by a rounding error.
import { BPS, stakerDiscountTiers, type Pricing } from "@fomo/sdk";

/** Template prices are per this many tokens. */
export const TOKENS_PER_PRICE_UNIT = 1_000_000n;

export interface TokenCounts {
  inputTokens: bigint;
  outputTokens: bigint;
}

export interface RequestPrice {
  /** Undiscounted price: input x inputPrice + output x outputPrice, rounded up. */
  listPrice: bigint;
  /** Staker discount applied, in basis points. */
  discountBps: number;
  /** Floor: input x inputMinPrice + output x outputMinPrice, rounded up. */
  minPrice: bigint;
  /** What the request costs the account: the discounted price, never below minPrice. */
  price: bigint;
  /** Tokens x the hosting tier's cost, rounded up: what serving it cost us. */
  hardCost: bigint;
}

/** Price terms as the ledger snapshots them in a hold: the template's Pricing and the discount. */
export interface PriceTerms {
  pricing: Pricing;
  discountBps: number;
}

export function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError("ceilDiv: denominator must be positive");
  if (numerator <= 0n) return -(-numerator / denominator); // bigint division truncates toward zero
  return (numerator + denominator - 1n) / denominator;
}

function checkTokens({ inputTokens, outputTokens }: TokenCounts): void {
  if (inputTokens < 0n || outputTokens < 0n) throw new RangeError("token counts must be non-negative");
}

export function checkDiscountBps(discountBps: number): void {
  if (!Number.isInteger(discountBps) || discountBps < 0 || BigInt(discountBps) > BPS) {
    throw new RangeError(`discount must be an integer number of basis points in [0, ${BPS}], got ${discountBps}`);
  }
}

/** input x inputRate + output x outputRate, in micro-USD x 10^6 (before the division by 10^6). */
function scaled(tokens: TokenCounts, inputRate: bigint, outputRate: bigint): bigint {
  return tokens.inputTokens * inputRate + tokens.outputTokens * outputRate;
}

export function priceRequest(pricing: Pricing, tokens: TokenCounts, discountBps = 0): RequestPrice {
  checkTokens(tokens);
  checkDiscountBps(discountBps);
  const list = scaled(tokens, pricing.inputPrice, pricing.outputPrice);
  const keep = BPS - BigInt(discountBps);
  // Discount the exact amount, then round once: ceil(list x (1 - d)), not ceil(ceil(list) x (1 - d)).
  const discounted = ceilDiv(list * keep, TOKENS_PER_PRICE_UNIT * BPS);
  const minPrice = ceilDiv(scaled(tokens, pricing.inputMinPrice, pricing.outputMinPrice), TOKENS_PER_PRICE_UNIT);
  return {
    listPrice: ceilDiv(list, TOKENS_PER_PRICE_UNIT),
    discountBps,
    minPrice,
    price: discounted > minPrice ? discounted : minPrice,
    hardCost: hardCost(pricing, tokens),
  };
}

export function hardCost(pricing: Pricing, tokens: TokenCounts): bigint {
  checkTokens(tokens);
  return ceilDiv(scaled(tokens, pricing.inputCost, pricing.outputCost), TOKENS_PER_PRICE_UNIT);
}

/**
 * The hold for a request: the most it can cost, i.e. its price with no discount when it uses all of
 * max_tokens. Price grows with tokens and shrinks with the discount, so whatever the request really
 * uses (up to maxTokens) and whatever discount it gets, its price fits in this hold.
 */
export function worstCaseCost(pricing: Pricing, promptTokens: bigint, maxTokens: bigint): bigint {
  return priceRequest(pricing, { inputTokens: promptTokens, outputTokens: maxTokens }, 0).price;
}

export interface DiscountTier {
  readonly minStake: bigint;
  readonly discountBps: number;
}

/** The best tier the stake reaches (FOMO.md §4: >= 1,000 $MT 5%, >= 10,000 10%, >= 50,000 20%). */
export function discountBpsForStake(stake: bigint, tiers: readonly DiscountTier[] = stakerDiscountTiers): number {
  let best = 0;
  for (const tier of tiers) if (stake >= tier.minStake && tier.discountBps > best) best = tier.discountBps;
  return best;
}
