// Shared test fixtures for the request-price tests and the ledger's: a template's prices, token
// counts, and a seeded PRNG for random-looking cases that are the same on every run.
import { usdPerMillion } from "../../src/money.ts";
import type { Pricing, TokenCounts } from "../../src/pricing.ts";

/** A cpu-small template: $0.20 / $0.80 per 1M tokens, hosting $0.02 / $0.05, min price 1.1 x cost. */
export const TEST_PRICING: Pricing = {
  inputPrice: usdPerMillion("0.20"), // 200,000 micro-USD per 1M tokens
  outputPrice: usdPerMillion("0.80"), // 800,000
  inputCost: usdPerMillion("0.02"), // 20,000
  outputCost: usdPerMillion("0.05"), // 50,000
  inputMinPrice: usdPerMillion("0.022"), // 22,000
  outputMinPrice: usdPerMillion("0.055"), // 55,000
};

export const tokens = (inputTokens: bigint, outputTokens: bigint): TokenCounts => ({ inputTokens, outputTokens });

/** Deterministic PRNG (mulberry32): random-looking cases that are the same on every run. */
export function rng(seed: number): (max: bigint) => bigint {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (max) => BigInt(Math.floor(next() * Number(max + 1n)));
}
