// Money as people write it and as the gateway counts it: a decimal USD string and integer micro-USD.
// The gateway, its ledger, usage receipts and template prices all count micro-USD; this module is the
// one place a USD string becomes micro-USD or goes back. It never rounds: an amount that micro-USD
// cannot hold exactly is refused, and so is anything but plain decimal digits, so no float, exponent
// or sign can slip into a balance. Conversions to a stablecoin's own units are units.ts's job.
// Viem-free on purpose: the CLI loads it (`@fomo/sdk/money`) before anything heavy to check options.

/** Decimals of the gateway's integer money unit: 1 USD = 1,000,000 micro-USD. */
export const MICRO_USD_DECIMALS = 6;
/** Micro-USD in one USD. */
export const MICRO_USD_PER_USD = 10n ** BigInt(MICRO_USD_DECIMALS);

/**
 * Which way an inexact conversion rounds. Choose the protocol's side: an amount the protocol
 * credits or pays out rounds down; an amount it must receive rounds up.
 */
export type Rounding = "down" | "up";

/** Why `usd` is not a plain decimal USD amount, for the error message. */
function whyNotUsd(usd: string): string {
  if (usd === "") return "it is empty";
  if (/^\s|\s$/.test(usd)) return "it has surrounding spaces";
  if (usd.startsWith("-")) return "it is negative";
  if (usd.startsWith("+")) return "it has a sign; write the digits alone";
  if (/^\d*\.?\d*e[+-]?\d*$/i.test(usd)) return "it uses an exponent; write every digit";
  if (/^\d+\.\d+$/.test(usd)) return `it has more than ${MICRO_USD_DECIMALS} decimals; micro-USD is the smallest unit`;
  if (/^\d+\.$|^\.\d+$/.test(usd)) return "it needs digits on both sides of the decimal point";
  return "it is not a decimal number";
}

/**
 * A decimal USD string ("12", "0.50", at most 6 decimals) to micro-USD, exactly: the digits are read
 * as integers, never through a float. Throws a readable error naming the input and what is wrong with
 * it for a negative amount, an exponent, a sign, more than 6 decimals or anything not decimal digits.
 *
 * @example
 * parseUsd("12.5"); // 12_500_000n
 * parseUsd("0.000001"); // 1n
 * parseUsd("1e3"); // throws: not a USD amount: 1e3 (it uses an exponent; write every digit)
 */
export function parseUsd(usd: string): bigint {
  if (typeof usd !== "string") {
    // A float has already rounded (0.1 is not 1/10): only the digits as typed are exact.
    throw new TypeError(`not a USD amount: ${String(usd)} (pass a decimal string such as "12.50", not a ${typeof usd})`);
  }
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(usd);
  if (!m) throw new Error(`not a USD amount: ${JSON.stringify(usd)} (${whyNotUsd(usd)})`);
  return BigInt(m[1]!) * MICRO_USD_PER_USD + BigInt((m[2] ?? "").padEnd(MICRO_USD_DECIMALS, "0"));
}

/**
 * Micro-USD as a decimal USD string with all 6 decimals, exactly (no rounding, so `parseUsd` reads it
 * back to the same amount).
 *
 * @example
 * formatMicroUsd(1_500_000n); // "1.500000"
 * formatMicroUsd(-1n); // "-0.000001"
 */
export function formatMicroUsd(microUsd: bigint): string {
  const sign = microUsd < 0n ? "-" : "";
  const abs = microUsd < 0n ? -microUsd : microUsd;
  return `${sign}${abs / MICRO_USD_PER_USD}.${(abs % MICRO_USD_PER_USD).toString().padStart(MICRO_USD_DECIMALS, "0")}`;
}

/**
 * A template price written in USD per 1M tokens ("0.20") to micro-USD per 1M tokens (200_000n), the
 * unit of `Pricing`. The same exact parse as `parseUsd`, named for what the number means.
 *
 * @example
 * usdPerMillion("0.80"); // 800_000n micro-USD per 1M tokens
 */
export const usdPerMillion = (usd: string): bigint => parseUsd(usd);
