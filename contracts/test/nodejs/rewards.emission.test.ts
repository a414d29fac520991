// EmissionSchedule against an independent bigint computation: the decay constant from its
// definition (bisection on 2·q^180 <= RAY^180), the documented rounding of rpow, the exact rational
// value, halving after 180 days, and days summing to the cumulative schedule exactly; days of the
// schedule's own length (a minute on a local demo chain) and its bounds.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { emissionScheduleAbi, INITIAL_EMISSION } from "@fomo/sdk";
import { bytecodeOf } from "@fomo/deploy";
import { DAY, HOUR } from "@fomo/testkit";
import { reverts } from "@fomo/testkit/reverts";
import { RAY, createWorld, cumulativeExact, cumulativeRef, dailyDecayRef, rpowRef } from "./engine-fixtures.ts";

const w = await createWorld();
const Q = dailyDecayRef();
const HORIZON = 720n; // two half-lives, day by day

/** Reads many days at once (eth_calls are independent). */
const each = <T>(days: bigint[], f: (d: bigint) => Promise<T>) => Promise.all(days.map(f));
const range = (n: bigint) => Array.from({ length: Number(n) }, (_, i) => BigInt(i));

describe("EmissionSchedule", () => {
  it("uses q = ⌊2^(−1/180)·1e27⌋ and E0 = INITIAL_EMISSION", async () => {
    const { c } = await w.deployed();
    // Sanity of the reference itself: q is the largest ray value with q^180 <= 1/2.
    assert.ok(2n * Q ** 180n <= RAY ** 180n && 2n * (Q + 1n) ** 180n > RAY ** 180n);
    assert.equal(await c.schedule.read.DAILY_DECAY(), Q);
    assert.equal(await c.schedule.read.RAY(), RAY);
    assert.equal(await c.schedule.read.HALF_LIFE_DAYS(), 180n);
    assert.equal(await c.schedule.read.dayLength(), DAY, "deployLocal's days last a day unless told otherwise");
    assert.equal(await c.schedule.read.initialEmission(), INITIAL_EMISSION);
    assert.equal(await c.schedule.read.emission([0n]), INITIAL_EMISSION, "E(0) = E0");
    assert.equal(await c.schedule.read.cumulative([0n]), INITIAL_EMISSION, "C(0) = E0");
  });

  it("rpow rounds down at each step exactly as documented", async () => {
    const { c } = await w.deployed();
    for (const n of [0n, 1n, 2n, 3n, 179n, 180n, 181n, 365n, 1_000n, 36_500n]) {
      assert.equal(await c.schedule.read.rpow([Q, n]), rpowRef(Q, n), `q^${n}`);
    }
    assert.equal(await c.schedule.read.rpow([RAY / 2n, 3n]), RAY / 8n);
    assert.equal(await c.schedule.read.rpow([0n, 0n]), RAY, "x^0 = 1");
  });

  it("C(d) equals the reference to the wei and the exact rational value within 1e-15, for every day of two half-lives", async () => {
    const { c, d: deployment } = await w.deployed();
    const days = [...range(HORIZON + 1n), 1_000n, 3_650n, 36_500n];
    const onChain = await each(days, (d) => c.schedule.read.cumulative([d]));
    days.forEach((d, i) => {
      const got = onChain[i]!;
      assert.equal(got, cumulativeRef(INITIAL_EMISSION, Q, d), `C(${d}) vs the documented algorithm`);
      const exact = cumulativeExact(INITIAL_EMISSION, Q, d);
      const diff = got > exact ? got - exact : exact - got;
      assert.ok(diff * 10n ** 15n <= exact, `C(${d}) = ${got} vs exact ${exact}`);
    });
    // The schedule never emits more than its geometric limit E0/(1 − q), which the reserve covers.
    const limit = (INITIAL_EMISSION * RAY) / (RAY - Q);
    assert.ok(onChain.at(-1)! <= limit);
    assert.ok(await w.balanceOf(deployment.contracts.flock, deployment.roles.emissionReserve) >= limit);
  });

  it("E(d) = C(d) − C(d−1), never rises, and Σ E(0..D) = C(D) exactly", async () => {
    const { c } = await w.deployed();
    const days = range(HORIZON + 1n);
    const e = await each(days, (d) => c.schedule.read.emission([d]));
    const cum = await each(days, (d) => c.schedule.read.cumulative([d]));
    let sum = 0n;
    for (const d of days) {
      const i = Number(d);
      assert.equal(e[i], d === 0n ? cum[0] : cum[i]! - cum[i - 1]!, `E(${d})`);
      if (i > 0) assert.ok(e[i]! <= e[i - 1]!, `E(${d}) <= E(${d - 1n})`);
      sum += e[i]!;
      assert.equal(sum, cum[i], `Σ E(0..${d}) = C(${d})`);
    }
  });

  it("halves every 180 days (within 1e-9 relative)", async () => {
    const { c } = await w.deployed();
    const [e0, e180, e360] = await each([0n, 180n, 360n], (d) => c.schedule.read.emission([d]));
    const within = (a: bigint, b: bigint, what: string) =>
      assert.ok((a > b ? a - b : b - a) * 10n ** 9n <= b, `${what}: ${a} vs ${b}`);
    within(2n * e180!, e0!, "2·E(180) ≈ E(0)");
    within(4n * e360!, e0!, "4·E(360) ≈ E(0)");
    // Days 180..359 emit half of days 0..179.
    const [c179, c359] = await each([179n, 359n], (d) => c.schedule.read.cumulative([d]));
    within(2n * (c359! - c179!), c179!, "C(359) − C(179) ≈ C(179)/2");
  });

  it("dayOf / today: day 0 starts at `start`; earlier timestamps revert EmissionScheduleNotStarted", async () => {
    const { c } = await w.deployed();
    const start = await c.schedule.read.start();
    await reverts(c.schedule.read.dayOf([start - 1n]), "EmissionScheduleNotStarted", [start]);
    assert.equal(await c.schedule.read.dayOf([start]), 0n);
    assert.equal(await c.schedule.read.dayOf([start + DAY - 1n]), 0n);
    assert.equal(await c.schedule.read.dayOf([start + DAY]), 1n);
    assert.equal(await c.schedule.read.dayOf([start + 365n * DAY + 5n]), 365n);
    await w.jumpTo(start + 3n * DAY + 7n);
    assert.equal(await c.schedule.read.today(), 3n);
  });

  it("counts days of its dayLength: on a 60-s schedule (deployLocal epochSeconds) a day is a minute and the half-life 3 hours", async () => {
    const short = await createWorld({ epochSeconds: 60 });
    const { c } = await short.deployed();
    const start = await c.schedule.read.start();
    const minute = 60n;
    assert.equal(await c.schedule.read.dayLength(), minute);
    await reverts(c.schedule.read.dayOf([start - 1n]), "EmissionScheduleNotStarted", [start]);
    assert.equal(await c.schedule.read.dayOf([start + minute - 1n]), 0n);
    assert.equal(await c.schedule.read.dayOf([start + minute]), 1n);
    assert.equal(await c.schedule.read.dayOf([start + 3n * HOUR]), 180n, "180 days of the schedule are 3 hours");
    await short.jumpTo(start + 5n * minute + 59n);
    assert.equal(await c.schedule.read.today(), 5n);
    // The emission is indexed by days, whatever they last: the same amounts as the production schedule's.
    const { c: daily } = await w.deployed();
    for (const d of [0n, 1n, 179n, 180n, 1_000n]) {
      assert.equal(await c.schedule.read.emission([d]), await daily.schedule.read.emission([d]), `E(${d})`);
    }
  });

  it("refuses a day shorter than a minute or longer than a day", async () => {
    const { c } = await w.deployed();
    const [min, max] = [await c.schedule.read.MIN_DAY_LENGTH(), await c.schedule.read.MAX_DAY_LENGTH()];
    assert.deepEqual([min, max], [60n, DAY]);
    const deploy = (dayLength: bigint) =>
      w.deployer.deployContract({ abi: emissionScheduleAbi, bytecode: bytecodeOf("EmissionSchedule"), args: [INITIAL_EMISSION, 0n, dayLength] } as never);
    for (const bad of [0n, min - 1n, max + 1n]) await reverts(deploy(bad), "EmissionScheduleDayLengthOutOfBounds", [bad, min, max]);
    for (const ok of [min, max]) {
      const address = await w.deploy("EmissionSchedule", emissionScheduleAbi, [INITIAL_EMISSION, 0n, ok]);
      assert.equal(await w.publicClient.readContract({ address, abi: emissionScheduleAbi, functionName: "dayLength" }), ok);
    }
  });
});
