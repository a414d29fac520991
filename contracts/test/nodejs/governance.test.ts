// Governance with deployLocal({ timelockDelay }): every admin role (and the catalog role) sits with
// an OpenZeppelin TimelockController; the deployer keeps only its operator roles (keeper, pauser,
// proposer/executor of the timelock). Parameter changes go through schedule + execute after the
// delay. The pauser stops launches and buys; refunds, claims, graduation, unstaking, reward claims
// and issuer yield go on.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, keccak256, parseEventLogs, toHex, zeroHash, type Address, type Hex } from "viem";
import {
  FLOCK,
  MT,
  defaultCatalog,
  launchpadAbi,
  revenueRouterAbi,
  templateRegistryAbi,
} from "@fomo/sdk";
import { DAY, HOUR } from "@fomo/testkit";
import { reverts } from "@fomo/testkit/reverts";
import { createWorld, rewardTree, type Graduated } from "./engine-fixtures.ts";

const DELAY = 3_600n;
const w = await createWorld({ timelockDelay: Number(DELAY) });
/** One USDC in the world's units. */
const USDC = w.usd;
const salt = (s: string) => keccak256(toHex(s));

/** The timelock handle (the fixture deployed one). */
const timelockOf = (g: Graduated) => {
  assert.ok(g.c.timelock, "deployLocal returned a timelock");
  return g.c.timelock;
};

/** A new split inside the bounds. */
const NEW_SPLIT = { mtBuybackBps: 6_000, issuerYieldBps: 1_500, flockBuybackBps: 1_000, treasuryBps: 1_500 };

describe("governance (timelocked)", () => {
  it("the deployer holds no admin role; the timelock holds them all", async () => {
    const g = await w.graduated();
    const tl = timelockOf(g);
    const me = w.addr(w.deployer);
    assert.equal(g.d.roles.admin, tl.address);
    const admin = zeroHash; // DEFAULT_ADMIN_ROLE
    const governed: [string, { read: { hasRole: (a: readonly [Hex, Address]) => Promise<boolean> } }][] = [
      ["TemplateRegistry", g.c.registry], ["Launchpad", g.c.launchpad], ["IncentivePool", g.c.incentivePool],
      ["BuybackExecutor", g.c.executor], ["RevenueRouter", g.c.revenueRouter], ["CreditDeposits", g.c.deposits],
      ["RewardsDistributor", g.c.distributor],
    ];
    for (const [name, contract] of governed) {
      assert.equal(await contract.read.hasRole([admin, me]), false, `${name}: deployer is not admin`);
      assert.equal(await contract.read.hasRole([admin, tl.address]), true, `${name}: timelock is admin`);
    }
    const catalog = await g.c.registry.read.CATALOG_ROLE();
    assert.equal(await g.c.registry.read.hasRole([catalog, me]), false);
    assert.equal(await g.c.registry.read.hasRole([catalog, tl.address]), true);
    // Operator roles stay with the operator.
    assert.equal(await g.c.revenueRouter.read.hasRole([await g.c.revenueRouter.read.KEEPER_ROLE(), me]), true);
    assert.equal(await g.c.distributor.read.hasRole([await g.c.distributor.read.KEEPER_ROLE(), me]), true);
    assert.equal(await g.c.launchpad.read.hasRole([await g.c.launchpad.read.PAUSER_ROLE(), me]), true);
    // The reward roots' veto is governance's: the timelock, not the keeper who posts them.
    const guardian = await g.c.distributor.read.GUARDIAN_ROLE();
    assert.deepEqual([await g.c.distributor.read.hasRole([guardian, tl.address]), await g.c.distributor.read.hasRole([guardian, me])], [true, false]);
    // The timelock governs itself: the deployer proposes and executes but cannot change its rules.
    assert.equal(await tl.read.getMinDelay(), DELAY);
    assert.equal(await tl.read.hasRole([await tl.read.PROPOSER_ROLE(), me]), true);
    assert.equal(await tl.read.hasRole([await tl.read.EXECUTOR_ROLE(), me]), true);
    assert.equal(await tl.read.hasRole([admin, me]), false);
    assert.equal(await tl.read.hasRole([admin, tl.address]), true);

    // Direct parameter changes are refused.
    await reverts(g.c.revenueRouter.write.setSplit([NEW_SPLIT]), "AccessControlUnauthorizedAccount", [me, admin]);
    await reverts(g.c.launchpad.write.setLaunchFee([0n]), "AccessControlUnauthorizedAccount", [me, admin]);
    await reverts(g.c.executor.write.setLimits([{ maxSpendPerInterval: 1n, interval: 60, maxDeviationBps: 62, maxPoolShareBps: 1 }]),
      "AccessControlUnauthorizedAccount", [me, admin]);
    const t = defaultCatalog[0]!;
    await reverts(g.c.registry.write.updateTemplate([0, t.sale, t.allocation, t.pricing]), "AccessControlUnauthorizedAccount", [me, catalog]);
    await reverts(g.c.revenueRouter.write.grantRole([admin, me]), "AccessControlUnauthorizedAccount", [me, admin]);
  });

  it("RevenueRouter.setSplit goes through schedule + execute, not before the delay", async () => {
    const g = await w.graduated();
    const tl = timelockOf(g);
    const target = g.d.contracts.revenueRouter;
    const data = encodeFunctionData({ abi: revenueRouterAbi, functionName: "setSplit", args: [NEW_SPLIT] });
    const id = await tl.read.hashOperation([target, 0n, data, zeroHash, salt("split")]);

    await reverts(g.as(w.alice).timelock!.write.schedule([target, 0n, data, zeroHash, salt("split"), DELAY]),
      "AccessControlUnauthorizedAccount", [w.addr(w.alice), await tl.read.PROPOSER_ROLE()]);
    await reverts(tl.write.schedule([target, 0n, data, zeroHash, salt("split"), DELAY - 1n]), "TimelockInsufficientDelay", [DELAY - 1n, DELAY]);
    const t0 = (await w.now()) + 1n;
    await w.nextAt(t0);
    await w.mined(tl.write.schedule([target, 0n, data, zeroHash, salt("split"), DELAY]));
    assert.equal(await tl.read.getTimestamp([id]), t0 + DELAY);

    // Not executable before the delay has passed, to the second.
    await w.nextAt(t0 + DELAY - 1n);
    const r = await reverts(tl.write.execute([target, 0n, data, zeroHash, salt("split")]), "TimelockUnexpectedOperationState");
    assert.equal(r.args[0], id);
    assert.deepEqual(await g.c.revenueRouter.read.split(), [5_000, 2_000, 1_500, 1_500]);

    await w.nextAt(t0 + DELAY);
    await reverts(g.as(w.alice).timelock!.write.execute([target, 0n, data, zeroHash, salt("split")]),
      "AccessControlUnauthorizedAccount", [w.addr(w.alice), await tl.read.EXECUTOR_ROLE()]);
    await w.mined(tl.write.execute([target, 0n, data, zeroHash, salt("split")]));
    assert.deepEqual(await g.c.revenueRouter.read.split(), [6_000, 1_500, 1_000, 1_500]);
    assert.equal(await tl.read.isOperationDone([id]), true);
    await reverts(tl.write.execute([target, 0n, data, zeroHash, salt("split")]), "TimelockUnexpectedOperationState");
  });

  it("a batch (Launchpad.setLaunchFee + TemplateRegistry.updateTemplate) executes after the delay; hard bounds still apply", async () => {
    const g = await w.graduated();
    const tl = timelockOf(g);
    const t = defaultCatalog[0]!;
    const newSale = { ...t.sale, raiseMin: 300_000n * FLOCK };
    const targets = [g.d.contracts.launchpad, g.d.contracts.templateRegistry];
    const payloads = [
      encodeFunctionData({ abi: launchpadAbi, functionName: "setLaunchFee", args: [1_000n * FLOCK] }),
      encodeFunctionData({ abi: templateRegistryAbi, functionName: "updateTemplate", args: [0, newSale, t.allocation, t.pricing] }),
    ];
    const termsBefore = await g.c.registry.read.termsCount();
    await w.mined(tl.write.scheduleBatch([targets, [0n, 0n], payloads, zeroHash, salt("batch"), DELAY]));
    await reverts(tl.write.executeBatch([targets, [0n, 0n], payloads, zeroHash, salt("batch")]), "TimelockUnexpectedOperationState");
    await w.wait(DELAY);
    await w.mined(tl.write.executeBatch([targets, [0n, 0n], payloads, zeroHash, salt("batch")]));
    assert.equal(await g.c.launchpad.read.launchFee(), 1_000n * FLOCK);
    assert.equal(await g.c.registry.read.termsCount(), termsBefore + 1n);
    const tpl = await g.c.registry.read.template([0]);
    assert.equal(BigInt(tpl.termsId), termsBefore, "template 0 now points at the new terms");
    assert.equal((await g.c.registry.read.terms([tpl.termsId])).sale.raiseMin, 300_000n * FLOCK);

    // A change outside the bounds passes the delay and still fails on the contract's check.
    const bad = encodeFunctionData({ abi: revenueRouterAbi, functionName: "setSplit", args: [{ ...NEW_SPLIT, treasuryBps: 1_501 }] });
    await w.mined(tl.write.schedule([g.d.contracts.revenueRouter, 0n, bad, zeroHash, salt("bad"), DELAY]));
    await w.wait(DELAY);
    await reverts(tl.write.execute([g.d.contracts.revenueRouter, 0n, bad, zeroHash, salt("bad")]), "RevenueRouterInvalidParameter", ["split"]);
  });

  it("the pauser stops launches and buys; refunds, claims, graduation, unstaking, reward claims and yield go on", async () => {
    const g = await w.graduated();
    const lp = g.c.launchpad;
    const { flock } = g.d.contracts;
    const deadline = async () => (await w.now()) + HOUR;
    const launchArgs = async (ticker: string) => ({
      templateId: 0, name: ticker, ticker, metadataURI: "ipfs://x", firstBuy: 0n, minMtOut: 0n, deadline: await deadline(),
    });
    // Before the pause: a raise that will fail (carol), one that will succeed (alice, in g.raising), a stake, revenue, a root.
    const r = await w.mined(g.as(w.issuer).launchpad.write.launch([await launchArgs("FAIL")]));
    const failing = parseEventLogs({ abi: launchpadAbi, logs: r.logs, eventName: "Launched" })[0]!.args.mt;
    await w.wait(2n * HOUR);
    await w.mined(g.as(w.carol).launchpad.write.buy([failing, 10_000n * FLOCK, 0n, await deadline()]));
    await w.mined(g.as(w.alice).launchpad.write.buy([g.raising, 250_000n * FLOCK, 0n, await deadline()]));
    await w.mined(g.as(w.bob).staking.write.stake([g.mt, 1_000n * MT]));
    await w.mined(g.c.revenueRouter.write.reportRevenue([0n, g.mt, 100n * USDC, 0n, salt("usage")]));
    const tree = rewardTree([{ account: w.addr(w.dave), token: flock, cumulative: 5n * FLOCK }]);
    await w.mined(g.c.distributor.write.postRoot([0n, tree.root, salt("inputs"), 5n * FLOCK, [flock], [5n * FLOCK]]));

    // Both raises close before the pause (a pause would stop their clocks): one failed, one succeeded.
    await w.wait(8n * DAY);
    await reverts(g.as(w.alice).launchpad.write.pause(), "AccessControlUnauthorizedAccount", [w.addr(w.alice), await lp.read.PAUSER_ROLE()]);
    await w.mined(lp.write.pause());
    await reverts(g.as(w.issuer).launchpad.write.launch([await launchArgs("NOPE")]), "EnforcedPause");
    await reverts(g.as(w.alice).launchpad.write.buy([g.raising, FLOCK, 0n, await deadline()]), "EnforcedPause");
    assert.equal(await lp.read.stateOf([failing]), 3);
    const carol0 = await w.balanceOf(flock, w.addr(w.carol));
    const position = await lp.read.positionOf([failing, w.addr(w.carol)]);
    await w.mined(g.as(w.dave).launchpad.write.refund([failing, w.addr(w.carol)]));
    assert.equal(await w.balanceOf(flock, w.addr(w.carol)), carol0 + position.flock, "refund while paused");
    await w.mined(g.as(w.dave).launchpad.write.graduate([g.raising]));
    const bought = (await lp.read.positionOf([g.raising, w.addr(w.alice)])).mt;
    await w.mined(g.as(w.dave).launchpad.write.claim([g.raising, w.addr(w.alice)]));
    assert.equal(await w.balanceOf(g.raising, w.addr(w.alice)), bought, "claim while paused");

    await w.mined(g.as(w.bob).staking.write.unstake([g.mt, 1_000n * MT]));
    await w.wait(7n * DAY);
    const bob0 = await w.balanceOf(g.mt, w.addr(w.bob));
    await w.mined(g.as(w.bob).staking.write.withdraw([g.mt]));
    assert.equal(await w.balanceOf(g.mt, w.addr(w.bob)), bob0 + 1_000n * MT, "unstake and withdraw while paused");

    const { cumulative, proof } = tree.proof(w.addr(w.dave), flock);
    await w.mined(g.c.distributor.write.claim([w.addr(w.dave), flock, cumulative, proof]));
    const issuer0 = await w.balanceOf(g.d.contracts.usdc, w.addr(w.issuer));
    await w.mined(g.as(w.issuer).revenueRouter.write.claimYield([g.mt]));
    assert.equal(await w.balanceOf(g.d.contracts.usdc, w.addr(w.issuer)), issuer0 + 20n * USDC, "20% of 100 USDC");

    await w.mined(lp.write.unpause());
    await w.mined(g.as(w.issuer).launchpad.write.launch([await launchArgs("AGAIN")]));
  });
});
