// Receipts signed on the worker thread: byte-identical to viem's signTypedData of the same typed
// data, verified by the SDK, one bad receipt failing alone, and signing back on the event loop once
// the thread is closed.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, describe, it } from "node:test";
import { USAGE_RECEIPT_TYPES, usageReceiptDomain, verifyUsageReceipt } from "@fomo/sdk";
import { getAddress, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { UsageRecord } from "@fomo/ledger";
import { PLATFORM_DEPLOYMENT } from "../src/pricing/discounts.ts";
import { ReceiptSigner, usageReceiptOf } from "../src/receipts/index.ts";
import { SigningThread } from "../src/receipts/signing-thread.ts";
import { wasmSigner } from "../src/receipts/wasm-signer.ts";

const privateKey = generatePrivateKey();
const account = privateKeyToAccount(privateKey);
const bound = usageReceiptDomain({ chainId: 31337, contracts: { revenueRouter: "0x5fbdb2315678afecb367f032d93f642f64180aa3" } });

/** A settled record; `i` varies every field that reaches the receipt. */
function recordOf(i: number, overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    requestId: `key-${i % 7}:req-${i}`,
    accountId: `acct-${i % 3}`,
    keyId: `key-${i % 7}`,
    modelId: i % 2 === 0 ? "stories260k" : "stories260k-fomo",
    deployment: i % 2 === 0 ? PLATFORM_DEPLOYMENT : getAddress(`0x${(i + 1).toString(16).padStart(40, "0")}`),
    inputTokens: BigInt(i * 13),
    outputTokens: BigInt(i * 7 + 1),
    listPrice: BigInt(i * 1_000),
    discountBps: 0,
    priceCharged: BigInt(i * 997 + (i % 5 === 0 ? 2 ** 60 : 0)),
    hardCost: 0n,
    source: "tokenizer",
    finishReason: "stop",
    latencyMs: 3,
    createdAt: 1_750_000_000_000 + i * 1_234,
    receiptSignature: null,
    ...overrides,
  };
}

describe("receipts signed on the event loop with libsecp256k1 (wasm), the default", () => {
  it("signs exactly what viem's signTypedData signs", async () => {
    const inline = new ReceiptSigner(wasmSigner(privateKey), bound);
    assert.equal(inline.threaded, false);
    assert.equal(inline.address, account.address);
    for (let i = 0; i < 40; i++) {
      const receipt = usageReceiptOf(recordOf(i));
      const expected = await account.signTypedData({ domain: bound, types: USAGE_RECEIPT_TYPES, primaryType: "UsageReceipt", message: receipt });
      assert.equal(await inline.sign(recordOf(i)), expected, `receipt ${i}`);
    }
  });
});

describe("the receipt signing thread", () => {
  const threaded = new ReceiptSigner(account, bound, { threadKey: privateKey });
  after(() => threaded.close());

  it("signs exactly what viem's signTypedData signs, many receipts at once", async () => {
    assert.ok(threaded.threaded);
    const records = Array.from({ length: 60 }, (_, i) => recordOf(i));
    // All at once: they travel in batches, and each answer must reach its own receipt.
    const signatures = await Promise.all(records.map((r) => threaded.sign(r)));
    for (const [i, record] of records.entries()) {
      const receipt = usageReceiptOf(record);
      const expected = await account.signTypedData({ domain: bound, types: USAGE_RECEIPT_TYPES, primaryType: "UsageReceipt", message: receipt });
      assert.equal(signatures[i], expected, `receipt ${i}`);
      assert.ok(await verifyUsageReceipt(bound, { receipt, signature: signatures[i]! }, threaded.address));
    }
  });

  it("signs under its own domain: the unbound one too", async () => {
    const unbound = new ReceiptSigner(account, usageReceiptDomain(), { threadKey: privateKey });
    try {
      const record = recordOf(4);
      const signature = await unbound.sign(record);
      assert.equal(signature, await new ReceiptSigner(account, usageReceiptDomain()).sign(record));
      assert.notEqual(signature, await threaded.sign(record), "the domain is part of what is signed");
    } finally {
      await unbound.close();
    }
  });

  it("a receipt no contract could take fails alone, with the SDK's reason; its batch signs", async () => {
    const errors: unknown[] = [];
    const signer = new ReceiptSigner(account, bound, { threadKey: privateKey, onError: (e) => errors.push(e) });
    try {
      const [good, bad] = await Promise.all([signer.seal(recordOf(1)), signer.seal(recordOf(2, { inputTokens: 2n ** 64n }))]);
      assert.equal(good, await threaded.sign(recordOf(1)));
      assert.equal(bad, null, "seal never fails a settle");
      assert.equal(errors.length, 1);
      assert.match((errors[0] as Error).message, /inputTokens must be a uint64/);
      await assert.rejects(signer.sign(recordOf(3, { outputTokens: -1n })), /outputTokens must be a uint64/);
    } finally {
      await signer.close();
    }
  });

  it("once closed, receipts are signed on the event loop, with the same signatures", async () => {
    const signer = new ReceiptSigner(account, bound, { threadKey: privateKey });
    const onThread = await signer.sign(recordOf(9));
    await signer.close();
    assert.equal(signer.threaded, false);
    assert.equal(await signer.sign(recordOf(9)), onThread);
  });

  it("a closed thread refuses to sign, and pending receipts are refused rather than lost silently", async () => {
    const thread = new SigningThread(privateKey, bound);
    const refused = assert.rejects(thread.sign(usageReceiptOf(recordOf(5))), /closed/);
    await thread.close();
    await refused;
    await assert.rejects(thread.sign(usageReceiptOf(recordOf(6))), /closed/);
  });

  it("an idle thread never keeps a process alive", () => {
    const signer = new URL("../src/receipts/index.ts", import.meta.url).href;
    const sdk = import.meta.resolve("@fomo/sdk");
    const script = `import { ReceiptSigner } from ${JSON.stringify(signer)}; import { usageReceiptDomain } from ${JSON.stringify(sdk)};
      import { privateKeyToAccount } from "viem/accounts"; const k = ${JSON.stringify(privateKey)};
      new ReceiptSigner(privateKeyToAccount(k), usageReceiptDomain(), { threadKey: k }); console.log("started");`;
    // The guard only stops a hung child: a process that waits on an idle worker never exits by itself.
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: new URL(".", import.meta.url), encoding: "utf8", timeout: 60_000 });
    assert.equal(child.stdout.trim(), "started", child.stderr);
    assert.equal(child.status, 0, "the process exited on its own");
  });

  it("refuses a thread key that is not the account's (its receipts would never verify)", () => {
    assert.throws(() => new ReceiptSigner(account, bound, { threadKey: generatePrivateKey() }), /not the key of the signing account/);
  });
});
