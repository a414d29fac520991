// Bytecode for deployment: our contracts from Hardhat's artifacts, Uniswap V2 and WETH9 from the
// npm build artifacts exactly as shipped (the Router's pairFor depends on the Pair's init-code hash),
// OpenZeppelin's TimelockController from its npm build.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Hex } from "viem";
import { ARTIFACTS_DIR } from "./paths.ts";

const require = createRequire(import.meta.url);

const ours = {
  Launchpad: "launch/Launchpad.sol/Launchpad.json",
  TemplateRegistry: "launch/TemplateRegistry.sol/TemplateRegistry.json",
  ModelTokenFactory: "token/ModelTokenFactory.sol/ModelTokenFactory.json",
  IncentivePool: "incentives/IncentivePool.sol/IncentivePool.json",
  OperatorVesting: "launch/OperatorVesting.sol/OperatorVesting.json",
  LocalToken: "local/LocalToken.sol/LocalToken.json",
  // Smart-wallet sign-in tests (ERC-1271, ERC-6492): local chains only.
  LocalSmartWallet: "local/LocalSmartWallet.sol/LocalSmartWallet.json",
  LocalSmartWalletFactory: "local/LocalSmartWallet.sol/LocalSmartWalletFactory.json",
  MtStaking: "staking/MtStaking.sol/MtStaking.json",
  TwapOracle: "engine/TwapOracle.sol/TwapOracle.json",
  BuybackExecutor: "engine/BuybackExecutor.sol/BuybackExecutor.json",
  RevenueRouter: "engine/RevenueRouter.sol/RevenueRouter.json",
  CreditDeposits: "engine/CreditDeposits.sol/CreditDeposits.json",
  EmissionSchedule: "rewards/EmissionSchedule.sol/EmissionSchedule.json",
  RewardsDistributor: "rewards/RewardsDistributor.sol/RewardsDistributor.json",
  GmFlock: "rewards/GmFlock.sol/GmFlock.json",
} as const;

const shipped = {
  UniswapV2Factory: "@uniswap/v2-core/build/UniswapV2Factory.json",
  UniswapV2Pair: "@uniswap/v2-core/build/UniswapV2Pair.json",
  UniswapV2Router02: "@uniswap/v2-periphery/build/UniswapV2Router02.json",
  WETH9: "@uniswap/v2-periphery/build/WETH9.json",
  TimelockController: "@openzeppelin/contracts/build/contracts/TimelockController.json",
} as const;

export type ContractName = keyof typeof ours | keyof typeof shipped;

export function bytecodeOf(name: ContractName): Hex {
  if (name in ours) {
    const file = join(ARTIFACTS_DIR, ours[name as keyof typeof ours]);
    let json: { bytecode: string };
    try {
      json = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      throw new Error(`no artifact for ${name}: compile the contracts first (./fomo build)`);
    }
    return json.bytecode as Hex;
  }
  const { bytecode } = require(shipped[name as keyof typeof shipped]) as { bytecode: string };
  return (bytecode.startsWith("0x") ? bytecode : `0x${bytecode}`) as Hex;
}
