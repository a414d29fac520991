// The test template's prices and token counts, shared by the SDK's request-price tests, the ledger's
// and the gateway's (seeded randomness is ./random.ts' rng).
import { usdPerMillion, type Pricing, type TokenCounts } from "@fomo/sdk";

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
