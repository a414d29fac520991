// The platform API's epoch list as the estimator reads it (docs/platform-api.md, GET /epochs): only
// the fields it uses.
export interface EpochRow {
  epoch: string;
  step: string;
  /** keccak256 of the epoch's rewards input file; null until the keeper has written it. */
  input_hash: string | null;
}
