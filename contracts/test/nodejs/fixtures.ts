// The launch layer's test world, on the shared in-process chain (chain.ts): FOMO deployed by the same
// code as `./fomo up`, funded supporters, and helpers for launches, buys, time travel, expected values
// (from the SDK's independent bigint curve math) and "reverts with X and moves nothing" checks.
//
// `hardhat test nodejs` runs every file in one process, so the chain is deployed once and each test
// restores a snapshot (`fresh()` for the bare deployment, `fixtureAt(build)` for a prepared state).
import assert from "node:assert/strict";
import {
  getAddress,
  getContract,
  isAddressEqual,
  maxUint256,
  parseEventLogs,
  zeroAddress,
  type Abi,
  type Address,
  type ContractEventName,
  type GetEventArgs,
  type TransactionReceipt,
} from "viem";
import {
  BPS,
  FLOCK,
  TOTAL_SUPPLY,
  allocateGraduation,
  price,
  supplyBucket,
  defaultAllocation,
  defaultSaleTerms,
  incentivePoolAbi,
  launchpadAbi,
  localTokenAbi,
  modelTokenAbi,
  operatorVestingAbi,
  quoteBuy,
  feeBpsAt,
  templateRegistryAbi,
  uniswapV2FactoryAbi,
  uniswapV2PairAbi,
  type BuyQuote,
  type CurveState,
} from "@fomo/sdk";
import { MINUTE } from "@fomo/testkit";
import { eventsOf as logsOf } from "@fomo/testkit/events";
import { reverts } from "@fomo/testkit/reverts";
import { deployLocal } from "@fomo/deploy";
import { openChain, type Wallet } from "./chain.ts";

/** Where graduation sends LP tokens. */
export const DEAD: Address = "0x000000000000000000000000000000000000dEaD";
/** Past the anti-snipe window: 99% - 1pt/min reaches the 1.5% floor at minute 98. */
export const SNIPE_END = 98n * MINUTE;
/** FLOCK minted to every test wallet. */
export const WALLET_FLOCK = 100_000_000n * FLOCK;

/** Ceil division for expected values. */
export const divUp = (a: bigint, b: bigint) => (a + b - 1n) / b;
/** The FLOCK a buy must offer at total fee `bps` for exactly `net` to enter the curve (fee rounded up). */
export const grossForNet = (net: bigint, bps = 150n) => divUp(net * BPS, BPS - bps);

export async function setup() {
  const { conn, viem, networkHelpers, time, publicClient, wallets, mined, now, wait, nextAt } = await openChain();
  const [deployer, issuer, alice, bob, carol, attacker] = wallets as [Wallet, Wallet, Wallet, Wallet, Wallet, Wallet];
  const treasury = wallets[7]!.account.address;
  const hostingReserve = wallets[8]!.account.address;
  const d = await deployLocal(publicClient, deployer, { treasury, hostingReserve });

  /** A typed contract at `address`, sending as `wallet` (the deployer, who is also the admin, by default). */
  const at = <A extends Abi>(abi: A, address: Address, wallet: Wallet = deployer) =>
    getContract({ abi, address, client: { public: publicClient, wallet } });
  const flock = at(localTokenAbi, d.contracts.flock);
  const launchpad = at(launchpadAbi, d.contracts.launchpad);
  const registry = at(templateRegistryAbi, d.contracts.templateRegistry);
  const factory = at(uniswapV2FactoryAbi, d.contracts.uniswapV2Factory);
  const incentivePool = at(incentivePoolAbi, d.contracts.incentivePool);
  /** The launchpad, sending as `who`. */
  const lp = (who: Wallet) => at(launchpadAbi, d.contracts.launchpad, who);
  const mtToken = (mt: Address, who: Wallet = deployer) => at(modelTokenAbi, mt, who);
  const pairOf = (pair: Address, who: Wallet = deployer) => at(uniswapV2PairAbi, pair, who);
  const vestingOf = (wallet: Address, who: Wallet = deployer) => at(operatorVestingAbi, wallet, who);
  const flockAs = (who: Wallet) => at(localTokenAbi, d.contracts.flock, who);

  // Every supporter gets FLOCK and approves the launchpad.
  const supporters = [issuer, alice, bob, carol, attacker];
  for (const w of supporters) {
    await mined(flock.write.mint([w.account.address, WALLET_FLOCK]));
    await mined(flockAs(w).write.approve([d.contracts.launchpad, maxUint256]));
  }

  type LaunchOpts = {
    ticker?: string;
    name?: string;
    firstBuy?: bigint;
    minMtOut?: bigint;
    templateId?: number;
    deadline?: bigint;
    by?: Wallet;
  };
  const launchArgs = async (o: LaunchOpts = {}) =>
    [
      {
        templateId: o.templateId ?? 0,
        name: o.name ?? "Test Model",
        ticker: o.ticker ?? "TEST",
        metadataURI: "ipfs://meta",
        firstBuy: o.firstBuy ?? 0n,
        minMtOut: o.minMtOut ?? 0n,
        deadline: o.deadline ?? maxUint256, // deadlines have their own tests
      },
    ] as const;
  /** Sends a launch (as the issuer by default) without waiting; for revert checks. */
  const sendLaunch = async (o: LaunchOpts = {}) => lp(o.by ?? issuer).write.launch(await launchArgs(o));
  /** Launches an offering (template 0 as `issuer` by default); returns the $MT and when it opened. */
  const launch = async (o: LaunchOpts = {}) => {
    const receipt = await mined(sendLaunch(o));
    const [ev] = parseEventLogs({ abi: launchpadAbi, logs: receipt.logs, eventName: "Launched" });
    assert.ok(ev, "Launched emitted");
    return { mt: ev.args.mt, opensAt: BigInt(ev.args.opensAt), closesAt: BigInt(ev.args.closesAt), receipt };
  };

  /** Sends a buy without waiting; for revert checks. */
  const sendBuy = (who: Wallet, mt: Address, flockIn: bigint, minMtOut = 0n, deadline?: bigint) =>
    lp(who).write.buy([mt, flockIn, minMtOut, deadline ?? maxUint256]);
  /** Buys on the curve as `who`. */
  const buy = async (who: Wallet, mt: Address, flockIn: bigint, minMtOut = 0n) =>
    mined(sendBuy(who, mt, flockIn, minMtOut));

  const balanceOf = (token: Address, who: Address) =>
    publicClient.readContract({ address: token, abi: localTokenAbi, functionName: "balanceOf", args: [who] });
  const flockOf = (who: Address) => balanceOf(d.contracts.flock, who);

  /** The curve state an SDK quote needs, read from the offering and the terms it launched with. */
  const curveState = async (mt: Address): Promise<CurveState> => {
    const o = await launchpad.read.offering([mt]);
    const t = await registry.read.terms([o.termsId]);
    return {
      virtualFlock: o.virtualFlock,
      virtualMt: o.virtualMt,
      raised: o.raised,
      raiseMax: o.raiseMax,
      feeBps: t.sale.feeBps,
    };
  };
  /** Independent expectation of a buy of `flockIn` mined at `ts` (SDK math, not the contract's quote). */
  const expectBuy = async (mt: Address, flockIn: bigint, ts: bigint): Promise<BuyQuote> => {
    const o = await launchpad.read.offering([mt]);
    const t = await registry.read.terms([o.termsId]);
    const bps = feeBpsAt(t.sale.feeBps, t.sale.snipeFeeBps, t.sale.snipeDecayBpsPerMinute, ts - BigInt(o.opensAt));
    return quoteBuy(await curveState(mt), flockIn, bps);
  };

  /**
   * Buys 400,000 FLOCK at a time, round-robin over `buyers`, until the offering graduates.
   * Returns the receipt of the last (graduating) buy and all receipts.
   */
  const fillToMax = async (mt: Address, buyers: Wallet[] = [alice, bob, carol]) => {
    const receipts: TransactionReceipt[] = [];
    for (let i = 0; (await launchpad.read.stateOf([mt])) === 1; i++) {
      receipts.push(await buy(buyers[i % buyers.length]!, mt, 400_000n * FLOCK));
    }
    assert.ok(receipts.length > 0, "at least one buy");
    return { receipt: receipts.at(-1)!, receipts };
  };

  /** The $MT/FLOCK pair's reserves, in $MT/FLOCK terms, and its price in FLOCK wei per whole $MT. */
  const pool = async (mt: Address) => {
    const pair = await factory.read.getPair([mt, d.contracts.flock]);
    assert.notEqual(pair, zeroAddress, "pair exists");
    const p = pairOf(pair);
    const [r0, r1] = await p.read.getReserves();
    const mtIs0 = isAddressEqual(await p.read.token0(), mt);
    const [reserveMt, reserveFlock] = mtIs0 ? [r0, r1] : [r1, r0];
    return { pair, mtIs0, reserveMt, reserveFlock, price: (reserveFlock * 10n ** 18n) / reserveMt };
  };

  /** The launchpad's events about `mt` named `eventName`, oldest first. */
  const launchpadEvents = async <N extends LaunchpadEvent>(mt: Address, eventName: N) =>
    (await publicClient.getContractEvents({
      address: d.contracts.launchpad, abi: launchpadAbi, eventName, args: { mt } as never, fromBlock: 0n,
    })).map((l) => l.args as EventArgs<N>);

  /**
   * FLOCK still held for `mt`'s supporters before graduation: Σ positionOf(mt, buyer).flock over
   * every account that ever bought (Bought events). `raised` is only the record of what was raised;
   * a failed raise owes its open positions. Until refunds start they hold exactly `raised`.
   */
  const openFlock = async (mt: Address) => {
    const buyers = new Set((await launchpadEvents(mt, "Bought")).map((e) => getAddress(e.buyer)));
    let open = 0n;
    for (const b of buyers) open += (await launchpad.read.positionOf([mt, b])).flock;
    const o = await launchpad.read.offering([mt]);
    if (o.state === 1 || o.state === 2) assert.equal(open, o.raised, "open positions hold exactly what was raised");
    else assert.ok(open <= o.raised, "positions never exceed what was raised");
    return open;
  };

  /**
   * FLOCK the launchpad owes for `mts` (every offering on the chain): the open positions of offerings
   * not yet graduated (refundable, or still to be split at graduation) plus unsettled fees and surcharges.
   */
  const escrowOwed = async (mts: readonly Address[]) => {
    let owed = 0n;
    for (const mt of mts) {
      const o = await launchpad.read.offering([mt]);
      owed += o.creatorFeesDue + o.protocolFeesDue + o.surcharge + (o.state === 4 ? 0n : await openFlock(mt));
    }
    return owed;
  };

  /**
   * FLOCK totals of `mt` from its events alone: taken by buys, net into the curve, base fees and
   * surcharges charged (Bought), refunded (Refunded), and what settlements paid (FeesSettled).
   */
  const feeTotals = async (mt: Address) => {
    const bought = await launchpadEvents(mt, "Bought");
    const settled = await launchpadEvents(mt, "FeesSettled");
    const refunded = await launchpadEvents(mt, "Refunded");
    const sum = <T,>(xs: T[], f: (x: T) => bigint) => xs.reduce((s, x) => s + f(x), 0n);
    return {
      taken: sum(bought, (e) => e.flockIn),
      net: sum(bought, (e) => e.net),
      refunded: sum(refunded, (e) => e.flockAmount),
      baseFees: sum(bought, (e) => e.baseFee),
      surcharges: sum(bought, (e) => e.surcharge),
      creatorPaid: sum(settled, (e) => e.creatorAmount),
      protocolPaid: sum(settled, (e) => e.protocolAmount),
      surchargePaid: sum(settled, (e) => e.surcharge),
      settlements: settled.length,
    };
  };

  /**
   * Calls settleFees(mt) as `by` (anyone may) and checks it against the offering as read just before:
   * it pays exactly the creatorFeesDue / protocolFeesDue the view promised, plus the whole surcharge
   * if (and only if) the raise Failed; the creator's amount goes to the creator, protocol amount and
   * surcharge to the treasury, nothing to the caller, all of it out of the launchpad; afterwards
   * nothing is due. Expected amounts themselves are the test's to assert (from Bought events).
   */
  const settle = async (mt: Address, by: Wallet = attacker) => {
    const o = await launchpad.read.offering([mt]);
    const t = await launchpad.read.treasury();
    const caller = by.account.address;
    const accounts = [...new Set([o.creator, t, caller, d.contracts.launchpad].map((a) => getAddress(a)))];
    const before = await Promise.all(accounts.map(flockOf));
    const receipt = await mined(lp(by).write.settleFees([mt]));
    const ev = eventOf(receipt, "FeesSettled");
    const state = await launchpad.read.stateOf([mt], { blockNumber: receipt.blockNumber });
    assert.ok(isAddressEqual(ev.mt, mt) && isAddressEqual(ev.creator, o.creator), "FeesSettled names the offering and its creator");
    assert.deepEqual(
      [ev.creatorAmount, ev.protocolAmount, ev.surcharge],
      [o.creatorFeesDue, o.protocolFeesDue, state === 3 ? o.surcharge : 0n],
      "settleFees pays what the view said is due (and the surcharge only for a failed raise)",
    );
    const delta = new Map<Address, bigint>();
    const add = (a: Address, x: bigint) => delta.set(getAddress(a), (delta.get(getAddress(a)) ?? 0n) + x);
    add(o.creator, ev.creatorAmount);
    add(t, ev.protocolAmount + ev.surcharge);
    add(d.contracts.launchpad, -(ev.creatorAmount + ev.protocolAmount + ev.surcharge));
    const after = await Promise.all(accounts.map(flockOf));
    for (const [i, a] of accounts.entries()) {
      assert.equal(after[i], before[i]! + (delta.get(a) ?? 0n), `FLOCK of ${a} after settleFees`);
    }
    const o2 = await launchpad.read.offering([mt]);
    assert.deepEqual(
      [o2.creatorFeesDue, o2.protocolFeesDue, o2.surcharge, o2.raised],
      [0n, 0n, o.surcharge - ev.surcharge, o.raised],
      "nothing due after settlement; raised untouched",
    );
    return { ...ev, receipt };
  };
  /** $MT burned so far: the sum of its Transfer events to the zero address. */
  const burnedOf = async (mt: Address) => {
    const logs = await publicClient.getContractEvents({
      address: mt, abi: modelTokenAbi, eventName: "Transfer", args: { to: zeroAddress }, fromBlock: 0n,
    });
    return logs.reduce((sum, l) => sum + l.args.value!, 0n);
  };

  // ---- ledger: everything a reverted call must leave untouched

  const knownAccounts = () => [
    d.contracts.launchpad,
    d.contracts.incentivePool,
    treasury,
    hostingReserve,
    DEAD,
    ...wallets.slice(0, 7).map((w) => w.account.address),
  ];
  /** Balances, offering state, positions and counters that a reverting call must not change. */
  const ledger = async (mts: readonly Address[] = []) => {
    const accounts = knownAccounts();
    const out: Record<string, unknown> = {
      flock: await Promise.all(accounts.map(flockOf)),
      launchpadNonce: await publicClient.getTransactionCount({ address: d.contracts.launchpad }),
      pairs: await factory.read.allPairsLength(),
      templates: await registry.read.templateCount(),
      terms: await registry.read.termsCount(),
      flockOwed: await incentivePool.read.flockOwed(),
      launchFee: await launchpad.read.launchFee(),
      treasury: await launchpad.read.treasury(),
      hostingReserve: await launchpad.read.hostingReserve(),
      paused: await launchpad.read.paused(),
    };
    for (const mt of mts) {
      const state = await launchpad.read.stateOf([mt]);
      const token = mtToken(mt);
      const pair = await factory.read.getPair([mt, d.contracts.flock]);
      out[mt] = {
        state,
        offering: state === 0 ? null : await launchpad.read.offering([mt]),
        positions: await Promise.all(accounts.map((a) => launchpad.read.positionOf([mt, a]))),
        mtSupply: state === 0 ? 0n : await token.read.totalSupply(),
        mt: state === 0 ? [] : await Promise.all(accounts.map((a) => token.read.balanceOf([a]))),
        pairFlock: pair === zeroAddress ? 0n : await flockOf(pair),
        stream: await incentivePool.read.stream([mt]),
      };
    }
    return out;
  };

  /**
   * Asserts that `call` reverts with the custom error `error` of `contract` (with `args` when given;
   * addresses compare case-insensitively) and that it moved nothing: every FLOCK/$MT balance,
   * offering, position and counter in the ledger is unchanged.
   */
  const expectRevert = async (
    call: () => Promise<unknown>,
    contract: { abi: Abi },
    error: string,
    args?: readonly unknown[],
    mts: readonly Address[] = [],
  ) => {
    assert.ok(contract.abi.some((item) => item.type === "error" && item.name === error), `${error} is not an error of this contract`);
    const before = await ledger(mts);
    await reverts(call(), error, args);
    assert.deepEqual(await ledger(mts), before, `${error}: a reverted call changed state`);
  };

  return {
    conn, viem, networkHelpers, time, publicClient, d, wallets, deployer, issuer, alice, bob, carol, attacker,
    treasury, hostingReserve, flock, launchpad, registry, factory, incentivePool,
    at, lp, mtToken, pairOf, vestingOf, flockAs, mined, now, wait, nextAt,
    pool, openFlock, escrowOwed, feeTotals, settle, burnedOf, launchArgs, sendLaunch, launch, sendBuy, buy, fillToMax, balanceOf, flockOf, curveState, expectBuy,
    ledger, expectRevert,
  };
}

export type Fixture = Awaited<ReturnType<typeof setup>>;

// ---- shared chain and snapshots

let shared: Promise<{ f: Fixture; restore: () => Promise<void> }> | undefined;
/** Bumped on every restore of the bare deployment, which invalidates every later snapshot. */
let generation = 0;

/** The bare deployment (one chain per process), restored to its just-deployed state. */
export async function fresh(): Promise<Fixture> {
  if (!shared) {
    shared = (async () => {
      const f = await setup();
      const snap = await f.networkHelpers.takeSnapshot();
      return { f, restore: () => snap.restore() };
    })();
    generation++;
    return (await shared).f;
  }
  const { f, restore } = await shared;
  await restore();
  generation++;
  return f;
}

/**
 * A prepared state shared by several tests: the first call builds it on a fresh deployment and
 * snapshots it; later calls restore the snapshot (rebuilding if another fixture was built since).
 */
export function fixtureAt<T>(build: (f: Fixture) => Promise<T>): () => Promise<Fixture & T> {
  let snap: { restore: () => Promise<void> } | undefined;
  let builtIn = -1;
  let value: T;
  return async () => {
    if (snap && builtIn === generation) {
      await snap.restore();
      return { ...(await shared!).f, ...value };
    }
    const f = await fresh();
    value = await build(f);
    snap = await f.networkHelpers.takeSnapshot();
    builtIn = generation;
    return { ...f, ...value };
  };
}

// ---- event helpers

type LaunchpadEvent = ContractEventName<typeof launchpadAbi>;
type EventArgs<N extends LaunchpadEvent> = GetEventArgs<
  typeof launchpadAbi,
  N,
  { EnableUnion: false; IndexedOnly: false; Required: true }
>;

/** The arguments of the launchpad's `eventName` events in `receipt`. */
export function eventsOf<N extends LaunchpadEvent>(receipt: TransactionReceipt, eventName: N): EventArgs<N>[] {
  return logsOf(launchpadAbi, receipt, eventName).map((l) => l.args as EventArgs<N>);
}

/** The arguments of the one `eventName` event in `receipt`'s launchpad logs. */
export function eventOf<N extends LaunchpadEvent>(receipt: TransactionReceipt, eventName: N): EventArgs<N> {
  const evs = eventsOf(receipt, eventName);
  assert.equal(evs.length, 1, `one ${eventName} event`);
  return evs[0]!;
}

/** Asserts that `receipt` holds one Bought event matching the independently computed `q`. */
export function assertBought(receipt: TransactionReceipt, q: BuyQuote) {
  const ev = eventOf(receipt, "Bought");
  const { flockIn, net, mtOut, baseFee, surcharge, raisedAfter } = ev;
  assert.deepEqual(
    { flockIn, net, mtOut, baseFee, surcharge, raisedAfter },
    { flockIn: q.flockIn, net: q.net, mtOut: q.mtOut, baseFee: q.baseFee, surcharge: q.surcharge, raisedAfter: q.raisedAfter },
  );
  assert.equal(ev.flockIn, ev.net + q.fee, "what is taken is net plus the whole fee");
  return ev;
}

/**
 * The creator's share of base fees `due` at `shareBps`, rounded down; the rest is the protocol's.
 * The default is the spec's 50/50 split, written out rather than read from the terms.
 */
export function feeSplit(due: bigint, shareBps = 5_000n) {
  const creator = (due * shareBps) / BPS;
  return { creator, protocol: due - creator };
}

/** |a - b| <= b / 10^4, i.e. within 0.01%. */
export function assertWithinBp(actual: bigint, expected: bigint, what: string) {
  const diff = actual > expected ? actual - expected : expected - actual;
  assert.ok(diff * BPS <= expected, `${what}: ${actual} not within 0.01% of ${expected}`);
}

export { defaultAllocation, defaultSaleTerms };

// ---- graduation

/**
 * Runs `act` (the transaction that graduates `mt`) and checks everything graduation must do
 * (product.md §3.5) against amounts computed from the offering's terms by the SDK's graduation math:
 * the 1,000,000 $MT minted once and allocated, unsold and unused $MT burned, the raised FLOCK split
 * 50/30/20 (+ surcharge to incentives), the pool opened at the final curve price, LP burned, vesting
 * and incentive stream set up, and the escrow left owing exactly the fees. `raised` is the
 * independently expected net FLOCK raised. FLOCK `donated` to the pair beforehand is either
 * skimmed to the treasury (not `synced` into the reserves) or, when synced, stands in for the
 * raise's own pool FLOCK (the saving goes to the hosting reserve).
 */
export async function checkGraduation(
  f: Fixture,
  mt: Address,
  act: () => Promise<TransactionReceipt>,
  o: { raised: bigint; donated?: bigint; synced?: boolean; allMts: readonly Address[] },
) {
  const synced = o.synced ? (o.donated ?? 0n) : 0n;
  const skimmed = o.synced ? 0n : (o.donated ?? 0n);
  const treasuryBefore = await f.flockOf(f.treasury);
  // The offering may not exist yet: a launch whose first buy fills the raise graduates in the launch.
  const preSurcharge = (await f.launchpad.read.stateOf([mt])) === 0 ? 0n : (await f.launchpad.read.offering([mt])).surcharge;
  const hostingBefore = await f.flockOf(f.hostingReserve);
  const incentivesBefore = await f.flockOf(f.d.contracts.incentivePool);

  const receipt = await act();
  const ts = (await f.publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp;
  const grad = eventOf(receipt, "Graduated");
  assert.ok(isAddressEqual(grad.mt, mt), "graduated the expected offering");
  const r = grad.result;
  const after = await f.launchpad.read.offering([mt]);
  const terms = await f.registry.read.terms([after.termsId]);
  const [c, a] = [terms.curve, terms.allocation];

  // Expected allocation.
  const R = o.raised;
  const boughtSurcharge = eventsOf(receipt, "Bought").reduce((s, e) => s + e.surcharge, 0n);
  const expected = allocateGraduation({ allocation: a, curve: c, raised: R, surcharge: preSurcharge + boughtSurcharge, synced });
  const { sold: soldMt, flockToPool, mtToPool, mtBurned: burned } = expected;
  const poolFlock = flockToPool + synced;
  const flockPlanned = (R * BigInt(a.flockLiquidityBps)) / BPS;
  const vesting = await f.launchpad.read.operatorVestingOf([mt]);
  assert.deepEqual({ ...r }, { ...expected, operatorVesting: vesting }, "graduation result");
  assert.equal(r.mtToTreasury, supplyBucket(a.treasuryBps), "the treasury's bucket");
  // The hosting reserve gets 30% of raised (to the wei, up to the two roundings of the other shares),
  // plus the pool FLOCK a synced donation stood in for.
  const hostingShare = (R * BigInt(a.flockHostingBps)) / BPS + (flockPlanned - flockToPool);
  assert.ok(r.flockToHosting - hostingShare <= 2n, "hosting share");
  // An unsynced donation was skimmed to the treasury (the treasury receives no other FLOCK here).
  assert.equal(await f.flockOf(f.treasury), treasuryBefore + skimmed, "unsynced donation skimmed to the treasury");

  // Supply: minted once, to the launchpad; what was burned is gone for good.
  const token = f.mtToken(mt);
  const mtLogs = parseEventLogs({ abi: modelTokenAbi, logs: receipt.logs.filter((l) => isAddressEqual(l.address, mt)) });
  const mints = mtLogs.filter((l) => l.eventName === "Transfer" && l.args.from === zeroAddress);
  assert.equal(mints.length, 1);
  assert.equal(mints[0]!.eventName === "Transfer" && mints[0]!.args.value, TOTAL_SUPPLY);
  assert.equal(mtLogs.filter((l) => l.eventName === "SupplyMinted").length, 1);
  assert.equal(await token.read.minted(), true);
  assert.equal(await f.burnedOf(mt), burned);
  assert.equal((await token.read.totalSupply()) + (await f.burnedOf(mt)), TOTAL_SUPPLY);

  // Where the $MT went.
  const p = await f.pool(mt);
  assert.equal(grad.pair, p.pair);
  const mtBal = (who: Address) => token.read.balanceOf([who]);
  assert.equal(await mtBal(vesting), supplyBucket(a.operatorBps));
  assert.equal(await mtBal(f.treasury), supplyBucket(a.treasuryBps));
  assert.equal(await mtBal(f.d.contracts.incentivePool), supplyBucket(a.incentivesBps));
  assert.equal(await mtBal(f.d.contracts.launchpad), soldMt, "the launchpad keeps exactly what buyers claim");
  assert.equal(await mtBal(p.pair), mtToPool);

  // Where the FLOCK went.
  assert.equal(await f.flockOf(f.hostingReserve), hostingBefore + r.flockToHosting);
  assert.equal(await f.flockOf(f.d.contracts.incentivePool), incentivesBefore + r.flockToIncentives);
  assert.equal(await f.flockOf(p.pair), poolFlock);
  assert.equal(await f.flockOf(f.d.contracts.launchpad), await f.escrowOwed(o.allMts), "escrow owes only fees");
  assert.equal(after.surcharge, 0n);

  // The pool opens at the curve's final price: reserves are the deposits, price within 0.01%, never cheaper.
  assert.deepEqual([p.reserveMt, p.reserveFlock], [mtToPool, poolFlock]);
  const curvePrice = price(c, R);
  assert.equal(await f.launchpad.read.priceOf([mt]), curvePrice);
  if (mtToPool < supplyBucket(a.liquidityBps)) assertWithinBp(p.price, curvePrice, "pool opening price");
  assert.ok(p.price >= curvePrice, "the pool is never cheaper than the curve");

  // LP: all of it burned to 0x…dEaD except Uniswap's MINIMUM_LIQUIDITY locked at address(0).
  const pair = f.pairOf(p.pair);
  const lpSupply = await pair.read.totalSupply();
  assert.ok(lpSupply > 1000n);
  assert.equal(await pair.read.balanceOf([DEAD]), lpSupply - 1000n);
  assert.equal(await pair.read.balanceOf([zeroAddress]), 1000n);
  assert.equal(await pair.read.balanceOf([f.d.contracts.launchpad]), 0n);

  // Incentive stream and operator vesting start now.
  assert.deepEqual(await f.incentivePool.read.stream([mt]), {
    mtTotal: supplyBucket(a.incentivesBps),
    flockTotal: r.flockToIncentives,
    mtReleased: 0n,
    flockReleased: 0n,
    start: ts,
    duration: BigInt(a.incentiveDuration),
  });
  const v = f.vestingOf(vesting);
  assert.ok(isAddressEqual(await v.read.owner(), after.creator));
  assert.deepEqual(
    [await v.read.start(), await v.read.duration(), await v.read.cliff()],
    [ts, BigInt(a.operatorDuration), ts + BigInt(a.operatorCliff)],
  );
  assert.equal(await f.launchpad.read.stateOf([mt]), 4);
  return { r, receipt, ts, pool: p, terms };
}
