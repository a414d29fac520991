// An epoch's input file: every public number computeEpochRewards needs (and the revenue report's
// figures), as canonical JSON (canonical.ts), so anyone holding the file and its hash can check the
// one against the other and recompute the epoch's rewards:
//   rewards = computeEpochRewards(decodeEpochInput(json))     (the file is an EpochRewardsInput)
//   epochInputHash(json) = keccak256 of the file's UTF-8 bytes
// encodeEpochInput writes the canonical form: addresses in lower case, deployments by $MT, users by
// account, carry by token, keys sorted, integers as decimal strings. The same data always gives the
// same bytes, so the same hash.
// A file too long for one string (an epoch of tens of millions of usage records passes V8's 2^29
// characters) is written with writeEpochInput and read with readEpochInput: the same bytes and the
// same hash as encodeEpochInput/epochInputHash, in pieces, never whole in memory as text.
// A keeper's file also carries `cumulative`: the previous root's entries and the rewards still
// accruing to accounts without a wallet, so the epoch's cumulative Merkle root can be recomputed from
// this one file (the previous entries are checked against the previous root on chain).
import { bytesToHex, stringToBytes, type Address, type Hex } from "viem";
import { canonicalJsonChunks, parseJsonChunks } from "./canonical.ts";
import { createKeccakStream, keccakBytes } from "./keccak.ts";
import type { EpochDeployment, EpochRewardsInput, EpochUser, TokenAmount } from "./epochRewards.ts";
import { canonicalAddress, canonicalEntries, type RewardEntry } from "./merkle.ts";
import { UINT256_MAX } from "./uint256.ts";

/** The format version this SDK writes and reads. */
export const EPOCH_INPUT_VERSION = 1;

/** One deployment's line of the file: its rewards input and its revenue report. */
export interface EpochInputDeployment extends EpochDeployment {
  /** Σ prices charged in the epoch, micro-USD (the report's gross before conversion to USDC units). */
  gross: bigint;
  /** Σ hard costs, micro-USD. */
  hardCost: bigint;
  /** The root of the epoch's usage tree of this $MT, as reported to RevenueRouter. */
  usageRoot: Hex;
}

/** Rewards earned by an account while it had no wallet, not yet in any root. */
export interface AccruedReward {
  account: string;
  /** The wallet bound to the account as of this epoch: its accrued rewards enter this epoch's root; null: still accruing. */
  wallet: Address | null;
  token: Address;
  amount: bigint;
}

/** What the epoch's cumulative root builds on: the state after the previous epoch. */
export interface EpochCumulativeInput {
  /** The previous epoch's root (null for the keeper's first): its cumulative emission and its entries (wallet, token). */
  previous: { epoch: bigint; emissionTotal: bigint; entries: readonly RewardEntry[] } | null;
  /** Rewards of accounts without a wallet up to the previous epoch, per (account, token). */
  accrued: readonly AccruedReward[];
}

/** The input file of one epoch. */
export interface EpochInputFile extends EpochRewardsInput {
  version: typeof EPOCH_INPUT_VERSION;
  chainId: number;
  /** The EmissionSchedule day whose emission this is (the epoch itself: one clock, keeper-design). */
  emissionDay: bigint;
  deployments: readonly EpochInputDeployment[];
  /** The keeper's cumulative state before this epoch (absent: a file of the rewards alone, no root to rebuild). */
  cumulative?: EpochCumulativeInput;
}

/** A file that is not a valid epoch input; the message names the field. */
export class EpochInputError extends Error {
  override name = "EpochInputError";
}

/**
 * keccak256 of the file's UTF-8 bytes: what commits to an epoch's inputs.
 *
 * @example
 * const hash = epochInputHash(encodeEpochInput(file));
 */
export function epochInputHash(json: string): Hex {
  return bytesToHex(keccakBytes(stringToBytes(json)));
}

const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The canonical form of a file: addresses in lower case, every list in its canonical order. */
function canonicalFormOf(file: EpochInputFile) {
  const lower = (a: Address) => a.toLowerCase() as Address;
  return {
    ...file,
    flock: lower(file.flock),
    carry: file.carry.map((c) => ({ ...c, token: lower(c.token) })).sort((a, b) => order(a.token, b.token)),
    deployments: file.deployments
      .map((d) => ({
        ...d,
        mt: lower(d.mt),
        issuer: lower(d.issuer),
        usageRoot: d.usageRoot.toLowerCase() as Hex,
        users: d.users.map((u) => ({ ...u, wallet: u.wallet && lower(u.wallet) })).sort((a, b) => order(a.account, b.account)),
      }))
      .sort((a, b) => order(a.mt, b.mt)),
    cumulative: file.cumulative && {
      previous: file.cumulative.previous && { ...file.cumulative.previous, entries: canonicalEntries(file.cumulative.previous.entries) },
      accrued: file.cumulative.accrued
        .map((a) => ({ ...a, wallet: a.wallet && lower(a.wallet), token: lower(a.token) }))
        .sort((a, b) => order(a.account, b.account) || order(a.token, b.token)),
    },
  };
}

/**
 * The canonical JSON of an epoch's inputs, in pieces whose concatenation is `encodeEpochInput(file)`
 * (each piece whole tokens: encoded one by one they give the file's UTF-8 bytes). Refuses, before
 * the first piece, what `decodeEpochInput` would refuse.
 *
 * @example
 * for (const piece of encodeEpochInputChunks(file)) out.write(piece);
 */
export function* encodeEpochInputChunks(file: EpochInputFile): Generator<string> {
  const form = canonicalFormOf(file);
  // The decoder's checks on the form itself (its integers still bigints), a deployment at a time:
  // a file written can always be read back, without a second copy of it in memory.
  fileOf({ ...form, deployments: [] });
  form.deployments.forEach(deployment);
  yield* canonicalJsonChunks(form);
}

/**
 * The canonical JSON of an epoch's inputs. Refuses what `decodeEpochInput` would refuse, so every file
 * written can be read back.
 *
 * @example
 * const json = encodeEpochInput({ version: 1, chainId: 31337, epoch, emissionDay: epoch, clock, emission, flock, carry: [], deployments });
 */
export function encodeEpochInput(file: EpochInputFile): string {
  return [...encodeEpochInputChunks(file)].join("");
}

/** Characters of canonical JSON encoded and handed on at a time by writeEpochInput. */
const WRITE_PIECE_CHARS = 1 << 20;

/**
 * Writes an epoch's input file in pieces (`write` gets its UTF-8 bytes in order, a megabyte or so at a
 * time) and hashes the same bytes as they go: for a file of any size, the bytes and the hash of
 * `encodeEpochInput(file)` / `epochInputHash`.
 *
 * @example
 * const out = createWriteStream("epochs/12.json");
 * const { hash } = await writeEpochInput(file, (bytes) => new Promise((done) => out.write(bytes, () => done())));
 */
export async function writeEpochInput(file: EpochInputFile, write: (bytes: Uint8Array) => void | Promise<void>): Promise<{ hash: Hex; bytes: number }> {
  const hasher = await createKeccakStream();
  const encoder = new TextEncoder();
  let bytes = 0;
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = async () => {
    const data = encoder.encode(pending.join(""));
    pending = [];
    pendingChars = 0;
    hasher.update(data);
    bytes += data.length;
    await write(data);
  };
  for (const piece of encodeEpochInputChunks(file)) {
    pending.push(piece);
    pendingChars += piece.length;
    if (pendingChars >= WRITE_PIECE_CHARS) await flush();
  }
  if (pendingChars > 0) await flush();
  return { hash: bytesToHex(hasher.digest()), bytes };
}

/**
 * Reads an epoch's input file from its bytes in pieces (e.g. a file's read stream): the checked file,
 * as `decodeEpochInput` gives it, and the hash of exactly those bytes, as `epochInputHash` gives it —
 * for a file of any size. Throws an `EpochInputError` naming the first bad field.
 *
 * @example
 * const { file, hash } = await readEpochInput(createReadStream("epochs/12.json"));
 */
export async function readEpochInput(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<{ file: EpochInputFile; hash: Hex; bytes: number }> {
  const hasher = await createKeccakStream();
  const decoder = new TextDecoder();
  let bytes = 0;
  async function* text() {
    for await (const chunk of chunks) {
      hasher.update(chunk);
      bytes += chunk.length;
      yield decoder.decode(chunk, { stream: true });
    }
    yield decoder.decode();
  }
  let value: unknown;
  try {
    value = await parseJsonChunks(text());
  } catch (e) {
    throw new EpochInputError(`epoch input: not JSON (${(e as Error).message})`);
  }
  return { file: fileOf(value), hash: bytesToHex(hasher.digest()), bytes };
}

/**
 * Reads and checks an epoch input file: every field present and of its type, no unknown field,
 * integers as non-negative decimal strings within uint256. Addresses come back in lower case. Throws
 * an `EpochInputError` naming the first bad field.
 *
 * @example
 * const rewards = computeEpochRewards(decodeEpochInput(readFileSync("epochs/12.json", "utf8")));
 */
export function decodeEpochInput(json: string): EpochInputFile {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw new EpochInputError(`epoch input: not JSON (${(e as Error).message})`);
  }
  return fileOf(value);
}

/** The file in a parsed JSON value, checked. */
function fileOf(value: unknown): EpochInputFile {
  const file = fields(value, "", ["version", "chainId", "epoch", "emissionDay", "clock", "emission", "flock", "carry", "deployments"], ["cumulative"]);
  if (file.version !== EPOCH_INPUT_VERSION) {
    throw fail("version", `this SDK reads version ${EPOCH_INPUT_VERSION}, got ${JSON.stringify(file.version)}`);
  }
  if (typeof file.chainId !== "number" || !Number.isSafeInteger(file.chainId) || file.chainId <= 0) {
    throw fail("chainId", `expected a positive integer, got ${JSON.stringify(file.chainId)}`);
  }
  const clock = fields(file.clock, "clock", ["start", "length"]);
  const length = uint(clock.length, "clock.length");
  if (length === 0n) throw fail("clock.length", "an epoch lasts at least one second");
  return {
    version: EPOCH_INPUT_VERSION,
    chainId: file.chainId,
    epoch: uint(file.epoch, "epoch"),
    emissionDay: uint(file.emissionDay, "emissionDay"),
    clock: { start: uint(clock.start, "clock.start"), length },
    emission: uint(file.emission, "emission"),
    flock: address(file.flock, "flock"),
    carry: list(file.carry, "carry").map((c, i): TokenAmount => {
      const at = `carry[${i}]`;
      const entry = fields(c, at, ["token", "amount"]);
      return { token: address(entry.token, `${at}.token`), amount: uint(entry.amount, `${at}.amount`) };
    }),
    deployments: list(file.deployments, "deployments").map(deployment),
    ...(file.cumulative === undefined ? {} : { cumulative: cumulative(file.cumulative) }),
  };
}

function cumulative(value: unknown): EpochCumulativeInput {
  const c = fields(value, "cumulative", ["previous", "accrued"]);
  let previous: EpochCumulativeInput["previous"] = null;
  if (c.previous !== null) {
    const p = fields(c.previous, "cumulative.previous", ["epoch", "emissionTotal", "entries"]);
    previous = {
      epoch: uint(p.epoch, "cumulative.previous.epoch"),
      emissionTotal: uint(p.emissionTotal, "cumulative.previous.emissionTotal"),
      entries: list(p.entries, "cumulative.previous.entries").map((e, i): RewardEntry => {
        const at = `cumulative.previous.entries[${i}]`;
        const entry = fields(e, at, ["account", "token", "cumulativeAmount"]);
        return { account: address(entry.account, `${at}.account`), token: address(entry.token, `${at}.token`), cumulativeAmount: uint(entry.cumulativeAmount, `${at}.cumulativeAmount`) };
      }),
    };
  }
  const accrued = list(c.accrued, "cumulative.accrued").map((a, i): AccruedReward => {
    const at = `cumulative.accrued[${i}]`;
    const entry = fields(a, at, ["account", "wallet", "token", "amount"]);
    return {
      ...accountAndWallet(entry, at),
      token: address(entry.token, `${at}.token`),
      amount: uint(entry.amount, `${at}.amount`),
    };
  });
  return { previous, accrued };
}

function deployment(value: unknown, i: number): EpochInputDeployment {
  const at = `deployments[${i}]`;
  const d = fields(value, at, ["mt", "issuer", "graduatedAt", "gross", "hardCost", "usageRoot", "poolRelease", "users"]);
  const release = fields(d.poolRelease, `${at}.poolRelease`, ["flock", "mt"]);
  if (typeof d.usageRoot !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(d.usageRoot)) {
    throw fail(`${at}.usageRoot`, `expected a 32-byte hex string, got ${JSON.stringify(d.usageRoot)}`);
  }
  return {
    mt: address(d.mt, `${at}.mt`),
    issuer: address(d.issuer, `${at}.issuer`),
    graduatedAt: uint(d.graduatedAt, `${at}.graduatedAt`),
    gross: uint(d.gross, `${at}.gross`),
    hardCost: uint(d.hardCost, `${at}.hardCost`),
    usageRoot: d.usageRoot.toLowerCase() as Hex,
    poolRelease: { flock: uint(release.flock, `${at}.poolRelease.flock`), mt: uint(release.mt, `${at}.poolRelease.mt`) },
    users: list(d.users, `${at}.users`).map((u, j): EpochUser => {
      const uat = `${at}.users[${j}]`;
      const user = fields(u, uat, ["account", "wallet", "spend", "stake", "gm"]);
      return {
        ...accountAndWallet(user, uat),
        spend: uint(user.spend, `${uat}.spend`),
        stake: uint(user.stake, `${uat}.stake`),
        gm: uint(user.gm, `${uat}.gm`),
      };
    }),
  };
}

/** A ledger account id (non-empty) and its wallet (an address or null), of a user or an accrual. */
function accountAndWallet(entry: Record<string, unknown>, at: string): { account: string; wallet: Address | null } {
  if (typeof entry.account !== "string" || entry.account.length === 0) {
    throw fail(`${at}.account`, `expected a non-empty ledger account id, got ${JSON.stringify(entry.account)}`);
  }
  return { account: entry.account, wallet: entry.wallet === null ? null : address(entry.wallet, `${at}.wallet`) };
}

const fail = (path: string, problem: string) => new EpochInputError(`epoch input: ${path}: ${problem}`);

/** `value` as an object with exactly `keys`, and any of `optional`. */
function fields(value: unknown, path: string, keys: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw fail(path || "(top)", "expected an object");
  const object = value as Record<string, unknown>;
  const prefix = path ? `${path}.` : "";
  for (const key of keys) if (!(key in object)) throw fail(`${prefix}${key}`, "missing");
  for (const key of Object.keys(object)) if (!keys.includes(key) && !optional.includes(key)) throw fail(`${prefix}${key}`, "unknown field");
  return object;
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw fail(path, "expected an array");
  return value;
}

/** A decimal string (as the file holds it), or a bigint (as the encoder checks a file before writing it). */
function uint(value: unknown, path: string): bigint {
  if (typeof value === "bigint" ? value < 0n : typeof value !== "string" || !/^(0|[1-9][0-9]*)$/.test(value)) {
    throw fail(path, `expected a non-negative integer as a decimal string, got ${typeof value === "bigint" ? value : JSON.stringify(value)}`);
  }
  const x = BigInt(value as string | bigint);
  if (x > UINT256_MAX) throw fail(path, "does not fit in uint256");
  return x;
}

function address(value: unknown, path: string): Address {
  if (typeof value !== "string") throw fail(path, `expected an address, got ${JSON.stringify(value)}`);
  try {
    return canonicalAddress(value, path);
  } catch {
    throw fail(path, `expected an address, got ${JSON.stringify(value)}`);
  }
}
