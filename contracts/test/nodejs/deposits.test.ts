// CreditDeposits: USDC top-ups for API accounts from any wallet (the indexer reads Deposited), and
// only the treasury role sweeps the USDC, only to the settlement wallet. On a USDC of 6 decimals
// (Base) and of 18 (BSC).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keccak256, toHex, zeroAddress } from "viem";
import { creditDepositsAbi, creditsOfDeposit } from "@fomo/sdk";
import { eventOf } from "@fomo/testkit/events";
import { reverts } from "@fomo/testkit/reverts";
import { USDC_DECIMALS, createWorld } from "./engine-fixtures.ts";

const account = (name: string) => keccak256(toHex(name));

for (const usdcDecimals of USDC_DECIMALS) {
  const w = await createWorld({ usdcDecimals });
  /** One USDC in this world's units (10^usdcDecimals). */
  const USDC = w.usd;

  describe(`CreditDeposits (USDC of ${usdcDecimals} decimals)`, () => {
    it("deposits from any wallet for any account, with consecutive ids", async () => {
      const { c, d, as } = await w.deployed();
      const alice0 = await w.balanceOf(d.contracts.usdc, w.addr(w.alice));
      const r0 = await w.mined(as(w.alice).deposits.write.deposit([account("acct-1"), 25n * USDC]));
      assert.deepEqual(eventOf(creditDepositsAbi, r0, "Deposited").args, {
        depositId: 0n, accountId: account("acct-1"), from: w.addr(w.alice), amount: 25n * USDC,
      });
      // Someone else tops up the same account; and alice tops up another one.
      const r1 = await w.mined(as(w.bob).deposits.write.deposit([account("acct-1"), 1n]));
      assert.deepEqual(eventOf(creditDepositsAbi, r1, "Deposited").args, {
        depositId: 1n, accountId: account("acct-1"), from: w.addr(w.bob), amount: 1n,
      });
      await w.mined(as(w.alice).deposits.write.deposit([account("acct-2"), 3n * USDC]));
      assert.equal(await c.deposits.read.depositCount(), 3n);
      assert.equal(await w.balanceOf(d.contracts.usdc, d.contracts.creditDeposits), 28n * USDC + 1n);
      assert.equal(await w.balanceOf(d.contracts.usdc, w.addr(w.alice)), alice0 - 28n * USDC);
    });

    it("refuses zero amounts, the zero account, and deposits without allowance or balance", async () => {
      const { c, d, as } = await w.deployed();
      const dep = as(w.alice).deposits;
      await reverts(dep.write.deposit([account("a"), 0n]), "CreditDepositsZeroAmount");
      await reverts(dep.write.deposit([`0x${"00".repeat(32)}`, 1n]), "CreditDepositsInvalidAccount");
      // The treasury wallet holds no USDC and approved nothing.
      await reverts(as(w.treasuryW).deposits.write.deposit([account("a"), 1n]), "ERC20InsufficientAllowance", [
        d.contracts.creditDeposits, 0n, 1n,
      ]);
      await reverts(dep.write.deposit([account("a"), 2_000_000n * USDC]), "ERC20InsufficientBalance");
      assert.equal(await c.deposits.read.depositCount(), 0n, "no id consumed by a failure");
    });

    it("only the treasury role sweeps, and only to the settlement wallet", async () => {
      const { c, d, as } = await w.deployed();
      await w.mined(as(w.alice).deposits.write.deposit([account("a"), 100n * USDC]));
      const role = await c.deposits.read.TREASURY_ROLE();
      // The deployer is admin but not treasury; alice is nothing.
      await reverts(c.deposits.write.sweep([1n]), "AccessControlUnauthorizedAccount", [w.addr(w.deployer), role]);
      await reverts(as(w.alice).deposits.write.sweep([1n]), "AccessControlUnauthorizedAccount", [w.addr(w.alice), role]);

      const t = as(w.treasuryW).deposits; // the treasury (TREASURY_ROLE from deployLocal)
      assert.equal(await c.deposits.read.settlementWallet(), w.treasury);
      await reverts(t.write.sweep([0n]), "CreditDepositsZeroAmount");
      await reverts(t.write.sweep([100n * USDC + 1n]), "ERC20InsufficientBalance", [d.contracts.creditDeposits, 100n * USDC, 100n * USDC + 1n]);
      const before = await w.balanceOf(d.contracts.usdc, w.treasury);
      const r = await w.mined(t.write.sweep([40n * USDC]));
      assert.deepEqual(eventOf(creditDepositsAbi, r, "Swept").args, { to: w.treasury, amount: 40n * USDC });
      assert.equal(await w.balanceOf(d.contracts.usdc, w.treasury), before + 40n * USDC);

      // Governance changes the settlement wallet; sweeps follow it.
      await reverts(as(w.alice).deposits.write.setSettlementWallet([w.addr(w.carol)]), "AccessControlUnauthorizedAccount");
      await reverts(c.deposits.write.setSettlementWallet([zeroAddress]), "CreditDepositsInvalidParameter", ["settlementWallet"]);
      const set = await w.mined(c.deposits.write.setSettlementWallet([w.addr(w.carol)]));
      assert.deepEqual(eventOf(creditDepositsAbi, set, "SettlementWalletUpdated").args, { oldWallet: w.treasury, newWallet: w.addr(w.carol) });
      const carol0 = await w.balanceOf(d.contracts.usdc, w.addr(w.carol));
      await w.mined(t.write.sweep([60n * USDC]));
      assert.equal(await w.balanceOf(d.contracts.usdc, w.addr(w.carol)), carol0 + 60n * USDC);
      assert.equal(await w.balanceOf(d.contracts.usdc, d.contracts.creditDeposits), 0n);
    });

    it("reads its unit from the token, and a deposit credits its micro-USD rounded down (creditsOfDeposit)", async () => {
      const { c, d, as } = await w.deployed();
      assert.equal(d.usdcDecimals, usdcDecimals, "the deployments carry the token's decimals");
      assert.equal(await c.deposits.read.usdcUnit(), 10n ** BigInt(usdcDecimals));
      const r = await w.mined(as(w.alice).deposits.write.deposit([account("acct-1"), 25n * USDC + 1n]));
      const { amount } = eventOf(creditDepositsAbi, r, "Deposited").args;
      // 25 USD and one token unit: with 6 decimals that unit is a micro-USD; with 18 it is 10^-12 of
      // one, dust the indexer never credits.
      assert.equal(creditsOfDeposit(amount, d.usdcDecimals), usdcDecimals === 6 ? 25_000_001n : 25_000_000n);
    });

    it("refuses a zero settlement wallet at deployment", async () => {
      const { d } = await w.deployed();
      await reverts(w.deploy("CreditDeposits", creditDepositsAbi, [d.contracts.usdc, zeroAddress, w.addr(w.deployer)]),
        "CreditDepositsInvalidParameter", ["settlementWallet"]);
    });
  });
}
