// The keeper: settles each epoch (close, aggregate, report, buy back; rewards and publishing later).
export {
  ACTION_ATTEMPTS, EpochNotFinal, Keeper, SETTLED_STEP, type KeeperEpochStatus, type KeeperLog,
  type KeeperOptions,
} from "./epochs.ts";
export type { BuybackOutcome, EpochDeploymentRow, EpochRow, ReportOutcome } from "./store.ts";
// The rows as stored, for a reader that needs no chain (`fomo epoch status`).
export { listEpochDeployments, listEpochs } from "./store.ts";
