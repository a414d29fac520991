// The platform API's answers this page reads beyond lib/wire.ts: an address's portfolio (its
// positions only: refundable FLOCK and claimable $MT per offering).
import type { Address, Decimal, OfferingState } from "../../lib/wire.ts";

/** One offering in GET /portfolios/{address}.positions. */
export interface PortfolioPositionView {
  mt: Address;
  ticker: string;
  state: OfferingState;
  /** $MT wei bought and not yet claimed. */
  mt_owed: Decimal;
  /** $MT wei claimable now (graduated offerings; the issuer's first buy as it vests). */
  claimable_mt: Decimal;
  first_buy_mt: Decimal;
  vesting_locked_mt: Decimal;
  /** FLOCK wei that entered the curve (net of fees). */
  flock_committed: Decimal;
  /** FLOCK wei a failed raise gives back. */
  refundable_flock: Decimal;
}

export interface PortfolioPositionsView {
  address: Address;
  positions: PortfolioPositionView[];
  as_of: Decimal;
}
