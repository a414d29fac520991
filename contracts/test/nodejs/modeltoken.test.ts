// ModelToken ($MT): a full OpenZeppelin ERC-20 (+ EIP-2612 permit + burn) that ModelTokenFactory
// deploys with CREATE2 at an address the SDK predicts; the supply is minted once by the minter only.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getContract, hashDomain, isAddressEqual, parseEventLogs, parseSignature, size, zeroHash, type Address } from "viem";
import {
  FLOCK,
  MT,
  TOTAL_SUPPLY,
  localTokenAbi,
  modelTokenAddress,
  modelTokenFactoryAbi,
  predictModelTokenAddress,
} from "@fomo/sdk";
import { bytecodeOf } from "@fomo/deploy";
import type { Wallet } from "./chain.ts";
import { SNIPE_END, fixtureAt, fresh, type Fixture } from "./fixtures.ts";

/** The factory, sending as `who`. */
const factoryAs = (f: Fixture, who: Wallet) => f.at(modelTokenFactoryAbi, f.d.contracts.modelTokenFactory, who);

/** Deploys a $MT through the factory as `minter` (the protocol only ever asks as the launchpad). */
async function deployDirect(f: Fixture, minter: Wallet, name: string, symbol: string) {
  const receipt = await f.mined(factoryAs(f, minter).write.deployToken([name, symbol]));
  const [ev] = parseEventLogs({ abi: modelTokenFactoryAbi, logs: receipt.logs, eventName: "ModelTokenDeployed" });
  assert.ok(ev, "ModelTokenDeployed emitted");
  return f.mtToken(ev.args.token, minter);
}

/** A graduated offering whose buyers alice and bob have claimed their $MT. */
const graduated = fixtureAt(async (f) => {
  const { mt } = await f.launch({ ticker: "TOKEN", name: "Token Model" });
  await f.wait(SNIPE_END);
  await f.buy(f.alice, mt, 300_000n * FLOCK);
  await f.fillToMax(mt, [f.bob]);
  for (const w of [f.alice, f.bob]) await f.mined(f.lp(w).write.claim([mt, w.account.address]));
  return { mt };
});

describe("ModelToken", () => {
  it("each launch deploys a full token at the CREATE2 address the SDK predicted, with the launchpad as minter", async () => {
    const f = await fresh();
    const launchpad = f.d.contracts.launchpad;
    const predicted = await predictModelTokenAddress(f.publicClient, f.d, { name: "My Model v1", ticker: "ABC9" });
    assert.equal(size((await f.publicClient.getCode({ address: predicted })) ?? "0x"), 0, "nothing there before the launch");
    const { mt, receipt } = await f.launch({ ticker: "ABC9", name: "My Model v1" });
    assert.ok(isAddressEqual(mt, predicted), `launched at ${mt}, predicted ${predicted}`);

    const token = f.mtToken(mt);
    assert.deepEqual(
      [await token.read.name(), await token.read.symbol(), await token.read.decimals(), await token.read.totalSupply()],
      ["My Model v1", "ABC9", 18, 0n],
    );
    assert.ok(isAddressEqual(await token.read.minter(), launchpad));
    assert.equal(await token.read.minted(), false);
    // The whole token's code, not an EIP-1167 proxy: no delegatecall on any transfer.
    const code = (await f.publicClient.getCode({ address: mt }))!;
    assert.ok(!code.startsWith("0x363d3d373d3d3d363d73"), "not an EIP-1167 proxy");
    assert.ok(size(code) > 2_000, `runtime code of ${size(code)} bytes`);

    const [ev] = parseEventLogs({ abi: modelTokenFactoryAbi, logs: receipt.logs, eventName: "ModelTokenDeployed" });
    assert.ok(ev && isAddressEqual(ev.args.token, mt) && isAddressEqual(ev.args.minter, launchpad) && ev.args.nonce === 0n);
    const factory = factoryAs(f, f.deployer);
    assert.equal(await factory.read.tokensMadeFor([launchpad]), 1n);
    assert.ok(isAddressEqual(await f.launchpad.read.tokenFactory(), f.d.contracts.modelTokenFactory));
  });

  it("the same name and ticker launched again gets a new address (the salt is a counter, not the model id)", async () => {
    const f = await fresh();
    const first = await f.launch({ ticker: "SAME", name: "Same Model", templateId: 0 });
    // Another template gives another model id, so the launchpad accepts the same name and ticker.
    const predicted = await predictModelTokenAddress(f.publicClient, f.d.contracts.launchpad, { name: "Same Model", ticker: "SAME" });
    const second = await f.launch({ ticker: "SAME", name: "Same Model", templateId: 1 });
    assert.ok(!isAddressEqual(first.mt, second.mt));
    assert.ok(isAddressEqual(second.mt, predicted));
    const seed = { factory: f.d.contracts.modelTokenFactory, minter: f.d.contracts.launchpad, name: "Same Model", ticker: "SAME" };
    assert.ok(isAddressEqual(modelTokenAddress({ ...seed, nonce: 0n }), first.mt));
    assert.ok(isAddressEqual(modelTokenAddress({ ...seed, nonce: 1n }), second.mt));
  });

  it("anyone may use the factory, but the token's minter is always the caller: never the launchpad", async () => {
    const f = await fresh();
    const launchpad = f.d.contracts.launchpad;
    const nonce = await factoryAs(f, f.carol).read.tokensMadeFor([launchpad]);
    const token = await deployDirect(f, f.carol, "Direct", "DIR");
    assert.ok(isAddressEqual(await token.read.minter(), f.carol.account.address));
    assert.equal(await factoryAs(f, f.carol).read.tokensMadeFor([launchpad]), nonce, "the launchpad's counter did not move");
    assert.ok(isAddressEqual(token.address, modelTokenAddress({
      factory: f.d.contracts.modelTokenFactory, minter: f.carol.account.address, nonce: 0n, name: "Direct", ticker: "DIR",
    })));
    // The launchpad's next token is still where the SDK says.
    const predicted = await predictModelTokenAddress(f.publicClient, f.d, { name: "Next", ticker: "NEXT" });
    assert.ok(isAddressEqual((await f.launch({ name: "Next", ticker: "NEXT" })).mt, predicted));
  });

  it("ModelTokenNotMinter for anyone but the launchpad, before and after graduation", async () => {
    const f = await graduated();
    const { mt: raising } = await f.launch({ ticker: "OTHER" });
    for (const mt of [raising, f.mt]) {
      for (const who of [f.issuer, f.deployer]) {
        await f.expectRevert(
          () => f.mtToken(mt, who).write.mintSupply([who.account.address]),
          f.mtToken(mt), "ModelTokenNotMinter", [who.account.address], [raising, f.mt],
        );
      }
    }
  });

  it("mintSupply mints exactly 1,000,000 once (ModelTokenAlreadyMinted after), to the minter's choice", async () => {
    const f = await fresh();
    const token = await deployDirect(f, f.carol, "Direct", "DIR");
    assert.equal(await token.read.minted(), false);
    const receipt = await f.mined(token.write.mintSupply([f.bob.account.address]));
    const logs = await token.getEvents.SupplyMinted({}, { blockHash: receipt.blockHash });
    assert.equal(logs.length, 1);
    assert.equal(logs[0]!.args.amount, TOTAL_SUPPLY);
    assert.equal(await token.read.totalSupply(), TOTAL_SUPPLY);
    assert.equal(await token.read.balanceOf([f.bob.account.address]), TOTAL_SUPPLY);
    assert.equal(await token.read.minted(), true);
    await f.expectRevert(() => token.write.mintSupply([f.carol.account.address]), token, "ModelTokenAlreadyMinted", []);
    assert.equal(await token.read.totalSupply(), TOTAL_SUPPLY);
  });

  it("a transfer costs what a plain OpenZeppelin ERC-20's costs: no proxy hop on every transfer", async () => {
    const f = await graduated();
    // The reference: a full ERC20 + ERC20Permit + ERC20Burnable contract (LocalToken), same storage
    // situation (sender and recipient already hold the token), same amount.
    const hash = await f.deployer.deployContract({ abi: localTokenAbi, bytecode: bytecodeOf("LocalToken"), args: ["Plain", "PLAIN", 18] });
    const plainAddress: Address = (await f.mined(hash)).contractAddress!;
    const plain = getContract({ abi: localTokenAbi, address: plainAddress, client: { public: f.publicClient, wallet: f.alice } });
    await f.mined(plain.write.mint([f.alice.account.address, 1_000n * MT]));
    const mt = f.mtToken(f.mt, f.alice);
    const to = f.bob.account.address; // holds both already after one transfer
    await f.mined(mt.write.transfer([to, MT]));
    await f.mined(plain.write.transfer([to, MT]));
    const gasMt = (await f.mined(mt.write.transfer([to, MT]))).gasUsed;
    const gasPlain = (await f.mined(plain.write.transfer([to, MT]))).gasUsed;
    // A clone pays ~2,600 for its cold implementation plus the delegatecall on every transfer.
    assert.ok(gasMt <= gasPlain + 100n, `$MT transfer ${gasMt} gas, plain ERC-20 ${gasPlain}`);
  });

  /** Permit on `mt` (named `name`), whose holder alice signs for bob. */
  async function checkPermit(f: Fixture, mt: Address, name: string, moveAlso: Address[]) {
    const token = f.mtToken(mt, f.bob);
    const [owner, spender] = [f.alice.account.address, f.bob.account.address];
    const value = 1_000n * FLOCK;
    const deadline = (await f.now()) + 3_600n;
    const chainId = await f.publicClient.getChainId();
    const domain = await token.read.eip712Domain();
    assert.deepEqual([...domain], ["0x0f", name, "1", BigInt(chainId), mt, zeroHash, []]);
    assert.equal(await token.read.DOMAIN_SEPARATOR(), hashDomain({ domain: { name, version: "1", chainId: BigInt(chainId), verifyingContract: mt }, types: {
      EIP712Domain: [
        { name: "name", type: "string" },
        { name: "version", type: "string" },
        { name: "chainId", type: "uint256" },
        { name: "verifyingContract", type: "address" },
      ],
    } }));
    const sign = async (nonce: bigint, dl: bigint) =>
      parseSignature(
        await f.alice.signTypedData({
          domain: { name, version: "1", chainId, verifyingContract: mt },
          types: {
            Permit: [
              { name: "owner", type: "address" },
              { name: "spender", type: "address" },
              { name: "value", type: "uint256" },
              { name: "nonce", type: "uint256" },
              { name: "deadline", type: "uint256" },
            ],
          },
          primaryType: "Permit",
          message: { owner, spender, value, nonce, deadline: dl },
        }),
      );
    const permit = (sig: Awaited<ReturnType<typeof sign>>, dl: bigint) =>
      token.write.permit([owner, spender, value, dl, Number(sig.v ?? 27n + BigInt(sig.yParity)), sig.r, sig.s]);

    const sig = await sign(0n, deadline);
    await f.mined(permit(sig, deadline)); // sent by the spender; the owner pays no gas
    assert.equal(await token.read.allowance([owner, spender]), value);
    assert.equal(await token.read.nonces([owner]), 1n);
    const before = await token.read.balanceOf([spender]);
    await f.mined(token.write.transferFrom([owner, spender, value]));
    assert.equal(await token.read.balanceOf([spender]), before + value);
    assert.equal(await token.read.allowance([owner, spender]), 0n);

    await f.expectRevert(() => permit(sig, deadline), token, "ERC2612InvalidSigner", undefined, moveAlso);
    const late = (await f.now()) - 1n;
    const stale = await sign(1n, late);
    await f.expectRevert(() => permit(stale, late), token, "ERC2612ExpiredSignature", [late], moveAlso);
  }

  it("EIP-2612 permit: a signed approval spends once; replayed or expired signatures fail", async () => {
    const f = await graduated();
    await checkPermit(f, f.mt, "Token Model", [f.mt]);
  });

  it("a 32-byte name (the longest the launchpad accepts) launches, and is the permit domain's name", async () => {
    const f = await fresh();
    const name = "A Model Name Of 32 Printable Ch.";
    assert.equal(name.length, 32);
    const { mt } = await f.launch({ name, ticker: "LONG" });
    assert.equal(await f.mtToken(mt).read.name(), name);
    const token = await deployDirect(f, f.carol, name, "LONG");
    await f.mined(token.write.mintSupply([f.alice.account.address]));
    await checkPermit(f, token.address, name, [token.address]);
  });

  it("burn and burnFrom lower the supply; burnFrom needs an allowance", async () => {
    const f = await graduated();
    const [alice, bob] = [f.alice.account.address, f.bob.account.address];
    const token = f.mtToken(f.mt);
    const supply = await token.read.totalSupply();
    const aliceBal = await token.read.balanceOf([alice]);
    await f.mined(f.mtToken(f.mt, f.alice).write.burn([100n * FLOCK]));
    assert.equal(await token.read.balanceOf([alice]), aliceBal - 100n * FLOCK);
    assert.equal(await token.read.totalSupply(), supply - 100n * FLOCK);

    const asBob = f.mtToken(f.mt, f.bob);
    await f.expectRevert(() => asBob.write.burnFrom([alice, 50n * FLOCK]), token, "ERC20InsufficientAllowance", [bob, 0n, 50n * FLOCK], [f.mt]);
    await f.mined(f.mtToken(f.mt, f.alice).write.approve([bob, 80n * FLOCK]));
    await f.mined(asBob.write.burnFrom([alice, 50n * FLOCK]));
    assert.equal(await token.read.allowance([alice, bob]), 30n * FLOCK);
    assert.equal(await token.read.balanceOf([alice]), aliceBal - 150n * FLOCK);
    assert.equal(await token.read.totalSupply(), supply - 150n * FLOCK);
    assert.equal((await token.read.totalSupply()) + (await f.burnedOf(f.mt)), TOTAL_SUPPLY);
    await f.expectRevert(
      () => f.mtToken(f.mt, f.attacker).write.burn([1n]),
      token, "ERC20InsufficientBalance", [f.attacker.account.address, 0n, 1n], [f.mt],
    );
  });
});

