// Amounts people type, to integers: one parser for every form (buy, first buy, stake, estimator), on
// viem's parseUnits, never through a float. Thousands separators are accepted; too many decimals is
// an error, not a silent rounding.
import { parseUnits } from "viem";

export type Parsed = { value: bigint } | { error: string } | undefined;

// Commas only as thousands separators (1,000 or 12,345.5): "12,5" is refused, never read as 125.
const GROUPED = /^\d{1,3}(,\d{3})+(\.\d*)?$/;

/** A decimal the person typed, in units of `decimals` decimals; undefined when empty. */
export function parseDecimal(text: string, decimals: number, what: string): Parsed {
  const typed = text.trim();
  if (typed.includes(",") && !GROUPED.test(typed)) return { error: `Enter ${what} with a dot for decimals, like 12.5 (a comma only groups thousands: 1,000).` };
  const trimmed = typed.replaceAll(",", "");
  if (trimmed === "") return undefined;
  if (!/^\d*\.?\d*$/.test(trimmed) || trimmed === ".") return { error: `Enter ${what} as a number, like 1000 or 0.5.` };
  const fraction = trimmed.split(".")[1] ?? "";
  if (fraction.length > decimals) return { error: `${what[0]!.toUpperCase()}${what.slice(1)} takes at most ${decimals} decimals.` };
  return { value: parseUnits(trimmed, decimals) };
}
