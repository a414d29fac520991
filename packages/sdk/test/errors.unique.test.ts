// Every custom error of every generated ABI: one name is one error and one selector is one error
// across the protocol, and each FOMO contract's own errors carry its name as prefix (as
// OpenZeppelin 5 does: ERC20InsufficientBalance). docs/contracts.md#errors lists them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { toFunctionSelector, type AbiParameter } from "viem";
import * as generated from "../src/generated/abis.ts";

/**
 * Errors that come with an OpenZeppelin base or library and keep OpenZeppelin's name, so wallets
 * and explorers that know them decode them (Launchpad's pause errors are Pausable's).
 */
const OPENZEPPELIN =
  /^(AccessControl|ERC20|ERC2612|ECDSA|SafeERC20|SafeCast|ReentrancyGuard|Ownable|Timelock|Checkpoint)[A-Z]|^(FailedCall|FailedDeployment|InsufficientBalance|InvalidAccountNonce|InvalidShortString|StringTooLong|InvalidInitialization|NotInitializing|InvalidCliffDuration|EnforcedPause|ExpectedPause)$/;
/** FOMO libraries whose errors reach the ABIs of the contracts that use them, under the library's prefix. */
const LIBRARIES = ["StablecoinUnit"];

interface ErrorItem {
  contract: string;
  name: string;
  inputs: readonly AbiParameter[];
}

/** Solidity's canonical type of a parameter, tuples spelled out. */
function canonical(p: AbiParameter): string {
  if (!p.type.startsWith("tuple")) return p.type;
  const components = (p as { components: readonly AbiParameter[] }).components;
  return `(${components.map(canonical).join(",")})${p.type.slice("tuple".length)}`;
}
const signature = (e: ErrorItem) => `${e.name}(${e.inputs.map(canonical).join(",")})`;
/** What makes two declarations the same error: its signature and what its arguments mean (their names). */
const identity = (e: ErrorItem) => `${signature(e)} [${e.inputs.map((p) => p.name ?? "").join(",")}]`;

/** `launchpadAbi` → `Launchpad`. */
const contractName = (exportName: string) => exportName[0]!.toUpperCase() + exportName.slice(1, -"Abi".length);

/** Every error item of every ABI the SDK exports, with the contract whose ABI holds it. */
function allErrors(): ErrorItem[] {
  return Object.entries(generated).flatMap(([exportName, value]) =>
    exportName.endsWith("Abi") && Array.isArray(value)
      ? (value as readonly { type: string; name?: string; inputs?: readonly AbiParameter[] }[])
          .filter((item) => item.type === "error")
          .map((item) => ({ contract: contractName(exportName), name: item.name!, inputs: item.inputs ?? [] }))
      : [],
  );
}

/** Keys that map to more than one distinct error, with the contracts that declare each. */
function collisions(errors: ErrorItem[], key: (e: ErrorItem) => string): string[] {
  const byKey = new Map<string, Map<string, Set<string>>>();
  for (const e of errors) {
    const seen = byKey.get(key(e)) ?? new Map<string, Set<string>>();
    seen.set(identity(e), (seen.get(identity(e)) ?? new Set()).add(e.contract));
    byKey.set(key(e), seen);
  }
  return [...byKey].filter(([, seen]) => seen.size > 1).map(([k, seen]) =>
    `${k}: ${[...seen].map(([id, contracts]) => `${id} in ${[...contracts].join(", ")}`).join(" / ")}`);
}

describe("custom errors across the protocol", () => {
  const errors = allErrors();

  it("enumerates the errors of every contract's ABI", () => {
    const contracts = new Set(errors.map((e) => e.contract));
    for (const c of ["Launchpad", "TemplateRegistry", "RewardsDistributor", "RevenueRouter", "MtStaking", "TimelockController"]) {
      assert.ok(contracts.has(c), `${c} has errors`);
    }
    assert.ok(errors.length > 100, `${errors.length} error items`);
  });

  it("no two distinct errors share a name", () => {
    assert.deepEqual(collisions(errors, (e) => e.name), []);
  });

  it("no two distinct errors share a selector", () => {
    assert.deepEqual(collisions(errors, (e) => toFunctionSelector(signature(e))), []);
  });

  it("each contract's own errors are prefixed by its name; only OpenZeppelin's and libraries' are shared", () => {
    const unprefixed = errors.filter((e) =>
      !e.name.startsWith(e.contract) && !OPENZEPPELIN.test(e.name) && !LIBRARIES.some((l) => e.name.startsWith(l)));
    assert.deepEqual(unprefixed.map((e) => `${e.contract}: ${signature(e)}`), []);
  });

  it("catches what it is for: the three NothingToClaim of before would fail every check", () => {
    const before: ErrorItem[] = [
      { contract: "Launchpad", name: "NothingToClaim", inputs: [{ type: "address", name: "mt" }, { type: "address", name: "account" }] },
      { contract: "RewardsDistributor", name: "NothingToClaim", inputs: [{ type: "address", name: "account" }, { type: "address", name: "token" }] },
      { contract: "RevenueRouter", name: "NothingToClaim", inputs: [{ type: "address", name: "mt" }] },
    ];
    assert.equal(collisions(before, (e) => e.name).length, 1);
    // Launchpad's and the distributor's: one selector, swapped meanings.
    assert.equal(collisions(before, (e) => toFunctionSelector(signature(e))).length, 1);
  });
});
