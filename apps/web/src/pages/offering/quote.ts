// What the buy form's amount does, from the SDK alone: the amount parsed to wei (viem parseUnits,
// never a float), the local quote (quoteBuyLocal, equal to Launchpad.quoteBuy to the wei) at the
// chain time the page estimates, and the anti-snipe schedule (feeFallsAt). The chart and the form
// read the same result, so the segment drawn is the buy described.
import { feeFallsAt, quoteBuyLocal, type BuyQuote, type OfferingSnapshot } from "@fomo/sdk";
import { parseDecimal } from "../../lib/amounts.ts";
import { readable } from "../../lib/chainAction.ts";

export { parseDecimal };

/** Slippage typed as a percentage ("0.5") to whole basis points (50), at most 50%. */
export function parseSlippageBps(text: string): { bps: number } | { error: string } {
  const parsed = parseDecimal(text, 2, "the slippage");
  if (parsed === undefined) return { error: "Enter a slippage tolerance, like 0.5." };
  if ("error" in parsed) return parsed;
  if (parsed.value > 5_000n) return { error: "Slippage above 50% is refused: a buy that moves that much should be smaller." };
  return { bps: Number(parsed.value) };
}

export type BuyPreview =
  | { status: "empty" }
  | { status: "invalid"; message: string }
  | { status: "quoted"; flockIn: bigint; quote: BuyQuote; at: bigint; baseFeeAt: bigint };

/**
 * The quote for `amount` FLOCK at chain time `now`. The estimate of `now` may trail the block the
 * offering opened in (a launch newer than the indexed time): a quote is never taken before that.
 */
export function previewBuy(o: OfferingSnapshot, amount: string, now: bigint): BuyPreview {
  const parsed = parseDecimal(amount, 18, "the amount");
  if (parsed === undefined) return { status: "empty" };
  if ("error" in parsed) return { status: "invalid", message: parsed.error };
  if (parsed.value === 0n) return { status: "invalid", message: "Enter an amount above zero." };
  const opened = BigInt(o.opensAt) + BigInt(o.pausedSeconds);
  const at = now > opened ? now : opened;
  try {
    return { status: "quoted", flockIn: parsed.value, quote: quoteBuyLocal(o, parsed.value, at), at, baseFeeAt: feeFallsAt(o, o.feeBps) };
  } catch (error) {
    return { status: "invalid", message: readable(error) };
  }
}
