import { createRequire } from "node:module";
import hardhatToolboxViem from "@nomicfoundation/hardhat-toolbox-viem";
import { defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);
// Compile offline with the pinned npm solc: the label must equal the binary, so read it from the package.
const SOLC_VERSION: string = require("solc/package.json").version;
const SOLC_PATH = require.resolve("solc/soljson.js");

// Fuzz/invariant depth: CI asks for >= 1,000 runs per property; local runs can go lighter with FOMO_FUZZ_RUNS.
const FUZZ_RUNS = Number(process.env.FOMO_FUZZ_RUNS ?? 1000);
// Solidity tests deploy Uniswap V2 from the npm build exactly as shipped: allow vm.readFile on it
// (test/solidity/utils/Fomo.sol reads it at <root>/../node_modules, where the workspace hoists it).
const UNISWAP_V2_FACTORY_JSON = require.resolve("@uniswap/v2-core/build/UniswapV2Factory.json");
// Router02 and the WETH9 its constructor takes, for the buyback tests' swaps (@fomo/deploy's deployLocal deploys both).
const UNISWAP_V2_ROUTER02_JSON = require.resolve("@uniswap/v2-periphery/build/UniswapV2Router02.json");
const WETH9_JSON = require.resolve("@uniswap/v2-periphery/build/WETH9.json");

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
      // Solidity tests deploy Uniswap V2 (factory, Router02, WETH9) from the npm builds, as deployLocal does.
      fsPermissions: { readFile: [UNISWAP_V2_FACTORY_JSON, UNISWAP_V2_ROUTER02_JSON, WETH9_JSON] },
      fuzz: { runs: FUZZ_RUNS },
      // Depth 50: a run needs buys, pauses past a window, then graduation, refunds and claims on three
      // offerings; at depth 20 most runs ended before any offering graduated.
      invariant: { runs: FUZZ_RUNS, depth: 50, failOnRevert: false },
    },
  },
});
