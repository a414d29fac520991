// The gateway's receipt-signing key: FOMO_GATEWAY_KEY (a 0x private key) when set, otherwise one
// generated at the first start and kept in the data dir (mode 0600), so receipts keep verifying
// against the same address across restarts. The key itself is never logged or returned; only its address.
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Hex, PrivateKeyAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

/** File name of the generated key in the data dir. */
export const GATEWAY_KEY_FILE = "gateway-key";

export interface GatewayKey {
  account: PrivateKeyAccount;
  /** The account's key, for the receipt signing thread only: never log or return it. */
  privateKey: Hex;
  /** Where it came from: the environment, the data dir, or generated now (and saved there). */
  source: "env" | "file" | "generated";
  /** The key file, when the key lives in the data dir. */
  path?: string;
}

const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/;

/** The form FOMO_GATEWAY_KEY and the key file must have (surrounding whitespace aside). */
export function isPrivateKeyHex(raw: string): boolean {
  return PRIVATE_KEY.test(raw.trim());
}

function accountOf(raw: string, where: string): Pick<GatewayKey, "account" | "privateKey"> {
  const key = raw.trim() as Hex;
  // Never echo the value: a malformed key is still mostly a secret.
  if (!isPrivateKeyHex(key)) throw new Error(`${where} must be a 0x-prefixed 32-byte hex private key`);
  try {
    return { account: privateKeyToAccount(key), privateKey: key };
  } catch {
    throw new Error(`${where} is not a valid secp256k1 private key`);
  }
}

/** The signing key from `envKey` (FOMO_GATEWAY_KEY) or the data dir, generating it on first use. */
export function loadGatewayKey({ dataDir, envKey }: { dataDir: string; envKey?: string }): GatewayKey {
  if (envKey !== undefined && envKey !== "") return { ...accountOf(envKey, "FOMO_GATEWAY_KEY"), source: "env" };
  const path = join(dataDir, GATEWAY_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': never overwrite a key another process has just written (receipts signed with it would orphan).
    writeFileSync(path, generatePrivateKey() + "\n", { mode: 0o600, flag: "wx" });
    chmodSync(path, 0o600); // whatever the umask
    return { ...accountOf(readFileSync(path, "utf8"), path), source: "generated", path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  if ((statSync(path).mode & 0o077) !== 0) throw new Error(`${path} is readable by other users: chmod 600 it`);
  return { ...accountOf(readFileSync(path, "utf8"), path), source: "file", path };
}
