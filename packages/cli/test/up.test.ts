// `./fomo up --demo` as a user runs it, on free ports and a temporary data dir, booted once: every URL
// answers (chain RPC, the gateway lists the graduated demo model, the platform API), stack.json says
// where and holds a working API key, the banner names the dev accounts with their roles; a second `up`
// on the same data dir and one on a busy port each fail with one line and leave the first stack's files
// alone; Ctrl-C stops every child (their ports free again) with a closing line; a restart keeps the
// chain: the demo's offerings are still there, in their states, the chain's clock goes on, the API key
// still works; and a chain whose state is gone is refused rather than deployed anew under the ledger.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DEV_MNEMONIC } from "@fomo/deploy";
import { getState } from "@fomo/sdk";
import { readDeployments } from "@fomo/sdk/node";
import { freePort } from "@fomo/testkit/ports";
import { createPublicClient, http, type PublicClient } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { lockDataDir, parseUpArgs, type StackFile } from "../src/commands/up.ts";
import { DEV_ACCOUNT_ROLES } from "../src/signer.ts";
import { fomo } from "./support/fomo.ts";
import { BOOT_TIMEOUT_MS, startUp, type RunningUp } from "@fomo/testkit/up";

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** The files of a stack that a failed second `up` must not touch, by content. */
function snapshot(dataDir: string): Record<string, string> {
  const files = ["stack.json", "up.lock", join("deployments", "31337.json")];
  return Object.fromEntries(files.map((f) => [f, readFileSync(join(dataDir, f), "utf8")]));
}

const states = async (client: PublicClient, stack: StackFile) => {
  const d = readDeployments(stack.deployments);
  const demo = stack.demo!;
  const name = async (mt: `0x${string}`) => (await getState(client, d, { mt })).name;
  return { raising: await name(demo.raising), graduated: await name(demo.graduated), failed: await name(demo.failed) };
};

describe("fomo up --demo", { timeout: 2 * BOOT_TIMEOUT_MS + 120_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), "fomo-up-"));
  const otherDir = mkdtempSync(join(tmpdir(), "fomo-up-other-"));
  let ports: { chain: number; gateway: number; platform: number };
  let portArgs: string[];
  let first: RunningUp | undefined;
  let restarted: RunningUp | undefined;
  let stack: StackFile;

  before(async () => {
    ports = { chain: await freePort(), gateway: await freePort(), platform: await freePort() };
    portArgs = ["--port", String(ports.chain), "--gateway-port", String(ports.gateway), "--platform-port", String(ports.platform)];
    first = await startUp(["--demo", ...portArgs, "--data-dir", dataDir]);
    stack = JSON.parse(readFileSync(join(dataDir, "stack.json"), "utf8")) as StackFile;
  });

  after(async () => {
    for (const run of [first, restarted]) {
      if (run && run.child.exitCode === null) {
        run.child.kill("SIGINT");
        await run.exited;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(otherDir, { recursive: true, force: true });
  });

  it("writes stack.json: chain id, every URL, the deployments file and an API key", () => {
    assert.equal(stack.chainId, 31337);
    assert.equal(stack.rpcUrl, `http://127.0.0.1:${ports.chain}`);
    assert.equal(stack.gatewayUrl, `http://127.0.0.1:${ports.gateway}/v1`);
    assert.equal(stack.apiUrl, `http://127.0.0.1:${ports.platform}/api/v1`);
    assert.equal(stack.webUrl, `http://127.0.0.1:${ports.platform}/`);
    assert.equal(stack.deployments, join(dataDir, "deployments", "31337.json"));
    assert.equal(readDeployments(stack.deployments).chainId, 31337);
    assert.match(stack.apiKey, /^sk-fomo-/);
  });

  it("answers on every URL: the chain, the gateway (the graduated demo model listed), the platform API and the web app", async () => {
    const client = createPublicClient({ transport: http(stack.rpcUrl) }) as PublicClient;
    assert.equal(await client.getChainId(), 31337);
    const models = await fetch(`${stack.gatewayUrl}/models`, { headers: { authorization: `Bearer ${stack.apiKey}` } });
    assert.equal(models.status, 200);
    const ids = ((await models.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id);
    assert.ok(ids.includes(stack.demo!.model), `${stack.demo!.model} in ${ids.join(", ")}`);
    // Not signed in: the platform API answers, and says so.
    assert.equal((await fetch(`${stack.apiUrl}/account`)).status, 401);
    assert.equal((await fetch(`${stack.apiUrl}/openapi.json`)).status, 200);
    // The web app, built before the platform started, at its root and at any of its routes.
    for (const path of ["", "offerings/RISE"]) {
      const page = await fetch(`${stack.webUrl}${path}`);
      assert.equal(page.status, 200, `${stack.webUrl}${path}`);
      const html = await page.text();
      assert.ok(html.includes('<div id="root"></div>'), html);
      assert.match(html, /<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/, "Vite's build, not the sources' index.html");
    }
  });

  it("seeds offerings in every state; the graduated one has usage the key paid for", async () => {
    const client = createPublicClient({ transport: http(stack.rpcUrl) }) as PublicClient;
    assert.deepEqual(await states(client, stack), { raising: "Raising", graduated: "Graduated", failed: "Failed" });
    assert.match(first!.stderr(), /demo: 2 calls to stories-260k-story \(round 3 of 3\)/);
  });

  it("prints every URL, the dev accounts with their roles, the API key and curl and openai snippets", () => {
    const banner = first!.stderr();
    for (const url of [stack.rpcUrl, stack.gatewayUrl, stack.apiUrl, stack.webUrl!]) assert.ok(banner.includes(url), url);
    DEV_ACCOUNT_ROLES.forEach((role, i) => {
      const address = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i }).address;
      assert.match(banner, new RegExp(`^\\s*${i}\\s+${address}\\s+${role}$`, "m"), `dev account ${i}`);
    });
    assert.ok(banner.includes(`curl ${stack.gatewayUrl}/chat/completions -H "Authorization: Bearer ${stack.apiKey}"`));
    assert.ok(banner.includes(`new OpenAI({ baseURL: "${stack.gatewayUrl}", apiKey: "${stack.apiKey}" })`));
  });

  it("refuses a second up on the same data dir, and one on a busy port, with one line and the first stack's files untouched", async () => {
    const before = snapshot(dataDir);
    const otherPorts = ["--port", String(await freePort()), "--gateway-port", String(await freePort()), "--platform-port", String(await freePort())];
    const sameDir = await fomo("up", ...otherPorts, "--data-dir", dataDir);
    assert.equal(sameDir.code, 1);
    assert.equal(sameDir.stderr, `fomo up: a stack already runs on data dir ${dataDir} (pid ${first!.child.pid}): stop it (Ctrl-C there) or pass --data-dir DIR\n`);

    const busy = await fomo("up", ...portArgs, "--data-dir", otherDir);
    assert.equal(busy.code, 1);
    assert.equal(busy.stderr, `fomo up: port ${ports.chain} (the chain) is already in use: stop what listens there or pass --port N\n`);
    assert.deepEqual(readdirSync(otherDir), [], "the refused stack wrote nothing");
    assert.deepEqual(snapshot(dataDir), before);
  });

  it("stops every child on Ctrl-C with a closing line, then a restart keeps the chain, its offerings and the key", async () => {
    const { child, exited, stderr } = first!;
    // The demo moved the chain's clock days ahead of the wall clock: a restart must not turn it back.
    const stoppedAt = (await createPublicClient({ transport: http(stack.rpcUrl) }).getBlock()).timestamp;
    child.kill("SIGINT");
    assert.equal(await exited, 0);
    assert.match(stderr(), /\[fomo\] stopped: demo traffic, platform API, keeper, indexer, gateway, chain; state kept in /);
    for (const [what, port] of Object.entries(ports)) assert.ok(await portFree(port), `${what} port ${port} is free again`);
    assert.equal(existsSync(join(dataDir, "up.lock")), false);

    restarted = await startUp([...portArgs, "--data-dir", dataDir]);
    assert.match(restarted.stderr(), /chain restored from /);
    assert.match(restarted.stderr(), /epochs {7}60 s each/, "the restored chain's epochs, not the default day of --epoch-seconds");
    const again = JSON.parse(readFileSync(join(dataDir, "stack.json"), "utf8")) as StackFile;
    assert.equal(again.apiKey, stack.apiKey);
    assert.deepEqual(again.demo, stack.demo);
    const client = createPublicClient({ transport: http(again.rpcUrl) }) as PublicClient;
    assert.deepEqual(await states(client, again), { raising: "Raising", graduated: "Graduated", failed: "Failed" });
    assert.ok((await client.getBlock()).timestamp > stoppedAt, "the chain's clock went on from where it stopped");
    const models = await fetch(`${again.gatewayUrl}/models`, { headers: { authorization: `Bearer ${again.apiKey}` } });
    assert.equal(models.status, 200);
    restarted.child.kill("SIGINT");
    assert.equal(await restarted.exited, 0);
  });

  it("refuses a chain that is half gone, and a new chain beside a ledger with usage, pointing to --reset", async () => {
    const lastLine = (stderr: string) => stderr.trimEnd().split("\n").at(-1)!;
    rmSync(join(dataDir, "chain"), { recursive: true });
    const stateGone = await fomo("up", ...portArgs, "--data-dir", dataDir);
    assert.equal(stateGone.code, 1);
    assert.match(lastLine(stateGone.stderr), /^fomo up: .*31337\.json names contracts of a chain whose state is gone .*: \.\/fomo up --reset starts over/);

    rmSync(join(dataDir, "deployments"), { recursive: true });
    const orphan = await fomo("up", ...portArgs, "--data-dir", dataDir);
    assert.equal(orphan.code, 1);
    assert.match(lastLine(orphan.stderr), /^fomo up: the ledger \(.*\) holds usage of a chain that is gone .*: \.\/fomo up --reset starts over$/);
    assert.equal(existsSync(join(dataDir, "chain", "state.json")), false, "no chain was started");
  });
});

describe("fomo up's data-dir lock", () => {
  it("takes over a lock whose process is gone, and refuses one whose process runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fomo-up-lock-"));
    try {
      const gone = spawn(process.execPath, ["-e", ""]);
      await new Promise((resolve) => gone.once("exit", resolve));
      writeFileSync(join(dir, "up.lock"), `${gone.pid}\n`);
      const release = lockDataDir(dir);
      assert.equal(readFileSync(join(dir, "up.lock"), "utf8"), `${process.pid}\n`);
      release();
      assert.equal(existsSync(join(dir, "up.lock")), false);

      writeFileSync(join(dir, "up.lock"), `${process.ppid}\n`);
      assert.throws(() => lockDataDir(dir), new RegExp(`a stack already runs on data dir .* \\(pid ${process.ppid}\\)`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--demo means one-minute epochs unless --epoch-seconds says otherwise", () => {
    assert.equal(parseUpArgs(["--demo"]).epochSeconds, 60);
    assert.equal(parseUpArgs(["--demo", "--epoch-seconds", "120"]).epochSeconds, 120);
    assert.equal(parseUpArgs([]).demo, false);
    assert.equal(parseUpArgs(["--reset"]).reset, true);
  });
});
