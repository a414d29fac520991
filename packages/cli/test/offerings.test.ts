// `fomo launch | offerings | offering | buy | graduate | refund | claim` as a user runs them, against a
// real Hardhat node with FOMO deployed: an offering launched with a first buy, bought into inside the
// anti-snipe window (the quote's surcharge shown and paid) and after it, graduated after `dev advance`
// and claimed; another left to fail and refunded. Every --json document is checked against the chain
// through the SDK; contract refusals come back as sentences; bad command lines exit 2.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DEV_MNEMONIC } from "@fomo/deploy";
import {
  defaultSaleTerms, FLOCK, getClaimableMt, getLaunchFee, getOffering, getPosition, listOfferings, localTokenAbi,
} from "@fomo/sdk";
import { erc20Abi, getAddress, type Address } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { parseOfferingArgs } from "../src/commands/offerings.ts";
import { fomo, fomoJson, startCliChain, type CliChain } from "./support/fomo.ts";

let cli: CliChain;
const dev = (i: number) => mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i }).address;
const [ISSUER, ALICE, BOB] = [dev(1), dev(2), dev(3)];

before(async () => {
  cli = await startCliChain("fomo-offerings-cli-");
  // The test chain funds only the deployer: the faucet (LocalToken.mint) funds the issuer and two supporters.
  const { keeper, d } = cli.chain;
  for (const to of [ISSUER, ALICE, BOB]) {
    const hash = await keeper.wallet.writeContract({ address: d.contracts.flock, abi: localTokenAbi, functionName: "mint", args: [to, 2_000_000n * FLOCK] });
    await keeper.public.waitForTransactionReceipt({ hash });
  }
});
after(async () => {
  await cli?.close();
});

const pub = () => cli.chain.keeper.public;
const d = () => cli.chain.d;
const flockOf = (account: Address) => pub().readContract({ address: d().contracts.flock, abi: erc20Abi, functionName: "balanceOf", args: [account] });
const run = (...args: string[]) => fomo(...args, ...cli.args());
const json = <T>(...args: string[]) => fomoJson<T>(...args, ...cli.args());

interface BuyDocument {
  mt: Address;
  account: Address;
  quote: { flockIn: string; fee: string; baseFee: string; surcharge: string; feeBps: string; mtOut: string };
  minMtOut: string;
  maxFeeBps: number;
  bought: { flockIn: string; net: string; mtOut: string; surcharge: string };
  graduated: { pair: Address } | null;
}
interface OfferingDocument {
  mt: Address;
  ticker: string;
  state: string;
  raised: string;
  raiseMin: string;
  raiseMax: string;
  progressBps: string;
  secondsLeft: string;
  position: { account: Address; mt: string; flock: string; claimable: string; locked: string; refundable: string } | null;
}

describe("command lines", () => {
  test("a missing or bad flag, a missing ticker, an unknown state exit 2 with the usage", async () => {
    for (const [args, message] of [
      [["buy", "GOOD"], /--flock is required .*usage: fomo buy TICKER --flock AMOUNT/],
      [["buy", "GOOD", "--flock", "1.5e3"], /--flock: not a FLOCK amount/],
      [["buy", "--flock", "10"], /name the offering by its TICKER/],
      [["launch", "--template", "0", "--name", "Model", "--ticker", "bad!"], /--ticker: "bad!" is not 1-10 characters/],
      [["offerings", "--state", "sleeping"], /--state: one of raising, succeeded, graduated, failed/],
      [["claim", "GOOD", "--slippage", "1"], /unknown option --slippage/],
    ] as const) {
      const { code, stdout, stderr } = await fomo(...args);
      assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
      assert.match(stderr, message);
      assert.equal(stdout, "");
    }
  });

  test("parses amounts exactly, in wei", () => {
    const opts = parseOfferingArgs("buy", ["good", "--flock", "1234.000000000000000001", "--max-slippage", "100", "--yes", "--from", "2"]);
    assert.deepEqual(
      [opts.command, "flockIn" in opts && opts.flockIn, "maxSlippageBps" in opts && opts.maxSlippageBps, "yes" in opts && opts.yes, opts.from],
      ["buy", 1_234n * FLOCK + 1n, 100, true, 2],
    );
    const launch = parseOfferingArgs("launch", ["--template", "1", "--name", "Good Model", "--ticker", "GOOD", "--first-buy", "0.5"]);
    assert.equal("firstBuy" in launch && launch.firstBuy, FLOCK / 2n);
  });
});

describe("an offering from launch to claim, and one that fails", () => {
  test("launch → buy (surcharge shown and paid) → dev advance → graduate → claim", async () => {
    const issuerBefore = await flockOf(ISSUER);
    const launched = await json<{ mt: Address; ticker: string; modelId: string; creator: Address; launchFee: string; firstBuy: { flockIn: string; mtOut: string } }>(
      "launch", "--template", "0", "--name", "Good Model", "--ticker", "GOOD", "--first-buy", "10000", "--metadata", "ipfs://good",
    );
    const [onChain] = await listOfferings(pub(), d());
    assert.equal(launched.mt, onChain!.mt);
    assert.equal(onChain!.ticker, "GOOD");
    assert.equal(onChain!.metadataURI, "ipfs://good");
    assert.equal(launched.creator, ISSUER, "the default signer is dev account 1, the issuer");
    assert.equal(BigInt(launched.launchFee), await getLaunchFee(pub(), d()));
    assert.equal(await flockOf(ISSUER), issuerBefore - BigInt(launched.launchFee) - 10_000n * FLOCK, "one approval covered fee and first buy");
    assert.equal((await getPosition(pub(), d(), { mt: launched.mt, account: ISSUER })).firstBuyMt, BigInt(launched.firstBuy.mtOut));

    const listed = await json<{ offerings: OfferingDocument[] }>("offerings", "--state", "raising");
    assert.deepEqual(listed.offerings.map((o) => [o.ticker, o.state]), [["GOOD", "Raising"]]);
    assert.deepEqual((await json<{ offerings: OfferingDocument[] }>("offerings", "--state", "graduated")).offerings, []);

    // No terminal and no --yes: the quote is shown, nothing is sent.
    const unconfirmed = await run("buy", "GOOD", "--flock", "1000", "--from", "2");
    assert.equal(unconfirmed.code, 2, unconfirmed.stderr);
    assert.match(unconfirmed.stdout, /surcharge +975 FLOCK \(anti-snipe: the fee is 99\.00% now and falls to the base fee at /);
    assert.match(unconfirmed.stderr, /no terminal to confirm the quote on: pass --yes/);
    assert.equal((await getPosition(pub(), d(), { mt: launched.mt, account: ALICE })).mt, 0n);

    // Inside the anti-snipe window with --yes: the quoted surcharge is paid, the quoted fee is the bound.
    const sniped = await json<BuyDocument>("buy", "good", "--flock", "1000", "--from", "2", "--yes");
    assert.equal(sniped.account, ALICE);
    assert.ok(BigInt(sniped.quote.surcharge) > 0n);
    assert.equal(sniped.maxFeeBps, Number(sniped.quote.feeBps));
    assert.ok(BigInt(sniped.bought.surcharge) <= BigInt(sniped.quote.surcharge), "the fee only falls after the quote");
    assert.ok(BigInt(sniped.bought.mtOut) >= BigInt(sniped.minMtOut));
    assert.equal((await getPosition(pub(), d(), { mt: launched.mt, account: ALICE })).mt, BigInt(sniped.bought.mtOut));

    // A refund of a live raise is refused as a sentence, not hex.
    const early = await run("refund", "GOOD", "--from", "2");
    assert.equal(early.code, 1);
    assert.match(early.stderr, /^fomo refund: Offering 0x[0-9a-fA-F]{40} is Raising: its raise is still open/m);
    assert.doesNotMatch(early.stderr, /0x[0-9a-f]{8}(?![0-9a-fA-F])/, "no raw selector");

    assert.equal((await run("dev", "advance", "2h", ...[])).code, 0);
    const human = await run("buy", "GOOD", "--flock", "300000", "--from", "3", "--yes", "--max-slippage", "100");
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /surcharge +none/);
    assert.match(human.stdout, /bought [\d,.]+ \$MT for 300,000 FLOCK \(fee 4,500 FLOCK, surcharge 0 FLOCK\)/);

    const bobPosition = await getPosition(pub(), d(), { mt: launched.mt, account: BOB });
    const raising = await json<OfferingDocument>("offering", "GOOD", "--from", "3");
    const o = await getOffering(pub(), d(), { mt: launched.mt });
    assert.equal(raising.state, "Raising");
    assert.equal(BigInt(raising.raised), o.raised);
    assert.equal(BigInt(raising.progressBps), (o.raised * 10_000n) / o.raiseMax);
    assert.ok(BigInt(raising.secondsLeft) > 0n && BigInt(raising.secondsLeft) <= BigInt(defaultSaleTerms.duration));
    assert.deepEqual([raising.position?.account, BigInt(raising.position!.mt)], [BOB, bobPosition.mt]);
    assert.ok(o.raised >= o.raiseMin, "above the minimum: it will succeed");

    const notYet = await run("graduate", "GOOD");
    assert.equal(notYet.code, 1);
    assert.match(notYet.stderr, /is Raising: its raise is still open: it can take buys, but not graduate/);

    const advanced = await json<{ seconds: number }>("dev", "advance", "7d");
    assert.equal(advanced.seconds, 7 * 86_400);
    assert.equal((await json<OfferingDocument>("offering", "GOOD")).state, "Succeeded");
    const graduated = await json<{ mt: Address; pair: Address; tx: string }>("graduate", "GOOD", "--from", "2");
    assert.equal(graduated.mt, launched.mt);
    assert.equal((await getOffering(pub(), d(), { mt: launched.mt })).stateName, "Graduated");
    assert.notEqual(graduated.pair, getAddress("0x0000000000000000000000000000000000000000"));

    const mtBefore = await pub().readContract({ address: launched.mt, abi: erc20Abi, functionName: "balanceOf", args: [BOB] });
    const claimed = await json<{ account: Address; claimed: string }>("claim", "GOOD", "--from", "3");
    assert.deepEqual([claimed.account, BigInt(claimed.claimed)], [BOB, bobPosition.mt]);
    assert.equal(await pub().readContract({ address: launched.mt, abi: erc20Abi, functionName: "balanceOf", args: [BOB] }), mtBefore + bobPosition.mt);
    const again = await run("claim", "GOOD", "--from", "3");
    assert.equal(again.code, 1);
    assert.match(again.stderr, /has no \$MT to claim from offering/);
    // The issuer's first buy vests from graduation: the offering says how much is still locked.
    const issuerView = await json<OfferingDocument>("offering", "GOOD");
    const vesting = await getClaimableMt(pub(), d(), { mt: launched.mt, account: ISSUER });
    assert.equal(issuerView.state, "Graduated");
    assert.ok(BigInt(issuerView.position!.locked) >= vesting.locked && BigInt(issuerView.position!.locked) > 0n);
  });

  test("launch → dev advance past the raise → refund of a failed offering; an unknown ticker lists the close ones", async () => {
    const failing = await json<{ mt: Address }>("launch", "--template", "0", "--name", "Failing Model", "--ticker", "FAIL");
    await json("dev", "advance", "2h");
    const bought = await json<BuyDocument>("buy", "FAIL", "--flock", "5000", "--from", "2", "--yes");
    assert.equal(bought.bought.surcharge, "0", "past the anti-snipe window");
    await json("dev", "advance", `${defaultSaleTerms.duration}s`);

    const failed = await json<{ offerings: OfferingDocument[] }>("offerings", "--state", "failed");
    assert.deepEqual(failed.offerings.map((o) => o.mt), [failing.mt]);
    const view = await json<OfferingDocument>("offering", "FAIL", "--from", "2");
    assert.equal(BigInt(view.position!.refundable), BigInt(bought.bought.net));

    const before = await flockOf(ALICE);
    const refunded = await json<{ account: Address; refunded: string }>("refund", "FAIL", "--from", "2");
    assert.deepEqual([refunded.account, BigInt(refunded.refunded)], [ALICE, BigInt(bought.bought.net)]);
    assert.equal(await flockOf(ALICE), before + BigInt(bought.bought.net));

    const unknown = await run("offering", "FAL");
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no offering has the ticker FAL: did you mean FAIL\?/);
    const late = await run("buy", "FAIL", "--flock", "1", "--yes");
    assert.equal(late.code, 1);
    assert.match(late.stderr, /is Failed: its raise closed below the minimum/);
  });
});
