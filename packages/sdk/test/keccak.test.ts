import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bytesToHex, keccak256 } from "viem";
import { rng } from "@fomo/testkit";
import { keccakBytes, loadFastKeccak } from "../src/index.ts";

describe("keccakBytes", () => {
  const r = rng(0x6b656363);
  // Every length around the 136-byte rate, where the padding moves to a new block.
  const inputs = Array.from({ length: 300 }, (_, n) => Uint8Array.from({ length: n }, () => r.int(0, 255)));

  it("equals viem's keccak256 before and after the WebAssembly hasher loads", async () => {
    for (const input of inputs) assert.equal(bytesToHex(keccakBytes(input)), keccak256(input));
    assert.equal(await loadFastKeccak(), true, "hash-wasm loads in Node");
    for (const input of inputs) assert.equal(bytesToHex(keccakBytes(input)), keccak256(input));
  });

  it("gives a fresh array each time (a caller may keep it while hashing again)", async () => {
    await loadFastKeccak();
    const a = keccakBytes(inputs[1]!);
    const copy = bytesToHex(a);
    keccakBytes(inputs[2]!);
    assert.equal(bytesToHex(a), copy);
  });
});
