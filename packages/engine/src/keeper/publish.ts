// Step 6 of an epoch's settlement, "published" (docs/protocol.md#rewards-and-publication): the
// epoch's input file written to <dataDir>/epochs/<k>.json, and its cumulative rewards root posted to
// RewardsDistributor with the file's hash as content hash (journal key epoch:<k>:root).
// Cumulative entries, per (wallet, token): the previous root's entries, plus this epoch's allotments
// of accounts with a wallet, plus what accounts accrued while they had none, in the first epoch they
// have one. The file carries the previous entries and the accruals (its `cumulative`), so the root is
// a function of the file alone: rollCumulative is that function, for the keeper and the verifier.
import { createReadStream } from "node:fs";
import { mkdir, open, readFile, rename, writeFile, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { Database } from "@fomo/ledger";
import {
  buildRewardsTree,
  decodeEpochInput,
  encodeEpochInput,
  epochInputHash,
  getAllotment,
  getDistributorState,
  getEmissionDay,
  getPendingRoot,
  postRoot,
  readEpochInput,
  rewardsDistributorAbi,
  writeEpochInput,
  revertOf,
  type Deployments,
  type EpochCumulativeInput,
  type EpochInputFile,
  type RewardAllotment,
  type RewardEntry,
  type RewardsTree,
} from "@fomo/sdk";
import { erc20Abi, type Address, type Hex, type PublicClient } from "viem";
import { ConservationError, type StepContext } from "./rewards.ts";
import { chainBase, type RootBase } from "./base.ts";
import { getEpoch, getInput, listRewards, recordPublished, undoRewards, type EpochRow } from "./store.ts";
import { KeeperWaits } from "./waits.ts";

/** A root lists at most this many tokens (RewardsDistributor.MAX_ROOT_TOKENS). */
export const MAX_ROOT_TOKENS = 64;

/** What still accrues to an account without a wallet, per token. */
export interface Accrual {
  account: string;
  token: Address;
  amount: bigint;
}

/** The cumulative state after an epoch: its root's entries and what still accrues. */
export interface CumulativeState {
  entries: RewardEntry[];
  accrued: Accrual[];
}

/**
 * The state after an epoch from the state before it (its input file's `cumulative`) and its
 * allotments: entries grow by every allotment to a wallet and by every accrual whose account now
 * has one; the rest accrues. An account paid to two wallets in one epoch is refused.
 */
export function rollCumulative(before: EpochCumulativeInput, allotments: readonly RewardAllotment[]): CumulativeState {
  const entries = new Map<string, RewardEntry>();
  const credit = (wallet: Address, token: Address, amount: bigint) => {
    const [w, t] = [wallet.toLowerCase() as Address, token.toLowerCase() as Address];
    const key = `${w}:${t}`;
    const entry = entries.get(key) ?? { account: w, token: t, cumulativeAmount: 0n };
    entry.cumulativeAmount += amount;
    entries.set(key, entry);
  };
  for (const e of before.previous?.entries ?? []) credit(e.account, e.token, e.cumulativeAmount);
  const walletOf = new Map<string, string | null>();
  const accrued = new Map<string, Accrual>();
  const place = (account: string, wallet: Address | null, token: Address, amount: bigint) => {
    const known = walletOf.get(account);
    const spelled = wallet?.toLowerCase() ?? null;
    if (known !== undefined && known !== spelled) throw new Error(`account ${account} comes with two wallets: ${known} and ${spelled}`);
    walletOf.set(account, spelled);
    if (wallet) return credit(wallet, token, amount);
    const key = JSON.stringify([account, token.toLowerCase()]);
    const a = accrued.get(key) ?? { account, token: token.toLowerCase() as Address, amount: 0n };
    a.amount += amount;
    accrued.set(key, a);
  };
  for (const a of before.accrued) place(a.account, a.wallet, a.token, a.amount);
  for (const a of allotments) place(a.account, a.wallet, a.token, a.amount);
  const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return {
    entries: [...entries.values()].sort((a, b) => order(a.account, b.account) || order(a.token, b.token)),
    accrued: [...accrued.values()].filter((a) => a.amount > 0n).sort((a, b) => order(a.account, b.account) || order(a.token, b.token)),
  };
}

/**
 * What postRoot lists: the tokens whose cumulative total changed since the previous root (the others
 * keep their allotment on chain), at most MAX_ROOT_TOKENS.
 */
export function changedTotals(tree: RewardsTree, previous: readonly RewardEntry[]): { token: Address; total: bigint }[] {
  const before = new Map<string, bigint>();
  for (const e of previous) before.set(e.token.toLowerCase(), (before.get(e.token.toLowerCase()) ?? 0n) + e.cumulativeAmount);
  const changed = tree.totals.filter((t) => before.get(t.token.toLowerCase()) !== t.total);
  if (changed.length > MAX_ROOT_TOKENS) throw new Error(`epoch ${tree.epoch}'s root changes ${changed.length} tokens' totals, more than the ${MAX_ROOT_TOKENS} a root lists`);
  return changed;
}

/** The root of an epoch's input file: its cumulative entries' tree, and the root's cumulative emission. */
export function rootOfInput(file: EpochInputFile, allotments: readonly RewardAllotment[]): { tree: RewardsTree; emissionTotal: bigint; previous: readonly RewardEntry[]; after: CumulativeState } {
  if (!file.cumulative) throw new Error(`epoch ${file.epoch}'s input file has no cumulative state: no root can be built from it`);
  const after = rollCumulative(file.cumulative, allotments);
  const tree = buildRewardsTree({ epoch: file.epoch, entries: after.entries });
  const emissionTotal = (file.cumulative.previous?.emissionTotal ?? 0n) + file.emission;
  return { tree, emissionTotal, previous: file.cumulative.previous?.entries ?? [], after };
}

/** The cumulative state after a rewarded epoch, from its stored input and allotments. */
export async function cumulativeAfter(db: Database, epoch: bigint, dataDir: string | undefined): Promise<CumulativeState> {
  return rootOfInput((await storedInput(db, epoch, dataDir)).file, await listRewards(db, epoch)).after;
}

/** `<dataDir>/epochs/<epoch>.json`: where an epoch's input file is published. */
export function inputFilePath(dataDir: string, epoch: bigint): string {
  return join(dataDir, "epochs", `${epoch}.json`);
}

/**
 * Input files from this many bytes on are kept on disk only (`<dataDir>/epochs/<k>.json`, written by the
 * rewards step, its hash in keeper_inputs with an empty body): a text column, and a string, cannot hold
 * one past V8's longest string (2^29 characters, an epoch of ~15M records).
 */
export const INPUT_IN_DATABASE_BELOW = 64 * 2 ** 20;

/**
 * The rewards step's input file, encoded once and hashed: below `limit` bytes returned as the body to
 * store (publish writes it out); from `limit` on streamed to its place on disk (a temporary file renamed
 * over it) and the body left empty.
 */
export async function prepareInput(file: EpochInputFile, epoch: bigint, dataDir: string | undefined, limit = INPUT_IN_DATABASE_BELOW): Promise<{ body: string; contentHash: Hex }> {
  if (dataDir === undefined) {
    const body = encodeEpochInput(file);
    return { body, contentHash: epochInputHash(body) };
  }
  const path = inputFilePath(dataDir, epoch);
  let pieces: Uint8Array[] | undefined = [];
  let size = 0;
  let out: FileHandle | undefined;
  try {
    const { hash } = await writeEpochInput(file, async (bytes) => {
      size += bytes.length;
      if (pieces && size < limit) return void pieces.push(bytes);
      if (!out) {
        await mkdir(join(dataDir, "epochs"), { recursive: true });
        out = await open(`${path}.tmp`, "w");
        for (const piece of pieces ?? []) await out.write(piece);
        pieces = undefined;
      }
      await out.write(bytes);
    });
    if (!out) return { body: Buffer.concat(pieces!).toString("utf8"), contentHash: hash };
    await out.close();
    out = undefined;
    await rename(`${path}.tmp`, path);
    return { body: "", contentHash: hash };
  } finally {
    await out?.close();
  }
}

/** A rewarded epoch's input file: from its stored body, or (a large one) from disk, checked against its stored hash. */
async function storedInput(db: Database, epoch: bigint, dataDir: string | undefined): Promise<{ file: EpochInputFile; contentHash: Hex; body: string }> {
  const input = await getInput(db, epoch);
  if (!input) throw new Error(`epoch ${epoch} has no stored input file`);
  const contentHash = input.content_hash as Hex;
  if (input.body !== "") return { file: decodeEpochInput(input.body), contentHash, body: input.body };
  if (dataDir === undefined) throw new Error(`epoch ${epoch}'s input file is kept on disk only: the keeper needs its dataDir`);
  const path = inputFilePath(dataDir, epoch);
  const read = await readEpochInput(createReadStream(path, { highWaterMark: 1 << 20 }));
  if (read.hash !== contentHash) throw new Error(`epoch ${epoch}'s input file ${path} hashes to ${read.hash}, not the ${contentHash} its rewards were computed from`);
  return { file: read.file, contentHash, body: "" };
}

/** Writes the file whole or not at all (a temporary file renamed over it): a reader never sees half a file. */
async function writeInputFile(dataDir: string, epoch: bigint, body: string): Promise<void> {
  const path = inputFilePath(dataDir, epoch);
  const existing = await readFile(path, "utf8").catch(() => undefined);
  if (existing === body) return;
  await mkdir(join(dataDir, "epochs"), { recursive: true });
  await writeFile(`${path}.tmp`, body);
  await rename(`${path}.tmp`, path);
}

/** The keeper waits: a root still in its challenge delay would be superseded, its clock restarted, for no reason. */
export class RootPending extends KeeperWaits {
  override name = "RootPending";
}

/**
 * Step 6: the file, then the root (recorded if a crashed run already posted it). A pending root still
 * in its challenge delay is superseded only when catching up (later epochs are due: their roots follow
 * at once and the newest waits out the delay); otherwise the step waits for it to go live (RootPending),
 * so a root is never held back by the next one. The challenge delay must not exceed the epoch length.
 */
export async function publishEpoch(ctx: StepContext, row: EpochRow, dataDir: string, { catchingUp }: { catchingUp: boolean }): Promise<void> {
  const { db, clients, deployments: d } = ctx;
  const epoch = row.epoch;
  const input = await storedInput(db, epoch, dataDir);
  // A large file is on disk already (prepareInput); a small one is written from its stored body.
  if (input.body !== "") await writeInputFile(dataDir, epoch, input.body);
  const file = input.file;
  const { tree, emissionTotal, previous } = rootOfInput(file, await listRewards(db, epoch));
  if (emissionTotal.toString() !== row.emission_total) throw new Error(`epoch ${epoch}: the file's cumulative emission ${emissionTotal} is not the stored ${row.emission_total}`);

  /** Records the root the chain holds for the epoch (warning when it is not the file's). */
  const record = async (onChain: { root: Hex; contentHash: Hex; tx: string | undefined }) => {
    if (onChain.root !== tree.root || onChain.contentHash !== input.contentHash) {
      ctx.log.warn("keeper: the root on chain differs from the epoch's", { epoch, onChain, mine: { root: tree.root, contentHash: input.contentHash } });
    }
    await recordPublished(db, epoch, { root: onChain.root, tx: onChain.tx }, ctx.now());
  };
  const found = await rootPostedFor(clients.public, d, epoch);
  if (found) return record(found);
  await requireSameBase(ctx, epoch, file.cumulative?.previous ?? null);
  const today = await getEmissionDay(clients.public, d);
  if (epoch > today) throw new Error(`epoch ${epoch}'s root may be posted from emission day ${epoch}; today is day ${today}`);
  const live = await getDistributorState(clients.public, d);
  if (live.started && live.epoch >= epoch) throw new Error(`the live root is of epoch ${live.epoch}: epoch ${epoch}'s root would not be after it`);
  const pending = await getPendingRoot(clients.public, d);
  const chainNow = (await clients.public.getBlock({ blockTag: "latest" })).timestamp;
  if (pending && pending.liveAt > chainNow && !catchingUp) {
    throw new RootPending(`waiting: the root of epoch ${pending.epoch} goes live at ${pending.liveAt} (chain time ${chainNow}); posting now would supersede it`);
  }
  const totals = changedTotals(tree, previous);
  await checkFunded(ctx, epoch, totals, emissionTotal, pending?.emissionTotal ?? live.emitted);
  try {
    const sent = await ctx.journaled(`epoch:${epoch}:root`, (sender) =>
      postRoot(clients, d, { epoch, root: tree.root, contentHash: input.contentHash, totals, emissionTotal }, { sender }),
    );
    await record({ root: sent.posted.root, contentHash: sent.posted.contentHash, tx: sent.hash });
  } catch (error) {
    // Posted between the look and the send (a journaled send now mined): recorded as found.
    const again = revertOf(error) ? await rootPostedFor(clients.public, d, epoch) : undefined;
    if (!again) throw error;
    await record(again);
  }
}

/** The root an epoch's rewards were built on no longer counts on chain (vetoed since): they are computed again. */
export class BaseChanged extends Error {
  override name = "BaseChanged";
}

/**
 * The root the file builds on is still the chain's root that counts. If the guardian vetoed it after
 * the rewards step, posting would put the vetoed allotments back: the step is undone (BaseChanged) and
 * the next run rewards the epoch again on the root that counts.
 */
async function requireSameBase(ctx: StepContext, epoch: bigint, previous: EpochCumulativeInput["previous"]): Promise<void> {
  const base = await chainBase(ctx.clients.public, ctx.deployments);
  // The same root: the one this keeper recorded for that epoch (as baseStateOf takes it), or the one the entries give.
  const sameRoot = async (b: RootBase, p: NonNullable<typeof previous>) =>
    (await getEpoch(ctx.db, b.epoch))?.rewards_root === b.root || buildRewardsTree({ epoch: p.epoch, entries: p.entries }).root === b.root;
  const same =
    base === null
      ? previous === null
      : previous !== null && previous.epoch === base.epoch && previous.emissionTotal === base.emissionTotal && (await sameRoot(base, previous));
  if (same) return;
  await undoRewards(ctx.db, epoch, ctx.now());
  const was = previous ? `epoch ${previous.epoch}'s root` : "no root";
  const now = base ? `epoch ${base.epoch}'s root ${base.root}` : "no root (none counts)";
  throw new BaseChanged(`epoch ${epoch}'s rewards were built on ${was}, the chain's root that counts is now ${now} (a veto): its rewards are computed again on the next run`);
}

/** The last RootPosted of `epoch` on chain, if any. */
export async function rootPostedFor(client: PublicClient, d: Deployments, epoch: bigint) {
  const events = await client.getContractEvents({
    address: d.contracts.rewardsDistributor, abi: rewardsDistributorAbi, eventName: "RootPosted", args: { epoch }, fromBlock: BigInt(d.startBlock),
  });
  const last = events.at(-1);
  return last && { root: last.args.root!, contentHash: last.args.contentHash!, emitted: last.args.emitted!, tx: last.transactionHash };
}

/**
 * Σ cumulative allotments ≤ funded, per listed token, as the distributor will check it: its balance
 * plus what it paid out, plus for FLOCK the emission this post pulls from the reserve. Failing here
 * names the token instead of a reverted simulation.
 */
async function checkFunded(ctx: StepContext, epoch: bigint, totals: readonly { token: Address; total: bigint }[], emissionTotal: bigint, held: bigint) {
  const { clients, deployments: d } = ctx;
  const flock = d.contracts.flock.toLowerCase();
  for (const { token, total } of totals) {
    const balance = await clients.public.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [d.contracts.rewardsDistributor] });
    const { claimed } = await getAllotment(clients.public, d, { token });
    const funded = balance + claimed + (token.toLowerCase() === flock ? emissionTotal - held : 0n);
    if (total > funded) throw new ConservationError(`epoch ${epoch}: cumulative allotments of ${token} (${total}) exceed what the distributor is funded with (${funded})`);
  }
}
