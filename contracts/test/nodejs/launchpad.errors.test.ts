// Every custom error the Launchpad raises: each bad input reverts with exactly that error (and its
// arguments) and moves nothing (FLOCK/$MT balances, offering state, positions, counters unchanged).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, keccak256, toHex, type Address } from "viem";
import { FLOCK, TOTAL_SUPPLY, quoteBuy, type CurveState } from "@fomo/sdk";
import { DAY, HOUR } from "@fomo/testkit";
import { SNIPE_END, eventOf, fixtureAt, fresh, type Fixture } from "./fixtures.ts";

// Lifecycle states as the Launchpad's State enum numbers them.
const RAISING = 1;
const SUCCEEDED = 2;
const FAILED = 3;
const GRADUATED = 4;

/**
 * One offering in each state: FAIL (closed under raiseMin), SUCC (closed over raiseMin), GRAD
 * (filled to raiseMax) and RAISE (open), each with a position for alice.
 */
const world = fixtureAt(async (f: Fixture) => {
  const fail = (await f.launch({ ticker: "FAIL" })).mt;
  const succ = (await f.launch({ ticker: "SUCC" })).mt;
  const grad = (await f.launch({ ticker: "GRAD" })).mt;
  await f.wait(SNIPE_END);
  await f.buy(f.alice, fail, 10_000n * FLOCK);
  await f.buy(f.alice, succ, 300_000n * FLOCK);
  await f.buy(f.alice, grad, 100_000n * FLOCK);
  await f.fillToMax(grad, [f.bob]);
  await f.wait(7n * DAY);
  const raise = (await f.launch({ ticker: "RAISE" })).mt;
  await f.wait(SNIPE_END);
  await f.buy(f.alice, raise, 10_000n * FLOCK);
  const mts = { fail, succ, grad, raise };
  assert.deepEqual(
    await Promise.all(Object.values(mts).map((mt) => f.launchpad.read.stateOf([mt]))),
    [FAILED, SUCCEEDED, GRADUATED, RAISING],
  );
  return { ...mts, all: Object.values(mts) };
});

describe("Launchpad errors: unknown offerings and wrong states", () => {
  it("LaunchpadUnknownOffering from every function that takes an offering; stateOf says None", async () => {
    const f = await world();
    const nobody = f.d.contracts.flock; // a contract, but not an offering
    const a = f.alice.account.address;
    const lp = f.lp(f.alice);
    const calls: [string, () => Promise<unknown>][] = [
      ["buy", async () => lp.write.buy([nobody, FLOCK, 0n, (await f.now()) + HOUR])],
      ["graduate", () => lp.write.graduate([nobody])],
      ["refund", () => lp.write.refund([nobody, a])],
      ["claim", () => lp.write.claim([nobody, a])],
      ["settleFees", () => lp.write.settleFees([nobody])],
      ["offering", () => f.launchpad.read.offering([nobody])],
      ["quoteBuy", () => f.launchpad.read.quoteBuy([nobody, FLOCK])],
      ["priceOf", () => f.launchpad.read.priceOf([nobody])],
      ["modelIdOf", () => f.launchpad.read.modelIdOf([nobody])],
    ];
    for (const [, call] of calls) await f.expectRevert(call, f.launchpad, "LaunchpadUnknownOffering", [nobody], f.all);
    assert.equal(await f.launchpad.read.stateOf([nobody]), 0);
  });

  it("LaunchpadWrongState: buy (and quoteBuy) after the window closed or after graduation", async () => {
    const f = await world();
    for (const [mt, state] of [[f.succ, SUCCEEDED], [f.fail, FAILED], [f.grad, GRADUATED]] as const) {
      await f.expectRevert(() => f.sendBuy(f.bob, mt, 1_000n * FLOCK), f.launchpad, "LaunchpadWrongState", [mt, state], f.all);
      await f.expectRevert(() => f.launchpad.read.quoteBuy([mt, FLOCK]), f.launchpad, "LaunchpadWrongState", [mt, state]);
    }
  });

  it("LaunchpadWrongState: graduate before close, after a failed raise, and a second time", async () => {
    const f = await world();
    for (const [mt, state] of [[f.raise, RAISING], [f.fail, FAILED], [f.grad, GRADUATED]] as const) {
      await f.expectRevert(() => f.lp(f.bob).write.graduate([mt]), f.launchpad, "LaunchpadWrongState", [mt, state], f.all);
    }
  });

  it("LaunchpadWrongState: refund while raising, after success, after graduation", async () => {
    const f = await world();
    const a = f.alice.account.address;
    for (const [mt, state] of [[f.raise, RAISING], [f.succ, SUCCEEDED], [f.grad, GRADUATED]] as const) {
      await f.expectRevert(() => f.lp(f.alice).write.refund([mt, a]), f.launchpad, "LaunchpadWrongState", [mt, state], f.all);
    }
  });

  it("LaunchpadWrongState: claim before graduation (raising, succeeded, failed)", async () => {
    const f = await world();
    const a = f.alice.account.address;
    for (const [mt, state] of [[f.raise, RAISING], [f.succ, SUCCEEDED], [f.fail, FAILED]] as const) {
      await f.expectRevert(() => f.lp(f.alice).write.claim([mt, a]), f.launchpad, "LaunchpadWrongState", [mt, state], f.all);
    }
  });
});

describe("Launchpad errors: amounts, slippage and deadlines", () => {
  it("LaunchpadZeroAmount for a zero buy and a zero quote", async () => {
    const f = await world();
    await f.expectRevert(() => f.sendBuy(f.bob, f.raise, 0n), f.launchpad, "LaunchpadZeroAmount", [], f.all);
    await f.expectRevert(() => f.launchpad.read.quoteBuy([f.raise, 0n]), f.launchpad, "LaunchpadZeroAmount", []);
  });

  it("LaunchpadInsufficientOutput for a dust buy that would get no $MT, even with minMtOut = 0", async () => {
    const f = await world();
    // 1 wei: the 1.5% fee rounds up to the whole wei, so nothing enters the curve.
    await f.expectRevert(() => f.sendBuy(f.bob, f.raise, 1n), f.launchpad, "LaunchpadInsufficientOutput", [0n, 0n], f.all);
  });

  it("LaunchpadInsufficientOutput when the buy gives less than minMtOut; exactly minMtOut is accepted", async () => {
    const f = await world();
    const flockIn = 50_000n * FLOCK;
    const ts = (await f.now()) + 10n;
    const expected = await f.expectBuy(f.raise, flockIn, ts);
    await f.nextAt(ts);
    await f.expectRevert(
      () => f.sendBuy(f.bob, f.raise, flockIn, expected.mtOut + 1n),
      f.launchpad, "LaunchpadInsufficientOutput", [expected.mtOut, expected.mtOut + 1n], f.all,
    );
    await f.nextAt(ts);
    await f.buy(f.bob, f.raise, flockIn, expected.mtOut);
    assert.equal((await f.launchpad.read.positionOf([f.raise, f.bob.account.address])).mt, expected.mtOut);
  });

  it("LaunchpadInsufficientOutput on launch: minMtOut without a first buy, or above what the first buy gives", async () => {
    const f = await world();
    await f.expectRevert(() => f.sendLaunch({ ticker: "NEW", minMtOut: 1n }), f.launchpad, "LaunchpadInsufficientOutput", [0n, 1n], f.all);
    const firstBuy = 10_000n * FLOCK;
    const terms = await f.registry.read.terms([0]);
    const start: CurveState = { ...terms.sale, ...terms.curve, raised: 0n };
    const mtOut = quoteBuy(start, firstBuy, terms.sale.feeBps).mtOut;
    await f.expectRevert(
      () => f.sendLaunch({ ticker: "NEW", firstBuy, minMtOut: mtOut + 1n }),
      f.launchpad, "LaunchpadInsufficientOutput", [mtOut, mtOut + 1n], f.all,
    );
  });

  it("LaunchpadDeadlineExpired for launch and buy one second late; the deadline second itself is accepted", async () => {
    const f = await world();
    const t = (await f.now()) + 100n;
    await f.nextAt(t);
    await f.expectRevert(() => f.sendLaunch({ ticker: "NEW", deadline: t - 1n }), f.launchpad, "LaunchpadDeadlineExpired", [t - 1n, t], f.all);
    await f.nextAt(t);
    await f.expectRevert(() => f.sendBuy(f.bob, f.raise, FLOCK, 0n, t - 1n), f.launchpad, "LaunchpadDeadlineExpired", [t - 1n, t], f.all);
    await f.nextAt(t);
    await f.mined(f.sendLaunch({ ticker: "NEW", deadline: t }));
    await f.nextAt(t + 1n);
    await f.mined(f.sendBuy(f.bob, f.raise, FLOCK, 0n, t + 1n));
  });

  it("LaunchpadFirstBuyTooLarge one wei past the 250,000 $MT cap; the largest first buy under it works", async () => {
    const f = await fresh();
    const terms = await f.registry.read.terms([0]);
    const start: CurveState = { ...terms.sale, ...terms.curve, raised: 0n };
    const cap = (TOTAL_SUPPLY * 2_500n) / 10_000n;
    assert.equal(cap, 250_000n * FLOCK);
    const mtFor = (gross: bigint) => quoteBuy(start, gross, terms.sale.feeBps).mtOut;
    // Largest gross first buy whose $MT stays within the cap (mtOut is monotone in the amount).
    let lo = 1n;
    let hi = terms.sale.raiseMax;
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (mtFor(mid) <= cap) lo = mid;
      else hi = mid;
    }
    // Closed form: net f* with Y0 - X0·Y0/(X0 + f*) = cap, gross = f*/(1 - 1.5%): ≈ 362,581.6 FLOCK.
    const { virtualFlock: x0, virtualMt: y0 } = terms.curve;
    const grossStar = (((x0 * y0) / (y0 - cap) - x0) * 10_000n) / 9_850n;
    assert.ok(lo > grossStar - FLOCK && lo < grossStar + FLOCK, `cap boundary ${lo} near ${grossStar}`);

    await f.expectRevert(
      () => f.sendLaunch({ ticker: "BIG", firstBuy: lo + 1n }),
      f.launchpad, "LaunchpadFirstBuyTooLarge", [mtFor(lo + 1n), cap],
    );
    const { mt } = await f.launch({ ticker: "BIG", firstBuy: lo });
    const pos = await f.launchpad.read.positionOf([mt, f.issuer.account.address]);
    assert.equal(pos.mt, mtFor(lo));
    assert.ok(pos.mt <= cap && pos.mt > cap - FLOCK);
  });
});

describe("Launchpad errors: names, tickers and model ids", () => {
  it("LaunchpadInvalidName: empty, 33 bytes, control or non-ASCII characters; 32 printable bytes are fine", async () => {
    const f = await world();
    for (const name of ["", "x".repeat(33), "tab\there", "new\nline", "caf\u00e9", "del\u007f"]) {
      await f.expectRevert(() => f.sendLaunch({ ticker: "NEW", name }), f.launchpad, "LaunchpadInvalidName", [name], f.all);
    }
    await f.launch({ ticker: "NEW", name: " ~".repeat(16) });
  });

  it("LaunchpadInvalidTicker: empty, 11 chars, lower case, punctuation, spaces; 10 of A-Z0-9 is fine", async () => {
    const f = await world();
    for (const ticker of ["", "ABCDEFGHIJK", "abc", "AB-C", "A B", "A.B", "\u00c9"]) {
      await f.expectRevert(() => f.sendLaunch({ ticker }), f.launchpad, "LaunchpadInvalidTicker", [ticker], f.all);
    }
    const { mt } = await f.launch({ ticker: "AZ09AZ09AZ" });
    assert.equal(await f.launchpad.read.modelIdOf([mt]), "stories-260k-az09az09az");
  });

  it("LaunchpadModelIdTaken for a ticker used on the same base model by an offering raising, succeeded or graduated", async () => {
    const f = await world();
    // (A failed offering's id is released: launchpad.review.test.ts.)
    for (const [ticker, mt] of [["SUCC", f.succ], ["RAISE", f.raise], ["GRAD", f.grad]] as const) {
      const modelId = `stories-260k-${ticker.toLowerCase()}`;
      await f.expectRevert(() => f.sendLaunch({ ticker, by: f.bob }), f.launchpad, "LaunchpadModelIdTaken", [modelId, mt], f.all);
      assert.equal(await f.launchpad.read.deploymentOf([keccak256(toHex(modelId))]), mt);
    }
  });

  it("the same ticker on another template's base model is a different deployment", async () => {
    const f = await world();
    const { mt } = await f.launch({ ticker: "RAISE", templateId: 1 });
    assert.notEqual(mt, f.raise);
    assert.equal(await f.launchpad.read.modelIdOf([mt]), "qwen3-30b-a3b-instruct-raise");
    assert.equal(await f.launchpad.read.modelIdOf([f.raise]), "stories-260k-raise");
    assert.equal(await f.launchpad.read.deploymentOf([keccak256(toHex("qwen3-30b-a3b-instruct-raise"))]), mt);
  });
});

describe("Launchpad errors: refunds, claims and fee settlement", () => {
  it("LaunchpadNothingToRefund for an account without a position and for a second refund", async () => {
    const f = await world();
    const [a, c] = [f.alice.account.address, f.carol.account.address];
    await f.expectRevert(() => f.lp(f.carol).write.refund([f.fail, c]), f.launchpad, "LaunchpadNothingToRefund", [f.fail, c], f.all);
    await f.mined(f.lp(f.alice).write.refund([f.fail, a]));
    await f.expectRevert(() => f.lp(f.alice).write.refund([f.fail, a]), f.launchpad, "LaunchpadNothingToRefund", [f.fail, a], f.all);
  });

  it("LaunchpadNothingToClaim for an account without a position and for a second claim", async () => {
    const f = await world();
    const [a, c] = [f.alice.account.address, f.carol.account.address];
    await f.expectRevert(() => f.lp(f.carol).write.claim([f.grad, c]), f.launchpad, "LaunchpadNothingToClaim", [f.grad, c], f.all);
    await f.mined(f.lp(f.alice).write.claim([f.grad, a]));
    await f.expectRevert(() => f.lp(f.alice).write.claim([f.grad, a]), f.launchpad, "LaunchpadNothingToClaim", [f.grad, a], f.all);
  });

  it("LaunchpadNothingToWithdraw: settleFees with no buys, and a second settlement in every state, by anyone", async () => {
    const f = await world();
    const { mt } = await f.launch({ ticker: "NOBUY" });
    const all = [...f.all, mt];
    for (const who of [f.issuer, f.alice, f.deployer]) {
      await f.expectRevert(() => f.lp(who).write.settleFees([mt]), f.launchpad, "LaunchpadNothingToWithdraw", [mt], all);
    }
    for (const m of [f.raise, f.succ, f.fail, f.grad]) {
      await f.settle(m, f.alice);
      for (const who of [f.issuer, f.alice]) {
        await f.expectRevert(() => f.lp(who).write.settleFees([m]), f.launchpad, "LaunchpadNothingToWithdraw", [m], all);
      }
    }
  });
});

describe("Launchpad errors: governance", () => {
  it("LaunchpadInvalidParameter from the setters; the bounds themselves are accepted", async () => {
    const f = await fresh();
    const zero = "0x0000000000000000000000000000000000000000";
    const max = await f.launchpad.read.MAX_LAUNCH_FEE();
    assert.equal(max, 1_000_000n * FLOCK);
    await f.expectRevert(() => f.launchpad.write.setTreasury([zero]), f.launchpad, "LaunchpadInvalidParameter", ["treasury"]);
    await f.expectRevert(() => f.launchpad.write.setHostingReserve([zero]), f.launchpad, "LaunchpadInvalidParameter", ["hostingReserve"]);
    await f.expectRevert(() => f.launchpad.write.setLaunchFee([max + 1n]), f.launchpad, "LaunchpadInvalidParameter", ["launchFee"]);
    await f.mined(f.launchpad.write.setLaunchFee([max]));
    assert.equal(await f.launchpad.read.launchFee(), max);
    await f.mined(f.launchpad.write.setLaunchFee([0n]));
    assert.equal(await f.launchpad.read.launchFee(), 0n);
    const reserveSet = await f.mined(f.launchpad.write.setHostingReserve([f.carol.account.address]));
    assert.deepEqual(eventOf(reserveSet, "HostingReserveUpdated"), {
      oldHostingReserve: getAddress(f.hostingReserve), newHostingReserve: getAddress(f.carol.account.address),
    });
    assert.equal(getAddress(await f.launchpad.read.hostingReserve()), getAddress(f.carol.account.address));
  });

  it("AccessControl: setters need the admin role, pause/unpause the pauser role", async () => {
    const f = await world();
    const admin = await f.launchpad.read.DEFAULT_ADMIN_ROLE();
    const pauser = await f.launchpad.read.PAUSER_ROLE();
    assert.equal(pauser, keccak256(toHex("PAUSER_ROLE")));
    const x: Address = f.bob.account.address;
    for (const who of [f.alice, f.issuer]) {
      const lp = f.lp(who);
      const me = who.account.address;
      const denied = (call: () => Promise<unknown>, role: `0x${string}`) =>
        f.expectRevert(call, f.launchpad, "AccessControlUnauthorizedAccount", [me, role], f.all);
      await denied(() => lp.write.setTreasury([x]), admin);
      await denied(() => lp.write.setHostingReserve([x]), admin);
      await denied(() => lp.write.setLaunchFee([0n]), admin);
      await denied(() => lp.write.pause(), pauser);
      await denied(() => lp.write.unpause(), pauser);
      await denied(() => lp.write.grantRole([pauser, me]), admin);
    }
  });

  it("EnforcedPause stops launch and buy only: graduate, refund, claim and fee settlement still work", async () => {
    const f = await world();
    const a = f.alice.account.address;
    await f.mined(f.launchpad.write.pause());
    await f.expectRevert(() => f.sendLaunch({ ticker: "NEW" }), f.launchpad, "EnforcedPause", [], f.all);
    await f.expectRevert(() => f.sendBuy(f.bob, f.raise, 1_000n * FLOCK), f.launchpad, "EnforcedPause", [], f.all);

    const flockBefore = await f.flockOf(a);
    const refund = (await f.launchpad.read.positionOf([f.fail, a])).flock;
    await f.mined(f.lp(f.bob).write.refund([f.fail, a]));
    assert.equal(await f.flockOf(a), flockBefore + refund);

    const claimable = (await f.launchpad.read.positionOf([f.grad, a])).mt;
    await f.mined(f.lp(f.bob).write.claim([f.grad, a]));
    assert.equal(await f.mtToken(f.grad).read.balanceOf([a]), claimable);

    await f.mined(f.lp(f.bob).write.graduate([f.succ]));
    assert.equal(await f.launchpad.read.stateOf([f.succ]), GRADUATED);
    for (const mt of [f.raise, f.fail]) await f.settle(mt, f.bob);

    await f.mined(f.launchpad.write.unpause());
    await f.buy(f.bob, f.raise, 1_000n * FLOCK);
  });
});
