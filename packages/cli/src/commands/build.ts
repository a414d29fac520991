// `fomo build`: regenerate the Solidity tests' default terms from the SDK, compile the contracts
// offline and regenerate the SDK's typed ABIs.
import { join } from "node:path";
import { BIN, CONTRACTS } from "../paths.ts";
import { step } from "../proc.ts";

export async function build(): Promise<number> {
  const terms = await step("writing the SDK's default terms for the Solidity tests", process.execPath, [
    join(CONTRACTS, "test/solidity/utils/default-terms.ts"),
  ]);
  if (terms.code !== 0) return terms.code;
  const compiled = await step("compiling contracts (solc from npm, offline)", join(BIN, "hardhat"), ["compile", "--quiet"], {
    cwd: CONTRACTS,
  });
  if (compiled.code !== 0) return compiled.code;
  const abis = await step("exporting ABIs to the SDK", process.execPath, [join(CONTRACTS, "scripts/export-abis.ts")]);
  return abis.code;
}
