// The SDK against the contracts on a local chain.
// 1. Property: over random buy sequences (seeded; the seed is printed, FOMO_SEED replays it), the
//    SDK's pure quote (quoteBuyLocal / quoteFirstBuy) equals Launchpad.quoteBuy field by field,
//    and the Bought event of the buy then made equals the quote, to the wei. Refusals match too.
//    Every graduation (in the buy that fills the raise, or by graduate() after the window, some
//    with FLOCK donated to the pair beforehand) equals the SDK's allocateGraduation to the wei.
// 2. Every SDK action once, end to end: a raise that graduates and pays out, one that fails and refunds.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { getAddress, type Address } from "viem";
import {
  BPS,
  BuyFeeTooHigh,
  DEFAULT_FEE_MARGIN_BPS,
  FIRST_BUY_VESTING,
  FLOCK,
  GAS_MARGIN_PERCENT,
  State,
  TOTAL_SUPPLY,
  allocateGraduation,
  approveFlock,
  checkName,
  buy,
  claim,
  claimableAt,
  defaultAllocation,
  defaultCatalog,
  defaultSaleTerms,
  describeError,
  getClaimableMt,
  getFlockAllowance,
  getOffering,
  getPosition,
  getState,
  getTemplate,
  getTerms,
  graduate,
  launch,
  listOfferings,
  listTemplates,
  modelIdOf,
  quoteBuyLocal,
  quoteBuyOnChain,
  quoteFirstBuy,
  refund,
  revertOf,
  settleFees,
  withGasMargin,
  type BuyQuote,
  type Clients,
  type Revert,
  type Wallet,
} from "@fomo/sdk";
import { rng, runSeed } from "@fomo/testkit";
import { DEFAULT_TERMS_SOL, renderDefaultTerms } from "../solidity/utils/default-terms.ts";
import { divUp, setup, type Fixture } from "./fixtures.ts";

type Rng = ReturnType<typeof rng>;

const SEED = runSeed(process.env.FOMO_SEED);
const BUYS = Number(process.env.FOMO_SDK_BUYS ?? 400);

/** Log-uniform over 1 wei .. 10^maxDigits wei (10^25 = 10M FLOCK): dust, ordinary buys, and buys overshooting raiseMax. */
const amount = (r: Rng, maxDigits = 25) => {
  const digits = r.int(1, maxDigits);
  return r.big(10n ** BigInt(digits - 1), 10n ** BigInt(digits) - 1n);
};

/** Seconds to the next buy: mostly inside the 98-minute anti-snipe window, sometimes hours or days. */
const step = (r: Rng): bigint => {
  const x = r.next();
  if (x < 0.45) return BigInt(r.int(1, 59));
  if (x < 0.75) return BigInt(r.int(60, 600));
  if (x < 0.9) return BigInt(r.int(600, 7_200));
  if (x < 0.97) return BigInt(r.int(3_600, 86_400));
  return BigInt(r.int(86_400, 3 * 86_400));
};
/** Steps of a slow raise, one that likely runs out its 7-day window (below or above raiseMin). */
const slowStep = (r: Rng): bigint => BigInt(r.int(3_600, 2 * 86_400));

/**
 * The next buy's time. Boundaries are where an off-by-one hides, so some steps land on them: the
 * last second of a fee minute or the first of the next, and a step that would cross the window's
 * close lands on its last second or on the close itself two times in three.
 */
function nextTime(r: Rng, ts: bigint, slow: boolean, opensAt: bigint, closesAt: bigint): bigint {
  if (r.chance(0.1)) {
    const nextMinute = opensAt + ((ts - opensAt) / 60n + 1n) * 60n;
    return nextMinute - 1n > ts && r.chance(0.5) ? nextMinute - 1n : nextMinute;
  }
  const t = ts + (slow ? slowStep(r) : step(r));
  if (t < closesAt - 1n || ts >= closesAt - 1n) return t;
  return [closesAt - 1n, closesAt, t][r.int(0, 2)]!;
}

/** A first buy: dust, ordinary, or around the 250,000 $MT cap (~362,000 FLOCK). */
const firstBuyAmount = (r: Rng): bigint => {
  const x = r.next();
  if (x < 0.15) return r.big(1n, 100n);
  if (x < 0.6) return amount(r, 23);
  return r.big(300_000n * FLOCK, 450_000n * FLOCK);
};

// ------------------------------------------------------------------ helpers

const clientsOf = (f: Fixture, wallet: Wallet): Clients => ({ public: f.publicClient, wallet });

/** Runs `fn` and returns what it threw, decoded (undefined if it did not throw). */
async function rejection(fn: () => unknown): Promise<{ revert: Revert | undefined; err: unknown } | undefined> {
  try {
    await fn();
    return undefined;
  } catch (err) {
    return { revert: revertOf(err), err };
  }
}

const QUOTE_FIELDS = [
  "flockIn", "flockRefunded", "net", "mtOut", "feeBps", "fee", "baseFee", "surcharge",
  "raisedAfter", "priceAfter", "graduates",
] as const satisfies readonly (keyof BuyQuote)[];
const EVENT_FIELDS = ["flockIn", "net", "mtOut", "baseFee", "surcharge", "raisedAfter"] as const;

function assertQuotesEqual(local: BuyQuote, chain: BuyQuote, where: string) {
  for (const k of QUOTE_FIELDS) assert.equal(local[k], chain[k], `${where}: quote.${k} local ${local[k]} != chain ${chain[k]}`);
}

function assertEventMatches(ev: Record<(typeof EVENT_FIELDS)[number], bigint>, q: BuyQuote, where: string) {
  for (const k of EVENT_FIELDS) assert.equal(ev[k], q[k], `${where}: Bought.${k} ${ev[k]} != quote ${q[k]}`);
}

// ------------------------------------------------------------------ 1. property

describe("SDK curve math equals the contract", () => {
  it(`to the wei over random buy sequences (seed ${SEED}, ${BUYS} buys)`, async () => {
    console.log(`[sdk.test] seed ${SEED}: replay with FOMO_SEED=${SEED}`);
    const r = rng(SEED);
    const f = await setup();
    const { d, publicClient: pub } = f;
    const buyers = [f.alice, f.bob, f.carol, f.attacker];
    for (const w of [...buyers, f.issuer]) await f.mined(await f.flock.write.mint([w.account.address, 10n ** 30n]));
    // Besides the default template, one on uneven shares, so that every field of a graduation's
    // split is told apart from the others (the default's 10% operator and 10% treasury are not).
    const uneven = {
      ...defaultAllocation, saleBps: 3_333, liquidityBps: 2_667, incentivesBps: 1_111, operatorBps: 1_889, treasuryBps: 1_000,
      flockLiquidityBps: 3_333, flockHostingBps: 4_445, flockIncentivesBps: 2_222,
    };
    await f.mined(f.registry.write.addTemplate(["uneven-model", "cpu-small", defaultSaleTerms, uneven, defaultCatalog[0]!.pricing]));
    const templates = [
      (await getTemplate(pub, d, { templateId: 0 })).terms,
      (await getTemplate(pub, d, { templateId: Number(await f.registry.read.templateCount()) - 1 })).terms,
    ];
    const unevenId = Number(await f.registry.read.templateCount()) - 1;
    const stats = {
      offerings: 0, quotes: 0, buys: 0, dust: 0, firstBuys: 0, firstBuysRefused: 0, graduated: 0, succeeded: 0, failed: 0,
      donated: 0, synced: 0,
    };
    let ts = await f.now();

    while (stats.quotes < BUYS) {
      const n = ++stats.offerings;
      const where0 = `seed ${SEED}, offering ${n}`;
      // Launch, half the time with a first buy. A quarter of the raises are slow: smaller buys,
      // hours to days apart, so the window closes on them.
      const templateId = r.chance(0.3) ? unevenId : 0;
      const terms = templates[templateId === 0 ? 0 : 1]!;
      const firstBuyCap = (TOTAL_SUPPLY * BigInt(terms.sale.firstBuyCapBps)) / BPS;
      let firstBuy = r.chance(0.5) ? firstBuyAmount(r) : 0n;
      const slow = r.chance(0.25);
      const maxDigits = slow ? r.int(22, 24) : 25;
      const bought = new Map<Address, { mt: bigint; flock: bigint }>();
      const add = (who: Address, mt: bigint, flock: bigint) => {
        const p = bought.get(who) ?? { mt: 0n, flock: 0n };
        bought.set(who, { mt: p.mt + mt, flock: p.flock + flock });
      };
      let expected: BuyQuote | undefined;
      // The escrow graduation splits: net FLOCK raised and the anti-snipe surcharge held.
      let raised = 0n;
      let surcharge = 0n;
      if (firstBuy > 0n) {
        stats.firstBuys++;
        expected = quoteFirstBuy(terms, firstBuy);
        const refusal = expected.mtOut === 0n ? "LaunchpadInsufficientOutput" : expected.mtOut > firstBuyCap ? "LaunchpadFirstBuyTooLarge" : undefined;
        if (refusal) {
          const got = await rejection(() =>
            launch(clientsOf(f, f.issuer), d, { templateId, name: `P ${n}`, ticker: `P${n}`, firstBuy, minMtOut: 0n }),
          );
          assert.equal(got?.revert?.errorName, refusal, `${where0}: first buy ${firstBuy} should be refused`);
          stats.firstBuysRefused++;
          firstBuy = 0n;
        }
      }
      const launched = await launch(clientsOf(f, f.issuer), d, {
        templateId,
        name: `P ${n}`,
        ticker: `P${n}`,
        firstBuy,
        minMtOut: firstBuy > 0n ? expected!.mtOut : 0n, // the exact quote: the contract must give at least it
      });
      const mt = launched.mt;
      if (firstBuy > 0n) {
        assert.ok(launched.firstBuy, `${where0}: first buy event`);
        assertEventMatches(launched.firstBuy, expected!, `${where0} first buy`);
        add(f.issuer.account.address, expected!.mtOut, expected!.net);
        raised += expected!.net;
        surcharge += expected!.surcharge;
      }
      ts = (await pub.getBlock({ blockNumber: launched.receipt.blockNumber })).timestamp;
      // Sometimes FLOCK is donated to the pair before graduation: skimmed, or synced into its
      // reserves, where it stands in for part of the raise's pool FLOCK.
      let synced = 0n;
      if (r.chance(0.3)) {
        const donation = amount(r, 24);
        await f.mined(f.factory.write.createPair([mt, d.contracts.flock]));
        const pair = await f.factory.read.getPair([mt, d.contracts.flock]);
        await f.mined(f.flock.write.mint([pair, donation]));
        stats.donated++;
        if (r.chance(0.5)) {
          await f.mined(f.pairOf(pair).write.sync());
          synced = donation;
          stats.synced++;
        }
        ts = await f.now();
      }
      /** The Graduated event's result against the SDK's split of what was raised. */
      const checkGraduation = (result: { raised: bigint; operatorVesting: Address }, where: string) => {
        const want = allocateGraduation({ allocation: terms.allocation, curve: terms.curve, raised, surcharge, synced });
        assert.deepEqual({ ...result }, { ...want, operatorVesting: result.operatorVesting }, `${where}: graduation split`);
      };

      for (;;) {
        const flockIn = amount(r, maxDigits);
        const buyer = buyers[r.int(0, buyers.length - 1)]!;
        ts = nextTime(r, ts, slow, BigInt(launched.launched.opensAt), BigInt(launched.launched.closesAt));
        const where = `${where0}, buy ${stats.quotes + 1} (${flockIn} wei at +${ts - BigInt(launched.launched.opensAt)}s)`;
        // The snapshot a UI would hold (latest block), quoted for the block the buy will land in.
        const snapshot = await getOffering(pub, d, { mt });
        await f.networkHelpers.time.setNextBlockTimestamp(ts);
        stats.quotes++;
        let local: BuyQuote | undefined;
        const localRefusal = await rejection(() => (local = quoteBuyLocal(snapshot, flockIn, ts)));
        let chain: BuyQuote | undefined;
        const chainRefusal = await rejection(async () => (chain = await quoteBuyOnChain(pub, d, { mt, flockIn, blockTag: "pending" })));
        assert.deepEqual(localRefusal?.revert, chainRefusal?.revert, `${where}: local and chain refuse alike`);
        if (localRefusal) {
          // Only the window closing refuses here (the amounts are never zero).
          assert.equal(localRefusal.revert?.errorName, "LaunchpadWrongState", `${where}: ${describeError(localRefusal.err)}`);
          if (localRefusal.revert?.args[1] === State.Succeeded) {
            stats.succeeded++;
            checkGraduation((await graduate(clientsOf(f, f.attacker), d, { mt })).graduated.result, `${where0} graduate()`);
          } else stats.failed++;
          break;
        }
        assertQuotesEqual(local!, chain!, where);

        let graduatedBy: Awaited<ReturnType<typeof buy>>["graduated"];
        const sent = await rejection(async () => {
          const before = await f.balanceOf(d.contracts.flock, buyer.account.address);
          const res = await buy(clientsOf(f, buyer), d, { mt, flockIn, minMtOut: local!.mtOut, maxFeeBps: Number(BPS) }, { blockTag: "pending" });
          const block = await pub.getBlock({ blockNumber: res.receipt.blockNumber });
          assert.equal(block.timestamp, ts, `${where}: the buy landed in the quoted block`);
          assert.equal(res.bought.buyer, getAddress(buyer.account.address));
          assertEventMatches(res.bought, local!, where);
          assert.equal(res.graduated !== undefined, local!.graduates, `${where}: graduation`);
          graduatedBy = res.graduated;
          const after = await f.balanceOf(d.contracts.flock, buyer.account.address);
          assert.equal(before - after, local!.flockIn, `${where}: FLOCK taken`);
          assert.equal(await f.launchpad.read.priceOf([mt]), local!.priceAfter, `${where}: price after`);
        });
        if (local!.mtOut === 0n && !local!.graduates) {
          // Dust: the contract refuses a buy that gives nothing (unless it closes the raise).
          assert.deepEqual(sent?.revert, { errorName: "LaunchpadInsufficientOutput", args: [0n, 0n] }, `${where}: dust refused`);
          stats.dust++;
          continue;
        }
        if (sent) throw sent.err;
        stats.buys++;
        add(buyer.account.address, local!.mtOut, local!.net);
        raised += local!.net;
        surcharge += local!.surcharge;
        if (local!.graduates) {
          stats.graduated++;
          checkGraduation(graduatedBy!.result, where);
          break;
        }
      }
      // Positions add up to the buys.
      for (const [who, want] of bought) {
        const pos = await getPosition(pub, d, { mt, account: who });
        assert.deepEqual({ mt: pos.mt, flock: pos.flock }, want, `${where0}: position of ${who}`);
      }
    }
    console.log(`[sdk.test] seed ${SEED}: ${JSON.stringify(stats)}`);
    assert.ok(stats.buys >= BUYS / 2, "most quotes became buys");
  });
});

describe("SDK model-id rules equal the contract", () => {
  it(`names and tickers: refused alike, and the model id the launch reserves (seed ${SEED})`, async () => {
    const r = rng(SEED);
    const f = await setup();
    const chars = ["A", "Z", "a", "0", "9", " ", "-", "~", "\x7f", "\x1f", "é", "Q", "7"];
    const text = (max: number) => Array.from({ length: r.int(0, max) }, () => chars[r.int(0, chars.length - 1)]).join("");
    for (let i = 0; i < 40; i++) {
      const [name, ticker] = [r.chance(0.7) ? `Model ${i}` : text(34), r.chance(0.4) ? `T${i}` : text(11)];
      const where = `seed ${SEED}: name ${JSON.stringify(name)}, ticker ${JSON.stringify(ticker)}`;
      let id: string | undefined;
      const local = await rejection(() => {
        checkName(name);
        id = modelIdOf("stories-260k", ticker);
      });
      const chain = await rejection(() => f.launchpad.simulate.launch(
        [{ templateId: 0, name, ticker, metadataURI: "", firstBuy: 0n, minMtOut: 0n, deadline: 2n ** 64n }],
        { account: f.issuer.account.address },
      ));
      assert.deepEqual(local?.revert, chain?.revert, `${where}: refused alike`);
      if (!local) {
        const { mt } = await f.launch({ name, ticker });
        assert.equal(await f.launchpad.read.modelIdOf([mt]), id, `${where}: model id`);
      }
    }
  });
});

describe("DefaultTerms.sol", () => {
  it("is what contracts/test/solidity/utils/default-terms.ts writes from the SDK's parameters (run ./fomo build)", () => {
    assert.equal(readFileSync(DEFAULT_TERMS_SOL, "utf8"), renderDefaultTerms());
  });
});

// ------------------------------------------------------------------ 2. every action once

describe("SDK actions end to end", () => {
  it("lists the catalog, launches with a first buy, buys, graduates, claims, and pays the fees", async () => {
    const f = await setup();
    const { d, publicClient: pub } = f;
    const wallets = await f.viem.getWalletClients();
    const newcomer = wallets[9]!; // not funded or approved by the fixture
    const me = newcomer.account.address;

    // Catalog: what the local deploy published.
    const templates = await listTemplates(pub, d);
    assert.deepEqual(templates.map((t) => t.baseModelId), defaultCatalog.map((t) => t.baseModelId));
    const tpl = await getTemplate(pub, d.contracts.templateRegistry, { templateId: 0 });
    assert.deepEqual(await getTerms(pub, d, { termsId: tpl.termsId }), tpl.terms);
    assert.equal(tpl.enabled, true);
    for (const k of Object.keys(defaultSaleTerms) as (keyof typeof defaultSaleTerms)[]) {
      assert.equal(tpl.terms.sale[k], defaultSaleTerms[k], `sale.${k}`);
    }

    // Launch with a first buy; the default minMtOut is the local quote less 0.5%.
    const firstBuy = 10_000n * FLOCK;
    const l = await launch(clientsOf(f, f.issuer), d, { templateId: 0, name: "Tiny Stories", ticker: "TINY", metadataURI: "ipfs://x", firstBuy });
    const q0 = quoteFirstBuy(tpl.terms, firstBuy);
    assert.equal(l.minMtOut, (q0.mtOut * 9_950n) / 10_000n);
    assert.equal(l.firstBuy?.mtOut, q0.mtOut);
    assert.equal(l.launched.modelId, "stories-260k-tiny");
    assert.deepEqual(await getState(pub, d, { mt: l.mt }), { state: State.Raising, name: "Raising" });
    const listed = await listOfferings(pub, d);
    assert.deepEqual(listed.map((o) => o.mt), [l.mt]);
    assert.equal(listed[0]!.ticker, "TINY");
    assert.deepEqual(await listOfferings(pub, d, { creator: me }), []);

    // A newcomer must approve first, and is told so.
    await f.mined(await f.flock.write.mint([me, 2_000_000n * FLOCK]));
    assert.equal(await getFlockAllowance(pub, d, { owner: me }), 0n);
    const noAllowance = await rejection(() => buy(clientsOf(f, newcomer), d, { mt: l.mt, flockIn: 300_000n * FLOCK, maxFeeBps: Number(BPS) }));
    assert.equal(noAllowance?.revert?.errorName, "ERC20InsufficientAllowance");
    assert.match(describeError(noAllowance?.err), /approve first/);
    await approveFlock(clientsOf(f, newcomer), d.contracts.launchpad, { amount: 1_000_000n * FLOCK });
    assert.equal(await getFlockAllowance(pub, d.contracts.launchpad, { owner: me }), 1_000_000n * FLOCK);

    // Past the anti-snipe window, buy with the default slippage bound...
    await f.wait(2n * 3600n);
    const quoted = await quoteBuyOnChain(pub, d, { mt: l.mt, flockIn: 300_000n * FLOCK, blockTag: "pending" });
    const b = await buy(clientsOf(f, newcomer), d, { mt: l.mt, flockIn: 300_000n * FLOCK });
    assert.equal(b.minMtOut, (quoted.mtOut * 9_950n) / 10_000n);
    assert.equal(b.bought.mtOut, quoted.mtOut);
    assert.equal(b.graduated, undefined);
    // ...and one whose bound the curve cannot meet is refused with both amounts in the message.
    const tooGreedy = await rejection(() => buy(clientsOf(f, newcomer), d, { mt: l.mt, flockIn: FLOCK, minMtOut: 10n ** 24n }));
    assert.equal(tooGreedy?.revert?.errorName, "LaunchpadInsufficientOutput");
    assert.match(describeError(tooGreedy?.err), /less than the 1,000,000 \$MT accepted/);

    const o = await getOffering(pub, d, { mt: l.mt });
    assert.equal(o.stateName, "Raising");
    assert.equal(o.creator, getAddress(f.issuer.account.address));
    assert.equal(o.raised, l.firstBuy!.net + b.bought.net);

    // The raise closes above raiseMin: anyone graduates it.
    await f.wait(BigInt(o.closesAt) - (await f.now()));
    assert.equal((await getState(pub, d, { mt: l.mt })).name, "Succeeded");
    const g = await graduate(clientsOf(f, f.carol), d, { mt: l.mt });
    assert.equal(g.graduated.result.raised, o.raised);
    assert.equal((await getState(pub, d, { mt: l.mt })).name, "Graduated");

    // Claims pay what was bought; a second claim is refused readably.
    const pos = await getPosition(pub, d, { mt: l.mt, account: me });
    assert.equal(pos.mt, b.bought.mtOut);
    const c = await claim(clientsOf(f, newcomer), d, { mt: l.mt });
    assert.equal(c.amount, pos.mt);
    assert.equal(await f.balanceOf(l.mt, me), pos.mt);
    const again = await rejection(() => claim(clientsOf(f, newcomer), d, { mt: l.mt }));
    assert.match(describeError(again?.err), /has no \$MT to claim/);
    // Anyone may claim for someone else: the issuer's first buy goes to the issuer as it vests, the
    // claim paying what the SDK's vesting mirror says, a third of it 30 days after graduation.
    const issuer = f.issuer.account.address;
    const graduatedAt = (await getOffering(pub, d, { mt: l.mt })).graduatedAt;
    assert.equal(graduatedAt, Number((await pub.getBlock({ blockNumber: g.receipt.blockNumber })).timestamp));
    assert.equal(q0.vestingSeconds, FIRST_BUY_VESTING);
    const month = BigInt(graduatedAt) + FIRST_BUY_VESTING / 3n;
    await f.nextAt(month);
    const issuerPos = await getPosition(pub, d, { mt: l.mt, account: issuer });
    const vested = claimableAt(issuerPos, graduatedAt, month);
    assert.equal(vested.claimable, l.firstBuy!.mtOut - divUp(l.firstBuy!.mtOut * 2n, 3n));
    assert.equal((await claim(clientsOf(f, f.carol), d, { mt: l.mt, account: issuer })).amount, vested.claimable);
    assert.deepEqual(await getClaimableMt(pub, d, { mt: l.mt, account: issuer }), claimableAt(await getPosition(pub, d, { mt: l.mt, account: issuer }), graduatedAt, month));
    await f.nextAt(BigInt(graduatedAt) + FIRST_BUY_VESTING);
    assert.equal((await claim(clientsOf(f, f.carol), d, { mt: l.mt, account: issuer })).amount, l.firstBuy!.mtOut - vested.claimable);
    assert.equal(await f.balanceOf(l.mt, issuer), l.firstBuy!.mtOut);

    // Fees: anyone settles; the creator's share goes to the creator, the protocol's to the treasury.
    const creatorBefore = await f.balanceOf(d.contracts.flock, f.issuer.account.address);
    const treasuryBefore = await f.balanceOf(d.contracts.flock, f.treasury);
    const w = await settleFees(clientsOf(f, newcomer), d, { mt: l.mt });
    assert.deepEqual([w.creator, w.creatorAmount, w.protocolAmount, w.surcharge], [getAddress(f.issuer.account.address), o.creatorFeesDue, o.protocolFeesDue, 0n]);
    assert.equal(await f.balanceOf(d.contracts.flock, f.issuer.account.address), creatorBefore + w.creatorAmount);
    assert.equal(await f.balanceOf(d.contracts.flock, f.treasury), treasuryBefore + w.protocolAmount);
  });

  it("refuses, before sending, a buy whose anti-snipe fee is above maxFeeBps (by default the base fee + 1 point), saying when the fee falls", async () => {
    const f = await setup();
    const { d, publicClient: pub } = f;
    const l = await launch(clientsOf(f, f.issuer), d, { templateId: 0, name: "Snipe Model", ticker: "SNIPE" });
    const alice = clientsOf(f, f.alice);
    const flockIn = 1_000n * FLOCK;
    const quoteFee = async () => Number((await quoteBuyOnChain(pub, d, { mt: l.mt, flockIn, blockTag: "pending" })).feeBps);
    const refusedBuy = async (p: { maxFeeBps?: number } = {}) => {
      const nonce = await pub.getTransactionCount({ address: f.alice.account.address });
      const r = await rejection(() => buy(alice, d, { mt: l.mt, flockIn, ...p }));
      assert.equal(await pub.getTransactionCount({ address: f.alice.account.address }), nonce, "nothing was sent");
      assert.ok(r?.err instanceof BuyFeeTooHigh, `refused with BuyFeeTooHigh, not ${String(r?.err)}`);
      return r.err;
    };

    await f.wait(600n);
    const { feeBps: baseFee } = (await getTemplate(pub, d, { templateId: 0 })).terms.sale;
    const refused = await refusedBuy();
    assert.equal(refused.feeBps, await quoteFee(), "the fee the contract charges in the block the buy would land in");
    assert.equal(refused.baseFeeBps, baseFee);
    assert.equal(refused.maxFeeBps, baseFee + DEFAULT_FEE_MARGIN_BPS);
    assert.match(describeError(refused), new RegExp(`falls to the base fee of 1\\.50% at \\S+ \\(unix ${refused.baseFeeAt}\\)`));
    // The caller who accepts the fee shown buys, surcharge and all.
    const paid = await buy(alice, d, { mt: l.mt, flockIn, maxFeeBps: refused.feeBps });
    assert.equal(paid.maxFeeBps, refused.feeBps);
    assert.ok(paid.bought.surcharge > 0n);

    // The times the error names are the contract's: one second before, the fee is still above.
    await f.nextAt(refused.acceptableAt - 1n);
    assert.ok((await quoteFee()) > refused.maxFeeBps);
    await refusedBuy();
    await f.nextAt(refused.acceptableAt);
    assert.ok((await quoteFee()) <= refused.maxFeeBps);
    await buy(alice, d, { mt: l.mt, flockIn });
    await f.nextAt(refused.baseFeeAt - 1n);
    assert.ok((await quoteFee()) > baseFee);
    await f.nextAt(refused.baseFeeAt);
    assert.equal(await quoteFee(), baseFee);
    // Under the base fee nothing is ever accepted, and the error says so.
    assert.match((await refusedBuy({ maxFeeBps: baseFee - 1 })).message, new RegExp(`maxFeeBps must be at least ${baseFee}`));
    await assert.rejects(buy(alice, d, { mt: l.mt, flockIn, maxFeeBps: 10_001 }), RangeError);
  });

  it("sends every write with the gas margin: a limit of the estimate plus GAS_MARGIN_PERCENT, not the exact estimate", async () => {
    const f = await setup();
    const { d, publicClient: pub } = f;
    // A launch (approve, then launch) and a buy: each transaction's limit covers its use with the margin.
    const l = await launch(clientsOf(f, f.issuer), d.contracts.launchpad, { templateId: 1, name: "Gas Model", ticker: "GAS" });
    const b = await buy(clientsOf(f, f.alice), d, { mt: l.mt, flockIn: 1_000n * FLOCK, maxFeeBps: Number(BPS) });
    for (const hash of [l.hash, b.hash]) {
      const [tx, receipt] = await Promise.all([pub.getTransaction({ hash }), pub.getTransactionReceipt({ hash })]);
      assert.ok(tx.gas >= withGasMargin(receipt.gasUsed), `limit ${tx.gas} for ${receipt.gasUsed} used`);
    }
    assert.equal(withGasMargin(100_000n), 100_000n + (100_000n * GAS_MARGIN_PERCENT) / 100n);
    assert.equal(withGasMargin(3n), 4n, "rounded up");
  });

  it("refunds a failed raise and sends its surcharge to the treasury", async () => {
    const f = await setup();
    const { d, publicClient: pub } = f;
    const l = await launch(clientsOf(f, f.issuer), d.contracts.launchpad, { templateId: 1, name: "Big Model", ticker: "BIG" });
    assert.equal(l.firstBuy, undefined);
    // Bought in the anti-snipe window: a surcharge accrues.
    await f.wait(600n);
    const b = await buy(clientsOf(f, f.alice), d, { mt: l.mt, flockIn: 5_000n * FLOCK, slippageBps: 0, maxFeeBps: Number(BPS) });
    assert.ok(b.bought.surcharge > 0n);
    const before = await getOffering(pub, d.contracts.launchpad, { mt: l.mt });

    await f.wait(BigInt(before.closesAt) - (await f.now()));
    assert.equal((await getState(pub, d, { mt: l.mt })).name, "Failed");
    const late = await rejection(() => buy(clientsOf(f, f.bob), d, { mt: l.mt, flockIn: FLOCK }));
    assert.match(describeError(late?.err), /is Failed: .*supporters can refund/);
    const notYet = await rejection(() => graduate(clientsOf(f, f.bob), d, { mt: l.mt }));
    assert.equal(notYet?.revert?.errorName, "LaunchpadWrongState");

    // Reads of what is not there say so.
    const unknown = await rejection(() => getOffering(pub, d, { mt: d.contracts.usdc }));
    assert.equal(describeError(unknown?.err), `No offering exists at ${getAddress(d.contracts.usdc)}.`);
    const noContract = await rejection(() => getState(pub, d.roles.treasury, { mt: l.mt }));
    assert.match(describeError(noContract?.err), new RegExp(`No contract answered at ${d.roles.treasury}`, "i"));

    const balance = await f.balanceOf(d.contracts.flock, f.alice.account.address);
    const r = await refund(clientsOf(f, f.bob), d, { mt: l.mt, account: f.alice.account.address });
    assert.equal(r.amount, b.bought.net);
    assert.equal(await f.balanceOf(d.contracts.flock, f.alice.account.address), balance + b.bought.net);
    const twice = await rejection(() => refund(clientsOf(f, f.alice), d, { mt: l.mt }));
    assert.match(describeError(twice?.err), /has nothing to refund/);

    const p = await settleFees(clientsOf(f, f.bob), d, { mt: l.mt });
    assert.deepEqual([p.creatorAmount, p.protocolAmount, p.surcharge], [before.creatorFeesDue, before.protocolFeesDue, before.surcharge]);
    const nothingLeft = await rejection(() => settleFees(clientsOf(f, f.bob), d, { mt: l.mt }));
    assert.match(describeError(nothingLeft?.err), /no fees due/);
    assert.equal(p.creatorAmount + p.protocolAmount, b.bought.baseFee);
    assert.equal(p.surcharge, b.bought.surcharge);
  });
});
