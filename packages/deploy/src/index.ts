// @fomo/deploy: FOMO and everything it needs on a fresh chain, from the compiled artifacts of contracts/
// and the Uniswap V2 / OpenZeppelin builds on npm; `./fomo up`, the tests and the benchmarks share it.
export { deployLocal, LOCAL_SETTLEMENT_FUNDING, type LocalDeployOptions, type Wallet } from "./local.ts";
export { bytecodeOf, type ContractName } from "./artifacts.ts";
export { ChainStateMismatch, DEV_FUNDING, DEV_MNEMONIC, freePort, startLocalChain, type LocalChain, type LocalChainOptions } from "./node.ts";
