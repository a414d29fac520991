// @fomo/deploy: FOMO and everything it needs, from the compiled artifacts of contracts/ and the
// Uniswap V2 / OpenZeppelin builds on npm: on a fresh chain (deployLocal: `./fomo up`, the tests and
// the benchmarks) or on a real network against its tokens and router (deployNetwork: `./fomo deploy`),
// both running the one plan of plan.ts.
export { deployLocal, deploymentsOf, LOCAL_SETTLEMENT_FUNDING, type LocalDeployOptions } from "./local.ts";
export { contextOf, executePlan, predictAddresses, type Executed, type ExecuteOptions, type Journal, type JournalEntry, type Wallet } from "./execute.ts";
export { fomoPlan, roleHash, GOVERNED, type ContractId, type PlanOptions, type PlanParties, type Step } from "./plan.ts";
export { bytecodeOf, type ContractName } from "./artifacts.ts";
export {
  ChainStateMismatch, DEV_FUNDING, DEV_MNEMONIC, freePort, startHardhatNode, startLocalChain,
  type HardhatNode, type HardhatNodeOptions, type LocalChain, type LocalChainOptions,
} from "./node.ts";
export {
  auditRoles, chainInfo, chainOf, DEFAULT_TIMELOCK_DELAY, DeployCheckError, FLOCK_DECIMALS, KNOWN_CHAINS, knownContracts, networkDeployments,
  networkParties, networkPlan, openJournal, precheckNetwork, rehearse,
  type FileJournal, type NetworkFacts, type NetworkInputs, type Rehearsal, type RoleAudit, type RoleHolding,
} from "./network.ts";
