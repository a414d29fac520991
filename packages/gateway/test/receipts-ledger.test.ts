// Receipts in the ledger, on SQLite and PostgreSQL: settle's seal signs exactly the record it writes,
// in the same transaction; a seal that fails leaves the charge standing; a hold replaced while its
// record was being signed is settled from the new hold, never with the old record; epochs are UTC days.
import assert from "node:assert/strict";
import { it } from "node:test";
import { priceRequest, usageReceiptDomain, UTC_DAYS, verifyUsageReceipt } from "@fomo/sdk";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { Ledger, type UsageRecord } from "@fomo/ledger";
import { ReceiptSigner, usageReceiptOf } from "../src/receipts/index.ts";
import { assertBooksBalance } from "@fomo/testkit/books";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { TEST_PRICING } from "@fomo/testkit/pricing";
import { USD, fundedKey, reserveOn } from "@fomo/testkit/ledger";

const usage = { inputTokens: 40n, outputTokens: 9n, source: "tokenizer" as const };
/** A UTC day in ms: the epochs of ledger.usage.listEpoch. */
const EPOCH_MS = Number(UTC_DAYS.length) * 1_000;

describeEachDatabase("receipts in the ledger", (suite) => {
  let clock = 20_000 * EPOCH_MS + 5_000;
  const open = async () => new Ledger(await suite.shared(), { now: () => clock });
  const signer = new ReceiptSigner(privateKeyToAccount(generatePrivateKey()), usageReceiptDomain());

  it("settle's seal signs exactly the record written, stored by the same transaction", async () => {
    const ledger = await open();
    const { key, accountId } = await fundedKey(ledger, USD);
    await reserveOn(ledger, key.id, "sealed-1", 10_000n);
    const sealed: UsageRecord[] = [];
    const record = await ledger.metering.settle("sealed-1", usage, {
      seal: (r) => {
        sealed.push(r);
        return signer.seal(r);
      },
    });
    assert.equal(sealed.length, 1);
    assert.deepEqual({ ...sealed[0]!, receiptSignature: record.receiptSignature }, record, "signed what was written");
    assert.deepEqual(await ledger.usage.get("sealed-1"), record);
    const signed = { receipt: usageReceiptOf(record), signature: record.receiptSignature as Hex };
    assert.ok(await verifyUsageReceipt(signer.domain, signed, signer.address));
    // Settling again changes nothing and signs nothing.
    assert.deepEqual(await ledger.metering.settle("sealed-1", usage, { seal: () => assert.fail("sealed twice") }), record);
    await assertBooksBalance(ledger.db, accountId);
  });

  it("a seal that fails leaves the charge standing, unsigned", async () => {
    const ledger = await open();
    const { key, accountId } = await fundedKey(ledger, USD);
    await reserveOn(ledger, key.id, "unsigned-1", 10_000n);
    const errors: unknown[] = [];
    const failing = new ReceiptSigner(privateKeyToAccount(generatePrivateKey()), usageReceiptDomain(), { onError: (e) => errors.push(e) });
    // A deployment that is no address cannot be put in a receipt.
    const record = await ledger.metering.settle("unsigned-1", usage, { seal: (r) => failing.seal({ ...r, deployment: "not-an-address" }) });
    assert.equal(errors.length, 1);
    assert.equal(record.receiptSignature, null);
    assert.ok(record.priceCharged > 0n);
    assert.equal((await ledger.accounts.get(accountId)).balance, USD - record.priceCharged);
    await assertBooksBalance(ledger.db, accountId);
  });

  it("a hold released and reserved again while its record was signed is settled from the new hold", async () => {
    const ledger = await open();
    const { key, accountId } = await fundedKey(ledger, USD);
    await reserveOn(ledger, key.id, "swapped", 10_000n);
    const dearer = { ...TEST_PRICING, outputPrice: TEST_PRICING.outputPrice * 2n };
    const record = await ledger.metering.settle("swapped", usage, {
      seal: async (r) => {
        await ledger.metering.release("swapped");
        await reserveOn(ledger, key.id, "swapped", 20_000n, { pricing: dearer });
        return signer.seal(r);
      },
    });
    assert.equal(record.receiptSignature, null, "the old record's signature is not used");
    const [old, now] = [priceRequest(TEST_PRICING, usage, 0).price, priceRequest(dearer, usage, 0).price];
    assert.ok(old < now && now < 20_000n);
    assert.equal(record.priceCharged, now, "charged at the new hold's terms");
    await assertBooksBalance(ledger.db, accountId);
  });

  it("lists an epoch's usage: its UTC day from the first to the last millisecond, per deployment", async () => {
    const ledger = await open();
    const { key } = await fundedKey(ledger, USD);
    const epoch = 30_000;
    const MT = "0x00000000000000000000000000000000000000b1";
    const settleAt = async (id: string, ms: number, deployment = "platform") => {
      clock = ms;
      await reserveOn(ledger, key.id, id, 10_000n, { deployment });
      await ledger.metering.settle(id, usage);
    };
    await settleAt("e-before", epoch * EPOCH_MS - 1);
    await settleAt("e-first", epoch * EPOCH_MS);
    await settleAt("e-mt", epoch * EPOCH_MS + 7, MT);
    await settleAt("e-last", (epoch + 1) * EPOCH_MS - 1);
    await settleAt("e-after", (epoch + 1) * EPOCH_MS);
    assert.deepEqual((await ledger.usage.listEpoch(epoch)).map((r) => r.requestId), ["e-first", "e-mt", "e-last"]);
    assert.deepEqual((await ledger.usage.listEpoch(epoch, MT)).map((r) => r.requestId), ["e-mt"]);
    assert.deepEqual((await ledger.usage.listEpoch(epoch, "platform")).map((r) => r.requestId), ["e-first", "e-last"]);
    await assert.rejects(ledger.usage.listEpoch(-1), /epoch/);
  });
});
