// Where things live, resolved from this file so the CLI works from any working directory.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const CONTRACTS = join(ROOT, "contracts");
export const BIN = join(ROOT, "node_modules/.bin");
/** The web app's build (apps/web, `fomo build`), served by the platform at "/". */
export const WEB_DIST = join(ROOT, "apps/web/dist");
/** Default data dir of the local stack: chain log, deployments, later the ledger database. */
export const DEFAULT_DATA_DIR = join(ROOT, ".fomo");

export function deploymentsPath(dataDir: string, chainId: number): string {
  return join(dataDir, "deployments", `${chainId}.json`);
}
