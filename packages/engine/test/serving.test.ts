// The gateway's deployments and stakes served from the read model (ReadModelServing), checked against
// the gateway's own ChainReader (which scans the chain over RPC) on the scenario chain (launches, buys,
// a graduation, a failed raise, stakes) on SQLite and PostgreSQL: the same deployments with the same
// states and prices, also when only time moves (a raise closing with no event), and the same stakes
// as MtStaking. Then a real gateway wired as `fomo up` wires it: a graduation is in /v1/models once
// the indexer has caught up, and not before (the catalog reads the read model, not the chain).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ChainReader, startGatewayServer, type Deployment } from "@fomo/gateway";
import { Ledger, openDatabase, type Database } from "@fomo/ledger";
import { FLOCK, buy, getStake, launch, launchpadAbi } from "@fomo/sdk";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { fundedKey, USD } from "@fomo/testkit/ledger";
import pino from "pino";
import type { Address } from "viem";
import { ReadModelServing } from "../src/readmodel/index.ts";
import { feed, readModelIndexer } from "./support/feed.ts";
import { runScenario, type Scenario } from "./support/scenario.ts";
import { syncAll } from "./support/tables.ts";

let played: Promise<Scenario> | undefined;
const scenario = () => (played ??= runScenario());
after(async () => {
  if (played) await (await played).chain.stop();
});

const byMt = <T extends { mt: string }>(list: readonly T[]): T[] => [...list].sort((a, b) => a.mt.localeCompare(b.mt));
/** The chain's rpc calls a snapshot/revert takes (hardhat's evm_ methods). */
const rpc = (s: Scenario, method: string, params: unknown[] = []) => s.chain.publicClient.request({ method: method as never, params: params as never });

/** Both sources' deployments; the read model's close is Launchpad.offering's (moved by pauses), the event's for ChainReader. */
async function compare(s: Scenario, served: ReadModelServing): Promise<Deployment[]> {
  const mine = byMt(await served.listDeployments()) as Deployment[];
  const onChain = byMt(await new ChainReader(s.chain.publicClient, s.d).listDeployments());
  const withoutClose = (list: readonly Deployment[]) => list.map(({ closesAt: _, ...rest }) => rest);
  assert.deepEqual(withoutClose(mine), withoutClose(onChain));
  for (const d of mine) {
    const o = await s.chain.publicClient.readContract({ address: s.d.contracts.launchpad, abi: launchpadAbi, functionName: "offering", args: [d.mt as Address] });
    assert.equal(d.closesAt, Number(o.closesAt), `close of ${d.ticker}`);
  }
  return mine;
}

describeEachDatabase("read-model serving", (suite) => {
  const fedAtHead = async (s: Scenario): Promise<{ db: Database; served: ReadModelServing }> => {
    const db = await suite.open();
    await feed(db, s.chain.publicClient, s.d);
    return { db, served: new ReadModelServing({ db, client: s.chain.publicClient, deployments: s.d }) };
  };

  it("lists the deployments ChainReader lists, with the same states and prices", { timeout: 600_000 }, async () => {
    const s = await scenario();
    const { served } = await fedAtHead(s);
    const listed = await compare(s, served);
    assert.deepEqual(
      listed.map((d) => [d.mt, d.state]),
      byMt([{ mt: s.graduated, state: "Graduated" }, { mt: s.failed, state: "Failed" }, { mt: s.raising, state: "Raising" }]).map((d) => [d.mt, d.state]),
    );
  });

  it("moves a raise to its final state when only time passes, as the chain does", async () => {
    const s = await scenario();
    const snapshot = await rpc(s, "evm_snapshot");
    try {
      const { db, served } = await fedAtHead(s);
      assert.equal((await served.listDeployments()).find((d) => d.mt === s.raising)?.state, "Raising");
      // Past the close and any pause extension; no protocol event, only empty blocks.
      await rpc(s, "evm_increaseTime", [40 * 86_400]);
      await rpc(s, "evm_mine");
      await syncAll(readModelIndexer(db, s.chain.publicClient, s.d));
      const listed = await compare(s, served);
      assert.equal(listed.find((d) => d.mt === s.raising)?.state, "Failed");
    } finally {
      await rpc(s, "evm_revert", [snapshot]);
    }
  });

  it("gives every wallet the stake MtStaking holds", async () => {
    const s = await scenario();
    const { served } = await fedAtHead(s);
    const reader = new ChainReader(s.chain.publicClient, s.d);
    let staked = 0;
    for (const mt of [s.graduated, s.failed, s.raising]) {
      for (const who of [s.keeper, s.alice, s.bob]) {
        const account = who.wallet.account.address;
        const onChain = await getStake(s.chain.publicClient, s.d, { mt, account });
        assert.equal(await served.stakeOf(account, mt), onChain, `stake of ${account} in ${mt}`);
        assert.equal(await reader.stakeOf(account, mt), onChain);
        if (onChain > 0n) staked++;
      }
    }
    assert.equal(staked, 2, "alice and bob still stake in the graduated $MT");
  });
});

describe("a gateway served from the read model", () => {
  it("lists a graduation in /v1/models once the indexer has caught up, not before", { timeout: 600_000 }, async () => {
    const s = await scenario();
    const dir = mkdtempSync(join(tmpdir(), "fomo-serving-"));
    const snapshot = await rpc(s, "evm_snapshot");
    const db = await openDatabase({ dataDir: dir });
    const indexer = readModelIndexer(db, s.chain.publicClient, s.d);
    await syncAll(indexer);
    const server = await startGatewayServer({
      port: 0,
      dataDir: dir,
      chain: { rpcUrl: s.chain.url, deployments: s.d, refreshMs: 50, source: (context) => new ReadModelServing(context) },
      logger: pino({ level: "silent" }),
    });
    try {
      const { secret } = await fundedKey(new Ledger(db), USD);
      const models = async () => {
        const response = await fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } });
        const body = (await response.json()) as { data: { id: string }[] };
        return body.data.map((m) => m.id);
      };
      const refreshed = () => new Promise((resolve) => setTimeout(resolve, 300));
      assert.ok((await models()).includes("stories-260k-alpha"), "the scenario's graduation is served");
      await s.keeper.wallet.writeContract({ address: s.d.contracts.launchpad, abi: launchpadAbi, functionName: "unpause" });
      const { mt } = await launch(s.keeper, s.d, { templateId: 0, name: "Delta Model", ticker: "DELTA" });
      await buy(s.alice, s.d, { mt, flockIn: 50_000n * FLOCK, maxFeeBps: 10_000 }); // in the anti-snipe window
      // Out of the anti-snipe window, whose buys are capped.
      await rpc(s, "evm_increaseTime", [2 * 3_600]);
      const last = await buy(s.bob, s.d, { mt, flockIn: 1_100_000n * FLOCK });
      assert.ok(last.graduated, "the offering graduated on chain");
      await refreshed();
      assert.ok(!(await models()).includes("stories-260k-delta"), "not served before the indexer has read the graduation");
      await syncAll(indexer);
      let ids: string[] = [];
      for (let waited = 0; waited < 10_000 && !ids.includes("stories-260k-delta"); waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        ids = await models();
      }
      assert.ok(ids.includes("stories-260k-delta"), `served once indexed: ${ids.join(", ")}`);
    } finally {
      await server.close();
      await db.destroy();
      await rpc(s, "evm_revert", [snapshot]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
