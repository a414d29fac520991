// The per-user reward scores of docs/product.md §5.2 in integer math (1e18 fixed point, every
// division rounding down), for the keeper that turns a day's usage and stake into rewards:
//   usage_share = spend / Σ spend, stake_share = stake / Σ stake,
//   G = 1 + λ · g(gm), g(gm) = gm / (gm + GM_HALF)        (gmFLOCK multiplier; params.ts)
//   global_score = usage_share · (α + (1 − α) · √stake_share) · G, α = 0.9,
//   incentive_score = usage_share · stake_share · G.
// Amounts are then shared out by score, each share rounded down, the dust left unallotted
// (epochRewards.ts puts it all together for one epoch).
import type { Address } from "viem";
import { sqrt } from "./curve.ts";
import { BPS, GM_HALF, GM_LAMBDA } from "./params.ts";

/** Fixed point of shares and scores: 1e18 = 1. */
export const SCORE_ONE = 10n ** 18n;
/** α of global_score, 0.9: the usage weight a user gets without any stake. */
export const REWARD_ALPHA = (9n * SCORE_ONE) / 10n;
/** The issuer's emission bonus: 10% of its $MT's share of the global emission. */
export const ISSUER_BONUS_BPS = 1_000n;

/** One user's day on one $MT; `Account` is how the caller names users (a wallet, or a ledger account id). */
export interface UserDay<Account extends string = Address> {
  account: Account;
  /** USD actually paid for inference on this $MT this day (any common unit: only shares matter). */
  spend: bigint;
  /** Time-weighted stake over the day (stake·seconds, from MtStaking's checkpoints). */
  stake: bigint;
  /** gmFLOCK held (wei), the input of G; absent or 0: G = 1. */
  gm?: bigint;
}

/** A user's shares and scores, in SCORE_ONE fixed point. */
export interface RewardScore<Account extends string = Address> {
  account: Account;
  usage: bigint;
  stake: bigint;
  /** G, the gmFLOCK multiplier (SCORE_ONE for no gmFLOCK). */
  boost: bigint;
  global: bigint;
  incentive: bigint;
}

/**
 * G = 1 + λ·g(gm) of a user holding `gm` gmFLOCK wei, with g(gm) = gm / (gm + GM_HALF): g and λ·g each
 * rounded down, so G is in [1, 1 + λ). No gmFLOCK, no boost.
 *
 * @example
 * gmBoost(0n); // SCORE_ONE (G = 1)
 * gmBoost(GM_HALF); // 1.3e18 (g = ½, G = 1 + 0.6 · ½)
 */
export function gmBoost(gm: bigint): bigint {
  if (gm < 0n) throw new RangeError("gmFLOCK must not be negative");
  const g = (gm * SCORE_ONE) / (gm + GM_HALF);
  return SCORE_ONE + (GM_LAMBDA * g) / SCORE_ONE;
}

/**
 * The two scores of a user from its shares and G (all SCORE_ONE fixed point):
 * global = ⌊usage · (α + ⌊(1 − α)·⌊√stake⌋⌋) · G⌋ and incentive = ⌊usage · stake · G⌋: each is at most the
 * exact value for these shares and G, and less than 3e-18 below it.
 *
 * @example
 * rewardScoreOf({ usage: SCORE_ONE / 2n, stake: 0n, boost: 151n * SCORE_ONE / 100n }).global; // 0.6795e18
 */
export function rewardScoreOf(shares: { usage: bigint; stake: bigint; boost: bigint }): { global: bigint; incentive: bigint } {
  const { usage, stake, boost } = shares;
  if (usage < 0n || usage > SCORE_ONE || stake < 0n || stake > SCORE_ONE) throw new RangeError("a share is between 0 and 1");
  if (boost < SCORE_ONE) throw new RangeError("G is at least 1");
  const sqrtStake = sqrt(stake * SCORE_ONE);
  const weight = REWARD_ALPHA + ((SCORE_ONE - REWARD_ALPHA) * sqrtStake) / SCORE_ONE;
  // One rounding for the product: with G = 1 it is exactly ⌊usage · weight⌋.
  const ONE2 = SCORE_ONE * SCORE_ONE;
  return { global: (usage * weight * boost) / ONE2, incentive: (usage * stake * boost) / ONE2 };
}

/** The scores of every user of one $MT on one day, in input order. */
export function rewardScores<Account extends string = Address>(users: readonly UserDay<Account>[]): RewardScore<Account>[] {
  const spendTotal = users.reduce((s, u) => s + u.spend, 0n);
  const stakeTotal = users.reduce((s, u) => s + u.stake, 0n);
  return users.map((u) => {
    if (u.spend < 0n || u.stake < 0n) throw new RangeError("spend and stake must not be negative");
    const usage = spendTotal === 0n ? 0n : (u.spend * SCORE_ONE) / spendTotal;
    const stake = stakeTotal === 0n ? 0n : (u.stake * SCORE_ONE) / stakeTotal;
    const boost = gmBoost(u.gm ?? 0n);
    return { account: u.account, usage, stake, boost, ...rewardScoreOf({ usage, stake, boost }) };
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
