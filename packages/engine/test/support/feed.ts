// A test-only stand-in for the indexer: reads every log of a chain with getLogs, decodes it with the
// SDK's ABIs, orders it by (block, logIndex) and feeds the read model's projections with it, one
// transaction per call. The real indexer (cursors, confirmations, reorgs) replaces this loop.
import type { Database } from "@fomo/ledger";
import {
  buybackExecutorAbi, creditDepositsAbi, gmFlockAbi, launchpadAbi, modelTokenAbi, modelTokenFactoryAbi, mtStakingAbi,
  revenueRouterAbi, rewardsDistributorAbi, templateRegistryAbi, uniswapV2FactoryAbi, uniswapV2PairAbi, type Deployments,
} from "@fomo/sdk";
import { decodeEventLog, type Abi, type PublicClient } from "viem";
import type { IndexedLog, Projection } from "../../src/indexer/projection.ts";
import { readModelProjections, readModelTables, recordBlockTime, type BlockTime } from "../../src/readmodel/index.ts";

const EVENTS: Abi = [
  launchpadAbi, templateRegistryAbi, modelTokenAbi, modelTokenFactoryAbi, mtStakingAbi, buybackExecutorAbi, revenueRouterAbi,
  creditDepositsAbi, rewardsDistributorAbi, gmFlockAbi, uniswapV2FactoryAbi, uniswapV2PairAbi,
].flatMap((abi) => (abi as Abi).filter((item) => item.type === "event"));

export interface ChainHistory {
  logs: IndexedLog[];
  blocks: BlockTime[];
}

/** Every decodable log of the chain from the deployment's start block to `toBlock` (default: latest). */
export async function readHistory(client: PublicClient, d: Deployments, toBlock?: bigint): Promise<ChainHistory> {
  const raw = await client.getLogs({ fromBlock: BigInt(d.startBlock), toBlock: toBlock ?? "latest" });
  const logs: IndexedLog[] = [];
  for (const log of raw) {
    let decoded;
    try {
      decoded = decodeEventLog({ abi: EVENTS, data: log.data, topics: log.topics });
    } catch {
      continue; // an event the read model does not follow (e.g. the WETH or the router's tokens)
    }
    logs.push({
      chainId: d.chainId, blockNumber: log.blockNumber, blockHash: log.blockHash, txHash: log.transactionHash,
      logIndex: log.logIndex, address: log.address, eventName: decoded.eventName!, args: (decoded.args ?? {}) as Record<string, unknown>,
    });
  }
  logs.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
  const numbers = [...new Set(logs.map((l) => l.blockNumber))];
  const blocks = await Promise.all(
    numbers.map(async (blockNumber) => {
      const block = await client.getBlock({ blockNumber });
      return { chainId: d.chainId, blockNumber, blockHash: block.hash, timestamp: block.timestamp };
    }),
  );
  return { logs, blocks };
}

/** Applies `history` (the part above `aboveBlock`, if given) to the projections, in chain order, in one transaction. */
export async function feed(db: Database, projections: readonly Projection[], history: ChainHistory, aboveBlock = -1n): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const block of history.blocks) if (block.blockNumber > aboveBlock) await recordBlockTime(trx, block);
    for (const log of history.logs) {
      if (log.blockNumber <= aboveBlock) continue;
      for (const projection of projections) await projection.apply(trx, log);
    }
  });
}

/** What the indexer does on a reorg: deletes every read-model row above `block`. */
export async function rollBack(db: Database, projections: readonly Projection[], block: bigint): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const table of readModelTables(projections)) {
      await trx.deleteFrom(table as "block_times").where("block_number", ">", block).execute();
    }
  });
}

/** Every read-model table's rows in primary-key order, as text: equal text means equal tables. */
export async function dumpTables(db: Database, projections: readonly Projection[]): Promise<string> {
  const parts: string[] = [];
  for (const table of readModelTables(projections)) {
    const rows = await db
      .selectFrom(table as "mt_transfers")
      .selectAll()
      .orderBy("chain_id")
      .orderBy("block_number")
      .orderBy(table === "block_times" ? "block_number" : "log_index")
      .execute();
    parts.push(`${table}\n${rows.map((r) => JSON.stringify(r, (_, v) => (typeof v === "bigint" ? `${v}n` : v))).join("\n")}`);
  }
  return parts.join("\n\n");
}

export { readModelProjections };
