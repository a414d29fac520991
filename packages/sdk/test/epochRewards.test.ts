// One epoch's rewards (epochRewards.ts) against a reference written here in exact rationals (bigint
// numerator / denominator, no floats, no intermediate rounding) over seeded random epochs (FOMO_SEED
// replays a run): every token balances exactly, each allotment is within the documented 2 wei per
// part of the exact value, zero usage and stake without usage earn nothing, the issuer gets 10%, the
// age factor stops at 0.25, the output does not depend on input order, and dust carried into the next
// epoch is paid out there. Scores are rewardScores' (checked against exact bounds in rewardScores.test.ts).
// Then the epoch input file: its canonical bytes, its hash, the round trip and the refusals of decode.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, keccak256, toHex, zeroAddress, type Address } from "viem";
import { rng, runSeed } from "@fomo/testkit";
import {
  AGE_FACTOR_FLOOR,
  ageFactor,
  canonicalJson,
  computeEpochRewards,
  canonicalJsonChunks,
  decodeEpochInput,
  encodeEpochInput,
  parseJsonChunks,
  readEpochInput,
  writeEpochInput,
  EPOCH_INPUT_VERSION,
  EpochInputError,
  epochInputHash,
  epochWindow,
  rewardScores,
  SCORE_ONE as ONE,
  type EpochClock,
  type EpochDeployment,
  type EpochInputFile,
  type EpochRewards,
  type EpochRewardsInput,
  type EpochUser,
  type TokenAmount,
} from "../src/index.ts";

const SEED = runSeed(process.env.FOMO_SEED);
const addr = (label: string): Address => getAddress(keccak256(toHex(label)).slice(0, 42));
const lower = (a: Address) => a.toLowerCase() as Address;
const FLOCK = addr("flock");

// ------------------------------------------------------------------ exact rationals

/** n / d with d > 0. */
interface Q {
  n: bigint;
  d: bigint;
}
const q = (n: bigint, d = 1n): Q => (d < 0n ? { n: -n, d: -d } : { n, d });
const add = (a: Q, b: Q): Q => q(a.n * b.d + b.n * a.d, a.d * b.d);
const mul = (a: Q, b: Q): Q => q(a.n * b.n, a.d * b.d);
const div = (a: Q, b: Q): Q => q(a.n * b.d, a.d * b.n);
/** a < b */
const less = (a: Q, b: Q) => a.n * b.d < b.n * a.d;
const floor = (a: Q) => (a.n >= 0n ? a.n / a.d : -((-a.n + a.d - 1n) / a.d));
const ZERO = q(0n);
/** Σ part, or 0 when the weights sum to 0 (nothing is paid by a zero score). */
const partOf = (amount: Q, weight: bigint, total: bigint): Q => (total === 0n ? ZERO : mul(amount, q(weight, total)));

// ------------------------------------------------------------------ the reference

interface Expected {
  /** Exact Σ of the parts of this (account, token), and how many parts. */
  exact: Q;
  parts: number;
  wallet: Address | null;
}

/**
 * The epoch's rewards with no rounding at all after the scores and age factors (themselves defined in
 * 1e18 fixed point): pot by usage·ageFactor, the issuer's exact tenth, users by global score, pools by
 * incentive score.
 */
function reference(input: EpochRewardsInput) {
  const flock = lower(input.flock);
  const carried = (token: Address) => input.carry.find((c) => lower(c.token) === lower(token))?.amount ?? 0n;
  const { to } = epochWindow(input.clock, input.epoch);
  const pot = q(input.emission + carried(flock));
  const perMt = input.deployments.map((d) => {
    const usage = d.users.reduce((s, u) => s + u.spend, 0n);
    const ageExact = q(365n * input.clock.length - (to - d.graduatedAt), 365n * input.clock.length);
    const age = floor(mul(less(ageExact, q(1n, 4n)) ? q(1n, 4n) : ageExact, q(ONE)));
    return { d, usage, age, weight: usage * age };
  });
  const totalWeight = perMt.reduce((s, m) => s + m.weight, 0n);
  const expected = new Map<string, Expected>();
  const give = (account: string, wallet: Address | null, token: Address, exact: Q) => {
    const key = JSON.stringify([account, lower(token)]);
    const e = expected.get(key) ?? { exact: ZERO, parts: 0, wallet };
    expected.set(key, { exact: add(e.exact, exact), parts: e.parts + 1, wallet });
  };
  const emissions = perMt.map(({ d, weight, age, usage }) => {
    const emission = partOf(pot, weight, totalWeight);
    give(lower(d.issuer), lower(d.issuer), flock, div(emission, q(10n)));
    const scores = rewardScores(d.users);
    const globalTotal = scores.reduce((s, x) => s + x.global, 0n);
    const incentiveTotal = scores.reduce((s, x) => s + x.incentive, 0n);
    const usersEmission = mul(emission, q(9n, 10n));
    d.users.forEach((u, i) => {
      const wallet = u.wallet && lower(u.wallet);
      give(u.account, wallet, flock, partOf(usersEmission, scores[i]!.global, globalTotal));
      give(u.account, wallet, flock, partOf(q(d.poolRelease.flock), scores[i]!.incentive, incentiveTotal));
      give(u.account, wallet, d.mt, partOf(q(d.poolRelease.mt + carried(d.mt)), scores[i]!.incentive, incentiveTotal));
    });
    return { mt: lower(d.mt), emission, age, usage };
  });
  // What each token had to give this epoch.
  const funded = new Map<Address, bigint>([[flock, input.emission]]);
  const fund = (token: Address, amount: bigint) => funded.set(lower(token), (funded.get(lower(token)) ?? 0n) + amount);
  for (const c of input.carry) fund(c.token, c.amount);
  for (const d of input.deployments) {
    fund(flock, d.poolRelease.flock);
    fund(d.mt, d.poolRelease.mt);
  }
  return { expected, emissions, funded };
}

// ------------------------------------------------------------------ random epochs

const CLOCK: EpochClock = { start: 1_700_000_000n, length: 60n };

function randomEpoch(r: ReturnType<typeof rng>, epoch = BigInt(r.int(0, 2_000))): EpochRewardsInput {
  const { to } = epochWindow(CLOCK, epoch);
  // A small pool of accounts, so accounts use several $MTs; each keeps one wallet (or none).
  const accounts = Array.from({ length: r.int(1, 10) }, (_, i) => ({
    account: `acct_${i}`,
    wallet: r.chance(0.3) ? null : addr(`wallet ${i}`),
  }));
  const amount = () => (r.chance(0.2) ? 0n : r.digits(r.chance(0.5) ? 6 : 24));
  const deployments = Array.from({ length: r.int(0, 5) }, (_, m): EpochDeployment => {
    const users = accounts
      .filter(() => r.chance(0.6))
      .map((a): EpochUser => ({
        ...a,
        spend: r.chance(0.3) ? 0n : r.digits(r.chance(0.8) ? 9 : 20),
        stake: r.chance(0.3) ? 0n : r.digits(r.chance(0.8) ? 27 : 3),
        gm: r.chance(0.5) ? 0n : r.digits(24),
      }));
    // Graduated anywhere from this epoch's end to over a year (365 epochs) before: both sides of the floor.
    const ageSeconds = r.chance(0.2) ? 0n : r.big(0n, 500n * CLOCK.length);
    return {
      mt: addr(`mt ${m}`),
      issuer: addr(`issuer ${r.int(0, 3)}`),
      graduatedAt: to - ageSeconds,
      poolRelease: { flock: amount(), mt: amount() },
      users,
    };
  });
  const carry: TokenAmount[] = [];
  if (r.chance(0.5)) carry.push({ token: FLOCK, amount: r.digits(5) });
  for (const d of deployments) if (r.chance(0.3)) carry.push({ token: d.mt, amount: r.digits(5) });
  if (r.chance(0.2)) carry.push({ token: addr("an $MT without a deployment this epoch"), amount: r.digits(5) });
  return { epoch, clock: CLOCK, emission: r.chance(0.1) ? 0n : r.digits(23), flock: FLOCK, carry, deployments };
}

function shuffle<T>(r: ReturnType<typeof rng>, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const sumOf = (xs: readonly { amount: bigint }[]) => xs.reduce((s, x) => s + x.amount, 0n);
const amountIn = (list: readonly TokenAmount[], token: Address) => list.find((x) => x.token === lower(token))?.amount ?? 0n;

describe(`one epoch's rewards against exact rationals (seed ${SEED})`, () => {
  const r = rng(SEED);
  const epochs = Array.from({ length: 300 }, () => randomEpoch(r));
  const results = epochs.map((input) => ({ input, rewards: computeEpochRewards(input), ref: reference(input) }));

  it("balances every token exactly: Σ allotments + dust = emission + carry + releases", () => {
    for (const { input, rewards, ref } of results) {
      const tokens = [...ref.funded.keys()];
      assert.deepEqual(rewards.dust.map((d) => d.token), [...tokens].sort(), "dust is reported for every funded token, sorted");
      for (const token of tokens) {
        const allotted = sumOf(rewards.allotments.filter((a) => a.token === token));
        assert.equal(allotted + amountIn(rewards.dust, token), ref.funded.get(token), `epoch ${input.epoch}, ${token}`);
      }
      assert.equal(rewards.totals.emitted, input.emission);
      assert.equal(amountIn(rewards.totals.released, FLOCK), input.deployments.reduce((s, d) => s + d.poolRelease.flock, 0n));
    }
  });

  it("gives each (account, token) its exact rational share within 2 wei per part, and nobody else anything", () => {
    let parts = 0;
    for (const { rewards, ref } of results) {
      const got = new Map(rewards.allotments.map((a) => [JSON.stringify([a.account, a.token]), a]));
      for (const [key, e] of ref.expected) {
        const amount = got.get(key)?.amount ?? 0n;
        parts += e.parts;
        assert.ok(less(add(e.exact, q(BigInt(-2 * e.parts))), q(amount)) && less(q(amount), add(e.exact, q(BigInt(e.parts)))),
          `${key}: ${amount}, exact ${e.exact.n}/${e.exact.d} over ${e.parts} parts`);
        if (amount > 0n) assert.equal(got.get(key)!.wallet, e.wallet, "the account's wallet, or null while unbound");
        if (e.exact.n === 0n) assert.ok(!got.has(key), `${key} has nothing to get and no allotment`);
      }
      for (const key of got.keys()) assert.ok(ref.expected.has(key), `${key} is allotted without any claim to it`);
      assert.ok(rewards.allotments.every((a) => a.amount > 0n));
    }
    assert.ok(parts > 1_000, "the random epochs exercise the shares");
  });

  it("splits the pot by usage × age factor, the issuer getting ⌊10%⌋ of its $MT's part", () => {
    for (const { input, rewards, ref } of results) {
      assert.deepEqual(rewards.perMt.map((m) => m.mt), ref.emissions.map((m) => m.mt).sort());
      for (const m of ref.emissions) {
        const got = rewards.perMt.find((x) => x.mt === m.mt)!;
        assert.equal(got.ageFactor, m.age);
        assert.equal(got.usage, m.usage);
        assert.ok(!less(m.emission, q(got.emission)) && less(m.emission, q(got.emission + 1n)), "⌊exact share of the pot⌋");
        assert.equal(got.issuerBonus, got.emission / 10n, "10%, rounded down");
        assert.equal(got.usersEmission, got.emission - got.issuerBonus);
        if (m.usage === 0n) assert.equal(got.emission, 0n, "no usage, no emission");
      }
      // An issuer's account is paid exactly the sum of its bonuses (no issuer uses the API here).
      const bonuses = new Map<string, bigint>();
      for (const d of input.deployments) {
        const got = rewards.perMt.find((x) => x.mt === lower(d.mt))!;
        bonuses.set(lower(d.issuer), (bonuses.get(lower(d.issuer)) ?? 0n) + got.issuerBonus);
      }
      for (const [issuer, bonus] of bonuses) {
        const allotted = rewards.allotments.find((a) => a.account === issuer && a.token === lower(FLOCK));
        assert.equal(allotted?.amount ?? 0n, bonus, issuer);
        if (allotted) assert.equal(allotted.wallet, issuer);
      }
    }
  });

  it("pays nothing for zero usage: staking or gmFLOCK without spend earns nothing", () => {
    let idle = 0;
    for (const { input, rewards } of results) {
      const spent = new Set(input.deployments.flatMap((d) => d.users.filter((u) => u.spend > 0n).map((u) => u.account)));
      for (const d of input.deployments) {
        for (const u of d.users) {
          if (spent.has(u.account)) continue;
          idle += u.stake > 0n ? 1 : 0;
          assert.ok(!rewards.allotments.some((a) => a.account === u.account), `${u.account} spent nothing and got something`);
        }
      }
    }
    assert.ok(idle > 10, "some users stake without using the API");
  });

  it("does not depend on the order of deployments, users or carry, and sorts its output", () => {
    const shuffler = rng(SEED + 1);
    for (const { input, rewards } of results.slice(0, 100)) {
      const shuffled: EpochRewardsInput = {
        ...input,
        carry: shuffle(shuffler, input.carry),
        deployments: shuffle(shuffler, input.deployments).map((d) => ({ ...d, users: shuffle(shuffler, d.users) })),
      };
      assert.deepEqual(computeEpochRewards(shuffled), rewards);
      const keys = rewards.allotments.map((a) => [a.account, a.token].join(" "));
      assert.deepEqual(keys, [...keys].sort());
    }
  });

  it("pays the dust carried from one epoch out in the next: two epochs balance as one", () => {
    const chain = rng(SEED + 2);
    for (let i = 0; i < 50; i++) {
      const first = randomEpoch(chain, 10n);
      const a = computeEpochRewards({ ...first, carry: [] });
      const second = { ...randomEpoch(chain, 11n), deployments: first.deployments, carry: a.dust };
      const b = computeEpochRewards(second);
      const funded = first.emission + second.emission + 2n * first.deployments.reduce((s, d) => s + d.poolRelease.flock, 0n);
      const paid = sumOf([...a.allotments, ...b.allotments].filter((x) => x.token === lower(FLOCK)));
      assert.equal(paid + amountIn(b.dust, FLOCK), funded, "the first epoch's FLOCK dust is in the second's books");
      // With usage, the carried FLOCK joins the pot the $MTs share (less than a wei per $MT left over).
      if (first.deployments.some((d) => d.users.some((u) => u.spend > 0n))) {
        const shared = b.perMt.reduce((s, m) => s + m.emission, 0n);
        assert.ok(shared > second.emission + amountIn(a.dust, FLOCK) - BigInt(first.deployments.length));
      }
    }
  });
});

describe("the age factor", () => {
  const day: EpochClock = { start: 0n, length: 86_400n };
  const end = epochWindow(day, 400n).to;
  it("falls linearly from 1 over 365 epochs of the clock and stops at 0.25", () => {
    assert.equal(ageFactor(day, 400n, end), ONE, "graduated at the epoch's end: age 0");
    assert.equal(ageFactor(day, 400n, end - 73n * 86_400n), (4n * ONE) / 5n, "73 days: 1 − 0.2");
    assert.equal(ageFactor(day, 400n, end - (365n * 86_400n * 3n) / 4n), AGE_FACTOR_FLOOR, "273.75 days: exactly 0.25");
    assert.equal(ageFactor(day, 400n, end - (365n * 86_400n * 3n) / 4n + 1n), AGE_FACTOR_FLOOR + 31_709_791_983n, "a second younger: ⌊(1 − age/365)·1e18⌋");
    assert.equal(ageFactor(day, 400n, end - 365n * 86_400n), AGE_FACTOR_FLOOR);
    assert.equal(ageFactor(day, 400n, 0n), AGE_FACTOR_FLOOR, "over a year: the floor");
    assert.equal(AGE_FACTOR_FLOOR, ONE / 4n);
    // On a 60-second clock, 365 epochs are 6 h 5 min.
    assert.equal(ageFactor({ start: 0n, length: 60n }, 100n, 6_060n - 73n * 60n), (4n * ONE) / 5n);
    assert.throws(() => ageFactor(day, 400n, end + 1n), /after epoch 400 ends/);
  });
});

describe("computeEpochRewards on a hand-worked epoch", () => {
  // Pot 1,000,000 + carried 10. $MT A: usage 100, graduated 73 days before the epoch ends (factor 0.8) → weight 80;
  // $MT B: usage 80, over a year old (0.25) → 20. A gets 800,008, its issuer 80,000 (⌊80,000.8⌋), its two equal
  // users 360,004 each; B gets 200,002, its issuer 20,000, its single user 180,002 and all of B's pool.
  // A's pool (no stake on A: no incentive score) stays dust, carried to the next epoch, as does an $MT nobody can pay.
  const day: EpochClock = { start: 0n, length: 86_400n };
  const end = epochWindow(day, 500n).to;
  const [A, B, C] = [addr("A"), addr("B"), addr("C")];
  const input: EpochRewardsInput = {
    epoch: 500n, clock: day, emission: 1_000_000n, flock: FLOCK,
    carry: [{ token: FLOCK, amount: 10n }, { token: B, amount: 3n }, { token: C, amount: 7n }],
    deployments: [
      {
        mt: A, issuer: addr("issuer A"), graduatedAt: end - 73n * 86_400n, poolRelease: { flock: 500n, mt: 900n },
        users: [
          { account: "alice", wallet: addr("alice"), spend: 50n, stake: 0n, gm: 0n },
          { account: "bob", wallet: null, spend: 50n, stake: 0n, gm: 0n },
          { account: "dave", wallet: addr("dave"), spend: 0n, stake: 1_000n, gm: 10n ** 22n },
        ],
      },
      {
        mt: B, issuer: addr("issuer B"), graduatedAt: 0n, poolRelease: { flock: 40n, mt: 60n },
        users: [{ account: "alice", wallet: addr("alice"), spend: 80n, stake: 5n, gm: 0n }],
      },
    ],
  };
  const rewards = computeEpochRewards(input);

  it("pays what the hand computation says", () => {
    assert.deepEqual(rewards.perMt, [
      { mt: lower(A), usage: 100n, ageFactor: (4n * ONE) / 5n, emission: 800_008n, issuerBonus: 80_000n, usersEmission: 720_008n },
      { mt: lower(B), usage: 80n, ageFactor: ONE / 4n, emission: 200_002n, issuerBonus: 20_000n, usersEmission: 180_002n },
    ].sort((x, y) => (x.mt < y.mt ? -1 : 1)));
    const expected: [string, Address | null, Address, bigint][] = [
      ["alice", lower(addr("alice")), lower(FLOCK), 360_004n + 180_002n + 40n],
      ["alice", lower(addr("alice")), lower(B), 63n],
      ["bob", null, lower(FLOCK), 360_004n],
      [lower(addr("issuer A")), lower(addr("issuer A")), lower(FLOCK), 80_000n],
      [lower(addr("issuer B")), lower(addr("issuer B")), lower(FLOCK), 20_000n],
    ];
    assert.deepEqual(
      rewards.allotments,
      expected.map(([account, wallet, token, amount]) => ({ account, wallet, token, amount })).sort((x, y) =>
        x.account < y.account ? -1 : x.account > y.account ? 1 : x.token < y.token ? -1 : 1),
    );
    const dust: EpochRewards["dust"] = [
      { token: lower(FLOCK), amount: 500n },
      { token: lower(A), amount: 900n },
      { token: lower(B), amount: 0n },
      { token: lower(C), amount: 7n },
    ].sort((x, y) => (x.token < y.token ? -1 : 1));
    assert.deepEqual(rewards.dust, dust);
    assert.deepEqual(rewards.totals, {
      emitted: 1_000_000n,
      released: [{ token: lower(FLOCK), amount: 540n }, { token: lower(A), amount: 900n }, { token: lower(B), amount: 60n }]
        .sort((x, y) => (x.token < y.token ? -1 : 1)),
    });
  });

  it("refuses inconsistent input with a sentence saying what is wrong", () => {
    const [a, b] = input.deployments as [EpochDeployment, EpochDeployment];
    const with_ = (deployments: EpochDeployment[], carry = input.carry) => () => computeEpochRewards({ ...input, deployments, carry });
    assert.throws(with_([a, { ...b, users: [{ ...b.users[0]!, wallet: null }] }]), /account alice comes with two wallets/);
    assert.throws(with_([{ ...a, users: [...a.users, a.users[0]!] }]), /account alice is listed twice/);
    assert.throws(with_([a, { ...b, mt: a.mt }]), /listed twice/);
    assert.throws(with_([{ ...a, mt: zeroAddress }]), /zero address/);
    assert.throws(with_([{ ...a, mt: FLOCK }]), /cannot be FLOCK/);
    assert.throws(with_([{ ...a, users: [{ ...a.users[0]!, spend: -1n }] }]), /spend of alice .* must not be negative/);
    assert.throws(with_([{ ...a, users: [{ ...a.users[0]!, account: "" }] }]), /empty account id/);
    assert.throws(with_([{ ...a, graduatedAt: end + 1n }]), /after epoch 500 ends/);
    assert.throws(with_([a], [{ token: FLOCK, amount: 1n }, { token: lower(FLOCK), amount: 2n }]), /lists token .* twice/);
    assert.throws(() => computeEpochRewards({ ...input, emission: -1n }), RangeError);
  });
});

// ------------------------------------------------------------------ the epoch input file

const asFile = (input: EpochRewardsInput, r: ReturnType<typeof rng>): EpochInputFile => ({
  ...input,
  version: EPOCH_INPUT_VERSION,
  chainId: 31337,
  emissionDay: input.epoch,
  deployments: input.deployments.map((d) => ({
    ...d,
    gross: r.digits(12),
    hardCost: r.digits(9),
    usageRoot: keccak256(toHex(`usage of ${d.mt}`)),
  })),
});

describe(`the epoch input file (seed ${SEED})`, () => {
  const small: EpochInputFile = {
    version: 1, chainId: 31337, epoch: 7n, emissionDay: 7n, clock: { start: 1_000n, length: 60n }, emission: 5n * 10n ** 22n,
    flock: getAddress("0x00000000000000000000000000000000000000aa"),
    carry: [{ token: getAddress("0x00000000000000000000000000000000000000aa"), amount: 3n }],
    deployments: [{
      mt: getAddress("0x00000000000000000000000000000000000000bb"), issuer: getAddress("0x00000000000000000000000000000000000000cc"),
      graduatedAt: 1_200n, gross: 1_500n, hardCost: 400n, usageRoot: `0x${"AB".repeat(32)}`, poolRelease: { flock: 1n, mt: 2n },
      users: [
        { account: "模型 team", wallet: null, spend: 1_500n, stake: 0n, gm: 0n },
        { account: "acct_1", wallet: getAddress("0x00000000000000000000000000000000000000dd"), spend: 0n, stake: 9n, gm: 10n },
      ],
    }],
  };

  it("is canonical JSON: keys sorted, integers as decimal strings, lower-case addresses, users by account, no whitespace", () => {
    const json = encodeEpochInput(small);
    assert.equal(json, '{"carry":[{"amount":"3","token":"0x00000000000000000000000000000000000000aa"}],"chainId":31337,' +
      '"clock":{"length":"60","start":"1000"},"deployments":[{"graduatedAt":"1200","gross":"1500","hardCost":"400",' +
      '"issuer":"0x00000000000000000000000000000000000000cc","mt":"0x00000000000000000000000000000000000000bb",' +
      '"poolRelease":{"flock":"1","mt":"2"},"usageRoot":"0x' + "ab".repeat(32) + '","users":[' +
      '{"account":"acct_1","gm":"10","spend":"0","stake":"9","wallet":"0x00000000000000000000000000000000000000dd"},' +
      '{"account":"模型 team","gm":"0","spend":"1500","stake":"0","wallet":null}]}],"emission":"50000000000000000000000",' +
      '"emissionDay":"7","epoch":"7","flock":"0x00000000000000000000000000000000000000aa","version":1}');
    // The hash commits to the UTF-8 bytes (Node's own encoder here, not viem's).
    assert.equal(epochInputHash(json), keccak256(new Uint8Array(Buffer.from(json, "utf8"))));
    assert.equal(epochInputHash(""), "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", "keccak256 of no bytes");
    assert.notEqual(epochInputHash(encodeEpochInput({ ...small, emission: small.emission + 1n })), epochInputHash(json));
    assert.equal(canonicalJson({ b: [2n, { d: null, c: "x" }], a: 1 }), '{"a":1,"b":["2",{"c":"x","d":null}]}');
  });

  it("round-trips: decoding gives the same inputs (the same rewards), encoding again the same bytes, whatever the order and case", () => {
    const r = rng(SEED + 3);
    for (let i = 0; i < 100; i++) {
      const input = randomEpoch(r);
      const file = asFile(input, r);
      const json = encodeEpochInput(file);
      const decoded = decodeEpochInput(json);
      assert.equal(encodeEpochInput(decoded), json);
      assert.deepEqual(computeEpochRewards(decoded), computeEpochRewards(file));
      const reordered: EpochInputFile = {
        ...file,
        flock: lower(file.flock),
        carry: shuffle(r, file.carry),
        deployments: shuffle(r, file.deployments).map((d) => ({ ...d, mt: lower(d.mt), users: shuffle(r, d.users) })),
      };
      assert.equal(encodeEpochInput(reordered), json, "one canonical form");
      assert.ok(decoded.deployments.every((d) => d.mt === lower(d.mt) && d.users.every((u) => u.wallet === null || u.wallet === lower(u.wallet))));
    }
    assert.deepEqual(decodeEpochInput(encodeEpochInput(small)).deployments[0]!.users.map((u) => u.account), ["acct_1", "模型 team"]);
  });

  it("streams: writeEpochInput writes encodeEpochInput's bytes and hash, readEpochInput reads them back from any cut", async () => {
    /** `bytes` cut at pseudo-random places (UTF-8 characters split among them). */
    const cut = (bytes: Uint8Array, r: ReturnType<typeof rng>) => {
      const pieces: Uint8Array[] = [];
      for (let at = 0; at < bytes.length; ) {
        const n = r.int(1, 40);
        pieces.push(bytes.subarray(at, at + n));
        at += n;
      }
      return pieces;
    };
    const r = rng(SEED + 5);
    const files = [small, ...Array.from({ length: 30 }, () => asFile(randomEpoch(r), r))];
    for (const file of files) {
      const json = encodeEpochInput(file);
      const written: Uint8Array[] = [];
      const { hash, bytes } = await writeEpochInput(file, (b) => void written.push(b));
      const all = Buffer.concat(written);
      assert.equal(all.toString("utf8"), json, "the same bytes");
      assert.equal(bytes, Buffer.byteLength(json, "utf8"));
      assert.equal(hash, epochInputHash(json), "the same hash");
      const read = await readEpochInput(cut(all, r));
      assert.deepEqual(read, { file: decodeEpochInput(json), hash, bytes });
    }
    // A file of many megabytes goes out in pieces, not one string.
    const many: EpochInputFile = {
      ...small,
      deployments: [{ ...small.deployments[0]!, users: Array.from({ length: 30_000 }, (_, i) => ({ account: `acct_${i}`, wallet: null, spend: BigInt(i + 1), stake: 0n, gm: 0n })) }],
    };
    const pieces: Uint8Array[] = [];
    const { hash } = await writeEpochInput(many, (b) => void pieces.push(b));
    assert.ok(pieces.length > 1, `${pieces.length} piece(s)`);
    assert.equal(hash, epochInputHash(encodeEpochInput(many)));
    assert.deepEqual((await readEpochInput(pieces)).file, decodeEpochInput(encodeEpochInput(many)));
    // A file that is not JSON, or not an epoch's, is refused as decodeEpochInput refuses it.
    await assert.rejects(readEpochInput([Buffer.from('{"version":1')]), (e: unknown) => e instanceof EpochInputError && /not JSON/.test(e.message));
    await assert.rejects(readEpochInput([Buffer.from("[]")]), (e: unknown) => e instanceof EpochInputError && /\(top\): expected an object/.test(e.message));
  });

  it("canonical JSON in pieces is the canonical JSON, and JSON in pieces parses as JSON.parse parses the whole", async () => {
    const r = rng(SEED + 6);
    const values: unknown[] = [
      { b: [2n, { d: null, c: "x", u: undefined }, undefined], a: 1, z: { q: [1], r: undefined }, ["__proto__"]: { p: [] } },
      [], {}, "s", 0, null, [[[]]], { k: { l: { m: ["\"]\\", "模型"] } } },
    ];
    for (const value of values) {
      const json = canonicalJson(value);
      assert.equal([...canonicalJsonChunks(value)].join(""), json);
      for (const spaced of [json, JSON.stringify(JSON.parse(json), null, 2)]) {
        const pieces: string[] = [];
        for (let at = 0; at < spaced.length; ) {
          const n = r.int(1, 5);
          pieces.push(spaced.slice(at, at + n));
          at += n;
        }
        assert.deepEqual(await parseJsonChunks(pieces), JSON.parse(spaced));
      }
    }
    for (const bad of ["", "{", "[1,]", '{"a" 1}', "[1] 2", '{"a":1,}', '["x]']) await assert.rejects(parseJsonChunks([bad]), SyntaxError, bad);
  });

  it("refuses a malformed file with an EpochInputError naming the field", () => {
    const good = JSON.parse(encodeEpochInput(small)) as Record<string, any>;
    const bad = (edit: (f: Record<string, any>) => void) => {
      const f = structuredClone(good);
      edit(f);
      return () => decodeEpochInput(JSON.stringify(f));
    };
    const refuses = (fn: () => unknown, message: RegExp) => assert.throws(fn, (e: unknown) => e instanceof EpochInputError && message.test(e.message));
    refuses(() => decodeEpochInput("{"), /not JSON/);
    refuses(() => decodeEpochInput("[]"), /\(top\): expected an object/);
    refuses(bad((f) => (f.version = 2)), /version: this SDK reads version 1, got 2/);
    refuses(bad((f) => delete f.emission), /emission: missing/);
    refuses(bad((f) => (f.extra = 1)), /extra: unknown field/);
    refuses(bad((f) => (f.chainId = "31337")), /chainId: expected a positive integer/);
    refuses(bad((f) => (f.emission = 5)), /emission: expected a non-negative integer as a decimal string, got 5/);
    refuses(bad((f) => (f.emission = "-1")), /emission: expected a non-negative integer/);
    refuses(bad((f) => (f.emission = "1.5")), /emission: expected a non-negative integer/);
    refuses(bad((f) => (f.emission = "007")), /emission: expected a non-negative integer/);
    refuses(bad((f) => (f.emission = (1n << 256n).toString())), /emission: does not fit in uint256/);
    refuses(bad((f) => (f.clock.length = "0")), /clock.length: an epoch lasts at least one second/);
    refuses(bad((f) => (f.flock = "0x1234")), /flock: expected an address/);
    refuses(bad((f) => (f.carry[0].token = 7)), /carry\[0\].token: expected an address/);
    refuses(bad((f) => (f.deployments = {})), /deployments: expected an array/);
    refuses(bad((f) => (f.deployments[0].usageRoot = "0x12")), /deployments\[0\].usageRoot: expected a 32-byte hex string/);
    refuses(bad((f) => delete f.deployments[0].poolRelease.mt), /deployments\[0\].poolRelease.mt: missing/);
    refuses(bad((f) => (f.deployments[0].users[1].account = "")), /deployments\[0\].users\[1\].account: expected a non-empty ledger account id/);
    refuses(bad((f) => (f.deployments[0].users[0].wallet = "alice")), /deployments\[0\].users\[0\].wallet: expected an address/);
    refuses(bad((f) => (f.deployments[0].users[0].gm = null)), /deployments\[0\].users\[0\].gm: expected a non-negative integer/);
    // encode writes only what decode reads.
    refuses(() => encodeEpochInput({ ...small, emission: -1n }), /emission: expected a non-negative integer/);
    assert.doesNotThrow(bad(() => {}));
  });

  it("carries the keeper's cumulative state in canonical form, read back as written, and names its bad fields", () => {
    const [w1, w2, t] = ["0x00000000000000000000000000000000000000e2", "0x00000000000000000000000000000000000000E1", "0x00000000000000000000000000000000000000aa"] as [Address, Address, Address];
    const withState: EpochInputFile = {
      ...small,
      cumulative: {
        previous: { epoch: 6n, emissionTotal: 9n, entries: [{ account: w1, token: t, cumulativeAmount: 5n }, { account: w2, token: t, cumulativeAmount: 4n }] },
        accrued: [{ account: "z", wallet: null, token: t, amount: 2n }, { account: "b", wallet: w2, token: t, amount: 1n }],
      },
    };
    const json = encodeEpochInput(withState);
    const tail = json.slice(json.indexOf('"cumulative"'), json.indexOf('"deployments"'));
    assert.equal(tail, '"cumulative":{"accrued":[{"account":"b","amount":"1","token":"0x00000000000000000000000000000000000000aa",' +
      '"wallet":"0x00000000000000000000000000000000000000e1"},{"account":"z","amount":"2","token":"0x00000000000000000000000000000000000000aa",' +
      '"wallet":null}],"previous":{"emissionTotal":"9","entries":[{"account":"0x00000000000000000000000000000000000000e1","cumulativeAmount":"4",' +
      '"token":"0x00000000000000000000000000000000000000aa"},{"account":"0x00000000000000000000000000000000000000e2","cumulativeAmount":"5",' +
      '"token":"0x00000000000000000000000000000000000000aa"}],"epoch":"6"}},');
    assert.equal(encodeEpochInput(decodeEpochInput(json)), json);
    assert.equal(encodeEpochInput({ ...withState, cumulative: { previous: null, accrued: [] } }).includes('"cumulative":{"accrued":[],"previous":null}'), true);
    const good = JSON.parse(json) as Record<string, any>;
    const refuses = (edit: (f: Record<string, any>) => void, message: RegExp) => {
      const f = structuredClone(good);
      edit(f);
      assert.throws(() => decodeEpochInput(JSON.stringify(f)), (e: unknown) => e instanceof EpochInputError && message.test(e.message));
    };
    refuses((f) => delete f.cumulative.accrued, /cumulative\.accrued: missing/);
    refuses((f) => (f.cumulative.previous.entries[1].cumulativeAmount = "-1"), /cumulative\.previous\.entries\[1\]\.cumulativeAmount: expected a non-negative integer/);
    refuses((f) => (f.cumulative.accrued[0].account = ""), /cumulative\.accrued\[0\]\.account: expected a non-empty ledger account id/);
    refuses((f) => (f.cumulative.accrued[1].wallet = "0x12"), /cumulative\.accrued\[1\]\.wallet: expected an address/);
  });
});
