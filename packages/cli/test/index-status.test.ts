// `fomo index status [--json]` on a database the indexer wrote, against a real chain; and `fomo index
// run` indexing that chain on its own until stopped.
import assert from "node:assert/strict";
import { execFile as execFileCb, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import { startChain, type TestChain } from "@fomo/testkit/chain";
import { writeDeployments } from "@fomo/sdk/node";
import { parseIndexArgs } from "../src/args.ts";

const execFile = promisify(execFileCb);
const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
let chain: TestChain;
let dir = "";
let deployments = "";

before(async () => {
  chain = await startChain();
  dir = mkdtempSync(join(tmpdir(), "fomo-index-cli-"));
  deployments = join(dir, "deployments.json");
  writeDeployments(deployments, chain.d);
});
after(async () => {
  await chain?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const env = { ...process.env, DATABASE_URL: "" };
const common = () => ["--data-dir", dir, "--rpc-url", chain.url, "--deployments", deployments];

test("index run indexes the chain; index status shows each source at the head, as text and JSON", async () => {
  const before = await execFile(process.execPath, [MAIN, "index", "status", ...common()], { env });
  assert.match(before.stdout, /nothing indexed yet/);

  const runner = spawn(process.execPath, [MAIN, "index", "run", ...common()], { env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  runner.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const head = await chain.keeper.public.getBlockNumber({ cacheTime: 0 });
  try {
    let status: { head: string; sources: { source: string; indexedTo: string; lag: string; lastReorg: unknown }[] } | undefined;
    for (let i = 0; i < 200; i++) {
      const { stdout } = await execFile(process.execPath, [MAIN, "index", "status", "--json", ...common()], { env });
      status = JSON.parse(stdout);
      if (status!.sources.length > 0 && status!.sources.every((s) => BigInt(s.indexedTo) >= head)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(status, stderr);
    const names = status.sources.map((s) => s.source);
    for (const name of ["launchpad", "creditDeposits", "mtStaking", "usdcFlockPair"]) assert.ok(names.includes(name), `${name} in ${names}`);
    for (const s of status.sources) {
      assert.ok(BigInt(s.indexedTo) >= head, stderr);
      assert.equal(s.lastReorg, null);
    }
    const text = await execFile(process.execPath, [MAIN, "index", "status", ...common()], { env });
    assert.match(text.stdout, /^chain 31337, head \d+\n/);
    assert.match(text.stdout, /source\s+kind\s+indexed to\s+lag\s+last reorg/);
    assert.match(text.stdout, /\nlaunchpad\s+launchpad\s+\d+\s+\d+\s+none\n/);
  } finally {
    runner.kill("SIGTERM");
    await once(runner, "exit");
  }
});

test("index arguments", () => {
  assert.deepEqual(parseIndexArgs(["status", "--json", "--data-dir", "d"]), {
    command: "status", dataDir: "d", rpcUrl: "http://127.0.0.1:8545", json: true, confirmations: 0, maxRange: 2000,
  });
  assert.equal(parseIndexArgs(["run", "--confirmations", "12", "--max-range", "500"]).confirmations, 12);
  assert.throws(() => parseIndexArgs(["run", "--json"]), /bad option --json/);
  assert.throws(() => parseIndexArgs(["run", "--max-range", "0"]), /--max-range/);
  assert.throws(() => parseIndexArgs(["watch"]), /unknown subcommand watch/);
});
