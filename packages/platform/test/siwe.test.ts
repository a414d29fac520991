// Sign-In with Ethereum against a real chain client (hardhat node): a correct message signs in and
// binds the wallet; an expired, replayed, wrong-domain, wrong-chain or wrongly signed one is refused;
// a wallet bound to another account cannot be bound again. On SQLite and PostgreSQL.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { bytecodeOf } from "@fomo/deploy";
import { startChain, type TestChain } from "@fomo/testkit/chain";
import { freePort } from "@fomo/testkit/ports";
import {
  createPublicClient, http, encodeAbiParameters, encodeFunctionData, getContractAddress, keccak256, serializeErc6492Signature, toHex, type Address, type Hex, type PublicClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage, type CreateSiweMessageParameters } from "viem/siwe";
import { SESSION_COOKIE } from "../src/index.ts";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { platformUnderTest } from "./support/platform.ts";

const DOMAIN = "app.fomo.test";
/** contracts/contracts/local/LocalSmartWallet.sol: an ERC-1271 wallet that accepts its owner key's signatures. */
const smartWalletAbi = [{ type: "constructor", inputs: [{ name: "owner_", type: "address" }], stateMutability: "nonpayable" }] as const;
const smartWalletFactoryAbi = [
  {
    type: "function",
    name: "deploy",
    inputs: [{ name: "owner", type: "address" }, { name: "salt", type: "bytes32" }],
    outputs: [{ name: "wallet", type: "address" }],
    stateMutability: "nonpayable",
  },
] as const;
const NONCE_TTL_MS = 60_000;

let chain: TestChain;
let chainId: number;
before(async () => {
  chain = await startChain();
  chainId = await chain.keeper.public.getChainId();
});
after(() => chain?.close());

describeEachDatabase("platform sign-in", (suite) => {
  const t = platformUnderTest(suite, () => ({
    publicClient: chain.keeper.public as PublicClient,
    siwe: { domain: DOMAIN, chainId, nonceTtlMs: NONCE_TTL_MS },
    session: { secureCookie: true, ttlMs: 3_600_000 },
  }));

  const nonce = async (): Promise<string> => {
    const response = await t.api({ method: "POST", url: "/auth/nonce" });
    assert.equal(response.statusCode, 200);
    return response.json().nonce;
  };

  /** A SIWE message for `wallet`, signed by `signer` (the wallet itself unless told otherwise). */
  const signed = async (
    wallet: PrivateKeyAccount | Address,
    overrides: Partial<CreateSiweMessageParameters> = {},
    signer: PrivateKeyAccount = wallet as PrivateKeyAccount,
  ): Promise<{ message: string; signature: Hex }> => {
    const message = createSiweMessage({
      address: typeof wallet === "string" ? wallet : wallet.address,
      chainId,
      domain: DOMAIN,
      nonce: overrides.nonce ?? (await nonce()),
      uri: `https://${DOMAIN}/`,
      version: "1",
      issuedAt: new Date(t.now),
      statement: "Sign in to FOMO",
      ...overrides,
    });
    return { message, signature: await signer.signMessage({ message }) };
  };

  const verify = (body: { message: string; signature: Hex }) => t.api({ method: "POST", url: "/auth/verify", payload: body });
  const refused = async (body: { message: string; signature: Hex }, reason: RegExp) => {
    const response = await verify(body);
    assert.equal(response.statusCode, 401, response.body);
    assert.equal(response.json().error.code, "sign_in_refused");
    assert.match(response.json().error.message, reason);
    assert.equal(response.cookies.length, 0, "no session");
  };

  it("signs a wallet in: a session cookie (httpOnly, Secure, SameSite=Strict), an account, the wallet bound", async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    const response = await verify(await signed(wallet));
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.wallet, wallet.address.toLowerCase());
    const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE)!;
    assert.ok(cookie, "session cookie set");
    assert.deepEqual({ httpOnly: cookie.httpOnly, secure: cookie.secure, sameSite: cookie.sameSite, path: cookie.path }, {
      httpOnly: true, secure: true, sameSite: "Strict", path: "/",
    });
    assert.equal(new Date(cookie.expires!).getTime(), Math.floor((t.now + 3_600_000) / 1000) * 1000);

    const account = await t.api({ method: "GET", url: "/account", cookies: { [SESSION_COOKIE]: cookie.value } });
    assert.equal(account.statusCode, 200, account.body);
    assert.equal(account.json().id, body.account_id);
    assert.equal(account.json().balance_micro_usd, "0");
    assert.deepEqual(account.json().wallets.map((w: { address: string }) => w.address), [wallet.address.toLowerCase()]);

    // Signing in again reaches the same account.
    const again = await verify(await signed(wallet));
    assert.equal(again.json().account_id, body.account_id);
    assert.equal((await t.api({ method: "GET", url: "/account" })).statusCode, 401, "no cookie, no account");
  });

  it("refuses a message past its expiration time, and a nonce past its lifetime", async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    await refused(await signed(wallet, { expirationTime: new Date(t.now - 1) }), /expired/);
    const late = await signed(wallet);
    t.now += NONCE_TTL_MS;
    await refused(late, /nonce/);
  });

  it("refuses a replayed message: the nonce is single-use", async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    const body = await signed(wallet);
    assert.equal((await verify(body)).statusCode, 200);
    await refused(body, /already used nonce/);
  });

  it("refuses a nonce the server never issued", async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    await refused(await signed(wallet, { nonce: "0123456789abcdef0123456789abcdef" }), /nonce/);
  });

  it("refuses a message for another domain or another chain", async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    await refused(await signed(wallet, { domain: "evil.example" }), /evil\.example/);
    await refused(await signed(wallet, { chainId: chainId + 1 }), new RegExp(`chain ${chainId + 1}`));
  });

  it("refuses a signature by another key than the message's address", async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    const impostor = privateKeyToAccount(generatePrivateKey());
    await refused(await signed(wallet, {}, impostor), /signature is not/);
  });

  it("binds a second wallet by its own signature, and refuses a wallet bound to another account", async () => {
    const alice = privateKeyToAccount(generatePrivateKey());
    const aliceSpare = privateKeyToAccount(generatePrivateKey());
    const bob = privateKeyToAccount(generatePrivateKey());
    const session = async (wallet: PrivateKeyAccount) => (await verify(await signed(wallet))).cookies.find((c) => c.name === SESSION_COOKIE)!.value;
    const aliceSession = await session(alice);
    const bobSession = await session(bob);
    const bind = async (cookie: string, body: { message: string; signature: Hex }) =>
      t.api({ method: "POST", url: "/account/wallets", cookies: { [SESSION_COOKIE]: cookie }, payload: body });

    t.now += 1; // the spare is bound after the first wallet: listed second
    const bound = await bind(aliceSession, await signed(aliceSpare));
    assert.equal(bound.statusCode, 200, bound.body);
    assert.deepEqual(bound.json().wallets.map((w: { address: string }) => w.address), [alice.address, aliceSpare.address].map((a) => a.toLowerCase()));

    // Bob proves control of Alice's spare wallet (he cannot, but even a valid signature must not move it).
    const stolen = await bind(bobSession, await signed(aliceSpare));
    assert.equal(stolen.statusCode, 409, stolen.body);
    assert.equal(stolen.json().error.code, "wallet_bound");
    const bobAccount = await t.api({ method: "GET", url: "/account", cookies: { [SESSION_COOKIE]: bobSession } });
    assert.deepEqual(bobAccount.json().wallets.map((w: { address: string }) => w.address), [bob.address.toLowerCase()]);

    // Binding needs a session, and a signature from the wallet bound.
    assert.equal((await t.api({ method: "POST", url: "/account/wallets", payload: await signed(aliceSpare) })).statusCode, 401);
    const other = privateKeyToAccount(generatePrivateKey());
    assert.equal((await bind(aliceSession, await signed(other, {}, alice))).statusCode, 401);
    assert.equal(await t.ledger.wallets.find(other.address), undefined);
  });

  /** Deploys a contract from the keeper; its address. */
  const deploy = async (bytecode: Hex, abi: typeof smartWalletAbi | readonly [], args: readonly unknown[] = []): Promise<Address> => {
    const hash = await chain.keeper.wallet.deployContract({ abi, bytecode, args } as never);
    const receipt = await chain.keeper.public.waitForTransactionReceipt({ hash });
    return receipt.contractAddress!;
  };

  it("signs in a smart-contract wallet by an ERC-1271 signature, checked on chain", async () => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const smartWallet = await deploy(bytecodeOf("LocalSmartWallet"), smartWalletAbi, [owner.address]);
    const response = await verify(await signed(smartWallet, {}, owner));
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().wallet, smartWallet.toLowerCase());
    // The wallet contract decides: a key that is not its owner is refused.
    await refused(await signed(smartWallet, {}, privateKeyToAccount(generatePrivateKey())), /signature is not/);
  });

  it("signs in a smart wallet not yet deployed by an ERC-6492 signature (its factory call wrapped in)", async () => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const factory = await deploy(bytecodeOf("LocalSmartWalletFactory"), []);
    const salt = keccak256(toHex(owner.address));
    const counterfactual = getContractAddress({
      opcode: "CREATE2",
      from: factory,
      salt,
      bytecode: `${bytecodeOf("LocalSmartWallet")}${encodeAbiParameters([{ type: "address" }], [owner.address]).slice(2)}`,
    });
    assert.equal(await chain.keeper.public.getCode({ address: counterfactual }), undefined, "not deployed");
    const { message, signature } = await signed(counterfactual, {}, owner);
    const wrapped = serializeErc6492Signature({
      address: factory,
      data: encodeFunctionData({ abi: smartWalletFactoryAbi, functionName: "deploy", args: [owner.address, salt] }),
      signature,
    });
    const response = await verify({ message, signature: wrapped });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().wallet, counterfactual.toLowerCase());
    assert.equal(await chain.keeper.public.getCode({ address: counterfactual }), undefined, "verified by a call, nothing deployed");
  });

  it("validates bodies: a missing or malformed signature is a 400", async () => {
    const bad = await t.api({ method: "POST", url: "/auth/verify", payload: { message: "hello", signature: "nope" } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, "invalid_request");
    await refused({ message: "not a siwe message", signature: "0x00" }, /lacks|EIP-4361/);
  });
});

describeEachDatabase("platform sign-in with the chain's RPC down", (suite) => {
  let closedPort = 0;
  before(async () => {
    closedPort = await freePort(); // nothing listens there: every call is refused
  });
  const t = platformUnderTest(suite, () => ({
    publicClient: createPublicClient({ transport: http(`http://127.0.0.1:${closedPort}`, { retryCount: 0 }) }) as PublicClient,
    siwe: { domain: DOMAIN, chainId: 31_337, nonceTtlMs: NONCE_TTL_MS },
    session: { secureCookie: true, ttlMs: 3_600_000 },
    signInSweep: { everyMs: 50 },
  }));

  const signIn = async (address: Address, signer: PrivateKeyAccount) => {
    const { nonce } = (await t.api({ method: "POST", url: "/auth/nonce" })).json();
    const message = createSiweMessage({
      address, chainId: 31_337, domain: DOMAIN, nonce, uri: `https://${DOMAIN}/`, version: "1", issuedAt: new Date(t.now),
    });
    return t.api({ method: "POST", url: "/auth/verify", payload: { message, signature: await signer.signMessage({ message }) } });
  };

  it("answers 503 chain_unavailable, not 500, to a smart wallet's signature, and opens no session", async () => {
    // A contract wallet's address, signed by its owner's key: only an ERC-1271 call on chain can tell.
    const smartWallet = privateKeyToAccount(generatePrivateKey()).address;
    const response = await signIn(smartWallet, privateKeyToAccount(generatePrivateKey()));
    assert.equal(response.statusCode, 503, response.body);
    assert.equal(response.json().error.code, "chain_unavailable");
    assert.match(response.json().error.message, /chain/);
    assert.equal(response.headers["retry-after"], "5");
    assert.equal(response.cookies.length, 0, "no session");
    assert.equal(await t.ledger.wallets.find(smartWallet.toLowerCase()), undefined, "no binding");
  });

  it("still signs an EOA in: its signature is checked without the chain", async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    const response = await signIn(wallet.address, wallet);
    assert.equal(response.statusCode, 200, response.body);
  });

  it("prunes expired nonces and sessions while it runs", async () => {
    const { db } = t.ledger;
    await t.api({ method: "POST", url: "/auth/nonce" });
    const wallet = privateKeyToAccount(generatePrivateKey());
    assert.equal((await signIn(wallet.address, wallet)).statusCode, 200);
    const count = async () => (await db.selectFrom("siwe_nonces").select("nonce").execute()).length + (await db.selectFrom("sessions").select("account_id").execute()).length;
    assert.ok((await count()) >= 3, "two nonces and a session");
    t.now += 3_600_000; // past the nonces' and the session's lifetimes
    for (let waited = 0; waited < 5_000 && (await count()) > 0; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await count(), 0);
  });
});
