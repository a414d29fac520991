// The economy end to end on the local chain with real Uniswap V2 pools:
// a graduated $MT earns inference revenue over three daily epochs. Each epoch the keeper reports
// gross, hard cost and the root of the usage receipts; buybacks burn $MT and FLOCK (supply falls by
// exactly what was bought); the incentive pool streams into the distributor; the keeper computes
// rewards from the day's usage and time-weighted stake read from MtStaking's checkpoints (product.md
// §5.2 in integer math) and posts a Merkle root; users claim with proofs. At the end every
// allotment is paid exactly, nothing exceeds funding, and the issuer's yield is exact to the token unit.
// It runs on a USDC of 6 decimals (Base) and of 18 (BSC): the gateway's micro-USD go on chain
// through the SDK's conversion (reportAmountsOf).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256, parseEventLogs, toHex, type Address, type Hex } from "viem";
import {
  BPS, FLOCK, LOCAL_REWARDS_CHALLENGE_DELAY, MT, buybackExecutorAbi, defaultBuybackLimits, defaultRevenueSplit,
  incentivePoolAbi, issuerBonus, reportAmountsOf, rewardScores, routeOf, shareOut, twapOracleAbi, type UserDay,
} from "@fomo/sdk";
import { DAY, HOUR, MINUTE } from "@fomo/testkit";
import { eventOf } from "@fomo/testkit/events";
import {
  checkpointsOf,
  createWorld,
  rewardTree,
  stakeSeconds,
  USDC_DECIMALS,
  type Graduated,
  type RewardLeaf,
} from "./engine-fixtures.ts";

const USAGE_LEAF = ["address", "uint256"];
/** Hard cost as a share of gross in this scenario (the gateway would report the real figure). */
const HARD_COST_BPS = 3_000n;

/** USD spent per user on the $MT's API, per epoch, in the gateway's micro-USD (odd amounts on purpose). */
const SPEND: Record<"alice" | "bob" | "carol", bigint>[] = [
  { alice: 120_500_000n, bob: 40_000_000n, carol: 80_000_001n },
  { alice: 100_000_000n, bob: 150_000_000n, carol: 10_000_007n },
  { alice: 50_000_000n, bob: 200_000_003n, carol: 90_000_000n },
];

for (const usdcDecimals of USDC_DECIMALS) {
  const w = await createWorld({ usdcDecimals });
  /** The keeper's report of an epoch: the ledger's micro-USD sums, in this USDC's units. */
  const epochReport = (spend: Record<string, bigint>) => {
    const grossMicroUsd = Object.values(spend).reduce((s, x) => s + x, 0n);
    return reportAmountsOf({ grossMicroUsd, hardCostMicroUsd: (grossMicroUsd * HARD_COST_BPS) / BPS }, usdcDecimals);
  };

  describe(`economy scenario: three epochs of revenue, buybacks and rewards (USDC of ${usdcDecimals} decimals)`, () => {
    it("routes revenue, burns exactly what buybacks bought, pays the issuer's yield and every reward exactly", async () => {
      const g: Graduated = await w.graduated();
      const { flock, usdc } = g.d.contracts;
      const mt = g.mt;
      const start = await g.c.schedule.read.start();
      const dayStart = (d: bigint) => start + d * DAY;
      const who = { alice: w.addr(w.alice), bob: w.addr(w.bob), carol: w.addr(w.carol), dave: w.addr(w.dave) };
      const issuer = w.addr(w.issuer);
      const stakers = Object.values(who);

      // ---- staking over the three days (dave buys his $MT on the DEX first and never uses the API)
      await w.swap(g.d, w.dave, [flock, mt], 100_000n * FLOCK);
      const stakeAt = async (ts: bigint, wallet: typeof w.alice, fn: "stake" | "unstake", amount: bigint) => {
        await w.nextAt(ts);
        await w.mined(g.as(wallet).staking.write[fn]([mt, amount]));
      };
      const t = (await w.now()) + 10n; // still day 0
      assert.equal(await g.c.schedule.read.dayOf([t]), 0n);
      await stakeAt(t, w.alice, "stake", 5_000n * MT);
      await stakeAt(t + 60n, w.bob, "stake", 20_000n * MT);
      await stakeAt(t + 120n, w.dave, "stake", 10_000n * MT);
      // Later changes, planned by timestamp (run in order as the days go by).
      const plan: [bigint, typeof w.alice, "stake" | "unstake", bigint][] = [
        [dayStart(1n) + 12n * HOUR, w.bob, "stake", 10_000n * MT],
        [dayStart(1n) + 23n * HOUR, w.carol, "stake", 2_000n * MT], // a late-day stake weighs 1/24 of the day
        [dayStart(2n) + 6n * HOUR, w.alice, "unstake", 5_000n * MT],
      ];

      /** Runs a buyback an interval apart until its budget is spent; each burns exactly what it bought. */
      const spendAll = async (token: { read: { totalSupply: () => Promise<bigint> } }, execute: () => Promise<Hex>, budget: () => Promise<bigint>) => {
        let [spent, bought] = [0n, 0n];
        for (let round = 0; (await budget()) > 0n; round++) {
          if (round > 0) await w.wait(BigInt(defaultBuybackLimits(usdcDecimals).interval));
          const supply = await token.read.totalSupply();
          const b = eventOf(buybackExecutorAbi, await w.mined(execute()), "BuybackExecuted").args;
          assert.equal(await token.read.totalSupply(), supply - b.bought);
          [spent, bought] = [spent + b.spent, bought + b.bought];
        }
        return { spent, bought };
      };

      // ---- what the scenario accumulates
      const mtSupply0 = await g.c.mt(mt).read.totalSupply();
      const flockSupply0 = await g.c.flock.read.totalSupply();
      let mtBurned = 0n;
      let flockBurned = 0n;
      let yieldExpected = 0n;
      let grossTotal = 0n;
      let released = { mt: 0n, flock: 0n };
      let incentiveAllotted = { mt: 0n, flock: 0n };
      const cumulative = new Map<string, RewardLeaf>(); // `${account}/${token}` -> leaf
      const credit = (account: Address, token: Address, amount: bigint) => {
        if (amount === 0n) return;
        const key = `${account}/${token}`;
        const leaf = cumulative.get(key) ?? { account, token, cumulative: 0n };
        cumulative.set(key, { ...leaf, cumulative: leaf.cumulative + amount });
      };
      const hosting0 = await w.balanceOf(usdc, w.hostingReserve);
      const treasury0 = await w.balanceOf(usdc, w.treasury);
      let tree: ReturnType<typeof rewardTree> | undefined;

      for (let e = 0n; e < 3n; e++) {
        // The day runs: its planned stake changes happen.
        while (plan.length && plan[0]![0] < dayStart(e + 1n)) {
          const [ts, wallet, fn, amount] = plan.shift()!;
          await stakeAt(ts, wallet, fn, amount);
        }
        // The next morning the keeper settles epoch e.
        await w.jumpTo(dayStart(e + 1n) + HOUR);
        const spend = SPEND[Number(e)]!;

        // 1. Revenue: gross = the day's receipts; their Merkle root is the usage root.
        const receipts = (["alice", "bob", "carol"] as const).map((n) => [who[n], spend[n].toString()]);
        const usage = StandardMerkleTree.of(receipts, USAGE_LEAF);
        const { gross, hardCost } = epochReport(spend);
        const routed = routeOf(gross, hardCost, defaultRevenueSplit);
        await w.mined(g.c.revenueRouter.write.reportRevenue([e, mt, gross, hardCost, usage.root as Hex]));
        const report = await g.c.revenueRouter.read.reportOf([e, mt]);
        assert.equal(report.usageRoot, usage.root);
        // Anyone can prove a receipt was counted.
        assert.ok(StandardMerkleTree.verify(report.usageRoot, USAGE_LEAF, receipts[1]!, usage.getProof(1)));
        yieldExpected += routed.issuerYield;
        grossTotal += gross;

        // 2. Buybacks: fresh TWAP observations (each records: the last is a day old), a full window,
        // then anyone executes, an interval apart until the epoch's budget is spent (each buyback
        // adds at most 0.20% of a pool); supply falls by what was bought.
        for (const pair of [g.mtPair, g.flockUsdcPair]) {
          eventOf(twapOracleAbi, await w.mined(g.c.oracle.write.update([pair])), "Updated");
        }
        await w.wait(31n * MINUTE);
        const b1 = await spendAll(g.c.mt(mt), () => g.as(w.carol).executor.write.executeMtBuyback([mt]), () => g.c.executor.read.mtBudget([mt]));
        assert.equal(b1.spent, routed.mtBuyback, "the whole $MT budget");
        mtBurned += b1.bought;
        const b2 = await spendAll(g.c.flock, () => g.as(w.carol).executor.write.executeFlockBuyback(), () => g.c.executor.read.flockBudget());
        assert.equal(b2.spent, routed.flockBuyback);
        flockBurned += b2.bought;

        // 3. The incentive pool streams what vested into the distributor.
        const rel = eventOf(incentivePoolAbi, await w.mined(g.c.incentivePool.write.release([mt])), "Released").args;
        released = { mt: released.mt + rel.mtAmount, flock: released.flock + rel.flockAmount };

        // 4. Rewards of epoch e from chain data: usage and the day's time-weighted stake.
        const from = dayStart(e);
        const to = dayStart(e + 1n);
        const days: UserDay[] = [];
        for (const account of stakers) {
          const name = (Object.keys(who) as (keyof typeof who)[]).find((n) => who[n] === account)!;
          const cps = await checkpointsOf(g.c, mt, account);
          days.push({ account, spend: name === "dave" ? 0n : spend[name], stake: stakeSeconds(cps, from, to) });
        }
        const s = rewardScores(days);
        const emission = await g.c.schedule.read.emission([e]);
        const bonus = issuerBonus(emission); // the issuer's 10% of its $MT's share (the only $MT with usage)
        credit(issuer, flock, bonus);
        const globalShares = shareOut(emission - bonus, s.map((x) => x.global));
        // Incentive pools: everything released and not yet allotted (dust carries over).
        const pool = { mt: released.mt - incentiveAllotted.mt, flock: released.flock - incentiveAllotted.flock };
        const mtShares = shareOut(pool.mt, s.map((x) => x.incentive));
        const flockShares = shareOut(pool.flock, s.map((x) => x.incentive));
        s.forEach((x, i) => {
          credit(x.account, flock, globalShares[i]! + flockShares[i]!);
          credit(x.account, mt, mtShares[i]!);
        });
        incentiveAllotted = {
          mt: incentiveAllotted.mt + mtShares.reduce((a, b) => a + b, 0n),
          flock: incentiveAllotted.flock + flockShares.reduce((a, b) => a + b, 0n),
        };
        const dave = s.find((x) => x.account === who.dave)!;
        assert.ok(dave.stake > 0n && dave.global === 0n && dave.incentive === 0n, "staking without usage earns nothing");

        // 5. The root: cumulative leaves, totals per token, the schedule's cumulative emission.
        const leaves = [...cumulative.values()];
        tree = rewardTree(leaves);
        const total = (token: Address) => leaves.filter((l) => l.token === token).reduce((a, l) => a + l.cumulative, 0n);
        const emissionTotal = await g.c.schedule.read.cumulative([e]);
        const funded = { flock: emissionTotal + released.flock, mt: released.mt };
        assert.ok(total(flock) <= funded.flock && total(mt) <= funded.mt, "the keeper allots no more than was funded");
        const contentHash = keccak256(toHex(JSON.stringify({ epoch: e, spend, days }, (_, v) => (typeof v === "bigint" ? v.toString() : v))));
        await w.mined(g.c.distributor.write.postRoot([e, tree.root, contentHash, emissionTotal, [flock, mt], [total(flock), total(mt)]]));
        await w.wait(BigInt(LOCAL_REWARDS_CHALLENGE_DELAY)); // claims use a root once its challenge delay is over
        assert.equal(await g.c.distributor.read.allotted([flock]), total(flock));
        assert.equal(await g.c.distributor.read.allotted([mt]), total(mt));

        // Alice claims after epoch 1, so her final claim pays only the difference.
        if (e === 1n) {
          for (const token of [flock, mt]) {
            const p = tree.proof(who.alice, token);
            await w.mined(g.as(w.alice).distributor.write.claim([who.alice, token, p.cumulative, p.proof]));
          }
        }
      }
      assert.equal(plan.length, 0);

      // ---- everyone claims (the keeper sends some on the users' behalf); each gets exactly its cumulative.
      const finalTree = tree!;
      const leaves = [...cumulative.values()];
      assert.ok(!leaves.some((l) => l.account === who.dave), "dave never earned anything");
      const paid = { flock: 0n, mt: 0n };
      for (const leaf of leaves) {
        const before = await g.c.distributor.read.claimed([leaf.account, leaf.token]);
        const balance = await w.balanceOf(leaf.token, leaf.account);
        const p = finalTree.proof(leaf.account, leaf.token);
        const sender = leaf.account === who.bob ? w.deployer : w.carol;
        const r = await w.mined(g.as(sender).distributor.write.claim([leaf.account, leaf.token, p.cumulative, p.proof]));
        const [ev] = parseEventLogs({ abi: g.c.distributor.abi, logs: r.logs, eventName: "Claimed" });
        assert.equal(ev!.args.amount, leaf.cumulative - before);
        assert.equal(await w.balanceOf(leaf.token, leaf.account), balance + leaf.cumulative - before);
        assert.equal(await g.c.distributor.read.claimed([leaf.account, leaf.token]), leaf.cumulative);
        if (leaf.token === flock) paid.flock += leaf.cumulative;
        else paid.mt += leaf.cumulative;
      }
      // Totals paid equal the allotments; what remains is funding never allotted (rounding dust, emission dust).
      const emitted = await g.c.distributor.read.emitted();
      assert.equal(emitted, await g.c.schedule.read.cumulative([2n]));
      assert.equal(await g.c.distributor.read.totalClaimed([flock]), paid.flock);
      assert.equal(await g.c.distributor.read.totalClaimed([mt]), paid.mt);
      assert.equal(await g.c.distributor.read.allotted([flock]), paid.flock);
      assert.equal(await g.c.distributor.read.allotted([mt]), paid.mt);
      assert.equal(await w.balanceOf(flock, g.d.contracts.rewardsDistributor), emitted + released.flock - paid.flock);
      assert.equal(await w.balanceOf(mt, g.d.contracts.rewardsDistributor), released.mt - paid.mt);
      assert.ok(paid.flock * 1_000n >= (emitted + released.flock) * 999n, "at most 0.1% of the FLOCK funded is left as dust");

      // ---- supply fell by exactly the burned amounts
      assert.ok(mtBurned > 0n && flockBurned > 0n);
      assert.equal(await g.c.mt(mt).read.totalSupply(), mtSupply0 - mtBurned);
      assert.equal(await g.c.flock.read.totalSupply(), flockSupply0 - flockBurned);

      // ---- the issuer's yield, exact to the token unit; USDC is conserved across all recipients
      assert.equal(await g.c.revenueRouter.read.yieldOwed([mt]), yieldExpected);
      const issuer0 = await w.balanceOf(usdc, issuer);
      await w.mined(g.as(w.issuer).revenueRouter.write.claimYield([mt]));
      assert.equal(await w.balanceOf(usdc, issuer), issuer0 + yieldExpected);
      const hosting = (await w.balanceOf(usdc, w.hostingReserve)) - hosting0;
      const treasury = (await w.balanceOf(usdc, w.treasury)) - treasury0;
      assert.equal(await g.c.executor.read.budgeted(), 0n, "every budget was spent");
      assert.equal(await w.balanceOf(usdc, g.d.contracts.buybackExecutor), 0n);
      assert.equal(await w.balanceOf(usdc, g.d.contracts.revenueRouter), 0n);
      const buybacks = SPEND.reduce((a, sp) => {
        const { gross, hardCost } = epochReport(sp);
        const r = routeOf(gross, hardCost, defaultRevenueSplit);
        return a + r.mtBuyback + r.flockBuyback;
      }, 0n);
      assert.equal(hosting + treasury + yieldExpected + buybacks, grossTotal, "gross = hosting + treasury + yield + buybacks");
    });
  });
}
