// What the public routes read: the chain's read model (offerings, tokens, stakes, money flows,
// reward roots) and the keeper's epochs. The platform never imports @fomo/engine (the import rules:
// engine and platform sit side by side on @fomo/ledger): the CLI builds a PublicReads from the
// engine's read-model queries (packages/cli/src/commands/platform.ts) and passes it to
// buildPlatform. The shapes are the engine's records, matched structurally, for one chain.
import type { KeeperEpochDeploymentsTable, KeeperEpochsTable } from "@fomo/ledger";
import type { Address, Hex } from "viem";

/** Where an event sits: block, log index, tx, and its block's time (Unix seconds). */
export interface EventPositionRead {
  blockNumber: bigint;
  logIndex: number;
  txHash: Hex;
  timestamp: bigint;
}

export interface OfferingRead {
  mt: Address;
  creator: Address;
  templateId: number;
  termsId: number;
  name: string;
  ticker: string;
  modelId: string;
  metadataUri: string;
  state: number;
  /** Raising, Succeeded, Failed or Graduated. */
  stateName: string;
  opensAt: number;
  closesAt: number;
  pausedSeconds: number;
  paused: boolean;
  graduatedAt: number;
  raised: bigint;
  raiseMin: bigint;
  raiseMax: bigint;
  progressBps: bigint;
  sold: bigint;
  price: bigint;
  poolPrice: bigint | undefined;
  pair: Address | undefined;
  buyCount: number;
  launched: EventPositionRead;
}

export interface CandleRead {
  start: bigint;
  open: bigint;
  high: bigint;
  low: bigint;
  close: bigint;
  volume: bigint;
  trades: number;
}

export interface SupporterPositionRead {
  mt: bigint;
  flock: bigint;
  firstBuyMt: bigint;
}

export interface MtSupplyRead {
  totalSupply: bigint;
  burned: bigint;
  lp: bigint;
  pair: Address | undefined;
  holders: number;
}

export interface RevenueReportRead extends EventPositionRead {
  epoch: bigint;
  mt: Address;
  gross: bigint;
  usageRoot: Hex;
  hardCost: bigint;
  mtBuyback: bigint;
  issuerYield: bigint;
  flockBuyback: bigint;
  treasury: bigint;
}

export interface BuybackRead extends EventPositionRead {
  epoch: bigint;
  target: Address;
  spent: bigint;
  burned: bigint;
}

export interface EpochFlowsRead {
  epoch: bigint;
  reports: readonly RevenueReportRead[];
  buybacks: readonly BuybackRead[];
}

export interface StakeRead {
  mt: Address;
  account: Address;
  stake: bigint;
  cooling: bigint;
  releaseAt: bigint;
}

export interface RewardRootRead {
  epoch: bigint;
  root: Hex;
  contentHash: Hex | undefined;
  emitted: bigint | undefined;
  liveAt: bigint | undefined;
  status: string;
  history: ReadonlyArray<EventPositionRead & { status: string }>;
}

export interface RewardClaimRead extends EventPositionRead {
  account: Address;
  token: Address;
  amount: bigint;
  cumulative: bigint;
}

/** A refund or claim of an offering by a supporter (Launchpad.Refunded / Claimed). */
export interface SupporterEventRead extends EventPositionRead {
  kind: "refund" | "claim";
  mt: Address;
  /** FLOCK wei refunded, or $MT wei claimed. */
  amount: bigint;
}

/** The keeper's row of an epoch (keeper_epochs, as stored). */
export type KeeperEpochRead = KeeperEpochsTable;

/** The keeper's row of one deployment in an epoch (keeper_epoch_deployments, as stored). */
export type KeeperEpochDeploymentRead = KeeperEpochDeploymentsTable;

/** An account's claims of the latest published rewards root, with their Merkle proofs. */
export interface RewardProofsRead {
  epoch: bigint;
  root: Hex;
  claims: ReadonlyArray<{ token: Address; cumulativeAmount: bigint; proof: readonly Hex[] }>;
}

export interface PublicReads {
  chainId: number;
  /** Unix seconds the read model is current to (its latest indexed block); undefined before anything is indexed. */
  indexedTime(): Promise<bigint | undefined>;
  listOfferings(): Promise<readonly OfferingRead[]>;
  getOffering(mt: Address): Promise<OfferingRead | undefined>;
  priceCandles(query: { mt: Address; intervalSeconds: bigint; from?: bigint; to?: bigint }): Promise<readonly CandleRead[]>;
  supporterPosition(query: { mt: Address; account: Address }): Promise<SupporterPositionRead>;
  supporterEvents(account: Address): Promise<readonly SupporterEventRead[]>;
  /** The buys of one buyer, in chain order (which offerings a portfolio has positions in). */
  listBuys(query: { buyer: Address }): Promise<ReadonlyArray<{ mt: Address }>>;
  mtSupply(mt: Address): Promise<MtSupplyRead>;
  epochFlows(query: { epoch?: bigint }): Promise<readonly EpochFlowsRead[]>;
  listStakes(query: { mt?: Address; account?: Address }): Promise<readonly StakeRead[]>;
  listRewardRoots(query: { epoch?: bigint }): Promise<readonly RewardRootRead[]>;
  listRewardClaims(account: Address): Promise<readonly RewardClaimRead[]>;
  rewardProofs(account: Address): Promise<RewardProofsRead | undefined>;
  listEpochs(): Promise<readonly KeeperEpochRead[]>;
  listEpochDeployments(epoch: bigint): Promise<readonly KeeperEpochDeploymentRead[]>;
  /** The epoch's rewards input file: canonical JSON and the keccak256 of its bytes. */
  epochInput(epoch: bigint): Promise<{ contentHash: string; body: string } | undefined>;
}
