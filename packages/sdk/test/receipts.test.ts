// Properties of usage receipts (receipts.ts), over seeded random receipts (FOMO_SEED replays a run):
// the hand-written EIP-712 hashing equals viem's generic one, signatures round-trip and break under
// any tampering, the compact form round-trips any value and refuses malformed input, and usage trees
// equal OpenZeppelin's StandardMerkleTree and prove exactly their own receipts.
// (A root committed by RevenueRouter.reportRevenue is checked on a chain in the gateway's receipts tests.)
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, hashStruct, hashTypedData, keccak256, toHex, zeroAddress, zeroHash, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  USAGE_LEAF_ENCODING,
  USAGE_RECEIPT_TYPES,
  buildUsageTree,
  decodeUsageReceipt,
  encodeUsageReceipt,
  signUsageReceipt,
  usageEpochOf,
  usageReceiptDigest,
  usageReceiptDomain,
  usageReceiptFromJson,
  usageReceiptLeaf,
  usageReceiptStructHash,
  usageReceiptToJson,
  verifyUsageProof,
  verifyUsageReceipt,
  type UsageReceipt,
} from "../src/index.ts";
// The repository's seeded PRNG (shared with the contracts' property tests).
import { rng, runSeed } from "@fomo/testkit";

const SEED = runSeed(process.env.FOMO_SEED);
const r = rng(SEED);
const UINT64_MAX = (1n << 64n) - 1n;
const UINT256_MAX = (1n << 256n) - 1n;

const addr = (label: string): Address => getAddress(keccak256(toHex(label)).slice(0, 42));
const ROUTER = addr("revenue router");
const BOUND = usageReceiptDomain({ chainId: 31337, contracts: { revenueRouter: ROUTER } });
const UNBOUND = usageReceiptDomain();
const gateway = privateKeyToAccount(generatePrivateKey());

const words = ["key_7f3a", "req-", "stories-260k", "acct_", "é", "模型", "🙂", ":", "x".repeat(40)];
const text = () => Array.from({ length: r.int(1, 4) }, () => words[r.int(0, words.length - 1)]).join("");
/** Any value of the field's range, with the edges often. */
const uint = (max: bigint) => (r.chance(0.15) ? [0n, 1n, max][r.int(0, 2)]! : r.big(0n, max));

function randomReceipt(i = 0): UsageReceipt {
  return {
    requestId: `${text()}-${i}`,
    modelId: text(),
    account: text(),
    deployment: r.chance(0.3) ? zeroAddress : addr(`mt ${r.int(0, 5)}`),
    inputTokens: uint(UINT64_MAX),
    outputTokens: uint(UINT64_MAX),
    costMicroUsd: r.chance(0.5) ? r.digits(12) : uint(UINT256_MAX),
    timestamp: r.chance(0.5) ? BigInt(1_700_000_000 + r.int(0, 10 ** 8)) : uint(UINT64_MAX),
  };
}

/** Every way of changing one field of a receipt by the least amount. */
function tamperings(x: UsageReceipt): Array<[string, UsageReceipt]> {
  const bump = (v: bigint, max: bigint) => (v === max ? v - 1n : v + 1n);
  return [
    ["requestId", { ...x, requestId: x.requestId + "1" }],
    ["modelId", { ...x, modelId: x.modelId.slice(0, -1) || "m" }],
    ["account", { ...x, account: x.account + " " }],
    ["deployment", { ...x, deployment: x.deployment === zeroAddress ? addr("other") : zeroAddress }],
    ["inputTokens", { ...x, inputTokens: bump(x.inputTokens, UINT64_MAX) }],
    ["outputTokens", { ...x, outputTokens: bump(x.outputTokens, UINT64_MAX) }],
    ["costMicroUsd", { ...x, costMicroUsd: bump(x.costMicroUsd, UINT256_MAX) }],
    ["timestamp", { ...x, timestamp: bump(x.timestamp, UINT64_MAX) }],
  ];
}

describe(`usage receipts (seed ${SEED})`, () => {
  it("hash like viem's generic EIP-712 code, under a bound and an unbound domain", () => {
    for (let i = 0; i < 200; i++) {
      const receipt = randomReceipt(i);
      assert.equal(usageReceiptStructHash(receipt), hashStruct({ data: receipt, primaryType: "UsageReceipt", types: USAGE_RECEIPT_TYPES }));
      for (const domain of [BOUND, UNBOUND]) {
        assert.equal(usageReceiptDigest(domain, receipt), hashTypedData({ domain, types: USAGE_RECEIPT_TYPES, primaryType: "UsageReceipt", message: receipt }));
      }
    }
  });

  it("bind the domain to the router and chain of the deployments", () => {
    assert.deepEqual(BOUND, { name: "FOMO Usage Receipt", version: "1", chainId: 31337, verifyingContract: ROUTER });
    assert.deepEqual(UNBOUND, { name: "FOMO Usage Receipt", version: "1" });
  });

  it("sign and verify round trip; the signature is deterministic and equals signTypedData's", async () => {
    for (let i = 0; i < 20; i++) {
      const receipt = randomReceipt(i);
      const signature = await signUsageReceipt(gateway, BOUND, receipt);
      assert.ok(await verifyUsageReceipt(BOUND, { receipt, signature }, gateway.address));
      assert.equal(await signUsageReceipt(gateway, BOUND, receipt), signature);
      const viaTypedData = await signUsageReceipt({ signTypedData: gateway.signTypedData }, BOUND, receipt);
      assert.equal(viaTypedData, signature);
    }
  });

  it("fail verification when any field, the domain, the signer or the signature changes", async () => {
    const other = privateKeyToAccount(generatePrivateKey());
    for (let i = 0; i < 8; i++) {
      const receipt = randomReceipt(i);
      const signature = await signUsageReceipt(gateway, BOUND, receipt);
      for (const [field, tampered] of tamperings(receipt)) {
        assert.equal(await verifyUsageReceipt(BOUND, { receipt: tampered, signature }, gateway.address), false, field);
      }
      for (const domain of [UNBOUND, { ...BOUND, chainId: 1 }, { ...BOUND, verifyingContract: addr("another router") }, { ...BOUND, version: "2" }]) {
        assert.equal(await verifyUsageReceipt(domain, { receipt, signature }, gateway.address), false, JSON.stringify(domain));
      }
      assert.equal(await verifyUsageReceipt(BOUND, { receipt, signature }, other.address), false, "another signer");
      assert.equal(await verifyUsageReceipt(BOUND, { receipt, signature: await signUsageReceipt(other, BOUND, receipt) }, gateway.address), false);
      const flipped = (signature.slice(0, 10) + (signature[10] === "0" ? "1" : "0") + signature.slice(11)) as Hex;
      assert.equal(await verifyUsageReceipt(BOUND, { receipt, signature: flipped }, gateway.address), false, "a flipped bit");
      assert.equal(await verifyUsageReceipt(BOUND, { receipt, signature: "0x1234" }, gateway.address), false, "a short signature");
    }
  });

  it("refuse to sign what no contract could take", async () => {
    const ok = randomReceipt();
    for (const bad of [
      { ...ok, inputTokens: UINT64_MAX + 1n },
      { ...ok, outputTokens: -1n },
      { ...ok, costMicroUsd: UINT256_MAX + 1n },
      { ...ok, timestamp: 1.5 as unknown as bigint },
      { ...ok, requestId: "" },
      { ...ok, deployment: "0x1234" as Address },
    ]) {
      await assert.rejects(signUsageReceipt(gateway, BOUND, bad), /receipt/);
    }
  });
});

describe(`the compact form (seed ${SEED})`, () => {
  it("round-trips any receipt exactly, bigints included", async () => {
    for (let i = 0; i < 100; i++) {
      const signed = { receipt: randomReceipt(i), signature: await signUsageReceipt(gateway, UNBOUND, randomReceipt(i)) };
      const encoded = encodeUsageReceipt(signed);
      assert.match(encoded, /^[A-Za-z0-9_-]+$/, "header-safe");
      assert.deepEqual(decodeUsageReceipt(encoded), signed);
      assert.deepEqual(usageReceiptFromJson(JSON.parse(JSON.stringify(usageReceiptToJson(signed)))), signed);
    }
  });

  it("refuses malformed input with a message naming the problem", async () => {
    const receipt = randomReceipt();
    const json = usageReceiptToJson({ receipt, signature: await signUsageReceipt(gateway, BOUND, receipt) });
    const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const cases: Array<[string, RegExp]> = [
      ["not base64 !", /base64url/],
      [Buffer.from("{not json").toString("base64url"), /JSON/],
      [encode([json]), /JSON object/],
      [encode({ ...json, inputTokens: 12 }), /inputTokens must be a string/],
      [encode({ ...json, costMicroUsd: "1e6" }), /costMicroUsd must be a decimal integer/],
      [encode({ ...json, outputTokens: "-3" }), /outputTokens must be a decimal integer/],
      [encode({ ...json, timestamp: "007" }), /timestamp must be a decimal integer/],
      [encode({ ...json, inputTokens: (UINT64_MAX + 1n).toString() }), /inputTokens must be a uint64/],
      [encode({ ...json, deployment: "platform" }), /deployment is not an address/],
      [encode({ ...json, signature: json.signature.slice(0, -2) }), /signature must be 65 bytes/],
      [encode({ ...json, account: undefined }), /account must be a string/],
    ];
    for (const [encoded, message] of cases) assert.throws(() => decodeUsageReceipt(encoded), message, encoded);
  });
});

describe(`usage trees (seed ${SEED})`, () => {
  const sizes = [...Array.from({ length: 17 }, (_, i) => i + 1), 33, 100];
  for (const n of sizes) {
    it(`of ${n} receipt(s): equal StandardMerkleTree, prove every receipt and no foreign or altered one`, () => {
      const receipts = Array.from({ length: n }, (_, i) => randomReceipt(i));
      const tree = buildUsageTree(receipts);
      const oz = StandardMerkleTree.of(receipts.map((x) => [usageReceiptStructHash(x)]), [...USAGE_LEAF_ENCODING]);
      assert.equal(tree.root, oz.root);
      receipts.forEach((receipt, i) => {
        const proof = tree.proof(receipt.requestId);
        assert.ok(proof);
        assert.deepEqual(proof, oz.getProof(i));
        assert.ok(verifyUsageProof(tree.root, receipt, proof));
        assert.ok(StandardMerkleTree.verify(tree.root, [...USAGE_LEAF_ENCODING], [usageReceiptStructHash(receipt)], proof));
        assert.equal(oz.leafHash([usageReceiptStructHash(receipt)]), usageReceiptLeaf(receipt));
        for (const [field, tampered] of tamperings(receipt)) assert.equal(verifyUsageProof(tree.root, tampered, proof), false, field);
      });
      const foreign = randomReceipt(n);
      assert.equal(tree.proof(foreign.requestId), undefined);
      for (const receipt of receipts) assert.equal(verifyUsageProof(tree.root, foreign, tree.proof(receipt.requestId)!), false);
    });
  }

  it("has a zero root when empty and refuses two receipts of one request", () => {
    assert.equal(buildUsageTree([]).root, zeroHash);
    const x = randomReceipt();
    assert.throws(() => buildUsageTree([x, { ...x, costMicroUsd: x.costMicroUsd + 1n }]), /two receipts for request/);
  });

  it("puts a receipt in the UTC day of its time", () => {
    assert.equal(usageEpochOf(0n), 0n);
    assert.equal(usageEpochOf(86_399n), 0n);
    assert.equal(usageEpochOf(86_400n), 1n);
    assert.equal(usageEpochOf(1_700_000_000n), 19_675n); // 2023-11-14
  });
});
