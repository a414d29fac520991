// `fomo dev advance DURATION`: moves a real local node's clock and mines a block at the new time;
// refused, before sending anything, on a chain whose id is not the local one; bad durations exit 2.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, test } from "node:test";
import { startChain, type TestChain } from "@fomo/testkit/chain";
import { parseDuration } from "../src/commands/dev.ts";
import { fomo, fomoJson } from "./support/fomo.ts";

describe("parseDuration", () => {
  test("reads whole numbers with s, m, h, d, w, alone or combined", () => {
    assert.deepEqual(["30s", "90m", "2h", "7d", "1w", "1d12h", "1h30m15s"].map(parseDuration), [30, 5_400, 7_200, 604_800, 604_800, 129_600, 5_415]);
  });
  test("refuses what is not one", () => {
    for (const bad of ["", "7", "d", "7x", "1.5h", "-1h", "0s", "2h ", "h2"]) assert.throws(() => parseDuration(bad), { name: "UsageError" }, bad);
  });
});

describe("dev advance on the local chain", () => {
  let chain: TestChain;
  before(async () => {
    chain = await startChain();
  });
  after(async () => {
    await chain?.close();
  });

  test("moves the clock by the duration and mines a block at the new time", async () => {
    const client = chain.keeper.public;
    const start = await client.getBlock({ blockTag: "latest" });
    const moved = await fomoJson<{ chainId: number; seconds: number; fromUnix: string; toUnix: string; block: string }>("dev", "advance", "90m", "--rpc-url", chain.url);
    const head = await client.getBlock({ blockTag: "latest" });
    assert.equal(moved.chainId, 31337);
    assert.equal(moved.seconds, 5_400);
    assert.equal(BigInt(moved.block), start.number + 1n, "one block mined");
    assert.deepEqual([BigInt(moved.block), BigInt(moved.toUnix)], [head.number, head.timestamp]);
    assert.ok(head.timestamp - start.timestamp >= 5_400n, `advanced ${head.timestamp - start.timestamp} s`);
    // The wall clock between the two blocks adds at most a little.
    assert.ok(head.timestamp - start.timestamp < 5_400n + 120n);

    const human = await fomo("dev", "advance", "1d", "--rpc-url", chain.url);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^advanced the chain's clock by 1d \(86400 s\): \S+ → \S+, block \d+\n$/);
    assert.ok((await client.getBlock({ blockTag: "latest" })).timestamp - head.timestamp >= 86_400n);
  });
});

describe("dev advance elsewhere", () => {
  /** A JSON-RPC endpoint that says it is Base (chain 8453) and records every method asked of it. */
  let server: Server;
  let url = "";
  const asked: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const calls = [JSON.parse(body)].flat() as { id: number; method: string }[];
        asked.push(...calls.map((c) => c.method));
        const answers = calls.map((c) => (c.method === "eth_chainId" ? { jsonrpc: "2.0", id: c.id, result: "0x2105" } : { jsonrpc: "2.0", id: c.id, error: { code: -32601, message: "no" } }));
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(Array.isArray(JSON.parse(body)) ? answers : answers[0]));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("is refused with one line on a chain that is not the local one, before anything is sent", async () => {
    const { code, stdout, stderr } = await fomo("dev", "advance", "7d", "--rpc-url", url);
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.equal(stderr, `fomo dev advance: ${url} is chain 8453, not the local chain (31337): time can be moved only there\n`);
    assert.deepEqual([...new Set(asked)], ["eth_chainId"]);
  });

  test("bad command lines exit 2", async () => {
    for (const [args, message] of [
      [["dev", "advance"], /give a DURATION/],
      [["dev", "advance", "7 days"], /unknown option|not a duration/],
      [["dev", "advance", "7x"], /not a duration: "7x"/],
      [["dev", "rewind", "1h"], /unknown subcommand rewind/],
    ] as const) {
      const r = await fomo(...args, "--rpc-url", url);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.deepEqual([...new Set(asked)], ["eth_chainId"], "nothing more asked of the chain");
  });
});
