// Unit tests of the rewards tree builder (merkle.ts): it must equal @openzeppelin/merkle-tree's
// StandardMerkleTree (root, proofs, dump) and hash leaves the way RewardsDistributor.claim does;
// the content hash must be Solidity's keccak256(abi.encode(epoch, entries)) of the canonical input.
// (The distributor accepting these proofs is tested on a chain in contracts/test/nodejs/sdk.engine.test.ts.)
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { encodeAbiParameters, getAddress, keccak256, toHex, zeroHash, type Address } from "viem";
import { rng } from "@fomo/testkit";
import {
  FLOCK,
  REWARD_LEAF_ENCODING,
  buildRewardsTree,
  buildStandardTree,
  standardRootOfPacked,
  canonicalEntries,
  rewardLeaf,
  rewardsContentHash,
  standardRewardsTree,
  verifyRewardProof,
  type RewardEntry,
} from "../src/index.ts";

/** A deterministic address per label (no randomness needed). */
const addr = (label: string): Address => getAddress(keccak256(toHex(label)).slice(0, 42));
const FLOCK_TOKEN = addr("flock");
const MT_TOKEN = addr("mt");

/** n entries over about n/2 accounts and two tokens, amounts from dust to millions of FLOCK. */
function entries(n: number): RewardEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    account: addr(`account ${Math.floor(i / 2)}`),
    token: i % 2 ? MT_TOKEN : FLOCK_TOKEN,
    cumulativeAmount: BigInt(i + 1) ** BigInt(1 + (i % 5)) * 10n ** BigInt(i % 19),
  }));
}

const ENTRY_TUPLE = {
  type: "tuple[]",
  components: [
    { name: "account", type: "address" },
    { name: "token", type: "address" },
    { name: "cumulativeAmount", type: "uint256" },
  ],
} as const;

describe("buildRewardsTree equals StandardMerkleTree", () => {
  for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 33, 100, 257]) {
    it(`for ${n} leaves: root, every proof and the dump`, () => {
      const input = entries(n);
      const tree = buildRewardsTree({ epoch: 3n, entries: input });
      const oz = standardRewardsTree(input);
      assert.equal(tree.root, oz.root);
      assert.deepEqual(tree.dump(), oz.dump());
      for (const [i, [account, token, amount]] of oz.entries()) {
        const claim = tree.claimOf(account as Address, token as Address);
        assert.ok(claim, `claim ${i}`);
        assert.equal(claim.cumulativeAmount, BigInt(amount));
        assert.deepEqual(claim.proof, oz.getProof(i), `proof ${i}`);
        assert.ok(StandardMerkleTree.verify(tree.root, [...REWARD_LEAF_ENCODING], [account, token, amount], claim.proof));
        assert.ok(verifyRewardProof(tree.root, claim, claim.proof));
      }
    });
  }

  it("loads back into StandardMerkleTree from its dump (which re-validates every node)", () => {
    const tree = buildRewardsTree({ epoch: 0n, entries: entries(50) });
    assert.equal(StandardMerkleTree.load(tree.dump()).root, tree.root);
  });
});

describe("leaves and proofs", () => {
  it("hash a leaf as the distributor does: keccak256(bytes.concat(keccak256(abi.encode(account, token, amount))))", () => {
    const e = { account: addr("a"), token: FLOCK_TOKEN, cumulativeAmount: 123n * FLOCK };
    const inner = keccak256(
      encodeAbiParameters([{ type: "address" }, { type: "address" }, { type: "uint256" }], [e.account, e.token, e.cumulativeAmount]),
    );
    assert.equal(rewardLeaf(e), keccak256(inner));
  });

  it("make a one-leaf tree whose root is the leaf and whose proof is empty", () => {
    const e = { account: addr("solo"), token: FLOCK_TOKEN, cumulativeAmount: 5n };
    const tree = buildRewardsTree({ epoch: 1n, entries: [e] });
    assert.equal(tree.root, rewardLeaf(e));
    assert.deepEqual(tree.claimOf(e.account, e.token)?.proof, []);
  });

  it("fail to verify a changed amount, account or token", () => {
    const tree = buildRewardsTree({ epoch: 1n, entries: entries(20) });
    const claim = tree.claimOf(addr("account 3"), MT_TOKEN)!;
    assert.ok(verifyRewardProof(tree.root, claim, claim.proof));
    assert.ok(!verifyRewardProof(tree.root, { ...claim, cumulativeAmount: claim.cumulativeAmount + 1n }, claim.proof));
    assert.ok(!verifyRewardProof(tree.root, { ...claim, account: addr("account 4") }, claim.proof));
    assert.ok(!verifyRewardProof(tree.root, { ...claim, token: FLOCK_TOKEN }, claim.proof));
  });

  it("find claims whatever the address case, and nothing for an unknown pair", () => {
    const tree = buildRewardsTree({ epoch: 1n, entries: entries(6) });
    const account = addr("account 1");
    assert.deepEqual(tree.claimOf(account.toLowerCase() as Address, FLOCK_TOKEN.toUpperCase().replace("0X", "0x") as Address), tree.claimOf(account, FLOCK_TOKEN));
    assert.equal(tree.claimOf(addr("nobody"), FLOCK_TOKEN), undefined);
  });
});

describe("canonical input", () => {
  it("does not depend on the order or case of the input", () => {
    const input = entries(40);
    const shuffled = [...input].reverse().map((e, i) => (i % 2 ? { ...e, account: e.account.toLowerCase() as Address } : e));
    const a = buildRewardsTree({ epoch: 9n, entries: input });
    const b = buildRewardsTree({ epoch: 9n, entries: shuffled });
    assert.equal(a.root, b.root);
    assert.equal(a.contentHash, b.contentHash);
    assert.deepEqual(a.dump(), b.dump());
  });

  it("leaves zero amounts out and refuses two entries for one (account, token)", () => {
    const e = entries(4);
    const withZero = [...e, { account: addr("zero"), token: FLOCK_TOKEN, cumulativeAmount: 0n }];
    assert.equal(buildRewardsTree({ epoch: 1n, entries: withZero }).root, buildRewardsTree({ epoch: 1n, entries: e }).root);
    assert.equal(buildRewardsTree({ epoch: 1n, entries: withZero }).claimOf(addr("zero"), FLOCK_TOKEN), undefined);
    const dup = { ...e[0]!, account: e[0]!.account.toLowerCase() as Address, cumulativeAmount: 1n };
    assert.throws(() => buildRewardsTree({ epoch: 1n, entries: [...e, dup] }), /two entries/);
    assert.throws(() => canonicalEntries([{ account: "0x1234" as Address, token: FLOCK_TOKEN, cumulativeAmount: 1n }]), /not an address/);
    assert.throws(() => canonicalEntries([{ account: addr("x"), token: FLOCK_TOKEN, cumulativeAmount: -1n }]), RangeError);
  });

  it("sorts entries by account then token, as numbers", () => {
    const sorted = canonicalEntries(entries(30));
    for (let i = 1; i < sorted.length; i++) {
      const [p, c] = [sorted[i - 1]!, sorted[i]!];
      const order = BigInt(p.account) < BigInt(c.account) || (p.account === c.account && BigInt(p.token) < BigInt(c.token));
      assert.ok(order, `entry ${i} out of order`);
    }
  });

  it("hashes the content as keccak256(abi.encode(uint64 epoch, (address,address,uint256)[] entries))", () => {
    const input = entries(25);
    const canonical = canonicalEntries(input);
    const expected = keccak256(encodeAbiParameters([{ type: "uint64" }, ENTRY_TUPLE], [77n, canonical]));
    assert.equal(rewardsContentHash({ epoch: 77n, entries: input }), expected);
    assert.equal(buildRewardsTree({ epoch: 77n, entries: input }).contentHash, expected);
    // The epoch is part of it; an empty epoch has a hash too.
    assert.notEqual(rewardsContentHash({ epoch: 78n, entries: input }), expected);
    assert.equal(rewardsContentHash({ epoch: 5n, entries: [] }), keccak256(encodeAbiParameters([{ type: "uint64" }, ENTRY_TUPLE], [5n, []])));
    assert.throws(() => rewardsContentHash({ epoch: 1n << 64n, entries: [] }), RangeError);
  });

  it("totals each token's cumulative amounts, tokens ascending (postRoot's arrays)", () => {
    const input = entries(31);
    const tree = buildRewardsTree({ epoch: 1n, entries: input });
    const want = (token: Address) => input.filter((e) => e.token === token).reduce((s, e) => s + e.cumulativeAmount, 0n);
    const tokens = [FLOCK_TOKEN, MT_TOKEN].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    assert.deepEqual(tree.totals, tokens.map((t) => ({ token: t.toLowerCase(), total: want(t) })));
  });

  it("gives an empty epoch a zero root that nothing can be claimed from", () => {
    const tree = buildRewardsTree({ epoch: 4n, entries: [] });
    assert.equal(tree.root, zeroHash);
    assert.deepEqual(tree.totals, []);
    assert.equal(tree.claimOf(addr("a"), FLOCK_TOKEN), undefined);
  });
});

describe("standardRootOfPacked", () => {
  it("gives buildStandardTree's root for every size, leaves in any order", () => {
    const r = rng(0x726f6f74);
    for (let n = 0; n <= 70; n++) {
      const leaves = Array.from({ length: n }, () => Uint8Array.from({ length: 32 }, () => r.int(0, 255)));
      if (n > 3) leaves[n - 1] = leaves[0]!.slice(); // a repeated leaf sorts as a tie
      const packed = new Uint8Array(n * 32);
      leaves.forEach((leaf, i) => packed.set(leaf, i * 32));
      assert.equal(standardRootOfPacked(packed), buildStandardTree(leaves).root, `n = ${n}`);
    }
    assert.throws(() => standardRootOfPacked(new Uint8Array(33)), /32 bytes/);
  });
});
