// `fomo build` (run by `fomo up`) hides solc's transient-storage warning on OpenZeppelin's code, which
// every build printed, and keeps every other line: other warnings, the same warning on our own code.
import assert from "node:assert/strict";
import { it } from "node:test";
import { OPENZEPPELIN_SOURCE, TRANSIENT_STORAGE_WARNING } from "../src/commands/build.ts";
import { dropWarnings } from "../src/proc.ts";

const transient = (file: string, colour = false) => [
  "",
  `${colour ? "\x1b[33m" : ""}Warning: Transient storage as defined by EIP-1153 can break the composability of smart contracts: Since transient storage is cleared only at the end of the transaction and not at the end of the outermost call frame to the contract within a transaction, your contract may unintentionally misbehave when invoked multiple times in a complex transaction. To avoid this, be sure to clear all transient storage at the end of any call to your contract. The use of transient storage for reentrancy guards that are cleared at the end of the call is safe.${colour ? "\x1b[0m" : ""}`,
  `   --> ${file}:108:13:`,
  "    |",
  "108 |             tstore(slot, value)",
  "    |             ^^^^^^",
];
const unused = [
  "",
  "Warning: Unused local variable.",
  "  --> contracts/launch/Launchpad.sol:10:9:",
  "   |",
  "10 |         uint256 x = 1;",
  "   |         ^^^^^^^^^",
];

function run(lines: string[]): { out: string[]; dropped: number } {
  let dropped = 0;
  const filter = dropWarnings(TRANSIENT_STORAGE_WARNING, OPENZEPPELIN_SOURCE, () => dropped++);
  return { out: lines.flatMap((line) => filter(line)), dropped };
}

it("drops OpenZeppelin's transient-storage warnings, frames and all, and keeps the rest as it was", () => {
  const oz = transient("../node_modules/@openzeppelin/contracts/utils/TransientSlot.sol");
  const { out, dropped } = run(["Compiling 3 files", ...oz, ...unused, ...transient("../node_modules/@openzeppelin/contracts/utils/TransientSlot.sol", true), "", "done"]);
  assert.equal(dropped, 2);
  assert.deepEqual(out, ["Compiling 3 files", ...unused, "", "done"]);
});

it("keeps the same warning on code that is not OpenZeppelin's", () => {
  const ours = transient("contracts/engine/Ours.sol");
  const { out, dropped } = run([...ours, "", "done"]);
  assert.equal(dropped, 0);
  assert.deepEqual(out, [...ours, "", "done"]);
});
