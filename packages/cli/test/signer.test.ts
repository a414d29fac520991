// Who signs a user command: the Web3 Secret Storage test vectors (both KDFs) decrypt to their key, a
// wrong password is refused before anything is decrypted, and --from is the local chain's alone.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DEV_MNEMONIC } from "@fomo/deploy";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { decryptKeystore, userSigner } from "../src/signer.ts";

// https://ethereum.org/developers/docs/data-structures-and-encoding/web3-secret-storage (test vectors)
const KEY = "0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";
const PBKDF2 = {
  crypto: {
    cipher: "aes-128-ctr", cipherparams: { iv: "6087dab2f9fdbbfaddc31a909735c1e6" },
    ciphertext: "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46", kdf: "pbkdf2" as const,
    kdfparams: { c: 262144, dklen: 32, prf: "hmac-sha256", salt: "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd" },
    mac: "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2",
  },
};
const SCRYPT = {
  crypto: {
    cipher: "aes-128-ctr", cipherparams: { iv: "83dbcc02d8ccb40e466191a123791e0e" },
    ciphertext: "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c", kdf: "scrypt" as const,
    kdfparams: { dklen: 32, n: 262144, r: 1, p: 8, salt: "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19" },
    mac: "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097",
  },
};
const NO_ENV = { privateKey: undefined, keystorePassword: undefined };

describe("user signer", () => {
  it("decrypts both KDFs' test vectors and refuses a wrong password", async () => {
    assert.equal(await decryptKeystore(PBKDF2, "testpassword"), KEY);
    assert.equal(await decryptKeystore(SCRYPT, "testpassword"), KEY);
    await assert.rejects(decryptKeystore(PBKDF2, "testpassword!"), /password is wrong/);
  });

  it("signs with --keystore FILE and FOMO_KEYSTORE_PASSWORD, on any chain", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "fomo-ks-")), "key.json");
    writeFileSync(file, JSON.stringify(PBKDF2));
    const signer = await userSigner({ keystore: file }, { ...NO_ENV, keystorePassword: "testpassword" }, 8453);
    assert.equal(signer.account.address, privateKeyToAccount(KEY).address);
    await assert.rejects(userSigner({ keystore: file }, NO_ENV, 8453), /set FOMO_KEYSTORE_PASSWORD/);
    await assert.rejects(userSigner({ keystore: `${file}.missing` }, { ...NO_ENV, keystorePassword: "x" }, 8453), /no such file/);
  });

  it("takes --from N on the local chain only, and FOMO_PRIVATE_KEY anywhere", async () => {
    const dev3 = await userSigner({ from: 3 }, NO_ENV, 31337);
    assert.equal(dev3.account.address, mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 3 }).address);
    await assert.rejects(userSigner({ from: 3 }, NO_ENV, 56), /only on the local chain/);
    await assert.rejects(userSigner({ from: 99 }, NO_ENV, 31337), /dev accounts are 0 to 9/);
    const env = await userSigner({}, { ...NO_ENV, privateKey: KEY }, 56);
    assert.equal(env.account.address, privateKeyToAccount(KEY).address);
    await assert.rejects(userSigner({}, NO_ENV, 56), /set FOMO_PRIVATE_KEY/);
  });
});
