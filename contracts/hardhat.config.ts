import { createRequire } from "node:module";
import hardhatToolboxViem from "@nomicfoundation/hardhat-toolbox-viem";
import { defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);
// Compile offline with the pinned npm solc: the label must equal the binary, so read it from the package.
const SOLC_VERSION: string = require("solc/package.json").version;
const SOLC_PATH = require.resolve("solc/soljson.js");

// Fuzz/invariant depth: CI asks for >= 1,000 runs per property; local runs can go lighter with FOMO_FUZZ_RUNS.
const FUZZ_RUNS = Number(process.env.FOMO_FUZZ_RUNS ?? 1000);

export default defineConfig({
  plugins: [hardhatToolboxViem],
  solidity: {
    version: SOLC_VERSION,
    path: SOLC_PATH,
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" },
  },
  paths: { tests: { solidity: "test/solidity", nodejs: "test/nodejs" } },
  test: {
    solidity: {
      // Solidity tests deploy the Uniswap V2 factory from its npm build, as deployLocal does.
      fsPermissions: { readFile: ["../node_modules/@uniswap/v2-core/build/UniswapV2Factory.json"] },
      fuzz: { runs: FUZZ_RUNS },
      invariant: { runs: FUZZ_RUNS, depth: 20, failOnRevert: false },
    },
  },
});
