// Name, ticker and model-id rules (modelIds.ts); the contract equality is property-tested on a chain
// (contracts/test/nodejs/sdk.test.ts).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkName, FomoRejection, isValidName, modelIdHash, modelIdOf } from "../src/index.ts";
import { keccak256, toHex } from "viem";

describe("model ids", () => {
  it("lower-cases the ticker after the base model id", () => {
    assert.equal(modelIdOf("stories-260k", "GPT4"), "stories-260k-gpt4");
    assert.equal(modelIdHash("stories-260k-gpt4"), keccak256(toHex("stories-260k-gpt4")));
  });

  it("refuses what launch refuses, with its error", () => {
    for (const t of ["", "ABCDEFGHIJK", "abc", "A-B", "A B"]) {
      assert.throws(() => modelIdOf("m", t), (e: unknown) => e instanceof FomoRejection && e.revert.errorName === "LaunchpadInvalidTicker");
    }
    assert.doesNotThrow(() => modelIdOf("m", "ABCDEFGHIJ"));
    for (const n of ["", "x".repeat(33), "tab\there", "caf\u00e9"]) {
      assert.equal(isValidName(n), false, JSON.stringify(n));
      assert.throws(() => checkName(n), (e: unknown) => e instanceof FomoRejection && e.revert.errorName === "LaunchpadInvalidName");
    }
    assert.equal(isValidName(" ~".repeat(16)), true);
  });
});
