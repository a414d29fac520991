// Anyone's check of a published epoch (docs/protocol.md#verifying-an-epoch): from the epoch's input
// file and the chain alone (no ledger, no keeper database), recompute what the keeper posted and
// compare it with what the chain holds:
//   - the file's hash                 vs the contentHash of the epoch's RootPosted
//   - the rewards root recomputed     vs that RootPosted's root (and its cumulative emission)
//   - the previous entries in the file vs the previous epoch's RootPosted root
//   - each $MT's gross, hard cost and usage root vs its RevenueReported event of the epoch
//   - the emission                    vs EmissionSchedule.emission(epoch), the cumulative vs cumulative(epoch)
//   - and that neither the epoch's root nor the one it builds on was vetoed
// A file of any size is read in pieces (readEpochInput): pass its read stream rather than its text.
// Every mismatch is one sentence in `differences`; ok only when there is none.
import {
  buildRewardsTree,
  computeEpochRewards,
  decodeEpochInput,
  epochInputHash,
  getCumulativeEmission,
  getEmission,
  reportAmountsOf,
  revenueRouterAbi,
  rewardsDistributorAbi,
  type Deployments,
  readEpochInput,
  type EpochInputFile,
} from "@fomo/sdk";
import type { Hex, PublicClient } from "viem";
import { rootOfInput, rootPostedFor } from "./publish.ts";
import { checkConservation, clockDifference } from "./rewards.ts";

export interface VerifyEpochParameters {
  client: PublicClient;
  deployments: Deployments;
  /**
   * The epoch's input file, as published (its exact bytes are hashed): its text, or its bytes in pieces
   * (a file's read stream), which a file of any size must be given as (past V8's longest string, 2^29
   * characters, it cannot be one string).
   */
  file: string | AsyncIterable<Uint8Array>;
}

export interface VerifyEpochResult {
  ok: boolean;
  /** The file's epoch, when the file could be read. */
  epoch?: bigint;
  differences: string[];
}

/**
 * Recomputes an epoch from its input file plus chain data and lists every difference.
 *
 * @example
 * const { ok, differences } = await verifyEpoch({ client, deployments, file: createReadStream("data/epochs/12.json") });
 */
export async function verifyEpoch({ client, deployments: d, file }: VerifyEpochParameters): Promise<VerifyEpochResult> {
  let input: EpochInputFile;
  let hash: Hex;
  try {
    if (typeof file === "string") [input, hash] = [decodeEpochInput(file), epochInputHash(file)];
    else ({ file: input, hash } = await readEpochInput(file));
  } catch (error) {
    return { ok: false, differences: [`the input file cannot be read: ${(error as Error).message}`] };
  }
  const differences: string[] = [];
  const differ = (what: string) => differences.push(what);
  const epoch = input.epoch;

  if (input.chainId !== d.chainId) differ(`chain: the file is of chain ${input.chainId}, the deployment's is ${d.chainId}`);
  if (input.emissionDay !== epoch) differ(`emission day: the file says ${input.emissionDay} for epoch ${epoch}; an epoch is its emission day`);
  const clockProblem = await clockDifference(client, d, input.clock, epoch);
  if (clockProblem) differ(clockProblem);
  const scheduled = await getEmission(client, d, { day: input.emissionDay });
  if (input.emission !== scheduled) differ(`emission: the file says ${input.emission}, EmissionSchedule.emission(${input.emissionDay}) is ${scheduled}`);

  const posted = await rootPostedFor(client, d, epoch);
  if (!posted) differ(`root: no RootPosted for epoch ${epoch} on chain`);
  else if (posted.contentHash !== hash) differ(`content hash: the file hashes to ${hash}, epoch ${epoch}'s root was posted with ${posted.contentHash}`);
  const [vetoed] = await vetoesOf(client, d, epoch);
  if (vetoed) differ(`root: epoch ${epoch}'s root ${vetoed.args.root} was vetoed by the guardian (tx ${vetoed.transactionHash}): its allotments never applied`);

  try {
    const rewards = computeEpochRewards(input);
    checkConservation(input, rewards);
    const { tree, emissionTotal } = rootOfInput(input, rewards.allotments);
    if (posted && posted.root !== tree.root) differ(`rewards root: recomputed ${tree.root}, epoch ${epoch}'s root on chain is ${posted.root}`);
    if (posted && posted.emitted !== emissionTotal) differ(`cumulative emission: recomputed ${emissionTotal}, epoch ${epoch}'s root on chain says ${posted.emitted}`);
    const cap = await getCumulativeEmission(client, d, { day: epoch });
    if (emissionTotal > cap) differ(`cumulative emission: ${emissionTotal} exceeds the schedule's ${cap} up to day ${epoch}`);
    const previous = input.cumulative?.previous;
    if (previous) {
      const before = await rootPostedFor(client, d, previous.epoch);
      const root = buildRewardsTree({ epoch: previous.epoch, entries: previous.entries }).root;
      if (!before) differ(`previous root: no RootPosted for epoch ${previous.epoch} on chain`);
      else {
        if (before.root !== root) differ(`previous root: the file's previous entries give ${root}, epoch ${previous.epoch}'s root on chain is ${before.root}`);
        if (before.emitted !== previous.emissionTotal) differ(`previous cumulative emission: the file says ${previous.emissionTotal}, epoch ${previous.epoch}'s root on chain says ${before.emitted}`);
        const [dropped] = await vetoesOf(client, d, previous.epoch);
        if (dropped) differ(`previous root: epoch ${previous.epoch}'s root ${dropped.args.root} was vetoed (tx ${dropped.transactionHash}): a root builds on the root before it`);
      }
    }
  } catch (error) {
    differ(`rewards: ${(error as Error).message}`);
  }

  const reports = await client.getContractEvents({
    address: d.contracts.revenueRouter, abi: revenueRouterAbi, eventName: "RevenueReported", args: { epoch }, fromBlock: BigInt(d.startBlock),
  });
  const byMt = new Map(reports.map((e) => [e.args.mt!.toLowerCase(), e.args]));
  for (const dep of input.deployments) {
    const report = byMt.get(dep.mt.toLowerCase());
    byMt.delete(dep.mt.toLowerCase());
    if (!report) {
      differ(`revenue of ${dep.mt}: no RevenueReported for epoch ${epoch} on chain`);
      continue;
    }
    const mine = reportAmountsOf({ grossMicroUsd: dep.gross, hardCostMicroUsd: dep.hardCost }, d.usdcDecimals);
    if (report.gross !== mine.gross) differ(`revenue of ${dep.mt}: gross ${dep.gross} micro-USD is ${mine.gross} units, the router was reported ${report.gross}`);
    if (report.routed!.hardCost !== mine.hardCost) differ(`revenue of ${dep.mt}: hard cost ${dep.hardCost} micro-USD is ${mine.hardCost} units, the router was reported ${report.routed!.hardCost}`);
    if (report.usageRoot!.toLowerCase() !== dep.usageRoot.toLowerCase()) differ(`usage root of ${dep.mt}: the file says ${dep.usageRoot}, the router was reported ${report.usageRoot}`);
  }
  for (const [mt] of byMt) differ(`revenue of ${mt}: reported for epoch ${epoch} on chain, missing from the file`);
  return { ok: differences.length === 0, epoch, differences };
}

/** The guardian's vetoes of `epoch`'s roots. */
function vetoesOf(client: PublicClient, d: Deployments, epoch: bigint) {
  return client.getContractEvents({
    address: d.contracts.rewardsDistributor, abi: rewardsDistributorAbi, eventName: "RootVetoed", args: { epoch }, fromBlock: BigInt(d.startBlock),
  });
}

export interface VerifyQuietEpochParameters {
  client: PublicClient;
  deployments: Deployments;
  epoch: bigint;
}

/**
 * The check of an epoch the keeper recorded quiet (no usage in its window: no input file, no root, no
 * report; docs/protocol.md#quiet-epochs): the chain holds no RootPosted and no RevenueReported of it.
 * What the epoch would have carried is in the next published epoch's file, which verifyEpoch checks.
 *
 * @example
 * const { ok, differences } = await verifyQuietEpoch({ client, deployments, epoch: 12n });
 */
export async function verifyQuietEpoch({ client, deployments: d, epoch }: VerifyQuietEpochParameters): Promise<VerifyEpochResult> {
  const differences: string[] = [];
  const posted = await rootPostedFor(client, d, epoch);
  if (posted) differences.push(`root: epoch ${epoch} is recorded quiet (no usage), yet a root was posted for it (tx ${posted.tx})`);
  const reports = await client.getContractEvents({
    address: d.contracts.revenueRouter, abi: revenueRouterAbi, eventName: "RevenueReported", args: { epoch }, fromBlock: BigInt(d.startBlock),
  });
  for (const r of reports) differences.push(`revenue of ${r.args.mt!.toLowerCase()}: reported for epoch ${epoch} on chain, which is recorded quiet (no usage)`);
  return { ok: differences.length === 0, epoch, differences };
}
