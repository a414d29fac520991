// Reading and showing the console's numbers: micro-USD integers through the SDK's exact formatMicroUsd
// and parseUsd (never a float), and the whole-number limits people type into the key forms.
import { MICRO_USD_DECIMALS, parseUsd } from "@fomo/sdk";
import { parseDecimal } from "../../lib/amounts.ts";
import { formatMicroUsd, grouped, usd } from "../../lib/format.ts";

export { usd };

/** Micro-USD as a person would type it back into a USD field: 12_500_000 → "12.5", 25_000_000 → "25". */
export function usdInput(microUsd: bigint | string): string {
  return formatMicroUsd(BigInt(microUsd)).replace(/\.?0+$/, "");
}

/** A whole number with thousands separators (requests, tokens). */
export const count = (value: bigint | number | string) => grouped(BigInt(value).toString());

export type Read<T> = { value: T; error?: undefined } | { value?: undefined; error: string };

/** A USD amount typed by a person → micro-USD, or the sentence saying what is wrong. */
export function readUsd(text: string): Read<bigint> {
  const typed = text.trim().replace(/^\$/, "");
  if (typed === "") return { error: "Enter an amount in USD." };
  // The app's one reading of typed numbers first: a decimal comma ("12,5") is refused, not read as 125.
  const checked = parseDecimal(typed, MICRO_USD_DECIMALS, "an amount in USD");
  if (typed.includes(",") && checked !== undefined && "error" in checked) return { error: checked.error };
  try {
    return { value: parseUsd(typed.replaceAll(",", "")) };
  } catch {
    return { error: "Enter an amount in USD such as 25 or 12.50, with at most 6 decimals." };
  }
}

/** An optional USD limit: empty means none (undefined). */
export function readOptionalUsd(text: string): Read<bigint | undefined> {
  return text.trim() === "" ? { value: undefined } : readUsd(text);
}

/** An optional whole-number limit from 1 to `max`: empty means none (undefined). */
export function readOptionalCount(text: string, max: number): Read<number | undefined> {
  const typed = text.trim().replaceAll(",", "");
  if (typed === "") return { value: undefined };
  if (!/^\d+$/.test(typed)) return { error: "Enter a whole number, or leave it empty for no limit." };
  // Digits only and at most 10 of them: Number is exact here (these are counts, not money).
  if (typed.length > 10 || Number(typed) < 1 || Number(typed) > max) return { error: `Enter a whole number from 1 to ${count(max)}.` };
  return { value: Number(typed) };
}

/** A card top-up typed in USD → whole cents between the platform's bounds. */
export function readCents(text: string, minCents: number, maxCents: number): Read<number> {
  const read = readUsd(text);
  if (read.error !== undefined) return read;
  const microPerCent = 10_000n;
  const bounds = `between ${usd(BigInt(minCents) * microPerCent)} and ${usd(BigInt(maxCents) * microPerCent)}`;
  if (read.value % microPerCent !== 0n) return { error: `A card top-up is in whole cents, ${bounds}.` };
  const cents = read.value / microPerCent;
  if (cents < BigInt(minCents) || cents > BigInt(maxCents)) return { error: `A card top-up must be ${bounds}.` };
  return { value: Number(cents) };
}
