// describeError: contract reverts (as viem wraps them) become sentences; everything else keeps
// its message.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BaseError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  HttpRequestError,
  encodeErrorResult,
  getAddress,
  zeroAddress,
  type Abi,
  type AbiParameter,
  type Hex,
} from "viem";
import {
  FLOCK,
  FomoRejection,
  MT,
  describeError,
  describeRevert,
  fomoErrorAbi,
  launchpadAbi,
  localTokenAbi,
  revertOf,
} from "../src/index.ts";

const MT_ADDRESS = getAddress("0x00000000000000000000000000000000000000aa");

/** What viem throws when a Launchpad call reverts with `data`. */
function reverted(data: Hex, abi: Abi = launchpadAbi): ContractFunctionExecutionError {
  const cause = new ContractFunctionRevertedError({ abi, data, functionName: "buy" });
  return new ContractFunctionExecutionError(cause, { abi, functionName: "buy", args: [], contractAddress: zeroAddress });
}
const launchpadError = (errorName: string, args: readonly unknown[]) =>
  reverted(encodeErrorResult({ abi: launchpadAbi as Abi, errorName, args }));

describe("describeError", () => {
  it("turns LaunchpadInsufficientOutput(mtOut, minMtOut) into a sentence with both amounts", () => {
    const msg = describeError(launchpadError("LaunchpadInsufficientOutput", [1_234n * MT + MT / 2n, 1_300n * MT]));
    assert.match(msg, /give 1,234\.5 \$MT, less than the 1,300 \$MT accepted/);
  });

  it("says a buy too small to get any $MT is too small", () => {
    assert.match(describeError(launchpadError("LaunchpadInsufficientOutput", [0n, 0n])), /no \$MT: the amount is too small/);
  });

  it("names the state and what it still allows", () => {
    const msg = describeError(launchpadError("LaunchpadWrongState", [MT_ADDRESS, 3]));
    assert.match(msg, new RegExp(`Offering ${MT_ADDRESS} is Failed: .*refund`));
    assert.match(describeError(launchpadError("LaunchpadWrongState", [MT_ADDRESS, 2])), /is Succeeded: .*graduate/);
  });

  it("decodes a token error that bubbled up through the Launchpad (not in its ABI)", () => {
    const data = encodeErrorResult({
      abi: localTokenAbi,
      errorName: "ERC20InsufficientAllowance",
      args: [MT_ADDRESS, 5n * FLOCK, 32_768n * FLOCK],
    });
    const err = reverted(data);
    assert.equal(revertOf(err)?.errorName, "ERC20InsufficientAllowance");
    assert.match(describeError(err), /allowance .* is 5 FLOCK, but 32,768 FLOCK is needed: approve first/);
  });

  it("decodes raw revert data anywhere in the error chain", () => {
    const data = encodeErrorResult({ abi: launchpadAbi, errorName: "LaunchpadZeroAmount" });
    const raw = new BaseError("estimate failed", { cause: Object.assign(new BaseError("execution reverted"), { data }) });
    assert.equal(describeError(raw), "The amount must be greater than zero.");
  });

  it("shows Error(string) reasons", () => {
    const data = encodeErrorResult({
      abi: [{ type: "error", name: "Error", inputs: [{ type: "string", name: "reason" }] }],
      errorName: "Error",
      args: ["UniswapV2: LOCKED"],
    });
    assert.equal(describeError(reverted(data)), "The contract reverted: UniswapV2: LOCKED.");
  });

  it("describes the SDK's own local refusals like the contract's", () => {
    const local = new FomoRejection("LaunchpadWrongState", [MT_ADDRESS, 4], "not raising");
    assert.equal(describeError(local), describeError(launchpadError("LaunchpadWrongState", [MT_ADDRESS, 4])));
  });

  it("explains a call to an address without a contract, and an unreachable RPC", () => {
    const zero = new ContractFunctionExecutionError(new ContractFunctionZeroDataError({ functionName: "offering" }), {
      abi: launchpadAbi,
      functionName: "offering",
      args: [],
      contractAddress: MT_ADDRESS,
    });
    assert.match(describeError(zero), new RegExp(`No contract answered at ${MT_ADDRESS}: the deployments file`));
    const down = new HttpRequestError({ url: "http://127.0.0.1:8545", details: "fetch failed" });
    assert.equal(describeError(down), "The RPC at http://127.0.0.1:8545 did not answer (fetch failed): is the chain running?");
  });

  it("falls back to viem's short message, an Error's message, or the value", () => {
    assert.match(describeError(reverted("0xdeadbeef")), /reverted/);
    assert.equal(describeError(new BaseError("could not reach the node")), "could not reach the node");
    assert.equal(describeError(new Error("boom")), "boom");
    assert.equal(describeError("plain"), "plain");
    assert.equal(revertOf(new Error("boom")), undefined);
  });

  it("has a specific sentence for every error of every FOMO contract", () => {
    const sample = (p: AbiParameter): unknown =>
      p.type === "address" ? MT_ADDRESS : p.type === "string" ? "x" : p.type === "bytes32" ? `0x${"00".repeat(32)}` : p.type === "uint8" ? 1 : 1n;
    const names = fomoErrorAbi.flatMap((e) => (e.type === "error" ? [e] : []));
    assert.ok(names.length >= 40);
    for (const e of names) {
      const msg = describeRevert({ errorName: e.name, args: e.inputs.map(sample) });
      assert.doesNotMatch(msg, /reverted with/, `${e.name} has no description`);
    }
  });
});
