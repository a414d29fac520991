// GET /api/v1/portfolios/{address}, as the browser receives it (packages/platform/src/public/routes.ts,
// schema portfolioResponse in packages/platform/src/responses.ts): amounts are decimal strings of
// wei (or token units), times Unix seconds of the chain.
import type { Address, Decimal, Hex, PositionView } from "../../lib/wire.ts";
import type { PortfolioPositionView } from "../offering/wire.ts";

/** What an address holds in one offering it bought in (the offering page reads the same positions). */
export type { PortfolioPositionView as HoldingView } from "../offering/wire.ts";

export interface RefundView extends PositionView {
  mt: Address;
  ticker: string | null;
  flock: Decimal;
}

export interface ClaimView extends PositionView {
  mt: Address;
  ticker: string | null;
  mt_amount: Decimal;
}

export interface StakeView {
  mt: Address;
  ticker: string | null;
  /** $MT wei staked (counting for the discount and rewards). */
  staked: Decimal;
  /** The gateway's discount tier this stake reaches, basis points. */
  discount_bps: number;
  /** $MT wei unstaked and cooling down. */
  cooling: Decimal;
  /** Unix seconds the cooling amount can be withdrawn from; null when nothing cools. */
  release_at: Decimal | null;
  withdrawable: boolean;
}

/** One leaf of the latest published rewards root for this address: what RewardsDistributor.claim takes. */
export interface RewardLeafView {
  token: Address;
  cumulative_amount: Decimal;
  claimed: Decimal;
  claimable: Decimal;
  proof: Hex[];
}

export interface RewardsView {
  epoch: Decimal;
  root: Hex;
  claims: RewardLeafView[];
}

export interface RewardClaimView extends PositionView {
  token: Address;
  amount: Decimal;
  cumulative: Decimal;
}

export interface PortfolioView {
  address: Address;
  positions: PortfolioPositionView[];
  refunds: RefundView[];
  claims: ClaimView[];
  stakes: StakeView[];
  /** The live root's leaves (claims verify against it); null until a root is live. */
  rewards: RewardsView | null;
  /** The root still in its challenge delay, claimable from `live_at` (Unix seconds) unless vetoed. */
  pending_rewards: (RewardsView & { live_at: Decimal }) | null;
  reward_claims: RewardClaimView[];
  /** Unix seconds of the latest indexed block: the chain's "now" for these figures. */
  as_of: Decimal;
}
