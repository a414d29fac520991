// @fomo/deploy: FOMO and everything it needs, from the compiled artifacts of contracts/ and the
// Uniswap V2 / OpenZeppelin builds on npm: on a fresh chain (deployLocal: `./fomo up`, the tests and
// the benchmarks) or on a real network against its tokens and router (deployNetwork: `./fomo deploy`),
// both running the one plan of plan.ts.
export { deployLocal, deploymentsOf, LOCAL_SETTLEMENT_FUNDING, type LocalDeployOptions } from "./local.ts";
export { executePlan, predictAddresses, type Executed, type ExecuteOptions, type Journal, type JournalEntry, type Wallet } from "./execute.ts";
export { fomoPlan, roleHash, GOVERNED, type ContractId, type PlanOptions, type PlanParties, type Step } from "./plan.ts";
export { bytecodeOf, type ContractName } from "./artifacts.ts";
export { DEV_FUNDING, DEV_MNEMONIC, freePort, startLocalChain, type LocalChain, type LocalChainOptions } from "./node.ts";
