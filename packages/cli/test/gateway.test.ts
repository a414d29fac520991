// `fomo gateway` with upstreams and no local model (issue 17 item 3): the switch's parsing, and the
// command started as a user starts it, saying on its start line that it serves no local model.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { defaultCatalog } from "@fomo/sdk";
import { freePort } from "@fomo/testkit/ports";
import { startMockUpstream, type MockUpstream } from "@fomo/testkit/upstream";
import { parseGatewayCommand } from "../src/commands/gateway.ts";
import { CLI_ENV, MAIN } from "./support/fomo.ts";

describe("fomo gateway: the local model", () => {
  it("is required alone, optional with --backends, off with --no-local-model", () => {
    assert.equal(parseGatewayCommand([]).localModel, "required");
    assert.equal(parseGatewayCommand(["--backends", "b.json"]).localModel, "if-found");
    assert.deepEqual(parseGatewayCommand(["--no-local-model", "--backends", "b.json", "--port", "9001"]), {
      port: 9001,
      dataDir: parseGatewayCommand([]).dataDir,
      backends: "b.json",
      localModel: "off",
    });
  });

  describe("started with --no-local-model --backends FILE", () => {
    let upstream: MockUpstream;
    let dir: string;
    before(async () => {
      upstream = await startMockUpstream({});
      dir = mkdtempSync(join(tmpdir(), "fomo-cli-gateway-"));
    });
    after(async () => {
      await upstream.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("serves the upstreams and says there is no local model", { timeout: 60_000 }, async () => {
      const backends = join(dir, "backends.json");
      writeFileSync(backends, JSON.stringify({ backends: [{ url: upstream.url, models: [defaultCatalog[0]!.baseModelId] }] }));
      const port = await freePort();
      const child = spawn(process.execPath, [MAIN, "gateway", "--no-local-model", "--backends", backends, "--deployments", "none", "--data-dir", dir, "--port", String(port)], {
        env: CLI_ENV,
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      try {
        await new Promise<void>((resolve, reject) => {
          child.stderr.on("data", (chunk: Buffer) => {
            stderr += chunk.toString();
            if (stderr.includes(`gateway on http://127.0.0.1:${port}/v1`)) resolve();
          });
          child.once("exit", (code) => reject(new Error(`fomo gateway exited (${code}): ${stderr}`)));
        });
        assert.match(stderr, new RegExp(`\\[fomo\\] no local model: the local model is off \\(--no-local-model\\); upstreams from ${backends}`));
        const health = await fetch(`http://127.0.0.1:${port}/health`);
        assert.equal(health.status, 200);
      } finally {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.once("exit", resolve));
      }
    });
  });
});
