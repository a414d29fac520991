// Token amounts for people: wei to a decimal string with thousands separators, no floats.
import { formatUnits } from "viem";

/** `1234500000000000000000n` -> `"1,234.5"`. */
export function formatAmount(wei: bigint, decimals = 18): string {
  const [whole = "0", fraction] = formatUnits(wei, decimals).split(".");
  const sign = whole.startsWith("-") ? "-" : "";
  const digits = sign ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return sign + grouped + (fraction ? `.${fraction}` : "");
}

export const formatFlock = (wei: bigint): string => `${formatAmount(wei)} FLOCK`;
export const formatMt = (wei: bigint): string => `${formatAmount(wei)} $MT`;
/**
 * A settlement-stablecoin amount in its own units, for a token of `decimals` decimals (the
 * deployment's usdcDecimals: 6 on Base, 18 on BSC). Without the decimals the raw units are shown,
 * never a guess.
 */
export const formatUsdc = (units: bigint, decimals: number | undefined): string =>
  decimals === undefined ? `${formatAmount(units, 0)} USDC units` : `${formatAmount(units, decimals)} USDC`;
