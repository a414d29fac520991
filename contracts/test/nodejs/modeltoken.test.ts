// ModelToken ($MT): an EIP-1167 clone with immutable args (minter, name, symbol); the supply is
// minted once by the minter only; ERC-20 + EIP-2612 permit + burn.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { concat, encodeAbiParameters, numberToHex, parseSignature, size, type Address, type Hex } from "viem";
import { FLOCK, TOTAL_SUPPLY } from "@fomo/sdk";
import { SNIPE_END, fixtureAt, fresh, type Fixture, type Wallet } from "./fixtures.ts";

/** OpenZeppelin Clones.cloneWithImmutableArgs creation code: EIP-1167 proxy followed by `args`. */
function cloneInitCode(implementation: Address, args: Hex): Hex {
  return concat([
    "0x61",
    numberToHex(size(args) + 0x2d, { size: 2 }),
    "0x3d81600a3d39f3363d3d373d3d3d363d73",
    implementation,
    "0x5af43d82803e903d91602b57fd5bf3",
    args,
  ]);
}
const cloneArgs = (minter: Address, name: string, symbol: string) =>
  encodeAbiParameters([{ type: "address" }, { type: "string" }, { type: "string" }], [minter, name, symbol]);

/** Deploys a $MT clone whose minter is `minter` (the protocol only ever makes the launchpad the minter). */
async function deployClone(f: Fixture, minter: Wallet, name: string, symbol: string) {
  const hash = await minter.sendTransaction({
    data: cloneInitCode(f.d.contracts.modelTokenImplementation, cloneArgs(minter.account.address, name, symbol)),
  });
  const { contractAddress } = await f.mined(hash);
  return f.mtToken(contractAddress!, minter);
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
  it("is a clone of the implementation carrying (launchpad, name, ticker) as immutable args", async () => {
    const f = await fresh();
    const { mt } = await f.launch({ ticker: "ABC9", name: "My Model v1" });
    const token = f.mtToken(mt);
    assert.deepEqual(
      [await token.read.name(), await token.read.symbol(), await token.read.decimals(), await token.read.totalSupply()],
      ["My Model v1", "ABC9", 18, 0n],
    );
    assert.equal((await token.read.minter()).toLowerCase(), f.d.contracts.launchpad.toLowerCase());
    const code = await f.publicClient.getCode({ address: mt });
    const init = cloneInitCode(f.d.contracts.modelTokenImplementation, cloneArgs(f.d.contracts.launchpad, "My Model v1", "ABC9"));
    // Hex compared in lower case: the implementation address comes EIP-55 checksummed.
    assert.equal(code?.toLowerCase(), `0x${init.slice(2 + 20)}`.toLowerCase(), "runtime code = EIP-1167 proxy + abi.encode(minter, name, symbol)");
  });

  it("NotAClone: the implementation itself cannot mint", async () => {
    const f = await fresh();
    const impl = f.mtToken(f.d.contracts.modelTokenImplementation);
    await f.expectRevert(() => impl.write.mintSupply([f.deployer.account.address]), impl, "NotAClone", []);
  });

  it("NotMinter for anyone but the launchpad, before and after graduation", async () => {
    const f = await graduated();
    const { mt: raising } = await f.launch({ ticker: "OTHER" });
    for (const mt of [raising, f.mt]) {
      for (const who of [f.issuer, f.deployer]) {
        await f.expectRevert(
          () => f.mtToken(mt, who).write.mintSupply([who.account.address]),
          f.mtToken(mt), "NotMinter", [who.account.address], [raising, f.mt],
        );
      }
    }
  });

  it("mintSupply mints exactly 1,000,000 once (AlreadyMinted after), to the minter's choice", async () => {
    const f = await fresh();
    const token = await deployClone(f, f.carol, "Direct", "DIR");
    assert.equal(await token.read.minted(), false);
    const receipt = await f.mined(token.write.mintSupply([f.bob.account.address]));
    const logs = await token.getEvents.SupplyMinted({}, { blockHash: receipt.blockHash });
    assert.equal(logs.length, 1);
    assert.equal(logs[0]!.args.amount, TOTAL_SUPPLY);
    assert.equal(await token.read.totalSupply(), TOTAL_SUPPLY);
    assert.equal(await token.read.balanceOf([f.bob.account.address]), TOTAL_SUPPLY);
    assert.equal(await token.read.minted(), true);
    await f.expectRevert(() => token.write.mintSupply([f.carol.account.address]), token, "AlreadyMinted", []);
    assert.equal(await token.read.totalSupply(), TOTAL_SUPPLY);
  });

  it("EIP-2612 permit: a signed approval spends once; replayed or expired signatures fail", async () => {
    const f = await graduated();
    const token = f.mtToken(f.mt, f.bob);
    const [owner, spender] = [f.alice.account.address, f.bob.account.address];
    const value = 1_000n * FLOCK;
    const deadline = (await f.now()) + 3_600n;
    const domain = await token.read.eip712Domain();
    assert.deepEqual([domain[1], domain[2]], ["Token Model", "1"]);
    const sign = async (nonce: bigint, dl: bigint) =>
      parseSignature(
        await f.alice.signTypedData({
          domain: { name: "Token Model", version: "1", chainId: await f.publicClient.getChainId(), verifyingContract: f.mt },
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

    await f.expectRevert(() => permit(sig, deadline), token, "ERC2612InvalidSigner", undefined, [f.mt]);
    const late = (await f.now()) - 1n;
    const stale = await sign(1n, late);
    await f.expectRevert(() => permit(stale, late), token, "ERC2612ExpiredSignature", [late], [f.mt]);
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

