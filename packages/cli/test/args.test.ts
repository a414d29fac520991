// CLI option parsing: USD credits become exact micro-USD (no float on the way), bad input fails early.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { join } from "node:path";
import {
  gatewayChain, LOCAL_CHAIN_ID, LOCAL_RPC_URL, parseEpochArgs, parseGatewayArgs, parseIndexArgs, parseKeeperArgs, parsePlatformArgs,
  parseCredits,
} from "../src/args.ts";
import { parseUpArgs } from "../src/commands/up.ts";
import { LOCAL_POLL_MS, receiptPollMs, REMOTE_POLL_MS } from "../src/commands/chain.ts";
import { parseKeysArgs } from "../src/commands/keys.ts";
import { DEFAULT_DATA_DIR } from "../src/paths.ts";

describe("fomo args", () => {
  it("parses USD decimal strings to micro-USD exactly", () => {
    assert.equal(parseCredits("0"), 0n);
    assert.equal(parseCredits("12"), 12_000_000n);
    assert.equal(parseCredits("0.1"), 100_000n);
    assert.equal(parseCredits("0.000001"), 1n);
    // 0.1 + 0.2 style float error cannot happen: 9007199254.740993 is not representable as a double.
    assert.equal(parseCredits("9007199254.740993"), 9_007_199_254_740_993n);
    for (const bad of ["-1", "1.2345678", "1e3", "", "abc", "1.", ".5"]) assert.throws(() => parseCredits(bad), /--credits/);
  });

  it("keys create needs --account, takes --credits and --data-dir", () => {
    assert.deepEqual(parseKeysArgs(["create", "--account", "team", "--credits", "2.5", "--data-dir", "/tmp/x"]), {
      command: "create",
      account: "team",
      credits: 2_500_000n,
      dataDir: "/tmp/x",
    });
    assert.throws(() => parseKeysArgs(["create", "--credits", "1"]), /--account is required/);
    assert.throws(() => parseKeysArgs(["delete"]), /unknown subcommand/);
    assert.throws(() => parseKeysArgs(["create", "--account", "a", "--bogus", "1"]), /unknown option/);
  });

  it("platform takes --port, --data-dir, --rpc-url (default: the local stack's chain), the URLs browsers are told, and the web app's build", () => {
    const gatewayUrl = "http://127.0.0.1:8080/v1";
    assert.deepEqual(parsePlatformArgs([]), {
      port: 8788, dataDir: parsePlatformArgs([]).dataDir, rpcUrl: LOCAL_RPC_URL, publicRpcUrl: LOCAL_RPC_URL, gatewayUrl, webDir: undefined,
    });
    assert.equal(parsePlatformArgs([], "/app/dist").webDir, "/app/dist", "the default build");
    assert.equal(parsePlatformArgs(["--no-web"], "/app/dist").webDir, undefined);
    assert.deepEqual(
      parsePlatformArgs(["--port", "9002", "--data-dir", "/d", "--rpc-url", "https://rpc.example", "--public-rpc-url", "https://public.example", "--gateway-url", "https://api.example/v1/", "--web-dir", "/w"]),
      { port: 9002, dataDir: "/d", rpcUrl: "https://rpc.example", publicRpcUrl: "https://public.example", gatewayUrl: "https://api.example/v1", webDir: "/w" },
    );
    assert.throws(() => parsePlatformArgs(["--rpc-url", "ws://x"]), /--rpc-url: not an http\(s\) URL/);
    assert.throws(() => parsePlatformArgs(["--gateway-url", "gateway"]), /--gateway-url: not an http\(s\) URL/);
    assert.throws(() => parsePlatformArgs(["--wallet", "0x"]), /unknown option --wallet/);
  });

  it("gateway takes --port and --data-dir", () => {
    assert.deepEqual(parseGatewayArgs(["--port", "9001", "--data-dir", "/d"]), { port: 9001, dataDir: "/d" });
    assert.throws(() => parseGatewayArgs(["--port", "0"]), /not a port/);
  });

  it("keys create binds a wallet with --wallet, refusing anything but a 20-byte hex address", () => {
    const wallet = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    assert.equal(parseKeysArgs(["create", "--account", "a", "--wallet", wallet]).wallet, wallet);
    assert.equal(parseKeysArgs(["create", "--account", "a"]).wallet, undefined);
    for (const bad of ["0x1234", "70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x70997970C51812dc3A010C7d01b50e0d17dc79CZ"]) {
      assert.throws(() => parseKeysArgs(["create", "--account", "a", "--wallet", bad]), /--wallet: not a 0x-prefixed 20-byte address/);
    }
  });

  it("gateway takes --rpc-url, --deployments and --backends", () => {
    assert.deepEqual(parseGatewayArgs(["--rpc-url", "https://rpc.example/v2/k", "--deployments", "d.json", "--backends", "b.json"]), {
      port: 8080,
      dataDir: DEFAULT_DATA_DIR,
      rpcUrl: "https://rpc.example/v2/k",
      deployments: "d.json",
      backends: "b.json",
    });
    assert.throws(() => parseGatewayArgs(["--rpc-url", "localhost:8545"]), /--rpc-url: not an http\(s\) URL/);
    assert.throws(() => parseGatewayArgs(["--rpc-url", "http://h", "--deployments", "none"]), /contradict/);
    assert.throws(() => parseGatewayArgs(["--backends"]), /bad option --backends/);
  });

  it("gateway serves the local stack's chain when its deployments file exists, unless told otherwise", () => {
    const local = join("/d", "deployments", "31337.json");
    const exists = (files: string[]) => (path: string) => files.includes(path);
    const opts = (args: string[]) => parseGatewayArgs(["--data-dir", "/d", ...args]);
    assert.deepEqual(gatewayChain(opts([]), exists([local])), { rpcUrl: LOCAL_RPC_URL, deploymentsFile: local });
    assert.equal(gatewayChain(opts([]), exists([])), undefined, "no local stack: base models only");
    assert.equal(gatewayChain(opts(["--deployments", "none"]), exists([local])), undefined);
    assert.deepEqual(gatewayChain(opts(["--deployments", "/x/56.json", "--rpc-url", "https://bsc"]), exists([local])), {
      rpcUrl: "https://bsc",
      deploymentsFile: "/x/56.json",
    });
    assert.throws(() => gatewayChain(opts(["--rpc-url", "https://bsc"]), exists([])), /--rpc-url needs --deployments FILE/);
  });

  it("up takes the chain's --port and the gateway's --gateway-port, which must differ", () => {
    assert.deepEqual(parseUpArgs([]), { port: 8545, gatewayPort: 8080, platformPort: 8788, dataDir: DEFAULT_DATA_DIR, epochSeconds: 86_400, demo: false, reset: false });
    assert.deepEqual(parseUpArgs(["--port", "9545", "--gateway-port", "9080", "--platform-port", "9788", "--data-dir", "/d"]), {
      port: 9545, gatewayPort: 9080, platformPort: 9788, dataDir: "/d", epochSeconds: 86_400, demo: false, reset: false,
    });
    assert.throws(() => parseUpArgs(["--gateway-port", "8545"]), /the chain and the gateway cannot share port 8545/);
    assert.throws(() => parseUpArgs(["--platform-port", "8080"]), /the gateway and the platform API cannot share port 8080/);
    assert.throws(() => parseUpArgs(["--gateway-port", "80a"]), /--gateway-port: not a port/);
    assert.throws(() => parseUpArgs(["--verbose"]), /bad option --verbose/);
  });

  it("up takes --epoch-seconds within the schedule's bounds: a minute to a day (the default)", () => {
    assert.equal(parseUpArgs(["--epoch-seconds", "60"]).epochSeconds, 60);
    assert.equal(parseUpArgs(["--epoch-seconds", "86400"]).epochSeconds, 86_400);
    for (const bad of ["59", "86401", "0", "1.5", "-60", "1e3"]) {
      assert.throws(() => parseUpArgs(["--epoch-seconds", bad]), /--epoch-seconds: not a whole number from 60 to 86400/, bad);
    }
  });

  it("the chain commands poll every --poll-ms, by default 1 s on the local chain and viem's 4 s elsewhere", () => {
    assert.equal(parseKeeperArgs(["run", "--poll-ms", "500"]).pollMs, 500);
    assert.equal(parseEpochArgs(["run", "--poll-ms", "2000"]).pollMs, 2_000);
    assert.equal(parseIndexArgs(["run", "--poll-ms", "50"]).pollMs, 50);
    assert.equal(parseKeeperArgs(["run"]).pollMs, undefined);
    for (const bad of ["0", "49", "60001", "1.5", "1e3"]) {
      assert.throws(() => parseKeeperArgs(["run", "--poll-ms", bad]), /--poll-ms: not a whole number from 50 to 60000/, bad);
    }
    assert.equal(receiptPollMs({}, LOCAL_CHAIN_ID), LOCAL_POLL_MS);
    assert.equal(receiptPollMs({}, 8453), REMOTE_POLL_MS);
    assert.equal(receiptPollMs({ pollMs: 700 }, 8453), 700);
    assert.ok(LOCAL_POLL_MS < REMOTE_POLL_MS);
  });
});
