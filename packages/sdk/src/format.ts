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
export const formatUsdc = (units: bigint): string => `${formatAmount(units, 6)} USDC`;
