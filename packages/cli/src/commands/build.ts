// `fomo build`: regenerate the Solidity tests' default terms from the SDK, compile the contracts
// offline and regenerate the SDK's typed ABIs.
import { join } from "node:path";
import { BIN, CONTRACTS } from "../paths.ts";
import { dropWarnings, step } from "../proc.ts";

/**
 * solc's warning on every `tstore`, which OpenZeppelin's TransientSlot (behind ReentrancyGuardTransient)
 * triggers on every build: its transient slots are cleared within the call, the use solc calls safe.
 * Printed each time it would drown any new warning; other warnings still show.
 */
export const TRANSIENT_STORAGE_WARNING = /^Warning: Transient storage as defined by EIP-1153 can break the composability/;
/** Where it must come from to be hidden: OpenZeppelin's code, not ours. */
export const OPENZEPPELIN_SOURCE = /^\s*-->\s.*node_modules\/@openzeppelin\/contracts\//;

export async function build(): Promise<number> {
  const terms = await step("writing the SDK's default terms for the Solidity tests", process.execPath, [
    join(CONTRACTS, "test/solidity/utils/default-terms.ts"),
  ]);
  if (terms.code !== 0) return terms.code;
  let hidden = 0;
  const compiled = await step("compiling contracts (solc from npm, offline)", join(BIN, "hardhat"), ["compile", "--quiet"], {
    cwd: CONTRACTS,
    filter: dropWarnings(TRANSIENT_STORAGE_WARNING, OPENZEPPELIN_SOURCE, () => hidden++),
  });
  if (hidden > 0) process.stderr.write(`[fomo] (${hidden} solc transient-storage warning${hidden > 1 ? "s" : ""} on OpenZeppelin's TransientSlot not shown: see build.ts)\n`);
  if (compiled.code !== 0) return compiled.code;
  const abis = await step("exporting ABIs to the SDK", process.execPath, [join(CONTRACTS, "scripts/export-abis.ts")]);
  return abis.code;
}
