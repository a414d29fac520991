// End to end with a real chain of 60-s epochs (`fomo up --epoch-seconds 60`): receipts bound to the
// deployment's RevenueRouter and counted in the chain's epochs (its EpochClock), the epoch's usage
// tree posted as usageRoot by the SDK's reportRevenue, the root read back from chain, and a user's
// receipt proven against it with the proof the receipts endpoint hands out.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  decodeUsageReceipt, epochGraceMs, epochOf, epochWindowMs, getEpochClock, getReport, localTokenAbi, reportAmountsOf, reportRevenue, usageReceiptDomain, usdToTokenUnits,
  verifyUsageProof, verifyUsageReceipt, type EpochClock,
} from "@fomo/sdk";
import type { Address, Hex } from "viem";
import { epochUsage } from "../src/receipts/index.ts";
import { startChain, graduatedMt, type TestChain } from "@fomo/testkit/chain";
import { MODEL, startGateway, type TestGateway } from "./support/gateway.ts";
import { fundedKey, USD } from "@fomo/testkit/ledger";

describe("usage receipts committed on chain", () => {
  let chain: TestChain;
  let mt: Address;
  let gw: TestGateway;
  let clock: EpochClock;
  /** The epoch the usage is recorded in, and the gateway's clock once it is over and final. */
  const EPOCH = 2n;
  before(async () => {
    chain = await startChain({ epochSeconds: 60 });
    mt = await graduatedMt(chain, "RCPT");
    clock = await getEpochClock(chain.keeper.public, chain.d);
    assert.equal(clock.length, 60n);
    const { fromMs, toMs } = epochWindowMs(clock, EPOCH);
    gw = await startGateway({
      ledgerNow: () => fromMs + 1_000,
      now: () => toMs + epochGraceMs(clock),
      epochClock: clock,
      deployment: mt,
      domain: usageReceiptDomain(chain.d),
    });
  });
  after(async () => {
    await gw?.close();
    await chain?.close();
  });

  it("a receipt verifies against the router's domain and its proof against the usageRoot read from chain", async () => {
    const alice = await fundedKey(gw.ledger, USD);
    const bob = await fundedKey(gw.ledger, USD);
    const complete = (secret: string, id: string) =>
      gw.client(secret).completions.create({ model: MODEL, prompt: "Once upon a time", max_tokens: 8 }, { headers: { "x-request-id": id } }).withResponse();
    const { response } = await complete(alice.secret, "alice-1");
    for (const id of ["bob-1", "bob-2"]) await complete(bob.secret, id);
    await complete(alice.secret, "alice-2");

    const signed = decodeUsageReceipt(response.headers.get("x-fomo-receipt")!);
    assert.equal(signed.receipt.deployment, mt);
    assert.deepEqual(gw.signer.domain, { name: "FOMO Usage Receipt", version: "1", chainId: chain.d.chainId, verifyingContract: chain.d.contracts.revenueRouter });
    assert.ok(await verifyUsageReceipt(gw.signer.domain, signed, gw.signer.address));

    // The keeper's side: the epoch's tree of this $MT, its gross and hard cost, reported on chain.
    const epoch = epochOf(clock, signed.receipt.timestamp);
    assert.equal(epoch, EPOCH);
    const usage = (await epochUsage(gw.ledger, clock, epoch)).get(mt)!;
    assert.equal(usage.tree.receipts.length, 4);
    const keeper = chain.keeper;
    const mint = await keeper.wallet.writeContract({
      address: chain.d.contracts.usdc, abi: localTokenAbi, functionName: "mint", args: [keeper.wallet.account.address, usdToTokenUnits(1_000n, chain.d.usdcDecimals)],
    });
    await keeper.public.waitForTransactionReceipt({ hash: mint });
    // The ledger sums micro-USD; the chain takes the stablecoin's units (the SDK converts, exactly).
    const amounts = reportAmountsOf({ grossMicroUsd: usage.gross, hardCostMicroUsd: usage.hardCost }, chain.d.usdcDecimals);
    const { reported } = await reportRevenue(keeper, chain.d, { epoch, mt, ...amounts, usageRoot: usage.tree.root });
    assert.equal(reported.usageRoot, usage.tree.root);

    // The user's side: the root from chain, the proof from the gateway.
    const { usageRoot, gross } = await getReport(keeper.public, chain.d, { epoch, mt });
    assert.equal(gross, amounts.gross);
    const body = (await (await fetch(`${gw.baseURL}/receipts/alice-1`, { headers: { authorization: `Bearer ${alice.secret}` } })).json()) as {
      epoch: number; final: boolean; usage_root: Hex; proof: Hex[];
    };
    assert.deepEqual([body.epoch, body.final], [Number(epoch), true], "the receipt's epoch is the one reported");
    assert.equal(body.usage_root, usageRoot);
    assert.ok(verifyUsageProof(usageRoot, signed.receipt, body.proof));
    assert.equal(verifyUsageProof(usageRoot, { ...signed.receipt, outputTokens: signed.receipt.outputTokens + 1n }, body.proof), false);
  });
});
