// accountIdOf: the bytes32 id of an API account, as CreditDeposits.deposit takes it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keccak256, stringToHex } from "viem";
import { accountIdOf } from "../src/index.ts";

describe("accountIdOf", () => {
  it("is keccak256 of the id's UTF-8 bytes, as given", () => {
    assert.equal(accountIdOf("acct_42"), keccak256(stringToHex("acct_42")));
    assert.equal(accountIdOf("compte-é"), keccak256(new Uint8Array([...new TextEncoder().encode("compte-é")])));
    assert.notEqual(accountIdOf("acct_42"), accountIdOf("acct_42 "), "no trimming");
    assert.notEqual(accountIdOf("Acct_42"), accountIdOf("acct_42"), "case matters");
  });

  it("refuses the empty id", () => {
    assert.throws(() => accountIdOf(""), RangeError);
  });
});
