// The graduation split of GraduationMath.sol in bigint, equal to the contract to the wei (property-
// tested against Launchpad's Graduated event): the supply into its buckets, the raised FLOCK into
// pool, hosting and incentive shares, and the pool's opening amounts (docs/protocol.md#graduation).
// Every rounding favours the protocol: divisions round down, the treasury's $MT bucket and the hosting
// reserve's FLOCK take the remainders, and the pool's $MT rounds down (never cheaper than the curve).
import { mtAtPrice, sold, type CurveReserves } from "./curve.ts";
import { BPS, TOTAL_SUPPLY, type Allocation } from "./params.ts";

/** The allocation fields graduation reads; the treasury's bucket is the rest of the supply. */
export type GraduationAllocationTerms = Pick<
  Allocation,
  "saleBps" | "liquidityBps" | "incentivesBps" | "operatorBps" | "flockLiquidityBps" | "flockIncentivesBps"
>;

export interface GraduationInput {
  allocation: GraduationAllocationTerms;
  /** The offering's curve (virtual reserves). */
  curve: CurveReserves;
  /** Net FLOCK raised on the curve. */
  raised: bigint;
  /** Anti-snipe surcharge held for the offering; it joins the FLOCK incentives. */
  surcharge?: bigint;
  /** FLOCK a donation synced into the pair's reserves before graduation (it stands in for pool FLOCK). */
  synced?: bigint;
  /** The $MT's supply (Launchpad.TOTAL_SUPPLY). */
  supply?: bigint;
}

/** GraduationMath.allocate: Launchpad's GraduationResult without the vesting wallet's address. */
export interface GraduationAllocation {
  raised: bigint;
  sold: bigint;
  flockToPool: bigint;
  mtToPool: bigint;
  mtBurned: bigint;
  flockToHosting: bigint;
  flockToIncentives: bigint;
  mtToIncentives: bigint;
  mtToOperator: bigint;
  mtToTreasury: bigint;
}

/** An allocation bucket: ⌊supply·bps/10^4⌋. */
export function supplyBucket(bps: number, supply: bigint = TOTAL_SUPPLY): bigint {
  return (supply * BigInt(bps)) / BPS;
}

/**
 * FLOCK of the raise that goes into the pool (GraduationMath.poolFlock): a synced donation stands
 * in for the `planned` pool FLOCK, but the raise always adds at least half of it (rounded up).
 */
export function poolFlock(planned: bigint, synced: bigint): bigint {
  const half = planned / 2n;
  return planned - (synced < half ? synced : half);
}

/**
 * $MT that opens the pool holding `poolFlockTotal` FLOCK at the curve's price after `raised`, rounded
 * down, at most the liquidity bucket `mtAvailable` (GraduationMath.poolMt).
 */
export function poolMt(curve: CurveReserves, raised: bigint, poolFlockTotal: bigint, mtAvailable: bigint): bigint {
  const atPrice = mtAtPrice(curve, raised, poolFlockTotal);
  return atPrice < mtAvailable ? atPrice : mtAvailable;
}

/** Where a graduation sends the supply and the raised FLOCK (GraduationMath.allocate, to the wei). */
export function allocateGraduation(input: GraduationInput): GraduationAllocation {
  const { allocation: a, curve, raised } = input;
  const surcharge = input.surcharge ?? 0n;
  const synced = input.synced ?? 0n;
  const supply = input.supply ?? TOTAL_SUPPLY;
  if (raised < 0n || surcharge < 0n || synced < 0n) throw new RangeError("amounts must not be negative");
  const saleBucket = supplyBucket(a.saleBps, supply);
  const liquidityBucket = supplyBucket(a.liquidityBps, supply);
  const mtToIncentives = supplyBucket(a.incentivesBps, supply);
  const mtToOperator = supplyBucket(a.operatorBps, supply);
  const soldMt = sold(curve, raised);
  const flockIncentives = (raised * BigInt(a.flockIncentivesBps)) / BPS;
  const flockToPool = poolFlock((raised * BigInt(a.flockLiquidityBps)) / BPS, synced);
  const mtToPool = poolMt(curve, raised, flockToPool + synced, liquidityBucket);
  return {
    raised,
    sold: soldMt,
    flockToPool,
    mtToPool,
    mtBurned: saleBucket - soldMt + (liquidityBucket - mtToPool),
    flockToHosting: raised - flockToPool - flockIncentives,
    flockToIncentives: flockIncentives + surcharge,
    mtToIncentives,
    mtToOperator,
    mtToTreasury: supply - saleBucket - liquidityBucket - mtToIncentives - mtToOperator,
  };
}
