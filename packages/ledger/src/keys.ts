// API keys: `sk-fomo-` + base64url of 32 random bytes (256 bits). Only the SHA-256 of a key is
// stored; a key is found by its hash, so no secret comparison happens in application code. A key is
// high-entropy, so a plain (unsalted, fast) hash is enough: there is nothing to brute-force.
import { createHash, randomBytes } from "node:crypto";

export const KEY_PREFIX = "sk-fomo-";
const KEY_BYTES = 32;
/** Characters of the random part shown in listings (36 bits: enough to tell keys apart, useless to guess). */
const DISPLAY_CHARS = 6;
const KEY_FORMAT = /^sk-fomo-[A-Za-z0-9_-]{43}$/;

export function generateKey(): string {
  return KEY_PREFIX + randomBytes(KEY_BYTES).toString("base64url");
}

export function isWellFormedKey(raw: string): boolean {
  return KEY_FORMAT.test(raw);
}

export function hashKey(raw: string): string {
  return createHash("sha256").update(raw, "utf8").digest("hex");
}

/** What a listing shows of a key, e.g. `sk-fomo-Ab3dE9`. */
export function displayPrefix(raw: string): string {
  return raw.slice(0, KEY_PREFIX.length + DISPLAY_CHARS);
}

/** Random ids for rows, e.g. `acct_…`, `key_…` (not secrets). */
export function newId(kind: string): string {
  return `${kind}_${randomBytes(12).toString("base64url")}`;
}
