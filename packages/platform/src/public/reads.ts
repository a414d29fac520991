// What the public routes read: the chain's read model (offerings, tokens, stakes, money flows,
// reward roots) and the keeper's epochs. The platform never imports @fomo/engine (the import rules:
// engine and platform sit side by side on @fomo/ledger): the CLI builds a PublicReads from the
// engine's read-model queries (packages/cli/src/commands/platform.ts) and passes it to
// buildPlatform. The records are the SDK's (@fomo/sdk readmodel.ts), the ones the engine's queries
// return, for one chain; only what the platform reads beyond them is declared here.
import type { KeeperEpochDeploymentsTable, KeeperEpochsTable } from "@fomo/ledger";
import type {
  BuyRecord, Candle, EpochFlows, EventPosition, Holder, MtSupply, OfferingRecord, RewardClaimRecord, RewardRootRecord, StakePosition,
  SupporterPosition,
} from "@fomo/sdk";
import type { Address, Hex } from "viem";

/** A refund or claim of an offering by a supporter (Launchpad.Refunded / Claimed). */
export interface SupporterEventRead extends EventPosition {
  kind: "refund" | "claim";
  mt: Address;
  /** FLOCK wei refunded, or $MT wei claimed. */
  amount: bigint;
}

/** The keeper's row of an epoch (keeper_epochs, as stored). */
export type KeeperEpochRead = KeeperEpochsTable;

/** The keeper's row of one deployment in an epoch (keeper_epoch_deployments, as stored). */
export type KeeperEpochDeploymentRead = KeeperEpochDeploymentsTable;

/** An account's claims of one published rewards root, with their Merkle proofs. */
export interface RewardProofsRead {
  epoch: bigint;
  root: Hex;
  claims: ReadonlyArray<{ token: Address; cumulativeAmount: bigint; proof: readonly Hex[] }>;
}

export interface PublicReads {
  chainId: number;
  /** Unix seconds the read model is current to (its latest indexed block); undefined before anything is indexed. */
  indexedTime(): Promise<bigint | undefined>;
  listOfferings(): Promise<readonly OfferingRecord[]>;
  getOffering(mt: Address): Promise<OfferingRecord | undefined>;
  priceCandles(query: { mt: Address; intervalSeconds: bigint; from?: bigint; to?: bigint }): Promise<readonly Candle[]>;
  supporterPosition(query: { mt: Address; account: Address }): Promise<SupporterPosition>;
  supporterEvents(account: Address): Promise<readonly SupporterEventRead[]>;
  /** Curve buys of one buyer or one offering (or both), in chain order. */
  listBuys(query: { buyer?: Address; mt?: Address }): Promise<readonly BuyRecord[]>;
  /** FLOCK wei traded per $MT (lower-case address key) since a Unix time: curve buys, then pool swaps. */
  tradedVolume(since: bigint): Promise<ReadonlyMap<string, bigint>>;
  mtSupply(mt: Address): Promise<MtSupply>;
  /** Holders with a positive balance, largest first. */
  mtHolders(mt: Address): Promise<readonly Holder[]>;
  epochFlows(query: { epoch?: bigint }): Promise<readonly EpochFlows[]>;
  listStakes(query: { mt?: Address; account?: Address }): Promise<readonly StakePosition[]>;
  listRewardRoots(query: { epoch?: bigint }): Promise<readonly RewardRootRecord[]>;
  listRewardClaims(account: Address): Promise<readonly RewardClaimRecord[]>;
  /** The account's claims of the root the keeper published for `epoch`; undefined when it published none. */
  rewardProofs(account: Address, epoch: bigint): Promise<RewardProofsRead | undefined>;
  listEpochs(): Promise<readonly KeeperEpochRead[]>;
  listEpochDeployments(epoch: bigint): Promise<readonly KeeperEpochDeploymentRead[]>;
  /** One deployment's settlement rows over the epochs it had usage in, oldest first. */
  listDeploymentEpochs(deployment: Address): Promise<readonly KeeperEpochDeploymentRead[]>;
  /** The epoch's rewards input file: canonical JSON and the keccak256 of its bytes. */
  epochInput(epoch: bigint): Promise<{ contentHash: string; body: string } | undefined>;
}
