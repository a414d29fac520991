// Amounts for people, from integers: display rounding is done on the decimal string (truncating,
// never through a float), so what is shown is never more than what is held.
import { formatAmount, formatMicroUsd } from "@fomo/sdk";

export { formatMicroUsd };

/** Thousands separators in a string of digits: "1234567" → "1,234,567". */
export const grouped = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/**
 * Micro-USD for people, exactly: every significant decimal, at least cents. 12_500_000 → "$12.50",
 * 123 → "$0.000123", -3_100_000 → "-$3.10". Nothing is rounded: a request's price is often below a cent.
 */
export function usd(microUsd: bigint | string): string {
  const full = formatMicroUsd(BigInt(microUsd));
  const negative = full.startsWith("-");
  const [whole = "0", fraction = ""] = (negative ? full.slice(1) : full).split(".");
  return `${negative ? "-" : ""}$${grouped(whole)}.${fraction.replace(/0+$/, "").padEnd(2, "0")}`;
}

/** `1234567891234567891234n` → "1,234.5678" (at most `digits` decimals, truncated). */
export function amount(wei: bigint | string, decimals = 18, digits = 4): string {
  const full = formatAmount(BigInt(wei), decimals);
  const [whole, fraction = ""] = full.split(".");
  const kept = fraction.slice(0, digits).replace(/0+$/, "");
  if (!kept && fraction && /^-?0$/.test(whole ?? "") && BigInt(wei) !== 0n) return `<0.${"0".repeat(Math.max(0, digits - 1))}1`;
  return kept ? `${whole}.${kept}` : (whole ?? "0");
}

export const flock = (wei: bigint | string, digits = 2) => `${amount(wei, 18, digits)} FLOCK`;
export const mt = (wei: bigint | string, ticker = "$MT", digits = 2) => `${amount(wei, 18, digits)} ${ticker}`;

const UNITS: ReadonlyArray<[bigint, string]> = [
  [10n ** 12n, "T"],
  [10n ** 9n, "B"],
  [10n ** 6n, "M"],
  [10n ** 3n, "K"],
];

/** Whole units with a suffix, one decimal, truncated: 1_234_567 × 10^18 wei → "1.2M". */
export function compact(wei: bigint | string, decimals = 18): string {
  const value = BigInt(wei);
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  const one = 10n ** BigInt(decimals);
  for (const [size, suffix] of UNITS) {
    const unit = size * one;
    if (abs >= unit) {
      const tenths = (abs * 10n) / unit;
      return `${sign}${tenths / 10n}${tenths % 10n === 0n ? "" : `.${tenths % 10n}`}${suffix}`;
    }
  }
  return `${sign}${amount(abs, decimals, 2)}`;
}

/** Basis points as a percentage string: 150n → "1.5%". */
export function percent(bps: bigint | string | number, digits = 2): string {
  const value = BigInt(bps);
  const scale = 10n ** BigInt(digits);
  const hundredths = (value * scale) / 100n;
  const whole = hundredths / scale;
  const fraction = (hundredths % scale).toString().padStart(digits, "0").replace(/0+$/, "");
  return `${whole}${fraction ? `.${fraction}` : ""}%`;
}

/** A duration in seconds as "2d 3h", "4h 05m", "3m 20s", "45s". */
export function duration(seconds: number | bigint): string {
  let s = Math.max(0, Number(seconds));
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3_600);
  s -= h * 3_600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, "0")}s`;
  return `${s}s`;
}

/** 0x1234…abcd. */
export const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

/** A Unix time (seconds) as local date and time. */
export const when = (unixSeconds: number | bigint | string) => new Date(Number(unixSeconds) * 1000).toLocaleString();
