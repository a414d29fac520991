// The price of a request (product.md §2, §4), in integer micro-USD: a template's prices and their
// min-price floor, the staker discount, the hard cost and the worst-case hold. Template prices are
// micro-USD per 1,000,000 tokens, so every amount is a product divided by 10^6; each amount is
// rounded ONCE, at the end, and always up: the protocol never undercharges by a rounding error. The
// min price floors each token class (input, output) separately. Pure bigint math, browser-safe.
import { BPS, stakerDiscountTiers } from "./params.ts";

/** Micro-USD per 1,000,000 tokens. */
export interface Pricing {
  inputPrice: bigint;
  outputPrice: bigint;
  inputMinPrice: bigint;
  outputMinPrice: bigint;
  inputCost: bigint;
  outputCost: bigint;
}

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
  /**
   * What the request costs the account: each token class at its discounted price, never below its
   * own min price (so neither class is ever sold below its floor), summed, then rounded up once.
   */
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

/** The min price of a token class: 1.1 x its hard cost, rounded up (product.md §2). */
export function minPriceOf(cost: bigint): bigint {
  // Literals, not module constants: this runs while params.ts loads, maybe before this module has (see above).
  return ceilDiv(cost * 11n, 10n);
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
  // Exact amounts in micro-USD x 10^6 x 10^4; each class is floored on its own (a floor on the total
  // would let a cheap class pay for the other's shortfall), and the sum is rounded once, up:
  // ceil(list x (1 - d)), not ceil(ceil(list) x (1 - d)).
  const input = atLeast(tokens.inputTokens * pricing.inputPrice * keep, tokens.inputTokens * pricing.inputMinPrice * BPS);
  const output = atLeast(tokens.outputTokens * pricing.outputPrice * keep, tokens.outputTokens * pricing.outputMinPrice * BPS);
  return {
    listPrice: ceilDiv(list, TOKENS_PER_PRICE_UNIT),
    discountBps,
    minPrice: ceilDiv(scaled(tokens, pricing.inputMinPrice, pricing.outputMinPrice), TOKENS_PER_PRICE_UNIT),
    price: ceilDiv(input + output, TOKENS_PER_PRICE_UNIT * BPS),
    hardCost: hardCost(pricing, tokens),
  };
}

const atLeast = (amount: bigint, floor: bigint): bigint => (amount > floor ? amount : floor);

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

/** The best tier the stake reaches (product.md §4: >= 1,000 $MT 5%, >= 10,000 10%, >= 50,000 20%). */
export function discountBpsForStake(stake: bigint, tiers: readonly DiscountTier[] = stakerDiscountTiers): number {
  let best = 0;
  for (const tier of tiers) if (stake >= tier.minStake && tier.discountBps > best) best = tier.discountBps;
  return best;
}
