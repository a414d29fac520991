// The per-user reward scores of docs/product.md §5.2 in integer math (1e18 fixed point, every
// division rounding down), for the keeper that turns a day's usage and stake into rewards:
//   usage_share = spend / Σ spend, stake_share = stake / Σ stake,
//   global_score = usage_share · (α + (1 − α) · √stake_share) · G, α = 0.9,
//   incentive_score = usage_share · stake_share · G,
// with G = 1 (the gmFLOCK multiplier is not set yet). Amounts are then shared out by score, each
// share rounded down, the dust left unallotted.
import type { Address } from "viem";
import { sqrt } from "./curve.ts";
import { BPS } from "./params.ts";

/** Fixed point of shares and scores: 1e18 = 1. */
export const SCORE_ONE = 10n ** 18n;
/** α of global_score, 0.9: the usage weight a user gets without any stake. */
export const REWARD_ALPHA = (9n * SCORE_ONE) / 10n;
/** The issuer's emission bonus: 10% of its $MT's share of the global emission. */
export const ISSUER_BONUS_BPS = 1_000n;

/** One user's day on one $MT. */
export interface UserDay {
  account: Address;
  /** USD actually paid for inference on this $MT this day (any common unit: only shares matter). */
  spend: bigint;
  /** Time-weighted stake over the day (stake·seconds, from MtStaking's checkpoints). */
  stake: bigint;
}

/** A user's shares and scores, in SCORE_ONE fixed point. */
export interface RewardScore {
  account: Address;
  usage: bigint;
  stake: bigint;
  global: bigint;
  incentive: bigint;
}

/** The scores of every user of one $MT on one day, in input order. */
export function rewardScores(users: readonly UserDay[]): RewardScore[] {
  const spendTotal = users.reduce((s, u) => s + u.spend, 0n);
  const stakeTotal = users.reduce((s, u) => s + u.stake, 0n);
  return users.map((u) => {
    if (u.spend < 0n || u.stake < 0n) throw new RangeError("spend and stake must not be negative");
    const usage = spendTotal === 0n ? 0n : (u.spend * SCORE_ONE) / spendTotal;
    const stake = stakeTotal === 0n ? 0n : (u.stake * SCORE_ONE) / stakeTotal;
    const sqrtStake = sqrt(stake * SCORE_ONE);
    return {
      account: u.account,
      usage,
      stake,
      global: (usage * (REWARD_ALPHA + ((SCORE_ONE - REWARD_ALPHA) * sqrtStake) / SCORE_ONE)) / SCORE_ONE,
      incentive: (usage * stake) / SCORE_ONE,
    };
  });
}

/** Splits `amount` by `weights`, each share rounded down; the dust stays unallotted. */
export function shareOut(amount: bigint, weights: readonly bigint[]): bigint[] {
  const total = weights.reduce((s, x) => s + x, 0n);
  return weights.map((x) => (total === 0n ? 0n : (amount * x) / total));
}

/** The issuer's emission bonus out of its $MT's `emission` share, rounded down. */
export function issuerBonus(emission: bigint): bigint {
  return (emission * ISSUER_BONUS_BPS) / BPS;
}
