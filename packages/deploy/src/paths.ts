// Where the deployment finds what it deploys, resolved from this file so it works from any working
// directory: the contracts workspace (its compiled artifacts, and its Hardhat config for `hardhat node`)
// and the workspace's hoisted binaries.
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../../..");
export const CONTRACTS_DIR = join(ROOT, "contracts");
export const ARTIFACTS_DIR = join(CONTRACTS_DIR, "artifacts/contracts");
export const HARDHAT_BIN = join(ROOT, "node_modules/.bin/hardhat");
