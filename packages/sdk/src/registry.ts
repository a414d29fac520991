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

/** Parameters of {@link getTerms}. */
export type GetTermsParameters = { termsId: number } & BlockOptions;
/** What {@link getTerms} returns. */
export type GetTermsReturnType = Terms;

/**
 * Terms version `termsId` (what an offering launched with keeps, whatever governance does later).
 *
 * @example
 * const terms = await getTerms(publicClient, deployments, { termsId: offering.termsId });
 */
export function getTerms(
  client: PublicClient,
  ref: RegistryRef,
  { termsId, ...block }: GetTermsParameters,
): Promise<GetTermsReturnType> {
  return client.readContract({
    address: registryAddress(ref),
    abi: templateRegistryAbi,
    functionName: "terms",
    args: [termsId],
    ...block,
  });
}

/** Parameters of {@link getTemplate}. */
export type GetTemplateParameters = { templateId: number } & BlockOptions;
/** What {@link getTemplate} returns. */
export type GetTemplateReturnType = Template;

/**
 * A template and the terms a launch on it gets now.
 *
 * @example
 * const { baseModelId, terms } = await getTemplate(publicClient, deployments, { templateId: 0 }); // "stories-260k"
 */
export async function getTemplate(
  client: PublicClient,
  ref: RegistryRef,
  { templateId, ...block }: GetTemplateParameters,
): Promise<GetTemplateReturnType> {
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

/** Parameters of {@link listTemplates}. */
export type ListTemplatesParameters = BlockOptions;
/** What {@link listTemplates} returns. */
export type ListTemplatesReturnType = Template[];

/**
 * The whole catalog, disabled templates included (check `enabled`).
 *
 * @example
 * const enabled = (await listTemplates(publicClient, deployments)).filter((t) => t.enabled);
 */
export async function listTemplates(
  client: PublicClient,
  ref: RegistryRef,
  block: ListTemplatesParameters = {},
): Promise<ListTemplatesReturnType> {
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
