// Uniswap V2's constant-product swap math (v2-periphery UniswapV2Library) in bigint, equal to the router
// the buybacks trade through to the wei: a 0.3% fee on the input, the output rounded down. The simulator
// and the web app price a swap's real impact on a pool with it; the buyback bounds (buyback.ts) check it.

/** The pair's fee: 3 of every 1,000 input units stay in the pool. */
const FEE_KEPT = 997n;
const FEE_BASE = 1_000n;

/** One pool of a swap path, from the input token's side. */
export interface PoolReserves {
  reserveIn: bigint;
  reserveOut: bigint;
}

/**
 * The output of swapping `amountIn` into a pool holding `reserveIn`/`reserveOut`
 * (UniswapV2Library.getAmountOut): ⌊amountIn·997·reserveOut / (reserveIn·1000 + amountIn·997)⌋.
 * Throws where the library reverts: a zero input, or an empty side.
 *
 * @example
 * getAmountOut(1_000n, 1_000_000n, 1_000_000n); // 996n: the fee and the price impact
 */
export function getAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  if (amountIn <= 0n) throw new RangeError("UniswapV2Library: INSUFFICIENT_INPUT_AMOUNT");
  if (reserveIn <= 0n || reserveOut <= 0n) throw new RangeError("UniswapV2Library: INSUFFICIENT_LIQUIDITY");
  const withFee = amountIn * FEE_KEPT;
  return (withFee * reserveOut) / (reserveIn * FEE_BASE + withFee);
}

/**
 * The amounts along a path of pools (UniswapV2Library.getAmountsOut): `amounts[0]` is `amountIn`, each
 * next one what the previous buys in the next pool, the last the path's output.
 *
 * @example
 * const [, flock, mt] = getAmountsOut(spend, [usdcFlockPool, flockMtPool]);
 */
export function getAmountsOut(amountIn: bigint, pools: readonly PoolReserves[]): bigint[] {
  const amounts = [amountIn];
  for (const pool of pools) amounts.push(getAmountOut(amounts.at(-1)!, pool.reserveIn, pool.reserveOut));
  return amounts;
}

/**
 * A pool's spot price of its input token in its output token, UQ112x112: `(reserveOut << 112) / reserveIn`,
 * the price a Uniswap V2 pair accumulates each second and BuybackExecutor compares with the TWAP.
 *
 * @example
 * spotPriceX112({ reserveIn: 2n, reserveOut: 1n }); // 2n ** 111n: half a unit out per unit in
 */
export function spotPriceX112({ reserveIn, reserveOut }: PoolReserves): bigint {
  if (reserveIn <= 0n) throw new RangeError("spot price of an empty pool");
  return (reserveOut << 112n) / reserveIn;
}
