// Who signs a user command (`fomo launch`, `buy`, `stake`, …). Never a key on the command line: a
// shell's history and `ps` would show it. On the local chain `--from N` picks the dev mnemonic's
// account N (DEV_ACCOUNT_ROLES says which does what); elsewhere an encrypted keystore file
// (`--keystore FILE`, its password in FOMO_KEYSTORE_PASSWORD) or FOMO_PRIVATE_KEY.
import { createDecipheriv, pbkdf2, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { DEV_MNEMONIC } from "@fomo/deploy";
import { scryptAsync } from "@noble/hashes/scrypt.js";
import type { EnvConfig } from "@fomo/gateway";
import { bytesToHex, hexToBytes, keccak256, type Hex, type LocalAccount } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { LOCAL_CHAIN_ID, parseCount, UsageError } from "./args.ts";

/**
 * What the local stack's dev accounts are for (index = `--from N`): account 0 deployed FOMO and is its
 * admin, operator and keeper; 1 launches offerings in the demo; the others are supporters.
 */
export const DEV_ACCOUNT_ROLES = ["operator, keeper and admin", "issuer", "supporter", "supporter", "supporter", "supporter", "supporter", "supporter", "supporter", "supporter"] as const;

/** The dev account a local command signs with when no signer is named: the issuer-and-buyer of the walkthrough. */
export const DEFAULT_DEV_ACCOUNT = 1;

export interface SignerOptions {
  /** `--from N`: the dev mnemonic's account N (local chain only). */
  from?: number;
  /** `--keystore FILE`: an Ethereum V3 keystore (scrypt or pbkdf2, aes-128-ctr). */
  keystore?: string;
}

/** The signer flags every user command takes, for its usage line. */
export const SIGNER_FLAGS = "[--from N] [--keystore FILE]";

/** parseFlags defaults of the signer flags (empty: not given). */
export function signerDefaults(): Record<string, string> {
  return { from: "", keystore: "" };
}

/** The signer flags' values as SignerOptions (`--from` a dev account's index). */
export function signerOptions(v: Record<string, string | undefined>): SignerOptions {
  return {
    ...(v.from ? { from: parseCount(v.from, "--from", 0, DEV_ACCOUNT_ROLES.length - 1) } : {}),
    ...(v.keystore ? { keystore: v.keystore } : {}),
  };
}

export interface Signer {
  account: LocalAccount;
  /** Where the key came from, for the line a command prints before sending ("dev account 1"). */
  source: string;
}

/**
 * The account a user command signs with, by the first that applies: `--keystore`, `--from` (local chain
 * only), FOMO_PRIVATE_KEY, and on the local chain the default dev account. Throws a UsageError saying
 * what to set when nothing applies.
 */
export async function userSigner(
  opts: SignerOptions,
  env: Pick<EnvConfig, "privateKey" | "keystorePassword">,
  chainId: number,
): Promise<Signer> {
  if (opts.keystore && opts.from !== undefined) throw new UsageError("--keystore and --from name two signers: give one");
  if (opts.keystore) {
    if (!env.keystorePassword) throw new UsageError(`--keystore ${opts.keystore}: set FOMO_KEYSTORE_PASSWORD to its password`);
    const key = await decryptKeystore(readKeystore(opts.keystore), env.keystorePassword);
    return { account: privateKeyToAccount(key), source: `keystore ${opts.keystore}` };
  }
  if (opts.from !== undefined) {
    if (chainId !== LOCAL_CHAIN_ID) throw new UsageError(`--from ${opts.from}: dev accounts exist only on the local chain (${LOCAL_CHAIN_ID}); on chain ${chainId} use --keystore FILE or FOMO_PRIVATE_KEY`);
    return devSigner(opts.from);
  }
  if (env.privateKey) return { account: privateKeyToAccount(env.privateKey.trim() as Hex), source: "FOMO_PRIVATE_KEY" };
  if (chainId === LOCAL_CHAIN_ID) return devSigner(DEFAULT_DEV_ACCOUNT);
  throw new UsageError(`no signer: on chain ${chainId} set FOMO_PRIVATE_KEY, or give --keystore FILE with FOMO_KEYSTORE_PASSWORD`);
}

/** The dev mnemonic's account `index` (the local chain funds the first ten). */
export function devSigner(index: number): Signer {
  if (!Number.isSafeInteger(index) || index < 0 || index >= DEV_ACCOUNT_ROLES.length) {
    throw new UsageError(`--from ${index}: the local stack's dev accounts are 0 to ${DEV_ACCOUNT_ROLES.length - 1}`);
  }
  return { account: mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index }), source: `dev account ${index} (${DEV_ACCOUNT_ROLES[index]})` };
}

interface Keystore {
  crypto: {
    cipher: string;
    ciphertext: string;
    cipherparams: { iv: string };
    kdf: "scrypt" | "pbkdf2";
    kdfparams: { dklen: number; salt: string; n?: number; r?: number; p?: number; c?: number; prf?: string };
    mac: string;
  };
}

function readKeystore(path: string): Keystore {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UsageError(`--keystore ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "not a JSON keystore file"}`);
  }
  const record = parsed as Record<string, unknown>;
  const crypto = (record.crypto ?? record.Crypto) as Keystore["crypto"] | undefined;
  if (!crypto?.ciphertext || !crypto.kdfparams || !crypto.mac) throw new UsageError(`--keystore ${path}: not an Ethereum V3 keystore (no crypto section)`);
  return { crypto };
}

/**
 * The private key of a V3 keystore (the format geth, foundry's `cast wallet` and MetaMask export):
 * the KDF's key checks the MAC (keccak256 of its second half and the ciphertext) before decrypting.
 */
export async function decryptKeystore(keystore: Keystore, password: string): Promise<Hex> {
  const { crypto } = keystore;
  if (crypto.cipher !== "aes-128-ctr") throw new UsageError(`keystore cipher ${crypto.cipher} is not supported (aes-128-ctr is)`);
  const p = crypto.kdfparams;
  const salt = Buffer.from(p.salt, "hex");
  let derived: Buffer;
  if (crypto.kdf === "scrypt") {
    // Not node:crypto's scrypt: OpenSSL refuses N ≥ 2^(16·r), and keystores commonly carry N = 2^18, r = 1.
    derived = Buffer.from(await scryptAsync(password, salt, { N: p.n!, r: p.r!, p: p.p!, dkLen: p.dklen, maxmem: 2 ** 31 }));
  } else if (crypto.kdf === "pbkdf2") {
    if (p.prf !== "hmac-sha256") throw new UsageError(`keystore prf ${p.prf} is not supported (hmac-sha256 is)`);
    derived = await promisify(pbkdf2)(password, salt, p.c!, p.dklen, "sha256");
  } else {
    throw new UsageError(`keystore kdf ${String(crypto.kdf)} is not supported (scrypt and pbkdf2 are)`);
  }
  const ciphertext = Buffer.from(crypto.ciphertext, "hex");
  const mac = hexToBytes(keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext])));
  if (!timingSafeEqual(mac, Buffer.from(crypto.mac, "hex"))) throw new UsageError("the keystore's password is wrong (FOMO_KEYSTORE_PASSWORD)");
  const decipher = createDecipheriv("aes-128-ctr", derived.subarray(0, 16), Buffer.from(crypto.cipherparams.iv, "hex"));
  return bytesToHex(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
}
