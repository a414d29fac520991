// The pure parts of the rewards and publish steps: the cumulative state an epoch's root is built from
// (accruals of accounts without a wallet enter the root in the first epoch they have one), the tokens a
// root lists, the pools that release, gmFLOCK over an epoch, and the conservation check that fails an epoch.
import assert from "node:assert/strict";
import { it } from "node:test";
import { buildRewardsTree, computeEpochRewards, type EpochInputFile, type EpochRewards, type RewardAllotment } from "@fomo/sdk";
import type { Address } from "viem";
import { ConservationError, MAX_RELEASES_PER_EPOCH, changedTotals, checkConservation, chooseReleases, gmAverages, rollCumulative } from "../src/index.ts";

const [FLOCK, MT, W1, W2] = ["0x00000000000000000000000000000000000000f1", "0x00000000000000000000000000000000000000a1", "0x00000000000000000000000000000000000000b1", "0x00000000000000000000000000000000000000b2"] as [Address, Address, Address, Address];

it("cumulative state: entries grow by wallet allotments, accruals wait for a wallet and then enter whole", () => {
  const allotments: RewardAllotment[] = [
    { account: "u1", wallet: W1, token: FLOCK, amount: 10n },
    { account: "u2", wallet: null, token: FLOCK, amount: 7n },
    { account: "u2", wallet: null, token: MT, amount: 3n },
  ];
  const first = rollCumulative({ previous: null, accrued: [] }, allotments);
  assert.deepEqual(first.entries, [{ account: W1, token: FLOCK, cumulativeAmount: 10n }]);
  assert.deepEqual(first.accrued, [{ account: "u2", token: MT, amount: 3n }, { account: "u2", token: FLOCK, amount: 7n }]);

  // u2 binds W2 in the next epoch and earns 1 more FLOCK; u1 earns 5.
  const second = rollCumulative(
    { previous: { epoch: 1n, emissionTotal: 0n, entries: first.entries }, accrued: first.accrued.map((a) => ({ ...a, wallet: W2 })) },
    [{ account: "u1", wallet: W1, token: FLOCK, amount: 5n }, { account: "u2", wallet: W2, token: FLOCK, amount: 1n }],
  );
  assert.deepEqual(second.entries, [
    { account: W1, token: FLOCK, cumulativeAmount: 15n },
    { account: W2, token: MT, cumulativeAmount: 3n },
    { account: W2, token: FLOCK, cumulativeAmount: 8n },
  ].sort((a, b) => (a.account + a.token < b.account + b.token ? -1 : 1)));
  assert.deepEqual(second.accrued, []);

  // Only the tokens whose totals changed are listed: here both.
  const tree = buildRewardsTree({ epoch: 2n, entries: second.entries });
  assert.deepEqual(changedTotals(tree, first.entries), [{ token: MT, total: 3n }, { token: FLOCK, total: 23n }]);
  assert.deepEqual(changedTotals(tree, second.entries), []);

  assert.throws(
    () => rollCumulative({ previous: null, accrued: [{ account: "u2", wallet: W2, token: FLOCK, amount: 1n }] }, [{ account: "u2", wallet: W1, token: MT, amount: 1n }]),
    /account u2 comes with two wallets/,
  );
});

it("conservation: an epoch whose books do not balance fails with the token and the sums", () => {
  const file: EpochInputFile = {
    version: 1, chainId: 31337, epoch: 3n, emissionDay: 3n, clock: { start: 0n, length: 86_400n }, emission: 1_000n, flock: FLOCK,
    carry: [{ token: FLOCK, amount: 5n }],
    deployments: [{
      mt: MT, issuer: W2, graduatedAt: 0n, gross: 10n, hardCost: 1n, usageRoot: `0x${"00".repeat(32)}`, poolRelease: { flock: 7n, mt: 11n },
      users: [{ account: "u1", wallet: W1, spend: 10n, stake: 5n, gm: 0n }],
    }],
  };
  const rewards = computeEpochRewards(file);
  assert.doesNotThrow(() => checkConservation(file, rewards));
  const [first, ...rest] = rewards.allotments;
  const inflated: EpochRewards = { ...rewards, allotments: [{ ...first!, amount: first!.amount + 1n }, ...rest] };
  assert.throws(() => checkConservation(file, inflated), (e: unknown) => e instanceof ConservationError && /does not balance in 0x[0-9a-f]{40}: allotted \+ dust \d+ ≠ emission \+ carry \+ releases \d+/.test((e as Error).message));
  assert.throws(() => checkConservation({ ...file, emission: 999n }, rewards), /emitted 1000, the input's emission is 999/);
});

it("releases: at most 63 pools an epoch, never released first, then longest ago; 100 pools all release within 2 epochs", () => {
  assert.equal(MAX_RELEASES_PER_EPOCH, 63);
  const pools = Array.from({ length: 100 }, (_, i) => `0x${i.toString(16).padStart(40, "0")}`);
  const last = new Map<string, bigint>();
  const rounds: Set<string>[] = [];
  for (let epoch = 0n; epoch < 3n; epoch++) {
    const chosen = chooseReleases([...pools].reverse(), last);
    assert.equal(chosen.size, 63);
    for (const p of chosen) last.set(p, epoch);
    rounds.push(chosen);
  }
  assert.deepEqual([...rounds[0]!], pools.slice(0, 63), "none released yet: by address");
  assert.deepEqual([...rounds[1]!].slice(0, 37), pools.slice(63), "then the 37 left out first");
  assert.equal(new Set([...rounds[0]!, ...rounds[1]!]).size, 100);
  assert.deepEqual([...rounds[2]!].slice(0, 37), pools.slice(26, 63), "then those released longest ago");
  assert.deepEqual([...chooseReleases(["0xb", "0xa"], new Map([["0xa", 5n]]), 1)], ["0xb"]);
});

it("gmFLOCK over a window: each lock counts from its lock to its unlock, clipped to the window, averaged down", () => {
  const window = { from: 1_000n, to: 2_000n };
  const lock = (owner: Address, gm: bigint, timestamp: bigint, unlockedAt: bigint | null) => ({ owner, gm, timestamp, unlockedAt });
  const averages = gmAverages([
    lock(W1, 300n, 0n, null), // the whole window
    lock(W1, 1_000n, 1_500n, null), // its second half
    lock(W2, 999n, 500n, 1_001n), // one second
    lock(W2, 7n, 2_000n, null), // after the window
    lock(W2, 7n, 100n, 900n), // before it
  ], window);
  assert.deepEqual(averages, new Map([[W1.toLowerCase(), 300n + 500n], [W2.toLowerCase(), 0n]]));
  assert.deepEqual(gmAverages([lock(W1, 3n, 1_000n, 1_667n)], window), new Map([[W1.toLowerCase(), 2n]]), "667·3/1000 = 2.001, rounded down");
});
