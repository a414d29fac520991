// What an epoch's cumulative root builds on (docs/protocol.md#rewards-and-publication). Roots are
// cumulative, and the chain, not the keeper's database, says which root counts: the pending root (a
// veto clears it; a newer root supersedes it and builds on it), else the live one, else none yet. So
//   - after the guardian vetoes a root, the next builds on the root before it: the vetoed epoch's
//     allotments (and accruals) never enter a root, its FLOCK emission went back to the reserve with
//     the veto, and what its pools released (already in the distributor) is carried to the next
//     epoch's pot, as dust is;
//   - a keeper whose database holds no earlier epoch (a new keeper, another keeper's roots on chain)
//     builds on the chain's root too, rebuilt from that epoch's published input file
//     (<dataDir>/epochs/<k>.json), checked against the root's content hash and root.
import { createReadStream } from "node:fs";
import {
  buildRewardsTree,
  computeEpochRewards,
  getDistributorState,
  getPendingRoot,
  readEpochInput,
  type Deployments,
  type TokenAmount,
} from "@fomo/sdk";
import { getAddress, type Hex, type PublicClient } from "viem";
import { cumulativeAfter, inputFilePath, rollCumulative, type CumulativeState } from "./publish.ts";
import { epochsBetween, getEpoch } from "./store.ts";
import type { StepContext } from "./rewards.ts";

/** A root on chain that counts: what the next root builds on. */
export interface RootBase {
  epoch: bigint;
  root: Hex;
  contentHash: Hex;
  /** Its cumulative FLOCK emission. */
  emissionTotal: bigint;
}

/** The cumulative state an epoch's root starts from. */
export interface BaseState {
  /** The chain's root it builds on (null: none counts yet, the epoch's root is the first). */
  base: RootBase | null;
  /** That root's entries and the accruals after it. */
  state: CumulativeState;
  /** Carried into the epoch's pot: the base epoch's dust, and what the pools of epochs after it whose roots do not count released. */
  carry: TokenAmount[];
}

/** The chain's root that counts now: the pending one, else the live one (null before the first). */
export async function chainBase(client: PublicClient, d: Deployments): Promise<RootBase | null> {
  const pending = await getPendingRoot(client, d);
  if (pending) return { epoch: pending.epoch, root: pending.root, contentHash: pending.contentHash, emissionTotal: pending.emissionTotal };
  const live = await getDistributorState(client, d);
  return live.started ? { epoch: live.epoch, root: live.root, contentHash: live.contentHash, emissionTotal: live.emitted } : null;
}

/** A root base with its state nowhere to be found or not the chain's: the epoch cannot be rewarded. */
export class BaseUnknown extends Error {
  override name = "BaseUnknown";
}

/** What `epoch`'s root builds on, from the chain's root that counts and this keeper's records or that root's published file. */
export async function baseStateOf(ctx: StepContext, epoch: bigint, parseDust: (json: string) => TokenAmount[]): Promise<BaseState> {
  const { db } = ctx;
  const base = await chainBase(ctx.clients.public, ctx.deployments);
  if (base && base.epoch >= epoch) throw new BaseUnknown(`the chain's rewards root is of epoch ${base.epoch}: epoch ${epoch}'s root would not be after it`);
  let state: CumulativeState = { entries: [], accrued: [] };
  let carry: TokenAmount[] = [];
  if (base) {
    const ours = await getEpoch(db, base.epoch);
    if (ours?.step === "published" && ours.rewards_root === base.root) {
      state = await cumulativeAfter(db, base.epoch, ctx.dataDir);
      carry = ours.dust ? parseDust(ours.dust) : [];
    } else {
      ({ state, carry } = await fromPublishedFile(ctx, base));
    }
  }
  // This keeper's epochs after the base whose roots do not count (vetoed): their pools' releases. Two
  // queries, not one per epoch: thousands of quiet epochs may lie between.
  const { rooted, releases } = await epochsBetween(db, base?.epoch ?? -1n, epoch);
  for (const u of releases) {
    carry.push({ token: ctx.deployments.contracts.flock, amount: BigInt(u.release_flock!) }, { token: getAddress(u.deployment), amount: BigInt(u.release_mt!) });
  }
  for (const e of rooted) ctx.log.warn("keeper: an epoch's root does not count on chain (vetoed): its allotments are left out, its releases carried", { epoch: e.epoch, root: e.rewards_root, next: epoch });
  return { base, state, carry };
}

/** The state after a root this keeper did not record, from the epoch's published input file. */
async function fromPublishedFile(ctx: StepContext, base: RootBase): Promise<{ state: CumulativeState; carry: TokenAmount[] }> {
  const path = ctx.dataDir === undefined ? undefined : inputFilePath(ctx.dataDir, base.epoch);
  const unknown = (why: string) =>
    new BaseUnknown(
      `the chain's rewards root ${base.root} of epoch ${base.epoch} (content hash ${base.contentHash}) is not in this keeper's records, ${why}: ` +
        `the next root builds on it (put the epoch's published input file at ${path ?? "<dataDir>/epochs/<epoch>.json"})`,
    );
  if (path === undefined) throw unknown("and the keeper has no data directory");
  let read;
  try {
    read = await readEpochInput(createReadStream(path, { highWaterMark: 1 << 20 }));
  } catch (error) {
    throw unknown(`and its input file cannot be read (${(error as Error).message})`);
  }
  if (read.hash !== base.contentHash) throw unknown(`and ${path} hashes to ${read.hash}`);
  if (!read.file.cumulative) throw unknown(`and ${path} carries no cumulative state`);
  const rewards = computeEpochRewards(read.file);
  const state = rollCumulative(read.file.cumulative, rewards.allotments);
  const root = buildRewardsTree({ epoch: base.epoch, entries: state.entries }).root;
  if (root !== base.root) throw unknown(`and the entries of ${path} give the root ${root}`);
  ctx.log.info("keeper: building on a root from its published input file", { epoch: base.epoch, root: base.root, path });
  return { state, carry: rewards.dust.filter((t) => t.amount > 0n) };
}
