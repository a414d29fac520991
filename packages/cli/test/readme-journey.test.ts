// The README's journey, run as written against a fresh `fomo up`: every command of its code block in
// one shell, in order, each one required to succeed. Only where the stack is differs (free ports and a
// temporary data dir instead of 8545/8080/.fomo), so a journey that drifts from the commands fails here.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { freePort } from "@fomo/testkit/ports";
import { ROOT } from "../src/paths.ts";
import { CLI_ENV } from "./support/fomo.ts";
import { BOOT_TIMEOUT_MS, startUp, type RunningUp } from "@fomo/testkit/up";

/** The shell block under README's "The journey" heading, continuation lines joined. */
function journeyCommands(readme: string): string[] {
  const section = readme.slice(readme.indexOf("## The journey"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("README.md has no ```sh block under ## The journey");
  return block.replace(/\\\n\s*/g, " ").split("\n").map((line) => line.replace(/\s+#\s.*$/, "").trim()).filter(Boolean);
}

/** Which flags put a command on the test's stack: the chain commands take both, `keys` the data dir alone. */
function onStack(command: string, stack: { rpcUrl: string; dataDir: string; gatewayUrl: string }): string {
  const chain = `--rpc-url ${stack.rpcUrl} --data-dir ${stack.dataDir}`;
  return command
    .replaceAll("http://127.0.0.1:8080/v1", stack.gatewayUrl)
    .replace(/\.\/fomo ([a-z]+)([^&)]*)/g, (_all, name: string, rest: string) => {
      const flags = name === "keys" ? `--data-dir ${stack.dataDir}` : name === "dev" ? `--rpc-url ${stack.rpcUrl}` : chain;
      return `./fomo ${name}${rest.trimEnd()} ${flags}${rest.endsWith(" ") ? " " : ""}`;
    });
}

describe("README's journey", { timeout: BOOT_TIMEOUT_MS + 600_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), "fomo-journey-"));
  let up: RunningUp | undefined;
  let stack: { rpcUrl: string; dataDir: string; gatewayUrl: string };

  before(async () => {
    const ports = { chain: await freePort(), gateway: await freePort(), platform: await freePort() };
    up = await startUp(["--port", String(ports.chain), "--gateway-port", String(ports.gateway), "--platform-port", String(ports.platform), "--data-dir", dataDir]);
    stack = { rpcUrl: `http://127.0.0.1:${ports.chain}`, dataDir, gatewayUrl: `http://127.0.0.1:${ports.gateway}/v1` };
  });

  after(async () => {
    if (up && up.child.exitCode === null) {
      up.child.kill("SIGINT");
      await up.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("runs as written: launch, buy, graduate, call the model, settle, claim rewards and yield, verify", () => {
    const commands = journeyCommands(readFileSync(join(ROOT, "README.md"), "utf8"));
    assert.ok(commands.length >= 12, `a dozen commands, not ${commands.length}`);
    const script = join(dataDir, "journey.sh");
    // Each command echoed before it runs, so a failure names the step.
    writeFileSync(script, ["set -euo pipefail", ...commands.map((c) => `echo "+ ${c.replaceAll('"', "'").replaceAll("$", "\\$")}" >&2\n${onStack(c, stack)}`)].join("\n"));
    const run = spawnSync("bash", [script], { cwd: ROOT, env: CLI_ENV, encoding: "utf8", timeout: 600_000 });
    const output = `${run.stdout}\n${run.stderr}`;
    assert.equal(run.status, 0, `the journey stopped:\n${output.slice(-6_000)}`);
    assert.match(run.stdout, /graduated \$MINE/);
    assert.match(run.stdout, /"finish_reason"/, "the model answered through the gateway");
    assert.match(run.stdout, /claimed [\d,.]+ MINE|MINE\s+[\d,.]+ MINE\s+0x/, "the supporter claimed MINE rewards");
    assert.match(run.stdout, /epoch 7: verified/);
  });
});
