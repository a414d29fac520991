// The keeper: settles each epoch (close, aggregate, report, buy back, reward, publish) and verifies published ones.
export {
  ACTION_ATTEMPTS, EpochNotFinal, Keeper, SETTLED_STEP, type KeeperEpochStatus, type KeeperLog,
  type KeeperOptions,
} from "./epochs.ts";
export { ConservationError, MAX_RELEASES_PER_EPOCH, checkConservation, chooseReleases, gmAverages } from "./rewards.ts";
export { BaseChanged, INPUT_IN_DATABASE_BELOW, RootPending, changedTotals, inputFilePath, rollCumulative, type Accrual, type CumulativeState } from "./publish.ts";
export { BaseUnknown, chainBase, type BaseState, type RootBase } from "./base.ts";
export { OracleWaiting, poolReadiness, type PoolReadiness } from "./oracle.ts";
export { verifyEpoch, verifyQuietEpoch, type VerifyEpochParameters, type VerifyEpochResult, type VerifyQuietEpochParameters } from "./verify.ts";
export type { BuybackOutcome, EpochDeploymentRow, EpochRow, ReleaseOutcome, ReportOutcome } from "./store.ts";
// The rows as stored, for a reader that needs no chain (`fomo epoch status`).
export { QUIET_NOTE, isQuiet, listDeploymentEpochs, listEpochDeployments, listEpochs } from "./store.ts";
export { KeeperWaits } from "./waits.ts";
