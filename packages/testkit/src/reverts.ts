// The assertion "this call reverts with FOMO's custom error X(args)", on the SDK's decoding of reverts
// (revertOf: every FOMO ABI, since an error can bubble up from a token or a pair).
import assert from "node:assert/strict";
import { getAddress } from "viem";
import { revertOf, type Revert } from "@fomo/sdk";

/**
 * Asserts that `call` reverts with the custom error `name` (and `args` if given, compared with
 * deepEqual after checksumming addresses). Returns the decoded revert.
 */
export async function reverts(call: Promise<unknown>, name: string, args?: readonly unknown[]): Promise<Revert> {
  let result: unknown;
  try {
    result = await call;
  } catch (err) {
    const r = revertOf(err);
    assert.ok(r, `expected ${name}, got a non-revert error: ${(err as Error).message}`);
    assert.equal(r.errorName, name, `expected ${name}${args ? JSON.stringify(args, big) : ""}, got ${r.errorName}${JSON.stringify(r.args, big)}`);
    if (args) assert.deepEqual(r.args.map(norm), args.map(norm), `${name} arguments`);
    return r;
  }
  assert.fail(`expected revert ${name}, but the call succeeded (${JSON.stringify(result, big)})`);
}
const big = (_: string, v: unknown) => (typeof v === "bigint" ? `${v}n` : v);
const norm = (v: unknown): unknown =>
  typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v) ? getAddress(v) : Array.isArray(v) ? v.map(norm) : v;
