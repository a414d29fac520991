// SIGKILL a process running the indexer at random points, restart it, and the index ends up exactly
// as a replay from block 0 in one go: no gap, no duplicate, each deposit credited once.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { Ledger, openDatabase } from "@fomo/ledger";
import { rng, runSeed } from "@fomo/testkit";
import { writeDeployments } from "@fomo/sdk/node";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { Indexer } from "../src/index.ts";
import { runScenario, startScenarioChain, type Scenario } from "./support/indexer-scenario.ts";
import { dumpTables, syncAll } from "./support/tables.ts";

const WORKER = fileURLToPath(new URL("./support/indexer-worker.ts", import.meta.url));
const KNOWN = "crash-team";
let scenario: Scenario;
let dir = "";
let deploymentsFile = "";

before(async () => {
  const { chain, clients } = await startScenarioChain();
  scenario = await runScenario(chain, clients, { known: KNOWN, unknown: "nobody" });
  dir = mkdtempSync(join(tmpdir(), "fomo-indexer-crash-"));
  deploymentsFile = join(dir, "deployments.json");
  writeDeployments(deploymentsFile, scenario.d);
});
after(async () => {
  await scenario?.chain.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the worker; in "forever" mode kills it `afterMs` after it is ready. Resolves with the ranges it printed. */
async function runWorker(target: string, mode: "forever" | "catch-up", afterMs = 0): Promise<string[]> {
  const child = spawn(process.execPath, [WORKER, target, scenario.chain.url, deploymentsFile, mode], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const lines: string[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === "ready") {
      if (mode === "forever") setTimeout(() => child.kill("SIGKILL"), afterMs);
    } else lines.push(line);
  }
  const [code, signal] = await exited;
  if (mode === "forever") assert.equal(signal, "SIGKILL", stderr);
  else assert.equal(code, 0, stderr);
  return lines;
}

describeEachDatabase("indexer crash", (suite) => {
  test("SIGKILL at random points, restart: resumes without gap or duplicate", async () => {
    const seed = runSeed(process.env.FOMO_SEED);
    const random = rng(seed).int;
    const target = await suite.target();
    const setup = await openDatabase(target);
    await new Ledger(setup).accounts.create(KNOWN);
    await setup.destroy();
    let ranges = 0;
    for (let round = 0; round < 4; round++) ranges += (await runWorker(target, "forever", random(100, 500))).length;
    assert.ok(ranges > 0, `the killed workers indexed something (${ranges} ranges; FOMO_SEED=${seed})`);
    await runWorker(target, "catch-up");

    const crashed = await openDatabase(target);
    const fresh = await suite.open();
    try {
      await new Ledger(fresh).accounts.create(KNOWN);
      await syncAll(new Indexer({ db: fresh, client: scenario.chain.publicClient, deployments: scenario.d }));
      assert.deepEqual(await dumpTables(crashed), await dumpTables(fresh));
      const account = (await new Ledger(crashed).accounts.findByName(KNOWN))!;
      const entries = await new Ledger(crashed).credits.listEntries(account.id);
      assert.equal(entries.length, 1, "the deposit was credited once");
      assert.equal(account.balance, entries[0]!.amount);
    } finally {
      await crashed.destroy();
    }
  });
});
