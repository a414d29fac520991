export { deployLocal, type LocalDeployOptions, type Wallet } from "./local.ts";
export { bytecodeOf, type ContractName } from "./artifacts.ts";
