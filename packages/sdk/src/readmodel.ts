// The read model's records: what the indexer projects (@fomo/engine's readmodel queries build them from
// the chain's events) and the platform API serves (@fomo/platform's PublicReads); the web app reads them
// too. Engine and platform may not import each other, so the one definition lives here, types only.
// Amounts are bigint in their token's base units (FLOCK/$MT wei, USDC token units); times are Unix seconds.
import type { Address, Hex } from "viem";
import type { StakeCheckpoint, TimeWeightedStake } from "./staking.ts";

/** Where an event sits: block, log index, tx, and its block's time. */
export interface EventPosition {
  blockNumber: bigint;
  logIndex: number;
  txHash: Hex;
  /** Unix seconds of the event's block. */
  timestamp: bigint;
}

/** An offering as Launchpad.offering shows it, rebuilt from events at a point in time. */
export interface OfferingRecord {
  mt: Address;
  creator: Address;
  templateId: number;
  termsId: number;
  name: string;
  ticker: string;
  modelId: string;
  metadataUri: string;
  /** Launchpad.State at the time evaluated, and its name (Raising, Succeeded, Failed or Graduated). */
  state: number;
  stateName: string;
  opensAt: number;
  /** As Launchpad.offering reports it: the close moved by pauses (no later than the time evaluated once final). */
  closesAt: number;
  /** Seconds the raise's clock stood still (at most MAX_PAUSE_EXTENSION). */
  pausedSeconds: number;
  paused: boolean;
  /** 0 until graduation. */
  graduatedAt: number;
  raised: bigint;
  raiseMin: bigint;
  raiseMax: bigint;
  /** raised / raiseMax in bps, rounded down. */
  progressBps: bigint;
  /** $MT sold on the curve (SDK curve math). */
  sold: bigint;
  /** Curve price after `raised`, FLOCK wei per whole $MT (what Launchpad.offering returns, also after graduation). */
  price: bigint;
  /** After graduation: the pool's marginal price, FLOCK wei per whole $MT, from its last reserves. */
  poolPrice: bigint | undefined;
  /** After graduation: the $MT/FLOCK pair. */
  pair: Address | undefined;
  virtualFlock: bigint;
  virtualMt: bigint;
  buyCount: number;
  launched: EventPosition;
}

/** One buy on an offering's curve (Launchpad.Bought). */
export interface BuyRecord extends EventPosition {
  mt: Address;
  buyer: Address;
  flockIn: bigint;
  net: bigint;
  mtOut: bigint;
  baseFee: bigint;
  surcharge: bigint;
  raisedAfter: bigint;
}

/** One candle: prices in FLOCK wei per whole $MT, volume in FLOCK wei. */
export interface Candle {
  /** Unix seconds the interval starts at (a multiple of the interval). */
  start: bigint;
  open: bigint;
  high: bigint;
  low: bigint;
  close: bigint;
  volume: bigint;
  trades: number;
}

/** A supporter's claim on an offering, as Launchpad.positionOf reports it. */
export interface SupporterPosition {
  /** $MT bought and not yet claimed. */
  mt: bigint;
  /** FLOCK (net of fees) that a failed raise refunds. */
  flock: bigint;
  /** $MT of the issuer's first buy, which vests from graduation. */
  firstBuyMt: bigint;
}

export interface Holder {
  account: Address;
  balance: bigint;
}

export interface MtSupply {
  /** Minted minus burned to 0x0: ERC20 totalSupply. */
  totalSupply: bigint;
  /** Burned for good: sent to 0x0 (the burn function) or to the dead address. */
  burned: bigint;
  /** $MT in its $MT/FLOCK pool (the pair's balance), 0 before graduation. */
  lp: bigint;
  /** The $MT/FLOCK pair, once graduated. */
  pair: Address | undefined;
  /** Addresses holding a positive balance, 0x0 and the dead address not counted. */
  holders: number;
}

/** A pool's reserves after one Sync, and its marginal price then. */
export interface PoolPricePoint {
  blockNumber: bigint;
  logIndex: number;
  reserve0: bigint;
  reserve1: bigint;
  /** FLOCK wei per 10^18 base units of the pair's other token (per whole $MT), rounded down. */
  price: bigint;
}

export interface PoolState {
  pair: Address;
  token0: Address;
  token1: Address;
  reserve0: bigint;
  reserve1: bigint;
  /** Marginal price now (see PoolPricePoint.price); 0 while the pool is empty. */
  price: bigint;
  /** Every Sync of the pool, in chain order. */
  history: PoolPricePoint[];
}

/** One ($MT, account) stake in MtStaking, replayed from its events. */
export interface StakePosition {
  mt: Address;
  account: Address;
  /** Stake in force now (the last checkpoint). */
  stake: bigint;
  /** $MT unstaked and cooling down (not yet withdrawn). */
  cooling: bigint;
  /** When the cooling $MT may be withdrawn (0 if none). */
  releaseAt: bigint;
  checkpoints: StakeCheckpoint[];
}

export interface DailyStake extends TimeWeightedStake {
  /** Unix seconds the day starts at. */
  from: bigint;
}

/** A USDC credit deposit (CreditDeposits.Deposited). */
export interface DepositRecord extends EventPosition {
  depositId: bigint;
  accountId: Hex;
  depositor: Address;
  /** USDC in its token units. */
  amount: bigint;
}

/** A usage epoch's revenue report of one $MT (RevenueRouter) and its split. */
export interface RevenueReportRecord extends EventPosition {
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

/** An executed buyback (BuybackExecutor). */
export interface BuybackRecord extends EventPosition {
  /** The epoch the buyback ran in (epochOf the chain's clock at its block time; epoch 0 before the clock starts). */
  epoch: bigint;
  /** The token bought and burned (an $MT or FLOCK). */
  target: Address;
  /** USDC spent. */
  spent: bigint;
  /** Tokens bought, all burned. */
  burned: bigint;
  minOut: bigint;
}

/** An epoch's revenue reports and the buybacks that ran in it. */
export interface EpochFlows {
  epoch: bigint;
  reports: RevenueReportRecord[];
  buybacks: BuybackRecord[];
}

/** A rewards root's status, one per RewardsDistributor event (RootPosted / RootActivated / RootSuperseded / RootVetoed). */
export type RewardRootStatus = "posted" | "activated" | "superseded" | "vetoed";

export interface RewardRootRecord {
  epoch: bigint;
  root: Hex;
  contentHash: Hex | undefined;
  emitted: bigint | undefined;
  liveAt: bigint | undefined;
  /** The root's latest status (posted, then activated, superseded or vetoed). */
  status: RewardRootStatus;
  history: Array<EventPosition & { status: RewardRootStatus }>;
}

export interface RewardClaimRecord extends EventPosition {
  account: Address;
  token: Address;
  amount: bigint;
  /** What the account had claimed of `token` in all, this claim included. */
  cumulative: bigint;
}

export interface GmflockLockRecord extends EventPosition {
  lockId: bigint;
  owner: Address;
  amount: bigint;
  gm: bigint;
  unlockAt: bigint;
  /** Whether it was unlocked since. */
  unlocked: boolean;
  /** Unix seconds of the unlock's block (null while locked): the lock's gmFLOCK counts from `timestamp` to here. */
  unlockedAt: bigint | null;
}
