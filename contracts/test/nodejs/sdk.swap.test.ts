// The SDK mirrors the simulator runs on (packages/sdk/src/pool.ts, buyback.ts's local quote, vesting.ts)
// against the contracts on a local chain (deployLocal), seeded (the seed is printed, FOMO_SEED replays it):
// getAmountsOut equals the Uniswap V2 router's on both buyback pools at random states and amounts;
// quoteBuybackLocal equals BuybackExecutor.quote, refusing alike (a pool below its TWAP floor, an output
// below the TWAP value); linearlyVested equals IncentivePool's releasable; operatorVested equals the
// operator vesting wallet's vestedAmount at any time.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { getAddress, maxUint256, parseEventLogs, type Address } from "viem";
import {
  FLOCK, TWAP_WINDOW, buybackExecutorAbi, describeError, getAmountsOut, incentivePoolAbi, linearlyVested, localTokenAbi, operatorVested, quoteBuybackLocal,
  revertOf, twapOracleAbi, uniswapV2PairAbi, uniswapV2Router02Abi, updateTwap, type Clients, type Revert,
} from "@fomo/sdk";
import { rng, runSeed } from "@fomo/testkit";
import { setup, type Fixture } from "./fixtures.ts";

const SEED = runSeed(process.env.FOMO_SEED);

async function outcome<T>(fn: () => T | Promise<T>): Promise<{ value?: T; revert?: Revert; err?: unknown }> {
  try {
    return { value: await fn() };
  } catch (err) {
    return { revert: revertOf(err), err };
  }
}

describe(`SDK swap, buyback-quote and vesting mirrors equal the contracts (seed ${SEED})`, () => {
  let f: Fixture;
  let mt: Address;
  let r: ReturnType<typeof rng>;
  let usdcPair: Address;
  let mtPair: Address;
  const clients = (): Clients => ({ public: f.publicClient, wallet: f.deployer });

  before(async () => {
    f = await setup();
    r = rng(SEED);
    ({ mt } = await f.launch({ ticker: "SWAP" }));
    await f.wait(2n * 3_600n);
    await f.buy(f.alice, mt, 1_100_000n * FLOCK);
    await f.mined(f.launchpad.write.claim([mt, f.alice.account.address]));
    usdcPair = await f.factory.read.getPair([f.d.contracts.usdc, f.d.contracts.flock]);
    mtPair = await f.factory.read.getPair([f.d.contracts.flock, mt]);
    // Alice trades on both pools through the router: FLOCK and USDC to spend, $MT from her claim.
    const { usdc, flock, uniswapV2Router } = f.d.contracts;
    await f.mined(f.at(localTokenAbi, usdc).write.mint([f.alice.account.address, 10n ** 30n]));
    for (const token of [usdc, flock, mt]) await f.mined(f.at(localTokenAbi, token, f.alice).write.approve([uniswapV2Router, maxUint256]));
  });

  const reservesIn = async (pair: Address, tokenIn: Address) => {
    const p = f.pairOf(pair);
    const [[r0, r1], token0] = await Promise.all([p.read.getReserves(), p.read.token0()]);
    return getAddress(token0) === getAddress(tokenIn) ? { reserveIn: r0, reserveOut: r1 } : { reserveIn: r1, reserveOut: r0 };
  };
  const averagePrice = (pair: Address, tokenIn: Address) =>
    f.publicClient.readContract({ address: f.d.contracts.twapOracle, abi: twapOracleAbi, functionName: "averagePrice", args: [pair, tokenIn] });

  /** A random swap by alice on one of the pools, in either direction, up to a third of the input reserve. */
  async function randomTrade(): Promise<void> {
    const { usdc, flock, uniswapV2Router } = f.d.contracts;
    const [pair, a, b] = r.chance(0.5) ? [usdcPair, usdc, flock] : [mtPair, flock, mt];
    const [tokenIn, tokenOut] = r.chance(0.5) ? [a, b] : [b, a];
    const { reserveIn } = await reservesIn(pair, tokenIn);
    const amountIn = r.big(1n, reserveIn / 3n);
    const router = f.at(uniswapV2Router02Abi, uniswapV2Router, f.alice);
    await f.mined(router.write.swapExactTokensForTokens([amountIn, 0n, [tokenIn, tokenOut], f.alice.account.address, maxUint256]));
  }

  it("getAmountsOut equals the router's; quoteBuybackLocal equals BuybackExecutor.quote, refusals included", { timeout: 600_000 }, async () => {
    const { usdc, flock, uniswapV2Router, buybackExecutor } = f.d.contracts;
    const router = f.at(uniswapV2Router02Abi, uniswapV2Router);
    const counts = { value: 0, PriceOutOfBounds: 0, BelowTwapValue: 0 };
    for (let round = 0; round < 12; round++) {
      // Observe, let a window pass, then trade: the TWAP lags the spot by a random move.
      for (const pair of [usdcPair, mtPair]) await updateTwap(clients(), f.d, { pair });
      await f.wait(BigInt(TWAP_WINDOW) + 1n);
      if (round > 0) for (let k = r.int(0, 2); k > 0; k--) await randomTrade();
      const hopUsdc = await reservesIn(usdcPair, usdc);
      const hopMt = await reservesIn(mtPair, flock);
      const pools = [
        { ...hopUsdc, averagePrice: await averagePrice(usdcPair, usdc), pair: getAddress(usdcPair), tokenIn: getAddress(usdc) },
        { ...hopMt, averagePrice: await averagePrice(mtPair, flock), pair: getAddress(mtPair), tokenIn: getAddress(flock) },
      ];
      const { maxDeviationBps } = await f.publicClient.readContract({ address: buybackExecutor, abi: buybackExecutorAbi, functionName: "limits" }).then(
        ([, , dev]) => ({ maxDeviationBps: dev }),
      );
      for (let i = 0; i < 8; i++) {
        const amountIn = r.chance(0.5) ? r.big(1n, hopUsdc.reserveIn / 100n) : r.big(1n, hopUsdc.reserveIn);
        const path = [usdc, flock, mt];
        assert.deepEqual(getAmountsOut(amountIn, pools), await router.read.getAmountsOut([amountIn, path]), `getAmountsOut(${amountIn})`);
        const local = await outcome(() => quoteBuybackLocal(pools, amountIn, maxDeviationBps));
        const chain = await outcome(() => f.publicClient.readContract({ address: buybackExecutor, abi: buybackExecutorAbi, functionName: "quote", args: [path, amountIn] }));
        assert.equal(!!local.revert, !!chain.revert, `quote(${amountIn}): mirror ${local.revert ? describeError(local.err) : "quotes"}, chain ${chain.revert ? describeError(chain.err) : "quotes"}`);
        if (local.revert) {
          assert.deepEqual(local.revert, chain.revert);
          counts[local.revert.errorName.replace("BuybackExecutor", "") as "PriceOutOfBounds" | "BelowTwapValue"]++;
        } else {
          const [out, minOut] = chain.value!;
          assert.deepEqual({ out: local.value!.out, minOut: local.value!.minOut }, { out, minOut });
          counts.value++;
        }
      }
    }
    console.log(`[sdk.swap.test] seed ${SEED}: quotes ${JSON.stringify(counts)}`);
    assert.ok(counts.value > 0, "some quotes go through");
  });

  it("linearlyVested equals IncentivePool's releases; operatorVested equals the vesting wallet's vestedAmount", { timeout: 300_000 }, async () => {
    const wallet = await f.launchpad.read.operatorVestingOf([mt]);
    const vesting = f.vestingOf(wallet);
    // cliff() is a timestamp (start + the cliff's seconds); the mirror takes the seconds, as the allocation states them.
    const [start, duration, cliffAt, total] = await Promise.all([
      vesting.read.start(), vesting.read.duration(), vesting.read.cliff(), f.mtToken(mt).read.balanceOf([wallet]),
    ]);
    for (let i = 0; i < 40; i++) {
      const t = r.chance(0.5) ? start + r.big(0n, 400n * 86_400n) : cliffAt + BigInt(r.int(-2, 2));
      assert.equal(operatorVested(total, start, cliffAt - start, duration, t), await vesting.read.vestedAmount([mt, t]), `vestedAmount at start + ${t - start} s`);
    }
    // Each release pays what has vested by its block and was not paid before.
    for (let i = 0; i < 6; i++) {
      await f.wait(r.big(1n, 40n * 86_400n));
      const before = await f.incentivePool.read.stream([mt]);
      const receipt = await f.mined(f.incentivePool.write.release([mt]));
      const [released] = parseEventLogs({ abi: incentivePoolAbi, logs: receipt.logs, eventName: "Released" });
      const at = (await f.publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp;
      assert.equal(released!.args.mtAmount, linearlyVested(before.mtTotal, before.start, before.duration, at) - before.mtReleased);
      assert.equal(released!.args.flockAmount, linearlyVested(before.flockTotal, before.start, before.duration, at) - before.flockReleased);
    }
  });
});
