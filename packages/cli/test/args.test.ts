// CLI option parsing: USD credits become exact micro-USD (no float on the way), bad input fails early.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseGatewayArgs, parseKeysArgs, parseUsd } from "../src/args.ts";

describe("fomo args", () => {
  it("parses USD decimal strings to micro-USD exactly", () => {
    assert.equal(parseUsd("0"), 0n);
    assert.equal(parseUsd("12"), 12_000_000n);
    assert.equal(parseUsd("0.1"), 100_000n);
    assert.equal(parseUsd("0.000001"), 1n);
    // 0.1 + 0.2 style float error cannot happen: 9007199254.740993 is not representable as a double.
    assert.equal(parseUsd("9007199254.740993"), 9_007_199_254_740_993n);
    for (const bad of ["-1", "1.2345678", "1e3", "", "abc", "1.", ".5"]) assert.throws(() => parseUsd(bad), /--credits/);
  });

  it("keys create needs --account, takes --credits and --data-dir", () => {
    assert.deepEqual(parseKeysArgs(["create", "--account", "team", "--credits", "2.5", "--data-dir", "/tmp/x"]), {
      account: "team",
      credits: 2_500_000n,
      dataDir: "/tmp/x",
    });
    assert.throws(() => parseKeysArgs(["create", "--credits", "1"]), /--account is required/);
    assert.throws(() => parseKeysArgs(["delete"]), /unknown subcommand/);
    assert.throws(() => parseKeysArgs(["create", "--account", "a", "--bogus", "1"]), /unknown option/);
  });

  it("gateway takes --port and --data-dir", () => {
    assert.deepEqual(parseGatewayArgs(["--port", "9001", "--data-dir", "/d"]), { port: 9001, dataDir: "/d" });
    assert.throws(() => parseGatewayArgs(["--port", "0"]), /not a port/);
  });
});
