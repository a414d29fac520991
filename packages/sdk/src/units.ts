// Token units of money. The gateway, its ledger and usage receipts count integer micro-USD (money.ts);
// the chain counts the settlement stablecoin's own units, 10^decimals per USD, and USDC has 6 decimals
// on Base but 18 on BSC. Every conversion between the two goes through this module, rounded explicitly
// in the protocol's favour, so no code assumes a stablecoin's decimals. The decimals travel with the
// deployment (Deployments.usdcDecimals, which deployLocal reads from the token), and the contracts
// read the same value from the token at deployment (StablecoinUnit.sol).
import { MICRO_USD_DECIMALS, type Rounding } from "./money.ts";
/**
 * The stablecoin decimals the protocol supports, as StablecoinUnit.sol enforces on chain: at least
 * the micro-USD's 6 (so every micro-USD amount has an exact token amount), at most 18.
 */
export const MIN_STABLECOIN_DECIMALS = 6;
export const MAX_STABLECOIN_DECIMALS = 18;

/** `decimals` itself; throws unless it is an integer from 6 to 18 (what the contracts accept). */
export function checkStablecoinDecimals(decimals: number): number {
  if (!Number.isInteger(decimals) || decimals < MIN_STABLECOIN_DECIMALS || decimals > MAX_STABLECOIN_DECIMALS) {
    throw new RangeError(
      `unsupported stablecoin decimals ${decimals}: the protocol supports ${MIN_STABLECOIN_DECIMALS} to ${MAX_STABLECOIN_DECIMALS}`,
    );
  }
  return decimals;
}

/** One USD in units of a stablecoin of `decimals` decimals: 10^decimals (the contracts' `usdcUnit`). */
export function stablecoinUnit(decimals: number): bigint {
  return 10n ** BigInt(checkStablecoinDecimals(decimals));
}

/** Token units per micro-USD: 10^(decimals - 6), at least 1 for every supported stablecoin. */
const unitsPerMicroUsd = (decimals: number): bigint => 10n ** BigInt(checkStablecoinDecimals(decimals) - MICRO_USD_DECIMALS);

const nonNegative = (amount: bigint, what: string): bigint => {
  if (amount < 0n) throw new RangeError(`${what} must not be negative: ${amount}`);
  return amount;
};

/**
 * Micro-USD in stablecoin units. Exact for every supported stablecoin (6 decimals or more), so it
 * needs no rounding: e.g. a usage report's gross or a key's credits as the token amount to move.
 */
export function microUsdToTokenUnits(microUsd: bigint, decimals: number): bigint {
  return nonNegative(microUsd, "a micro-USD amount") * unitsPerMicroUsd(decimals);
}

/**
 * Stablecoin units in micro-USD, rounded as told: "down" for what the protocol credits or pays
 * (a deposit of 1.0000009 USDC of 18 decimals credits 1,000,000 micro-USD), "up" for what it is
 * owed. Exact, whichever the rounding, when the amount is a whole number of micro-USD.
 */
export function tokenUnitsToMicroUsd(units: bigint, decimals: number, rounding: Rounding): bigint {
  const per = unitsPerMicroUsd(decimals);
  const whole = nonNegative(units, "a token amount") / per;
  return rounding === "up" && whole * per < units ? whole + 1n : whole;
}

/** Whole USD in stablecoin units (a bound or a default written in dollars). */
export function usdToTokenUnits(usd: bigint, decimals: number): bigint {
  return nonNegative(usd, "a USD amount") * stablecoinUnit(decimals);
}
