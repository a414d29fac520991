// Token amounts as users type them ("1000", "0.5"), to integer units exactly: a decimal string through
// viem's parseUnits, never a float, and never rounded (more decimals than the token has are refused).
import { parseUnits } from "viem";

/** Options of {@link parseTokenAmount}. */
export interface TokenAmountOptions {
  /** The token's decimals (18 for FLOCK and $MT; the deployment's usdcDecimals for USDC). */
  decimals?: number;
  /** Whether 0 is a valid amount (an optional first buy), else it is refused. */
  zeroAllowed?: boolean;
}

/**
 * `value`, a decimal amount of `unit` (e.g. "FLOCK"), in the token's integer units. `what` names the
 * argument in the error (`--flock`, `AMOUNT`).
 */
export function parseTokenAmount(value: string, what: string, unit: string, { decimals = 18, zeroAllowed = false }: TokenAmountOptions = {}): bigint {
  if (!new RegExp(`^\\d+(\\.\\d{1,${decimals}})?$`).test(value)) {
    throw new Error(`${what}: not a ${unit} amount (a decimal number, up to ${decimals} decimals): ${value}`);
  }
  const amount = parseUnits(value, decimals);
  if (amount === 0n && !zeroAllowed) throw new Error(`${what}: must be more than 0 ${unit}`);
  return amount;
}
