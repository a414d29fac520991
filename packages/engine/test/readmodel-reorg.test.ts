// The read model as `fomo up` runs it: the real Indexer with the read model's projections over the
// read model's protocol scenario, then a reorg on the Hardhat node (evm_snapshot, one branch indexed,
// evm_revert, a different and longer branch): the indexer finds it, deletes every projection's rows
// above the common ancestor, reads the new branch, and the read model equals a fresh replay of the
// chain and the contracts' own reads. On SQLite and PostgreSQL (each suite reorgs the same chain further).
import assert from "node:assert/strict";
import { after, it } from "node:test";
import type { Database } from "@fomo/ledger";
import { FLOCK, MT, getTotalStaked, modelTokenAbi, stake, uniswapV2PairAbi } from "@fomo/sdk";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { erc20Abi } from "viem";
import { listDeposits, listPools, mtHolders, mtSupply, totalStaked } from "../src/readmodel/index.ts";
import { dumpTables, readModelIndexer, readModelProjections } from "./support/feed.ts";
import { swapFlockFor } from "./support/indexer-scenario.ts";
import { runScenario, type Scenario } from "./support/scenario.ts";
import { syncAll } from "./support/tables.ts";

let played: Promise<Scenario> | undefined;
const scenario = () => (played ??= runScenario());
after(async () => {
  if (played) await (await played).chain.stop();
});

/** The read model's answers that the contracts can be asked directly, each next to the contract's read. */
async function readModelAgainstChain(db: Database, s: Scenario): Promise<void> {
  const pub = s.chain.publicClient;
  const chainId = s.d.chainId;
  const supply = await mtSupply(db, { chainId, mt: s.graduated });
  assert.equal(supply.totalSupply, await pub.readContract({ address: s.graduated, abi: modelTokenAbi, functionName: "totalSupply" }));
  for (const h of await mtHolders(db, { chainId, mt: s.graduated })) {
    assert.equal(h.balance, await pub.readContract({ address: s.graduated, abi: modelTokenAbi, functionName: "balanceOf", args: [h.account] }));
  }
  for (const p of await listPools(db, { chainId })) {
    const [r0, r1] = await pub.readContract({ address: p.pair, abi: uniswapV2PairAbi, functionName: "getReserves" });
    assert.deepEqual([p.reserve0, p.reserve1], [r0, r1], `reserves of ${p.pair}`);
  }
  assert.equal(await totalStaked(db, { chainId, mt: s.graduated }), await getTotalStaked(pub, s.d, { mt: s.graduated }));
  const deposited = (await listDeposits(db, { chainId })).reduce((t, d) => t + d.amount, 0n);
  assert.equal(deposited, await pub.readContract({ address: s.d.contracts.usdc, abi: erc20Abi, functionName: "balanceOf", args: [s.d.contracts.creditDeposits] }));
}

describeEachDatabase("read model fed by the indexer", (suite) => {
  it("equals the contracts' reads, and after a reorg equals a fresh replay of the new branch", { timeout: 600_000 }, async () => {
    const s = await scenario();
    const pub = s.chain.publicClient;
    const rpc = (method: string, params: unknown[] = []) => pub.request({ method: method as never, params: params as never });
    const projections = readModelProjections(s.d.contracts);
    const db = await suite.open();
    const indexer = readModelIndexer(db, pub, s.d);
    await syncAll(indexer);
    await readModelAgainstChain(db, s);
    assert.equal((await listPools(db, { chainId: s.d.chainId })).length, 2, "the $MT/FLOCK and USDC/FLOCK pools");

    const fork = await rpc("evm_snapshot");
    await swapFlockFor(s.bob, s.d, s.graduated, 1_000n * FLOCK);
    await stake(s.bob, s.d, { mt: s.graduated, amount: 10n * MT });
    await syncAll(indexer);
    const branchA = await dumpTables(db, projections);
    await readModelAgainstChain(db, s);

    assert.equal(await rpc("evm_revert", [fork]), true);
    await swapFlockFor(s.bob, s.d, s.graduated, 3_000n * FLOCK);
    await stake(s.alice, s.d, { mt: s.graduated, amount: 20n * MT });
    for (let i = 0; i < 3; i++) await rpc("evm_mine");
    const results = await syncAll(indexer);
    assert.ok(results.some((r) => r.reorg !== undefined), "the indexer saw the reorg");
    const afterReorg = await dumpTables(db, projections);
    assert.notEqual(afterReorg, branchA);
    await readModelAgainstChain(db, s);

    const fresh = await suite.open();
    await syncAll(readModelIndexer(fresh, pub, s.d));
    assert.equal(afterReorg, await dumpTables(fresh, projections));
  });
});
