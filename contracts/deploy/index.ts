export { deployLocal, type LocalDeployOptions, type Wallet } from "./local.ts";
export { bytecodeOf, type ContractName } from "./artifacts.ts";
export { DEV_FUNDING, DEV_MNEMONIC, freePort, startLocalChain, type LocalChain, type LocalChainOptions } from "./node.ts";
