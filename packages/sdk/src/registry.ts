// Reads of the TemplateRegistry: the catalog an issuer picks from, and the immutable terms versions.
import type { ContractFunctionReturnType, PublicClient } from "viem";
import { registryAddress, type BlockOptions, type RegistryRef } from "./client.ts";
import { calibrate, type CurveReserves } from "./curve.ts";
import { templateRegistryAbi } from "./generated/abis.ts";
import { supplyBucket } from "./graduation.ts";
import type { Allocation, SaleTerms } from "./params.ts";

/** One immutable version of a template's economics, as the registry stores it. */
export type Terms = ContractFunctionReturnType<typeof templateRegistryAbi, "view", "terms">;

/** A catalog entry with its current terms. */
export interface Template {
  templateId: number;
  baseModelId: string;
  hostingTier: string;
  enabled: boolean;
  termsId: number;
  terms: Terms;
}

/** Terms version `termsId` (what an offering launched with keeps, whatever governance does later). */
export function getTerms(
  client: PublicClient,
  ref: RegistryRef,
  { termsId, ...block }: { termsId: number } & BlockOptions,
): Promise<Terms> {
  return client.readContract({
    address: registryAddress(ref),
    abi: templateRegistryAbi,
    functionName: "terms",
    args: [termsId],
    ...block,
  });
}

/** A template and the terms a launch on it gets now. */
export async function getTemplate(
  client: PublicClient,
  ref: RegistryRef,
  { templateId, ...block }: { templateId: number } & BlockOptions,
): Promise<Template> {
  const t = await client.readContract({
    address: registryAddress(ref),
    abi: templateRegistryAbi,
    functionName: "template",
    args: [templateId],
    ...block,
  });
  const terms = await getTerms(client, ref, { termsId: t.termsId, ...block });
  return { templateId, baseModelId: t.baseModelId, hostingTier: t.hostingTier, enabled: t.enabled, termsId: t.termsId, terms };
}

/** The whole catalog, disabled templates included (check `enabled`). */
export async function listTemplates(client: PublicClient, ref: RegistryRef, block: BlockOptions = {}): Promise<Template[]> {
  const count = await client.readContract({
    address: registryAddress(ref),
    abi: templateRegistryAbi,
    functionName: "templateCount",
    ...block,
  });
  const ids = Array.from({ length: Number(count) }, (_, i) => i);
  return Promise.all(ids.map((templateId) => getTemplate(client, ref, { templateId, ...block })));
}

/**
 * The virtual reserves the registry publishes for these terms (TemplateRegistry._publish), to the
 * wei: the sale tranche is ⌊TOTAL_SUPPLY·saleBps/10^4⌋, calibrated to raiseMax and the price ratio.
 */
export function termsCurve(
  sale: Pick<SaleTerms, "raiseMax" | "priceRatioBps">,
  allocation: Pick<Allocation, "saleBps">,
): CurveReserves {
  return calibrate(supplyBucket(allocation.saleBps), sale.raiseMax, BigInt(sale.priceRatioBps));
}
