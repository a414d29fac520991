// The template catalog the local deployment publishes: each base model's sale terms, allocation and
// pricing (docs/product.md). The terms are the protocol's defaults (params.ts); the min prices follow
// the hard costs by the pricing rule (pricing.ts).
import { usdPerMillion } from "./money.ts";
import { defaultAllocation, defaultSaleTerms, type Allocation, type SaleTerms } from "./params.ts";
import { minPriceOf, type Pricing } from "./pricing.ts";

export interface TemplateSpec {
  baseModelId: string;
  hostingTier: string;
  sale: SaleTerms;
  allocation: Allocation;
  pricing: Pricing;
}

/** A template's pricing from USD per 1M tokens; its min prices follow the hard costs (pricing.ts). */
function pricing(inputCost: string, outputCost: string, inputPrice: string, outputPrice: string): Pricing {
  const inCost = usdPerMillion(inputCost);
  const outCost = usdPerMillion(outputCost);
  return {
    inputCost: inCost,
    outputCost: outCost,
    inputMinPrice: minPriceOf(inCost),
    outputMinPrice: minPriceOf(outCost),
    inputPrice: usdPerMillion(inputPrice),
    outputPrice: usdPerMillion(outputPrice),
  };
}

/** The catalog the local deployment publishes. */
export const defaultCatalog: TemplateSpec[] = [
  {
    // The tiny local model (models/stories260K.gguf, shipped with the repository) served by the local gateway.
    baseModelId: "stories-260k",
    hostingTier: "cpu-small",
    sale: defaultSaleTerms,
    allocation: defaultAllocation,
    pricing: pricing("0.02", "0.05", "0.20", "0.80"),
  },
  {
    baseModelId: "qwen3-30b-a3b-instruct",
    hostingTier: "gpu-a100",
    sale: defaultSaleTerms,
    allocation: defaultAllocation,
    pricing: pricing("0.08", "0.30", "0.20", "0.80"),
  },
];
